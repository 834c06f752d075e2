/**
 * Meeting rules: plan and record a sitting (one sitting may count as several types), attendance from the roster,
 * resolutions with the pass rule, 民主评议 grades, the lock on submission and versioned corrections after it,
 * copying last year's plan, a member's upcoming meetings and QR sign-in. Takes a database or a transaction and
 * returns domain objects, never rows. Every change that can move a compliance result calls the compliance
 * engine's hook in the same transaction.
 */
import { type MeetingType, shanghaiDate } from '../../../shared/meetings.js';
import type { Executor } from '../../db/database.js';
import { AppError, conflict, notFound, validation } from '../../errors.js';
import { onMeetingChanged } from '../compliance/compliance.hooks.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as orgsRepo from '../orgs/orgs.repository.js';
import * as repo from './meetings.repository.js';
import type {
  AttendeeInput,
  MeetingCreateInput,
  MeetingStatus,
  MeetingUpdateInput,
  ResolutionInput,
  ReviewInput,
} from './meetings.schemas.js';
import { minutesHash, minutesLength, sanitizeMinutes } from './minutes.js';
import { defaultQuorumRule, primaryRule, type Quorum, QuorumCalculator } from './quorum.js';

// ---- the domain objects ----------------------------------------------------------------------------------------

export type AttendanceStatus = 'present' | 'leave' | 'absent';

export interface Attendee {
  memberId: number;
  name: string;
  category: string;
  status: AttendanceStatus;
  reason: string | null;
  /** when the member signed in by QR code */
  signedInAt: string | null;
  /** qr: signed in by scanning; manual: recorded by the secretary or recorder */
  via: 'qr' | 'manual' | null;
}

export interface Resolution {
  id: number;
  text: string;
  votesFor: number | null;
  votesAgainst: number | null;
  abstentions: number | null;
  /** computed; null when no votes were recorded */
  passed: boolean | null;
}

export interface Review {
  memberId: number;
  name: string;
  grade: string;
}

export interface Attachment {
  id: number;
  fileName: string;
  mime: string;
  size: number;
  uploadedAt: string;
  uploadedBy: string;
}

export interface TypeQuorum extends Quorum {
  type: MeetingType;
}

export interface MeetingSummary {
  id: number;
  orgId: number;
  orgName: string;
  orgKind: string;
  types: MeetingType[];
  title: string;
  status: MeetingStatus;
  startsAt: string;
  endsAt: string;
  /** Asia/Shanghai date of startsAt: the day that decides the period */
  localDate: string;
  location: string | null;
  hostId: number | null;
  hostName: string | null;
  recorderId: number | null;
  recorderName: string | null;
  minutesLength: number;
  attendance: { present: number; leave: number; absent: number; total: number };
  /** under the strictest default rule of the meeting's types */
  quorum: Quorum;
  quorumByType: TypeQuorum[];
  version: number;
  submittedAt: string | null;
  submittedBy: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
}

export interface Meeting extends MeetingSummary {
  guests: string | null;
  /** sanitised HTML (p, br, strong, em, b, i, u, ul, ol, li, h3, h4, blockquote; no attributes) */
  minutes: string;
  attendees: Attendee[];
  resolutions: Resolution[];
  reviews: Review[];
  attachments: Attachment[];
}

export interface MeetingVersion {
  version: number;
  reason: string | null;
  correctedBy: string;
  correctedAt: string;
  /** the record as it was in this version */
  snapshot: Meeting;
}

const TYPE_ORDER = new Map<string, number>(
  (['party_congress', 'committee', 'group', 'lecture', 'theme_day', 'life_meeting', 'review', 'talk'] as const).map(
    (t, i) => [t, i],
  ),
);
const sortTypes = (types: readonly string[]) =>
  [...types].sort((a, b) => (TYPE_ORDER.get(a) ?? 99) - (TYPE_ORDER.get(b) ?? 99)) as MeetingType[];

async function summaries(
  db: Executor,
  rows: repo.MeetingRow[],
  calc = new QuorumCalculator(db),
): Promise<{ list: MeetingSummary[]; attendees: Map<number, repo.AttendeeRow[]> }> {
  const ids = rows.map((r) => r.id);
  const types = await repo.typesOf(db, ids);
  const attendees = await repo.attendeesOf(db, ids);
  const list: MeetingSummary[] = [];
  for (const r of rows) {
    const ts = sortTypes(types.get(r.id) ?? []);
    const att = attendees.get(r.id) ?? [];
    const quorumByType: TypeQuorum[] = [];
    for (const type of ts) {
      const rule = defaultQuorumRule(type);
      quorumByType.push({ type, rule, ...(await calc.counts(r.org_id, att, rule)) });
    }
    const rule = primaryRule(ts);
    list.push({
      id: r.id,
      orgId: r.org_id,
      orgName: r.org_name,
      orgKind: r.org_kind,
      types: ts,
      title: r.title,
      status: r.status as MeetingStatus,
      startsAt: r.starts_at,
      endsAt: r.ends_at,
      localDate: r.local_date,
      location: r.location,
      hostId: r.host_id,
      hostName: r.host_name,
      recorderId: r.recorder_id,
      recorderName: r.recorder_name,
      minutesLength: r.minutes_length,
      attendance: {
        present: att.filter((a) => a.status === 'present').length,
        leave: att.filter((a) => a.status === 'leave').length,
        absent: att.filter((a) => a.status === 'absent').length,
        total: att.length,
      },
      quorum: { rule, ...(await calc.counts(r.org_id, att, rule)) },
      quorumByType,
      version: r.version,
      submittedAt: r.submitted_at,
      submittedBy: r.submitted_by,
      createdAt: r.created_at,
      createdBy: r.created_by,
      updatedAt: r.updated_at,
    });
  }
  return { list, attendees };
}

/** Summaries of meetings in the order of `ids`. */
export async function getSummaries(db: Executor, ids: number[]): Promise<MeetingSummary[]> {
  const rows = await repo.findManyById(db, ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  return (await summaries(db, rows)).list;
}

export async function getMany(db: Executor, ids: number[]): Promise<Meeting[]> {
  const rows = await repo.findManyById(db, ids);
  const order = new Map(ids.map((id, i) => [id, i]));
  rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const { list, attendees } = await summaries(db, rows);
  const resolutions = await repo.resolutionsOf(db, ids);
  const reviews = await repo.reviewsOf(db, ids);
  const out: Meeting[] = [];
  for (const [i, s] of list.entries()) {
    const r = rows[i]!;
    out.push({
      ...s,
      guests: r.guests,
      minutes: r.minutes ?? '',
      attendees: (attendees.get(r.id) ?? []).map((a) => ({
        memberId: a.member_id,
        name: a.name,
        category: a.category,
        status: a.status as AttendanceStatus,
        reason: a.reason,
        signedInAt: a.signed_in_at,
        via: a.via as Attendee['via'],
      })),
      resolutions: (resolutions.get(r.id) ?? []).map((x) => ({
        id: x.id,
        text: x.text,
        votesFor: x.votes_for,
        votesAgainst: x.votes_against,
        abstentions: x.abstentions,
        passed: x.passed === null ? null : x.passed === 1,
      })),
      reviews: (reviews.get(r.id) ?? []).map((x) => ({ memberId: x.member_id, name: x.name, grade: x.grade })),
      attachments: (await repo.attachmentsOf(db, r.id)).map((x) => ({
        id: x.id,
        fileName: x.file_name,
        mime: x.mime,
        size: x.size,
        uploadedAt: x.uploaded_at,
        uploadedBy: x.uploaded_by,
      })),
    });
  }
  return out;
}

export async function get(db: Executor, id: number): Promise<Meeting> {
  const [m] = await getMany(db, [id]);
  if (!m) throw notFound('meeting');
  return m;
}

export const orgOf = repo.orgOf;

export async function find(db: Executor, id: number): Promise<repo.MeetingRow> {
  const row = await repo.findById(db, id);
  if (!row) throw notFound('meeting');
  return row;
}

// ---- lists -----------------------------------------------------------------------------------------------------

export interface MeetingListQuery {
  org?: number;
  from?: string;
  to?: string;
  type?: MeetingType;
  status?: MeetingStatus;
}

export async function list(db: Executor, scope: OrgScope, q: MeetingListQuery, page: number, pageSize: number) {
  // A subtree root the caller cannot see matches nothing (and does not confirm it exists).
  if (q.org !== undefined) {
    const visible = scope.all ? await orgsRepo.exists(db, q.org) : await orgsRepo.isWithin(db, q.org, scope.roots);
    if (!visible) return { items: [] as MeetingSummary[], total: 0 };
  }
  const { rows, total } = await repo.list(
    db,
    scope,
    { root: q.org, from: q.from, to: q.to, type: q.type, status: q.status },
    (page - 1) * pageSize,
    pageSize,
  );
  return { items: (await summaries(db, rows)).list, total };
}

/** The meetings of a member's org (and those they are recorded for) that have not ended yet, soonest first. */
export async function upcoming(db: Executor, memberId: number, now = new Date()): Promise<MeetingSummary[]> {
  const m = await repo.member(db, memberId);
  if (!m) return [];
  const ids = await repo.idsForMember(db, m.org_id, memberId, now.toISOString(), 100);
  const rows = await repo.findManyById(db, ids);
  rows.sort((a, b) => (a.starts_at < b.starts_at ? -1 : a.starts_at > b.starts_at ? 1 : a.id - b.id));
  return (await summaries(db, rows)).list;
}

export async function versions(db: Executor, id: number): Promise<MeetingVersion[]> {
  return (await repo.versionsOf(db, id)).map((v) => ({
    version: v.version,
    reason: v.reason,
    correctedBy: v.corrected_by,
    correctedAt: v.corrected_at,
    snapshot: JSON.parse(v.snapshot) as Meeting,
  }));
}

// ---- validation ------------------------------------------------------------------------------------------------

const KIND_NAMES: Record<string, string> = {
  committee: '党委',
  general_branch: '党总支',
  branch: '党支部',
  group: '党小组',
};

/**
 * 党小组会 (group) only in a 党小组, and a 党小组 holds only 党小组会; every other type in a 党支部, 党总支 or
 * 党委 (a 支部委员会 there is its committee's meeting).
 */
export function checkTypesForOrg(kind: string, types: readonly MeetingType[]): void {
  types.forEach((type, i) => {
    if (kind === 'group' && type !== 'group') {
      throw validation(`types.${i}`, `a 党小组 (group) holds only 党小组会 (group) meetings, not ${type}`);
    }
    if (kind !== 'group' && type === 'group') {
      throw validation(`types.${i}`, `党小组会 (group) is held by a 党小组, not by a ${KIND_NAMES[kind] ?? kind}`);
    }
  });
  const seen = new Set<string>();
  types.forEach((type, i) => {
    if (seen.has(type)) throw validation(`types.${i}`, `${type} is listed twice`);
    seen.add(type);
  });
}

/** Who may be recorded at a meeting of this org: ids of the members among `memberIds` that qualify. */
async function eligibleMembers(db: Executor, org: repo.OrgInfo, memberIds: number[]): Promise<Set<number>> {
  if (memberIds.length === 0) return new Set();
  let orgIds: number[];
  if (org.kind === 'branch') orgIds = await repo.subtreeIds(db, org.id);
  else if (org.kind === 'group') orgIds = org.parent_id ? [org.id, org.parent_id] : [org.id];
  else orgIds = [org.id];
  const out = new Set((await repo.membersOn(db, memberIds, orgIds)).keys());
  // A 党委 or 党总支 meets with its committee members, who sit on the branches below.
  if (org.kind !== 'branch' && org.kind !== 'group') {
    for (const id of await repo.postHoldersAmong(db, memberIds, org.id)) out.add(id);
  }
  return out;
}

interface Content {
  types: MeetingType[];
  title: string;
  startsAt: string;
  endsAt: string;
  location: string | null;
  hostId: number | null;
  recorderId: number | null;
  guests: string | null;
  minutes: string;
  attendees: AttendeeInput[];
  resolutions: ResolutionInput[];
  reviews: ReviewInput[];
}

const NOT_IN_ORG = 'is not a member of this organisation';

async function checkContent(db: Executor, org: repo.OrgInfo, c: Content): Promise<void> {
  checkTypesForOrg(org.kind, c.types);
  if (new Date(c.endsAt).getTime() <= new Date(c.startsAt).getTime()) {
    throw validation('endsAt', 'must be after startsAt');
  }
  const seen = new Set<number>();
  c.attendees.forEach((a, i) => {
    if (seen.has(a.memberId)) throw validation(`attendees.${i}.memberId`, 'is listed twice');
    seen.add(a.memberId);
    if (a.status === 'leave' && !a.reason?.trim()) {
      throw validation(`attendees.${i}.reason`, 'is required for a member on leave (请假事由)');
    }
  });
  const reviewed = new Set<number>();
  c.reviews.forEach((r, i) => {
    if (reviewed.has(r.memberId)) throw validation(`reviews.${i}.memberId`, 'is graded twice');
    reviewed.add(r.memberId);
  });
  if (c.reviews.length > 0 && !c.types.includes('review')) {
    throw validation('reviews', 'grades belong to a 民主评议党员 (review) meeting: add the type review');
  }
  const ids = [
    ...c.attendees.map((a) => a.memberId),
    ...c.reviews.map((r) => r.memberId),
    ...(c.hostId ? [c.hostId] : []),
    ...(c.recorderId ? [c.recorderId] : []),
  ];
  const ok = await eligibleMembers(db, org, [...new Set(ids)]);
  c.attendees.forEach((a, i) => {
    if (!ok.has(a.memberId)) throw validation(`attendees.${i}.memberId`, NOT_IN_ORG);
  });
  if (c.hostId && !ok.has(c.hostId)) throw validation('hostId', NOT_IN_ORG);
  if (c.recorderId && !ok.has(c.recorderId)) throw validation('recorderId', NOT_IN_ORG);
  c.reviews.forEach((r, i) => {
    if (!ok.has(r.memberId)) throw validation(`reviews.${i}.memberId`, NOT_IN_ORG);
  });
  const present = c.attendees.filter((a) => a.status === 'present').length;
  c.resolutions.forEach((r, i) => {
    const cast = (r.votesFor ?? 0) + (r.votesAgainst ?? 0) + (r.abstentions ?? 0);
    if (c.attendees.length > 0 && cast > present) {
      throw validation(`resolutions.${i}.votesFor`, `${cast} votes but only ${present} members present`);
    }
  });
}

/**
 * Whether a resolution passed. 党员大会: yes votes from more than half of the full members who should attend
 * (条例); 支部委员会: more than half of the committee; otherwise more than half of the votes cast.
 */
async function passed(
  calc: QuorumCalculator,
  orgId: number,
  types: readonly MeetingType[],
  r: ResolutionInput,
  recorded: number,
): Promise<number | null> {
  if (r.votesFor === null || r.votesFor === undefined) return null;
  let base: number;
  if (types.includes('party_congress')) base = await calc.expected(orgId, 'full_members', recorded);
  else if (types.includes('committee')) base = await calc.expected(orgId, 'committee', recorded);
  else base = r.votesFor + (r.votesAgainst ?? 0) + (r.abstentions ?? 0);
  return base > 0 && r.votesFor * 2 > base ? 1 : 0;
}

/** The Shanghai date of an instant, and the instant as a UTC ISO string. */
const utc = (s: string) => new Date(s).toISOString();

async function writeContent(
  db: Executor,
  id: number,
  orgId: number,
  c: Content,
  previous: Map<number, { signed_in_at: string | null; via: string | null; status: string }>,
): Promise<void> {
  const localDate = shanghaiDate(c.startsAt);
  await repo.replaceTypes(db, id, c.types, orgId, localDate);
  await repo.replaceAttendees(
    db,
    id,
    c.attendees.map((a) => {
      const before = previous.get(a.memberId);
      const keepSignin = a.status === 'present' && before?.signed_in_at;
      return {
        meeting_id: id,
        member_id: a.memberId,
        status: a.status,
        reason: a.status === 'present' ? null : (a.reason?.trim() ?? null) || null,
        signed_in_at: keepSignin ? (before?.signed_in_at ?? null) : null,
        via: keepSignin ? (before?.via ?? 'qr') : 'manual',
      };
    }),
  );
  const calc = new QuorumCalculator(db);
  const rows = [];
  for (const r of c.resolutions) {
    rows.push({
      meeting_id: id,
      text: r.text,
      votes_for: r.votesFor ?? null,
      votes_against: r.votesAgainst ?? null,
      abstentions: r.abstentions ?? null,
      passed: await passed(calc, orgId, c.types, r, c.attendees.length),
    });
  }
  await repo.replaceResolutions(db, id, rows);
  await repo.replaceReviews(
    db,
    id,
    c.reviews.map((r) => ({ meeting_id: id, member_id: r.memberId, grade: r.grade })),
  );
}

function meetingColumns(c: Content) {
  const minutes = sanitizeMinutes(c.minutes);
  return {
    title: c.title,
    starts_at: utc(c.startsAt),
    ends_at: utc(c.endsAt),
    local_date: shanghaiDate(c.startsAt),
    location: c.location,
    host_id: c.hostId,
    recorder_id: c.recorderId,
    guests: c.guests,
    minutes: minutes || null,
    minutes_length: minutesLength(minutes),
    minutes_hash: minutesHash(minutes),
  };
}

const unique = <T>(xs: readonly T[]) => [...new Set(xs)];

// ---- writes ----------------------------------------------------------------------------------------------------

export async function create(
  trx: Executor,
  input: MeetingCreateInput,
  actor: string,
  now = new Date(),
): Promise<number> {
  const org = await repo.orgInfo(trx, input.orgId);
  if (!org) throw notFound('organisation');
  const c: Content = {
    types: input.types,
    title: input.title,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    location: input.location ?? null,
    hostId: input.hostId ?? null,
    recorderId: input.recorderId ?? null,
    guests: input.guests ?? null,
    minutes: input.minutes ?? '',
    attendees: input.attendees ?? [],
    resolutions: input.resolutions ?? [],
    reviews: input.reviews ?? [],
  };
  await checkContent(trx, org, c);
  const at = now.toISOString();
  const id = await repo.insert(trx, {
    org_id: org.id,
    status: input.status,
    ...meetingColumns(c),
    version: 1,
    submitted_at: null,
    submitted_by: null,
    created_at: at,
    created_by: actor,
    updated_at: at,
  });
  await writeContent(trx, id, org.id, c, new Map());
  await onMeetingChanged(trx, { orgId: org.id, types: c.types, localDates: [shanghaiDate(c.startsAt)] });
  return id;
}

/** The current content of a stored meeting, as an input would give it. */
function contentOf(m: Meeting): Content {
  return {
    types: m.types,
    title: m.title,
    startsAt: m.startsAt,
    endsAt: m.endsAt,
    location: m.location,
    hostId: m.hostId,
    recorderId: m.recorderId,
    guests: m.guests,
    minutes: m.minutes,
    attendees: m.attendees.map((a) => ({ memberId: a.memberId, status: a.status, reason: a.reason })),
    resolutions: m.resolutions.map((r) => ({
      text: r.text,
      votesFor: r.votesFor,
      votesAgainst: r.votesAgainst,
      abstentions: r.abstentions,
    })),
    reviews: m.reviews.map((r) => ({ memberId: r.memberId, grade: r.grade as ReviewInput['grade'] })),
  };
}

/**
 * Edits a meeting. Before submission: any field, and status planned ↔ draft. After submission: a correction,
 * which needs `correctionReason`, keeps a snapshot of the previous content and bumps the version.
 */
export async function update(
  trx: Executor,
  id: number,
  input: MeetingUpdateInput,
  actor: string,
  now = new Date(),
): Promise<{ corrected: boolean; version: number }> {
  const before = await get(trx, id);
  const org = await repo.orgInfo(trx, before.orgId);
  if (!org) throw notFound('organisation');
  const submitted = before.status === 'submitted';
  if (submitted && !input.correctionReason) {
    throw new AppError(
      409,
      'correction_reason_required',
      'correctionReason: the record is submitted; a correction needs a reason and becomes a new version',
      'correctionReason',
    );
  }
  if (submitted && input.status !== undefined) {
    throw validation('status', 'a submitted record stays submitted');
  }
  const prev = contentOf(before);
  const typesChanged = input.types !== undefined;
  const next: Content = {
    types: input.types ?? prev.types,
    title: input.title ?? prev.title,
    startsAt: input.startsAt ?? prev.startsAt,
    endsAt: input.endsAt ?? prev.endsAt,
    location: input.location !== undefined ? input.location : prev.location,
    hostId: input.hostId !== undefined ? input.hostId : prev.hostId,
    recorderId: input.recorderId !== undefined ? input.recorderId : prev.recorderId,
    guests: input.guests !== undefined ? input.guests : prev.guests,
    minutes: input.minutes !== undefined ? (input.minutes ?? '') : prev.minutes,
    attendees: input.attendees ?? prev.attendees,
    resolutions: input.resolutions ?? prev.resolutions,
    // grades go with the type: dropping review drops them
    reviews: input.reviews ?? (typesChanged && !input.types?.includes('review') ? [] : prev.reviews),
  };
  await checkContent(trx, org, next);
  const at = now.toISOString();
  let version = before.version;
  if (submitted) {
    await repo.insertVersion(trx, {
      meeting_id: id,
      version: before.version,
      snapshot: JSON.stringify(before),
      reason: input.correctionReason ?? null,
      corrected_by: actor,
      corrected_at: at,
    });
    version += 1;
  }
  await repo.update(trx, id, {
    ...meetingColumns(next),
    ...(input.status !== undefined && !submitted ? { status: input.status } : {}),
    version,
    updated_at: at,
  });
  const previous = new Map(
    before.attendees.map((a) => [a.memberId, { signed_in_at: a.signedInAt, via: a.via, status: a.status }]),
  );
  await writeContent(trx, id, before.orgId, next, previous);
  await onMeetingChanged(trx, {
    orgId: before.orgId,
    types: unique([...before.types, ...next.types]),
    localDates: unique([before.localDate, shanghaiDate(next.startsAt)]),
  });
  return { corrected: submitted, version };
}

/** Locks the record: it must be complete and the meeting must have started. */
export async function submit(trx: Executor, id: number, actor: string, now = new Date()): Promise<void> {
  const m = await get(trx, id);
  if (m.status === 'submitted') throw conflict('already_submitted', 'The record is already submitted');
  if (new Date(m.startsAt).getTime() > now.getTime()) {
    throw validation('startsAt', 'the meeting has not started yet: a record is submitted after the meeting');
  }
  if (!m.hostId) throw validation('hostId', 'is required before submitting (主持人)');
  if (!m.recorderId) throw validation('recorderId', 'is required before submitting (记录人)');
  if (m.attendees.length === 0) throw validation('attendees', 'record the attendance before submitting');
  if (m.minutesLength === 0) throw validation('minutes', 'are required before submitting (会议内容)');
  const at = now.toISOString();
  await repo.update(trx, id, { status: 'submitted', submitted_at: at, submitted_by: actor, updated_at: at });
  await onMeetingChanged(trx, { orgId: m.orgId, types: m.types, localDates: [m.localDate] });
}

/** Deletes a planned meeting or a draft; a submitted record cannot be deleted. Returns the attachments' files. */
export async function remove(trx: Executor, id: number): Promise<string[]> {
  const m = await get(trx, id);
  if (m.status === 'submitted') {
    throw conflict('meeting_locked', 'A submitted record cannot be deleted; correct it instead');
  }
  const files = (await repo.attachmentsOf(trx, id)).map((a) => a.storage_name);
  await repo.remove(trx, id);
  await onMeetingChanged(trx, { orgId: m.orgId, types: m.types, localDates: [m.localDate] });
  return files;
}

// ---- plans -----------------------------------------------------------------------------------------------------

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China keeps UTC+8 all year

/** The same Shanghai month, day and time in another year (29 Feb → 28 Feb). */
export function sameDayIn(year: number, instant: string): string {
  const local = new Date(new Date(instant).getTime() + SHANGHAI_OFFSET_MS);
  const month = local.getUTCMonth();
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const moved = Date.UTC(
    year,
    month,
    Math.min(local.getUTCDate(), lastDay),
    local.getUTCHours(),
    local.getUTCMinutes(),
    local.getUTCSeconds(),
  );
  return new Date(moved - SHANGHAI_OFFSET_MS).toISOString();
}

/**
 * Copies the meetings of `fromYear` (planned or held) as planned meetings of `toYear`: types, title, location,
 * the same month, day and time (and duration). A meeting with the same title and start already in the plan is
 * skipped, so copying twice adds nothing.
 */
export async function copyPlan(
  trx: Executor,
  orgId: number,
  fromYear: number,
  toYear: number,
  actor: string,
  now = new Date(),
): Promise<{ count: number; skipped: number }> {
  const sourceIds = await repo.idsOfOrg(
    trx,
    orgId,
    `${fromYear}-01-01`,
    `${fromYear}-12-31`,
    ['planned', 'draft', 'submitted'],
    5000,
  );
  const existing = await repo.findManyById(
    trx,
    await repo.idsOfOrg(trx, orgId, `${toYear}-01-01`, `${toYear}-12-31`, ['planned', 'draft', 'submitted'], 5000),
  );
  const taken = new Set(existing.map((m) => `${m.title}\u0000${m.starts_at}`));
  const sources = await repo.findManyById(trx, sourceIds);
  const types = await repo.typesOf(trx, sourceIds);
  const at = now.toISOString();
  let count = 0;
  let skipped = 0;
  const touchedTypes = new Set<MeetingType>();
  const touchedDates = new Set<string>();
  for (const s of sources) {
    const startsAt = sameDayIn(toYear, s.starts_at);
    const endsAt = new Date(
      new Date(startsAt).getTime() + (new Date(s.ends_at).getTime() - new Date(s.starts_at).getTime()),
    ).toISOString();
    if (taken.has(`${s.title}\u0000${startsAt}`)) {
      skipped++;
      continue;
    }
    taken.add(`${s.title}\u0000${startsAt}`);
    const localDate = shanghaiDate(startsAt);
    const ts = sortTypes(types.get(s.id) ?? []);
    const id = await repo.insert(trx, {
      org_id: orgId,
      title: s.title,
      status: 'planned',
      starts_at: startsAt,
      ends_at: endsAt,
      local_date: localDate,
      location: s.location,
      host_id: null,
      recorder_id: null,
      guests: null,
      minutes: null,
      minutes_length: 0,
      minutes_hash: null,
      version: 1,
      submitted_at: null,
      submitted_by: null,
      created_at: at,
      created_by: actor,
      updated_at: at,
    });
    await repo.replaceTypes(trx, id, ts, orgId, localDate);
    for (const t of ts) touchedTypes.add(t);
    touchedDates.add(localDate);
    count++;
  }
  if (count > 0) {
    await onMeetingChanged(trx, { orgId, types: [...touchedTypes], localDates: [...touchedDates].sort() });
  }
  return { count, skipped };
}

// ---- QR sign-in ------------------------------------------------------------------------------------------------

/** Sign-in opens this long before the start and closes at the end. */
export const SIGNIN_OPENS_BEFORE_MS = 30 * 60_000;

export function signinWindow(m: { startsAt: string; endsAt: string }): { opensAt: Date; closesAt: Date } {
  return {
    opensAt: new Date(new Date(m.startsAt).getTime() - SIGNIN_OPENS_BEFORE_MS),
    closesAt: new Date(m.endsAt),
  };
}

/**
 * Marks the member present (via qr, at `now`). Refused outside the window (410 signin_closed), on a submitted
 * record (409 meeting_locked) and for anyone not on the org's roster (404, as for any meeting out of sight). Signing in twice is
 * harmless: the first time stays.
 */
export async function signin(
  trx: Executor,
  meetingId: number,
  memberId: number,
  now = new Date(),
): Promise<{ meeting: MeetingSummary; signedInAt: string; alreadySignedIn: boolean }> {
  const row = await find(trx, meetingId);
  const org = await repo.orgInfo(trx, row.org_id);
  if (!org) throw notFound('meeting');
  const recorded = await repo.attendee(trx, meetingId, memberId);
  // Someone outside the org learns nothing about the meeting, not even that it exists.
  if (!recorded && !(await eligibleMembers(trx, org, [memberId])).has(memberId)) throw notFound('meeting');
  const { opensAt, closesAt } = signinWindow({ startsAt: row.starts_at, endsAt: row.ends_at });
  if (now < opensAt || now > closesAt) {
    throw new AppError(
      410,
      'signin_closed',
      `Sign-in is open from ${opensAt.toISOString()} to ${closesAt.toISOString()} (30 minutes before the start until the end)`,
    );
  }
  if (row.status === 'submitted') throw conflict('meeting_locked', 'The record is already submitted');
  let signedInAt = now.toISOString();
  let already = false;
  if (recorded?.status === 'present' && recorded.signed_in_at) {
    already = true;
    signedInAt = recorded.signed_in_at;
  } else if (recorded) {
    await repo.updateAttendee(trx, meetingId, memberId, {
      status: 'present',
      reason: null,
      signed_in_at: signedInAt,
      via: 'qr',
    });
  } else {
    await repo.insertAttendee(trx, {
      meeting_id: meetingId,
      member_id: memberId,
      status: 'present',
      reason: null,
      signed_in_at: signedInAt,
      via: 'qr',
    });
  }
  if (!already) {
    await repo.update(trx, meetingId, { updated_at: signedInAt });
    const types = sortTypes((await repo.typesOf(trx, [meetingId])).get(meetingId) ?? []);
    await onMeetingChanged(trx, { orgId: row.org_id, types, localDates: [row.local_date] });
  }
  const [meeting] = (await summaries(trx, [(await repo.findById(trx, meetingId))!])).list;
  return { meeting: meeting!, signedInAt, alreadySignedIn: already };
}
