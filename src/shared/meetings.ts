/**
 * 组织生活 ("三会一课"): meeting types, compliance statuses, default rules (《中国共产党支部工作条例（试行）》 and
 * common practice, see shared/domain.md) and calendar periods in Asia/Shanghai.
 */
import { z } from 'zod';

export const MEETING_TYPES = [
  'party_congress', // 支部党员大会
  'committee', // 支部委员会
  'group', // 党小组会
  'lecture', // 党课
  'theme_day', // 主题党日
  'life_meeting', // 组织生活会
  'review', // 民主评议党员
  'talk', // 谈心谈话
] as const;
export type MeetingType = (typeof MEETING_TYPES)[number];

export const ATTENDANCE_STATUSES = ['present', 'leave', 'absent'] as const;
export const REVIEW_GRADES = ['excellent', 'qualified', 'basically_qualified', 'unqualified'] as const; // 优秀/合格/基本合格/不合格

export const COMPLIANCE_STATUSES = ['met', 'missed', 'pending', 'exempt', 'no_quorum'] as const;
export type ComplianceStatus = (typeof COMPLIANCE_STATUSES)[number];

export const FREQUENCIES = ['month', 'quarter', 'half_year', 'year'] as const;
export type Frequency = (typeof FREQUENCIES)[number];

/**
 * Who must be present:
 * - full_members: more than half of the full members (with voting rights)
 * - committee: more than half of the committee members (holders of committee posts)
 * - members: more than half of all members of the organisation
 * - none: no quorum rule
 */
export const QUORUM_RULES = ['full_members', 'committee', 'members', 'none'] as const;
export type QuorumRule = (typeof QUORUM_RULES)[number];

/** Which organisations a rule applies to. */
export const RULE_TARGETS = ['branch', 'branch_with_committee', 'group'] as const;
export type RuleTarget = (typeof RULE_TARGETS)[number];

export interface RuleDefinition {
  type: MeetingType;
  frequency: Frequency;
  /** meetings required per period */
  times: number;
  quorum: QuorumRule;
  appliesTo: RuleTarget;
}

/** The defaults, effective from 2018-10-28 (the 条例's date). Every one can be overridden for a subtree. */
export const DEFAULT_RULES: readonly RuleDefinition[] = [
  { type: 'party_congress', frequency: 'quarter', times: 1, quorum: 'full_members', appliesTo: 'branch' },
  { type: 'committee', frequency: 'month', times: 1, quorum: 'committee', appliesTo: 'branch_with_committee' },
  { type: 'group', frequency: 'month', times: 1, quorum: 'members', appliesTo: 'group' },
  { type: 'lecture', frequency: 'quarter', times: 1, quorum: 'none', appliesTo: 'branch' },
  { type: 'theme_day', frequency: 'month', times: 1, quorum: 'none', appliesTo: 'branch' },
  { type: 'life_meeting', frequency: 'year', times: 1, quorum: 'full_members', appliesTo: 'branch' },
  { type: 'review', frequency: 'year', times: 1, quorum: 'full_members', appliesTo: 'branch' },
  { type: 'talk', frequency: 'year', times: 1, quorum: 'none', appliesTo: 'branch' },
];
export const DEFAULT_RULES_EFFECTIVE_FROM = '2018-10-28';

/** A branch elects a 支部委员会 when it has at least this many full members (条例 第九条). */
export const COMMITTEE_MIN_FULL_MEMBERS = 7;

// ---- periods ------------------------------------------------------------------------------------------

export const PERIOD_RE = /^(\d{4})(?:-(0[1-9]|1[0-2])|-Q([1-4])|-H([12]))?$/;
export const periodSchema = z.string().regex(PERIOD_RE, 'must be like 2026, 2026-H1, 2026-Q3 or 2026-07');

export interface Period {
  key: string;
  /** first day, YYYY-MM-DD (inclusive) */
  from: string;
  /** day after the last, YYYY-MM-DD (exclusive) */
  to: string;
  frequency: Frequency;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function parsePeriod(key: string): Period {
  const m = PERIOD_RE.exec(key);
  if (!m) throw new Error(`invalid period ${key}`);
  const y = Number(m[1]);
  const span = (startMonth: number, months: number, frequency: Frequency): Period => {
    const endTotal = y * 12 + (startMonth - 1) + months;
    return {
      key,
      from: `${y}-${pad(startMonth)}-01`,
      to: `${Math.floor(endTotal / 12)}-${pad((endTotal % 12) + 1)}-01`,
      frequency,
    };
  };
  if (m[2]) return span(Number(m[2]), 1, 'month');
  if (m[3]) return span((Number(m[3]) - 1) * 3 + 1, 3, 'quarter');
  if (m[4]) return span((Number(m[4]) - 1) * 6 + 1, 6, 'half_year');
  return span(1, 12, 'year');
}

/** The key of the period of a given frequency containing a local date (YYYY-MM-DD). */
export function periodOf(date: string, frequency: Frequency): string {
  const y = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  switch (frequency) {
    case 'month':
      return `${y}-${pad(month)}`;
    case 'quarter':
      return `${y}-Q${Math.ceil(month / 3)}`;
    case 'half_year':
      return `${y}-H${month <= 6 ? 1 : 2}`;
    case 'year':
      return y;
  }
}

/** Periods of `frequency` that overlap `outer` (e.g. the three months of a quarter; the quarter of a month). */
export function periodsWithin(outer: Period, frequency: Frequency): string[] {
  const keys: string[] = [];
  let d = outer.from;
  while (d < outer.to) {
    const k = periodOf(d, frequency);
    if (!keys.includes(k)) keys.push(k);
    const [yy, mm] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
    const next = yy * 12 + mm; // next month
    d = `${Math.floor(next / 12)}-${pad((next % 12) + 1)}-01`;
  }
  return keys;
}

/** The local calendar date (Asia/Shanghai) of an instant. */
export function shanghaiDate(instant: string | Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(instant));
}
