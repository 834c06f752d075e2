/**
 * Quorum (法定人数) of a meeting under one of the rules in shared/meetings.ts (QUORUM_RULES). Exported for the
 * compliance engine, which resolves the rule in force (overrides included) and calls `quorumFor`; the meetings
 * API shows the default rule of each type.
 *
 * Who counts, from the current roster (only active statuses: normal, floating, abroad):
 * - full_members: the org's full members (category full); for a 党支部 its 党小组 count in (members sit on the
 *   branch or on one of its groups); present = full members recorded present.
 * - members: all of the org's members; present = members recorded present.
 * - committee: holders of a current committee post (书记 … 委员) on the org; present = those recorded present.
 * - none: no rule (met), the counts are those of `members`.
 * A 党小组 whose members are kept on its branch (no member sits on the group itself) has no roster of its own:
 * then the people recorded for the meeting (present, on leave or absent) are the ones who should attend.
 * Met means strictly more than half: 2 of 5 is not met, 3 of 5 is.
 */
import { DEFAULT_RULES, type MeetingType, type QuorumRule } from '../../../shared/meetings.js';
import { ACTIVE_STATUSES } from '../../../shared/members.js';
import type { Executor } from '../../db/database.js';
import { notFound } from '../../errors.js';
import * as repo from './meetings.repository.js';

export interface QuorumCounts {
  /** who should attend under the rule */
  expected: number;
  /** of those, how many were present */
  present: number;
  met: boolean;
}

export interface Quorum extends QuorumCounts {
  rule: QuorumRule;
}

/** The pure rule: more than half of those who should attend are present. */
export function quorumFromCounts(expected: number, present: number): QuorumCounts {
  return { expected, present, met: expected > 0 && present * 2 > expected };
}

/** The default quorum rule of a meeting type (shared/meetings.ts DEFAULT_RULES). */
export function defaultQuorumRule(type: MeetingType): QuorumRule {
  return DEFAULT_RULES.find((r) => r.type === type)?.quorum ?? 'none';
}

/** Which rule decides a sitting that counts as several types: the strictest present. */
const RULE_ORDER: readonly QuorumRule[] = ['full_members', 'members', 'committee', 'none'];
export function primaryRule(types: readonly MeetingType[]): QuorumRule {
  const rules = new Set(types.map(defaultQuorumRule));
  return RULE_ORDER.find((r) => rules.has(r)) ?? 'none';
}

interface OrgRoster {
  full: number;
  members: number;
  /** ids of the orgs whose members count */
  orgIds: Set<number>;
  committee: Set<number>;
  /** a 党小组 without members of its own: the recorded attendees stand in */
  fromAttendees: boolean;
}

/** Caches roster lookups across the meetings of one request (several meetings of the same org). */
export class QuorumCalculator {
  private rosters = new Map<number, Promise<OrgRoster>>();

  constructor(private readonly db: Executor) {}

  private roster(orgId: number): Promise<OrgRoster> {
    let r = this.rosters.get(orgId);
    if (!r) {
      r = this.loadRoster(orgId);
      this.rosters.set(orgId, r);
    }
    return r;
  }

  private async loadRoster(orgId: number): Promise<OrgRoster> {
    const org = await repo.orgInfo(this.db, orgId);
    if (!org) throw notFound('organisation');
    const orgIds = org.kind === 'branch' ? await repo.subtreeIds(this.db, orgId) : [orgId];
    const counts = await repo.rosterCounts(this.db, orgIds);
    return {
      ...counts,
      orgIds: new Set(orgIds),
      committee: await repo.committeeHolders(this.db, orgId),
      fromAttendees: org.kind === 'group' && counts.members === 0,
    };
  }

  /** The counts of one rule for a meeting of `orgId` with these attendees. */
  async counts(
    orgId: number,
    attendees: readonly {
      member_id: number;
      member_org_id: number;
      status: string;
      category: string;
      member_status: string;
    }[],
    rule: QuorumRule,
  ): Promise<QuorumCounts> {
    const roster = await this.roster(orgId);
    const active = (a: { member_status: string }) => (ACTIVE_STATUSES as readonly string[]).includes(a.member_status);
    const present = attendees.filter((a) => a.status === 'present' && active(a));
    if (roster.fromAttendees) {
      const recorded = attendees.filter(active);
      const pick = rule === 'full_members' ? (a: { category: string }) => a.category === 'full' : () => true;
      if (rule === 'committee') return quorumFromCounts(0, 0);
      const q = quorumFromCounts(recorded.filter(pick).length, present.filter(pick).length);
      return rule === 'none' ? { ...q, met: true } : q;
    }
    const onRoster = present.filter((a) => roster.orgIds.has(a.member_org_id));
    switch (rule) {
      case 'full_members':
        return quorumFromCounts(roster.full, onRoster.filter((a) => a.category === 'full').length);
      case 'committee':
        return quorumFromCounts(roster.committee.size, present.filter((a) => roster.committee.has(a.member_id)).length);
      case 'members':
        return quorumFromCounts(roster.members, onRoster.length);
      case 'none':
        return { ...quorumFromCounts(roster.members, onRoster.length), met: true };
      default: {
        const never: never = rule;
        throw new Error(`unknown quorum rule ${String(never)}`);
      }
    }
  }

  /** Expected full members for the resolution rule of a 党员大会 (or committee holders of a 支委会). */
  async expected(orgId: number, rule: QuorumRule, recorded: number): Promise<number> {
    const roster = await this.roster(orgId);
    if (roster.fromAttendees) return recorded;
    return rule === 'full_members' ? roster.full : rule === 'committee' ? roster.committee.size : roster.members;
  }
}

/**
 * The quorum of a stored meeting under `rule` (the compliance engine passes the rule in force for the meeting's
 * org, type and date). Attendees recorded present count only when they belong to those who should attend.
 */
export async function quorumFor(db: Executor, meetingId: number, rule: QuorumRule): Promise<QuorumCounts> {
  const orgId = await repo.orgOf(db, meetingId);
  if (orgId === undefined) throw notFound('meeting');
  const attendees = (await repo.attendeesOf(db, [meetingId])).get(meetingId) ?? [];
  return new QuorumCalculator(db).counts(orgId, attendees, rule);
}

/** quorumFor over many meetings at once (one roster lookup per org): meeting id → counts. */
export async function quorumForMany(
  db: Executor,
  meetingIds: number[],
  rule: QuorumRule,
): Promise<Map<number, QuorumCounts>> {
  const calc = new QuorumCalculator(db);
  const rows = await repo.findManyById(db, meetingIds);
  const attendees = await repo.attendeesOf(db, meetingIds);
  const out = new Map<number, QuorumCounts>();
  for (const m of rows) out.set(m.id, await calc.counts(m.org_id, attendees.get(m.id) ?? [], rule));
  return out;
}
