/** All SQL of transfers (组织关系转接) and the member changes they make. */
import type { Executor, TransferTable } from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';

export type TransferRow = Omit<TransferTable, 'id'> & {
  id: number;
  member_name: string;
  from_org_name: string;
  to_org_name: string | null;
};

function base(db: Executor) {
  return db
    .selectFrom('transfers as t')
    .innerJoin('members as m', 'm.id', 't.member_id')
    .innerJoin('orgs as f', 'f.id', 't.from_org_id')
    .leftJoin('orgs as r', 'r.id', 't.to_org_id')
    .selectAll('t')
    .select(['m.name as member_name', 'f.name as from_org_name', 'r.name as to_org_name']);
}

export async function findById(db: Executor, id: number): Promise<TransferRow | undefined> {
  return base(db).where('t.id', '=', id).executeTakeFirst();
}

export interface TransferListFilter {
  /** out: sent from inside the subtree; in: received into it; both: either */
  direction: 'out' | 'in' | 'both';
  status?: string;
  /** only pending transfers whose receipt was due before this date */
  overdueBefore?: string;
  memberId?: number;
}

export async function list(db: Executor, scope: OrgScope, f: TransferListFilter, offset: number, limit: number) {
  let q = base(db);
  if (f.direction === 'out') q = q.where('t.from_org_id', 'in', scopedOrgIds(db, scope));
  else if (f.direction === 'in') q = q.where('t.to_org_id', 'in', scopedOrgIds(db, scope));
  else {
    q = q.where((eb) =>
      eb.or([eb('t.from_org_id', 'in', scopedOrgIds(db, scope)), eb('t.to_org_id', 'in', scopedOrgIds(db, scope))]),
    );
  }
  if (f.status) q = q.where('t.status', '=', f.status);
  if (f.overdueBefore) q = q.where('t.status', '=', 'pending').where('t.due_on', '<', f.overdueBefore);
  if (f.memberId !== undefined) q = q.where('t.member_id', '=', f.memberId);
  const [{ total }] = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .execute();
  const rows = await q
    .orderBy((eb) => eb.case().when('t.status', '=', 'pending').then(0).else(1).end())
    .orderBy('t.started_at', 'desc')
    .orderBy('t.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  return { rows, total: Number(total) };
}

/** Which of `ids` lie inside `scope`. */
export async function orgsWithin(db: Executor, ids: number[], scope: OrgScope): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  if (scope.all) return new Set(ids);
  const rows = await db
    .selectFrom('org_closure')
    .select('descendant_id')
    .distinct()
    .where('descendant_id', 'in', ids)
    .where('ancestor_id', 'in', scope.roots.length ? scope.roots : [-1])
    .execute();
  return new Set(rows.map((r) => r.descendant_id));
}

export async function pendingFor(db: Executor, memberId: number) {
  return db
    .selectFrom('transfers')
    .select(['id', 'started_at'])
    .where('member_id', '=', memberId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
}

export async function insert(db: Executor, v: Omit<TransferTable, 'id'>): Promise<number> {
  const r = await db.insertInto('transfers').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function setLetterNo(db: Executor, id: number, letterNo: string): Promise<void> {
  await db.updateTable('transfers').set({ letter_no: letterNo }).where('id', '=', id).execute();
}

/** Moves a pending transfer to its outcome; false when it was no longer pending (another decision won). */
export async function decide(
  db: Executor,
  id: number,
  v: { status: string; decided_at: string; decided_by: string; return_reason?: string },
): Promise<boolean> {
  const r = await db
    .updateTable('transfers')
    .set(v)
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function moveMember(db: Executor, memberId: number, orgId: number, at: string): Promise<void> {
  await db.updateTable('members').set({ org_id: orgId, updated_at: at }).where('id', '=', memberId).execute();
}

export async function markTransferredOut(db: Executor, memberId: number, leftAt: string, at: string): Promise<void> {
  await db
    .updateTable('members')
    .set({ status: 'transferred_out', left_at: leftAt, updated_at: at })
    .where('id', '=', memberId)
    .execute();
}

/** Branches anywhere in the platform whose name or unit matches `q` (receiving organisations). */
export async function branches(db: Executor, q: string | undefined, limit: number) {
  let query = db
    .selectFrom('orgs as o')
    .leftJoin('orgs as parent', 'parent.id', 'o.parent_id')
    .select(['o.id', 'o.name', 'o.unit_name', 'parent.name as parent_name'])
    .where('o.kind', '=', 'branch');
  if (q) query = query.where((eb) => eb.or([eb('o.name', 'like', `%${q}%`), eb('o.unit_name', 'like', `%${q}%`)]));
  return query.orderBy('o.name').orderBy('o.id').limit(limit).execute();
}

export interface LetterMember {
  name: string;
  gender: string | null;
  birth_date: string | null;
  ethnicity: string | null;
  category: string;
  id_masked: string | null;
}

/** What the introduction letter prints about the member: the ID number only in its masked form. */
export async function letterMember(db: Executor, memberId: number): Promise<LetterMember | undefined> {
  return db
    .selectFrom('members')
    .select(['name', 'gender', 'birth_date', 'ethnicity', 'category', 'id_masked'])
    .where('id', '=', memberId)
    .executeTakeFirst();
}
