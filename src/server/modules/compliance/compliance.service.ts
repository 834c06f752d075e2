/**
 * Compliance rules (overrides for a subtree), exemptions (requested by the branch, decided by the level above), the
 * overview rolled up for any subtree and period, the list of those behind, quality signals for the level above,
 * and the to-do list of reminders. Reads refresh the engine to today first (a no-op most days).
 */
import { todayInShanghai } from '../../../shared/dates.js';
import {
  type ComplianceStatus,
  type Frequency,
  MEETING_TYPES,
  type MeetingType,
  parsePeriod,
  periodOf,
  type QuorumRule,
} from '../../../shared/meetings.js';
import type { Executor } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as engine from './compliance.engine.js';
import {
  addDays,
  dayLabel,
  daysBetween,
  granularity,
  lastDay,
  OVERALL,
  periodLabel,
  TYPE_LABELS,
  viewKeys,
  yearKeys,
} from './compliance.periods.js';
import * as repo from './compliance.repository.js';
import type {
  Color,
  ExemptionCreateInput,
  Overview,
  RuleCreateInput,
  TypeSummary,
  WebhookInput,
} from './compliance.schemas.js';

// ---- colours ------------------------------------------------------------------------------------------------------

/** Green when at most 10% of the orgs are behind, amber up to 30%, red above. */
export const COLOR_THRESHOLDS = { green: 0.9, amber: 0.7 } as const;

/**
 * The colour is read from the share NOT behind (not missed, not held without quorum): for a closed period that is
 * the met rate; in an open period orgs still pending are not counted against the subtree.
 */
export function colorOf(orgs: number, behind: number): Color {
  if (orgs === 0) return 'green';
  const ok = (orgs - behind) / orgs;
  return ok >= COLOR_THRESHOLDS.green ? 'green' : ok >= COLOR_THRESHOLDS.amber ? 'amber' : 'red';
}

const round4 = (x: number) => Math.round(x * 10000) / 10000;

export function currentQuarter(today = todayInShanghai()): string {
  return periodOf(today, 'quarter');
}

// ---- the overview -----------------------------------------------------------------------------------------------

type Counters = Omit<repo.CounterRow, 'type'>;
const zero = (): Counters => ({ met: 0, missed: 0, pending: 0, exempt: 0, no_quorum: 0 });

function summaryOf(c: Counters): TypeSummary {
  const orgs = c.met + c.missed + c.pending + c.exempt + c.no_quorum;
  return {
    orgs,
    ...c,
    rate: orgs ? round4((c.met + c.exempt) / orgs) : 0,
    color: colorOf(orgs, c.missed + c.no_quorum),
  };
}

/** Counters per type (and `overall`) of an org's subtree over a view: the rollup below it plus its own rows. */
export async function subtreeCounters(db: Executor, orgId: number, view: string): Promise<Map<string, Counters>> {
  const keys = viewKeys(view);
  const [below, own] = await Promise.all([
    repo.rollupCounters(db, orgId, view, keys),
    repo.resultsOf(db, [orgId], keys),
  ]);
  const out = new Map<string, Counters>();
  const get = (type: string) => out.get(type) ?? out.set(type, zero()).get(type)!;
  for (const r of below) {
    const c = get(r.type);
    for (const k of ['met', 'missed', 'pending', 'exempt', 'no_quorum'] as const) c[k] += r[k];
  }
  for (const r of own) {
    if (r.type === OVERALL && r.period !== view) continue;
    get(r.type)[r.status as keyof Counters] += 1;
  }
  return out;
}

/** The summary of a subtree over a period, from the rollups alone (what must stay fast at any scale). */
export async function summary(
  db: Executor,
  q: { orgId: number; period?: string; today?: string },
): Promise<Pick<Overview, 'org' | 'orgName' | 'period' | 'from' | 'to' | 'asOf' | 'open' | 'tracked' | 'summary'>> {
  const today = q.today ?? todayInShanghai();
  const state = await engine.refresh(db, today);
  const org = await repo.findOrg(db, q.orgId);
  if (!org) throw notFound('organisation');
  const period = q.period ?? currentQuarter(today);
  const p = parsePeriod(period);
  const counters = await subtreeCounters(db, q.orgId, period);
  const byType: Overview['summary']['byType'] = {};
  for (const type of MEETING_TYPES) {
    const c = counters.get(type);
    if (c) byType[type] = summaryOf(c);
  }
  const overall = summaryOf(counters.get(OVERALL) ?? zero());
  return {
    org: org.id,
    orgName: org.name,
    period,
    from: p.from,
    to: lastDay(p),
    asOf: state.asOf,
    open: today < p.to,
    tracked: engine.trackedYears(state).includes(Number(period.slice(0, 4))),
    summary: {
      orgs: overall.orgs,
      met: overall.met + overall.exempt,
      rate: overall.rate,
      behind: overall.missed + overall.no_quorum,
      pending: overall.pending,
      exempt: overall.exempt,
      color: overall.color,
      byType,
    },
  };
}

/** The summary plus one page of (org, type) items of the subtree, worst first. */
export async function overview(
  db: Executor,
  q: {
    orgId: number;
    period?: string;
    today?: string;
    page?: number;
    pageSize?: number;
    type?: MeetingType;
    status?: ComplianceStatus;
  },
): Promise<Overview> {
  const head = await summary(db, q);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 200;
  const rows = await repo.itemsPage(db, q.orgId, viewKeys(head.period), (page - 1) * pageSize, pageSize, {
    type: q.type,
    status: q.status ? [q.status] : undefined,
  });
  const byType = head.summary.byType;
  const count = (s: TypeSummary | undefined) => (q.status ? (s?.[q.status] ?? 0) : (s?.orgs ?? 0));
  const total = q.type ? count(byType[q.type]) : MEETING_TYPES.reduce((n, t) => n + count(byType[t]), 0);
  return {
    ...head,
    items: rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      type: r.type as MeetingType,
      status: r.status as ComplianceStatus,
      source: r.period,
      held: r.held,
      heldWithQuorum: r.held_with_quorum,
    })),
    page,
    pageSize,
    total,
  };
}

/** Orgs behind (a type missed or held without quorum) over the period, most types behind first. */
export async function behind(
  db: Executor,
  q: { orgId: number; period?: string; today?: string; page?: number; pageSize?: number },
) {
  const today = q.today ?? todayInShanghai();
  await engine.refresh(db, today);
  const org = await repo.findOrg(db, q.orgId);
  if (!org) throw notFound('organisation');
  const period = q.period ?? currentQuarter(today);
  const p = parsePeriod(period);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const { rows, total } = await repo.behindPage(db, q.orgId, period, (page - 1) * pageSize, pageSize);
  const typeRows = await repo.resultsOf(
    db,
    rows.map((r) => r.org_id),
    viewKeys(period),
  );
  const to = lastDay(p);
  return {
    org: org.id,
    orgName: org.name,
    period,
    total,
    page,
    pageSize,
    items: rows.map((r) => ({
      orgId: r.org_id,
      orgName: r.org_name,
      kind: r.kind,
      parentId: r.parent_id,
      parentName: r.parent_name,
      status: r.status as ComplianceStatus,
      typesBehind: r.behind,
      types: typeRows
        .filter((t) => t.org_id === r.org_id && t.type !== OVERALL)
        .map((t) => ({ type: t.type as MeetingType, status: t.status as ComplianceStatus, source: t.period }))
        .sort((a, b) => MEETING_TYPES.indexOf(a.type) - MEETING_TYPES.indexOf(b.type)),
      /** drill down: the org's overview and its meeting records of the period */
      overviewUrl: `/api/compliance?org=${r.org_id}&period=${period}`,
      meetingsUrl: `/api/meetings?org=${r.org_id}&from=${p.from}&to=${to}`,
    })),
  };
}

// ---- quality signals --------------------------------------------------------------------------------------------

export const SIGNAL_THRESHOLDS = {
  /** minutes shorter than this many characters */
  minutesMinLength: 200,
  /** this many meetings or more recorded on one day … */
  crammedPerDay: 3,
  /** … within the last days of a month (every period ends at a month's end) */
  lastDays: 7,
} as const;

export interface SignalRow {
  orgId: number;
  orgName: string;
  meetings: number;
  shortMinutes: number;
  noOutcome: number;
  copiedMinutes: number;
  underQuorum: number;
  crammed: number;
}

/**
 * Quality signals for the level above (not a ranking: orgs in tree order), over the submitted meetings of the period
 * of orgs STRICTLY below the caller's own grant roots (`below`): a branch secretary sees none for their own branch.
 */
export async function signals(db: Executor, q: { orgId: number; below: OrgScope; period?: string; today?: string }) {
  const today = q.today ?? todayInShanghai();
  const period = q.period ?? currentQuarter(today);
  const p = parsePeriod(period);
  const meetings = await repo.signalMeetings(db, q.orgId, q.below, p.from, p.to);
  const ids = meetings.map((m) => m.id);
  const typesOf = await repo.meetingTypesOf(db, ids);
  const quorum = await engine.quorumFlags(db, meetings);
  const book = await engine.loadRuleBook(db);
  const chains = new Map<number, number[]>();
  for (const orgId of new Set(meetings.map((m) => m.org_id))) {
    chains.set(
      orgId,
      (await repo.selfAndAncestors(db, orgId)).map((a) => a.id),
    );
  }
  const names = await repo.orgNames(db, [...chains.keys()]);
  const rows = new Map<number, SignalRow>();
  const perDay = new Map<string, number>();
  for (const m of meetings) {
    const last = lastDay(parsePeriod(m.local_date.slice(0, 7)));
    if (daysBetween(m.local_date, last) < SIGNAL_THRESHOLDS.lastDays) {
      const k = `${m.org_id}|${m.local_date}`;
      perDay.set(k, (perDay.get(k) ?? 0) + 1);
    }
  }
  for (const m of meetings) {
    const row =
      rows.get(m.org_id) ??
      rows
        .set(m.org_id, {
          orgId: m.org_id,
          orgName: names.get(m.org_id) ?? '',
          meetings: 0,
          shortMinutes: 0,
          noOutcome: 0,
          copiedMinutes: 0,
          underQuorum: 0,
          crammed: 0,
        })
        .get(m.org_id)!;
    row.meetings++;
    if (m.minutes_length < SIGNAL_THRESHOLDS.minutesMinLength) row.shortMinutes++;
    if (!m.has_resolution && !m.discussed) row.noOutcome++;
    if (m.copied) row.copiedMinutes++;
    if ((perDay.get(`${m.org_id}|${m.local_date}`) ?? 0) >= SIGNAL_THRESHOLDS.crammedPerDay) row.crammed++;
    const qr = quorum.get(m.id);
    const failed = (typesOf.get(m.id) ?? []).some((type) => {
      const rule = engine.ruleFor(book, chains.get(m.org_id) ?? [], type, m.local_date);
      const kind = rule?.quorum as QuorumRule | undefined;
      if (!qr || !kind || kind === 'none') return false;
      return !qr[kind];
    });
    if (failed) row.underQuorum++;
  }
  const depthOf = new Map<number, number>();
  for (const [id, chain] of chains) depthOf.set(id, chain.length);
  const collator = new Intl.Collator('zh-Hans-CN');
  const items = [...rows.values()]
    .filter((r) => r.shortMinutes + r.noOutcome + r.copiedMinutes + r.underQuorum + r.crammed > 0)
    .sort(
      (a, b) =>
        (depthOf.get(a.orgId) ?? 0) - (depthOf.get(b.orgId) ?? 0) ||
        collator.compare(a.orgName, b.orgName) ||
        a.orgId - b.orgId,
    );
  return { org: q.orgId, period, thresholds: SIGNAL_THRESHOLDS, meetings: meetings.length, items };
}

// ---- to-do list (reminders) -------------------------------------------------------------------------------------

export interface TodoItem {
  kind: 'due_soon' | 'missed';
  orgId: number;
  orgName: string;
  type: MeetingType;
  period: string;
  status: ComplianceStatus;
  /** last day of the period */
  deadline: string;
  /** days from today to the deadline (negative: past) */
  daysLeft: number;
  message: string;
}

/** How long after its period a miss stays on the to-do list. */
export const MISSED_VISIBLE_DAYS = 31;

export function todoMessage(item: Omit<TodoItem, 'message'>, held = 0): string {
  const what = `${item.orgName}：${periodLabel(item.period)}的${TYPE_LABELS[item.type]}`;
  if (item.kind === 'due_soon') {
    const tail = held > 0 ? '已召开但到会人数未过半数，需另行召开' : '尚未召开';
    return `【党建提醒】${what}${tail}，距截止还有${item.daysLeft}天（${dayLabel(item.deadline)}截止），请抓紧安排。`;
  }
  if (item.status === 'no_quorum') {
    return `【党建提醒】${what}已召开，但到会人数未过半数，未达到规定要求（${dayLabel(item.deadline)}已截止），请按规定补开。`;
  }
  return `【党建提醒】${what}未按规定召开（${dayLabel(item.deadline)}已截止），请及时补开并向上级党组织说明情况。`;
}

/** Rule periods ending within `days` and not yet met (due_soon), and those missed in the last month (missed). */
export async function todo(
  db: Executor,
  q: { scope: OrgScope; today?: string; days?: number; limit?: number },
): Promise<{ today: string; days: number; items: TodoItem[]; truncated: boolean }> {
  const today = q.today ?? todayInShanghai();
  const days = q.days ?? 10;
  const limit = q.limit ?? 200;
  const state = await engine.refresh(db, today);
  const keys = engine.trackedYears(state).flatMap(yearKeys);
  const dueKeys = keys.filter((k) => {
    const p = parsePeriod(k);
    return p.from <= today && today < p.to && daysBetween(today, lastDay(p)) <= days;
  });
  const missedKeys = keys.filter((k) => {
    const p = parsePeriod(k);
    return p.to <= today && p.to > addDays(today, -MISSED_VISIBLE_DAYS);
  });
  const [missed, due] = await Promise.all([
    repo.openRows(db, q.scope, missedKeys, ['missed', 'no_quorum'], limit + 1),
    repo.openRows(db, q.scope, dueKeys, ['pending'], limit + 1),
  ]);
  const items: TodoItem[] = [];
  for (const [kind, rows] of [
    ['missed', missed],
    ['due_soon', due],
  ] as const) {
    for (const r of rows) {
      const deadline = lastDay(parsePeriod(r.period));
      const base = {
        kind,
        orgId: r.org_id,
        orgName: r.org_name,
        type: r.type as MeetingType,
        period: r.period,
        status: r.status as ComplianceStatus,
        deadline,
        daysLeft: daysBetween(today, deadline),
      };
      items.push({ ...base, message: todoMessage(base, r.held) });
    }
  }
  items.sort(
    (a, b) =>
      (a.kind === b.kind ? 0 : a.kind === 'missed' ? -1 : 1) ||
      a.deadline.localeCompare(b.deadline) ||
      a.orgId - b.orgId ||
      MEETING_TYPES.indexOf(a.type) - MEETING_TYPES.indexOf(b.type),
  );
  return { today, days, items: items.slice(0, limit), truncated: items.length > limit };
}

// ---- rules ------------------------------------------------------------------------------------------------------

export interface Rule {
  id: number;
  scopeOrgId: number | null;
  scopeOrgName: string | null;
  source: 'default' | 'override';
  type: MeetingType;
  frequency: Frequency;
  times: number;
  quorum: QuorumRule;
  appliesTo: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdBy: string;
  createdAt: string;
}

function toRule(r: repo.RuleRow, names: Map<number, string>): Rule {
  return {
    id: r.id,
    scopeOrgId: r.scope_org_id,
    scopeOrgName: r.scope_org_id === null ? null : (names.get(r.scope_org_id) ?? null),
    source: r.scope_org_id === null ? 'default' : 'override',
    type: r.type as MeetingType,
    frequency: r.frequency as Frequency,
    times: r.times,
    quorum: r.quorum as QuorumRule,
    appliesTo: r.applies_to,
    effectiveFrom: r.effective_from,
    effectiveTo: r.effective_to,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

/**
 * The rules governing an org on a date (the year containing it): per type, the nearest override up the tree in force
 * on 1 January, else the platform default; plus every override on the org and its ancestors (past and future).
 */
export async function effectiveRules(db: Executor, orgId: number | null, date = todayInShanghai()) {
  await engine.ensureDefaultRules(db);
  const book = await engine.loadRuleBook(db);
  const chain = orgId === null ? [] : (await repo.selfAndAncestors(db, orgId)).map((a) => a.id);
  const names = await repo.orgNames(db, chain);
  const items = MEETING_TYPES.map((type) => engine.ruleFor(book, chain, type, date))
    .filter((r): r is repo.RuleRow => r !== null)
    .map((r) => toRule(r, names));
  const overrides = book.rules
    .filter((r) => r.scope_org_id !== null && chain.includes(r.scope_org_id))
    .map((r) => toRule(r, names));
  return { org: orgId, date, items, overrides };
}

export async function getRule(db: Executor, id: number): Promise<Rule> {
  const r = await repo.findRule(db, id);
  if (!r) throw notFound('rule');
  const names = await repo.orgNames(db, r.scope_org_id === null ? [] : [r.scope_org_id]);
  return toRule(r, names);
}

/** An override for a subtree from 1 January of a year; it closes the scope's previous rule for the type. */
export async function createOverride(trx: Executor, input: RuleCreateInput, actor: string): Promise<number> {
  if (!(await repo.findOrg(trx, input.orgId))) throw notFound('organisation');
  const same = (await repo.listRules(trx)).filter((r) => r.scope_org_id === input.orgId && r.type === input.type);
  const later = same.find((r) => r.effective_from >= input.effectiveFrom);
  if (later) {
    throw new AppError(
      409,
      'rule_conflict',
      `an override for this organisation and type already takes effect on ${later.effective_from}; delete it first`,
      'effectiveFrom',
      { ruleId: later.id },
    );
  }
  for (const r of same) {
    if (r.effective_to === null || r.effective_to > input.effectiveFrom) {
      await repo.setRuleEnd(trx, r.id, input.effectiveFrom);
    }
  }
  const id = await repo.insertRule(trx, {
    scope_org_id: input.orgId,
    type: input.type,
    frequency: input.frequency,
    times: input.times,
    quorum: input.quorum,
    applies_to: input.appliesTo,
    effective_from: input.effectiveFrom,
    effective_to: null,
    created_by: actor,
    created_at: new Date().toISOString(),
  });
  await engine.recomputeSubtreeFrom(trx, input.orgId, Number(input.effectiveFrom.slice(0, 4)));
  return id;
}

/** Deletes an override; the scope's rule it had closed runs on in its place. */
export async function deleteOverride(trx: Executor, id: number): Promise<repo.RuleRow> {
  const rule = await repo.findRule(trx, id);
  if (!rule) throw notFound('rule');
  if (rule.scope_org_id === null) {
    throw conflict('default_rule', 'platform default rules cannot be deleted; override them for a subtree instead');
  }
  const previous = (await repo.listRules(trx)).find(
    (r) => r.scope_org_id === rule.scope_org_id && r.type === rule.type && r.effective_to === rule.effective_from,
  );
  if (previous) await repo.setRuleEnd(trx, previous.id, rule.effective_to);
  await repo.deleteRule(trx, id);
  await engine.recomputeSubtreeFrom(trx, rule.scope_org_id, Number(rule.effective_from.slice(0, 4)));
  return rule;
}

// ---- exemptions ---------------------------------------------------------------------------------------------------

export interface Exemption {
  id: number;
  orgId: number;
  orgName: string;
  type: MeetingType;
  period: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** the org that decides (the level above) */
  deciderOrgId: number | null;
}

function toExemption(r: repo.ExemptionRow): Exemption {
  return {
    id: r.id,
    orgId: r.org_id,
    orgName: r.org_name,
    type: r.type as MeetingType,
    period: r.period,
    reason: r.reason,
    status: r.status as Exemption['status'],
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    deciderOrgId: r.parent_id,
  };
}

export async function getExemption(db: Executor, id: number): Promise<Exemption> {
  const r = await repo.findExemption(db, id);
  if (!r) throw notFound('exemption');
  return toExemption(r);
}

/** A request by the org for one of its rule periods of a type that applies to it. */
export async function requestExemption(trx: Executor, input: ExemptionCreateInput, actor: string): Promise<number> {
  const org = await repo.findOrg(trx, input.orgId);
  if (!org) throw notFound('organisation');
  await engine.ensureCompliance(trx);
  const [row] = (await repo.resultsOf(trx, [input.orgId], [input.period])).filter((r) => r.type === input.type);
  if (!row) {
    const chain = (await repo.selfAndAncestors(trx, input.orgId)).map((a) => a.id);
    const rule = engine.ruleFor(await engine.loadRuleBook(trx), chain, input.type, parsePeriod(input.period).from);
    const hint =
      rule && granularity(input.period) !== rule.frequency
        ? `its rule is per ${rule.frequency}: name a period like ${periodOf(parsePeriod(input.period).from, rule.frequency as Frequency)}`
        : 'the rule does not apply to this organisation in that period (or the period is not tracked)';
    throw new AppError(400, 'not_applicable', `${TYPE_LABELS[input.type]} ${input.period}: ${hint}`, 'period');
  }
  const open = await repo.openExemption(trx, input.orgId, input.type, input.period);
  if (open) {
    throw new AppError(409, 'exemption_exists', `an exemption is already ${open.status} for this period`, 'period', {
      exemptionId: open.id,
    });
  }
  return repo.insertExemption(trx, {
    org_id: input.orgId,
    type: input.type,
    period: input.period,
    reason: input.reason,
    requested_by: actor,
    requested_at: new Date().toISOString(),
  });
}

/** Approves or rejects a pending request; an approval recomputes the org's year. */
export async function decideExemption(
  trx: Executor,
  id: number,
  decision: 'approved' | 'rejected',
  actor: string,
): Promise<void> {
  const e = await repo.findExemption(trx, id);
  if (!e) throw notFound('exemption');
  if (e.status !== 'pending') throw conflict('exemption_not_pending', `the request is already ${e.status}`);
  await repo.decideExemption(trx, id, decision, actor, new Date().toISOString());
  if (decision === 'approved') await engine.recomputeOrg(trx, e.org_id, [Number(e.period.slice(0, 4))]);
}

export async function listExemptions(
  db: Executor,
  scope: OrgScope,
  q: { status?: string; page: number; pageSize: number },
) {
  const { rows, total } = await repo.listExemptions(db, scope, q.status, (q.page - 1) * q.pageSize, q.pageSize);
  return { items: rows.map(toExemption), total };
}

// ---- webhooks -----------------------------------------------------------------------------------------------------

export interface Webhook {
  orgId: number;
  kind: 'wecom' | 'dingtalk' | null;
  /** the robot's URL with its key / access token masked */
  url: string | null;
  enabled: boolean;
  updatedAt: string | null;
}

/** Keeps scheme, host and path; masks every query value (the robots' keys and tokens sit there). */
export function maskUrl(url: string): string {
  const u = new URL(url);
  for (const [k, v] of [...u.searchParams.entries()]) {
    u.searchParams.set(k, v.length <= 4 ? '****' : `${v.slice(0, 2)}****${v.slice(-2)}`);
  }
  return u.toString();
}

function toWebhook(orgId: number, r: repo.WebhookRow | undefined): Webhook {
  if (!r) return { orgId, kind: null, url: null, enabled: false, updatedAt: null };
  return {
    orgId,
    kind: r.kind as Webhook['kind'],
    url: maskUrl(r.url),
    enabled: r.enabled === 1,
    updatedAt: r.updated_at,
  };
}

export async function getWebhook(db: Executor, orgId: number): Promise<Webhook> {
  return toWebhook(orgId, await repo.findWebhook(db, orgId));
}

export async function setWebhook(trx: Executor, orgId: number, input: WebhookInput): Promise<Webhook> {
  if (!(await repo.findOrg(trx, orgId))) throw notFound('organisation');
  const row = {
    org_id: orgId,
    kind: input.kind,
    url: input.url,
    enabled: input.enabled ? 1 : 0,
    updated_at: new Date().toISOString(),
  };
  await repo.upsertWebhook(trx, row);
  return toWebhook(orgId, row);
}
