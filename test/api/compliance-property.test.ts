/**
 * Property: after any sequence of meeting writes through the meetings service (the functions its routes call, each in
 * its own transaction: add, correct (types, date, attendance), submit, delete), the incrementally maintained
 * compliance_results, compliance_rollups and quorum cache equal a from-scratch recomputation exactly. Seeded PRNG,
 * several seeds, ≥200 steps each, one of them with the engine's date moved into last year.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src/server/errors.js';
import * as engine from '../../src/server/modules/compliance/compliance.engine.js';
import * as meetings from '../../src/server/modules/meetings/meetings.service.js';
import { todayInShanghai } from '../../src/shared/dates.js';
import type { MeetingType } from '../../src/shared/meetings.js';
import { seeded } from '../fixtures/members.js';
import { allOrgs, createTestApp, login, type OrgItem, type TestApp } from '../helpers/app.js';

const STEPS = 220;
const BRANCH_TYPES: MeetingType[] = [
  'party_congress',
  'committee',
  'lecture',
  'theme_day',
  'life_meeting',
  'review',
  'talk',
];
const today = todayInShanghai();
const year = Number(today.slice(0, 4));

let t: TestApp;
/** orgs the sequence writes to, with who may be recorded there */
let targets: { org: OrgItem; roster: number[] }[];

interface Tracked {
  id: number;
  orgIndex: number;
  submitted: boolean;
  startsAt: string;
  attendees: number;
}

async function snapshot() {
  const q = async (text: string) => (await sql.raw(text).execute(t.ctx.db)).rows.map((r) => JSON.stringify(r)).sort();
  return {
    results: await q(
      'SELECT org_id, type, period, status, held, held_with_quorum, behind FROM compliance_results ORDER BY 1, 2, 3',
    ),
    rollups: await q('SELECT * FROM compliance_rollups ORDER BY 1, 2, 3'),
    quorum: await q('SELECT * FROM compliance_meeting_quorum ORDER BY 1'),
  };
}

function run(seed: number, asOf: string | null) {
  return async () => {
    const rand = seeded(seed);
    const int = (n: number) => Math.floor(rand() * n);
    const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
    if (asOf) await engine.refresh(t.ctx.db, asOf);
    const live: Tracked[] = [];
    const ops = { add: 0, submit: 0, correct: 0, delete: 0, refused: 0 };

    const when = () => {
      // mostly inside the tracked years, a few in the next weeks (plans), one in a while before them
      const y = rand() < 0.05 ? year - 2 : pick([year - 1, year]);
      const month = 1 + int(12);
      const day = 1 + int(28);
      const date = `${y}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
      const hour = String(8 + int(10)).padStart(2, '0');
      return { startsAt: `${date}T${hour}:00:00+08:00`, endsAt: `${date}T${hour}:55:00+08:00` };
    };
    const typesFor = (o: OrgItem): MeetingType[] => {
      if (o.kind === 'group') return ['group'];
      const n = 1 + int(3);
      return [...new Set(Array.from({ length: n }, () => pick(BRANCH_TYPES)))];
    };
    const attendance = (roster: number[]) => {
      const people = roster.filter(() => rand() < 0.8);
      return people.map((memberId) => {
        const r = rand();
        return r < 0.6
          ? { memberId, status: 'present' as const }
          : r < 0.8
            ? { memberId, status: 'leave' as const, reason: '出差' }
            : { memberId, status: 'absent' as const };
      });
    };
    const past = (m: { startsAt: string }) => new Date(m.startsAt).getTime() < Date.now();
    const write = async (fn: (trx: Parameters<typeof meetings.create>[0]) => Promise<void>) => {
      try {
        await t.ctx.db.transaction().execute(fn);
        return true;
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        ops.refused++;
        return false;
      }
    };

    for (let step = 0; step < STEPS; step++) {
      const r = rand();
      const submittable = live.filter((m) => !m.submitted && past(m) && m.attendees > 0);
      const deletable = live.filter((m) => !m.submitted);
      if (r < 0.35 || live.length === 0) {
        const orgIndex = int(targets.length);
        const { org, roster } = targets[orgIndex]!;
        const attendees = attendance(roster);
        const w = when();
        let id = 0;
        const ok = await write(async (trx) => {
          id = await meetings.create(
            trx,
            {
              orgId: org.id,
              types: typesFor(org),
              title: `属性测试会议${seed}-${step}`,
              ...w,
              hostId: roster[0],
              recorderId: roster[1] ?? roster[0],
              attendees,
              minutes:
                rand() < 0.5
                  ? '<p>学习讨论，交流发言。</p>'
                  : `<p>${'认真学习并讨论了有关精神。'.repeat(1 + int(20))}</p>`,
              status: rand() < 0.3 ? 'planned' : 'draft',
            },
            'property',
          );
          if (past(w) && attendees.length > 0 && rand() < 0.6) await meetings.submit(trx, id, 'property');
        });
        if (ok) {
          const m = await meetings.get(t.ctx.db, id);
          live.push({
            id,
            orgIndex,
            submitted: m.status === 'submitted',
            startsAt: w.startsAt,
            attendees: attendees.length,
          });
          ops.add++;
        }
      } else if (r < 0.5 && submittable.length > 0) {
        const m = pick(submittable);
        if (await write((trx) => meetings.submit(trx, m.id, 'property'))) {
          m.submitted = true;
          ops.submit++;
        }
      } else if (r < 0.8) {
        const m = pick(live);
        const { org, roster } = targets[m.orgIndex]!;
        const patch: Parameters<typeof meetings.update>[2] = {};
        if (rand() < 0.5) patch.types = typesFor(org);
        if (rand() < 0.5) Object.assign(patch, when());
        if (rand() < 0.6 || Object.keys(patch).length === 0) patch.attendees = attendance(roster);
        if (m.submitted) patch.correctionReason = '更正会议记录';
        if (await write((trx) => meetings.update(trx, m.id, patch, 'property').then(() => undefined))) {
          if (patch.startsAt) m.startsAt = patch.startsAt;
          if (patch.attendees) m.attendees = patch.attendees.length;
          ops.correct++;
        }
      } else if (deletable.length > 0) {
        const m = pick(deletable);
        if (await write((trx) => meetings.remove(trx, m.id).then(() => undefined))) {
          live.splice(live.indexOf(m), 1);
          ops.delete++;
        }
      }
    }
    expect(ops.add + ops.submit + ops.correct + ops.delete).toBeGreaterThan(STEPS * 0.8);
    expect(ops.add).toBeGreaterThan(20);
    expect(ops.correct).toBeGreaterThan(20);
    expect(ops.delete).toBeGreaterThan(5);
    expect(live.filter((m) => m.submitted).length).toBeGreaterThan(10);

    const state = await engine.refresh(t.ctx.db, asOf ?? today);
    const incremental = await snapshot();
    await engine.recomputeAll(t.ctx.db, { today: state.asOf });
    const scratch = await snapshot();
    expect(incremental.results.length).toBeGreaterThan(1000);
    expect(incremental.quorum.length).toBeGreaterThan(0);
    for (const k of ['results', 'rollups', 'quorum'] as const) {
      const a = new Set(incremental[k]);
      const b = new Set(scratch[k]);
      expect(
        incremental[k].filter((x) => !b.has(x)),
        `${k}: maintained rows missing from a from-scratch recomputation`,
      ).toEqual([]);
      expect(
        scratch[k].filter((x) => !a.has(x)),
        `${k}: from-scratch rows the maintenance did not produce`,
      ).toEqual([]);
    }
  };
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  const province = await login(t, 'province');
  const orgs = await allOrgs(t, province);
  const byName = (name: string) => orgs.find((o) => o.name === name)!;
  const b1 = byName('成都市科学技术局机关第一党支部');
  const officeBranch = orgs.find((o) => o.name === '办公室党支部' && o.parentId !== null)!;
  const picked = [
    b1,
    orgs.find((o) => o.parentId === b1.id && o.kind === 'group')!,
    byName('成都市科学技术局机关第二党支部'),
    byName('绵阳市科学技术局机关第一党支部'),
    officeBranch,
    orgs.find((o) => o.parentId === officeBranch.id && o.kind === 'group')!,
  ];
  targets = [];
  for (const org of picked) {
    // a 党小组 records members of its branch (the roster keeps them there)
    const rosterOrg = org.kind === 'group' ? org.parentId! : org.id;
    const rows = await t.ctx.db
      .selectFrom('members')
      .select('id')
      .where('org_id', '=', rosterOrg)
      .where('status', 'in', ['normal', 'floating', 'abroad'])
      .orderBy('id')
      .execute();
    targets.push({ org, roster: rows.map((r) => r.id) });
  }
  expect(targets.every((x) => x.roster.length >= 3)).toBe(true);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('incremental maintenance equals a from-scratch recomputation', () => {
  it('seed 1', run(20260101, null), 300_000);
  it('seed 2, with the engine’s date in the middle of last year', run(7, `${year - 1}-08-15`), 300_000);
  it('seed 3', run(4242, null), 300_000);
});
