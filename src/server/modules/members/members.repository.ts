/**
 * All SQL of the roster: members (ID and phone only as ciphertext, blind index and masked copy), their party
 * posts and change history. Lists filter by the caller's subtrees in SQL (scopedOrgIds), never in code.
 */
import { type ExpressionBuilder, type Insertable, type Selectable, sql } from 'kysely';
import type { DB, Executor, MemberHistoryTable, MemberTable, PartyPostTable } from '../../db/database.js';
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

function filtered(db: Executor, scope: OrgScope, f: MemberListFilter) {
  let q = db.selectFrom('members');
  if (!scope.all) q = q.where('members.org_id', 'in', scopedOrgIds(db, scope));
  if (f.root !== undefined) q = q.where('members.org_id', 'in', scopedOrgIds(db, { all: false, roots: [f.root] }));
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
        break;
      case 'name':
        q = q.where('members.name', 'like', `%${s.value}%`);
        break;
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
    q = q.where((eb: ExpressionBuilder<DB, 'members'>) =>
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

/** One page of the roster, ordered by id (stable, and the primary key serves it). */
export async function list(db: Executor, scope: OrgScope, f: MemberListFilter, offset: number, limit: number) {
  const q = filtered(db, scope, f);
  const [{ total }] = await q.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await q
    .innerJoin('orgs', 'orgs.id', 'members.org_id')
    .selectAll('members')
    .select('orgs.name as org_name')
    .orderBy('members.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return { rows: rows as MemberRow[], total: Number(total) };
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
