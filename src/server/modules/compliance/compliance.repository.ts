/**
 * SQL of the compliance engine's own records and reads: rules, exemptions, the engine's state (in settings),
 * webhooks and reminders, and the reads behind the overview (rollups, result rows, quality signals).
 * The maintained tables are written by results.repository.ts.
 */
import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { type OrgScope, scopedOrgIds } from '../orgs/orgs.repository.js';
import * as settings from '../settings/settings.repository.js';
import { OVERALL } from './compliance.periods.js';

const list = (xs: readonly (string | number)[]) => sql.join(xs.map((x) => sql.lit(x)));

// ---- the engine's state ------------------------------------------------------------------------------------------

const STATE_KEY = 'compliance.state';

export interface StateValue {
  /** first day of the first tracked year: no rows before it */
  trackedFrom: string;
  /** the date (Asia/Shanghai) the stored statuses are computed for (pending vs missed) */
  asOf: string;
  /** rows exist for every period of the years up to this one */
  throughYear: number;
}

export async function getState(db: Executor): Promise<StateValue | undefined> {
  return (await settings.get(db, STATE_KEY)) as StateValue | undefined;
}

export async function putState(db: Executor, state: StateValue): Promise<void> {
  await settings.put(db, STATE_KEY, state);
}

// ---- organisations --------------------------------------------------------------------------------------------------

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

export async function orgNames(db: Executor, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('orgs')
      .select(['id', 'name'])
      .where('id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.id, r.name);
  }
  return out;
}

/** The org and its ancestors, nearest first. */
export async function selfAndAncestors(db: Executor, orgId: number): Promise<{ id: number; depth: number }[]> {
  const rows = await db
    .selectFrom('org_closure')
    .select(['ancestor_id', 'depth'])
    .where('descendant_id', '=', orgId)
    .orderBy('depth')
    .execute();
  return rows.map((r) => ({ id: r.ancestor_id, depth: r.depth }));
}

/** Pairs (ancestor, descendant) with ancestor strictly above descendant, among the given orgs. */
export async function ancestryAmong(db: Executor, ids: number[]): Promise<{ ancestor: number; descendant: number }[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('org_closure')
    .select(['ancestor_id', 'descendant_id'])
    .where('ancestor_id', 'in', ids)
    .where('descendant_id', 'in', ids)
    .where('depth', '>', 0)
    .execute();
  return rows.map((r) => ({ ancestor: r.ancestor_id, descendant: r.descendant_id }));
}

// ---- rules -----------------------------------------------------------------------------------------------------------

export interface RuleRow {
  id: number;
  scope_org_id: number | null;
  type: string;
  frequency: string;
  times: number;
  quorum: string;
  applies_to: string;
  effective_from: string;
  effective_to: string | null;
  created_by: string;
  created_at: string;
}

export async function listRules(db: Executor): Promise<RuleRow[]> {
  return db.selectFrom('compliance_rules').selectAll().orderBy('effective_from').orderBy('id').execute();
}

export async function countDefaultRules(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('compliance_rules')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope_org_id', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertRule(db: Executor, row: Omit<RuleRow, 'id'>): Promise<number> {
  const r = await db.insertInto('compliance_rules').values(row).returning('id').executeTakeFirstOrThrow();
  return r.id;
}

export async function findRule(db: Executor, id: number): Promise<RuleRow | undefined> {
  return db.selectFrom('compliance_rules').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setRuleEnd(db: Executor, id: number, effectiveTo: string | null): Promise<void> {
  await db.updateTable('compliance_rules').set({ effective_to: effectiveTo }).where('id', '=', id).execute();
}

export async function deleteRule(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('compliance_rules').where('id', '=', id).execute();
}

export async function deleteRulesScopedAt(db: Executor, orgId: number): Promise<void> {
  await db.deleteFrom('compliance_rules').where('scope_org_id', '=', orgId).execute();
}

// ---- exemptions ------------------------------------------------------------------------------------------------------

export interface ExemptionRow {
  id: number;
  org_id: number;
  org_name: string;
  parent_id: number | null;
  type: string;
  period: string;
  reason: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

function exemptionBase(db: Executor) {
  return db
    .selectFrom('compliance_exemptions as e')
    .innerJoin('orgs as o', 'o.id', 'e.org_id')
    .select([
      'e.id',
      'e.org_id',
      'o.name as org_name',
      'o.parent_id',
      'e.type',
      'e.period',
      'e.reason',
      'e.status',
      'e.requested_by',
      'e.requested_at',
      'e.decided_by',
      'e.decided_at',
    ]);
}

export async function findExemption(db: Executor, id: number): Promise<ExemptionRow | undefined> {
  return exemptionBase(db).where('e.id', '=', id).executeTakeFirst();
}

export async function openExemption(db: Executor, orgId: number, type: string, period: string) {
  return db
    .selectFrom('compliance_exemptions')
    .select(['id', 'status'])
    .where('org_id', '=', orgId)
    .where('type', '=', type)
    .where('period', '=', period)
    .where('status', 'in', ['pending', 'approved'])
    .executeTakeFirst();
}

export async function insertExemption(
  db: Executor,
  row: { org_id: number; type: string; period: string; reason: string; requested_by: string; requested_at: string },
): Promise<number> {
  const r = await db
    .insertInto('compliance_exemptions')
    .values({ ...row, status: 'pending', decided_by: null, decided_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function decideExemption(db: Executor, id: number, status: string, by: string, at: string) {
  await db
    .updateTable('compliance_exemptions')
    .set({ status, decided_by: by, decided_at: at })
    .where('id', '=', id)
    .execute();
}

export async function listExemptions(
  db: Executor,
  scope: OrgScope,
  status: string | undefined,
  offset: number,
  limit: number,
): Promise<{ rows: ExemptionRow[]; total: number }> {
  let q = exemptionBase(db).where('e.org_id', 'in', scopedOrgIds(db, scope));
  if (status) q = q.where('e.status', '=', status);
  const [{ total }] = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .execute();
  const rows = await q
    .orderBy(sql`CASE e.status WHEN 'pending' THEN 0 ELSE 1 END`)
    .orderBy('e.requested_at', 'desc')
    .orderBy('e.id', 'desc')
    .offset(offset)
    .limit(limit)
    .execute();
  return { rows, total: Number(total) };
}

export async function deleteExemptionsOf(db: Executor, orgId: number): Promise<void> {
  await db.deleteFrom('compliance_exemptions').where('org_id', '=', orgId).execute();
}

// ---- reads of results and rollups -------------------------------------------------------------------------------

export interface CounterRow {
  type: string;
  met: number;
  missed: number;
  pending: number;
  exempt: number;
  no_quorum: number;
}

/**
 * Counters of the orgs strictly below `orgId` over a view: per type, summed over the view's `keys` (each org has one
 * row among them per type); for `overall`, the view's own key only.
 */
export async function rollupCounters(db: Executor, orgId: number, view: string, keys: string[]): Promise<CounterRow[]> {
  const rows = await db
    .selectFrom('compliance_rollups')
    .select((eb) => [
      'type',
      eb.fn.sum<number>('met').as('met'),
      eb.fn.sum<number>('missed').as('missed'),
      eb.fn.sum<number>('pending').as('pending'),
      eb.fn.sum<number>('exempt').as('exempt'),
      eb.fn.sum<number>('no_quorum').as('no_quorum'),
    ])
    .where('ancestor_id', '=', orgId)
    .where((eb) =>
      eb.or([
        eb.and([eb('type', '<>', OVERALL), eb('period', 'in', keys)]),
        eb.and([eb('type', '=', OVERALL), eb('period', '=', view)]),
      ]),
    )
    .groupBy('type')
    .execute();
  return rows.map((r) => ({
    type: r.type,
    met: Number(r.met),
    missed: Number(r.missed),
    pending: Number(r.pending),
    exempt: Number(r.exempt),
    no_quorum: Number(r.no_quorum),
  }));
}

export interface ResultRow {
  org_id: number;
  type: string;
  period: string;
  status: string;
  held: number;
  held_with_quorum: number;
  behind: number;
}

/** Result rows of some orgs for some keys (every type including `overall`). */
export async function resultsOf(db: Executor, orgIds: number[], keys: string[]): Promise<ResultRow[]> {
  if (orgIds.length === 0 || keys.length === 0) return [];
  const out: ResultRow[] = [];
  for (let i = 0; i < orgIds.length; i += 500) {
    const rows = await sql<ResultRow>`SELECT org_id, type, period, status, held, held_with_quorum, behind
      FROM compliance_results WHERE org_id IN (${list(orgIds.slice(i, i + 500))}) AND period IN (${list(keys)})`.execute(
      db,
    );
    out.push(...rows.rows);
  }
  return out.map(numbers);
}

function numbers(r: ResultRow): ResultRow {
  return {
    ...r,
    org_id: Number(r.org_id),
    held: Number(r.held),
    held_with_quorum: Number(r.held_with_quorum),
    behind: Number(r.behind),
  };
}

const RANK_DESC = sql`CASE r.status WHEN 'missed' THEN 0 WHEN 'no_quorum' THEN 1 WHEN 'pending' THEN 2 WHEN 'met' THEN 3 ELSE 4 END`;

export interface ItemRow extends ResultRow {
  org_name: string;
}

/** One page of (org, type) results in the subtree for the keys of a view, worst first. */
export async function itemsPage(
  db: Executor,
  orgId: number,
  keys: string[],
  offset: number,
  limit: number,
  filter: { type?: string; status?: string[] } = {},
): Promise<ItemRow[]> {
  const typeCond = filter.type ? sql`AND r.type = ${filter.type}` : sql``;
  const statusCond = filter.status?.length ? sql`AND r.status IN (${list(filter.status)})` : sql``;
  const rows = await sql<ItemRow>`SELECT r.org_id, o.name AS org_name, r.type, r.period, r.status, r.held,
      r.held_with_quorum, r.behind
    FROM compliance_results r
    JOIN org_closure c ON c.descendant_id = r.org_id AND c.ancestor_id = ${orgId}
    JOIN orgs o ON o.id = r.org_id
    WHERE r.type <> ${OVERALL} AND r.period IN (${list(keys)}) ${typeCond} ${statusCond}
    ORDER BY ${RANK_DESC}, o.depth, o.name, r.org_id, r.type
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return rows.rows.map((r) => ({ ...numbers(r), org_name: r.org_name }));
}

export interface BehindRow {
  org_id: number;
  org_name: string;
  kind: string;
  parent_id: number | null;
  parent_name: string | null;
  status: string;
  behind: number;
}

/** Orgs in the subtree whose overall status over the view is missed or held without quorum, most types first. */
export async function behindPage(
  db: Executor,
  orgId: number,
  view: string,
  offset: number,
  limit: number,
): Promise<{ rows: BehindRow[]; total: number }> {
  const where = sql`r.type = ${OVERALL} AND r.period = ${view} AND r.behind > 0`;
  const total = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM compliance_results r
    JOIN org_closure c ON c.descendant_id = r.org_id AND c.ancestor_id = ${orgId} WHERE ${where}`.execute(db);
  const rows = await sql<BehindRow>`SELECT r.org_id, o.name AS org_name, o.kind, o.parent_id, p.name AS parent_name,
      r.status, r.behind
    FROM compliance_results r
    JOIN org_closure c ON c.descendant_id = r.org_id AND c.ancestor_id = ${orgId}
    JOIN orgs o ON o.id = r.org_id
    LEFT JOIN orgs p ON p.id = o.parent_id
    WHERE ${where}
    ORDER BY r.behind DESC, o.depth, o.name, r.org_id
    LIMIT ${limit} OFFSET ${offset}`.execute(db);
  return {
    rows: rows.rows.map((r) => ({ ...r, org_id: Number(r.org_id), behind: Number(r.behind) })),
    total: Number(total.rows[0]?.n ?? 0),
  };
}

/** Rule-period rows inside a scope for some periods, with a status among `statuses`. */
export async function openRows(
  db: Executor,
  scope: OrgScope,
  periods: string[],
  statuses: string[],
  limit: number,
): Promise<ItemRow[]> {
  if (periods.length === 0) return [];
  const scopeCond = scope.all
    ? sql``
    : sql`AND r.org_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id IN (${list(scope.roots.length ? scope.roots : [-1])}))`;
  const rows = await sql<ItemRow>`SELECT r.org_id, o.name AS org_name, r.type, r.period, r.status, r.held,
      r.held_with_quorum, r.behind
    FROM compliance_results r JOIN orgs o ON o.id = r.org_id
    WHERE r.type <> ${OVERALL} AND r.period IN (${list(periods)}) AND r.status IN (${list(statuses)}) ${scopeCond}
    ORDER BY r.period, o.depth, o.name, r.org_id, r.type
    LIMIT ${limit}`.execute(db);
  return rows.rows.map((r) => ({ ...numbers(r), org_name: r.org_name }));
}

// ---- quality signals -------------------------------------------------------------------------------------------------

export interface SignalMeetingRow {
  id: number;
  org_id: number;
  local_date: string;
  minutes_length: number;
  has_resolution: number;
  discussed: number;
  copied: number;
}

/** Words that show a discussion was recorded in the minutes. */
export const DISCUSSION_MARKERS = ['讨论', '发言', '交流', '研究', '表决', '审议', '提出'];

/**
 * Submitted meetings of the orgs strictly below the caller's roots (and inside `orgId`'s subtree) in a date range,
 * with what the quality signals need.
 */
export async function signalMeetings(
  db: Executor,
  orgId: number,
  below: OrgScope,
  from: string,
  to: string,
): Promise<SignalMeetingRow[]> {
  const belowCond: RawBuilder<unknown> = below.all
    ? sql``
    : sql`AND m.org_id IN (SELECT descendant_id FROM org_closure WHERE depth > 0 AND ancestor_id IN (${list(below.roots.length ? below.roots : [-1])}))`;
  const discussed = sql.join(
    DISCUSSION_MARKERS.map((w) => sql`m.minutes LIKE ${`%${w}%`}`),
    sql` OR `,
  );
  const rows = await sql<SignalMeetingRow>`SELECT m.id, m.org_id, m.local_date, m.minutes_length,
      CASE WHEN EXISTS (SELECT 1 FROM meeting_resolutions mr WHERE mr.meeting_id = m.id) THEN 1 ELSE 0 END AS has_resolution,
      CASE WHEN m.minutes IS NOT NULL AND (${discussed}) THEN 1 ELSE 0 END AS discussed,
      CASE WHEN m.minutes_hash IS NOT NULL AND m.minutes_length > 0 AND EXISTS (SELECT 1 FROM meetings m2
        WHERE m2.minutes_hash = m.minutes_hash AND m2.id <> m.id) THEN 1 ELSE 0 END AS copied
    FROM meetings m
    WHERE m.status = 'submitted' AND m.local_date >= ${from} AND m.local_date < ${to}
      AND m.org_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = ${orgId}) ${belowCond}`.execute(db);
  return rows.rows.map((r) => ({
    ...r,
    id: Number(r.id),
    org_id: Number(r.org_id),
    minutes_length: Number(r.minutes_length),
    has_resolution: Number(r.has_resolution),
    discussed: Number(r.discussed),
    copied: Number(r.copied),
  }));
}

/** The types each meeting counts as. */
export async function meetingTypesOf(db: Executor, meetingIds: number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (let i = 0; i < meetingIds.length; i += 500) {
    const rows = await db
      .selectFrom('meeting_types')
      .select(['meeting_id', 'type'])
      .where('meeting_id', 'in', meetingIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.meeting_id, [...(out.get(r.meeting_id) ?? []), r.type]);
  }
  return out;
}

// ---- webhooks and reminders ---------------------------------------------------------------------------------------

export interface WebhookRow {
  org_id: number;
  kind: string;
  url: string;
  enabled: number;
  updated_at: string;
}

export async function upsertWebhook(db: Executor, row: WebhookRow): Promise<void> {
  await db
    .insertInto('org_webhooks')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('org_id')
        .doUpdateSet({ kind: row.kind, url: row.url, enabled: row.enabled, updated_at: row.updated_at }),
    )
    .execute();
}

export async function findWebhook(db: Executor, orgId: number): Promise<WebhookRow | undefined> {
  return db.selectFrom('org_webhooks').selectAll().where('org_id', '=', orgId).executeTakeFirst();
}

export interface ReminderRow {
  id: number;
  org_id: number;
  type: string;
  period: string;
  kind: string;
  message: string;
  created_at: string;
  delivered_at: string | null;
  delivery_error: string | null;
}

/** Inserts a reminder unless one exists for the same org, type, period and kind; true when inserted. */
export async function insertReminder(
  db: Executor,
  row: { org_id: number; type: string; period: string; kind: string; message: string; created_at: string },
): Promise<boolean> {
  const r = await db
    .insertInto('reminders')
    .values({ ...row, done_at: null, delivered_at: null, delivery_error: null })
    .onConflict((oc) => oc.columns(['org_id', 'type', 'period', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return r !== undefined;
}

/** Reminders not yet delivered whose org has an enabled webhook, with the webhook. */
export async function undelivered(db: Executor, scope: OrgScope, since: string) {
  return db
    .selectFrom('reminders as r')
    .innerJoin('org_webhooks as w', 'w.org_id', 'r.org_id')
    .select([
      'r.id',
      'r.org_id',
      'r.type',
      'r.period',
      'r.kind',
      'r.message',
      'r.created_at',
      'w.kind as webhook_kind',
      'w.url',
    ])
    .where('r.delivered_at', 'is', null)
    .where('w.enabled', '=', 1)
    .where('r.created_at', '>=', since)
    .where('r.org_id', 'in', scopedOrgIds(db, scope))
    .orderBy('r.org_id')
    .orderBy('r.id')
    .execute();
}

export async function markDelivered(db: Executor, ids: number[], at: string): Promise<void> {
  if (ids.length === 0) return;
  await db.updateTable('reminders').set({ delivered_at: at, delivery_error: null }).where('id', 'in', ids).execute();
}

export async function markDeliveryError(db: Executor, ids: number[], error: string): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('reminders')
    .set({ delivery_error: error.slice(0, 500) })
    .where('id', 'in', ids)
    .execute();
}

export async function findReminders(db: Executor, ids: number[]): Promise<ReminderRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('reminders')
    .select(['id', 'org_id', 'type', 'period', 'kind', 'message', 'created_at', 'delivered_at', 'delivery_error'])
    .where('id', 'in', ids)
    .execute();
}
