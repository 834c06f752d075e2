/**
 * Roster rules: the member as the API shows it (numbers masked, 党龄 and age derived), create and edit with the
 * GB 11643 and date rules, duplicate detection through the blind index, the change history (masked values only)
 * and revealing the full numbers. Takes a database or a transaction; returns domain objects, never rows.
 */
import type { Selectable } from 'kysely';
import { todayInShanghai } from '../../../shared/dates.js';
import {
  type MemberCategory,
  type MemberInput,
  type MemberStatus,
  maskIdNumber,
  maskPhone,
  memberRuleErrors,
  type PartyPost,
  PHONE_RE,
} from '../../../shared/members.js';
import type { FieldCipher } from '../../crypto/sm.js';
import type { Executor, MemberTable } from '../../db/database.js';
import { AppError, conflict, notFound } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as orgsRepo from '../orgs/orgs.repository.js';
import { nameInitials, normaliseIdNumber, protectIdNumber, protectPhone } from './members.personal.js';
import * as repo from './members.repository.js';

export interface MemberPost {
  post: PartyPost;
  orgId: number;
  fullTime: boolean;
  startedAt: string;
  endedAt: string | null;
}

/** A member as every response shows it: 身份证号 and phone masked. */
export interface Member {
  id: number;
  name: string;
  gender: '男' | '女' | null;
  ethnicity: string | null;
  birthDate: string | null;
  /** masked: 510***********1234 */
  idNumber: string | null;
  /** masked: 180****1999 */
  phone: string | null;
  education: string | null;
  unit: string | null;
  title: string | null;
  orgId: number;
  orgName: string;
  category: MemberCategory;
  joinedAt: string | null;
  fullAt: string | null;
  status: MemberStatus;
  /** 党龄: whole years since becoming a full member (党章 art. 7); null while probationary */
  partyAge: number | null;
  age: number | null;
  posts: MemberPost[];
}

export interface HistoryChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

export interface HistoryEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  changes: HistoryChange[];
}

/** Whole years from `from` to `to` (both YYYY-MM-DD). */
export function wholeYears(from: string, to: string): number {
  let years = Number(to.slice(0, 4)) - Number(from.slice(0, 4));
  if (to.slice(5) < from.slice(5)) years--;
  return Math.max(0, years);
}

function toMember(r: repo.MemberRow, posts: repo.PostRow[], today: string): Member {
  return {
    id: r.id,
    name: r.name,
    gender: r.gender === '男' || r.gender === '女' ? r.gender : null,
    ethnicity: r.ethnicity,
    birthDate: r.birth_date,
    idNumber: r.id_masked,
    phone: r.phone_masked,
    education: r.education,
    unit: r.unit,
    title: r.title,
    orgId: r.org_id,
    orgName: r.org_name,
    category: r.category as MemberCategory,
    joinedAt: r.joined_at,
    fullAt: r.full_at,
    status: r.status as MemberStatus,
    partyAge: r.full_at ? wholeYears(r.full_at, today) : null,
    age: r.birth_date ? wholeYears(r.birth_date, today) : null,
    posts: posts.map((p) => ({
      post: p.post as PartyPost,
      orgId: p.org_id,
      fullTime: p.full_time === 1,
      startedAt: p.started_at,
      endedAt: p.ended_at,
    })),
  };
}

export async function get(db: Executor, id: number): Promise<Member> {
  const row = await repo.findById(db, id);
  if (!row) throw notFound('member');
  const posts = await repo.postsOf(db, [id]);
  return toMember(row, posts.get(id) ?? [], todayInShanghai());
}

export const orgOf = repo.orgOf;

// ---- the roster list ---------------------------------------------------------------------------------------------

export interface MemberListQuery {
  org?: number;
  q?: string;
  category?: MemberCategory;
  status?: MemberStatus;
  post?: PartyPost;
  ageMin?: number;
  ageMax?: number;
}

const ID_RE = /^\d{17}[\dXx]$/;

/**
 * What `q` searches: a full 身份证号 or mobile number → the blind index (exact match only; nothing is ever
 * decrypted to search); Latin letters → pinyin initials (prefix); anything else → the name (substring).
 */
export function searchTerm(cipher: FieldCipher, raw: string | undefined): repo.SearchTerm | undefined {
  const q = raw?.trim();
  if (!q) return undefined;
  if (ID_RE.test(q)) return { kind: 'id_index', value: cipher.blindIndex(normaliseIdNumber(q)) };
  if (PHONE_RE.test(q)) return { kind: 'phone_index', value: cipher.blindIndex(q) };
  if (/^[A-Za-z]+$/.test(q)) return { kind: 'initials', value: q.toLowerCase() };
  // LIKE wildcards are taken literally: a name never contains them.
  const name = q.replace(/[%_\\]/g, '');
  return name ? { kind: 'name', value: name } : undefined;
}

/** Shifts a YYYY-MM-DD date by whole years (29 Feb → 28 Feb). */
function minusYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) - years;
  let md = date.slice(5);
  if (md === '02-29') md = '02-28';
  return `${String(y).padStart(4, '0')}-${md}`;
}

export async function list(
  db: Executor,
  cipher: FieldCipher,
  scope: OrgScope,
  query: MemberListQuery,
  page: number,
  pageSize: number,
) {
  // A subtree root the caller cannot see matches nothing (and does not confirm it exists).
  if (query.org !== undefined) {
    const visible = scope.all
      ? await orgsRepo.exists(db, query.org)
      : await orgsRepo.isWithin(db, query.org, scope.roots);
    if (!visible) return { items: [] as Member[], total: 0 };
  }
  const today = todayInShanghai();
  const filter: repo.MemberListFilter = {
    root: query.org,
    search: searchTerm(cipher, query.q),
    category: query.category,
    status: query.status,
    post: query.post,
  };
  // age ≥ n ⇔ born on or before today − n years; age ≤ n ⇔ born after today − (n + 1) years
  if (query.ageMin !== undefined) filter.bornOnOrBefore = minusYears(today, query.ageMin);
  if (query.ageMax !== undefined) filter.bornAfter = minusYears(today, query.ageMax + 1);
  const { rows, total } = await repo.list(db, scope, filter, (page - 1) * pageSize, pageSize);
  const posts = await repo.postsOf(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toMember(r, posts.get(r.id) ?? [], today)), total };
}

// ---- writes ------------------------------------------------------------------------------------------------------

/** The rule errors of a (merged) member record; the first one is thrown, all of them travel in `details`. */
export function checkRules(m: Partial<MemberInput>, today = todayInShanghai()): void {
  const errors = memberRuleErrors(
    {
      gender: m.gender,
      birthDate: m.birthDate,
      idNumber: m.idNumber,
      category: m.category,
      joinedAt: m.joinedAt,
      fullAt: m.fullAt,
    },
    today,
  );
  const first = errors[0];
  if (first) throw new AppError(400, 'validation', `${first.field}: ${first.message}`, first.field, { errors });
}

const duplicateId = () =>
  conflict('duplicate', 'idNumber: a member with this ID number is already registered', 'idNumber');

/** Unique-index violations from either database, for the race the pre-check cannot close. */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === '23505' || /UNIQUE constraint failed/.test(err?.message ?? '');
}

/** Row columns for the given (validated) input fields: numbers protected, initials derived. */
export function columnsFor(cipher: FieldCipher, input: Partial<MemberInput>): repo.MemberPatch {
  const c: repo.MemberPatch = {};
  if (input.name !== undefined) {
    c.name = input.name;
    c.name_initials = nameInitials(input.name);
  }
  if (input.gender !== undefined) c.gender = input.gender;
  if (input.ethnicity !== undefined) c.ethnicity = input.ethnicity;
  if (input.birthDate !== undefined) c.birth_date = input.birthDate;
  if (input.idNumber !== undefined) Object.assign(c, protectIdNumber(cipher, input.idNumber));
  if (input.phone !== undefined) Object.assign(c, protectPhone(cipher, input.phone));
  if (input.education !== undefined) c.education = input.education ?? null;
  if (input.unit !== undefined) c.unit = input.unit || null;
  if (input.title !== undefined) c.title = input.title || null;
  if (input.orgId !== undefined) c.org_id = input.orgId;
  if (input.category !== undefined) c.category = input.category;
  if (input.joinedAt !== undefined) c.joined_at = input.joinedAt;
  if (input.fullAt !== undefined) c.full_at = input.fullAt ?? null;
  if (input.status !== undefined) c.status = input.status;
  return c;
}

type StoredMember = Selectable<MemberTable>;

/** Plain (non-personal-number) fields: API name → column. */
const PLAIN_FIELDS = [
  ['name', 'name'],
  ['gender', 'gender'],
  ['ethnicity', 'ethnicity'],
  ['birthDate', 'birth_date'],
  ['education', 'education'],
  ['unit', 'unit'],
  ['title', 'title'],
  ['orgId', 'org_id'],
  ['category', 'category'],
  ['joinedAt', 'joined_at'],
  ['fullAt', 'full_at'],
  ['status', 'status'],
] as const satisfies readonly (readonly [keyof MemberInput, keyof StoredMember])[];

/**
 * What an input changes on a stored member: the changed fields with masked before/after values. Numbers are
 * compared through the blind index, so nothing is decrypted.
 */
export function diff(cipher: FieldCipher, stored: StoredMember, input: Partial<MemberInput>): HistoryChange[] {
  const changes: HistoryChange[] = [];
  const norm = (v: unknown) => (v === undefined || v === '' ? null : (v as string | number | null));
  for (const [field, column] of PLAIN_FIELDS) {
    if (!(field in input)) continue;
    const next = norm(input[field]);
    const before = norm(stored[column]);
    if (next !== before) changes.push({ field, from: before, to: next });
  }
  if (input.idNumber !== undefined) {
    const id = normaliseIdNumber(input.idNumber);
    if (cipher.blindIndex(id) !== stored.id_index) {
      changes.push({ field: 'idNumber', from: stored.id_masked, to: maskIdNumber(id) });
    }
  }
  if (input.phone !== undefined) {
    const p = input.phone?.trim() || null;
    if ((p ? cipher.blindIndex(p) : null) !== stored.phone_index) {
      changes.push({ field: 'phone', from: stored.phone_masked, to: p ? maskPhone(p) : null });
    }
  }
  return changes;
}

/** The history entry of a new member: every field set, numbers masked. */
export function creationChanges(input: MemberInput): HistoryChange[] {
  const out: HistoryChange[] = [];
  for (const [field] of PLAIN_FIELDS) {
    const v = input[field];
    if (v !== undefined && v !== null && v !== '') out.push({ field, from: null, to: v });
  }
  out.push({ field: 'idNumber', from: null, to: maskIdNumber(normaliseIdNumber(input.idNumber)) });
  if (input.phone) out.push({ field: 'phone', from: null, to: maskPhone(input.phone.trim()) });
  return out;
}

export function historyRow(memberId: number, actor: string, action: string, changes: HistoryChange[], at: string) {
  return { member_id: memberId, at, actor, action, changes: JSON.stringify(changes) };
}

export async function create(trx: Executor, cipher: FieldCipher, input: MemberInput, actor: string): Promise<number> {
  checkRules(input);
  const idIndex = cipher.blindIndex(normaliseIdNumber(input.idNumber));
  if (await repo.findByIdIndex(trx, idIndex)) throw duplicateId();
  const now = new Date().toISOString();
  let id: number;
  try {
    id = await repo.insert(trx, {
      ...columnsFor(cipher, { status: 'normal', ...input }),
      name: input.name,
      org_id: input.orgId,
      status: input.status ?? 'normal',
      user_id: null,
      created_at: now,
      updated_at: now,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateId();
    throw e;
  }
  await repo.insertHistory(trx, [historyRow(id, actor, 'create', creationChanges(input), now)]);
  return id;
}

/** The stored record as input (the ID number decrypted internally, to check the rules on the merged record). */
function storedAsInput(cipher: FieldCipher, r: StoredMember): Partial<MemberInput> {
  const out: Partial<MemberInput> = {};
  if (r.gender === '男' || r.gender === '女') out.gender = r.gender;
  if (r.birth_date) out.birthDate = r.birth_date;
  if (r.id_enc) out.idNumber = cipher.decrypt(r.id_enc);
  out.category = r.category as MemberCategory;
  if (r.joined_at) out.joinedAt = r.joined_at;
  out.fullAt = r.full_at;
  return out;
}

/** Applies a patch; returns the changed fields (none: nothing is written). */
export async function update(
  trx: Executor,
  cipher: FieldCipher,
  id: number,
  patch: Partial<MemberInput>,
  actor: string,
): Promise<HistoryChange[]> {
  const stored = await repo.findById(trx, id);
  if (!stored) throw notFound('member');
  checkRules({ ...storedAsInput(cipher, stored), ...patch });
  const changes = diff(cipher, stored, patch);
  if (changes.length === 0) return changes;
  const changed = new Set(changes.map((c) => c.field));
  if (changed.has('idNumber')) {
    const other = await repo.findByIdIndex(trx, cipher.blindIndex(normaliseIdNumber(patch.idNumber!)));
    if (other && other.id !== id) throw duplicateId();
  }
  const onlyChanged = Object.fromEntries(Object.entries(patch).filter(([k]) => changed.has(k))) as Partial<MemberInput>;
  const now = new Date().toISOString();
  try {
    await repo.update(trx, id, { ...columnsFor(cipher, onlyChanged), updated_at: now });
  } catch (e) {
    if (isUniqueViolation(e)) throw duplicateId();
    throw e;
  }
  await repo.insertHistory(trx, [historyRow(id, actor, 'update', changes, now)]);
  return changes;
}

/** The full numbers, for a permitted and audited reveal. */
export async function reveal(db: Executor, cipher: FieldCipher, id: number) {
  const row = await repo.findById(db, id);
  if (!row) throw notFound('member');
  return {
    idNumber: row.id_enc ? cipher.decrypt(row.id_enc) : null,
    phone: row.phone_enc ? cipher.decrypt(row.phone_enc) : null,
  };
}

export async function history(db: Executor, id: number): Promise<{ items: HistoryEntry[] }> {
  const rows = await repo.history(db, id);
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      actor: r.actor,
      action: r.action,
      changes: r.changes ? (JSON.parse(r.changes) as HistoryChange[]) : [],
    })),
  };
}
