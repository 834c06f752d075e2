/**
 * All SQL of the meetings domain: meetings with their types (org_id and local_date denormalised onto
 * meeting_types for the compliance engine, rewritten with the meeting on every write), attendance, resolutions,
 * 民主评议 grades, attachments and correction versions, and the roster lookups attendance and quorum need.
 * Lists filter by the caller's subtrees in SQL (scopedOrgIds), never in code.
 */
import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import { ACTIVE_STATUSES, COMMITTEE_POSTS } from '../../../shared/members.js';
import type {
  Executor,
  MeetingAttachmentTable,
  MeetingAttendeeTable,
  MeetingResolutionTable,
  MeetingReviewTable,
  MeetingTable,
  MeetingVersionTable,
} from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';

export type MeetingRow = Selectable<MeetingTable> & {
  org_name: string;
  org_kind: string;
  org_parent_id: number | null;
  host_name: string | null;
  recorder_name: string | null;
};
export type NewMeeting = Insertable<MeetingTable>;
export type MeetingPatch = Updateable<MeetingTable>;
export type AttendeeRow = Selectable<MeetingAttendeeTable> & {
  name: string;
  category: string;
  member_status: string;
  member_org_id: number;
};
export type ResolutionRow = Selectable<MeetingResolutionTable>;
export type ReviewRow = Selectable<MeetingReviewTable> & { name: string };
export type AttachmentRow = Selectable<MeetingAttachmentTable>;
export type VersionRow = Selectable<MeetingVersionTable>;

const BATCH = 500;
function chunks<T>(xs: readonly T[], size = BATCH): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

function withNames(db: Executor) {
  return db
    .selectFrom('meetings')
    .innerJoin('orgs', 'orgs.id', 'meetings.org_id')
    .leftJoin('members as host', 'host.id', 'meetings.host_id')
    .leftJoin('members as recorder', 'recorder.id', 'meetings.recorder_id')
    .selectAll('meetings')
    .select([
      'orgs.name as org_name',
      'orgs.kind as org_kind',
      'orgs.parent_id as org_parent_id',
      'host.name as host_name',
      'recorder.name as recorder_name',
    ]);
}

export async function findById(db: Executor, id: number): Promise<MeetingRow | undefined> {
  return withNames(db).where('meetings.id', '=', id).executeTakeFirst();
}

export async function findManyById(db: Executor, ids: number[]): Promise<MeetingRow[]> {
  const out: MeetingRow[] = [];
  for (const part of chunks(ids)) out.push(...(await withNames(db).where('meetings.id', 'in', part).execute()));
  return out;
}

/** The org of a meeting (for the scope check), or undefined. */
export async function orgOf(db: Executor, id: number): Promise<number | undefined> {
  const r = await db.selectFrom('meetings').select('org_id').where('id', '=', id).executeTakeFirst();
  return r?.org_id;
}

export async function typesOf(db: Executor, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('meeting_types')
      .select(['meeting_id', 'type'])
      .where('meeting_id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), r.type]);
  }
  return out;
}

export async function attendeesOf(db: Executor, ids: number[]): Promise<Map<number, AttendeeRow[]>> {
  const out = new Map<number, AttendeeRow[]>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('meeting_attendees as a')
      .innerJoin('members as m', 'm.id', 'a.member_id')
      .selectAll('a')
      .select(['m.name as name', 'm.category as category', 'm.status as member_status', 'm.org_id as member_org_id'])
      .where('a.meeting_id', 'in', part)
      .orderBy('a.meeting_id')
      .orderBy('m.id')
      .execute();
    for (const r of rows) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), r]);
  }
  return out;
}

export async function resolutionsOf(db: Executor, ids: number[]): Promise<Map<number, ResolutionRow[]>> {
  const out = new Map<number, ResolutionRow[]>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('meeting_resolutions')
      .selectAll()
      .where('meeting_id', 'in', part)
      .orderBy('meeting_id')
      .orderBy('id')
      .execute();
    for (const r of rows) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), r]);
  }
  return out;
}

export async function reviewsOf(db: Executor, ids: number[]): Promise<Map<number, ReviewRow[]>> {
  const out = new Map<number, ReviewRow[]>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('meeting_reviews as r')
      .innerJoin('members as m', 'm.id', 'r.member_id')
      .selectAll('r')
      .select('m.name as name')
      .where('r.meeting_id', 'in', part)
      .orderBy('r.meeting_id')
      .orderBy('m.id')
      .execute();
    for (const r of rows) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), r]);
  }
  return out;
}

export async function attachmentsOf(db: Executor, id: number): Promise<AttachmentRow[]> {
  return db.selectFrom('meeting_attachments').selectAll().where('meeting_id', '=', id).orderBy('id').execute();
}

// ---- lists -----------------------------------------------------------------------------------------------------

export interface MeetingListFilter {
  /** only this org's subtree (already checked to be inside the scope) */
  root?: number;
  /** local dates, inclusive */
  from?: string;
  to?: string;
  type?: string;
  status?: string;
}

function filtered(db: Executor, scope: OrgScope, f: MeetingListFilter) {
  let q = db.selectFrom('meetings');
  if (!scope.all) q = q.where('meetings.org_id', 'in', scopedOrgIds(db, scope));
  if (f.root !== undefined) q = q.where('meetings.org_id', 'in', scopedOrgIds(db, { all: false, roots: [f.root] }));
  if (f.from) q = q.where('meetings.local_date', '>=', f.from);
  if (f.to) q = q.where('meetings.local_date', '<=', f.to);
  if (f.status) q = q.where('meetings.status', '=', f.status);
  if (f.type) {
    const type = f.type;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('meeting_types')
          .select(sql.lit(1).as('one'))
          .whereRef('meeting_types.meeting_id', '=', 'meetings.id')
          .where('meeting_types.type', '=', type),
      ),
    );
  }
  return q;
}

/** One page, newest first. */
export async function list(db: Executor, scope: OrgScope, f: MeetingListFilter, offset: number, limit: number) {
  const q = filtered(db, scope, f);
  const [{ total }] = await q.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const ids = await q
    .select('meetings.id')
    .orderBy('meetings.starts_at', 'desc')
    .orderBy('meetings.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  const rows = await findManyById(
    db,
    ids.map((r) => r.id),
  );
  const order = new Map(ids.map((r, i) => [r.id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return { rows, total: Number(total) };
}

/** Meetings of one org (not its subtree) with local dates in [from, to], oldest first. */
export async function idsOfOrg(
  db: Executor,
  orgId: number,
  from: string,
  to: string,
  statuses: string[],
  limit: number,
): Promise<number[]> {
  const rows = await db
    .selectFrom('meetings')
    .select('id')
    .where('org_id', '=', orgId)
    .where('local_date', '>=', from)
    .where('local_date', '<=', to)
    .where('status', 'in', statuses)
    .orderBy('starts_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A member's meetings: those of their org and those they are recorded for, ending at or after `fromIso`
 * (or in [fromIso, toIso) when `toIso` is given), oldest first.
 */
export async function idsForMember(
  db: Executor,
  orgId: number,
  memberId: number,
  fromIso: string,
  limit: number,
  toIso?: string,
): Promise<number[]> {
  let q = db
    .selectFrom('meetings')
    .select('id')
    .where((eb) =>
      eb.or([
        eb('org_id', '=', orgId),
        eb.exists(
          eb
            .selectFrom('meeting_attendees')
            .select(sql.lit(1).as('one'))
            .whereRef('meeting_attendees.meeting_id', '=', 'meetings.id')
            .where('meeting_attendees.member_id', '=', memberId),
        ),
      ]),
    )
    .where('ends_at', '>=', fromIso);
  if (toIso) q = q.where('starts_at', '<', toIso);
  const rows = await q.orderBy('starts_at').orderBy('id').limit(limit).execute();
  return rows.map((r) => r.id);
}

// ---- writes ----------------------------------------------------------------------------------------------------

export async function insert(db: Executor, row: NewMeeting): Promise<number> {
  const r = await db.insertInto('meetings').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function update(db: Executor, id: number, patch: MeetingPatch): Promise<void> {
  await db.updateTable('meetings').set(patch).where('id', '=', id).execute();
}

export async function remove(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('meeting_types').where('meeting_id', '=', id).execute();
  await db.deleteFrom('meeting_attendees').where('meeting_id', '=', id).execute();
  await db.deleteFrom('meeting_resolutions').where('meeting_id', '=', id).execute();
  await db.deleteFrom('meeting_reviews').where('meeting_id', '=', id).execute();
  await db.deleteFrom('meeting_attachments').where('meeting_id', '=', id).execute();
  await db.deleteFrom('meeting_versions').where('meeting_id', '=', id).execute();
  await db.deleteFrom('meetings').where('id', '=', id).execute();
}

/** Rewrites the meeting's types with the denormalised org and local date the compliance engine reads. */
export async function replaceTypes(
  db: Executor,
  id: number,
  types: readonly string[],
  orgId: number,
  localDate: string,
): Promise<void> {
  await db.deleteFrom('meeting_types').where('meeting_id', '=', id).execute();
  if (types.length === 0) return;
  await db
    .insertInto('meeting_types')
    .values(types.map((type) => ({ meeting_id: id, type, org_id: orgId, local_date: localDate })))
    .execute();
}

export async function replaceAttendees(
  db: Executor,
  id: number,
  rows: Insertable<MeetingAttendeeTable>[],
): Promise<void> {
  await db.deleteFrom('meeting_attendees').where('meeting_id', '=', id).execute();
  for (const part of chunks(rows)) await db.insertInto('meeting_attendees').values(part).execute();
}

export async function replaceResolutions(
  db: Executor,
  id: number,
  rows: Insertable<MeetingResolutionTable>[],
): Promise<void> {
  await db.deleteFrom('meeting_resolutions').where('meeting_id', '=', id).execute();
  for (const part of chunks(rows)) await db.insertInto('meeting_resolutions').values(part).execute();
}

export async function replaceReviews(db: Executor, id: number, rows: Insertable<MeetingReviewTable>[]): Promise<void> {
  await db.deleteFrom('meeting_reviews').where('meeting_id', '=', id).execute();
  for (const part of chunks(rows)) await db.insertInto('meeting_reviews').values(part).execute();
}

export async function attendee(
  db: Executor,
  meetingId: number,
  memberId: number,
): Promise<Selectable<MeetingAttendeeTable> | undefined> {
  return db
    .selectFrom('meeting_attendees')
    .selectAll()
    .where('meeting_id', '=', meetingId)
    .where('member_id', '=', memberId)
    .executeTakeFirst();
}

export async function insertAttendee(db: Executor, row: Insertable<MeetingAttendeeTable>): Promise<void> {
  await db.insertInto('meeting_attendees').values(row).execute();
}

export async function updateAttendee(
  db: Executor,
  meetingId: number,
  memberId: number,
  patch: Updateable<MeetingAttendeeTable>,
): Promise<void> {
  await db
    .updateTable('meeting_attendees')
    .set(patch)
    .where('meeting_id', '=', meetingId)
    .where('member_id', '=', memberId)
    .execute();
}

// ---- versions and attachments ----------------------------------------------------------------------------------

export async function insertVersion(db: Executor, row: Insertable<MeetingVersionTable>): Promise<void> {
  await db.insertInto('meeting_versions').values(row).execute();
}

export async function versionsOf(db: Executor, id: number): Promise<VersionRow[]> {
  return db
    .selectFrom('meeting_versions')
    .selectAll()
    .where('meeting_id', '=', id)
    .orderBy('version', 'desc')
    .orderBy('id', 'desc')
    .execute();
}

export async function insertAttachment(db: Executor, row: Insertable<MeetingAttachmentTable>): Promise<number> {
  const r = await db.insertInto('meeting_attachments').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findAttachment(
  db: Executor,
  meetingId: number,
  attachmentId: number,
): Promise<AttachmentRow | undefined> {
  return db
    .selectFrom('meeting_attachments')
    .selectAll()
    .where('id', '=', attachmentId)
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
}

export async function deleteAttachment(db: Executor, attachmentId: number): Promise<void> {
  await db.deleteFrom('meeting_attachments').where('id', '=', attachmentId).execute();
}

// ---- orgs and rosters ------------------------------------------------------------------------------------------

export interface OrgInfo {
  id: number;
  name: string;
  kind: string;
  parent_id: number | null;
}

export async function orgInfo(db: Executor, id: number): Promise<OrgInfo | undefined> {
  return db.selectFrom('orgs').select(['id', 'name', 'kind', 'parent_id']).where('id', '=', id).executeTakeFirst();
}

export async function orgsInfo(db: Executor, ids: number[]): Promise<Map<number, OrgInfo>> {
  const out = new Map<number, OrgInfo>();
  for (const part of chunks(ids)) {
    const rows = await db
      .selectFrom('orgs')
      .select(['id', 'name', 'kind', 'parent_id'])
      .where('id', 'in', part)
      .execute();
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/** The org and everything under it. */
export async function subtreeIds(db: Executor, orgId: number): Promise<number[]> {
  const rows = await db.selectFrom('org_closure').select('descendant_id').where('ancestor_id', '=', orgId).execute();
  return rows.map((r) => r.descendant_id);
}

/** Of the given members, those on one of `orgIds` (with their org). */
export async function membersOn(
  db: Executor,
  memberIds: number[],
  orgIds: number[],
): Promise<Map<number, { org_id: number; name: string }>> {
  const out = new Map<number, { org_id: number; name: string }>();
  if (orgIds.length === 0) return out;
  for (const part of chunks(memberIds)) {
    const rows = await db
      .selectFrom('members')
      .select(['id', 'org_id', 'name'])
      .where('id', 'in', part)
      .where('org_id', 'in', orgIds)
      .execute();
    for (const r of rows) out.set(r.id, { org_id: r.org_id, name: r.name });
  }
  return out;
}

/** Of the given members, those holding a current post on `orgId`. */
export async function postHoldersAmong(db: Executor, memberIds: number[], orgId: number): Promise<Set<number>> {
  const out = new Set<number>();
  for (const part of chunks(memberIds)) {
    const rows = await db
      .selectFrom('party_posts')
      .select('member_id')
      .where('member_id', 'in', part)
      .where('org_id', '=', orgId)
      .where('ended_at', 'is', null)
      .execute();
    for (const r of rows) out.add(r.member_id);
  }
  return out;
}

export interface RosterCounts {
  /** active full members (category full) */
  full: number;
  /** active members */
  members: number;
}

/** Active members on `orgIds`, and how many of them are full members. */
export async function rosterCounts(db: Executor, orgIds: number[]): Promise<RosterCounts> {
  if (orgIds.length === 0) return { full: 0, members: 0 };
  const r = await db
    .selectFrom('members')
    .select((eb) => [
      eb.fn.countAll<number>().as('members'),
      eb.fn.sum<number>(eb.case().when('category', '=', 'full').then(1).else(0).end()).as('full'),
    ])
    .where('org_id', 'in', orgIds)
    .where('status', 'in', [...ACTIVE_STATUSES])
    .executeTakeFirstOrThrow();
  return { full: Number(r.full ?? 0), members: Number(r.members ?? 0) };
}

/** Active members holding a current committee post (书记 … 委员) on `orgId`. */
export async function committeeHolders(db: Executor, orgId: number): Promise<Set<number>> {
  const rows = await db
    .selectFrom('party_posts as p')
    .innerJoin('members as m', 'm.id', 'p.member_id')
    .select('p.member_id')
    .distinct()
    .where('p.org_id', '=', orgId)
    .where('p.post', 'in', [...COMMITTEE_POSTS])
    .where('p.ended_at', 'is', null)
    .where('m.status', 'in', [...ACTIVE_STATUSES])
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

export interface MemberRef {
  id: number;
  org_id: number;
  name: string;
  user_id: number | null;
}

export async function member(db: Executor, id: number): Promise<MemberRef | undefined> {
  return db.selectFrom('members').select(['id', 'org_id', 'name', 'user_id']).where('id', '=', id).executeTakeFirst();
}

/** The user behind a calendar token: still enabled, still linked to the member. */
export async function enabledUserOfMember(db: Executor, memberId: number, userId: number): Promise<boolean> {
  const r = await db
    .selectFrom('members')
    .innerJoin('users', 'users.id', 'members.user_id')
    .select('users.id')
    .where('members.id', '=', memberId)
    .where('users.id', '=', userId)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  return r !== undefined;
}
