/**
 * All SQL of the organisation tree. The hierarchy is a closure table (org_closure): "everything under X"
 * is one indexed lookup on (ancestor_id) on both databases, and moves rewrite only the moved subtree's links.
 */
import { type SelectQueryBuilder, sql } from 'kysely';
import type { DB, Executor, OrgTable } from '../../db/database.js';

export type OrgRow = Omit<OrgTable, 'id'> & { id: number; child_count: number; member_count: number };
export type NewOrg = Omit<OrgTable, 'id' | 'depth'>;

/** Which orgs a caller may see: every org, or the subtrees under some roots. */
export type OrgScope = { all: true } | { all: false; roots: number[] };

/** Subquery of the org ids inside a scope, for `where(column, 'in', …)` in any domain's list query. */
export function scopedOrgIds(db: Executor, scope: OrgScope) {
  const roots = scope.all ? [] : scope.roots.length ? scope.roots : [-1];
  return scope.all
    ? db.selectFrom('orgs').select('orgs.id as id')
    : db
        .selectFrom('org_closure')
        .select('org_closure.descendant_id as id')
        .where('org_closure.ancestor_id', 'in', roots);
}

function withCounts<O>(q: SelectQueryBuilder<DB, 'orgs', O>) {
  return q
    .selectAll('orgs')
    .select((eb) => [
      eb
        .selectFrom('orgs as c')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('c.parent_id', '=', 'orgs.id')
        .as('child_count'),
      eb
        .selectFrom('members as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.org_id', '=', 'orgs.id')
        .as('member_count'),
    ]);
}

function normalise(r: Record<string, unknown>): OrgRow {
  return { ...(r as OrgRow), child_count: Number(r.child_count ?? 0), member_count: Number(r.member_count ?? 0) };
}

export async function findById(db: Executor, id: number): Promise<OrgRow | undefined> {
  const r = await withCounts(db.selectFrom('orgs')).where('orgs.id', '=', id).executeTakeFirst();
  return r ? normalise(r) : undefined;
}

export interface OrgListFilter {
  parentId?: number;
  /** only this org and its descendants */
  root?: number;
  q?: string;
  termEndBefore?: string;
  termEndFrom?: string;
}

export async function list(db: Executor, scope: OrgScope, f: OrgListFilter, offset: number, limit: number) {
  let q = db.selectFrom('orgs');
  if (!scope.all) q = q.where('orgs.id', 'in', scopedOrgIds(db, scope));
  if (f.root !== undefined) q = q.where('orgs.id', 'in', scopedOrgIds(db, { all: false, roots: [f.root] }));
  if (f.parentId !== undefined) q = q.where('orgs.parent_id', '=', f.parentId);
  if (f.q) q = q.where((eb) => eb.or([eb('orgs.name', 'like', `%${f.q}%`), eb('orgs.unit_name', 'like', `%${f.q}%`)]));
  if (f.termEndBefore) q = q.where('orgs.term_end', '<', f.termEndBefore);
  if (f.termEndFrom) q = q.where('orgs.term_end', '>=', f.termEndFrom);
  const [{ total }] = await q.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await withCounts(q)
    .orderBy('orgs.depth')
    .orderBy('orgs.parent_id')
    .orderBy('orgs.id')
    .offset(offset)
    .limit(limit)
    .execute();
  return { rows: rows.map(normalise), total: Number(total) };
}

/** Ancestor ids of each given org, root first (excluding the org itself). */
export async function ancestorsOf(db: Executor, ids: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const id of ids) out.set(id, []);
  if (ids.length === 0) return out;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('org_closure')
      .select(['descendant_id', 'ancestor_id', 'depth'])
      .where('descendant_id', 'in', ids.slice(i, i + 500))
      .where('depth', '>', 0)
      .orderBy('descendant_id')
      .orderBy('depth', 'desc')
      .execute();
    for (const r of rows) out.get(r.descendant_id)!.push(r.ancestor_id);
  }
  return out;
}

/** Is `descendant` inside the subtree of any of `roots` (an org is inside its own subtree)? */
export async function isWithin(db: Executor, descendant: number, roots: number[]): Promise<boolean> {
  if (roots.length === 0) return false;
  const r = await db
    .selectFrom('org_closure')
    .select('ancestor_id')
    .where('descendant_id', '=', descendant)
    .where('ancestor_id', 'in', roots)
    .limit(1)
    .executeTakeFirst();
  return r !== undefined;
}

export async function exists(db: Executor, id: number): Promise<boolean> {
  const r = await db.selectFrom('orgs').select('id').where('id', '=', id).executeTakeFirst();
  return r !== undefined;
}

/** Inserts an org under `parentId` (or as a root) together with its closure rows. */
export async function insert(db: Executor, org: NewOrg): Promise<number> {
  const parentDepth = org.parent_id
    ? (await db.selectFrom('orgs').select('depth').where('id', '=', org.parent_id).executeTakeFirstOrThrow()).depth
    : -1;
  const { id } = await db
    .insertInto('orgs')
    .values({ ...org, depth: parentDepth + 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('org_closure').values({ ancestor_id: id, descendant_id: id, depth: 0 }).execute();
  if (org.parent_id) {
    await db
      .insertInto('org_closure')
      .columns(['ancestor_id', 'descendant_id', 'depth'])
      .expression((eb) =>
        eb
          .selectFrom('org_closure')
          .select(['ancestor_id', sql.lit(id).as('descendant_id'), sql<number>`depth + 1`.as('depth')])
          .where('descendant_id', '=', org.parent_id!),
      )
      .execute();
  }
  return id;
}

export async function update(db: Executor, id: number, patch: Partial<NewOrg>): Promise<void> {
  await db.updateTable('orgs').set(patch).where('id', '=', id).execute();
}

/** Moves the subtree under `id` below `newParent`: unlinks it from its old ancestors and links it to the new ones. */
export async function move(db: Executor, id: number, newParent: number, at: string): Promise<void> {
  const subtree = db.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', id);
  await db
    .deleteFrom('org_closure')
    .where('descendant_id', 'in', subtree)
    .where('ancestor_id', 'not in', subtree)
    .execute();
  await db
    .insertInto('org_closure')
    .columns(['ancestor_id', 'descendant_id', 'depth'])
    .expression((eb) =>
      eb
        .selectFrom('org_closure as sup')
        .innerJoin('org_closure as sub', (j) => j.on('sub.ancestor_id', '=', id))
        .select([
          'sup.ancestor_id',
          'sub.descendant_id',
          sql<number>`${sql.ref('sup.depth')} + ${sql.ref('sub.depth')} + 1`.as('depth'),
        ])
        .where('sup.descendant_id', '=', newParent),
    )
    .execute();
  await db.updateTable('orgs').set({ parent_id: newParent, updated_at: at }).where('id', '=', id).execute();
  await db
    .updateTable('orgs')
    .set((eb) => ({
      depth: eb
        .selectFrom('org_closure')
        .select(sql<number>`count(*) - 1`.as('d'))
        .whereRef('org_closure.descendant_id', '=', 'orgs.id'),
    }))
    .where('id', 'in', db.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', id))
    .execute();
}

export async function remove(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('org_closure').where('descendant_id', '=', id).execute();
  await db.deleteFrom('orgs').where('id', '=', id).execute();
}

export async function count(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('orgs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
