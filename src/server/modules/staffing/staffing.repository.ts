/**
 * All SQL of party posts (党务干部), authorised posts (编制) and training hours (学时), plus the few member and
 * org lookups these domains (and transfers) need. "Active" people are members in one of ACTIVE_STATUSES.
 */
import { ACTIVE_STATUSES, COMMITTEE_POSTS } from '../../../shared/members.js';
import { STAFFED_ORG_KINDS } from '../../../shared/staffing.js';
import type { Executor } from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';

const ACTIVE = [...ACTIVE_STATUSES];

// ---- lookups --------------------------------------------------------------------------------------------------

export interface MemberRef {
  id: number;
  org_id: number;
  name: string;
  status: string;
}

export async function findMember(db: Executor, id: number): Promise<MemberRef | undefined> {
  return db.selectFrom('members').select(['id', 'org_id', 'name', 'status']).where('id', '=', id).executeTakeFirst();
}

export interface OrgRef {
  id: number;
  name: string;
  kind: string;
  parent_id: number | null;
  depth: number;
}

export async function findOrg(db: Executor, id: number): Promise<OrgRef | undefined> {
  return db
    .selectFrom('orgs')
    .select(['id', 'name', 'kind', 'parent_id', 'depth'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Is `descendant` the org `ancestor` or below it? */
export async function isUnder(db: Executor, descendant: number, ancestor: number): Promise<boolean> {
  const r = await db
    .selectFrom('org_closure')
    .select('depth')
    .where('ancestor_id', '=', ancestor)
    .where('descendant_id', '=', descendant)
    .executeTakeFirst();
  return r !== undefined;
}

/** The org itself and all its ancestors. */
export async function selfAndAncestors(db: Executor, orgId: number): Promise<number[]> {
  const rows = await db.selectFrom('org_closure').select('ancestor_id').where('descendant_id', '=', orgId).execute();
  return rows.map((r) => r.ancestor_id);
}

/** One change in a member's history, the format the members module writes and reads. */
export interface HistoryChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

export async function insertHistory(
  db: Executor,
  row: { member_id: number; at: string; actor: string; action: string; changes: HistoryChange[] },
): Promise<void> {
  await db
    .insertInto('member_history')
    .values({ ...row, changes: JSON.stringify(row.changes) })
    .execute();
}

/** Unique-index violation on either database (a rule the partial unique indexes hold under concurrency). */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string } | null;
  return err?.code === '23505' || err?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

// ---- party posts ----------------------------------------------------------------------------------------------

export interface PostRow {
  id: number;
  member_id: number;
  member_name: string;
  org_id: number;
  org_name: string;
  org_kind: string;
  org_depth: number;
  post: string;
  full_time: number;
  started_at: string;
  ended_at: string | null;
}

function postBase(db: Executor) {
  return db
    .selectFrom('party_posts as p')
    .innerJoin('members as m', 'm.id', 'p.member_id')
    .innerJoin('orgs as o', 'o.id', 'p.org_id')
    .select([
      'p.id',
      'p.member_id',
      'm.name as member_name',
      'p.org_id',
      'o.name as org_name',
      'o.kind as org_kind',
      'o.depth as org_depth',
      'p.post',
      'p.full_time',
      'p.started_at',
      'p.ended_at',
    ]);
}

export async function findPost(db: Executor, id: number): Promise<PostRow | undefined> {
  return postBase(db).where('p.id', '=', id).executeTakeFirst();
}

/** Active posts (not ended, holder on the active roster) on the orgs inside `scope`. */
export async function activePosts(db: Executor, scope: OrgScope): Promise<PostRow[]> {
  return postBase(db)
    .where('p.ended_at', 'is', null)
    .where('m.status', 'in', ACTIVE)
    .where('p.org_id', 'in', scopedOrgIds(db, scope))
    .execute();
}

export async function activeSecretary(db: Executor, orgId: number): Promise<PostRow | undefined> {
  return postBase(db)
    .where('p.org_id', '=', orgId)
    .where('p.post', '=', 'secretary')
    .where('p.ended_at', 'is', null)
    .executeTakeFirst();
}

export async function activeSamePost(db: Executor, memberId: number, orgId: number, post: string) {
  return db
    .selectFrom('party_posts')
    .select('id')
    .where('member_id', '=', memberId)
    .where('org_id', '=', orgId)
    .where('post', '=', post)
    .where('ended_at', 'is', null)
    .executeTakeFirst();
}

export async function insertPost(
  db: Executor,
  v: { member_id: number; org_id: number; post: string; full_time: number; started_at: string; created_at: string },
): Promise<number> {
  const r = await db
    .insertInto('party_posts')
    .values({ ...v, ended_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function endPost(db: Executor, id: number, endedAt: string): Promise<void> {
  await db.updateTable('party_posts').set({ ended_at: endedAt }).where('id', '=', id).execute();
}

/** Ends a member's active posts on every org except `keep`; returns the posts it ended. */
export async function endMemberPosts(
  db: Executor,
  memberId: number,
  endedAt: string,
  keep: number[] = [],
): Promise<{ id: number; org_id: number; post: string }[]> {
  let q = db
    .selectFrom('party_posts')
    .select(['id', 'org_id', 'post'])
    .where('member_id', '=', memberId)
    .where('ended_at', 'is', null);
  if (keep.length) q = q.where('org_id', 'not in', keep);
  const ended = await q.execute();
  if (ended.length) {
    await db
      .updateTable('party_posts')
      .set({ ended_at: endedAt })
      .where(
        'id',
        'in',
        ended.map((p) => p.id),
      )
      .execute();
  }
  return ended;
}

// ---- 编制 and the staffing view ----------------------------------------------------------------------------------

export interface StaffedOrgRow {
  id: number;
  name: string;
  kind: string;
  depth: number;
  parent_id: number | null;
  parent_name: string | null;
  authorised: number | null;
}

/** Orgs of the staffed kinds inside `scope`, with their 编制 (null when never set). */
export async function staffedOrgs(db: Executor, scope: OrgScope): Promise<StaffedOrgRow[]> {
  const rows = await db
    .selectFrom('orgs as o')
    .leftJoin('orgs as parent', 'parent.id', 'o.parent_id')
    .leftJoin('org_staffing as s', 's.org_id', 'o.id')
    .select([
      'o.id',
      'o.name',
      'o.kind',
      'o.depth',
      'o.parent_id',
      'parent.name as parent_name',
      's.authorised_full_time as authorised',
    ])
    .where('o.kind', 'in', [...STAFFED_ORG_KINDS])
    .where('o.id', 'in', scopedOrgIds(db, scope))
    .execute();
  return rows.map((r) => ({ ...r, authorised: r.authorised === null ? null : Number(r.authorised) }));
}

export async function setAuthorised(db: Executor, orgId: number, n: number, at: string): Promise<void> {
  await db
    .insertInto('org_staffing')
    .values({ org_id: orgId, authorised_full_time: n, updated_at: at })
    .onConflict((oc) => oc.column('org_id').doUpdateSet({ authorised_full_time: n, updated_at: at }))
    .execute();
}

export async function getAuthorised(db: Executor, orgId: number): Promise<number | null> {
  const r = await db
    .selectFrom('org_staffing')
    .select('authorised_full_time')
    .where('org_id', '=', orgId)
    .executeTakeFirst();
  return r ? Number(r.authorised_full_time) : null;
}

// ---- training hours -----------------------------------------------------------------------------------------

export interface TrainingRowDb {
  id: number;
  member_id: number;
  year: number;
  minutes: number;
  title: string;
  source: string;
  occurred_on: string;
  ref: string | null;
  recorded_at: string;
  recorded_by: string | null;
}

export async function insertTraining(db: Executor, v: Omit<TrainingRowDb, 'id'>): Promise<number> {
  const r = await db.insertInto('training_hours').values(v).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findTraining(db: Executor, id: number): Promise<TrainingRowDb | undefined> {
  return db.selectFrom('training_hours').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function trainingEntries(db: Executor, memberId: number, year: number): Promise<TrainingRowDb[]> {
  return db
    .selectFrom('training_hours')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('year', '=', year)
    .orderBy('occurred_on')
    .orderBy('id')
    .execute();
}

export interface MemberHoursRow {
  member_id: number;
  name: string;
  org_id: number;
  org_name: string;
  minutes: number;
  committee_posts: number;
}

/**
 * Members on the active roster inside `scope` (or just `memberId`), with their minutes recorded for `year` and how
 * many committee posts they held at some time during that year (on any organisation).
 */
export async function memberHours(
  db: Executor,
  scope: OrgScope,
  year: number,
  memberId?: number,
): Promise<MemberHoursRow[]> {
  let q = db
    .selectFrom('members as m')
    .innerJoin('orgs as o', 'o.id', 'm.org_id')
    .select((eb) => [
      'm.id as member_id',
      'm.name',
      'm.org_id',
      'o.name as org_name',
      eb
        .selectFrom('training_hours as th')
        .select((e) => e.fn.coalesce(e.fn.sum<number>('th.minutes'), e.lit(0)).as('s'))
        .whereRef('th.member_id', '=', 'm.id')
        .where('th.year', '=', year)
        .as('minutes'),
      eb
        .selectFrom('party_posts as p')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('p.member_id', '=', 'm.id')
        .where('p.post', 'in', [...COMMITTEE_POSTS])
        .where('p.started_at', '<=', `${year}-12-31`)
        .where((e) => e.or([e('p.ended_at', 'is', null), e('p.ended_at', '>=', `${year}-01-01`)]))
        .as('committee_posts'),
    ]);
  if (memberId !== undefined) q = q.where('m.id', '=', memberId);
  else q = q.where('m.status', 'in', ACTIVE).where('m.org_id', 'in', scopedOrgIds(db, scope));
  const rows = await q.execute();
  return rows.map((r) => ({
    ...r,
    minutes: Number(r.minutes ?? 0),
    committee_posts: Number(r.committee_posts ?? 0),
  }));
}
