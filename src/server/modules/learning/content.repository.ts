/**
 * All SQL of learning content and progress. Who may see an item is decided here in SQL, from the org ids the
 * service passes (learning.policy.ts computes them): an item is visible when one of its target orgs covers a
 * reader root (the target is an ancestor-or-self of the reader's org) or lies inside a reader's subtree.
 */
import type { ExpressionBuilder, Insertable, Selectable, Updateable } from 'kysely';
import type { DB, Executor, LearningContentTable, LearningProgressTable } from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';

export type ContentRow = Selectable<LearningContentTable> & { org_name: string };
export type NewContent = Insertable<LearningContentTable>;
export type ContentPatch = Updateable<LearningContentTable>;
export type ProgressRow = Selectable<LearningProgressTable>;

/** Who is looking: reader roots (learning.read grants) and the scope where unpublished items may be seen. */
export interface Viewer {
  readRoots: number[];
  /** learning.publish or learning.review: items of publishers in this scope are visible in any status */
  manageScope: OrgScope | null;
}

const none = [-1];

/** The visibility condition on `learning_content` for a viewer. */
export function visibleTo(db: Executor, v: Viewer) {
  const roots = v.readRoots.length ? v.readRoots : none;
  return (eb: ExpressionBuilder<DB, 'learning_content'>) => {
    const published = eb.and([
      eb('learning_content.status', '=', 'published'),
      eb.or([
        eb.exists(
          eb
            .selectFrom('learning_content_orgs as co')
            .innerJoin('org_closure as oc', 'oc.ancestor_id', 'co.org_id')
            .select('co.org_id')
            .whereRef('co.content_id', '=', 'learning_content.id')
            .where('oc.descendant_id', 'in', roots),
        ),
        eb.exists(
          eb
            .selectFrom('learning_content_orgs as co')
            .innerJoin('org_closure as oc', 'oc.descendant_id', 'co.org_id')
            .select('co.org_id')
            .whereRef('co.content_id', '=', 'learning_content.id')
            .where('oc.ancestor_id', 'in', roots),
        ),
      ]),
    ]);
    if (!v.manageScope) return published;
    return eb.or([published, eb('learning_content.org_id', 'in', scopedOrgIds(db, v.manageScope))]);
  };
}

function withOrg(db: Executor) {
  return db
    .selectFrom('learning_content')
    .innerJoin('orgs', 'orgs.id', 'learning_content.org_id')
    .selectAll('learning_content')
    .select('orgs.name as org_name');
}

export async function insert(db: Executor, row: NewContent): Promise<number> {
  const r = await db.insertInto('learning_content').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function update(db: Executor, id: number, patch: ContentPatch): Promise<void> {
  await db.updateTable('learning_content').set(patch).where('id', '=', id).execute();
}

export async function setTopics(db: Executor, id: number, topics: string[]): Promise<void> {
  await db.deleteFrom('learning_content_topics').where('content_id', '=', id).execute();
  if (topics.length) {
    await db
      .insertInto('learning_content_topics')
      .values(topics.map((topic) => ({ content_id: id, topic })))
      .execute();
  }
}

export async function setOrgs(db: Executor, id: number, orgIds: number[]): Promise<void> {
  await db.deleteFrom('learning_content_orgs').where('content_id', '=', id).execute();
  if (orgIds.length) {
    await db
      .insertInto('learning_content_orgs')
      .values(orgIds.map((org_id) => ({ content_id: id, org_id })))
      .execute();
  }
}

export async function findById(db: Executor, id: number): Promise<ContentRow | undefined> {
  return withOrg(db).where('learning_content.id', '=', id).executeTakeFirst();
}

export async function findVisible(db: Executor, id: number, v: Viewer): Promise<ContentRow | undefined> {
  return withOrg(db).where('learning_content.id', '=', id).where(visibleTo(db, v)).executeTakeFirst();
}

export async function isVisible(db: Executor, id: number, v: Viewer): Promise<boolean> {
  const r = await db
    .selectFrom('learning_content')
    .select('id')
    .where('id', '=', id)
    .where(visibleTo(db, v))
    .executeTakeFirst();
  return r !== undefined;
}

/** The few columns a heartbeat needs. */
export async function heartbeatInfo(db: Executor, id: number) {
  return db
    .selectFrom('learning_content')
    .select(['id', 'kind', 'status', 'duration', 'required_seconds', 'title'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface ContentFilter {
  q?: string;
  topic?: string;
  kind?: string;
  status?: string;
  org?: OrgScope;
}

export async function list(db: Executor, v: Viewer, f: ContentFilter, offset: number, limit: number) {
  let q = withOrg(db).where(visibleTo(db, v));
  if (f.q) q = q.where('learning_content.search_text', 'like', `%${f.q.toLowerCase().replace(/[%_\\]/g, '')}%`);
  if (f.kind) q = q.where('learning_content.kind', '=', f.kind);
  if (f.status) q = q.where('learning_content.status', '=', f.status);
  if (f.org) q = q.where('learning_content.org_id', 'in', scopedOrgIds(db, f.org));
  if (f.topic) {
    const topic = f.topic;
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('learning_content_topics as t')
          .select('t.content_id')
          .whereRef('t.content_id', '=', 'learning_content.id')
          .where('t.topic', '=', topic),
      ),
    );
  }
  const total = await db
    .selectFrom(q.as('x'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .orderBy('learning_content.published_at', 'desc')
    .orderBy('learning_content.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  return { total: Number(total.n), rows };
}

export async function topicsOf(db: Executor, ids: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('learning_content_topics')
    .select(['content_id', 'topic'])
    .where('content_id', 'in', ids)
    .orderBy('topic')
    .execute();
  for (const r of rows) out.set(r.content_id, [...(out.get(r.content_id) ?? []), r.topic]);
  return out;
}

export async function orgsOf(db: Executor, ids: number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom('learning_content_orgs')
    .select(['content_id', 'org_id'])
    .where('content_id', 'in', ids)
    .orderBy('org_id')
    .execute();
  for (const r of rows) out.set(r.content_id, [...(out.get(r.content_id) ?? []), r.org_id]);
  return out;
}

/** All topics in use among the items a viewer can see, with counts. */
export async function topicCounts(db: Executor, v: Viewer) {
  const rows = await db
    .selectFrom('learning_content_topics as t')
    .innerJoin('learning_content', 'learning_content.id', 't.content_id')
    .where(visibleTo(db, v))
    .select(['t.topic', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy('t.topic')
    .orderBy('t.topic')
    .execute();
  return rows.map((r) => ({ topic: r.topic, count: Number(r.n) }));
}

// ---- progress ------------------------------------------------------------------------------------------------

export async function progressOf(
  db: Executor,
  memberId: number,
  contentIds: number[],
): Promise<Map<number, ProgressRow>> {
  const out = new Map<number, ProgressRow>();
  if (!contentIds.length) return out;
  const rows = await db
    .selectFrom('learning_progress')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('content_id', 'in', contentIds)
    .execute();
  for (const r of rows) out.set(r.content_id, r);
  return out;
}

export async function findProgress(db: Executor, memberId: number, contentId: number) {
  return db
    .selectFrom('learning_progress')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('content_id', '=', contentId)
    .executeTakeFirst();
}

export async function insertProgress(db: Executor, row: Insertable<LearningProgressTable>): Promise<void> {
  await db.insertInto('learning_progress').values(row).execute();
}

/** Updates a progress row; `onlyIfOpen`: only while not yet completed (returns whether a row changed). */
export async function updateProgress(
  db: Executor,
  memberId: number,
  contentId: number,
  patch: Updateable<LearningProgressTable>,
  lastBeatAt: number,
): Promise<boolean> {
  const r = await db
    .updateTable('learning_progress')
    .set(patch)
    .where('member_id', '=', memberId)
    .where('content_id', '=', contentId)
    // optimistic: a concurrent heartbeat that moved on first wins, this one is dropped
    .where('last_beat_at', '=', lastBeatAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Items the member started and did not finish, the most recent first (visible ones only). */
export async function inProgress(db: Executor, memberId: number, v: Viewer, limit: number) {
  return withOrg(db)
    .innerJoin('learning_progress as p', 'p.content_id', 'learning_content.id')
    .where('p.member_id', '=', memberId)
    .where('p.completed_at', 'is', null)
    .where(visibleTo(db, v))
    .orderBy('p.updated_at', 'desc')
    .limit(limit)
    .execute();
}

/** Whether the member's study of this item is already on the training-hours ledger. */
export async function hasStudyHours(db: Executor, memberId: number, ref: string): Promise<boolean> {
  const r = await db
    .selectFrom('training_hours')
    .select('id')
    .where('member_id', '=', memberId)
    .where('source', '=', 'study')
    .where('ref', '=', ref)
    .executeTakeFirst();
  return r !== undefined;
}

export async function insertStudyHours(
  db: Executor,
  row: {
    member_id: number;
    year: number;
    minutes: number;
    title: string;
    occurred_on: string;
    ref: string;
    at: string;
  },
): Promise<void> {
  await db
    .insertInto('training_hours')
    .values({
      member_id: row.member_id,
      year: row.year,
      minutes: row.minutes,
      title: row.title,
      source: 'study',
      occurred_on: row.occurred_on,
      ref: row.ref,
      recorded_at: row.at,
      recorded_by: null,
    })
    .execute();
}

export async function studyMinutes(db: Executor, memberId: number, year: number): Promise<number> {
  const r = await db
    .selectFrom('training_hours')
    .select((eb) => eb.fn.sum<number>('minutes').as('m'))
    .where('member_id', '=', memberId)
    .where('year', '=', year)
    .where('source', '=', 'study')
    .where('ref', 'like', 'learning:%')
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

export async function memberInfo(db: Executor, memberId: number) {
  return db
    .selectFrom('members')
    .innerJoin('orgs', 'orgs.id', 'members.org_id')
    .select(['members.id', 'members.name', 'members.org_id', 'members.status', 'orgs.name as org_name'])
    .where('members.id', '=', memberId)
    .executeTakeFirst();
}
