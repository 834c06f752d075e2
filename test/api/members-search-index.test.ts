/**
 * The roster list at scale (migration 005): the per-org member counts and the name keys kept by triggers agree with
 * the members table after every kind of write (single and multi-row inserts, updates of name, org, status and
 * category, deletes), and GET /api/members answers exactly what a brute-force filter over the whole roster answers:
 * the total and every page, whichever way the repository walks to the page (primary key or index).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people } from '../fixtures/members.js';
import { call, createTestApp, login, type Session, type TestApp } from '../helpers/app.js';

let t: TestApp;
let province: Session;
let chengdu: Session;

interface Row {
  id: number;
  name: string;
  name_initials: string | null;
  org_id: number;
  status: string;
  category: string;
  birth_date: string | null;
}

const asciiLower = (s: string) => s.replace(/[A-Z]/g, (c) => c.toLowerCase());

async function roster(): Promise<Row[]> {
  return t.ctx.db
    .selectFrom('members')
    .select(['id', 'name', 'name_initials', 'org_id', 'status', 'category', 'birth_date'])
    .orderBy('id')
    .execute();
}

/** org → its ancestors and itself */
async function closure(): Promise<Map<number, Set<number>>> {
  const rows = await t.ctx.db.selectFrom('org_closure').select(['ancestor_id', 'descendant_id']).execute();
  const up = new Map<number, Set<number>>();
  for (const r of rows) {
    const s = up.get(r.descendant_id) ?? new Set<number>();
    s.add(r.ancestor_id);
    up.set(r.descendant_id, s);
  }
  return up;
}

async function orgId(name: string): Promise<number> {
  return (await t.ctx.db.selectFrom('orgs').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
}

/** Every id the list returns for `query`, page by page, and the total each page reported. */
async function allPages(s: Session, query: string, pageSize: number) {
  const ids: number[] = [];
  const totals = new Set<number>();
  for (let page = 1; page < 1000; page++) {
    const res = await call(t, s, 'GET', `/api/members?${query}&page=${page}&pageSize=${pageSize}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: { id: number }[]; total: number };
    totals.add(body.total);
    ids.push(...body.items.map((m) => m.id));
    if (body.items.length < pageSize) break;
  }
  return { ids, totals: [...totals] };
}

async function expectHelpersConsistent() {
  const rows = await roster();
  const counts = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.org_id}|${r.status}|${r.category}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  const stored = await sql<{ org_id: number; status: string; category: string; n: number }>`
    select org_id, status, category, n from member_org_counts where n <> 0`.execute(t.ctx.db);
  expect(new Map(stored.rows.map((r) => [`${r.org_id}|${r.status}|${r.category}`, Number(r.n)]))).toEqual(counts);

  // every suffix; `first` when its first character does not occur earlier in the name
  const keys = new Set<string>();
  for (const r of rows) {
    const name = [...asciiLower(r.name)];
    for (let i = 0; i < name.length; i++) {
      const first = name.slice(0, i).includes(name[i]!) ? 0 : 1;
      keys.add(`${name.slice(i).join('')}|${r.id}|${r.org_id}|${first}`);
    }
  }
  const storedKeys = await sql<{ name_key: string; member_id: number; org_id: number; first: number }>`
    select name_key, member_id, org_id, first from member_name_keys`.execute(t.ctx.db);
  expect(storedKeys.rows.length).toBe(keys.size);
  expect(new Set(storedKeys.rows.map((r) => `${r.name_key}|${r.member_id}|${r.org_id}|${Number(r.first)}`))).toEqual(
    keys,
  );
}

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  province = await login(t, 'province');
  chengdu = await login(t, 'chengdu');
});
afterAll(async () => t?.close());

describe('member_org_counts and member_name_keys follow every write', () => {
  it('match the demo roster', expectHelpersConsistent);

  it('after inserts, renames, moves, status and category changes and deletes, single and multi-row', async () => {
    const db = t.ctx.db;
    const b1 = await orgId('成都市科学技术局机关第一党支部');
    const b2 = await orgId('成都市科学技术局机关第二党支部');
    const now = new Date().toISOString();
    const base = { gender: '女', user_id: null, status: 'normal', created_at: now, updated_at: now };
    const ids = (
      await db
        .insertInto('members')
        .values([
          { ...base, org_id: b1, name: '王王芳' },
          { ...base, org_id: b1, name: 'Anna王' },
          { ...base, org_id: b2, name: '欧阳建国' },
        ])
        .returning('id')
        .execute()
    ).map((r) => r.id);
    await expectHelpersConsistent();
    await db.updateTable('members').set({ name: '王芳芳' }).where('id', '=', ids[0]!).execute();
    await db.updateTable('members').set({ org_id: b2, status: 'floating' }).where('id', 'in', ids).execute();
    await db.updateTable('members').set({ category: 'probationary' }).where('id', '=', ids[1]!).execute();
    await db.updateTable('members').set({ updated_at: now }).where('org_id', '=', b1).execute();
    await expectHelpersConsistent();
    await db.deleteFrom('members').where('id', 'in', [ids[2]!, -1]).execute();
    await expectHelpersConsistent();

    // through the API: a create, an edit of name and org, an import of several rows
    const [p] = people(1, 4242, '510104');
    const created = await call(t, chengdu, 'POST', '/api/members', {
      name: p!.name,
      gender: p!.gender,
      ethnicity: '汉族',
      birthDate: p!.birthDate,
      idNumber: p!.idNumber,
      orgId: b1,
      category: 'probationary',
      joinedAt: `${new Date().getUTCFullYear() - 1}-01-15`,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = (created.json() as { id: number }).id;
    const patched = await call(t, chengdu, 'PATCH', `/api/members/${id}`, { name: '司马相如', orgId: b2 });
    expect(patched.statusCode, patched.body).toBe(200);
    await expectHelpersConsistent();
  });
});

describe('the list equals a brute-force filter over the roster', () => {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  // as the service computes age bands (29 February → 28 February)
  const yearsAgo = (n: number) =>
    `${String(Number(today.slice(0, 4)) - n).padStart(4, '0')}-${today.slice(5) === '02-29' ? '02-28' : today.slice(5)}`;

  it('totals and every page, for name, initials, org, status, category and age filters, as province and 成都', async () => {
    const rows = await roster();
    const up = await closure();
    const chengduOrg = await orgId('成都市科学技术局机关党委');
    const branchOrg = await orgId('成都市科学技术局机关第一党支部');
    const names = rows.map((r) => r.name);
    const sample = (i: number) => names[(i * 37) % names.length]!;
    const qs = [
      '王',
      '芳',
      '李',
      '张',
      '国',
      sample(1),
      sample(2),
      [...sample(3)].slice(0, 2).join(''),
      [...sample(4)].slice(1).join(''),
      'anna王',
      'ANNA',
    ];
    const initials = [...new Set(rows.map((r) => (r.name_initials ?? '').slice(0, 2)).filter((x) => x.length === 2))]
      .slice(0, 3)
      .concat(['w', 'zz']);

    type Filter = { q?: string; org?: number; status?: string; category?: string; ageMin?: number; ageMax?: number };
    const matches = (r: Row, f: Filter, scopeRoot: number | null) => {
      const within = (root: number) => up.get(r.org_id)?.has(root) ?? false;
      if (scopeRoot !== null && !within(scopeRoot)) return false;
      if (f.org !== undefined && !within(f.org)) return false;
      if (f.status && r.status !== f.status) return false;
      if (f.category && r.category !== f.category) return false;
      if (f.ageMin !== undefined && !(r.birth_date && r.birth_date <= yearsAgo(f.ageMin))) return false;
      if (f.ageMax !== undefined && !(r.birth_date && r.birth_date > yearsAgo(f.ageMax + 1))) return false;
      if (f.q) {
        if (/^[A-Za-z]+$/.test(f.q)) return (r.name_initials ?? '').startsWith(f.q.toLowerCase());
        return asciiLower(r.name).includes(asciiLower(f.q));
      }
      return true;
    };
    const filters: Filter[] = [
      {},
      { org: chengduOrg },
      { org: branchOrg },
      { status: 'floating' },
      { category: 'probationary' },
      { ageMin: 30, ageMax: 45 },
      { category: 'full', ageMin: 50 },
      ...qs.map((q) => ({ q })),
      ...initials.map((q) => ({ q })),
      { q: '王', org: chengduOrg },
      { q: '王', category: 'full' },
      { q: initials[0], status: 'normal' },
    ];
    const root = (
      await t.ctx.db.selectFrom('orgs').select('id').where('parent_id', 'is', null).executeTakeFirstOrThrow()
    ).id;
    for (const [s, scopeRoot] of [
      [province, root],
      [chengdu, chengduOrg],
    ] as const) {
      for (const f of filters) {
        const query = Object.entries(f)
          .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
          .join('&');
        const expected = rows.filter((r) => matches(r, f, scopeRoot)).map((r) => r.id);
        for (const pageSize of [7, 50]) {
          const got = await allPages(s, query, pageSize);
          expect(got.ids, `${query} (page size ${pageSize})`).toEqual(expected);
          expect(got.totals, query).toEqual([expected.length]);
        }
      }
    }
  });
});
