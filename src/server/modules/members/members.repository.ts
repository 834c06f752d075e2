/**
 * All SQL of the roster: members (ID and phone only as ciphertext, blind index and masked copy), their party
 * posts and change history. Lists filter by the caller's subtrees in SQL (scopedOrgIds), never in code.
 */
import { type Insertable, type Kysely, type RawBuilder, type Selectable, type SqlBool, sql } from 'kysely';
import type { DB, Executor, MemberHistoryTable, MemberTable, PartyPostTable } from '../../db/database.js';
import { isPostgres } from '../../db/dialect.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';

export type MemberRow = Selectable<MemberTable> & { org_name: string };
export type NewMember = Insertable<MemberTable>;
export type MemberPatch = Partial<Omit<NewMember, 'id' | 'created_at'>>;
export type PostRow = Selectable<PartyPostTable>;
export type HistoryRow = Selectable<MemberHistoryTable>;
export type NewHistory = Insertable<MemberHistoryTable>;

/** Rows per multi-row statement: 500 × ~25 columns stays under both databases' parameter limits. */
export const BATCH = 500;

function chunks<T>(xs: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function withOrgName(db: Executor) {
  return db
    .selectFrom('members')
    .innerJoin('orgs', 'orgs.id', 'members.org_id')
    .selectAll('members')
    .select('orgs.name as org_name');
}

export async function findById(db: Executor, id: number): Promise<MemberRow | undefined> {
  return withOrgName(db).where('members.id', '=', id).executeTakeFirst();
}

/** The org a member belongs to (for the scope check), or undefined. */
export async function orgOf(db: Executor, id: number): Promise<number | undefined> {
  const r = await db.selectFrom('members').select('org_id').where('id', '=', id).executeTakeFirst();
  return r?.org_id;
}

export async function postsOf(db: Executor, memberIds: number[]): Promise<Map<number, PostRow[]>> {
  const out = new Map<number, PostRow[]>();
  for (const ids of chunks(memberIds)) {
    const rows = await db
      .selectFrom('party_posts')
      .selectAll()
      .where('member_id', 'in', ids)
      .orderBy('member_id')
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    for (const r of rows) {
      const list = out.get(r.member_id) ?? [];
      list.push(r);
      out.set(r.member_id, list);
    }
  }
  return out;
}

export type SearchTerm =
  | { kind: 'id_index'; value: string }
  | { kind: 'phone_index'; value: string }
  | { kind: 'initials'; value: string }
  | { kind: 'name'; value: string };

export interface MemberListFilter {
  /** only this org's subtree (already checked to be inside the scope) */
  root?: number;
  search?: SearchTerm;
  category?: string;
  status?: string;
  /** holds this post now (not ended) */
  post?: string;
  /** birth_date <= (at least this old) */
  bornOnOrBefore?: string;
  /** birth_date > (at most this old) */
  bornAfter?: string;
}

// ---- the roster list -------------------------------------------------------------------------------------------
//
// At province scale (1,000,000 members, 100,000 orgs; `npm run bench`) three things decide the response time:
// - the exact `total`: a subtree's count is a sum over member_org_counts (per org, status and category; kept by
//   triggers, migration 005) when only status and category filter; a name search counts its key range in
//   member_name_keys; pinyin initials count from the (name_initials, org_id) index;
// - the page: ordered by id, either by walking the primary key and keeping the matching rows (cheap when matches
//   are common: the first page of the province or of a surname) or by collecting the matching ids through an
//   index and sorting them (cheap when matches are few: a branch, a full name). The total, known first, picks
//   the cheaper of the two, so neither database depends on statistics it may not have (SQLite has none);
// - only the page's ids are sorted; the page's rows are read once, by primary key.

/** The tables migration 005 adds; written only by triggers, read only here. */
interface SearchTables {
  member_org_counts: { org_id: number; status: string; category: string; n: number };
  member_name_keys: { name_key: string; member_id: number; org_id: number; first: number };
}
type SearchDb = Kysely<DB & SearchTables>;
const searchDb = (db: Executor) => db as unknown as SearchDb;

/** The name keys' normal form: ASCII letters lower-cased (as SQLite's LIKE ignores ASCII case). */
function nameKey(q: string): string {
  return q.replace(/[A-Z]/g, (c) => c.toLowerCase());
}
/** Above every character a name holds: keys starting with q lie in [q, q + KEY_END). */
const KEY_END = '\u{10FFFF}';
/** Pinyin initials are [a-z] only: those starting with p lie in [p, p + 'z…z']. */
const INITIALS_END = 'z'.repeat(64);

/**
 * Which orgs' members a list may show: the subtree of `root` (and, in SQL, only while `root` lies in the scope), or
 * the scope's subtrees, or every org (`roots` null: a global scope, or a subtree that is the whole tree).
 */
interface OrgFilter {
  roots: number[] | null;
  guard: { root: number; within: number[] } | null;
}

async function orgFilter(db: Executor, scope: OrgScope, f: MemberListFilter): Promise<OrgFilter> {
  const scopeRoots = scope.all ? null : scope.roots.length ? scope.roots : [-1];
  const o: OrgFilter =
    f.root === undefined
      ? { roots: scopeRoots, guard: null }
      : { roots: [f.root], guard: scopeRoots ? { root: f.root, within: scopeRoots } : null };
  // The province's subtree is every org: no list of 100,000 org ids to build and join.
  if (o.roots) {
    const tops = await db.selectFrom('orgs').select('id').where('parent_id', 'is', null).limit(2).execute();
    if (tops.length === 1 && o.roots.includes(tops[0]!.id)) o.roots = null;
  }
  return o;
}

/**
 * `column` lies in the filter's orgs: an IN list (to drive from an index) or a probe per row (to check rows met
 * while walking another index). Empty: no condition.
 */
function inOrgs(column: string, o: OrgFilter, probe: boolean): RawBuilder<SqlBool>[] {
  const conditions: RawBuilder<SqlBool>[] = [];
  if (o.roots) {
    const roots = sql.join(o.roots);
    conditions.push(
      probe
        ? sql<SqlBool>`exists (select 1 from org_closure as oc where oc.descendant_id = ${sql.ref(column)} and oc.ancestor_id in (${roots}))`
        : sql<SqlBool>`${sql.ref(column)} in (select oc.descendant_id from org_closure as oc where oc.ancestor_id in (${roots}))`,
    );
  }
  if (o.guard) {
    conditions.push(
      sql<SqlBool>`exists (select 1 from org_closure as g where g.descendant_id = ${o.guard.root} and g.ancestor_id in (${sql.join(o.guard.within)}))`,
    );
  }
  return conditions;
}

/**
 * The members matching the filter. `scan`: shaped to be checked row by row while walking the primary key (no
 * index-driving predicates); otherwise shaped to be driven by the most selective index: the search term's when
 * there is one (each match's org then probed), else the org list's.
 */
function filtered(db: Executor, o: OrgFilter, f: MemberListFilter, scan: boolean) {
  const sdb = searchDb(db);
  let q = sdb.selectFrom('members');
  for (const c of inOrgs('members.org_id', o, scan || f.search !== undefined)) q = q.where(c);
  const s = f.search;
  if (s) {
    switch (s.kind) {
      case 'id_index':
        q = q.where('members.id_index', '=', s.value);
        break;
      case 'phone_index':
        q = q.where('members.phone_index', '=', s.value);
        break;
      case 'initials':
        q = q.where('members.name_initials', 'like', `${s.value}%`);
        if (!scan) {
          q = q
            .where('members.name_initials', '>=', s.value)
            .where('members.name_initials', '<=', s.value + INITIALS_END);
        }
        break;
      case 'name': {
        const key = nameKey(s.value);
        q = scan
          ? q.where(
              isPostgres(db) ? sql<string>`lower(members.name collate "C")` : sql<string>`members.name`,
              'like',
              `%${key}%`,
            )
          : q.where('members.id', 'in', (eb) =>
              eb
                .selectFrom('member_name_keys as k')
                .select('k.member_id')
                .where('k.name_key', '>=', key)
                .where('k.name_key', '<', key + KEY_END),
            );
        break;
      }
      default: {
        const never: never = s;
        throw new Error(`unknown search ${String(never)}`);
      }
    }
  }
  if (f.category) q = q.where('members.category', '=', f.category);
  if (f.status) q = q.where('members.status', '=', f.status);
  if (f.bornOnOrBefore) q = q.where('members.birth_date', '<=', f.bornOnOrBefore);
  if (f.bornAfter) q = q.where('members.birth_date', '>', f.bornAfter);
  if (f.post) {
    const post = f.post;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('party_posts')
          .select(sql.lit(1).as('one'))
          .whereRef('party_posts.member_id', '=', 'members.id')
          .where('party_posts.post', '=', post)
          .where('party_posts.ended_at', 'is', null),
      ),
    );
  }
  return q;
}

/** Filters beyond the org, status and category (which member_org_counts answers alone). */
function onlyCountable(f: MemberListFilter): boolean {
  return !f.search && !f.post && !f.bornOnOrBefore && !f.bornAfter;
}

/** A name search filtered by nothing but the orgs: its key range answers alone. */
function onlyName(f: MemberListFilter): f is MemberListFilter & { search: { kind: 'name'; value: string } } {
  return f.search?.kind === 'name' && !f.category && !f.status && !f.post && !f.bornOnOrBefore && !f.bornAfter;
}

function nameKeys(db: Executor, o: OrgFilter, value: string) {
  const key = nameKey(value);
  let q = searchDb(db)
    .selectFrom('member_name_keys as k')
    .where('k.name_key', '>=', key)
    .where('k.name_key', '<', key + KEY_END);
  for (const c of inOrgs('k.org_id', o, false)) q = q.where(c);
  return q;
}

/** The exact number of members matching the filter. */
async function countMatching(db: Executor, o: OrgFilter, f: MemberListFilter): Promise<number> {
  if (onlyCountable(f)) {
    let q = searchDb(db)
      .selectFrom('member_org_counts as c')
      .select((eb) => eb.fn.sum<number | string | null>('c.n').as('total'));
    for (const c of inOrgs('c.org_id', o, false)) q = q.where(c);
    if (f.status) q = q.where('c.status', '=', f.status);
    if (f.category) q = q.where('c.category', '=', f.category);
    const r = await q.executeTakeFirst();
    return Number(r?.total ?? 0);
  }
  if (onlyName(f)) {
    // one character: each member's first key starting with it, counted as is; longer: de-duplicated
    const single = [...f.search.value].length === 1;
    const keys = nameKeys(db, o, f.search.value);
    const r = await (single
      ? keys.where('k.first', '=', 1).select((eb) => eb.fn.countAll<number>().as('total'))
      : keys.select((eb) => eb.fn.count<number>('k.member_id').distinct().as('total'))
    ).executeTakeFirstOrThrow();
    return Number(r.total);
  }
  const [{ total }] = await filtered(db, o, f, false)
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .execute();
  return Number(total);
}

/**
 * Relative costs per row (about µs, measured with `npm run bench` on both databases): a row met while walking the
 * primary key, the probe of its org when the list is not the whole tree, and a matching row collected through an
 * index and sorted. PostgreSQL's primary-key walk reads the heap row by row, its index-only scans are cheap.
 */
const COSTS = {
  sqlite: { walk: 0.3, probe: 0.7, collect: 0.6 },
  postgres: { walk: 1, probe: 2, collect: 0.5 },
} as const;

/** The ids of one page (ordered by id) of the `total` matching members. */
async function pageIds(
  db: Executor,
  o: OrgFilter,
  f: MemberListFilter,
  offset: number,
  limit: number,
  total: number,
): Promise<number[]> {
  const exact = f.search?.kind === 'id_index' || f.search?.kind === 'phone_index';
  let scan = false;
  if (!exact) {
    const { last } = await db
      .selectFrom('members')
      .select((eb) => eb.fn.max('members.id').as('last'))
      .executeTakeFirstOrThrow();
    // walking the primary key meets a match every `last / total` rows
    const toWalk = ((offset + limit) * Number(last ?? 0)) / total;
    const c = COSTS[isPostgres(db) ? 'postgres' : 'sqlite'];
    scan = toWalk * (c.walk + (o.roots ? c.probe : 0)) < total * c.collect;
  }
  // Collected through an index, the ids are sorted (id + 0: no walk of the primary key for its order).
  const order = scan ? sql<number>`members.id` : sql<number>`members.id + 0`;
  if (!scan && onlyName(f)) {
    const keys = nameKeys(db, o, f.search.value).select('k.member_id as id');
    const rows = await ([...f.search.value].length === 1 ? keys.where('k.first', '=', 1) : keys.distinct())
      .orderBy('k.member_id')
      .offset(offset)
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }
  const rows = await filtered(db, o, f, scan).select('members.id').orderBy(order).offset(offset).limit(limit).execute();
  return rows.map((r) => r.id);
}

/** One page of the roster, ordered by id, and the exact total. */
export async function list(db: Executor, scope: OrgScope, f: MemberListFilter, offset: number, limit: number) {
  const o = await orgFilter(db, scope, f);
  const total = await countMatching(db, o, f);
  if (total === 0 || offset >= total) return { rows: [] as MemberRow[], total };
  const ids = await pageIds(db, o, f, offset, limit, total);
  const rows = ids.length ? await withOrgName(db).where('members.id', 'in', ids).orderBy('members.id').execute() : [];
  return { rows, total };
}

/** Every member of the scope (optionally one subtree), for the Excel export: org order, then id. */
export async function listAll(db: Executor, scopes: OrgScope[], root?: number): Promise<MemberRow[]> {
  let q = withOrgName(db);
  for (const scope of scopes) if (!scope.all) q = q.where('members.org_id', 'in', scopedOrgIds(db, scope));
  if (root !== undefined) q = q.where('members.org_id', 'in', scopedOrgIds(db, { all: false, roots: [root] }));
  return q.orderBy('members.org_id').orderBy('members.id').execute();
}

export async function findByIdIndex(
  db: Executor,
  idIndex: string,
): Promise<{ id: number; org_id: number } | undefined> {
  return db.selectFrom('members').select(['id', 'org_id']).where('id_index', '=', idIndex).executeTakeFirst();
}

/** Members holding any of these ID blind indexes (full rows: an import compares them field by field). */
export async function findByIdIndexes(db: Executor, indexes: string[]): Promise<Selectable<MemberTable>[]> {
  const out: Selectable<MemberTable>[] = [];
  for (const part of chunks(indexes)) {
    out.push(...(await db.selectFrom('members').selectAll().where('id_index', 'in', part).execute()));
  }
  return out;
}

export async function insert(db: Executor, row: NewMember): Promise<number> {
  const r = await db.insertInto('members').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

/** Multi-row inserts, BATCH rows per statement; returns the new ids keyed by ID blind index. */
export async function insertMany(db: Executor, rows: NewMember[]): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (const part of chunks(rows)) {
    const out = await db.insertInto('members').values(part).returning(['id', 'id_index']).execute();
    for (const r of out) if (r.id_index) ids.set(r.id_index, r.id);
  }
  return ids;
}

export async function update(db: Executor, id: number, patch: MemberPatch): Promise<void> {
  await db.updateTable('members').set(patch).where('id', '=', id).execute();
}

export async function insertHistory(db: Executor, rows: NewHistory[]): Promise<void> {
  for (const part of chunks(rows)) await db.insertInto('member_history').values(part).execute();
}

export async function history(db: Executor, memberId: number): Promise<HistoryRow[]> {
  return db
    .selectFrom('member_history')
    .selectAll()
    .where('member_id', '=', memberId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function countHistory(db: Executor, memberIds?: number[]): Promise<number> {
  let q = db.selectFrom('member_history').select((eb) => eb.fn.countAll<number>().as('n'));
  if (memberIds) q = q.where('member_id', 'in', memberIds.length ? memberIds : [-1]);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

export interface OrgRef {
  id: number;
  name: string;
}

/** The orgs inside a scope, in tree order (depth, then id). */
export async function orgsIn(db: Executor, scope: OrgScope): Promise<OrgRef[]> {
  let q = db.selectFrom('orgs').select(['orgs.id', 'orgs.name']);
  if (!scope.all) q = q.where('orgs.id', 'in', scopedOrgIds(db, scope));
  return q.orderBy('orgs.depth').orderBy('orgs.id').execute();
}

/** Org names borne by more than one org anywhere in the tree (shown as "name #id" so they stay unambiguous). */
export async function sharedOrgNames(db: Executor): Promise<Set<string>> {
  const rows = await db
    .selectFrom('orgs')
    .select('name')
    .groupBy('name')
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return new Set(rows.map((r) => r.name));
}

/** Orgs by id or by exact name, wherever they are (the caller checks the scope). */
export async function orgsByIdsOrNames(db: Executor, ids: number[], names: string[]): Promise<OrgRef[]> {
  const out: OrgRef[] = [];
  for (const part of chunks(ids))
    out.push(...(await db.selectFrom('orgs').select(['id', 'name']).where('id', 'in', part).execute()));
  for (const part of chunks(names)) {
    out.push(...(await db.selectFrom('orgs').select(['id', 'name']).where('name', 'in', part).execute()));
  }
  return out;
}
