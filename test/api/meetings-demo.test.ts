/**
 * The meetings demo (src/server/demo/meetings-demo.ts) on the demo tree: a year of records and the plan ahead, with
 * the stories the compliance overview needs (branches behind, 党员大会 without quorum, short and copied minutes),
 * consistent with what the meetings API itself would store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoActivity } from '../../src/server/demo/activity.js';
import { seedMeetingsDemo } from '../../src/server/demo/meetings-demo.js';
import { quorumForMany } from '../../src/server/modules/meetings/quorum.js';
import { todayInShanghai } from '../../src/shared/dates.js';
import { allOrgs, call, createTestApp, login, type TestApp } from '../helpers/app.js';

let t: TestApp;
let activity: { meetings: number; exemptions: number; learning: number };

/** mulberry32, as the demo uses */
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

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  // what `npm start` runs after the base demo: meetings, exemptions, then the compliance rebuild
  activity = await seedDemoActivity(t.ctx.db, { dataDir: t.dataDir });
}, 180_000);

afterAll(async () => {
  await t?.close();
});

describe('meetings demo', () => {
  it('seeds a year of meetings for every branch, once', async () => {
    expect(activity.meetings).toBeGreaterThan(0);
    expect(activity.exemptions).toBe(2);
    expect(activity.learning).toBeGreaterThan(5); // articles and the media of learning-media/manifest.json
    const rerun = await seedDemoActivity(t.ctx.db, { dataDir: t.dataDir });
    expect(rerun).toEqual({ meetings: 0, exemptions: 0, learning: 0 });
    const again = await t.ctx.db.transaction().execute((trx) => seedMeetingsDemo(trx, prng(1), todayInShanghai()));
    expect(again.meetings).toBe(0);
    const branches = await t.ctx.db.selectFrom('orgs').select('id').where('kind', '=', 'branch').execute();
    const withMeetings = await t.ctx.db.selectFrom('meetings').select('org_id').distinct().execute();
    const held = new Set(withMeetings.map((r) => r.org_id));
    expect(branches.every((b) => held.has(b.id))).toBe(true);
    const statuses = await t.ctx.db
      .selectFrom('meetings')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const by = Object.fromEntries(statuses.map((s) => [s.status, Number(s.n)]));
    expect(by.submitted).toBeGreaterThan(branches.length * 12);
    expect(by.planned).toBeGreaterThan(0);
  });

  it('keeps meeting_types in step with the meetings (org and local date)', async () => {
    const mismatched = await t.ctx.db
      .selectFrom('meeting_types as t')
      .innerJoin('meetings as m', 'm.id', 't.meeting_id')
      .select('m.id')
      .where((eb) =>
        eb.or([eb('t.org_id', '!=', eb.ref('m.org_id')), eb('t.local_date', '!=', eb.ref('m.local_date'))]),
      )
      .execute();
    expect(mismatched).toEqual([]);
    const types = await t.ctx.db.selectFrom('meeting_types').select('type').distinct().execute();
    expect(types.map((r) => r.type).sort()).toEqual(
      ['committee', 'group', 'lecture', 'life_meeting', 'party_congress', 'review', 'theme_day'].sort(),
    );
  });

  it('has 党员大会 without quorum, short minutes and copied minutes', async () => {
    const congresses = await t.ctx.db
      .selectFrom('meeting_types')
      .innerJoin('meetings', 'meetings.id', 'meeting_types.meeting_id')
      .select('meetings.id')
      .where('meeting_types.type', '=', 'party_congress')
      .where('meetings.status', '=', 'submitted')
      .execute();
    const q = await quorumForMany(
      t.ctx.db,
      congresses.map((c) => c.id),
      'full_members',
    );
    const without = [...q.values()].filter((x) => !x.met).length;
    expect(without).toBeGreaterThan(0);
    expect(without).toBeLessThan(congresses.length / 3);
    const short = await t.ctx.db
      .selectFrom('meetings')
      .select('id')
      .where('status', '=', 'submitted')
      .where('minutes_length', '<', 20)
      .execute();
    expect(short.length).toBeGreaterThan(0);
    const copied = await t.ctx.db
      .selectFrom('meetings')
      .select(['minutes_hash', (eb) => eb.fn.countAll<number>().as('n')])
      .where('minutes_hash', 'is not', null)
      .where('minutes_length', '>=', 20)
      .groupBy('minutes_hash')
      .having((eb) => eb.fn.countAll(), '>', 1)
      .execute();
    expect(copied.length).toBeGreaterThan(0);
  });

  it('the demo member sees their branch’s records and upcoming meetings; records export', async () => {
    const member = await login(t, 'member');
    const list = await call(t, member, 'GET', '/api/meetings?status=submitted&pageSize=5');
    expect(list.statusCode, list.body).toBe(200);
    const items = (list.json() as { items: { id: number; attendance: { total: number } }[]; total: number }).items;
    expect(items.length).toBe(5);
    expect(items.every((m) => m.attendance.total > 0)).toBe(true);
    const upcoming = await call(t, member, 'GET', '/api/meetings/upcoming');
    expect((upcoming.json() as { items: unknown[] }).items.length).toBeGreaterThan(0);
    const docx = await call(t, member, 'GET', `/api/meetings/${items[0]!.id}/record.docx`);
    expect(docx.statusCode).toBe(200);
  });

  it('the overview tells a story: met, missed, held without quorum and exempt in last quarter', async () => {
    const province = await login(t, 'province');
    const root = (await allOrgs(t, province)).find((o) => o.parentId === null)!;
    const today = todayInShanghai();
    const q = Math.ceil(Number(today.slice(5, 7)) / 3);
    const last = q === 1 ? `${Number(today.slice(0, 4)) - 1}-Q4` : `${today.slice(0, 4)}-Q${q - 1}`;
    const total = async (status: string, type?: string) => {
      const typeParam = type ? `&type=${type}` : '';
      const url = `/api/compliance?org=${root.id}&period=${last}&status=${status}${typeParam}&pageSize=1`;
      const res = await call(t, province, 'GET', url);
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { total: number }).total;
    };
    for (const s of ['met', 'missed', 'no_quorum', 'exempt']) expect(await total(s), s).toBeGreaterThan(0);
    // the quarter is closed: its quarterly rules are decided (yearly ones stay pending until the year ends)
    expect(await total('pending', 'party_congress')).toBe(0);
    expect(await total('pending', 'lecture')).toBe(0);
    const res = await call(t, province, 'GET', `/api/compliance?org=${root.id}&period=${last}`);
    const summary = (res.json() as { summary: { orgs: number; met: number; rate: number; behind: number } }).summary;
    // some organisations meet every rule of the quarter and some fall behind
    expect(summary.rate).toBeGreaterThan(0);
    expect(summary.rate).toBeLessThan(1);
    expect(summary.behind).toBeGreaterThan(0);
  });
});
