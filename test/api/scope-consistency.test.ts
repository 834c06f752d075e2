/**
 * "The per-object check and the list filter must agree" (docs: /work/shared/security.md, Access).
 *
 * For each account: the ids GET /api/orgs lists, the ids GET /api/orgs/:id answers 200 for, and the subtree of
 * the account's grant computed here from the parentId links of the full tree must be the same set; every other
 * id answers 404 (never 403, never 200). A `root` or `parentId` filter naming an org outside the scope returns
 * nothing. The check is repeated after a subtree has been moved out of and back into a scope, so that the
 * closure table behind both checks is exercised on the one kind of change that rewrites it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

const ACCOUNTS = ['province', 'chengdu', 'branch', 'member', 'secadmin'] as const;
type Account = (typeof ACCOUNTS)[number];

let t: TestApp;
const s = {} as Record<Account | 'sysadmin' | 'auditor', Session>;
/** the whole tree, as the province account sees it */
let all: OrgItem[];
let rootId: number;
let chengduId: number;
let chengduBranch1Id: number;
let mianyangId: number;

function byName(name: string): OrgItem {
  const found = all.filter((o) => o.name === name);
  if (found.length !== 1) throw new Error(`expected exactly one org named ${name}, found ${found.length}`);
  return found[0];
}

/** Ids of `rootOf` and everything below it, from parentId links only (not from the server's closure table). */
function subtree(rootOf: number, orgs: OrgItem[] = all): Set<number> {
  const children = new Map<number, number[]>();
  for (const o of orgs) {
    if (o.parentId === null) continue;
    const list = children.get(o.parentId) ?? [];
    list.push(o.id);
    children.set(o.parentId, list);
  }
  const out = new Set<number>([rootOf]);
  const stack = [rootOf];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const c of children.get(id) ?? []) {
      if (out.has(c)) throw new Error(`cycle in parentId links at ${c}`);
      out.add(c);
      stack.push(c);
    }
  }
  return out;
}

const sorted = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);
const nameOf = (id: number) => all.find((o) => o.id === id)?.name ?? `#${id}`;
const names = (ids: Iterable<number>) => sorted(ids).map((id) => `${id} ${nameOf(id)}`);

/** The scope each account should have, computed independently of the server's scope code. */
function expectedScope(account: Account): Set<number> {
  switch (account) {
    case 'province':
    case 'secadmin':
      return new Set(all.map((o) => o.id));
    case 'chengdu':
      return subtree(chengduId);
    case 'branch':
    case 'member':
      return subtree(chengduBranch1Id);
  }
}

async function refreshTree() {
  all = await allOrgs(t, s.province);
}

/**
 * The core comparison for one account: list ids == ids with GET 200 == expected; all others 404; the object
 * GET returns the same org the list returned (same parent, path, counts).
 */
async function assertAgreement(account: Account) {
  const session = s[account];
  const expected = expectedScope(account);
  const listRes = await call(t, session, 'GET', '/api/orgs?pageSize=10000');
  expect(listRes.statusCode, `${account}: GET /api/orgs`).toBe(200);
  const listBody = listRes.json() as { items: OrgItem[]; total: number };
  const listed = new Map(listBody.items.map((o) => [o.id, o]));
  expect(listBody.total, `${account}: total equals the number of items on a page that holds all`).toBe(
    listBody.items.length,
  );
  expect(listed.size, `${account}: no id listed twice`).toBe(listBody.items.length);

  const ok = new Set<number>();
  const wrong: string[] = [];
  for (const o of all) {
    const res = await call(t, session, 'GET', `/api/orgs/${o.id}`);
    if (res.statusCode === 200) {
      ok.add(o.id);
      const got = res.json() as OrgItem;
      const fromList = listed.get(o.id);
      if (fromList) {
        const pick = (x: OrgItem) => ({
          id: x.id,
          parentId: x.parentId,
          name: x.name,
          path: x.path,
          childCount: x.childCount,
          memberCount: x.memberCount,
        });
        if (JSON.stringify(pick(got)) !== JSON.stringify(pick(fromList))) {
          wrong.push(
            `${o.id} ${o.name}: object ${JSON.stringify(pick(got))} but list ${JSON.stringify(pick(fromList))}`,
          );
        }
      }
    } else if (res.statusCode !== 404) {
      wrong.push(`${o.id} ${o.name}: GET answered ${res.statusCode} (only 200 or 404 allowed) ${res.body}`);
    } else {
      expect((res.json() as { error: { code: string } }).error.code).toBe('not_found');
    }
  }
  expect(wrong, `${account}: object GETs that disagree with the rules`).toEqual([]);
  expect(names(ok), `${account}: ids readable one by one == ids in the list`).toEqual(names(listed.keys()));
  expect(names(listed.keys()), `${account}: the list == the subtree computed from parentId links`).toEqual(
    names(expected),
  );
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const a of [...ACCOUNTS, 'sysadmin', 'auditor'] as const) s[a] = await login(t, a);
  await refreshTree();
  const roots = all.filter((o) => o.parentId === null);
  expect(roots.map((o) => o.name)).toEqual(['四川省科学技术厅机关党委']);
  rootId = roots[0].id;
  chengduId = byName('成都市科学技术局机关党委').id;
  chengduBranch1Id = byName('成都市科学技术局机关第一党支部').id;
  mianyangId = byName('绵阳市科学技术局机关党委').id;
});

afterAll(async () => {
  await t?.close();
});

describe('the per-object check and the list filter agree', () => {
  it('the demo tree is what the expectations below assume', () => {
    // Guards against a vacuous pass: the province list is the whole tree, one root, parent links closed.
    expect(all.length).toBeGreaterThan(80);
    expect(subtree(rootId).size).toBe(all.length);
    const chengdu = subtree(chengduId);
    // 成都 org + 3 branches + 2 groups + 4 county bureaus
    expect(chengdu.size).toBe(10);
    expect(subtree(chengduBranch1Id).size).toBe(3);
  });

  it.each(ACCOUNTS)('%s: list ids == ids readable one by one == expected subtree; the rest 404', async (account) => {
    await assertAgreement(account);
  });

  it('chengdu: exactly the 成都 subtree, incl. all county bureaus, nothing of 绵阳', async () => {
    const listed = new Set((await allOrgs(t, s.chengdu)).map((o) => o.id));
    const chengduSubtree = subtree(chengduId);
    expect(names(listed)).toEqual(names(chengduSubtree));
    const counties = all.filter((o) => o.parentId === chengduId && /^\d{6}$/.test(o.divisionCode ?? ''));
    expect(counties.map((o) => o.name)).toEqual(
      expect.arrayContaining(['锦江区科学技术局党支部', expect.stringContaining('青羊区')]),
    );
    expect(counties.length).toBe(4);
    for (const c of counties) expect(listed.has(c.id), `${c.name} listed for chengdu`).toBe(true);
    const mianyang = subtree(mianyangId);
    expect(mianyang.size).toBeGreaterThan(3);
    for (const id of mianyang) expect(listed.has(id), `${nameOf(id)} must not be listed for chengdu`).toBe(false);
    expect(listed.has(rootId)).toBe(false);
  });

  it('sysadmin and auditor hold org.read nowhere: the list and every org answer 403', async () => {
    for (const a of ['sysadmin', 'auditor'] as const) {
      expect((await call(t, s[a], 'GET', '/api/orgs?pageSize=10000')).statusCode, a).toBe(403);
      const statuses = new Set<number>();
      for (const o of all) statuses.add((await call(t, s[a], 'GET', `/api/orgs/${o.id}`)).statusCode);
      expect(sorted(statuses), `${a}: statuses of GET /api/orgs/:id`).toEqual([403]);
    }
  });

  /** ids of orgs outside the scope of `account`, split into ancestors of its grant org and all others */
  function outside(account: 'chengdu' | 'branch' | 'member') {
    const scope = expectedScope(account);
    const top = account === 'chengdu' ? chengduId : chengduBranch1Id;
    // ancestors from parentId links, not from the server's `path`
    const ancestors = new Set<number>();
    for (let p = all.find((o) => o.id === top)!.parentId; p !== null; p = all.find((o) => o.id === p)!.parentId) {
      ancestors.add(p);
    }
    const ids = all.map((o) => o.id).filter((id) => !scope.has(id));
    return { ancestors: ids.filter((id) => ancestors.has(id)), others: ids.filter((id) => !ancestors.has(id)) };
  }

  async function filterLeaks(account: 'chengdu' | 'branch' | 'member', ids: number[]) {
    const leaks: string[] = [];
    for (const id of ids) {
      for (const param of ['root', 'parentId']) {
        const res = await call(t, s[account], 'GET', `/api/orgs?pageSize=10000&${param}=${id}`);
        const body = res.json() as { items: OrgItem[]; total: number };
        if (res.statusCode !== 200 || body.items.length !== 0 || body.total !== 0) {
          const got = names((body.items ?? []).map((i) => i.id)).join(', ');
          leaks.push(
            `GET /api/orgs?${param}=${id} (${nameOf(id)}) → ${res.statusCode}, ${body.items?.length} items, total ${body.total}: ${got}`,
          );
        }
      }
    }
    return leaks;
  }

  it.each(['chengdu', 'branch', 'member'] as const)(
    '%s: ?root= and ?parentId= naming an org outside the scope (not an ancestor) list nothing',
    async (account) => {
      const { others } = outside(account);
      expect(others.length).toBeGreaterThan(50);
      expect(await filterLeaks(account, others), `${account}: filters on orgs outside the scope`).toEqual([]);
    },
  );

  // An ancestor of one's own grant org is outside the scope too (GET /api/orgs/:id answers 404), so a filter
  // naming it must behave like a filter naming an org that does not exist: zero items.
  it.each(['chengdu', 'branch', 'member'] as const)(
    '%s: ?root= and ?parentId= naming an ancestor of the own org (404 one by one) list nothing',
    async (account) => {
      const { ancestors } = outside(account);
      expect(ancestors.length).toBe(account === 'chengdu' ? 1 : 2);
      for (const id of ancestors) expect((await call(t, s[account], 'GET', `/api/orgs/${id}`)).statusCode).toBe(404);
      expect(await filterLeaks(account, ancestors), `${account}: filters on ancestors outside the scope`).toEqual([]);
    },
  );

  it.each(ACCOUNTS)('%s: ?root=<org inside the scope> lists exactly that subtree', async (account) => {
    const scope = expectedScope(account);
    const wrong: string[] = [];
    for (const id of scope) {
      const res = await call(t, s[account], 'GET', `/api/orgs?pageSize=10000&root=${id}`);
      const got = sorted((res.json() as { items: OrgItem[] }).items.map((o) => o.id));
      const want = sorted(subtree(id));
      if (res.statusCode !== 200 || JSON.stringify(got) !== JSON.stringify(want)) {
        wrong.push(`root=${id} ${nameOf(id)} → ${res.statusCode} [${got}] expected [${want}]`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('still agree after a subtree moves out of a scope and back', async () => {
    // 成都 branch 1 (with its two 党小组 and the grants of `branch` and `member`) moves under 绵阳 and back.
    const move = async (to: number) => {
      const res = await call(t, s.province, 'POST', `/api/orgs/${chengduBranch1Id}/move`, { parentId: to });
      expect(res.statusCode, res.body).toBe(200);
      await refreshTree();
    };
    const branchSubtree = subtree(chengduBranch1Id);
    expect(branchSubtree.size).toBe(3);

    await move(mianyangId);
    try {
      expect(byName('成都市科学技术局机关第一党支部').parentId).toBe(mianyangId);
      const chengduNow = subtree(chengduId);
      for (const id of branchSubtree) expect(chengduNow.has(id)).toBe(false);
      for (const a of ACCOUNTS) await assertAgreement(a);
      // the moved subtree is now outside chengdu's scope: every id of it 404s and no filter reaches it
      for (const id of branchSubtree) {
        expect((await call(t, s.chengdu, 'GET', `/api/orgs/${id}`)).statusCode).toBe(404);
        const r = await call(t, s.chengdu, 'GET', `/api/orgs?root=${id}`);
        expect((r.json() as { items: OrgItem[] }).items).toEqual([]);
      }
      // the members of the moved branch keep their subtree, now with a 绵阳 path
      const branchView = await allOrgs(t, s.branch);
      expect(sorted(branchView.map((o) => o.id))).toEqual(sorted(branchSubtree));
      const moved = branchView.find((o) => o.id === chengduBranch1Id)!;
      expect(moved.path).toEqual([rootId, mianyangId]);
    } finally {
      await move(chengduId);
    }
    expect(byName('成都市科学技术局机关第一党支部').parentId).toBe(chengduId);
    for (const a of ACCOUNTS) await assertAgreement(a);
  });
});
