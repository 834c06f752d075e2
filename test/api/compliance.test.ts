/**
 * The compliance engine through the API, on the demo tree (SQLite and PostgreSQL): the quorum example (5 full members:
 * 2 present → no_quorum, 3 → met), an override of 党课 for 成都's subtree that changes 成都's results and nobody
 * else's, exemptions requested by the branch and decided only by the level above, pending vs missed as the day moves,
 * rollups equal to counting the items, those behind, quality signals for the level above, the to-do list, scope, and
 * the org hooks keeping the rollups right. Dates are relative to today so the suite does not age.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runComplianceCommand } from '../../src/server/modules/compliance/compliance.cli.js';
import { seedComplianceDemo } from '../../src/server/modules/compliance/compliance.demo.js';
import * as engine from '../../src/server/modules/compliance/compliance.engine.js';
import * as hooks from '../../src/server/modules/compliance/compliance.hooks.js';
import { lastDay } from '../../src/server/modules/compliance/compliance.periods.js';
import * as service from '../../src/server/modules/compliance/compliance.service.js';
import { addMonths, todayInShanghai } from '../../src/shared/dates.js';
import { parsePeriod, periodOf } from '../../src/shared/meetings.js';
import { people, rowFor } from '../fixtures/members.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

interface Item {
  orgId: number;
  orgName: string;
  type: string;
  status: string;
  source: string;
  held: number;
  heldWithQuorum: number;
}
interface TypeSummary {
  orgs: number;
  met: number;
  missed: number;
  pending: number;
  exempt: number;
  no_quorum: number;
  rate: number;
  color: string;
}
interface Overview {
  org: number;
  period: string;
  open: boolean;
  summary: {
    orgs: number;
    met: number;
    rate: number;
    behind: number;
    pending: number;
    exempt: number;
    color: string;
    byType: Record<string, TypeSummary>;
  };
  items: Item[];
  total: number;
}

let t: TestApp;
let province: Session;
let chengdu: Session;
let branch: Session;
let member: Session;
let orgs: OrgItem[];
let root: OrgItem;
let chengduOrg: OrgItem;
let chengduB1: OrgItem;
let chengduB2: OrgItem;
let mianyang: OrgItem;
let mianyangB1: OrgItem;
let seq = 0;

const today = todayInShanghai();
const year = Number(today.slice(0, 4));
/** the quarter before this one: always over, always tracked */
const prevQuarter = periodOf(addMonths(today, -3), 'quarter');
const prevMonth = periodOf(addMonths(today, -1), 'month');
const usedNumbers = new Set<string>();

const byName = (name: string) => {
  const o = orgs.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};

/** A local date inside a period, `offset` days after its start, as a Shanghai morning instant. */
function at(period: string, offset = 14, hour = 9) {
  const d = new Date(`${parsePeriod(period).from}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + offset);
  const day = d.toISOString().slice(0, 10);
  const hh = String(hour).padStart(2, '0');
  return { startsAt: `${day}T${hh}:00:00+08:00`, endsAt: `${day}T${hh}:59:00+08:00` };
}

async function overview(s: Session, org: number, period: string, extra = ''): Promise<Overview> {
  const res = await call(t, s, 'GET', `/api/compliance?org=${org}&period=${period}&pageSize=1000${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Overview;
}

/** Every item of a subtree and period, all pages. */
async function allItems(s: Session, org: number, period: string): Promise<{ first: Overview; items: Item[] }> {
  const first = await overview(s, org, period);
  const items = [...first.items];
  for (let page = 2; items.length < first.total; page++) {
    items.push(...(await overview(s, org, period, `&page=${page}`)).items);
  }
  return { first, items };
}

/** A new branch under `parent`, created through the API (the org hook is called too: idempotent). */
async function newBranch(parent: OrgItem, name: string): Promise<OrgItem> {
  const res = await call(t, province, 'POST', '/api/orgs', { parentId: parent.id, name, kind: 'branch' });
  expect(res.statusCode, res.body).toBe(201);
  const o = res.json() as OrgItem;
  await t.ctx.db.transaction().execute((trx) => hooks.onOrgCreated(trx, o.id));
  return o;
}

/** Full members on an org, through the roster API. */
async function newMembers(o: OrgItem, n: number): Promise<number[]> {
  const ids: number[] = [];
  for (const p of people(n, 9000 + ++seq * 31, '510104', usedNumbers)) {
    const row = rowFor(p, o.name);
    const res = await call(t, province, 'POST', '/api/members', {
      name: p.name,
      gender: p.gender,
      ethnicity: '汉族',
      birthDate: p.birthDate,
      idNumber: p.idNumber,
      phone: p.phone,
      orgId: o.id,
      category: 'full',
      joinedAt: row.入党日期,
      fullAt: row.转正日期,
    });
    expect(res.statusCode, res.body).toBe(201);
    ids.push((res.json() as { id: number }).id);
  }
  return ids;
}

interface MeetingSpec {
  orgId: number;
  types: string[];
  when: { startsAt: string; endsAt: string };
  members: number[];
  present: number;
  minutes?: string;
  resolutions?: { text: string; votesFor: number; votesAgainst: number; abstentions: number }[];
  title?: string;
}

const LONG_MINUTES =
  '<p>会议由支部书记主持。全体党员认真学习了党的二十届四中全会精神和《中国共产党支部工作条例（试行）》，' +
  '围绕以高质量党建引领科技自立自强、推动党建与业务深度融合开展了讨论。大家结合各自岗位实际踊跃发言，' +
  '交流了服务科技企业、推进成果转化、助力乡村振兴中的经验和不足，查找了组织生活“读报纸、念文件”的问题，' +
  '提出了改进措施：一是每月固定主题党日；二是党课由书记带头讲；三是建立问题清单，整改到位后销号。' +
  '会议还研究了下一阶段的学习安排，明确了责任人和完成时限，要求全体党员守土有责、守土负责、守土尽责。</p>';

/** A meeting recorded and submitted through the meetings API; returns its id. */
async function hold(s: Session, m: MeetingSpec): Promise<number> {
  const res = await call(t, s, 'POST', '/api/meetings', {
    orgId: m.orgId,
    types: m.types,
    title: m.title ?? `组织生活测试${++seq}`,
    ...m.when,
    hostId: m.members[0],
    recorderId: m.members[1] ?? m.members[0],
    attendees: m.members.map((id, i) => ({ memberId: id, status: i < m.present ? 'present' : 'absent' })),
    minutes: m.minutes ?? LONG_MINUTES,
    resolutions: m.resolutions ?? [],
  });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: number }).id;
  const sub = await call(t, s, 'POST', `/api/meetings/${id}/submit`);
  expect(sub.statusCode, sub.body).toBe(200);
  return id;
}

/** Every result row, keyed, without timestamps. */
async function resultRows(): Promise<Map<string, string>> {
  const rows = await sql<Record<string, unknown>>`SELECT org_id, type, period, status, held, held_with_quorum, behind
    FROM compliance_results`.execute(t.ctx.db);
  return new Map(
    rows.rows.map((r) => [
      `${r.org_id}|${r.type}|${r.period}`,
      `${r.status}|${Number(r.held)}|${Number(r.held_with_quorum)}|${Number(r.behind)}`,
    ]),
  );
}

async function rollupRows(): Promise<Map<string, string>> {
  const rows = await sql<Record<string, unknown>>`SELECT * FROM compliance_rollups`.execute(t.ctx.db);
  return new Map(
    rows.rows.map((r) => [
      `${r.ancestor_id}|${r.type}|${r.period}`,
      ['met', 'missed', 'pending', 'exempt', 'no_quorum'].map((k) => Number(r[k])).join('|'),
    ]),
  );
}

function diffKeys(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k));
}

/** The maintained tables equal a from-scratch recomputation for the same date. */
async function expectConsistent() {
  const [r1, u1] = [await resultRows(), await rollupRows()];
  const state = await engine.refresh(t.ctx.db);
  await engine.recomputeAll(t.ctx.db, { today: state.asOf });
  const [r2, u2] = [await resultRows(), await rollupRows()];
  expect(diffKeys(r1, r2), 'results differ from a from-scratch recomputation').toEqual([]);
  expect(diffKeys(u1, u2), 'rollups differ from a from-scratch recomputation').toEqual([]);
}

async function subtreeIds(rootId: number): Promise<Set<number>> {
  const rows = await t.ctx.db
    .selectFrom('org_closure')
    .select('descendant_id')
    .where('ancestor_id', '=', rootId)
    .execute();
  return new Set(rows.map((r) => r.descendant_id));
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  member = await login(t, 'member');
  orgs = await allOrgs(t, province);
  root = orgs.find((o) => o.parentId === null)!;
  chengduOrg = byName('成都市科学技术局机关党委');
  chengduB1 = byName('成都市科学技术局机关第一党支部');
  chengduB2 = byName('成都市科学技术局机关第二党支部');
  mianyang = byName('绵阳市科学技术局机关党委');
  mianyangB1 = byName('绵阳市科学技术局机关第一党支部');
}, 120_000);

afterAll(async () => {
  await t?.close();
});

describe('quorum: a branch with 5 full members', () => {
  it('a 党员大会 with 2 present: the quarter is no_quorum (not met, and says so); corrected to 3 present: met', async () => {
    const b = await newBranch(chengduOrg, '法定人数示例党支部');
    const five = await newMembers(b, 5);
    const id = await hold(chengdu, {
      orgId: b.id,
      types: ['party_congress'],
      when: at(prevQuarter),
      members: five,
      present: 2,
    });
    const before = await overview(chengdu, b.id, prevQuarter);
    const congress = before.items.find((i) => i.type === 'party_congress')!;
    expect(congress).toMatchObject({ orgId: b.id, status: 'no_quorum', held: 1, heldWithQuorum: 0 });
    expect(before.summary.byType.party_congress).toMatchObject({ orgs: 1, no_quorum: 1, met: 0, rate: 0 });
    expect(before.summary.met).toBe(0);

    const fixed = await call(t, chengdu, 'PATCH', `/api/meetings/${id}`, {
      attendees: five.map((m, i) => ({ memberId: m, status: i < 3 ? 'present' : 'absent' })),
      correctionReason: '补录出席情况：一名党员签到遗漏',
    });
    expect(fixed.statusCode, fixed.body).toBe(200);
    const after = await overview(chengdu, b.id, prevQuarter);
    expect(after.items.find((i) => i.type === 'party_congress')).toMatchObject({
      status: 'met',
      held: 1,
      heldWithQuorum: 1,
    });
    expect(after.summary.byType.party_congress).toMatchObject({ orgs: 1, met: 1, rate: 1 });
  });

  it('a branch whose 党员大会 had 3 of 5 present meets the rule at once', async () => {
    const b = await newBranch(chengduOrg, '法定人数示例第二党支部');
    const five = await newMembers(b, 5);
    await hold(chengdu, { orgId: b.id, types: ['party_congress'], when: at(prevQuarter), members: five, present: 3 });
    const o = await overview(chengdu, b.id, prevQuarter);
    expect(o.items.find((i) => i.type === 'party_congress')?.status).toBe('met');
    // the other types of the quarter were not held: missed, and the org is behind overall
    expect(o.items.find((i) => i.type === 'lecture')?.status).toBe('missed');
    expect(o.summary).toMatchObject({ orgs: 1, met: 0, behind: 1 });
    await expectConsistent();
  });
});

describe('rules: 党课 twice a year for 成都', () => {
  it('an override for 成都 changes the results of 成都 orgs and nobody else’s; deleting it restores them', async () => {
    const before = await resultRows();
    const res = await call(t, chengdu, 'POST', '/api/compliance/rules', {
      orgId: chengduOrg.id,
      type: 'lecture',
      frequency: 'half_year',
      times: 1,
      quorum: 'none',
      appliesTo: 'branch',
      effectiveFrom: `${year}-01-01`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const rule = res.json() as { id: number; source: string; scopeOrgId: number };
    expect(rule).toMatchObject({ source: 'override', scopeOrgId: chengduOrg.id });
    const after = await resultRows();
    const changed = diffKeys(before, after);
    const chengduTree = await subtreeIds(chengduOrg.id);
    expect(changed.length).toBeGreaterThan(0);
    const outside = changed.filter((k) => !chengduTree.has(Number(k.split('|')[0])));
    expect(outside, 'results changed outside 成都').toEqual([]);
    // 成都 branches: half-year rows this year, no quarters; last year still quarterly. 绵阳 unchanged.
    expect(after.has(`${chengduB1.id}|lecture|${year}-H1`)).toBe(true);
    expect(after.has(`${chengduB1.id}|lecture|${year}-Q1`)).toBe(false);
    expect(after.has(`${chengduB1.id}|lecture|${year - 1}-Q1`)).toBe(true);
    expect(after.has(`${mianyangB1.id}|lecture|${year}-Q1`)).toBe(true);
    expect(after.has(`${mianyangB1.id}|lecture|${year}-H1`)).toBe(false);

    const rules = await call(t, branch, 'GET', `/api/compliance/rules?org=${chengduB1.id}`);
    expect(rules.statusCode, rules.body).toBe(200);
    const lecture = (rules.json() as { items: { type: string; frequency: string; source: string }[] }).items.find(
      (r) => r.type === 'lecture',
    );
    expect(lecture).toMatchObject({ frequency: 'half_year', source: 'override' });
    const elsewhere = await call(t, province, 'GET', `/api/compliance/rules?org=${mianyangB1.id}`);
    const mianyangLecture = (
      elsewhere.json() as { items: { type: string; frequency: string; source: string }[] }
    ).items.find((r) => r.type === 'lecture');
    expect(mianyangLecture).toMatchObject({ frequency: 'quarter', source: 'default' });

    // a quarter view of 成都 reads the containing half year for its branches, the quarter for the others
    const q = await overview(province, root.id, `${year}-Q1`);
    const lectureItems = q.items.filter((i) => i.type === 'lecture');
    expect(lectureItems.find((i) => i.orgId === chengduB1.id)?.source).toBe(`${year}-H1`);
    expect(lectureItems.find((i) => i.orgId === mianyangB1.id)?.source).toBe(`${year}-Q1`);
    await expectConsistent();

    // a second override of the same scope and type from the same year conflicts
    const again = await call(t, province, 'POST', '/api/compliance/rules', {
      orgId: chengduOrg.id,
      type: 'lecture',
      frequency: 'year',
      times: 2,
      quorum: 'none',
      appliesTo: 'branch',
      effectiveFrom: `${year}-01-01`,
    });
    expect(again.statusCode, again.body).toBe(409);
    // rules take effect on 1 January
    const midYear = await call(t, province, 'POST', '/api/compliance/rules', {
      orgId: chengduOrg.id,
      type: 'lecture',
      frequency: 'year',
      times: 2,
      quorum: 'none',
      appliesTo: 'branch',
      effectiveFrom: `${year}-07-01`,
    });
    expect(midYear.statusCode, midYear.body).toBe(400);

    const del = await call(t, chengdu, 'DELETE', `/api/compliance/rules/${rule.id}`);
    expect(del.statusCode, del.body).toBe(204);
    expect(diffKeys(before, await resultRows())).toEqual([]);
    // defaults cannot be deleted; chengdu cannot touch a rule of 绵阳
    const defaults = (await call(t, province, 'GET', '/api/compliance/rules')).json() as { items: { id: number }[] };
    expect((await call(t, province, 'DELETE', `/api/compliance/rules/${defaults.items[0]!.id}`)).statusCode).toBe(409);
    const mianyangRule = await call(t, province, 'POST', '/api/compliance/rules', {
      orgId: mianyang.id,
      type: 'talk',
      frequency: 'year',
      times: 2,
      quorum: 'none',
      appliesTo: 'branch',
      effectiveFrom: `${year + 1}-01-01`,
    });
    expect(mianyangRule.statusCode, mianyangRule.body).toBe(201);
    const mid = (mianyangRule.json() as { id: number }).id;
    expect((await call(t, chengdu, 'DELETE', `/api/compliance/rules/${mid}`)).statusCode).toBe(404);
    expect((await call(t, province, 'DELETE', `/api/compliance/rules/${mid}`)).statusCode).toBe(204);
  });
});

describe('exemptions: requested by the branch, decided by the level above', () => {
  let ownAdmin: Session;

  beforeAll(async () => {
    // an org_admin whose grant sits on 成都 branch 1 itself: the level above is not theirs
    const sys = await login(t, 'sysadmin');
    const sec = await login(t, 'secadmin');
    const created = await call(t, sys, 'POST', '/api/users', {
      username: 'b1-admin',
      displayName: '支部党务管理员',
      password: 'Zb1!first9Q',
    });
    expect(created.statusCode, created.body).toBe(201);
    const userId = (created.json() as { id: number }).id;
    const g = await call(t, sec, 'POST', '/api/grants', { userId, role: 'org_admin', orgId: chengduB1.id });
    expect(g.statusCode, g.body).toBe(201);
    const first = await login(t, 'b1-admin', 'Zb1!first9Q');
    const changed = await call(t, first, 'POST', '/api/auth/password', {
      currentPassword: 'Zb1!first9Q',
      newPassword: 'Zb2!second8W',
    });
    expect(changed.statusCode, changed.body).toBe(204);
    ownAdmin = await login(t, 'b1-admin', 'Zb2!second8W');
  });

  it('the branch asks; neither it nor an admin of the branch itself may approve; 成都 approves → exempt', async () => {
    const req = await call(t, branch, 'POST', '/api/compliance/exemptions', {
      orgId: chengduB1.id,
      type: 'theme_day',
      period: prevMonth,
      reason: '支部党员集中参加防汛抢险一线值守，本月主题党日顺延',
    });
    expect(req.statusCode, req.body).toBe(201);
    const e = req.json() as { id: number; status: string; deciderOrgId: number };
    expect(e).toMatchObject({ status: 'pending', deciderOrgId: chengduOrg.id });

    const dup = await call(t, branch, 'POST', '/api/compliance/exemptions', {
      orgId: chengduB1.id,
      type: 'theme_day',
      period: prevMonth,
      reason: '重复申请',
    });
    expect(dup.statusCode, dup.body).toBe(409);
    const wrongPeriod = await call(t, branch, 'POST', '/api/compliance/exemptions', {
      orgId: chengduB1.id,
      type: 'theme_day',
      period: prevQuarter,
      reason: '按季度申请月度事项',
    });
    expect(wrongPeriod.statusCode, wrongPeriod.body).toBe(400);
    expect((wrongPeriod.json() as { error: { code: string } }).error.code).toBe('not_applicable');

    expect((await call(t, branch, 'POST', `/api/compliance/exemptions/${e.id}/approve`)).statusCode).toBe(403);
    const own = await call(t, ownAdmin, 'POST', `/api/compliance/exemptions/${e.id}/approve`);
    expect(own.statusCode, own.body).toBe(403);
    expect((await call(t, member, 'POST', `/api/compliance/exemptions/${e.id}/approve`)).statusCode).toBe(403);

    const before = await overview(branch, chengduB1.id, prevMonth);
    expect(before.items.find((i) => i.type === 'theme_day')?.status).not.toBe('exempt');
    const ok = await call(t, chengdu, 'POST', `/api/compliance/exemptions/${e.id}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', decidedBy: 'chengdu' });
    const after = await overview(branch, chengduB1.id, prevMonth);
    expect(after.items.find((i) => i.type === 'theme_day')?.status).toBe('exempt');
    expect(after.summary.byType.theme_day?.exempt).toBe(1);
    // decided once
    expect((await call(t, province, 'POST', `/api/compliance/exemptions/${e.id}/reject`)).statusCode).toBe(409);

    const list = await call(t, branch, 'GET', `/api/compliance/exemptions?org=${chengduB1.id}`);
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json() as { items: { id: number }[] }).items.map((x) => x.id)).toContain(e.id);
    await expectConsistent();
  });

  it('a rejected request changes nothing; 成都 cannot see or decide a request of 绵阳', async () => {
    const req = await call(t, branch, 'POST', '/api/compliance/exemptions', {
      orgId: chengduB1.id,
      type: 'party_congress',
      period: prevQuarter,
      reason: '多数党员外出参加科技下乡活动',
    });
    expect(req.statusCode, req.body).toBe(201);
    const before = await resultRows();
    const rejected = await call(
      t,
      chengdu,
      'POST',
      `/api/compliance/exemptions/${(req.json() as { id: number }).id}/reject`,
    );
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect(diffKeys(before, await resultRows())).toEqual([]);

    const other = await call(t, province, 'POST', '/api/compliance/exemptions', {
      orgId: mianyangB1.id,
      type: 'party_congress',
      period: prevQuarter,
      reason: '支部党员赴凉山州开展驻村科技帮扶',
    });
    expect(other.statusCode, other.body).toBe(201);
    const oid = (other.json() as { id: number }).id;
    expect((await call(t, chengdu, 'POST', `/api/compliance/exemptions/${oid}/approve`)).statusCode).toBe(404);
    expect(
      (
        await call(t, branch, 'POST', '/api/compliance/exemptions', {
          orgId: mianyangB1.id,
          type: 'lecture',
          period: prevQuarter,
          reason: '越权申请',
        })
      ).statusCode,
    ).toBe(404);
    const ok = await call(t, province, 'POST', `/api/compliance/exemptions/${oid}/approve`);
    expect(ok.statusCode, ok.body).toBe(200);
  });
});

describe('time: pending vs missed as today moves', () => {
  it('an open period is pending until its last day, missed the day after, met as soon as held', async () => {
    const b = await newBranch(chengduOrg, '时间测试党支部');
    const five = await newMembers(b, 5);
    const q = `${year - 1}-Q2`;
    const last = `${year - 1}-06-30`;
    const dayAfter = `${year - 1}-07-01`;
    const view = async (day: string, period = q) =>
      service.overview(t.ctx.db, { orgId: b.id, period, today: day, pageSize: 100 });
    const onLastDay = await view(last);
    expect(onLastDay.open).toBe(true);
    expect(onLastDay.items.find((i) => i.type === 'party_congress')?.status).toBe('pending');
    // the quarter is already behind overall (April and May's 主题党日 are over and missed) …
    expect(onLastDay.summary).toMatchObject({ orgs: 1, pending: 0, behind: 1, met: 0 });
    expect(onLastDay.summary.byType.party_congress).toMatchObject({ orgs: 1, pending: 1, missed: 0 });
    // … while June alone is still open for every type
    const june = await view(last, `${year - 1}-06`);
    expect(june.summary).toMatchObject({ orgs: 1, pending: 1, behind: 0, met: 0 });
    const after = await view(dayAfter);
    expect(after.open).toBe(false);
    expect(after.items.find((i) => i.type === 'party_congress')?.status).toBe('missed');
    expect(after.summary).toMatchObject({ behind: 1, pending: 0 });
    // a year view in the middle of the year: months already over and missed make it missed; a yearly type pends
    const midYear = await view(last, String(year - 1));
    expect(midYear.items.find((i) => i.type === 'theme_day')?.status).toBe('missed');
    expect(midYear.items.find((i) => i.type === 'life_meeting')?.status).toBe('pending');
    await expectConsistentAt(last);

    await hold(chengdu, { orgId: b.id, types: ['party_congress'], when: at(q, 20), members: five, present: 4 });
    expect((await view(last)).items.find((i) => i.type === 'party_congress')?.status).toBe('met');
    expect((await view(dayAfter)).items.find((i) => i.type === 'party_congress')?.status).toBe('met');
    // back to today: consistent
    await engine.refresh(t.ctx.db);
    await expectConsistent();
  });
});

/** Consistency at a given as-of date. */
async function expectConsistentAt(day: string) {
  await engine.refresh(t.ctx.db, day);
  const [r1, u1] = [await resultRows(), await rollupRows()];
  await engine.recomputeAll(t.ctx.db, { today: day });
  expect(diffKeys(r1, await resultRows())).toEqual([]);
  expect(diffKeys(u1, await rollupRows())).toEqual([]);
}

describe('rollups equal counting the items', () => {
  it.each([
    ['root', 'month'],
    ['root', 'quarter'],
    ['root', 'year'],
    ['chengdu', 'half'],
    ['chengdu', 'quarter'],
    ['mianyang', 'year'],
    ['chengduB1', 'month'],
  ])('%s over a %s', async (who, span) => {
    const org = { root, chengdu: chengduOrg, mianyang, chengduB1 }[who]!;
    const period = {
      month: prevMonth,
      quarter: prevQuarter,
      half: periodOf(addMonths(today, -6), 'half_year'),
      year: String(year),
    }[span]!;
    const { first, items } = await allItems(province, org.id, period);
    expect(items.length).toBe(first.total);
    const subtree = await subtreeIds(org.id);
    expect(items.every((i) => subtree.has(i.orgId))).toBe(true);
    const counted: Record<string, Record<string, number>> = {};
    for (const i of items) {
      counted[i.type] ??= { orgs: 0, met: 0, missed: 0, pending: 0, exempt: 0, no_quorum: 0 };
      counted[i.type]!.orgs++;
      counted[i.type]![i.status]!++;
    }
    for (const [type, s] of Object.entries(first.summary.byType)) {
      const { rate: _r, color: _c, ...counts } = s;
      expect(counts, `${type}`).toEqual(counted[type]);
    }
    expect(Object.keys(counted).sort()).toEqual(Object.keys(first.summary.byType).sort());
    // overall: every applicable type met or exempt
    const perOrg = new Map<number, string[]>();
    for (const i of items) perOrg.set(i.orgId, [...(perOrg.get(i.orgId) ?? []), i.status]);
    expect(first.summary.orgs).toBe(perOrg.size);
    const all = [...perOrg.values()];
    expect(first.summary.met).toBe(all.filter((s) => s.every((x) => x === 'met' || x === 'exempt')).length);
    expect(first.summary.behind).toBe(all.filter((s) => s.some((x) => x === 'missed' || x === 'no_quorum')).length);
    expect(first.summary.rate).toBeCloseTo(first.summary.orgs ? first.summary.met / first.summary.orgs : 0, 4);
    // worst first
    const rank = ['missed', 'no_quorum', 'pending', 'met', 'exempt'];
    const ranks = items.map((i) => rank.indexOf(i.status));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });
});

describe('those behind, signals, to-do, scope', () => {
  it('behind: worst first, inside the subtree, with drill-down links', async () => {
    const res = await call(t, chengdu, 'GET', `/api/compliance/behind?org=${chengduOrg.id}&period=${prevQuarter}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as {
      total: number;
      items: { orgId: number; typesBehind: number; types: { status: string }[]; meetingsUrl: string }[];
    };
    expect(body.total).toBeGreaterThan(0);
    const subtree = await subtreeIds(chengduOrg.id);
    expect(body.items.every((i) => subtree.has(i.orgId))).toBe(true);
    const counts = body.items.map((i) => i.typesBehind);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const i of body.items) {
      expect(i.types.filter((x) => x.status === 'missed' || x.status === 'no_quorum').length).toBe(i.typesBehind);
      expect(i.meetingsUrl).toMatch(new RegExp(`^/api/meetings\\?org=${i.orgId}&from=\\d{4}-\\d{2}-\\d{2}&to=`));
    }
  });

  it('signals: short, empty, copied minutes, attendance under quorum, meetings crammed at a month end — for the level above only', async () => {
    const five = await newMembers(chengduB2, 5);
    const lastMonth = `${prevQuarter.slice(0, 4)}-${String(Number(prevQuarter.slice(6)) * 3).padStart(2, '0')}`;
    const end = lastDay(parsePeriod(lastMonth));
    const crammed = (hour: number) => ({
      startsAt: `${end}T${String(hour).padStart(2, '0')}:00:00+08:00`,
      endsAt: `${end}T${String(hour).padStart(2, '0')}:50:00+08:00`,
    });
    await hold(chengdu, {
      orgId: chengduB2.id,
      types: ['theme_day'],
      when: crammed(9),
      members: five,
      present: 5,
      minutes: '<p>学习文件。</p>',
    });
    await hold(chengdu, { orgId: chengduB2.id, types: ['lecture'], when: crammed(10), members: five, present: 5 });
    await hold(chengdu, {
      orgId: chengduB2.id,
      types: ['party_congress'],
      when: crammed(11),
      members: five,
      present: 5,
    });
    await hold(chengdu, {
      orgId: chengduB2.id,
      types: ['party_congress'],
      when: at(prevQuarter, 3),
      members: five,
      present: 1,
    });
    const res = await call(t, chengdu, 'GET', `/api/compliance/signals?org=${chengduOrg.id}&period=${prevQuarter}`);
    expect(res.statusCode, res.body).toBe(200);
    const row = (res.json() as { items: Record<string, number>[] }).items.find((i) => i.orgId === chengduB2.id);
    expect(row).toBeDefined();
    expect(row!.shortMinutes).toBeGreaterThanOrEqual(1);
    expect(row!.noOutcome).toBeGreaterThanOrEqual(1);
    expect(row!.copiedMinutes).toBeGreaterThanOrEqual(3); // the long minutes are the same text
    expect(row!.crammed).toBeGreaterThanOrEqual(3);
    expect(row!.underQuorum).toBeGreaterThanOrEqual(1);
    // the branch itself sees no signals about itself; another branch of 成都 is out of its sight
    const own = await call(t, branch, 'GET', `/api/compliance/signals?org=${chengduB1.id}&period=${prevQuarter}`);
    expect(own.statusCode, own.body).toBe(200);
    expect((own.json() as { items: unknown[] }).items).toEqual([]);
    expect((await call(t, branch, 'GET', `/api/compliance/signals?org=${chengduB2.id}`)).statusCode).toBe(404);
    // 成都's own org is its grant root: not shown to chengdu, shown to the province
    const fromProvince = await call(
      t,
      province,
      'GET',
      `/api/compliance/signals?org=${chengduOrg.id}&period=${prevQuarter}`,
    );
    expect((fromProvince.json() as { items: { orgId: number }[] }).items.some((i) => i.orgId === chengduB2.id)).toBe(
      true,
    );
  });

  it('to-do: due soon and just missed, with a Chinese message, inside the caller’s scope', async () => {
    const end = lastDay(parsePeriod(prevQuarter));
    const fiveDaysBefore = `${end.slice(0, 8)}${String(Number(end.slice(8)) - 5).padStart(2, '0')}`;
    const list = await service.todo(t.ctx.db, { scope: { all: false, roots: [chengduB1.id] }, today: fiveDaysBefore });
    const kinds = new Set(list.items.map((i) => i.kind));
    expect(kinds.has('due_soon') || kinds.has('missed')).toBe(true);
    const subtree = await subtreeIds(chengduB1.id);
    expect(list.items.every((i) => subtree.has(i.orgId))).toBe(true);
    const due = list.items.find((i) => i.kind === 'due_soon');
    if (due) {
      expect(due.daysLeft).toBe(5);
      expect(due.message).toMatch(/^【党建提醒】.+距截止还有5天/);
    }
    for (const i of list.items.filter((x) => x.kind === 'missed')) {
      expect(i.daysLeft).toBeLessThan(0);
      expect(i.message).toMatch(i.status === 'no_quorum' ? /未过半数/ : /未按规定召开/);
    }
    const res = await call(t, branch, 'GET', '/api/compliance/todo');
    expect(res.statusCode, res.body).toBe(200);
    const items = (res.json() as { items: { orgId: number }[] }).items;
    expect(items.every((i) => subtree.has(i.orgId))).toBe(true);
    expect((await call(t, member, 'GET', '/api/compliance/todo')).statusCode).toBe(403);
  });

  it('scope: outside → 404, without the permission → 403', async () => {
    expect((await call(t, chengdu, 'GET', `/api/compliance?org=${mianyang.id}`)).statusCode).toBe(404);
    expect((await call(t, chengdu, 'GET', `/api/compliance?org=${root.id}`)).statusCode).toBe(404);
    expect((await call(t, branch, 'GET', `/api/compliance?org=${chengduOrg.id}`)).statusCode).toBe(404);
    expect((await call(t, branch, 'GET', `/api/compliance/behind?org=${chengduB2.id}`)).statusCode).toBe(404);
    expect((await call(t, member, 'GET', `/api/compliance?org=${chengduB1.id}`)).statusCode).toBe(403);
    expect((await call(t, branch, 'GET', `/api/compliance?org=${chengduB1.id}`)).statusCode).toBe(200);
    const sys = await login(t, 'sysadmin');
    expect((await call(t, sys, 'GET', `/api/compliance?org=${root.id}`)).statusCode).toBe(403);
    // the default period is the current quarter
    const o = (await call(t, province, 'GET', `/api/compliance?org=${root.id}`)).json() as Overview;
    expect(o.period).toBe(periodOf(today, 'quarter'));
    expect(o.open).toBe(true);
  });
});

describe('org changes keep the rollups right', () => {
  it('create, move (with its meetings) and delete', async () => {
    const b = await newBranch(chengduOrg, '搬迁测试党支部');
    const five = await newMembers(b, 5);
    await hold(chengdu, {
      orgId: b.id,
      types: ['party_congress', 'theme_day'],
      when: at(prevQuarter),
      members: five,
      present: 4,
    });
    await expectConsistent();
    const before = await service.subtreeCounters(t.ctx.db, chengduOrg.id, prevQuarter);
    // moved to 绵阳 (hooks around the move, as orgs.service is to call them)
    await t.ctx.db.transaction().execute((trx) => hooks.onOrgMoving(trx, b.id));
    const moved = await call(t, province, 'POST', `/api/orgs/${b.id}/move`, { parentId: mianyang.id });
    expect(moved.statusCode, moved.body).toBe(200);
    await t.ctx.db.transaction().execute((trx) => hooks.onOrgMoved(trx, b.id, chengduOrg.id));
    await expectConsistent();
    const after = await service.subtreeCounters(t.ctx.db, chengduOrg.id, prevQuarter);
    expect(after.get('party_congress')!.met).toBe(before.get('party_congress')!.met - 1);

    const empty = await newBranch(mianyang, '撤销测试党支部');
    await expectConsistent();
    await t.ctx.db.transaction().execute((trx) => hooks.onOrgRemoving(trx, empty.id));
    const del = await call(t, province, 'DELETE', `/api/orgs/${empty.id}`);
    expect(del.statusCode, del.body).toBe(204);
    await expectConsistent();
  });
});

describe('demo and operator commands', () => {
  it('the demo exemptions (a 甘孜 branch on a field assignment, an 阿坝 branch on flood duty) show as exempt, once', async () => {
    const created = await t.ctx.db.transaction().execute((trx) => seedComplianceDemo(trx, today));
    expect(created).toBe(2);
    expect(await t.ctx.db.transaction().execute((trx) => seedComplianceDemo(trx, today))).toBe(0);
    const rows = await t.ctx.db
      .selectFrom('compliance_exemptions as e')
      .innerJoin('orgs as o', 'o.id', 'e.org_id')
      .select(['e.org_id', 'e.type', 'e.period', 'e.status', 'e.reason', 'o.division_code'])
      .where('e.requested_by', '=', 'demo')
      .execute();
    expect(rows.map((r) => r.division_code?.slice(0, 4)).sort()).toEqual(['5132', '5133']);
    for (const r of rows) {
      expect(r.status).toBe('approved');
      expect(r.reason).toMatch(/驻村|值守/);
      const o = await overview(province, r.org_id, r.period);
      expect(o.items.find((i) => i.type === r.type)?.status).toBe('exempt');
    }
    await expectConsistent();
  });

  it('npm run cli -- compliance-refresh | compliance-recompute | reminders', async () => {
    expect(await runComplianceCommand(t.ctx.db, 'compliance-refresh')).toBe(0);
    expect(await runComplianceCommand(t.ctx.db, 'compliance-recompute')).toBe(0);
    expect(await runComplianceCommand(t.ctx.db, 'reminders')).toBe(0);
    expect(await runComplianceCommand(t.ctx.db, 'nonsense')).toBe(2);
  });
});
