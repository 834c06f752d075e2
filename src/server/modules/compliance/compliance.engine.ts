/**
 * The compliance engine: keeps compliance_results (per org × type × period) and compliance_rollups (per ancestor ×
 * type × period counters of the orgs strictly below it) in step with meetings, rules, exemptions and the tree.
 *
 * - Rules govern calendar years: the rule of an org and type for a year is the nearest-scope rule in force on
 *   1 January of that year (overrides start on a 1 January, so no org has two frequencies in one year).
 * - Rows exist for every period of the tracked years (`trackedFrom` … `throughYear`, whole years, the current
 *   year included: future periods of this year are pending). Statuses are computed for the state's `asOf` date;
 *   `refresh(today)` moves it: periods that closed in between flip pending → missed / no_quorum (or back), for the
 *   orgs concerned only, and a new year gets its rows.
 * - Every change recomputes the rows of a scope (one org, a subtree, a set of orgs) for some period keys with the
 *   same set-based SQL a full rebuild uses; the rollups are kept by subtracting the scope's old rows from every
 *   strict ancestor and adding the new ones. `recomputeAll` rebuilds everything from scratch (rollups bottom up);
 *   the property test checks that both agree.
 * - Quorum is the meetings module's (quorum.ts, the one definition): computed per submitted meeting with
 *   attendance when its org's meetings or roster change, kept in compliance_meeting_quorum, joined by the SQL.
 * - Every maintenance runs under one advisory lock on PostgreSQL (SQLite has a single writer), so concurrent
 *   meeting writes cannot interleave their read-compute-write of the same counters.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import {
  DEFAULT_RULES,
  DEFAULT_RULES_EFFECTIVE_FROM,
  type Frequency,
  MEETING_TYPES,
  parsePeriod,
  type QuorumRule,
  type RuleTarget,
} from '../../../shared/meetings.js';
import type { Db, Executor } from '../../db/database.js';
import { attendeesOf } from '../meetings/meetings.repository.js';
import { QuorumCalculator } from '../meetings/quorum.js';
import {
  AGG_PREFIX,
  coarserContaining,
  finerInside,
  isClosed,
  keysOfFrequency,
  overlappingViews,
  viewKeys,
  yearKeys,
  yearOf,
} from './compliance.periods.js';
import * as repo from './compliance.repository.js';
import * as results from './results.repository.js';

export type { StateValue as ComplianceState } from './compliance.repository.js';

/** Runs `fn` in the caller's transaction, or in a new one. */
export async function inTransaction<T>(db: Executor, fn: (trx: Executor) => Promise<T>): Promise<T> {
  if (db.isTransaction) return fn(db);
  return (db as Db).transaction().execute(fn);
}

const unique = <T>(xs: T[]) => [...new Set(xs)];

// ---- rules as data -------------------------------------------------------------------------------------------------

/** Seeds the platform defaults (scope null) once. */
export async function ensureDefaultRules(db: Executor): Promise<void> {
  if ((await repo.countDefaultRules(db)) > 0) return;
  const now = new Date().toISOString();
  for (const r of DEFAULT_RULES) {
    await repo.insertRule(db, {
      scope_org_id: null,
      type: r.type,
      frequency: r.frequency,
      times: r.times,
      quorum: r.quorum,
      applies_to: r.appliesTo,
      effective_from: DEFAULT_RULES_EFFECTIVE_FROM,
      effective_to: null,
      created_by: 'system',
      created_at: now,
    });
  }
}

export interface RuleBook {
  rules: repo.RuleRow[];
  /** override scope → the override scopes strictly above it */
  above: Map<number, Set<number>>;
}

export async function loadRuleBook(db: Executor): Promise<RuleBook> {
  const rules = await repo.listRules(db);
  const scopes = unique(rules.map((r) => r.scope_org_id).filter((s): s is number => s !== null));
  const above = new Map<number, Set<number>>(scopes.map((s) => [s, new Set<number>()]));
  for (const p of await repo.ancestryAmong(db, scopes)) above.get(p.descendant)?.add(p.ancestor);
  return { rules, above };
}

/** The rules in force on a day for a type, one per scope (the latest start wins within a scope). */
export function rulesInForce(book: RuleBook, type: string, day: string): Map<number | null, repo.RuleRow> {
  const byScope = new Map<number | null, repo.RuleRow>();
  for (const r of book.rules) {
    if (r.type !== type || r.effective_from > day || (r.effective_to !== null && day >= r.effective_to)) continue;
    const prev = byScope.get(r.scope_org_id);
    if (!prev || prev.effective_from <= r.effective_from) byScope.set(r.scope_org_id, r);
  }
  return byScope;
}

/**
 * Which rule governs which orgs for a type and year: each rule in force on 1 January covers its scope's subtree
 * (everything for a default) minus the subtrees of nearer scopes in force.
 */
export function assignments(
  book: RuleBook,
  type: string,
  year: number,
  keys: Set<string>,
  asOf: string,
): results.RuleAssignment[] {
  const inForce = rulesInForce(book, type, `${year}-01-01`);
  const overrideScopes = [...inForce.keys()].filter((s): s is number => s !== null);
  const out: results.RuleAssignment[] = [];
  for (const [scope, r] of inForce) {
    const exclude =
      scope === null ? overrideScopes : overrideScopes.filter((s) => s !== scope && book.above.get(s)?.has(scope));
    const frequency = r.frequency as Frequency;
    const periods = keysOfFrequency(year, frequency)
      .filter((k) => keys.has(k))
      .map((key) => ({ key, closed: isClosed(key, asOf) }));
    if (periods.length === 0) continue;
    out.push({
      type,
      frequency,
      times: r.times,
      quorum: r.quorum as QuorumRule,
      appliesTo: r.applies_to as RuleTarget,
      include: scope,
      exclude,
      periods,
    });
  }
  return out;
}

// ---- the engine's state --------------------------------------------------------------------------------------------

export function defaultState(today: string): repo.StateValue {
  const year = Number(today.slice(0, 4));
  // The previous year too: records of last year entered late still show, and a year-on-year view is possible.
  return { trackedFrom: `${year - 1}-01-01`, asOf: today, throughYear: year };
}

export function trackedYears(state: repo.StateValue): number[] {
  const years: number[] = [];
  for (let y = Number(state.trackedFrom.slice(0, 4)); y <= state.throughYear; y++) years.push(y);
  return years;
}

/**
 * The state, initialising the engine (default rules, a full computation) the first time. Does not move `asOf`.
 * Call inside a transaction that holds the maintenance lock.
 */
async function ensureState(trx: Executor, today: string): Promise<repo.StateValue> {
  const state = await repo.getState(trx);
  if (state) return state;
  return rebuild(trx, defaultState(today));
}

/** Initialises the engine if it never ran (seeds the default rules, computes everything once). */
export async function ensureCompliance(db: Executor, today = todayInShanghai()): Promise<repo.StateValue> {
  return inTransaction(db, async (trx) => {
    await results.lockForMaintenance(trx);
    await ensureDefaultRules(trx);
    return ensureState(trx, today);
  });
}

// ---- recomputation ------------------------------------------------------------------------------------------------

/** Writes the rows of the scope: rule periods `ruleKeys`, aggregates over `aggViews`, `overall` for `overallViews`. */
async function writeRows(
  trx: Executor,
  filter: results.OrgFilter,
  ruleKeys: string[],
  aggViews: string[],
  overallViews: string[],
  asOf: string,
): Promise<void> {
  const now = new Date().toISOString();
  const book = await loadRuleBook(trx);
  const keySet = new Set(ruleKeys);
  for (const year of unique(ruleKeys.map(yearOf))) {
    for (const type of MEETING_TYPES) {
      for (const a of assignments(book, type, year, keySet, asOf)) {
        await results.insertRuleRows(trx, filter, a, now);
      }
    }
  }
  const aggMapping = aggViews.flatMap((view) => finerInside(view).map((k) => ({ k, view: AGG_PREFIX + view })));
  await results.insertAggregateRows(trx, filter, aggMapping, now);
  const overallMapping = overallViews.flatMap((view) => viewKeys(view).map((k) => ({ k, view })));
  await results.insertOverallRows(trx, filter, overallMapping, now);
}

type Flags = { full_members: number; members: number; committee: number };

/** Quorum flags (1 = met) of meetings under each rule, computed by the meetings module's quorum.ts. */
async function computeFlags(db: Executor, meetings: results.QuorumCandidate[]): Promise<Map<number, Flags>> {
  const calc = new QuorumCalculator(db);
  const out = new Map<number, Flags>();
  for (let i = 0; i < meetings.length; i += 500) {
    const chunk = meetings.slice(i, i + 500);
    const attendees = await attendeesOf(
      db,
      chunk.map((m) => m.id),
    );
    for (const m of chunk) {
      const list = attendees.get(m.id) ?? [];
      const met = async (rule: 'full_members' | 'members' | 'committee') =>
        (await calc.counts(m.org_id, list, rule)).met ? 1 : 0;
      out.set(m.id, {
        full_members: await met('full_members'),
        members: await met('members'),
        committee: await met('committee'),
      });
    }
  }
  return out;
}

/**
 * Rewrites the quorum cache of the scope's submitted meetings in [from, to) (quorum.ts: the one definition of
 * quorum; one roster lookup per org). Only meetings meeting some rule get a row.
 */
async function refreshQuorum(trx: Executor, filter: results.OrgFilter, from: string, to: string): Promise<void> {
  await results.deleteQuorumRows(trx, filter, from, to);
  const candidates = await results.quorumCandidates(trx, filter, from, to);
  for (let i = 0; i < candidates.length; i += 5000) {
    const chunk = candidates.slice(i, i + 5000);
    const flags = await computeFlags(trx, chunk);
    const rows: results.QuorumFlags[] = [];
    for (const m of chunk) {
      const f = flags.get(m.id)!;
      if (f.full_members || f.members || f.committee)
        rows.push({ meeting_id: m.id, org_id: m.org_id, local_date: m.local_date, ...f });
    }
    await results.insertQuorumRows(trx, rows);
  }
}

/**
 * Quorum flags of some submitted meetings: from the cache for the tracked years (no row: no rule met), computed
 * with quorum.ts for others.
 */
export async function quorumFlags(db: Executor, meetings: results.QuorumCandidate[]): Promise<Map<number, Flags>> {
  const state = await repo.getState(db);
  const tracked = new Set(state ? trackedYears(state) : []);
  const isTracked = (m: results.QuorumCandidate) => tracked.has(Number(m.local_date.slice(0, 4)));
  const inCache = meetings.filter(isTracked);
  const cached = await results.quorumFlagsOf(
    db,
    inCache.map((m) => m.id),
  );
  const out = await computeFlags(
    db,
    meetings.filter((m) => !isTracked(m)),
  );
  for (const m of inCache) out.set(m.id, cached.get(m.id) ?? { full_members: 0, members: 0, committee: 0 });
  return out;
}

const yearsSpan = (keys: string[]) => {
  const years = keys.map(yearOf);
  return { from: `${Math.min(...years)}-01-01`, to: `${Math.max(...years) + 1}-01-01` };
};

/** What a change of the rule periods `ruleKeys` touches: the aggregates and overall views built on them. */
function affected(ruleKeys: string[]) {
  const aggViews = unique(ruleKeys.flatMap(coarserContaining));
  const overallViews = unique(ruleKeys.flatMap(overlappingViews));
  return { aggViews, overallViews, resultKeys: [...ruleKeys, ...aggViews.map((v) => AGG_PREFIX + v)] };
}

/**
 * Recomputes the scope's rows for the rule periods `ruleKeys` (and what is built on them) and moves the ancestors'
 * counters from the old rows to the new ones. Idempotent.
 */
async function recompute(
  trx: Executor,
  filter: results.OrgFilter,
  ruleKeys: string[],
  asOf: string,
  opts: { meetings?: boolean } = {},
): Promise<void> {
  if (ruleKeys.length === 0) return;
  const { aggViews, overallViews, resultKeys } = affected(ruleKeys);
  if (opts.meetings) {
    // meetings or rosters changed: the quorum of the scope's meetings first
    const span = yearsSpan(ruleKeys);
    await refreshQuorum(trx, filter, span.from, span.to);
  }
  await results.applyRollups(trx, filter, resultKeys, overallViews, -1);
  await results.deleteRows(trx, filter, resultKeys, overallViews);
  await writeRows(trx, filter, ruleKeys, aggViews, overallViews, asOf);
  await results.applyRollups(trx, filter, resultKeys, overallViews, 1);
  await results.deleteEmptyRollups(trx, filter);
}

/** Removes the scope's rows and their share of the ancestors' counters (before a move or a delete). */
async function withdraw(trx: Executor, filter: results.OrgFilter, state: repo.StateValue): Promise<void> {
  const keys = trackedYears(state).flatMap(yearKeys);
  const { overallViews, resultKeys } = affected(keys);
  await results.applyRollups(trx, filter, resultKeys, overallViews, -1);
  await results.deleteRows(trx, filter, resultKeys, overallViews);
  await results.deleteEmptyRollups(trx, filter);
}

/** Full rebuild for a state (inside a locked transaction): every row, then the rollups bottom up. */
async function rebuild(trx: Executor, state: repo.StateValue): Promise<repo.StateValue> {
  await ensureDefaultRules(trx);
  await results.clearAll(trx);
  const years = trackedYears(state);
  await refreshQuorum(trx, { kind: 'all' }, `${years[0]}-01-01`, `${years[years.length - 1] + 1}-01-01`);
  for (const year of years) {
    const keys = yearKeys(year);
    const { aggViews, overallViews } = affected(keys);
    await writeRows(trx, { kind: 'all' }, keys, aggViews, overallViews, state.asOf);
  }
  await results.buildRollupsBottomUp(trx);
  await repo.putState(trx, state);
  return state;
}

/**
 * Recomputes every result and rollup from scratch for `today` (default: today in Asia/Shanghai). Keeps the tracked
 * years (extending them to today's year). Run it after bulk loads (the demo's meetings, a migration of records).
 */
export async function recomputeAll(db: Executor, opts: { today?: string } = {}): Promise<repo.StateValue> {
  const today = opts.today ?? todayInShanghai();
  return inTransaction(db, async (trx) => {
    await results.lockForMaintenance(trx);
    const prev = (await repo.getState(trx)) ?? defaultState(today);
    const state = { ...prev, asOf: today, throughYear: Math.max(prev.throughYear, Number(today.slice(0, 4))) };
    return rebuild(trx, state);
  });
}

/** Sets the first tracked year (1 January) and rebuilds. For bulk loads of history (and the benchmark). */
export async function setTrackedFrom(db: Executor, year: number, opts: { today?: string } = {}) {
  const today = opts.today ?? todayInShanghai();
  return inTransaction(db, async (trx) => {
    await results.lockForMaintenance(trx);
    const prev = (await repo.getState(trx)) ?? defaultState(today);
    return rebuild(trx, {
      trackedFrom: `${year}-01-01`,
      asOf: today,
      throughYear: Math.max(prev.throughYear, Number(today.slice(0, 4)), year),
    });
  });
}

/** Recomputes one subtree from scratch (all tracked years), moving the counters above it. O(subtree). */
export async function recomputeSubtree(db: Executor, orgId: number): Promise<void> {
  await inTransaction(db, async (trx) => {
    await results.lockForMaintenance(trx);
    const state = await ensureState(trx, todayInShanghai());
    await recompute(trx, { kind: 'subtree', root: orgId }, trackedYears(state).flatMap(yearKeys), state.asOf, {
      meetings: true,
    });
  });
}

/** Recomputes one org's rows for some years (in the tracked window) at the state's as-of date. */
export async function recomputeOrg(db: Executor, orgId: number, years?: number[]): Promise<void> {
  await inTransaction(db, async (trx) => {
    await results.lockForMaintenance(trx);
    const state = await ensureState(trx, todayInShanghai());
    const tracked = trackedYears(state);
    const ys = years ? tracked.filter((y) => years.includes(y)) : tracked;
    await recompute(trx, { kind: 'org', id: orgId }, ys.flatMap(yearKeys), state.asOf);
  });
}

/** Recomputes a subtree for the years from `fromYear` on (rule changes). */
export async function recomputeSubtreeFrom(trx: Executor, orgId: number | null, fromYear: number): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  const keys = trackedYears(state)
    .filter((y) => y >= fromYear)
    .flatMap(yearKeys);
  await recompute(trx, orgId === null ? { kind: 'all' } : { kind: 'subtree', root: orgId }, keys, state.asOf);
}

// ---- time passing ---------------------------------------------------------------------------------------------------

/** Period keys of the tracked years whose open/closed state differs between two dates. */
export function keysClosingBetween(state: repo.StateValue, a: string, b: string): string[] {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return trackedYears(state)
    .flatMap(yearKeys)
    .filter((k) => {
      const to = parsePeriod(k).to;
      return to > lo && to <= hi;
    });
}

/**
 * Moves the stored statuses to `today` (Asia/Shanghai; tests pass any date). A no-op when they are already for
 * that date. Only orgs with a pending (or, going back, a closed failing) row in a period that closed in between are
 * recomputed; a new year gets its rows. Runs on every overview request (cheap when nothing changed) and from the CLI.
 */
export async function refresh(db: Executor, today = todayInShanghai()): Promise<repo.StateValue> {
  const current = await repo.getState(db);
  if (current && current.asOf === today) return current;
  return inTransaction(db, async (trx) => {
    await results.lockForMaintenance(trx);
    await ensureDefaultRules(trx);
    const state = await ensureState(trx, today);
    if (state.asOf === today) return state;
    const year = Number(today.slice(0, 4));
    for (let y = state.throughYear + 1; y <= year; y++) {
      await recompute(trx, { kind: 'all' }, yearKeys(y), today);
    }
    const next = { ...state, asOf: today, throughYear: Math.max(state.throughYear, year) };
    const keys = keysClosingBetween(state, state.asOf, today);
    const forward = today > state.asOf;
    if (keys.length > 0) {
      const n = await results.scopeOfRows(trx, keys, forward ? ['pending'] : ['missed', 'no_quorum']);
      if (n > 0) await recompute(trx, { kind: 'table' }, keys, today);
      await results.dropTemp(trx, 'cq_scope');
    }
    await repo.putState(trx, next);
    return next;
  });
}

// ---- hooks: called by other modules inside their write transactions ----------------------------------------------

export interface MeetingChange {
  orgId: number;
  types: readonly string[];
  /** Asia/Shanghai dates (YYYY-MM-DD) the change touches: old and new on a correction */
  localDates: readonly string[];
}

/**
 * Keeps results and rollups right after a meeting is created, changed, corrected, deleted, submitted or signed into.
 * Recomputes the org's rows of the years touched (all types: cheap, and a type change needs both sides anyway).
 */
export async function meetingChanged(trx: Executor, change: MeetingChange): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  const tracked = new Set(trackedYears(state));
  const years = unique(change.localDates.map((d) => Number(d.slice(0, 4)))).filter((y) => tracked.has(y));
  if (years.length === 0) return;
  await recompute(trx, { kind: 'org', id: change.orgId }, years.flatMap(yearKeys), state.asOf, { meetings: true });
}

/** A new org, or one whose kind changed: its own rows. */
export async function orgChanged(trx: Executor, orgId: number): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  await recompute(trx, { kind: 'org', id: orgId }, trackedYears(state).flatMap(yearKeys), state.asOf, {
    meetings: true,
  });
}

/**
 * The roster of an org changed. A branch's roster includes its 党小组 (quorum.ts), and a 党小组 without members of
 * its own leans on its branch: the whole branch (with its groups) is recomputed.
 */
export async function rosterChanged(trx: Executor, orgId: number): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  const org = await repo.findOrg(trx, orgId);
  if (!org) return;
  const branch = org.kind === 'group' && org.parent_id !== null ? org.parent_id : orgId;
  const filter: results.OrgFilter =
    org.kind === 'group' || org.kind === 'branch' ? { kind: 'subtree', root: branch } : { kind: 'org', id: orgId };
  await recompute(trx, filter, trackedYears(state).flatMap(yearKeys), state.asOf, { meetings: true });
}

/** Before a subtree moves: its rows leave the counters of the ancestors it is leaving. */
export async function subtreeLeaving(trx: Executor, orgId: number): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  await withdraw(trx, { kind: 'subtree', root: orgId }, state);
}

/**
 * After a subtree moved: recomputed in its new place (rules may differ there). A 党小组 moving between branches
 * changes both branches' rosters: pass the previous parent to recompute it too.
 */
export async function subtreeArrived(trx: Executor, orgId: number, previousParentId?: number | null): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  const keys = trackedYears(state).flatMap(yearKeys);
  await recompute(trx, { kind: 'subtree', root: orgId }, keys, state.asOf, { meetings: true });
  const org = await repo.findOrg(trx, orgId);
  for (const parent of new Set([org?.parent_id, previousParentId])) {
    if (parent === null || parent === undefined || parent === orgId) continue;
    const p = await repo.findOrg(trx, parent);
    if (p?.kind === 'branch') await recompute(trx, { kind: 'org', id: parent }, keys, state.asOf, { meetings: true });
  }
}

/** Before an org is deleted: its rows, exemptions and rule overrides go. */
export async function orgRemoving(trx: Executor, orgId: number): Promise<void> {
  await results.lockForMaintenance(trx);
  const state = await ensureState(trx, todayInShanghai());
  await withdraw(trx, { kind: 'subtree', root: orgId }, state);
  await repo.deleteExemptionsOf(trx, orgId);
  await repo.deleteRulesScopedAt(trx, orgId);
}

/** The rule of an org and type for the year containing `date` (null when none applies to its kind). */
export function ruleFor(book: RuleBook, orgChain: number[], type: string, date: string): repo.RuleRow | null {
  const inForce = rulesInForce(book, type, `${date.slice(0, 4)}-01-01`);
  for (const id of orgChain) {
    const r = inForce.get(id);
    if (r) return r;
  }
  return inForce.get(null) ?? null;
}
