/**
 * Calendar arithmetic of the compliance engine (pure, no SQL). Four granularities nest inside a year:
 * month ⊂ quarter ⊂ half year ⊂ year. Result rows are keyed by
 * - a rule period (`2026-07`, `2026-Q3`, `2026-H2`, `2026`): an organisation's status for one period of its rule;
 * - an aggregate `agg:<view>` (`agg:2026-Q3`): its status over a calendar view longer than its rule's periods;
 * - a view key under the pseudo-type `overall`: every applicable type over that view.
 * An organisation's status for one type over a view V is the one row among `viewKeys(V)` it has (its rule has one
 * frequency per year: rules change at year starts), so counting rows over those keys never counts an org twice.
 */
import {
  FREQUENCIES,
  type Frequency,
  type MeetingType,
  type Period,
  parsePeriod,
  periodOf,
} from '../../../shared/meetings.js';

export const AGG_PREFIX = 'agg:';
export const OVERALL = 'overall';

const RANK: Record<Frequency, number> = { month: 0, quarter: 1, half_year: 2, year: 3 };

export function granularity(key: string): Frequency {
  return parsePeriod(key).frequency;
}

/** Is frequency `a` finer (shorter) than `b`? */
export function finer(a: Frequency, b: Frequency): boolean {
  return RANK[a] < RANK[b];
}

export function yearOf(key: string): number {
  return Number(key.replace(AGG_PREFIX, '').slice(0, 4));
}

/** Every calendar period key of a year, months first, the year last (19 keys). */
export function yearKeys(year: number): string[] {
  const y = String(year);
  const keys: string[] = [];
  for (let m = 1; m <= 12; m++) keys.push(`${y}-${String(m).padStart(2, '0')}`);
  for (let q = 1; q <= 4; q++) keys.push(`${y}-Q${q}`);
  keys.push(`${y}-H1`, `${y}-H2`, y);
  return keys;
}

/** The keys of one frequency in a year. */
export function keysOfFrequency(year: number, frequency: Frequency): string[] {
  return yearKeys(year).filter((k) => granularity(k) === frequency);
}

/** The periods of every granularity that contain `key` and are strictly longer. */
export function coarserContaining(key: string): string[] {
  const p = parsePeriod(key);
  return FREQUENCIES.filter((f) => finer(p.frequency, f)).map((f) => periodOf(p.from, f));
}

/** The periods of every granularity strictly shorter than `key` and inside it. */
export function finerInside(key: string): string[] {
  const p = parsePeriod(key);
  return yearKeys(yearOf(key)).filter((k) => {
    const q = parsePeriod(k);
    return finer(q.frequency, p.frequency) && q.from >= p.from && q.to <= p.to;
  });
}

/**
 * The result keys that give an org's status for one type over view `view`: the view itself (its rule has that
 * frequency), its aggregate (a finer rule), or the rule period containing it (a coarser rule).
 */
export function viewKeys(view: string): string[] {
  const keys = [view];
  if (granularity(view) !== 'month') keys.push(AGG_PREFIX + view);
  return [...keys, ...coarserContaining(view)];
}

/** Views (any granularity) that overlap `key`: inside it, equal to it, or containing it. */
export function overlappingViews(key: string): string[] {
  return [...finerInside(key), key, ...coarserContaining(key)];
}

/** Is the period over on `asOf` (Asia/Shanghai date)? A period is open up to and including its last day. */
export function isClosed(key: string, asOf: string): boolean {
  return asOf >= parsePeriod(key).to;
}

/** The last day of a period (inclusive), YYYY-MM-DD. */
export function lastDay(p: Period): string {
  const d = new Date(`${p.to}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (YYYY-MM-DD). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

// ---- words for people (messages, webhook texts) -----------------------------------------------------------------

export const TYPE_LABELS: Record<MeetingType, string> = {
  party_congress: '支部党员大会',
  committee: '支部委员会',
  group: '党小组会',
  lecture: '党课',
  theme_day: '主题党日',
  life_meeting: '组织生活会',
  review: '民主评议党员',
  talk: '谈心谈话',
};

/** 2026-07 → 2026年7月, 2026-Q3 → 2026年第三季度, 2026-H1 → 2026年上半年, 2026 → 2026年度 */
export function periodLabel(key: string): string {
  const p = parsePeriod(key);
  const y = key.slice(0, 4);
  switch (p.frequency) {
    case 'month':
      return `${y}年${Number(key.slice(5, 7))}月`;
    case 'quarter':
      return `${y}年第${'一二三四'[Number(key.slice(6)) - 1]}季度`;
    case 'half_year':
      return `${y}年${key.endsWith('H1') ? '上' : '下'}半年`;
    case 'year':
      return `${y}年度`;
  }
}

/** 2026-09-30 → 9月30日 */
export function dayLabel(date: string): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}
