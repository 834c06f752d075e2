/**
 * The learning demo (seedLearningDemo, called explicitly after the base demo): seeds once; the bank has ≥ 40
 * well-formed questions; the media of the manifest play (range requests give the file's own bytes); `member`
 * finds the 成都 micro-lesson plan with a quiz undone; completion across the tree is partial; without the media
 * folder only articles are seeded and the plans still exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEARNING_MEDIA_DIR, seedLearningDemo } from '../../src/server/demo/learning-demo.js';
import { todayInShanghai } from '../../src/shared/dates.js';
import { call, createTestApp, login, type Session, type TestApp } from '../helpers/app.js';

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const hasMedia = fs.existsSync(path.join(LEARNING_MEDIA_DIR, 'manifest.json'));

let t: TestApp;
let member: Session;
let chengdu: Session;
let province: Session;

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const today = todayInShanghai();
  const first = await t.ctx.db
    .transaction()
    .execute((trx) => seedLearningDemo(trx, prng(5), today, { dataDir: t.dataDir }));
  expect(first.questions).toBeGreaterThanOrEqual(40);
  const again = await t.ctx.db
    .transaction()
    .execute((trx) => seedLearningDemo(trx, prng(5), today, { dataDir: t.dataDir }));
  expect(again).toEqual({ content: 0, questions: 0, plans: 0 });
  member = await login(t, 'member');
  chengdu = await login(t, 'chengdu');
  province = await login(t, 'province');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('learning demo', () => {
  it('has a bank of ≥ 40 questions whose answers fit their options, each with an explanation', async () => {
    const res = await call(t, province, 'GET', '/api/learning/questions?pageSize=200');
    const items = (
      res.json() as { items: { type: string; options: string[]; answer: number[]; explanation: string }[] }
    ).items;
    expect(items.length).toBeGreaterThanOrEqual(40);
    for (const q of items) {
      expect(q.explanation.length).toBeGreaterThan(3);
      expect(q.answer.every((a) => a < q.options.length)).toBe(true);
      if (q.type === 'multiple') expect(q.answer.length).toBeGreaterThanOrEqual(2);
      else expect(q.answer).toHaveLength(1);
    }
  });

  it('the library has the source report, and the manifest’s media play with range requests', async () => {
    const list = (await call(t, member, 'GET', '/api/learning/content?pageSize=100')).json() as {
      items: { id: number; kind: string; title: string; mediaUrl: string | null; duration: number | null }[];
    };
    expect(list.items.some((i) => i.kind === 'article' && i.title.includes('基层党建工作培训座谈会'))).toBe(true);
    if (!hasMedia) return;
    const manifest = JSON.parse(fs.readFileSync(path.join(LEARNING_MEDIA_DIR, 'manifest.json'), 'utf8')) as {
      file: string;
      title: string;
      kind: string;
    }[];
    for (const m of manifest) {
      const item = list.items.find((i) => i.title === m.title);
      expect(item, m.title).toBeDefined();
      expect(item!.kind).toBe(m.kind);
      const bytes = fs.readFileSync(path.join(LEARNING_MEDIA_DIR, m.file));
      const part = await t.app.inject({
        method: 'GET',
        url: item!.mediaUrl!,
        headers: { cookie: member.cookie, range: 'bytes=0-1023' },
      });
      expect(part.statusCode).toBe(206);
      expect(part.rawPayload.equals(bytes.subarray(0, 1024))).toBe(true);
    }
  });

  it('member has the 成都 plan with a micro-lesson and a quiz to do', async () => {
    const home = (await call(t, member, 'GET', '/api/learning/home')).json() as {
      tasks: { planTitle: string; kind: string; paperId: number | null }[];
      plans: { title: string; itemsDone: number; itemsTotal: number; daysLeft: number }[];
    };
    const plan = home.plans.find((p) => p.title.startsWith('成都市科技局冬季学习计划'));
    expect(plan).toMatchObject({ itemsDone: 0, itemsTotal: 2 });
    expect(plan!.daysLeft).toBeGreaterThan(0);
    const kinds = home.tasks.filter((x) => x.planTitle.startsWith('成都市科技局冬季'));
    expect(kinds.map((k) => k.kind).sort()).toEqual(hasMedia ? ['micro_lesson', 'paper'] : ['article', 'paper']);
  });

  it('completion is partial across the tree and 成都 sees its own part', async () => {
    const plans = (await call(t, province, 'GET', '/api/learning/plans')).json() as {
      items: { id: number; title: string; report: { assigned: number; completed: number } }[];
    };
    expect(plans.items.length).toBeGreaterThanOrEqual(3);
    const year = plans.items.find((p) => p.title.includes('全省科技系统党员学习计划'))!;
    expect(year.report.completed).toBeGreaterThan(0);
    expect(year.report.completed).toBeLessThan(year.report.assigned);
    const city = (await call(t, chengdu, 'GET', `/api/learning/plans/${year.id}/progress`)).json() as {
      org: { name: string };
      assigned: number;
      orgs: { assigned: number; rate: number }[];
    };
    expect(city.org.name).toBe('成都市科学技术局机关党委');
    expect(city.assigned).toBeGreaterThan(0);
    expect(city.assigned).toBeLessThan(year.report.assigned);
    const rates = new Set(city.orgs.map((o) => o.rate));
    expect(rates.size).toBeGreaterThan(1);
    // study hours on the ledger come from the demo completions
    const hours = await t.ctx.db.selectFrom('training_hours').select('id').where('ref', 'like', 'learning:%').execute();
    expect(hours.length).toBeGreaterThan(0);
  });
});

describe('learning demo without media', () => {
  it('seeds the articles and the plans only', async () => {
    const t2 = await createTestApp({ demo: true });
    try {
      const r = await t2.ctx.db
        .transaction()
        .execute((trx) =>
          seedLearningDemo(trx, prng(7), todayInShanghai(), { dataDir: t2.dataDir, mediaDir: '/nonexistent' }),
        );
      expect(r.plans).toBe(3);
      const kinds = await t2.ctx.db.selectFrom('learning_content').select('kind').distinct().execute();
      expect(kinds.map((k) => k.kind)).toEqual(['article']);
    } finally {
      await t2.close();
    }
  }, 120_000);
});
