/**
 * Demo data of 党建学习 (issue 5), seeded once after the base demo: the library (the source report and the oath as
 * articles; the micro-lessons, talks, film and PDF of `learning-media/manifest.json` when that folder is present,
 * copied into DATA_DIR/uploads/learning/), a bank of real questions on the 党章 and the 支部工作条例, two papers,
 * plans of the current year (the whole tree; 成都's subtree with a micro-lesson and a quiz; branch secretaries)
 * and partial progress across the tree, with the training hours and points that completion gives.
 *
 * Without `opts.dataDir` (or without the media folder) only the text articles are seeded and the plans use them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContentKind } from '../../shared/learning.js';
import { ACTIVE_STATUSES } from '../../shared/members.js';
import type { Executor } from '../db/database.js';
import * as content from '../modules/learning/content.service.js';
import { paragraphsHtml } from '../modules/learning/html.js';
import { type StoredUpload, sniffMedia, storeCopy } from '../modules/learning/media.js';
import * as plans from '../modules/learning/plans.service.js';
import { studyMinutesOf } from '../modules/learning/progress.service.js';
import * as quiz from '../modules/learning/quiz.service.js';
import { DEMO_QUESTIONS } from './learning-questions.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const LEARNING_MEDIA_DIR = path.join(here, 'learning-media');
/** The source report of the project (the provincial department's 2018 training meeting). */
const REPORT_CANDIDATES = [
  path.join(here, 'learning-report.txt'),
  path.resolve(here, '../../../../shared/seed/000_45861c846f47f917.txt'),
  '/work/shared/seed/000_45861c846f47f917.txt',
];

const ACTOR = 'demo';

interface ManifestItem {
  file: string;
  kind: ContentKind;
  title: string;
  summary: string;
  duration: number;
  topics: string[];
  cover?: string;
}

function readManifest(dir: string): ManifestItem[] {
  try {
    const items = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as ManifestItem[];
    return items.filter((i) => fs.existsSync(path.join(dir, i.file)));
  } catch {
    return [];
  }
}

function stored(dataDir: string, file: string): StoredUpload | null {
  const head = Buffer.alloc(64);
  const fd = fs.openSync(file, 'r');
  fs.readSync(fd, head, 0, 64, 0);
  fs.closeSync(fd);
  const sniffed = sniffMedia(head);
  if (!sniffed) return null;
  return { storageName: storeCopy(dataDir, file, sniffed.ext), size: fs.statSync(file).size, sniffed };
}

const OATH =
  '我志愿加入中国共产党，拥护党的纲领，遵守党的章程，履行党员义务，执行党的决定，严守党的纪律，保守党的秘密，对党忠诚，积极工作，为共产主义奋斗终身，随时准备为党和人民牺牲一切，永不叛党。';

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export interface LearningDemoOptions {
  /** DATA_DIR: where media files are copied (uploads/learning/); without it no media items are seeded */
  dataDir?: string;
  /** the folder with manifest.json (default: src/server/demo/learning-media) */
  mediaDir?: string;
}

export async function seedLearningDemo(
  trx: Executor,
  rand: () => number,
  today: string,
  opts: LearningDemoOptions = {},
): Promise<{ content: number; questions: number; plans: number }> {
  if (await trx.selectFrom('learning_content').select('id').limit(1).executeTakeFirst()) {
    return { content: 0, questions: 0, plans: 0 };
  }
  const year = Number(today.slice(0, 4));
  const now = new Date(`${today}T01:00:00Z`);
  const root = await trx.selectFrom('orgs').select(['id', 'name']).where('parent_id', 'is', null).executeTakeFirst();
  if (!root) return { content: 0, questions: 0, plans: 0 };
  const chengdu = await trx
    .selectFrom('orgs')
    .select('id')
    .where('name', '=', '成都市科学技术局机关党委')
    .executeTakeFirst();

  // ---- the library ----
  const publish = async (id: number) => {
    const row = await content.find(trx, id);
    await content.transition(trx, trx, row, 'publish', ACTOR, now);
  };
  const ids: {
    id: number;
    kind: ContentKind;
    title: string;
    duration: number | null;
    required: number;
    file?: string;
  }[] = [];
  const remember = async (id: number, file?: string) => {
    const r = await content.find(trx, id);
    ids.push({
      id,
      kind: r.kind as ContentKind,
      title: r.title,
      duration: r.duration,
      required: r.required_seconds,
      file,
    });
  };

  const reportPath = REPORT_CANDIDATES.find((p) => fs.existsSync(p));
  if (reportPath) {
    const lines = fs.readFileSync(reportPath, 'utf8').split(/\r?\n/);
    const title = lines[0]!.trim();
    const body = lines
      .slice(1)
      .filter((l) => !/^\s*\d{2}\.\d{2}\.\d{4}/.test(l))
      .map((l) => l.replace(/^\s*•\s*/, ''))
      .join('\n');
    const id = await content.create(trx, {
      input: {
        kind: 'article',
        title,
        summary:
          '2018年5月23日，四川省科学技术厅在成都召开全省科技行政管理系统基层党建工作培训座谈会，探索“互联网+党建学习”。',
        orgId: root.id,
        topics: ['党建+科创', '新时代中国特色社会主义思想'],
        visibility: 'subtree',
        body: paragraphsHtml(body),
      },
      file: null,
      cover: null,
      dataDir: opts.dataDir ?? '',
      actor: ACTOR,
      now,
      visibleOrgIds: [],
    });
    await publish(id);
    await remember(id);
  }
  const oathId = await content.create(trx, {
    input: {
      kind: 'article',
      title: '入党誓词（《中国共产党章程》第六条）',
      summary: '预备党员必须面向党旗进行入党宣誓。',
      orgId: root.id,
      topics: ['党章党规'],
      visibility: 'subtree',
      body: `<p>《中国共产党章程》第六条：预备党员必须面向党旗进行入党宣誓。誓词如下：</p><blockquote><p>${OATH}</p></blockquote>`,
    },
    file: null,
    cover: null,
    dataDir: opts.dataDir ?? '',
    actor: ACTOR,
    now,
    visibleOrgIds: [],
  });
  await publish(oathId);
  await remember(oathId);

  const mediaDir = opts.mediaDir ?? LEARNING_MEDIA_DIR;
  if (opts.dataDir) {
    for (const m of readManifest(mediaDir)) {
      const file = stored(opts.dataDir, path.join(mediaDir, m.file));
      if (!file) continue;
      const cover =
        m.cover && fs.existsSync(path.join(mediaDir, m.cover))
          ? stored(opts.dataDir, path.join(mediaDir, m.cover))
          : null;
      const id = await content.create(trx, {
        input: {
          kind: m.kind,
          title: m.title,
          summary: m.summary,
          orgId: root.id,
          topics: m.topics,
          visibility: 'subtree',
          ...(file.sniffed.class === 'pdf' ? {} : { duration: Math.max(1, Math.round(m.duration)) }),
        },
        file,
        cover: cover?.sniffed.class === 'image' ? cover : null,
        dataDir: opts.dataDir,
        actor: ACTOR,
        now,
        visibleOrgIds: [],
      });
      await publish(id);
      await remember(id, m.file);
    }
  }

  // ---- the bank and papers ----
  const questionIds: number[] = [];
  for (const q of DEMO_QUESTIONS) {
    questionIds.push(await quiz.createQuestion(trx, { orgId: root.id, ...q }, ACTOR, now));
  }
  const examId = await quiz.createPaper(
    trx,
    {
      orgId: root.id,
      title: `${year}年党章和支部工作条例知识测试`,
      mode: 'random',
      topic: '党章党规',
      questionCount: 10,
      timeLimitMinutes: 20,
      passMark: 60,
      attemptsAllowed: 3,
    },
    ACTOR,
    now,
  );
  // the quiz of the micro-lesson plan: five fixed questions on the 支部工作条例
  const zbIds = questionIds.filter((_, i) => DEMO_QUESTIONS[i]!.topics.includes('支部工作条例'));
  const quizId = await quiz.createPaper(
    trx,
    {
      orgId: root.id,
      title: '微党课随堂测验：党支部工作',
      mode: 'fixed',
      questionIds: zbIds.slice(0, 5),
      timeLimitMinutes: 10,
      passMark: 60,
      attemptsAllowed: null,
    },
    ACTOR,
    now,
  );

  // ---- plans ----
  const byFile = (f: string) => ids.find((i) => i.file === f);
  const lessons = ids.filter((i) => i.kind === 'micro_lesson');
  const articles = ids.filter((i) => i.kind === 'article');
  const lessonForPlan = byFile('lesson-branch-rules.mp4') ?? lessons[0] ?? articles[0]!;
  const report = articles[0]!;
  const yearPlanItems = [
    { contentId: report.id },
    ...(lessons.length ? [{ contentId: (byFile('lesson-responsibility.mp4') ?? lessons[0]!).id }] : []),
    { paperId: examId },
  ];
  const always = async () => true;
  const yearPlan = await plans.create(
    trx,
    {
      orgId: root.id,
      title: `${year}年度全省科技系统党员学习计划`,
      description: '学习座谈会精神和党章党规，完成知识测试。',
      dueOn: `${year}-12-31`,
      target: 'subtree',
      items: yearPlanItems,
    },
    always,
    ACTOR,
    new Date(`${year}-03-01T01:00:00Z`),
  );
  const created = [yearPlan];
  let chengduPlan: number | null = null;
  if (chengdu) {
    chengduPlan = await plans.create(
      trx,
      {
        orgId: chengdu.id,
        title: '成都市科技局冬季学习计划：党支部工作',
        description: '观看微党课并完成随堂测验。',
        dueOn: addDays(today, 28),
        target: 'subtree',
        items: [{ contentId: lessonForPlan.id }, { paperId: quizId }],
      },
      always,
      ACTOR,
      new Date(`${addDays(today, -10)}T01:00:00Z`),
    );
    created.push(chengduPlan);
  }
  const doc = ids.find((i) => i.kind === 'document') ?? articles[articles.length - 1]!;
  created.push(
    await plans.create(
      trx,
      {
        orgId: root.id,
        title: '支部书记专题学习：《中国共产党支部工作条例（试行）》',
        description: '各党支部书记学习条例原文。',
        dueOn: addDays(today, 45),
        target: 'posts',
        posts: ['secretary', 'deputy_secretary'],
        items: [{ contentId: doc.id }],
      },
      always,
      ACTOR,
      new Date(`${addDays(today, -20)}T01:00:00Z`),
    ),
  );

  // ---- partial progress across the tree ----
  const members = await trx
    .selectFrom('members')
    .select(['id', 'org_id', 'user_id'])
    .where('status', 'in', ACTIVE_STATUSES)
    .orderBy('id')
    .execute();
  const demoUsers = await trx.selectFrom('users').select('id').where('username', 'in', ['member', 'branch']).execute();
  const keepFresh = new Set(demoUsers.map((u) => u.id));
  // each org studies with its own diligence, so that averages differ between organisations
  const diligence = new Map<number, number>();
  const orgFactor = (orgId: number) => {
    let d = diligence.get(orgId);
    if (d === undefined) {
      d = 0.35 + rand() * 0.55;
      diligence.set(orgId, d);
    }
    return d;
  };
  const cityOrgs = new Set(
    chengdu
      ? (
          await trx.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', chengdu.id).execute()
        ).map((r) => r.descendant_id)
      : [],
  );
  const loginDays = new Set<string>();
  const progressRows: Record<string, unknown>[] = [];
  const hourRows: Record<string, unknown>[] = [];
  const pointRows: Record<string, unknown>[] = [];
  const attemptRows: Record<string, unknown>[] = [];
  const examQuestions = questionIds.filter((_, i) => DEMO_QUESTIONS[i]!.topics.includes('党章'));
  const studyItems = ids.filter((i) => i.id !== lessonForPlan.id || !chengduPlan);
  for (const m of members) {
    const d = orgFactor(m.org_id);
    const fresh = m.user_id !== null && keepFresh.has(m.user_id);
    for (const item of studyItems) {
      const inYearPlan = yearPlanItems.some((x) => 'contentId' in x && x.contentId === item.id);
      const p = inYearPlan ? d : d * 0.3;
      const r = rand();
      if (r >= p + 0.1) continue;
      const done = r < p;
      const at = new Date(
        Date.parse(`${addDays(today, -Math.floor(rand() * 60) - 1)}T0${Math.floor(rand() * 9)}:30:00Z`),
      );
      const atIso = at.toISOString();
      const day = atIso.slice(0, 10);
      const full = item.duration ?? item.required;
      const played = done ? full : Math.round(full * (0.2 + rand() * 0.5));
      progressRows.push({
        member_id: m.id,
        content_id: item.id,
        position: item.duration !== null ? played : 0,
        watched: item.duration !== null ? JSON.stringify([[0, played]]) : '[]',
        played_seconds: played,
        last_beat_at: at.getTime(),
        pointed_seconds: played,
        started_at: atIso,
        updated_at: atIso,
        completed_at: done ? atIso : null,
      });
      if (done) {
        hourRows.push({
          member_id: m.id,
          year: Number(day.slice(0, 4)),
          minutes: studyMinutesOf(item),
          title: `党建学习：${item.title}`.slice(0, 200),
          source: 'study',
          occurred_on: day,
          ref: `learning:content:${item.id}`,
          recorded_at: atIso,
          recorded_by: null,
        });
        pointRows.push({
          member_id: m.id,
          rule: 'content_complete',
          points: 2,
          day,
          year: Number(day.slice(0, 4)),
          ref: `content:${item.id}`,
          at: atIso,
        });
        if (!loginDays.has(`${m.id}:${day}`)) {
          loginDays.add(`${m.id}:${day}`);
          pointRows.push({
            member_id: m.id,
            rule: 'login',
            points: 1,
            day,
            year: Number(day.slice(0, 4)),
            ref: null,
            at: atIso,
          });
        }
      }
    }
    // the year's exam: some passed, some failed once
    const r = rand();
    if (r < d * 0.8 && examQuestions.length >= 10) {
      const passed = r < d * 0.6;
      const score = passed ? 60 + 10 * Math.floor(rand() * 5) : 10 * (2 + Math.floor(rand() * 4));
      const at = `${addDays(today, -Math.floor(rand() * 40) - 1)}T02:${String(10 + Math.floor(rand() * 40))}:00.000Z`;
      const drawn = [...examQuestions].sort(() => rand() - 0.5).slice(0, 10);
      attemptRows.push({
        paper_id: examId,
        member_id: m.id,
        question_ids: JSON.stringify(drawn),
        answers: '{}',
        started_at: at,
        deadline: new Date(Date.parse(at) + 20 * 60_000).toISOString(),
        submitted_at: new Date(Date.parse(at) + 9 * 60_000).toISOString(),
        score,
        correct_count: score / 10,
        passed: passed ? 1 : 0,
      });
      if (passed) {
        pointRows.push({
          member_id: m.id,
          rule: 'quiz_pass',
          points: 5,
          day: at.slice(0, 10),
          year: Number(at.slice(0, 4)),
          ref: `paper:${examId}`,
          at,
        });
      }
    }
    // 成都's winter plan: under way (not for the demo accounts, whose browser test does it live)
    if (chengduPlan && !fresh && rand() < d * 0.5) {
      const at = new Date(Date.parse(`${addDays(today, -Math.floor(rand() * 8) - 1)}T03:00:00Z`));
      const atIso = at.toISOString();
      const day = atIso.slice(0, 10);
      const lesson = lessonForPlan;
      const full = lesson.duration ?? lesson.required;
      const done = rand() < 0.6;
      if (cityOrgs.has(m.org_id)) {
        const played = done ? full : Math.round(full * 0.4);
        progressRows.push({
          member_id: m.id,
          content_id: lesson.id,
          position: lesson.duration !== null ? played : 0,
          watched: lesson.duration !== null ? JSON.stringify([[0, played]]) : '[]',
          played_seconds: played,
          last_beat_at: at.getTime(),
          pointed_seconds: played,
          started_at: atIso,
          updated_at: atIso,
          completed_at: done ? atIso : null,
        });
        if (done) {
          hourRows.push({
            member_id: m.id,
            year: Number(day.slice(0, 4)),
            minutes: studyMinutesOf(lesson),
            title: `党建学习：${lesson.title}`.slice(0, 200),
            source: 'study',
            occurred_on: day,
            ref: `learning:content:${lesson.id}`,
            recorded_at: atIso,
            recorded_by: null,
          });
          if (rand() < 0.7) {
            attemptRows.push({
              paper_id: quizId,
              member_id: m.id,
              question_ids: JSON.stringify(zbIds.slice(0, 5)),
              answers: '{}',
              started_at: atIso,
              deadline: new Date(at.getTime() + 10 * 60_000).toISOString(),
              submitted_at: new Date(at.getTime() + 4 * 60_000).toISOString(),
              score: 80,
              correct_count: 4,
              passed: 1,
            });
          }
        }
      }
    }
  }
  const insertAll = async (
    table: 'learning_progress' | 'training_hours' | 'learning_points' | 'learning_attempts',
    rows: Record<string, unknown>[],
  ) => {
    for (let i = 0; i < rows.length; i += 300) {
      const part = rows.slice(i, i + 300) as unknown as Parameters<
        ReturnType<typeof trx.insertInto<typeof table>>['values']
      >[0];
      await trx.insertInto(table).values(part).execute();
    }
  };
  await insertAll('learning_progress', progressRows);
  await insertAll('training_hours', hourRows);
  await insertAll('learning_points', pointRows);
  await insertAll('learning_attempts', attemptRows);
  return { content: ids.length, questions: questionIds.length, plans: created.length };
}
