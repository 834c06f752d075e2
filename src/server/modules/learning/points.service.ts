/**
 * Points: configurable rules with daily caps (Asia/Shanghai days), the nearest override above a member's org
 * winning over the defaults; awards never exceed the day's cap. Organisation averages for each level; personal
 * rankings only where an organisation turned them on for its subtree.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import {
  DEFAULT_POINT_RULES,
  type OrgPointsRow,
  POINT_RULES,
  type PointRule,
  type PointRuleConfig,
  type PointsSummary,
} from '../../../shared/learning.js';
import type { Executor } from '../../db/database.js';
import * as repo from './points.repository.js';

/** The rules in force for members of `orgId`. */
export async function rulesFor(db: Executor, orgId: number): Promise<PointRuleConfig[]> {
  const overrides = await repo.overridesFor(db, orgId);
  return DEFAULT_POINT_RULES.map((d) => {
    const o = overrides.find((r) => r.rule === d.rule);
    return o
      ? { rule: d.rule, points: o.points, dailyCap: o.daily_cap, unitMinutes: o.unit_minutes, enabled: o.enabled === 1 }
      : { ...d };
  });
}

export async function setRules(
  db: Executor,
  orgId: number,
  rules: { rule: PointRule; points: number; dailyCap: number; unitMinutes: number; enabled: boolean }[],
  actor: string,
  now: Date,
): Promise<PointRuleConfig[]> {
  for (const r of rules) {
    await repo.upsertRule(db, {
      org_id: orgId,
      rule: r.rule,
      points: r.points,
      daily_cap: r.dailyCap,
      unit_minutes: r.rule === 'study_time' ? Math.max(1, r.unitMinutes) : 0,
      enabled: r.enabled ? 1 : 0,
      updated_by: actor,
      updated_at: now.toISOString(),
    });
  }
  return rulesFor(db, orgId);
}

/**
 * Awards `units` occurrences of `rule` to a member of `orgId`, capped by the day's limit; `once`: not again for
 * the same ref. Returns the points awarded.
 */
export async function award(
  db: Executor,
  memberId: number,
  orgId: number,
  rule: PointRule,
  units: number,
  ref: string | null,
  now: Date,
  opts: { once?: boolean } = {},
): Promise<number> {
  if (units <= 0) return 0;
  const cfg = (await rulesFor(db, orgId)).find((r) => r.rule === rule);
  if (!cfg?.enabled || cfg.points <= 0) return 0;
  if (opts.once && ref && (await repo.hasRef(db, memberId, rule, ref))) return 0;
  const day = todayInShanghai(now);
  const already = await repo.sumToday(db, memberId, day, rule);
  const grant = Math.min(cfg.points * units, cfg.dailyCap - already);
  if (grant <= 0) return 0;
  await repo.insert(db, {
    member_id: memberId,
    rule,
    points: grant,
    day,
    year: Number(day.slice(0, 4)),
    ref,
    at: now.toISOString(),
  });
  return grant;
}

export async function summary(db: Executor, memberId: number, orgId: number, now: Date): Promise<PointsSummary> {
  const day = todayInShanghai(now);
  const year = Number(day.slice(0, 4));
  const totals = await repo.memberTotals(db, memberId, day, year);
  const rules = await rulesFor(db, orgId);
  const recent = await repo.recent(db, memberId, 20);
  return {
    today: totals.reduce((n, r) => n + r.today, 0),
    year: totals.reduce((n, r) => n + r.year, 0),
    total: totals.reduce((n, r) => n + r.total, 0),
    byRule: POINT_RULES.map((rule) => ({
      rule,
      today: totals.find((t) => t.rule === rule)?.today ?? 0,
      dailyCap: rules.find((r) => r.rule === rule)?.dailyCap ?? 0,
    })),
    recent: recent.map((r) => ({ rule: r.rule as PointRule, points: r.points, at: r.at, ref: r.ref })),
  };
}

export async function orgAverages(db: Executor, orgId: number, year: number): Promise<OrgPointsRow[]> {
  const rows = await repo.orgAverages(db, orgId, year);
  return rows
    .filter((r) => r.orgId === orgId || r.members > 0)
    .map((r) => ({
      orgId: r.orgId,
      orgName: r.orgName,
      members: r.members,
      totalPoints: r.total,
      averagePoints: r.members ? Math.round((r.total / r.members) * 100) / 100 : 0,
    }));
}

export async function rankingEnabled(db: Executor, orgId: number): Promise<{ enabled: boolean; setAt: number | null }> {
  const s = await repo.rankingSetting(db, orgId);
  return { enabled: s?.rankings_enabled === 1, setAt: s?.org_id ?? null };
}

export { repo as pointsRepo };
