/**
 * Transfers of organisational relationship (组织关系转接, issue 3): start by the sending side, accept or return by
 * the receiving side (the sender gets 403 on its own transfer: it can see it; a caller on neither side gets 404),
 * the member moves with history and posts, overdue after one month on both sides, external transfers with the
 * printable introduction letter.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStaffingDemo } from '../../src/server/demo/staffing-demo.js';
import { addMonths, todayInShanghai } from '../../src/shared/dates.js';
import { idCheckChar, maskIdNumber } from '../../src/shared/members.js';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

interface Transfer {
  id: number;
  kind: string;
  memberId: number;
  fromOrgId: number;
  toOrgId: number | null;
  status: string;
  returnReason: string | null;
  letterNo: string;
  startedAt: string;
  dueOn: string;
  overdue: boolean;
  canDecide: boolean;
}

let t: TestApp;
let province: Session;
let chengdu: Session;
let branch: Session;
/** org_admin of 绵阳: sees nothing of 成都 */
let mianyang: Session;
let tree: OrgItem[];
const org = {} as Record<'chengdu' | 'cdB1' | 'cdB2' | 'mianyang' | 'myB1' | 'provinceBranch', OrgItem>;
const today = todayInShanghai();
const byName = (name: string) => {
  const o = tree.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};

let seq = 0;
async function addMember(orgId: number, extra: Record<string, string | null> = {}): Promise<number> {
  const now = new Date().toISOString();
  const r = await t.ctx.db
    .insertInto('members')
    .values({
      org_id: orgId,
      name: `转接测试${++seq}`,
      gender: '女',
      user_id: null,
      status: 'normal',
      created_at: now,
      updated_at: now,
      ...extra,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
const member = (id: number) =>
  t.ctx.db.selectFrom('members').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const start = (s: Session, memberId: number, toOrgId: number, reason = '工作调动') =>
  call(t, s, 'POST', '/api/transfers', { kind: 'internal', memberId, toOrgId, reason });
const list = async (s: Session, query: string) => {
  const res = await call(t, s, 'GET', `/api/transfers?pageSize=1000&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Transfer[] }).items;
};

async function account(username: string, role: string, orgId: number): Promise<Session> {
  const sys = await login(t, 'sysadmin');
  const sec = await login(t, 'secadmin');
  const created = await call(t, sys, 'POST', '/api/users', {
    username,
    displayName: username,
    password: 'Tf1!first9Q',
  });
  expect(created.statusCode, created.body).toBe(201);
  const g = await call(t, sec, 'POST', '/api/grants', { userId: created.json().id, role, orgId });
  expect(g.statusCode, g.body).toBe(201);
  const first = await login(t, username, 'Tf1!first9Q');
  const changed = await call(t, first, 'POST', '/api/auth/password', {
    currentPassword: 'Tf1!first9Q',
    newPassword: 'Tf2!second8W',
  });
  expect(changed.statusCode, changed.body).toBe(204);
  return login(t, username, 'Tf2!second8W');
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  let a = 7;
  await seedStaffingDemo(t.ctx.db, () => {
    a = (a * 16807) % 2147483647;
    return a / 2147483647;
  });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  branch = await login(t, 'branch');
  tree = await allOrgs(t, province);
  org.chengdu = byName('成都市科学技术局机关党委');
  org.cdB1 = byName('成都市科学技术局机关第一党支部');
  org.cdB2 = byName('成都市科学技术局机关第二党支部');
  org.mianyang = byName('绵阳市科学技术局机关党委');
  org.myB1 = byName('绵阳市科学技术局机关第一党支部');
  org.provinceBranch = byName('办公室党支部');
  mianyang = await account('mianyang-admin', 'org_admin', org.mianyang.id);
});
afterAll(async () => t?.close());

describe('starting a transfer', () => {
  it('the sender starts one to a branch it cannot see; the receiver lists it as incoming, the sender as outgoing', async () => {
    const m = await addMember(org.cdB2.id);
    const res = await start(chengdu, m, org.myB1.id);
    expect(res.statusCode, res.body).toBe(201);
    const tr = res.json() as Transfer;
    expect(tr).toMatchObject({
      kind: 'internal',
      memberId: m,
      fromOrgId: org.cdB2.id,
      toOrgId: org.myB1.id,
      status: 'pending',
      dueOn: addMonths(today, 1),
      overdue: false,
      canDecide: false,
    });
    expect(tr.letterNo).toMatch(/^\d{4}\d{5}$/);
    const incoming = await list(mianyang, 'direction=in');
    expect(incoming.find((x) => x.id === tr.id)).toMatchObject({ canDecide: true });
    expect((await list(mianyang, 'direction=out')).some((x) => x.id === tr.id)).toBe(false);
    expect((await list(chengdu, 'direction=out')).find((x) => x.id === tr.id)).toMatchObject({ canDecide: false });
    expect((await list(chengdu, 'direction=in')).some((x) => x.id === tr.id)).toBe(false);
    // the member stays in the sending branch until the receipt
    expect((await member(m)).org_id).toBe(org.cdB2.id);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'target'])
      .where('action', '=', 'transfer.start')
      .execute();
    expect(audit).toContainEqual({ actor: 'chengdu', target: `transfer:${tr.id} member:${m}` });
  });

  it('one pending transfer per member (409); an inactive member cannot be transferred (409)', async () => {
    const m = await addMember(org.cdB2.id);
    expect((await start(chengdu, m, org.myB1.id)).statusCode).toBe(201);
    const again = await start(chengdu, m, org.cdB1.id);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('transfer_pending');
    const gone = await addMember(org.cdB2.id, { status: 'deceased' });
    expect((await start(chengdu, gone, org.cdB1.id)).json().error.code).toBe('member_inactive');
  });

  it('the receiving org must be a branch: a committee, a group and a missing id all answer the same 404', async () => {
    const m = await addMember(org.cdB2.id);
    const group = tree.find((o) => o.kind === 'group')!;
    const bodies = [];
    for (const to of [org.mianyang.id, group.id, 9_999_999]) {
      const res = await start(chengdu, m, to);
      expect(res.statusCode).toBe(404);
      bodies.push(res.json());
    }
    expect(bodies[0]).toEqual({
      error: { code: 'not_found', message: 'receiving branch not found', field: 'toOrgId' },
    });
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    const same = await start(chengdu, m, org.cdB2.id);
    expect(same.statusCode).toBe(400);
    expect(same.json().error.code).toBe('same_org');
    expect((await call(t, chengdu, 'POST', '/api/transfers', { kind: 'internal', memberId: m })).statusCode).toBe(400);
  });

  it('chengdu cannot start a transfer for a 绵阳 member (404); a plain member account has no transfer rights (403)', async () => {
    const m = await addMember(org.myB1.id);
    const res = await start(chengdu, m, org.cdB1.id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const plain = await login(t, 'member');
    expect((await start(plain, m, org.cdB1.id)).statusCode).toBe(403);
    expect((await call(t, plain, 'GET', '/api/transfers')).statusCode).toBe(403);
    expect((await call(t, chengdu, 'GET', `/api/transfers?org=${org.mianyang.id}`)).statusCode).toBe(404);
  });

  it('destinations list branches anywhere, by name', async () => {
    const res = await call(t, chengdu, 'GET', `/api/transfers/destinations?q=${encodeURIComponent('绵阳')}`);
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { id: number; name: string }[];
    expect(items.map((i) => i.id)).toContain(org.myB1.id);
    for (const i of items) expect(tree.find((o) => o.id === i.id)?.kind).toBe('branch');
  });
});

describe('deciding', () => {
  it('the sender cannot accept or return its own transfer (403); a caller on neither side gets 404', async () => {
    const m = await addMember(org.cdB1.id);
    const tr = (await start(branch, m, org.cdB2.id)).json() as Transfer;
    const accept = await call(t, branch, 'POST', `/api/transfers/${tr.id}/accept`);
    expect(accept.statusCode).toBe(403);
    expect(accept.json().error.code).toBe('forbidden');
    expect((await call(t, branch, 'POST', `/api/transfers/${tr.id}/return`, { reason: '不接收' })).statusCode).toBe(
      403,
    );
    expect((await call(t, mianyang, 'POST', `/api/transfers/${tr.id}/accept`)).statusCode).toBe(404);
    expect((await call(t, mianyang, 'GET', `/api/transfers/${tr.id}/letter`)).statusCode).toBe(404);
    expect((await call(t, province, 'POST', '/api/transfers/9999999/accept')).statusCode).toBe(404);
    expect((await member(m)).org_id).toBe(org.cdB1.id);
  });

  it('accept moves the member, ends posts outside the new line, keeps the committee post, writes history — at once', async () => {
    const m = await addMember(org.cdB2.id);
    const postIn = await call(t, chengdu, 'POST', '/api/posts', {
      memberId: m,
      orgId: org.cdB2.id,
      post: 'organization',
      fullTime: false,
      startedAt: '2025-01-01',
    });
    expect(postIn.statusCode, postIn.body).toBe(201);
    const postAbove = await call(t, chengdu, 'POST', '/api/posts', {
      memberId: m,
      orgId: org.chengdu.id,
      post: 'committee_member',
      fullTime: false,
      startedAt: '2025-01-01',
    });
    expect(postAbove.statusCode, postAbove.body).toBe(201);
    const tr = (await start(chengdu, m, org.cdB1.id)).json() as Transfer;
    expect((await list(branch, 'direction=in')).find((x) => x.id === tr.id)).toMatchObject({ canDecide: true });

    const res = await call(t, branch, 'POST', `/api/transfers/${tr.id}/accept`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'accepted', canDecide: false });
    expect((await member(m)).org_id).toBe(org.cdB1.id);
    const posts = await t.ctx.db
      .selectFrom('party_posts')
      .select(['id', 'ended_at'])
      .where('member_id', '=', m)
      .orderBy('id')
      .execute();
    expect(posts).toEqual([
      { id: postIn.json().id, ended_at: today },
      { id: postAbove.json().id, ended_at: null },
    ]);
    const history = await t.ctx.db
      .selectFrom('member_history')
      .select(['action', 'changes', 'actor'])
      .where('member_id', '=', m)
      .where('action', '=', 'transfer.accepted')
      .executeTakeFirstOrThrow();
    expect(history.actor).toBe('branch');
    expect(JSON.parse(history.changes!)).toContainEqual({ field: 'orgId', from: org.cdB2.id, to: org.cdB1.id });
    // decided once
    const twice = await call(t, branch, 'POST', `/api/transfers/${tr.id}/accept`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('transfer_not_pending');
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'transfer.accept')
      .where('target', '=', `transfer:${tr.id} member:${m}`)
      .execute();
    expect(audit).toEqual([{ actor: 'branch' }]);
  });

  it('a receiver that cannot see the sender accepts into its branch', async () => {
    const m = await addMember(org.cdB2.id);
    const tr = (await start(chengdu, m, org.myB1.id)).json() as Transfer;
    const res = await call(t, mianyang, 'POST', `/api/transfers/${tr.id}/accept`);
    expect(res.statusCode, res.body).toBe(200);
    expect((await member(m)).org_id).toBe(org.myB1.id);
    // the sender keeps the record of what it sent
    expect((await list(chengdu, 'direction=out')).find((x) => x.id === tr.id)?.status).toBe('accepted');
  });

  it('return needs a reason, keeps the member and records the reason', async () => {
    const m = await addMember(org.cdB2.id);
    const tr = (await start(chengdu, m, org.myB1.id)).json() as Transfer;
    const noReason = await call(t, mianyang, 'POST', `/api/transfers/${tr.id}/return`, {});
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.field).toBe('reason');
    const res = await call(t, mianyang, 'POST', `/api/transfers/${tr.id}/return`, { reason: '人事关系未随转，请核实' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'returned', returnReason: '人事关系未随转，请核实' });
    expect((await member(m)).org_id).toBe(org.cdB2.id);
    const seen = (await list(chengdu, 'status=returned')).find((x) => x.id === tr.id);
    expect(seen?.returnReason).toBe('人事关系未随转，请核实');
    expect((await call(t, mianyang, 'POST', `/api/transfers/${tr.id}/accept`)).statusCode).toBe(409);
    const h = await t.ctx.db
      .selectFrom('member_history')
      .select('action')
      .where('member_id', '=', m)
      .orderBy('id')
      .execute();
    expect(h.map((x) => x.action)).toEqual(['transfer.started', 'transfer.returned']);
    // after a return a new transfer may start
    expect((await start(chengdu, m, org.cdB1.id)).statusCode).toBe(201);
  });
});

describe('overdue receipts', () => {
  it('flags a pending transfer on both sides once today is past its due date (started + 1 month)', async () => {
    const late = await addMember(org.cdB2.id);
    const edge = await addMember(org.cdB2.id);
    const lateT = (await start(chengdu, late, org.myB1.id)).json() as Transfer;
    const edgeT = (await start(chengdu, edge, org.myB1.id)).json() as Transfer;
    // simulate time: one started 40 days ago, one due exactly today
    const started = new Date(Date.now() - 40 * 86_400_000);
    await t.ctx.db
      .updateTable('transfers')
      .set({ started_at: started.toISOString(), due_on: addMonths(todayInShanghai(started), 1) })
      .where('id', '=', lateT.id)
      .execute();
    await t.ctx.db.updateTable('transfers').set({ due_on: today }).where('id', '=', edgeT.id).execute();

    for (const [s, q] of [
      [chengdu, 'direction=out'],
      [mianyang, 'direction=in'],
      [province, ''],
    ] as const) {
      const items = await list(s, q);
      expect(items.find((x) => x.id === lateT.id)?.overdue, `${q}`).toBe(true);
      expect(items.find((x) => x.id === edgeT.id)?.overdue, `${q}`).toBe(false);
      const overdueOnly = await list(s, `${q}&overdue=1`);
      expect(overdueOnly.map((x) => x.id)).toContain(lateT.id);
      expect(overdueOnly.map((x) => x.id)).not.toContain(edgeT.id);
      for (const x of overdueOnly) expect(x.overdue).toBe(true);
    }
    // accepted late: no longer overdue
    expect((await call(t, mianyang, 'POST', `/api/transfers/${lateT.id}/accept`)).statusCode).toBe(200);
    expect((await list(mianyang, 'direction=in')).find((x) => x.id === lateT.id)?.overdue).toBe(false);
  });

  it('the demo has an overdue transfer between two 成都 branches that the receiving secretary sees', async () => {
    const incoming = await list(branch, 'direction=in&status=pending');
    expect(incoming.some((x) => x.overdue && x.fromOrgId === org.cdB2.id)).toBe(true);
    expect(incoming.some((x) => !x.overdue && x.fromOrgId === org.myB1.id)).toBe(true);
  });
});

describe('external transfers and the introduction letter', () => {
  const first17 = '51010619850312123';
  const idNumber = first17 + idCheckChar(first17);

  it('completes at once: the member is transferred out with left_at; posts end', async () => {
    const m = await addMember(org.cdB1.id, {
      name: '外转<b>测试</b>',
      birth_date: '1985-03-12',
      ethnicity: '彝族',
      category: 'probationary',
      id_enc: t.ctx.cipher.encrypt(idNumber),
      id_index: t.ctx.cipher.blindIndex(idNumber),
      id_masked: maskIdNumber(idNumber),
    });
    const post = await call(t, branch, 'POST', '/api/posts', {
      memberId: m,
      orgId: org.cdB1.id,
      post: 'propaganda',
      fullTime: false,
      startedAt: '2024-05-01',
    });
    expect(post.statusCode, post.body).toBe(201);
    const res = await call(t, branch, 'POST', '/api/transfers', {
      kind: 'external',
      memberId: m,
      externalOrgName: '中共浙江省科学技术厅机关委员会',
      reason: '调往浙江省工作',
      duesPaidUntil: '2026-10',
      validDays: 60,
    });
    expect(res.statusCode, res.body).toBe(201);
    const tr = res.json() as Transfer & { externalOrgName: string };
    expect(tr).toMatchObject({ kind: 'external', status: 'completed', toOrgId: null, overdue: false });
    const after = await member(m);
    expect(after.status).toBe('transferred_out');
    expect(after.left_at).toBe(today);
    const ended = await t.ctx.db
      .selectFrom('party_posts')
      .select('ended_at')
      .where('id', '=', post.json().id)
      .executeTakeFirstOrThrow();
    expect(ended.ended_at).toBe(today);
    expect((await start(branch, m, org.cdB2.id)).json().error.code).toBe('member_inactive');

    const letter = await call(t, branch, 'GET', `/api/transfers/${tr.id}/letter`);
    expect(letter.statusCode).toBe(200);
    expect(letter.headers['content-type']).toContain('text/html');
    expect(String(letter.headers['content-security-policy'])).toContain("script-src 'self'");
    const html = letter.body;
    expect(html).toContain('中国共产党党员组织关系介绍信');
    expect(html).toContain('回执');
    expect(html).toContain(maskIdNumber(idNumber));
    expect(html).not.toContain(idNumber);
    expect(html).not.toMatch(/\d{17}[\dXx]/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('外转&lt;b&gt;测试&lt;/b&gt;');
    expect(html).not.toContain('<b>测试</b>');
    expect(html).toContain('中共浙江省科学技术厅机关委员会');
    expect(html).toContain('成都市科学技术局机关第一党支部');
    expect(html).toContain(`字第 ${tr.letterNo} 号`);
    expect(html).toContain('彝族');
    expect(html).toContain('预备');
    expect(html).toMatch(/有效期 <span class="u">60<\/span> 天/);
    expect(html).toMatch(/党费已交到 <span class="u">2026<\/span> 年 <span class="u">10<\/span> 月/);
    expect(html).toContain('盖章');
    expect(html).toContain('@media print');
    const age = Number(today.slice(0, 4)) - 1985 - (today.slice(5) < '03-12' ? 1 : 0);
    expect(html).toContain(`<span class="u">${age}</span> 岁`);
    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'transfer.letter')
      .where('target', '=', `transfer:${tr.id} member:${m}`)
      .execute();
    expect(audit).toEqual([{ actor: 'branch' }]);
    // chengdu (sending side's ancestor) may print it too; 绵阳 may not
    expect((await call(t, chengdu, 'GET', `/api/transfers/${tr.id}/letter`)).statusCode).toBe(200);
    expect((await call(t, mianyang, 'GET', `/api/transfers/${tr.id}/letter`)).statusCode).toBe(404);
    // an external transfer has nothing to accept
    expect((await call(t, province, 'POST', `/api/transfers/${tr.id}/accept`)).statusCode).toBe(409);
  });

  it('an external transfer needs the outside organisation name', async () => {
    const m = await addMember(org.cdB1.id);
    const res = await call(t, branch, 'POST', '/api/transfers', { kind: 'external', memberId: m, reason: '调出' });
    expect(res.statusCode).toBe(400);
    expect((await member(m)).status).toBe('normal');
  });
});
