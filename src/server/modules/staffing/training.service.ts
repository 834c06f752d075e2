/**
 * The training-hours ledger (学时台账): hours recorded per member and calendar year (Asia/Shanghai dates) against
 * the yearly target: 56 h for whoever held a committee post (书记 … 委员) at some time during the year, else 32 h.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import { TRAINING_TARGET_HOURS } from '../../../shared/members.js';
import type {
  TrainingCreateInput,
  TrainingEntry,
  TrainingRow,
  TrainingSource,
  TrainingView,
} from '../../../shared/staffing.js';
import type { Executor } from '../../db/database.js';
import { notFound, validation } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as repo from './staffing.repository.js';

const collator = new Intl.Collator('zh-Hans-CN');
const round2 = (x: number) => Math.round(x * 100) / 100;
const hoursOf = (minutes: number) => round2(minutes / 60);

export const currentYear = () => Number(todayInShanghai().slice(0, 4));

export const targetFor = (committee: boolean) =>
  committee ? TRAINING_TARGET_HOURS.committee : TRAINING_TARGET_HOURS.member;

function toEntry(r: repo.TrainingRowDb): TrainingEntry {
  return {
    id: r.id,
    memberId: r.member_id,
    year: r.year,
    hours: hoursOf(r.minutes),
    minutes: r.minutes,
    title: r.title,
    source: r.source as TrainingSource,
    occurredOn: r.occurred_on,
    ref: r.ref,
    recordedAt: r.recorded_at,
    recordedBy: r.recorded_by,
  };
}

function toRow(r: repo.MemberHoursRow): TrainingRow {
  const committee = r.committee_posts > 0;
  const target = targetFor(committee);
  const missing = Math.max(0, target * 60 - r.minutes);
  return {
    memberId: r.member_id,
    name: r.name,
    orgId: r.org_id,
    orgName: r.org_name,
    committee,
    target,
    hours: hoursOf(r.minutes),
    behind: missing > 0,
    shortfall: hoursOf(missing),
  };
}

export async function record(trx: Executor, input: TrainingCreateInput, actor: string): Promise<TrainingEntry> {
  const member = await repo.findMember(trx, input.memberId);
  if (!member) throw notFound('member');
  if (input.occurredOn.slice(0, 4) !== String(input.year)) {
    throw validation('occurredOn', `does not lie in ${input.year}`);
  }
  if (input.occurredOn > todayInShanghai()) throw validation('occurredOn', 'lies in the future');
  const minutes = Math.round(input.hours * 60);
  if (minutes < 1) throw validation('hours', 'is less than a minute');
  const id = await repo.insertTraining(trx, {
    member_id: member.id,
    year: input.year,
    minutes,
    title: input.title,
    source: input.source,
    occurred_on: input.occurredOn,
    ref: input.ref ?? null,
    recorded_at: new Date().toISOString(),
    recorded_by: actor,
  });
  return toEntry((await repo.findTraining(trx, id))!);
}

/** Everyone on the active roster in `scope` for `year`, most behind first. */
export async function view(db: Executor, scope: OrgScope, year: number): Promise<TrainingView> {
  const rows = (await repo.memberHours(db, scope, year)).map(toRow);
  rows.sort((a, b) => b.shortfall - a.shortfall || collator.compare(a.name, b.name) || a.memberId - b.memberId);
  const behind = rows.filter((r) => r.behind).length;
  return {
    year,
    rows,
    summary: {
      members: rows.length,
      behind,
      shareBehind: rows.length ? Math.round((behind / rows.length) * 10000) / 10000 : 0,
    },
  };
}

/** One member's entries for `year`, with the year's total against the target. */
export async function ledger(db: Executor, memberId: number, year: number) {
  const [row] = await repo.memberHours(db, { all: true }, year, memberId);
  if (!row) throw notFound('member');
  const entries = await repo.trainingEntries(db, memberId, year);
  return { ...toRow(row), year, entries: entries.map(toEntry) };
}
