/**
 * The question bank, papers and attempts, and plans: no answer or explanation reaches a member before submission
 * (every response body is inspected), grading and review after it, attempts allowed, the .xlsx import with
 * row-level errors that change nothing, a plan for 成都's subtree counting exactly 成都's active members, 404 for
 * another city's plan and org, completion rising as a member studies, points within daily caps, rankings off by
 * default.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVE_STATUSES } from '../../src/shared/members.js';
import { multipart } from '../fixtures/members.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';
import { beat, drivenClock, fakeMp4, upload } from './learning-helpers.js';

let t: TestApp;
let province: Session;
let chengdu: Session;
let branch: Session;
let member: Session;
let orgs: OrgItem[];
let chengduOrg: OrgItem;
let chengduB1: OrgItem;
let mianyangOrg: OrgItem;
let memberId: number;
let clock: ReturnType<typeof drivenClock>;

interface Q {
  id: number;
  stem: string;
  answer: number[];
  explanation: string;
}

const QUESTIONS = [
  {
    type: 'single',
    stem: '预备党员的预备期为多长时间？',
    options: ['半年', '一年', '两年', '三年'],
    answer: [1],
    explanation: '党章第七条：预备期为一年。',
  },
  {
    type: 'true_false',
    stem: '正式党员不少于三人的单位应当成立党的基层组织。',
    answer: [0],
    explanation: '党章第三十条。',
  },
  {
    type: 'multiple',
    stem: '党的组织生活制度中的“三会一课”包括哪些？',
    options: ['支部党员大会', '支部委员会', '党小组会', '党课'],
    answer: [0, 1, 2, 3],
    explanation: '支部工作条例第十九条。',
  },
] as const;

async function xlsx(rows: (string | null)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('题库');
  ws.addRow(['题型', '题干', '选项A', '选项B', '选项C', '选项D', '选项E', '选项F', '答案', '解析', '专题']);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function importCall(s: Session, org: number, buf: Buffer, dryRun: boolean) {
  const mp = multipart(buf, 'file', 'questions.xlsx');
  return t.app.inject({
    method: 'POST',
    url: `/api/learning/questions/import?org=${org}${dryRun ? '&dryRun=1' : ''}`,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': mp.contentType },
    payload: mp.body,
  });
}

async function bankCount(org: number): Promise<number> {
  const res = await call(t, chengdu, 'GET', `/api/learning/questions?org=${org}&pageSize=1`);
  return (res.json() as { total: number }).total;
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  clock = drivenClock(t, Date.parse('2026-04-01T01:00:00Z'));
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  member = await login(t, 'member');
  orgs = await allOrgs(t, province);
  chengduOrg = orgs.find((o) => o.name === '成都市科学技术局机关党委')!;
  chengduB1 = orgs.find((o) => o.name === '成都市科学技术局机关第一党支部')!;
  mianyangOrg = orgs.find((o) => o.name === '绵阳市科学技术局机关党委')!;
  memberId = ((await call(t, member, 'GET', '/api/auth/me')).json() as { user: { memberId: number } }).user.memberId;
});

afterAll(async () => {
  await t?.close();
});

const bank: Q[] = [];
let paperId: number;

describe('question bank', () => {
  it('creates questions and checks answers against options', async () => {
    for (const q of QUESTIONS) {
      const res = await call(t, chengdu, 'POST', '/api/learning/questions', {
        orgId: chengduOrg.id,
        topics: ['党章党规'],
        ...q,
      });
      expect(res.statusCode, res.body).toBe(201);
      bank.push(res.json() as Q);
    }
    const bad = await call(t, chengdu, 'POST', '/api/learning/questions', {
      orgId: chengduOrg.id,
      type: 'single',
      stem: '一个答案不存在的题',
      options: ['甲', '乙'],
      answer: [3],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('answer');
    const two = await call(t, chengdu, 'POST', '/api/learning/questions', {
      orgId: chengduOrg.id,
      type: 'single',
      stem: '单选题却有两个答案',
      options: ['甲', '乙'],
      answer: [0, 1],
    });
    expect(two.statusCode).toBe(400);
    // the bank carries answers: members and secretaries cannot read it
    expect((await call(t, member, 'GET', '/api/learning/questions')).statusCode).toBe(403);
    expect((await call(t, branch, 'GET', '/api/learning/questions')).statusCode).toBe(403);
    expect((await call(t, chengdu, 'GET', `/api/learning/questions?org=${mianyangOrg.id}`)).statusCode).toBe(404);
  });

  it('imports from .xlsx: row errors name row and column, and change nothing; a good sheet commits all rows', async () => {
    const before = await bankCount(chengduOrg.id);
    const rows = [
      [
        '单选',
        '党的最高领导机关是？',
        '全国代表大会和它所产生的中央委员会',
        '中央政治局',
        '',
        '',
        '',
        '',
        'A',
        '党章第十条',
        '党章党规',
      ],
      ['多选', '多选只有一个答案', '甲', '乙', '丙', '', '', '', 'B', '', ''],
      ['填空', '不支持的题型', '', '', '', '', '', '', 'A', '', ''],
      ['判断', '党员大会须有半数以上党员到会方可召开。', '', '', '', '', '', '', '对', '支部工作条例', '支部工作条例'],
      ['单选', '答案字母越界', '甲', '乙', '', '', '', '', 'D', '', ''],
    ];
    const buf = await xlsx(rows);
    const preview = await importCall(chengdu, chengduOrg.id, buf, true);
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json() as {
      ok: boolean;
      rows: number;
      errors: { row: number; column: string; message: string }[];
    };
    expect(p.ok).toBe(false);
    expect(p.rows).toBe(5);
    expect(p.errors.map((e) => [e.row, e.column])).toEqual([
      [3, '答案'],
      [4, '题型'],
      [6, '答案'],
    ]);
    const commit = await importCall(chengdu, chengduOrg.id, buf, false);
    expect(commit.json()).toMatchObject({ ok: false, committed: false });
    expect(await bankCount(chengduOrg.id)).toBe(before);

    const good = await importCall(chengdu, chengduOrg.id, await xlsx([rows[0]!, rows[3]!]), false);
    expect(good.json()).toMatchObject({ ok: true, committed: true, created: 2 });
    expect(await bankCount(chengduOrg.id)).toBe(before + 2);
    // not an xlsx at all
    const junk = await importCall(chengdu, chengduOrg.id, Buffer.from('not a workbook'), true);
    expect(junk.statusCode).toBe(415);
    // the template downloads and re-imports as a preview without errors
    const tpl = await call(t, chengdu, 'GET', '/api/learning/questions/template');
    expect(tpl.statusCode).toBe(200);
    const again = await importCall(chengdu, chengduOrg.id, tpl.rawPayload, true);
    expect(again.json()).toMatchObject({ ok: true, errors: [] });
  });
});

describe('papers and attempts', () => {
  it('no response to the member carries answers or explanations before submission; the review does after', async () => {
    const res = await call(t, chengdu, 'POST', '/api/learning/papers', {
      orgId: chengduOrg.id,
      title: '党章知识测试',
      mode: 'fixed',
      questionIds: bank.map((q) => q.id),
      passMark: 60,
      attemptsAllowed: 2,
      timeLimitMinutes: 20,
    });
    expect(res.statusCode, res.body).toBe(201);
    paperId = res.json().id;

    const secrets = bank.flatMap((q) => [q.explanation]);
    const bodies: string[] = [];
    const list = await call(t, member, 'GET', '/api/learning/papers');
    bodies.push(list.body);
    expect((list.json() as { items: { id: number }[] }).items.map((p) => p.id)).toContain(paperId);
    bodies.push((await call(t, member, 'GET', `/api/learning/papers/${paperId}`)).body);
    const started = await call(t, member, 'POST', `/api/learning/papers/${paperId}/attempts`);
    expect(started.statusCode, started.body).toBe(201);
    bodies.push(started.body);
    const attempt = started.json() as { id: number; questions: { id: number; options: string[] }[]; review: null };
    expect(attempt.questions).toHaveLength(3);
    expect(attempt.review).toBeNull();
    bodies.push((await call(t, member, 'GET', `/api/learning/attempts/${attempt.id}`)).body);
    // starting again resumes the open attempt (200), it does not use up another
    const resumed = await call(t, member, 'POST', `/api/learning/papers/${paperId}/attempts`);
    expect(resumed.statusCode).toBe(200);
    expect(resumed.json().id).toBe(attempt.id);
    bodies.push(resumed.body);
    bodies.push((await call(t, member, 'GET', '/api/learning/home')).body);
    for (const body of bodies) {
      for (const s of secrets) expect(body).not.toContain(s);
      expect(body).not.toMatch(/"(answer|correctAnswer|explanation)"/);
    }

    // answer two of three correctly: 67 ≥ 60 passes
    const answers = bank.map((q, i) => ({ questionId: q.id, answer: i === 2 ? [0] : q.answer }));
    const sub = await call(t, member, 'POST', `/api/learning/attempts/${attempt.id}/submit`, { answers });
    expect(sub.statusCode, sub.body).toBe(200);
    const graded = sub.json() as {
      score: number;
      passed: boolean;
      correctCount: number;
      review: { correct: boolean; explanation: string; correctAnswer: number[] }[];
    };
    expect(graded).toMatchObject({ score: 67, passed: true, correctCount: 2 });
    expect(graded.review.map((r) => r.correct)).toEqual([true, true, false]);
    expect(graded.review[2]!.correctAnswer).toEqual([0, 1, 2, 3]);
    expect(graded.review[0]!.explanation).toBe(bank[0]!.explanation);
    // submitted once only
    expect((await call(t, member, 'POST', `/api/learning/attempts/${attempt.id}/submit`, { answers })).statusCode).toBe(
      409,
    );
    // another member cannot see this attempt
    expect((await call(t, branch, 'GET', `/api/learning/attempts/${attempt.id}`)).statusCode).toBe(404);
    // the quiz points came once
    const pts = await t.ctx.db
      .selectFrom('learning_points')
      .selectAll()
      .where('member_id', '=', memberId)
      .where('rule', '=', 'quiz_pass')
      .execute();
    expect(pts.map((p) => p.points)).toEqual([5]);
  });

  it('limits attempts; a late submission does not pass', async () => {
    const second = await call(t, member, 'POST', `/api/learning/papers/${paperId}/attempts`);
    expect(second.statusCode).toBe(201);
    clock.advance(21 * 60 + 31);
    const answers = bank.map((q) => ({ questionId: q.id, answer: q.answer }));
    const late = (
      await call(t, member, 'POST', `/api/learning/attempts/${second.json().id}/submit`, { answers })
    ).json();
    expect(late).toMatchObject({ score: 100, passed: false });
    expect((await call(t, member, 'POST', `/api/learning/papers/${paperId}/attempts`)).statusCode).toBe(409);
  });

  it('a random paper draws the requested number from the topic; too few in the bank is refused', async () => {
    const ok = await call(t, chengdu, 'POST', '/api/learning/papers', {
      orgId: chengduOrg.id,
      title: '随机组卷',
      mode: 'random',
      topic: '党章党规',
      questionCount: 2,
    });
    expect(ok.statusCode, ok.body).toBe(201);
    const a = await call(t, branch, 'POST', `/api/learning/papers/${ok.json().id}/attempts`);
    expect(a.json().questions).toHaveLength(2);
    const tooMany = await call(t, chengdu, 'POST', '/api/learning/papers', {
      orgId: chengduOrg.id,
      title: '题不够',
      mode: 'random',
      topic: '党章党规',
      questionCount: 99,
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.field).toBe('questionCount');
  });
});

describe('plans', () => {
  let lessonId: number;
  let planId: number;

  it('a plan for 成都 counts exactly 成都 subtree’s active members', async () => {
    const lesson = await upload(
      t,
      chengdu,
      '/api/learning/content',
      { kind: 'micro_lesson', title: '计划微党课', orgId: chengduOrg.id, duration: 60 },
      [{ field: 'file', filename: 'l.mp4', content: fakeMp4() }],
    );
    lessonId = lesson.json().id;
    await call(t, chengdu, 'POST', `/api/learning/content/${lessonId}/publish`);
    const res = await call(t, chengdu, 'POST', '/api/learning/plans', {
      orgId: chengduOrg.id,
      title: '2026年第二季度学习计划',
      dueOn: '2026-06-30',
      target: 'subtree',
      items: [{ contentId: lessonId }, { paperId }],
    });
    expect(res.statusCode, res.body).toBe(201);
    planId = res.json().id;
    const expected = await t.ctx.db
      .selectFrom('members')
      .innerJoin('org_closure', 'org_closure.descendant_id', 'members.org_id')
      .select('members.id')
      .where('org_closure.ancestor_id', '=', chengduOrg.id)
      .where('members.status', 'in', ACTIVE_STATUSES)
      .execute();
    const pr = await call(t, chengdu, 'GET', `/api/learning/plans/${planId}/progress`);
    expect(pr.statusCode, pr.body).toBe(200);
    const body = pr.json() as {
      assigned: number;
      completed: number;
      members: { memberId: number }[];
      orgs: { assigned: number }[];
    };
    expect(body.assigned).toBe(expected.length);
    expect(new Set(body.members.map((m) => m.memberId))).toEqual(new Set(expected.map((m) => m.id)));
    expect(body.orgs.reduce((n, o) => n + o.assigned, 0)).toBe(expected.length);
    expect(body.completed).toBe(0);
    // the branch secretary sees their branch's part only
    const b = await call(t, branch, 'GET', `/api/learning/plans/${planId}/progress`);
    expect(b.statusCode).toBe(200);
    const branchMembers = (b.json() as { members: { orgId: number }[] }).members;
    expect(branchMembers.length).toBeGreaterThan(0);
    expect(branchMembers.length).toBeLessThan(expected.length);
    expect(
      (await call(t, branch, 'GET', `/api/learning/plans/${planId}/progress?org=${chengduOrg.id}`)).statusCode,
    ).toBe(404);
    const x = await call(t, chengdu, 'GET', `/api/learning/plans/${planId}/progress/export`);
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-type']).toContain('spreadsheetml');
  });

  it('chengdu gets 404 for a 绵阳 plan and for 绵阳 as the report org', async () => {
    const p = await call(t, province, 'POST', '/api/learning/plans', {
      orgId: mianyangOrg.id,
      title: '绵阳学习计划',
      dueOn: '2026-06-30',
      target: 'subtree',
      items: [{ paperId: await mianyangPaper() }],
    });
    expect(p.statusCode, p.body).toBe(201);
    expect((await call(t, chengdu, 'GET', `/api/learning/plans/${p.json().id}/progress`)).statusCode).toBe(404);
    expect((await call(t, chengdu, 'GET', `/api/learning/plans/${p.json().id}`)).statusCode).toBe(404);
    expect(
      (await call(t, chengdu, 'GET', `/api/learning/plans/${planId}/progress?org=${mianyangOrg.id}`)).statusCode,
    ).toBe(404);
    expect((await call(t, member, 'GET', `/api/learning/plans/${planId}/progress`)).statusCode).toBe(403);
  });

  it('the member’s tasks list the plan; studying the lesson (passed quiz before) completes it and the rate rises', async () => {
    const home = (await call(t, member, 'GET', '/api/learning/home')).json() as {
      tasks: { planId: number; contentId: number | null }[];
      plans: { id: number; itemsDone: number; itemsTotal: number }[];
    };
    expect(home.tasks.some((x) => x.planId === planId && x.contentId === lessonId)).toBe(true);
    expect(home.plans.find((p) => p.id === planId)).toMatchObject({ itemsDone: 1, itemsTotal: 2 });
    const before = (await call(t, chengdu, 'GET', `/api/learning/plans/${planId}/progress`)).json() as {
      completed: number;
    };
    await beat(t, member, lessonId, 0);
    for (let pos = 15; pos <= 60; pos += 15) {
      clock.advance(15);
      await beat(t, member, lessonId, pos);
    }
    const after = (await call(t, chengdu, 'GET', `/api/learning/plans/${planId}/progress`)).json() as {
      completed: number;
      members: { memberId: number; completed: boolean }[];
    };
    expect(after.completed).toBe(before.completed + 1);
    expect(after.members.find((m) => m.memberId === memberId)?.completed).toBe(true);
    const home2 = (await call(t, member, 'GET', '/api/learning/home')).json() as {
      plans: { id: number; itemsDone: number }[];
    };
    expect(home2.plans.find((p) => p.id === planId)?.itemsDone).toBe(2);
  });

  it('a plan for posts counts the holders of those posts only', async () => {
    const res = await call(t, chengdu, 'POST', '/api/learning/plans', {
      orgId: chengduOrg.id,
      title: '支部书记专题学习',
      dueOn: '2026-07-31',
      target: 'posts',
      posts: ['secretary'],
      items: [{ contentId: lessonId }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const holders = await t.ctx.db
      .selectFrom('party_posts')
      .innerJoin('members', 'members.id', 'party_posts.member_id')
      .innerJoin('org_closure', 'org_closure.descendant_id', 'party_posts.org_id')
      .select('members.id')
      .distinct()
      .where('org_closure.ancestor_id', '=', chengduOrg.id)
      .where('party_posts.post', '=', 'secretary')
      .where('party_posts.ended_at', 'is', null)
      .where('members.status', 'in', ACTIVE_STATUSES)
      .execute();
    const pr = (await call(t, chengdu, 'GET', `/api/learning/plans/${res.json().id}/progress`)).json() as {
      assigned: number;
    };
    expect(pr.assigned).toBe(holders.length);
  });
});

describe('points', () => {
  it('caps the daily login points; org averages; rankings are off until an org turns them on', async () => {
    await call(t, member, 'GET', '/api/learning/home');
    await call(t, member, 'GET', '/api/learning/home');
    const me = (await call(t, member, 'GET', '/api/learning/points/me')).json() as {
      byRule: { rule: string; today: number }[];
    };
    expect(me.byRule.find((r) => r.rule === 'login')?.today).toBe(1);
    const avg = await call(t, member, 'GET', '/api/learning/points/orgs');
    expect(avg.statusCode).toBe(200);
    expect((await call(t, member, 'GET', `/api/learning/points/orgs?org=${mianyangOrg.id}`)).statusCode).toBe(404);
    const off = (await call(t, member, 'GET', '/api/learning/rankings')).json();
    expect(off).toMatchObject({ enabled: false, items: [] });
    expect((await call(t, member, 'PUT', `/api/learning/rankings/${chengduB1.id}`, { enabled: true })).statusCode).toBe(
      403,
    );
    expect(
      (await call(t, chengdu, 'PUT', `/api/learning/rankings/${chengduOrg.id}`, { enabled: true })).statusCode,
    ).toBe(200);
    const on = (await call(t, member, 'GET', '/api/learning/rankings')).json() as {
      enabled: boolean;
      items: unknown[];
      me: { rank: number } | null;
    };
    expect(on.enabled).toBe(true);
    expect(on.items.length).toBeGreaterThan(0);
    expect(on.me).not.toBeNull();
  });

  it('completion points stop at the daily cap', async () => {
    const rules = await call(t, chengdu, 'PUT', '/api/learning/points/rules', {
      orgId: chengduOrg.id,
      rules: [{ rule: 'content_complete', points: 2, dailyCap: 3, enabled: true }],
    });
    expect(rules.statusCode, rules.body).toBe(200);
    clock.set(Date.parse('2026-04-10T01:00:00Z'));
    for (let n = 0; n < 3; n++) {
      const l = await upload(
        t,
        chengdu,
        '/api/learning/content',
        { kind: 'micro_lesson', title: `封顶测试${n}`, orgId: chengduOrg.id, duration: 20 },
        [{ field: 'file', filename: 'l.mp4', content: fakeMp4() }],
      );
      const id = l.json().id;
      await call(t, chengdu, 'POST', `/api/learning/content/${id}/publish`);
      await beat(t, member, id, 0);
      clock.advance(20);
      expect((await beat(t, member, id, 20)).json().completed).toBe(true);
    }
    const me = (await call(t, member, 'GET', '/api/learning/points/me')).json() as {
      byRule: { rule: string; today: number; dailyCap: number }[];
    };
    expect(me.byRule.find((r) => r.rule === 'content_complete')).toMatchObject({ today: 3, dailyCap: 3 });
  });
});

async function mianyangPaper(): Promise<number> {
  const q = await call(t, province, 'POST', '/api/learning/questions', {
    orgId: mianyangOrg.id,
    type: 'true_false',
    stem: '绵阳题库测试题',
    answer: [0],
  });
  const p = await call(t, province, 'POST', '/api/learning/papers', {
    orgId: mianyangOrg.id,
    title: '绵阳测试卷',
    mode: 'fixed',
    questionIds: [q.json().id],
  });
  return p.json().id;
}
