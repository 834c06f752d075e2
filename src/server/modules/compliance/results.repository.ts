/**
 * All SQL that writes the compliance engine's maintained tables: the per-meeting quorum (the one definition used
 * by every path), result rows (rule periods, aggregates over longer views, `overall`), and the per-ancestor rollup
 * counters (kept by subtracting a scope's rows before it is recomputed and adding them back after, or built bottom
 * up level by level from scratch). Statements are portable SQL (SQLite and PostgreSQL); every literal inlined with
 * sql.lit is generated here (period keys, rule values), never taken from a request.
 */
import { type Generated, type RawBuilder, sql } from 'kysely';
import {
  COMMITTEE_MIN_FULL_MEMBERS,
  type Frequency,
  parsePeriod,
  type QuorumRule,
  type RuleTarget,
} from '../../../shared/meetings.js';
import { ACTIVE_STATUSES, COMMITTEE_POSTS } from '../../../shared/members.js';
import type { Executor } from '../../db/database.js';
import { isPostgres } from '../../db/dialect.js';
import { OVERALL } from './compliance.periods.js';

// ---- scopes: which organisations a statement covers ---------------------------------------------------------------

/** The organisations a recomputation covers. `table`: the ids in a temporary table `cq_scope(org_id)`. */
export type OrgFilter =
  | { kind: 'all' }
  | { kind: 'org'; id: number }
  | { kind: 'subtree'; root: number }
  | { kind: 'table' };

/** `column IN (…)` for the filter (always true for `all`). */
export function inFilter(f: OrgFilter, column: string): RawBuilder<unknown> {
  const col = sql.ref(column);
  switch (f.kind) {
    case 'all':
      return sql`1 = 1`;
    case 'org':
      return sql`${col} = ${sql.lit(f.id)}`;
    case 'subtree':
      return sql`${col} IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = ${sql.lit(f.root)})`;
    case 'table':
      return sql`${col} IN (SELECT org_id FROM cq_scope)`;
  }
}

const list = (xs: readonly (string | number)[]) => sql.join(xs.map((x) => sql.lit(x)));
const ACTIVE = list(ACTIVE_STATUSES);

/**
 * Posts that show a 支部委员会 exists. A branch "has a committee" with ≥ COMMITTEE_MIN_FULL_MEMBERS full members
 * (its 党小组 included) or when someone holds one of these seats (书记 and 副书记 alone do not make a committee:
 * a branch under 7 full members elects only those).
 */
export const COMMITTEE_SEAT_POSTS = COMMITTEE_POSTS.filter((p) => p !== 'secretary' && p !== 'deputy_secretary');

// ---- the per-meeting quorum cache ------------------------------------------------------------------------------------

declare module '../../db/database.js' {
  interface ComplianceResultTable {
    /** 1 when missed / held without quorum; for `overall` rows the number of types behind (migration 008) */
    behind: Generated<number>;
  }
  interface ComplianceMeetingQuorumTable {
    meeting_id: number;
    org_id: number;
    local_date: string;
    full_members: number;
    members: number;
    committee: number;
  }
  interface DB {
    compliance_meeting_quorum: ComplianceMeetingQuorumTable;
  }
}

export interface QuorumCandidate {
  id: number;
  org_id: number;
  local_date: string;
}

/** Submitted meetings with attendance in the scope and date range (a meeting without attendance has no quorum). */
export async function quorumCandidates(
  trx: Executor,
  filter: OrgFilter,
  from: string,
  to: string,
): Promise<QuorumCandidate[]> {
  const r = await sql<QuorumCandidate>`SELECT m.id, m.org_id, m.local_date FROM meetings m
    WHERE m.status = 'submitted' AND m.local_date >= ${from} AND m.local_date < ${to} AND ${inFilter(filter, 'm.org_id')}
      AND EXISTS (SELECT 1 FROM meeting_attendees a WHERE a.meeting_id = m.id)
    ORDER BY m.org_id, m.id`.execute(trx);
  return r.rows.map((x) => ({ id: Number(x.id), org_id: Number(x.org_id), local_date: x.local_date }));
}

export async function deleteQuorumRows(trx: Executor, filter: OrgFilter, from: string, to: string): Promise<void> {
  await sql`DELETE FROM compliance_meeting_quorum WHERE local_date >= ${from} AND local_date < ${to}
    AND ${inFilter(filter, 'org_id')}`.execute(trx);
}

export interface QuorumFlags {
  meeting_id: number;
  org_id: number;
  local_date: string;
  full_members: number;
  members: number;
  committee: number;
}

export async function insertQuorumRows(trx: Executor, rows: QuorumFlags[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 1000) {
    await trx
      .insertInto('compliance_meeting_quorum')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

export async function quorumFlagsOf(trx: Executor, meetingIds: number[]): Promise<Map<number, QuorumFlags>> {
  const out = new Map<number, QuorumFlags>();
  for (let i = 0; i < meetingIds.length; i += 500) {
    const rows = await trx
      .selectFrom('compliance_meeting_quorum')
      .selectAll()
      .where('meeting_id', 'in', meetingIds.slice(i, i + 500))
      .execute();
    for (const r of rows) out.set(r.meeting_id, r);
  }
  return out;
}

const QUORUM_COLUMN: Record<Exclude<QuorumRule, 'none'>, string> = {
  full_members: 'full_members',
  members: 'members',
  committee: 'committee',
};

/** Serialises every maintenance of the compliance tables (PostgreSQL; SQLite has a single writer already). */
export async function lockForMaintenance(trx: Executor): Promise<void> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(${sql.lit(730_412_004)})`.execute(trx);
}

export async function dropTemp(trx: Executor, table: 'cq_scope'): Promise<void> {
  await sql`DROP TABLE IF EXISTS ${sql.raw(table)}`.execute(trx);
}

/** Fills `cq_scope` with the orgs having rows of `periods` in one of `statuses`. */
export async function scopeOfRows(trx: Executor, periods: string[], statuses: string[]): Promise<number> {
  await dropTemp(trx, 'cq_scope');
  await sql`CREATE TEMPORARY TABLE cq_scope (org_id integer PRIMARY KEY)`.execute(trx);
  if (periods.length === 0 || statuses.length === 0) return 0;
  await sql`INSERT INTO cq_scope (org_id) SELECT DISTINCT org_id FROM compliance_results
    WHERE type <> ${sql.lit(OVERALL)} AND period IN (${list(periods)}) AND status IN (${list(statuses)})`.execute(trx);
  const r = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM cq_scope`.execute(trx);
  return Number(r.rows[0]?.n ?? 0);
}

// ---- result rows ------------------------------------------------------------------------------------------------

/** SQL expression: the period key of a YYYY-MM-DD column for a frequency. */
function periodExpr(column: string, f: Frequency): RawBuilder<unknown> {
  const c = sql.ref(column);
  switch (f) {
    case 'month':
      return sql`substr(${c}, 1, 7)`;
    case 'quarter':
      return sql`substr(${c}, 1, 4) || '-Q' || CAST((CAST(substr(${c}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)`;
    case 'half_year':
      return sql`substr(${c}, 1, 4) || (CASE WHEN substr(${c}, 6, 2) <= '06' THEN '-H1' ELSE '-H2' END)`;
    case 'year':
      return sql`substr(${c}, 1, 4)`;
  }
}

function applicable(target: RuleTarget): RawBuilder<unknown> {
  switch (target) {
    case 'branch':
      return sql`o.kind = 'branch'`;
    case 'group':
      return sql`o.kind = 'group'`;
    case 'branch_with_committee':
      return sql`o.kind = 'branch' AND (
        (SELECT COUNT(*) FROM members mb WHERE mb.category = 'full' AND mb.status IN (${ACTIVE})
          AND mb.org_id IN (SELECT descendant_id FROM org_closure WHERE ancestor_id = o.id))
          >= ${sql.lit(COMMITTEE_MIN_FULL_MEMBERS)}
        OR EXISTS (SELECT 1 FROM party_posts pp JOIN members hm ON hm.id = pp.member_id
          WHERE pp.org_id = o.id AND pp.post IN (${list(COMMITTEE_SEAT_POSTS)}) AND pp.ended_at IS NULL
            AND hm.status IN (${ACTIVE})))`;
  }
}

/** A small derived table from literal rows (portable: no VALUES column aliases on SQLite). */
function literalRows(rows: Record<string, string | number>[]): RawBuilder<unknown> {
  return sql.join(
    rows.map((r) => sql`SELECT ${sql.join(Object.entries(r).map(([k, v]) => sql`${sql.lit(v)} AS ${sql.ref(k)}`))}`),
    sql` UNION ALL `,
  );
}

export interface RuleAssignment {
  type: string;
  frequency: Frequency;
  times: number;
  quorum: QuorumRule;
  appliesTo: RuleTarget;
  /** the rule's scope (null: everywhere) */
  include: number | null;
  /** subtrees governed by nearer overrides */
  exclude: number[];
  /** rule periods to write, with whether each is over on the as-of date */
  periods: { key: string; closed: boolean }[];
}

/**
 * Writes the rule-period rows of one rule assignment for the orgs in `filter`. Status: exempt (approved exemption),
 * met (held with quorum ≥ times), pending (period not over on the as-of date), no_quorum (held ≥ times, too few with
 * quorum), missed. Quorum comes from compliance_meeting_quorum (kept by the engine with meetings/quorum.ts).
 */
export async function insertRuleRows(trx: Executor, filter: OrgFilter, a: RuleAssignment, now: string): Promise<void> {
  if (a.periods.length === 0) return;
  const sorted = [...a.periods].sort((x, y) => (x.key < y.key ? -1 : 1));
  const from = parsePeriod(sorted[0].key).from;
  const to = parsePeriod(sorted[sorted.length - 1].key).to;
  const quorumFlag = a.quorum === 'none' ? sql`1` : sql`COALESCE(q.${sql.raw(QUORUM_COLUMN[a.quorum])}, 0)`;
  const held = sql`SELECT mt.org_id, ${periodExpr('mt.local_date', a.frequency)} AS period, COUNT(*) AS held,
      SUM(${quorumFlag}) AS hq
    FROM meeting_types mt
    JOIN meetings m ON m.id = mt.meeting_id AND m.status = 'submitted'
    LEFT JOIN compliance_meeting_quorum q ON q.meeting_id = mt.meeting_id
    WHERE mt.type = ${sql.lit(a.type)} AND mt.local_date >= ${sql.lit(from)} AND mt.local_date < ${sql.lit(to)}
      AND ${inFilter(filter, 'mt.org_id')}
    GROUP BY mt.org_id, ${periodExpr('mt.local_date', a.frequency)}`;
  const region = [
    a.include === null ? sql`1 = 1` : inFilter({ kind: 'subtree', root: a.include }, 'o.id'),
    ...a.exclude.map((s) => sql`NOT (${inFilter({ kind: 'subtree', root: s }, 'o.id')})`),
  ];
  const times = sql.lit(a.times);
  await sql`INSERT INTO compliance_results (org_id, type, period, status, held, held_with_quorum, behind, updated_at)
    SELECT x.org_id, ${sql.lit(a.type)}, x.period, x.status, x.held, x.hq,
      CASE WHEN x.status IN ('missed', 'no_quorum') THEN 1 ELSE 0 END, ${sql.lit(now)}
    FROM (
      SELECT o.id AS org_id, p.period,
        CASE WHEN ex.org_id IS NOT NULL THEN 'exempt'
             WHEN COALESCE(h.hq, 0) >= ${times} THEN 'met'
             WHEN p.closed = 0 THEN 'pending'
             WHEN COALESCE(h.held, 0) >= ${times} THEN 'no_quorum'
             ELSE 'missed' END AS status,
        COALESCE(h.held, 0) AS held, COALESCE(h.hq, 0) AS hq
      FROM orgs o
      CROSS JOIN (${literalRows(sorted.map((p) => ({ period: p.key, closed: p.closed ? 1 : 0 })))}) p
      LEFT JOIN (${held}) h ON h.org_id = o.id AND h.period = p.period
      LEFT JOIN (SELECT DISTINCT org_id, period FROM compliance_exemptions
                 WHERE type = ${sql.lit(a.type)} AND status = 'approved') ex ON ex.org_id = o.id AND ex.period = p.period
      WHERE ${applicable(a.appliesTo)} AND ${inFilter(filter, 'o.id')} AND ${sql.join(region, sql` AND `)}
    ) x`.execute(trx);
}

const RANK = sql`CASE r.status WHEN 'exempt' THEN 1 WHEN 'met' THEN 2 WHEN 'pending' THEN 3 WHEN 'no_quorum' THEN 4 ELSE 5 END`;
const STATUS_OF_MAX_RANK = sql`CASE MAX(${RANK}) WHEN 1 THEN 'exempt' WHEN 2 THEN 'met' WHEN 3 THEN 'pending' WHEN 4 THEN 'no_quorum' ELSE 'missed' END`;

/**
 * `mapping` joined to the result rows. For a full rebuild the small literal mapping drives the read (CROSS JOIN keeps
 * it the outer loop on SQLite: rows come through their period index); for one org or a subtree the planner starts
 * from the orgs (the primary key begins with org_id).
 */
function mappingJoin(filter: OrgFilter, mapping: { k: string; view: string }[]): RawBuilder<unknown> {
  // PostgreSQL takes no ON after CROSS JOIN: the condition goes to WHERE (r.period = mp.k, in the statements)
  return filter.kind === 'all'
    ? sql`(${literalRows(mapping)}) mp CROSS JOIN compliance_results r`
    : sql`compliance_results r JOIN (${literalRows(mapping)}) mp ON mp.k = r.period`;
}

/**
 * Aggregates over views longer than an org's rule periods: for each mapping (rule key → `agg:<view>`), the worst
 * status of the rule periods inside (missed > no_quorum > pending > met > exempt: all exempt → exempt).
 */
export async function insertAggregateRows(
  trx: Executor,
  filter: OrgFilter,
  mapping: { k: string; view: string }[],
  now: string,
): Promise<void> {
  if (mapping.length === 0) return;
  await sql`INSERT INTO compliance_results (org_id, type, period, status, held, held_with_quorum, behind, updated_at)
    SELECT r.org_id, r.type, mp.view, ${STATUS_OF_MAX_RANK}, SUM(r.held), SUM(r.held_with_quorum),
      CASE WHEN MAX(${RANK}) >= 4 THEN 1 ELSE 0 END, ${sql.lit(now)}
    FROM ${mappingJoin(filter, mapping)}
    WHERE r.period = mp.k AND r.type <> ${sql.lit(OVERALL)} AND ${inFilter(filter, 'r.org_id')}
    GROUP BY r.org_id, r.type, mp.view`.execute(trx);
}

/**
 * `overall` rows: per org and view, the worst status over its applicable types (each type's row among the view's
 * keys); `behind` = how many types are missed or held without quorum; held = meetings counted over the types.
 */
export async function insertOverallRows(
  trx: Executor,
  filter: OrgFilter,
  mapping: { k: string; view: string }[],
  now: string,
): Promise<void> {
  if (mapping.length === 0) return;
  await sql`INSERT INTO compliance_results (org_id, type, period, status, held, held_with_quorum, behind, updated_at)
    SELECT r.org_id, ${sql.lit(OVERALL)}, mp.view, ${STATUS_OF_MAX_RANK}, SUM(r.held), SUM(r.held_with_quorum),
      SUM(CASE WHEN r.status IN ('missed', 'no_quorum') THEN 1 ELSE 0 END), ${sql.lit(now)}
    FROM ${mappingJoin(filter, mapping)}
    WHERE r.period = mp.k AND r.type <> ${sql.lit(OVERALL)} AND ${inFilter(filter, 'r.org_id')}
    GROUP BY r.org_id, mp.view`.execute(trx);
}

/** Rows of the scope: `resultKeys` for the meeting types, `overallKeys` for `overall`. */
function rowsOf(filter: OrgFilter, resultKeys: string[], overallKeys: string[]): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = [];
  if (resultKeys.length) parts.push(sql`(r.type <> ${sql.lit(OVERALL)} AND r.period IN (${list(resultKeys)}))`);
  if (overallKeys.length) parts.push(sql`(r.type = ${sql.lit(OVERALL)} AND r.period IN (${list(overallKeys)}))`);
  if (parts.length === 0) return sql`1 = 0`;
  return sql`${inFilter(filter, 'r.org_id')} AND (${sql.join(parts, sql` OR `)})`;
}

export async function deleteRows(
  trx: Executor,
  filter: OrgFilter,
  resultKeys: string[],
  overallKeys: string[],
): Promise<void> {
  const parts: RawBuilder<unknown>[] = [];
  if (resultKeys.length) parts.push(sql`(type <> ${sql.lit(OVERALL)} AND period IN (${list(resultKeys)}))`);
  if (overallKeys.length) parts.push(sql`(type = ${sql.lit(OVERALL)} AND period IN (${list(overallKeys)}))`);
  if (parts.length === 0) return;
  await sql`DELETE FROM compliance_results WHERE ${inFilter(filter, 'org_id')} AND (${sql.join(parts, sql` OR `)})`.execute(
    trx,
  );
}

const COUNTERS = ['met', 'missed', 'pending', 'exempt', 'no_quorum'] as const;

/**
 * Adds (`sign` 1) or subtracts (−1) the scope's rows to the counters of every strict ancestor of their orgs.
 * The rollup of an org covers the orgs below it; its own rows are read beside it.
 */
export async function applyRollups(
  trx: Executor,
  filter: OrgFilter,
  resultKeys: string[],
  overallKeys: string[],
  sign: 1 | -1,
): Promise<void> {
  const s = sql.lit(sign);
  await sql`INSERT INTO compliance_rollups (ancestor_id, type, period, met, missed, pending, exempt, no_quorum)
    SELECT c.ancestor_id, r.type, r.period,
      ${sql.join(COUNTERS.map((k) => sql`SUM(CASE WHEN r.status = ${sql.lit(k)} THEN ${s} ELSE 0 END)`))}
    FROM compliance_results r JOIN org_closure c ON c.descendant_id = r.org_id AND c.depth > 0
    WHERE ${rowsOf(filter, resultKeys, overallKeys)}
    GROUP BY c.ancestor_id, r.type, r.period
    ON CONFLICT (ancestor_id, type, period) DO UPDATE SET
      ${sql.join(COUNTERS.map((k) => sql`${sql.raw(k)} = compliance_rollups.${sql.raw(k)} + excluded.${sql.raw(k)}`))}`.execute(
    trx,
  );
}

/** Rollup rows left at zero above the scope go (a from-scratch build never writes them). */
export async function deleteEmptyRollups(trx: Executor, filter: OrgFilter): Promise<void> {
  const zero = sql.join(
    COUNTERS.map((k) => sql`${sql.raw(k)} = 0`),
    sql` AND `,
  );
  const ancestors =
    filter.kind === 'all'
      ? sql`1 = 1`
      : sql`ancestor_id IN (SELECT c.ancestor_id FROM org_closure c WHERE ${inFilter(filter, 'c.descendant_id')})`;
  await sql`DELETE FROM compliance_rollups WHERE ${zero} AND ${ancestors}`.execute(trx);
}

export async function clearAll(trx: Executor): Promise<void> {
  await trx.deleteFrom('compliance_rollups').execute();
  await trx.deleteFrom('compliance_results').execute();
}

/**
 * Builds every rollup from the result rows, deepest level first: an org's counters are its children's own rows
 * plus the children's counters. Each parent's rows come from one statement (its children all sit one level down).
 */
export async function buildRollupsBottomUp(trx: Executor): Promise<void> {
  const r = await sql<{ d: number | null }>`SELECT MAX(depth) AS d FROM orgs`.execute(trx);
  const maxDepth = Number(r.rows[0]?.d ?? 0);
  for (let d = maxDepth; d >= 1; d--) {
    await sql`INSERT INTO compliance_rollups (ancestor_id, type, period, met, missed, pending, exempt, no_quorum)
      SELECT x.parent_id, x.type, x.period, ${sql.join(COUNTERS.map((k) => sql`SUM(x.${sql.raw(k)})`))}
      FROM (
        SELECT o.parent_id, r.type, r.period,
          ${sql.join(COUNTERS.map((k) => sql`CASE WHEN r.status = ${sql.lit(k)} THEN 1 ELSE 0 END AS ${sql.raw(k)}`))}
        FROM orgs o JOIN compliance_results r ON r.org_id = o.id
        WHERE o.depth = ${sql.lit(d)} AND o.parent_id IS NOT NULL
        UNION ALL
        SELECT o.parent_id, u.type, u.period, ${sql.join(COUNTERS.map((k) => sql`u.${sql.raw(k)}`))}
        FROM orgs o JOIN compliance_rollups u ON u.ancestor_id = o.id
        WHERE o.depth = ${sql.lit(d)} AND o.parent_id IS NOT NULL
      ) x
      GROUP BY x.parent_id, x.type, x.period`.execute(trx);
  }
}
