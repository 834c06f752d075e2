/**
 * Party-affairs cadres, 编制 and the staffing view, the training-hours ledger (issue 3). Expected figures are
 * computed here from the database rows and the posts the tests create, not by the server's code.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStaffingDemo } from '../../src/server/demo/staffing-demo.js';
import { todayInShanghai } from '../../src/shared/dates.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

interface Row {
  orgId: number;
  orgName: string;
  kind: string;
  depth: number;
  authorised: number;
  filledFullTime: number;
  partTime: number;
  partTimeOnly: boolean;
  vacant: number;
  noFullTime: boolean;
}
interface View {
  rows: Row[];
  summary: {
    orgs: number;
    withoutFullTime: number;
    shareWithoutFullTime: number;
    authorised: number;
    filledFullTime: number;
    vacant: number;
  };
}
interface TrainingRow {
  memberId: number;
  name: string;
  target: number;
  hours: number;
  behind: boolean;
  shortfall: number;
}

let t: TestApp;
let province: Session;
let chengdu: Session;
let branch: Session;
let tree: OrgItem[];
const year = Number(todayInShanghai().slice(0, 4));
const byName = (name: string) => {
  const o = tree.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};
const subtree = (rootId: number) => {
  const ids = new Set([rootId]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const o of tree) {
      if (o.parentId !== null && ids.has(o.parentId) && !ids.has(o.id)) {
        ids.add(o.id);
        grew = true;
      }
    }
  }
  return ids;
};
let seq = 0;
async function addMember(orgId: number, name = `测试党员${++seq}`): Promise<number> {
  const now = new Date().toISOString();
  const r = await t.ctx.db
    .insertInto('members')
    .values({ org_id: orgId, name, gender: '男', user_id: null, status: 'normal', created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
async function addBranch(parent: OrgItem, name: string): Promise<OrgItem> {
  const res = await call(t, province, 'POST', '/api/orgs', { parentId: parent.id, name, kind: 'branch' });
  expect(res.statusCode, res.body).toBe(201);
  const o = res.json() as OrgItem;
  tree.push(o);
  return o;
}
async function addPost(s: Session, body: Record<string, unknown>) {
  return call(t, s, 'POST', '/api/posts', { fullTime: false, startedAt: `${year - 1}-03-01`, ...body });
}
function mulberry(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** The staffing figures of every org, straight from the tables. */
async function expectedRows(): Promise<Map<number, Omit<Row, 'orgName' | 'kind' | 'depth'>>> {
  const db = t.ctx.db;
  const orgs = await db.selectFrom('orgs').select(['id', 'kind']).where('kind', '!=', 'group').execute();
  const staffing = await db.selectFrom('org_staffing').selectAll().execute();
  const posts = await db
    .selectFrom('party_posts')
    .innerJoin('members', 'members.id', 'party_posts.member_id')
    .select(['party_posts.org_id', 'party_posts.member_id', 'party_posts.full_time'])
    .where('party_posts.ended_at', 'is', null)
    .where('members.status', 'in', ['normal', 'floating', 'abroad'])
    .execute();
  const out = new Map<number, Omit<Row, 'orgName' | 'kind' | 'depth'>>();
  for (const o of orgs) {
    const authorised = Number(staffing.find((s) => s.org_id === o.id)?.authorised_full_time ?? 0);
    const here = posts.filter((p) => p.org_id === o.id);
    const full = new Set(here.filter((p) => Number(p.full_time) === 1).map((p) => p.member_id));
    const part = new Set(here.filter((p) => !full.has(p.member_id)).map((p) => p.member_id));
    out.set(o.id, {
      orgId: o.id,
      authorised,
      filledFullTime: full.size,
      partTime: part.size,
      partTimeOnly: part.size > 0 && full.size === 0,
      vacant: Math.max(0, authorised - full.size),
      noFullTime: full.size === 0,
    });
  }
  return out;
}

const collator = new Intl.Collator('zh-Hans-CN');
function isWorstFirst(rows: Row[]) {
  for (let i = 1; i < rows.length; i++) {
    const a = rows[i - 1];
    const b = rows[i];
    const order =
      b.vacant - a.vacant || Number(b.noFullTime) - Number(a.noFullTime) || collator.compare(a.orgName, b.orgName);
    if (order > 0) return `${a.orgName} before ${b.orgName}`;
  }
  return 'sorted';
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  await seedStaffingDemo(t.ctx.db, mulberry(42));
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  tree = await allOrgs(t, province);
});
afterAll(async () => t?.close());

describe('staffing view', () => {
  let gap: OrgItem;

  it('the demo has realistic gaps: most county bureaus part-time only, some cities with vacancies', async () => {
    const res = await call(t, province, 'GET', '/api/staffing');
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as View;
    const counties = view.rows.filter((r) => tree.find((o) => o.id === r.orgId)?.divisionCode?.length === 6);
    expect(counties.length).toBeGreaterThanOrEqual(12);
    expect(counties.filter((r) => r.partTimeOnly).length / counties.length).toBeGreaterThan(0.5);
    const cities = view.rows.filter((r) => r.depth === 1);
    expect(cities.filter((r) => r.vacant > 0).length).toBeGreaterThanOrEqual(3);
    expect(cities.some((r) => r.filledFullTime > 0)).toBe(true);
    const root = view.rows.find((r) => r.depth === 0)!;
    expect(root.authorised).toBe(3);
    expect(root.filledFullTime).toBeGreaterThanOrEqual(1);
    expect(view.summary.withoutFullTime).toBeGreaterThan(view.summary.orgs / 2);
  });

  it('ranks the province by gap: a branch with 编制 9 and one full-time cadre comes first with 8 vacant', async () => {
    gap = await addBranch(byName('成都市科学技术局机关党委'), '测试缺编党支部');
    const put = await call(t, province, 'PUT', `/api/staffing/${gap.id}`, { authorisedFullTime: 9 });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ orgId: gap.id, authorised: 9, filledFullTime: 0, vacant: 9, noFullTime: true });
    const cadre = await addMember(gap.id);
    const helper = await addMember(gap.id);
    expect(
      (await addPost(chengdu, { memberId: cadre, orgId: gap.id, post: 'secretary', fullTime: true })).statusCode,
    ).toBe(201);
    expect((await addPost(chengdu, { memberId: helper, orgId: gap.id, post: 'propaganda' })).statusCode).toBe(201);

    const res = await call(t, province, 'GET', '/api/staffing');
    const view = res.json() as View;
    expect(view.rows[0]).toMatchObject({
      orgId: gap.id,
      authorised: 9,
      filledFullTime: 1,
      partTime: 1,
      partTimeOnly: false,
      vacant: 8,
      noFullTime: false,
    });
    expect(isWorstFirst(view.rows)).toBe('sorted');
    expect(view.rows[1].vacant).toBeLessThan(8);
  });

  it('every row and the summary agree with the tables, groups excluded', async () => {
    const view = (await call(t, province, 'GET', '/api/staffing')).json() as View;
    const expected = await expectedRows();
    expect(view.rows.map((r) => r.orgId).sort((a, b) => a - b)).toEqual([...expected.keys()].sort((a, b) => a - b));
    for (const r of view.rows) expect(r, r.orgName).toMatchObject(expected.get(r.orgId)!);
    expect(view.rows.some((r) => r.kind === 'group')).toBe(false);
    const rows = [...expected.values()];
    const without = rows.filter((r) => r.noFullTime).length;
    expect(view.summary).toMatchObject({
      orgs: rows.length,
      withoutFullTime: without,
      authorised: rows.reduce((s, r) => s + r.authorised, 0),
      filledFullTime: rows.reduce((s, r) => s + r.filledFullTime, 0),
      vacant: rows.reduce((s, r) => s + r.vacant, 0),
    });
    expect(view.summary.shareWithoutFullTime).toBeCloseTo(without / rows.length, 4);
  });

  it('chengdu sees only 成都 rows; a 绵阳 subtree answers 404; ?org= narrows to a subtree', async () => {
    const cd = subtree(byName('成都市科学技术局机关党委').id);
    const res = await call(t, chengdu, 'GET', '/api/staffing');
    expect(res.statusCode).toBe(200);
    const view = res.json() as View;
    expect(view.rows.length).toBeGreaterThan(4);
    for (const r of view.rows) expect(cd.has(r.orgId), r.orgName).toBe(true);
    expect(view.rows[0].orgId).toBe(gap.id);
    const my = byName('绵阳市科学技术局机关党委');
    const denied = await call(t, chengdu, 'GET', `/api/staffing?org=${my.id}`);
    expect(denied.statusCode).toBe(404);
    const narrowed = (await call(t, province, 'GET', `/api/staffing?org=${my.id}`)).json() as View;
    const mySubtree = subtree(my.id);
    expect(narrowed.rows.length).toBeGreaterThan(0);
    for (const r of narrowed.rows) expect(mySubtree.has(r.orgId)).toBe(true);
  });

  it('编制: only staffing.write in scope; a group has none; the change is audited', async () => {
    const b1 = byName('成都市科学技术局机关第一党支部');
    expect((await call(t, branch, 'PUT', `/api/staffing/${b1.id}`, { authorisedFullTime: 1 })).statusCode).toBe(403);
    const my = byName('绵阳市科学技术局机关党委');
    expect((await call(t, chengdu, 'PUT', `/api/staffing/${my.id}`, { authorisedFullTime: 1 })).statusCode).toBe(404);
    const group = tree.find((o) => o.kind === 'group' && o.parentId === b1.id)!;
    const g = await call(t, chengdu, 'PUT', `/api/staffing/${group.id}`, { authorisedFullTime: 1 });
    expect(g.statusCode).toBe(400);
    expect(g.json().error.code).toBe('not_staffed');
    expect((await call(t, chengdu, 'PUT', `/api/staffing/${b1.id}`, { authorisedFullTime: -1 })).statusCode).toBe(400);
    const ok = await call(t, chengdu, 'PUT', `/api/staffing/${b1.id}`, { authorisedFullTime: 1 });
    expect(ok.statusCode, ok.body).toBe(200);
    const row = await t.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'staffing.update')
      .where('actor', '=', 'chengdu')
      .executeTakeFirst();
    expect(row?.target).toContain(String(b1.id));
    // the branch secretary reads the staffing of its own branch only
    const mine = (await call(t, branch, 'GET', '/api/staffing')).json() as View;
    expect(mine.rows.map((r) => r.orgId)).toEqual([b1.id]);
  });

  it('exports a real .xlsx with Chinese headers, the rows worst first and a summary row; audited', async () => {
    const res = await call(t, province, 'GET', '/api/staffing/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain('attachment');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual([
      '组织名称',
      '组织类别',
      '上级组织',
      '专职编制',
      '专职在岗',
      '兼职人数',
      '仅有兼职',
      '空缺编制',
      '无专职干部',
    ]);
    expect(values(2)).toEqual(['测试缺编党支部', '党支部', '成都市科学技术局机关党委', 9, 1, 1, '否', 8, '否']);
    const view = (await call(t, province, 'GET', '/api/staffing')).json() as View;
    expect(ws.rowCount).toBe(view.rows.length + 2);
    const last = values(ws.rowCount);
    expect(String(last[0])).toMatch(/^合计/);
    expect(last[3]).toBe(view.summary.authorised);
    expect(last[7]).toBe(view.summary.vacant);
    const audited = await t.ctx.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'staffing.export')
      .execute();
    expect(audited.map((a) => a.actor)).toContain('province');
    expect(
      (await call(t, chengdu, 'GET', `/api/staffing/export?org=${byName('绵阳市科学技术局机关党委').id}`)).statusCode,
    ).toBe(404);
  });
});

describe('party posts', () => {
  let b2: OrgItem;
  let holder: number;
  let secretaryPost: number;

  beforeAll(async () => {
    b2 = await addBranch(byName('成都市科学技术局机关党委'), '测试职务党支部');
    holder = await addMember(b2.id, '测试书记甲');
  });

  it('appoints a 书记 and lists it with member name and org', async () => {
    const res = await addPost(chengdu, { memberId: holder, orgId: b2.id, post: 'secretary' });
    expect(res.statusCode, res.body).toBe(201);
    secretaryPost = res.json().id;
    expect(res.json()).toMatchObject({ memberName: '测试书记甲', orgName: '测试职务党支部', fullTime: false });
    const list = await call(t, chengdu, 'GET', `/api/posts?org=${b2.id}`);
    expect(list.json().items).toEqual([expect.objectContaining({ id: secretaryPost, post: 'secretary' })]);
  });

  it('one active 书记 per org: a second answers 409 naming the current one', async () => {
    const other = await addMember(b2.id);
    const res = await addPost(chengdu, { memberId: other, orgId: b2.id, post: 'secretary' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('secretary_exists');
    expect(res.json().error.message).toContain('测试书记甲');
    const again = await addPost(chengdu, { memberId: holder, orgId: b2.id, post: 'secretary' });
    expect(again.statusCode).toBe(409);
  });

  it('a 党小组长 only in a group, a group only has one; the holder belongs to the org', async () => {
    const m = await addMember(b2.id);
    const leaderInBranch = await addPost(chengdu, { memberId: m, orgId: b2.id, post: 'group_leader' });
    expect(leaderInBranch.statusCode).toBe(400);
    expect(leaderInBranch.json().error.field).toBe('post');
    const groupRes = await call(t, province, 'POST', '/api/orgs', {
      parentId: b2.id,
      name: '测试党小组',
      kind: 'group',
    });
    const group = groupRes.json() as OrgItem;
    tree.push(group);
    expect((await addPost(chengdu, { memberId: m, orgId: group.id, post: 'secretary' })).statusCode).toBe(400);
    expect((await addPost(chengdu, { memberId: m, orgId: group.id, post: 'group_leader' })).statusCode).toBe(201);
    const stranger = await addMember(byName('成都市科学技术局机关第二党支部').id);
    const notHere = await addPost(chengdu, { memberId: stranger, orgId: b2.id, post: 'propaganda' });
    expect(notHere.statusCode).toBe(400);
    expect(notHere.json().error.code).toBe('not_in_org');
    // a member of a branch may hold a post on the committee above it
    expect(
      (
        await addPost(chengdu, {
          memberId: stranger,
          orgId: byName('成都市科学技术局机关党委').id,
          post: 'committee_member',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('scope: chengdu cannot appoint a 绵阳 member nor on a 绵阳 org (404); a member account cannot write (403)', async () => {
    const myB1 = byName('绵阳市科学技术局机关第一党支部');
    const myMember = await addMember(myB1.id);
    expect((await addPost(chengdu, { memberId: myMember, orgId: myB1.id, post: 'propaganda' })).statusCode).toBe(404);
    expect((await addPost(chengdu, { memberId: holder, orgId: myB1.id, post: 'propaganda' })).statusCode).toBe(404);
    const member = await login(t, 'member');
    expect((await addPost(member, { memberId: holder, orgId: b2.id, post: 'propaganda' })).statusCode).toBe(403);
    expect((await call(t, member, 'GET', '/api/posts')).statusCode).toBe(403);
    const mine = await call(t, chengdu, 'GET', '/api/posts');
    const cd = subtree(byName('成都市科学技术局机关党委').id);
    for (const p of mine.json().items) expect(cd.has(p.orgId)).toBe(true);
  });

  it('ends a post: gone from the list, the history records it, a new 书记 can follow', async () => {
    const early = await call(t, chengdu, 'POST', `/api/posts/${secretaryPost}/end`, { endedAt: `${year - 2}-01-01` });
    expect(early.statusCode).toBe(400);
    const res = await call(t, chengdu, 'POST', `/api/posts/${secretaryPost}/end`, { endedAt: todayInShanghai() });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().endedAt).toBe(todayInShanghai());
    expect(
      (await call(t, chengdu, 'POST', `/api/posts/${secretaryPost}/end`, { endedAt: todayInShanghai() })).statusCode,
    ).toBe(409);
    const list = await call(t, chengdu, 'GET', `/api/posts?org=${b2.id}`);
    expect(list.json().items.map((p: { id: number }) => p.id)).not.toContain(secretaryPost);
    const next = await addMember(b2.id);
    expect((await addPost(chengdu, { memberId: next, orgId: b2.id, post: 'secretary' })).statusCode).toBe(201);
    const history = await t.ctx.db
      .selectFrom('member_history')
      .select(['action', 'changes'])
      .where('member_id', '=', holder)
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.action)).toEqual(['post.started', 'post.ended']);
    expect(JSON.parse(history[1].changes!)).toContainEqual({ field: 'post', from: 'secretary', to: null });
    // another org's post is 404 for chengdu
    const myPost = await t.ctx.db
      .selectFrom('party_posts')
      .select('id')
      .where('org_id', 'in', [...subtree(byName('绵阳市科学技术局机关党委').id)])
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(
      (await call(t, chengdu, 'POST', `/api/posts/${myPost.id}/end`, { endedAt: todayInShanghai() })).statusCode,
    ).toBe(404);
  });
});

describe('training hours', () => {
  let tb: OrgItem;
  const ids = {} as Record<'plain' | 'committee' | 'formerCommittee' | 'newCommittee' | 'done', number>;

  beforeAll(async () => {
    tb = await addBranch(byName('成都市科学技术局机关党委'), '测试学时党支部');
    ids.plain = await addMember(tb.id, '学时甲');
    ids.committee = await addMember(tb.id, '学时乙');
    ids.formerCommittee = await addMember(tb.id, '学时丙');
    ids.newCommittee = await addMember(tb.id, '学时丁');
    ids.done = await addMember(tb.id, '学时戊');
    // 乙: 组织委员 since last year; 丙: 宣传委员 that ended last year; 丁: 书记 from this year on
    expect((await addPost(chengdu, { memberId: ids.committee, orgId: tb.id, post: 'organization' })).statusCode).toBe(
      201,
    );
    const former = await addPost(chengdu, { memberId: ids.formerCommittee, orgId: tb.id, post: 'propaganda' });
    expect(
      (await call(t, chengdu, 'POST', `/api/posts/${former.json().id}/end`, { endedAt: `${year - 1}-12-31` }))
        .statusCode,
    ).toBe(200);
    expect(
      (
        await addPost(chengdu, {
          memberId: ids.newCommittee,
          orgId: tb.id,
          post: 'secretary',
          startedAt: `${year}-01-01`,
        })
      ).statusCode,
    ).toBe(201);
  });

  const record = (s: Session, memberId: number, hours: number, extra: Record<string, unknown> = {}) =>
    call(t, s, 'POST', '/api/training-hours', {
      memberId,
      year,
      hours,
      title: '党务干部集中培训',
      source: 'training',
      occurredOn: `${year}-01-01`,
      ...extra,
    });

  it('records decimal hours as minutes; checks year and scope', async () => {
    const res = await record(branch, ids.plain, 1.5);
    expect(res.statusCode).toBe(404); // the branch secretary's scope is its own branch
    const ok = await record(chengdu, ids.plain, 1.5);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ memberId: ids.plain, hours: 1.5, minutes: 90, source: 'training' });
    const wrongYear = await record(chengdu, ids.plain, 2, { occurredOn: `${year - 1}-06-01` });
    expect(wrongYear.statusCode).toBe(400);
    expect(wrongYear.json().error.field).toBe('occurredOn');
    expect((await record(chengdu, ids.plain, 0)).statusCode).toBe(400);
    expect((await record(chengdu, ids.plain, 2, { source: 'party' })).statusCode).toBe(400);
    const my = await addMember(byName('绵阳市科学技术局机关第一党支部').id);
    expect((await record(chengdu, my, 2)).statusCode).toBe(404);
    expect((await call(t, chengdu, 'GET', `/api/training-hours/${my}?year=${year}`)).statusCode).toBe(404);
  });

  it('target 56 for whoever held a committee post during the year, else 32; most behind first', async () => {
    await record(chengdu, ids.plain, 29); // 30.5 of 32 → 1.5 short
    await record(chengdu, ids.committee, 40); // 40 of 56 → 16 short
    await record(chengdu, ids.formerCommittee, 30); // 30 of 32 → 2 short
    await record(chengdu, ids.newCommittee, 50.25, { source: 'study' }); // 50.25 of 56 → 5.75 short
    await record(chengdu, ids.done, 33); // on target
    const res = await call(t, chengdu, 'GET', `/api/training-hours?org=${tb.id}&year=${year}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { year: number; rows: TrainingRow[]; summary: Record<string, number> };
    expect(body.year).toBe(year);
    expect(body.rows.map((r) => [r.name, r.target, r.hours, r.behind, r.shortfall])).toEqual([
      ['学时乙', 56, 40, true, 16],
      ['学时丁', 56, 50.25, true, 5.75],
      ['学时丙', 32, 30, true, 2],
      ['学时甲', 32, 30.5, true, 1.5],
      ['学时戊', 32, 33, false, 0],
    ]);
    expect(body.summary).toEqual({ members: 5, behind: 4, shareBehind: 0.8 });
    // last year nobody has hours; 丙 still held the committee post then
    const last = (await call(t, chengdu, 'GET', `/api/training-hours?org=${tb.id}&year=${year - 1}`)).json() as {
      rows: TrainingRow[];
    };
    expect(last.rows.find((r) => r.memberId === ids.formerCommittee)?.target).toBe(56);
    expect(last.rows.find((r) => r.memberId === ids.newCommittee)?.target).toBe(32);
  });

  it("lists a member's entries for the year", async () => {
    const res = await call(t, chengdu, 'GET', `/api/training-hours/${ids.plain}?year=${year}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ memberId: ids.plain, target: 32, hours: 30.5, behind: true });
    expect(res.json().entries.map((e: { minutes: number }) => e.minutes)).toEqual([90, 1740]);
    const secretary = await call(t, branch, 'GET', `/api/training-hours/${ids.plain}`);
    expect(secretary.statusCode).toBe(404);
  });

  it('the demo ledger has secretaries and members behind, and chengdu sees only 成都 members', async () => {
    const all = (await call(t, province, 'GET', `/api/training-hours?year=${year}`)).json() as {
      rows: (TrainingRow & { orgId: number })[];
      summary: { members: number; behind: number; shareBehind: number };
    };
    expect(all.rows.some((r) => r.target === 56 && r.behind)).toBe(true);
    expect(all.rows.some((r) => r.target === 32 && r.behind)).toBe(true);
    for (let i = 1; i < all.rows.length; i++) {
      expect(all.rows[i - 1].shortfall).toBeGreaterThanOrEqual(all.rows[i].shortfall);
    }
    expect(all.summary.shareBehind).toBeCloseTo(all.summary.behind / all.summary.members, 4);
    const cd = subtree(byName('成都市科学技术局机关党委').id);
    const mine = (await call(t, chengdu, 'GET', `/api/training-hours?year=${year}`)).json() as {
      rows: { orgId: number }[];
    };
    expect(mine.rows.length).toBeGreaterThan(0);
    for (const r of mine.rows) expect(cd.has(r.orgId)).toBe(true);
  });
});
