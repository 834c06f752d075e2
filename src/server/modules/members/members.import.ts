/**
 * Roster import from Excel: every problem of every row first (by sheet row and column title), then — only when
 * there is none — one transaction that inserts the new members in multi-row statements and updates the ones
 * already registered in the same organisation (by 身份证号 blind index), so a re-import of an export changes
 * nothing. Encryption happens before the transaction, which then holds only SQL.
 */
import { todayInShanghai } from '../../../shared/dates.js';
import {
  EDUCATIONS,
  ETHNICITIES,
  GENDERS,
  type MemberCategory,
  type MemberInput,
  type MemberStatus,
  maskIdNumber,
  memberFields,
  memberRuleErrors,
  parseIdNumber,
} from '../../../shared/members.js';
import type { FieldCipher } from '../../crypto/sm.js';
import type { Db, Executor } from '../../db/database.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import { nameInitials, normaliseIdNumber, protectPhone } from './members.personal.js';
import * as repo from './members.repository.js';
import { creationChanges, diff, type HistoryChange, historyRow } from './members.service.js';
import {
  CATEGORY_LABELS,
  type Cell,
  type CellProblem,
  COLUMNS,
  type ColumnKey,
  normaliseTitle,
  type ParsedSheet,
  STATUS_LABELS,
} from './members.sheet.js';

export interface ImportError {
  /** sheet row number (the header is row 1) */
  row: number;
  /** column title as in the template */
  column: string;
  message: string;
}

export interface ImportPlan {
  rows: number;
  errors: ImportError[];
  /** the errors with the uploaded sheet's column index, for the error workbook */
  problems: CellProblem[];
  creates: { row: number; input: MemberInput; idIndex: string }[];
  updates: { row: number; id: number; input: MemberInput; changes: HistoryChange[] }[];
  unchanged: number;
}

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export const ORG_OUT_OF_REACH = 'is not an organisation you can manage (unknown, or outside your scope)';

/** How an org appears in the sheet: its name, or "name #id" when another org anywhere bears the same name. */
export function orgLabel(o: repo.OrgRef, sharedNames: Set<string>): string {
  return sharedNames.has(o.name) ? `${o.name} #${o.id}` : o.name;
}

// ---- cells → values ------------------------------------------------------------------------------------------------

type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };
const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (message: string): Parsed<never> => ({ ok: false, message });

function pad(n: number, w = 2) {
  return String(n).padStart(w, '0');
}

/** Dates as typed in Chinese offices: 1990-01-02, 1990/1/2, 1990.1.2, 1990年1月2日, 19900102, or an Excel date. */
export function parseDateCell(c: Cell): Parsed<string> {
  if (c instanceof Date) {
    if (Number.isNaN(c.getTime())) return bad('is not a date');
    return ok(`${c.getUTCFullYear()}-${pad(c.getUTCMonth() + 1)}-${pad(c.getUTCDate())}`);
  }
  let s: string;
  if (typeof c === 'number') {
    if (c >= 19000101 && c <= 29991231 && Number.isInteger(c)) s = String(c);
    else if (c > 0 && c < 100000) {
      // an Excel serial day number (1900 date system; day 1 = 1900-01-01, with the 1900 leap-year bug)
      const d = new Date(Date.UTC(1899, 11, 30) + Math.round(c) * 86400000);
      return ok(d.toISOString().slice(0, 10));
    } else return bad('is not a date (YYYY-MM-DD)');
  } else s = String(c);
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s) ?? null;
  if (!m) return bad('is not a date (YYYY-MM-DD)');
  const iso = `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`;
  const check = memberFields.birthDate.safeParse(iso);
  return check.success ? ok(iso) : bad('is not a real calendar date');
}

function textOf(c: Cell): string {
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  return String(c).trim();
}

function parseIdCell(c: Cell): Parsed<string> {
  if (typeof c === 'number') {
    return bad('was stored as a number and Excel rounded it: format the column as text and type it again');
  }
  const s = textOf(c).toUpperCase();
  if (s.includes('*')) return bad('is masked: export with full numbers (unmasked) to re-import');
  const parsed = parseIdNumber(s);
  return parsed.ok ? ok(parsed.value) : bad(parsed.reason);
}

function parsePhoneCell(c: Cell): Parsed<string> {
  const s = typeof c === 'number' ? String(c) : textOf(c).replace(/[\s-]/g, '');
  if (s.includes('*')) return bad('is masked: export with full numbers (unmasked) to re-import');
  return /^1[3-9]\d{9}$/.test(s) ? ok(s) : bad('must be an 11-digit mobile number');
}

function oneOf<T extends string>(labels: readonly T[] | Record<string, T>, what: string) {
  const byLabel = new Map<string, T>(
    Array.isArray(labels) ? labels.map((l) => [l, l]) : Object.entries(labels).map(([v, l]) => [l, v as T]),
  );
  return (c: Cell): Parsed<T> => {
    const v = byLabel.get(textOf(c));
    return v !== undefined ? ok(v) : bad(`must be ${what}`);
  };
}

const parseGender = oneOf(GENDERS, '男 or 女');
const parseEthnicity = oneOf(ETHNICITIES, 'one of the 56 official names, e.g. 汉族');
const parseEducation = oneOf(EDUCATIONS, `one of ${EDUCATIONS.join(' / ')}`);
const parseCategory = oneOf(CATEGORY_LABELS as Record<MemberCategory, string>, '正式党员 or 预备党员');
const parseStatus = oneOf(
  STATUS_LABELS as Record<MemberStatus, string>,
  `one of ${Object.values(STATUS_LABELS).join(' / ')}`,
);

function textWithin(max: number) {
  return (c: Cell): Parsed<string> => {
    const s = textOf(c);
    return s.length <= max ? ok(s) : bad(`must be at most ${max} characters`);
  };
}

const parseName = (c: Cell): Parsed<string> => {
  const r = memberFields.name.safeParse(textOf(c));
  return r.success ? ok(r.data) : bad(r.error.issues[0]?.message ?? 'is invalid');
};

/** The API field each column fills (org resolves to orgId separately). */
const FIELD_OF: Record<ColumnKey, keyof MemberInput> = {
  name: 'name',
  gender: 'gender',
  ethnicity: 'ethnicity',
  birthDate: 'birthDate',
  idNumber: 'idNumber',
  phone: 'phone',
  education: 'education',
  unit: 'unit',
  title: 'title',
  org: 'orgId',
  category: 'category',
  joinedAt: 'joinedAt',
  fullAt: 'fullAt',
  status: 'status',
};
const COLUMN_OF_FIELD = new Map<string, ColumnKey>(Object.entries(FIELD_OF).map(([k, f]) => [f, k as ColumnKey]));

const PARSERS: Record<Exclude<ColumnKey, 'org'>, (c: Cell) => Parsed<unknown>> = {
  name: parseName,
  gender: parseGender,
  ethnicity: parseEthnicity,
  birthDate: parseDateCell,
  idNumber: parseIdCell,
  phone: parsePhoneCell,
  education: parseEducation,
  unit: textWithin(100),
  title: textWithin(50),
  category: parseCategory,
  joinedAt: parseDateCell,
  fullAt: parseDateCell,
  status: parseStatus,
};

const TITLE: Record<ColumnKey, string> = Object.fromEntries(COLUMNS.map((c) => [c.key, c.title])) as Record<
  ColumnKey,
  string
>;

// ---- the plan ------------------------------------------------------------------------------------------------------

interface RowDraft {
  row: number;
  values: Partial<MemberInput>;
  orgCell: string | null;
  /** columns that already have an error: later checks do not pile on */
  failed: Set<ColumnKey>;
}

/**
 * Validates the whole sheet against the rules, the caller's write scope and the existing roster. Pure reads:
 * safe for the preview (dry run).
 */
export async function planImport(
  db: Executor,
  cipher: FieldCipher,
  writeScope: OrgScope,
  sheet: ParsedSheet,
  today = todayInShanghai(),
): Promise<ImportPlan> {
  const problems: CellProblem[] = [];
  const plan: ImportPlan = { rows: sheet.rows.length, errors: [], problems, creates: [], updates: [], unchanged: 0 };

  // Header: every template column must be there (any order; extra columns are ignored).
  const colIndex = new Map<ColumnKey, number>();
  sheet.header.forEach((title, i) => {
    const def = COLUMNS.find((c) => c.title === normaliseTitle(title));
    if (def && !colIndex.has(def.key)) colIndex.set(def.key, i);
  });
  const missing = COLUMNS.filter((c) => !colIndex.has(c.key));
  if (missing.length > 0) {
    for (const c of missing)
      problems.push({ row: 1, col: null, message: `${c.title}: column is missing from the header row` });
    plan.errors = missing.map((c) => ({ row: 1, column: c.title, message: 'column is missing from the header row' }));
    return plan;
  }
  if (sheet.rows.length === 0) {
    plan.errors = [{ row: 2, column: TITLE.name, message: 'the sheet has no data rows' }];
    problems.push({ row: 2, col: colIndex.get('name')!, message: 'the sheet has no data rows' });
    return plan;
  }
  const fail = (d: RowDraft, key: ColumnKey, message: string) => {
    d.failed.add(key);
    problems.push({ row: d.row, col: colIndex.get(key)!, message });
  };

  // 1. Each cell on its own.
  const drafts: RowDraft[] = sheet.rows.map((r) => {
    const d: RowDraft = { row: r.row, values: {}, orgCell: null, failed: new Set() };
    for (const c of COLUMNS) {
      const cell = r.cells[colIndex.get(c.key)!] ?? null;
      if (cell === null) {
        if (c.required) fail(d, c.key, 'is required');
        else if (c.key !== 'status') (d.values as Record<string, unknown>)[FIELD_OF[c.key]] = null;
        continue;
      }
      if (c.key === 'org') {
        d.orgCell = textOf(cell);
        continue;
      }
      const parsed = PARSERS[c.key](cell);
      if (parsed.ok) (d.values as Record<string, unknown>)[FIELD_OF[c.key]] = parsed.value;
      else fail(d, c.key, parsed.message);
    }
    d.values.status ??= 'normal';
    return d;
  });

  // 2. Organisations: by id or name, and only inside the write scope (unknown and out of reach read the same).
  const orgCells = drafts.map((d) => d.orgCell).filter((x): x is string => x !== null);
  const idOf = (s: string): number | null => {
    const m = /^(\d+)$/.exec(s) ?? /#\s*(\d+)\s*$/.exec(s);
    return m ? Number(m[1]) : null;
  };
  const wantedIds = [...new Set(orgCells.map(idOf).filter((x): x is number => x !== null))];
  const wantedNames = [...new Set(orgCells.filter((s) => idOf(s) === null))];
  const found = await repo.orgsByIdsOrNames(db, wantedIds, wantedNames);
  const writable = new Set((await repo.orgsIn(db, writeScope)).map((o) => o.id));
  const orgById = new Map(found.map((o) => [o.id, o]));
  const writableByName = new Map<string, number[]>();
  for (const o of found) {
    if (!writable.has(o.id)) continue;
    const list = writableByName.get(o.name) ?? [];
    if (!list.includes(o.id)) list.push(o.id);
    writableByName.set(o.name, list);
  }
  for (const d of drafts) {
    if (d.orgCell === null) continue;
    const id = idOf(d.orgCell);
    if (id !== null) {
      const o = orgById.get(id);
      // "name #id" must name the org it points at
      const named = d.orgCell.replace(/#\s*\d+\s*$/, '').trim();
      if (!o || !writable.has(id) || (named && !/^\d+$/.test(d.orgCell) && named !== o.name)) {
        fail(d, 'org', ORG_OUT_OF_REACH);
      } else d.values.orgId = id;
      continue;
    }
    const candidates = writableByName.get(d.orgCell) ?? [];
    if (candidates.length === 1) d.values.orgId = candidates[0];
    else if (candidates.length > 1)
      fail(d, 'org', 'names several organisations: write it as "name #id" from the drop-down list');
    else fail(d, 'org', ORG_OUT_OF_REACH);
  }

  // 3. Cross-field rules, each reported on its own column. (The single-field rules of memberFields were applied by
  // the column parsers: the same enums, patterns, lengths and calendar check.)
  for (const d of drafts) {
    const v = d.values;
    const failedBefore = new Set(d.failed);
    const usable = <K extends keyof MemberInput>(k: K) =>
      d.failed.has(COLUMN_OF_FIELD.get(k)!) ? undefined : (v[k] ?? undefined);
    const ruleErrors = memberRuleErrors(
      {
        gender: usable('gender'),
        birthDate: usable('birthDate'),
        idNumber: usable('idNumber'),
        category: usable('category'),
        joinedAt: usable('joinedAt'),
        fullAt: d.failed.has('fullAt') ? undefined : (v.fullAt ?? null),
      },
      today,
    );
    for (const e of ruleErrors) {
      const col = COLUMN_OF_FIELD.get(e.field)!;
      // one reason per bad cell: a cell that already failed is not judged again, nor a 转正日期 without a category
      if (failedBefore.has(col) || (e.field === 'fullAt' && failedBefore.has('category'))) continue;
      fail(d, col, e.message);
    }
  }

  // 4. Duplicates within the file, then against the roster.
  const firstRowOf = new Map<string, number>();
  const indexOf = new Map<RowDraft, string>();
  for (const d of drafts) {
    if (d.failed.has('idNumber') || !d.values.idNumber) continue;
    const idx = cipher.blindIndex(normaliseIdNumber(d.values.idNumber));
    indexOf.set(d, idx);
    const first = firstRowOf.get(idx);
    if (first !== undefined) fail(d, 'idNumber', `duplicates row ${first} of this sheet`);
    else firstRowOf.set(idx, d.row);
  }
  const existing = new Map(
    (await repo.findByIdIndexes(db, [...firstRowOf.keys()])).map((m) => [m.id_index as string, m]),
  );
  const orgNames = new Map(
    (await repo.orgsByIdsOrNames(db, [...new Set([...existing.values()].map((m) => m.org_id))], [])).map((o) => [
      o.id,
      o.name,
    ]),
  );
  for (const d of drafts) {
    const idx = indexOf.get(d);
    if (!idx || d.failed.has('idNumber')) continue;
    const m = existing.get(idx);
    if (!m) continue;
    if (!writable.has(m.org_id)) {
      fail(d, 'idNumber', 'is already registered for a member of another organisation');
    } else if (d.values.orgId !== undefined && !d.failed.has('org') && m.org_id !== d.values.orgId) {
      fail(
        d,
        'idNumber',
        `is already registered for a member of 「${orgNames.get(m.org_id) ?? m.org_id}」: use a transfer to move members`,
      );
    }
  }

  plan.errors = problems.map((p) => ({
    row: p.row,
    column: p.col === null ? '' : (COLUMNS.find((c) => colIndex.get(c.key) === p.col)?.title ?? ''),
    message: p.message,
  }));
  if (problems.length > 0) return plan;

  // 5. A clean sheet: what would be created, updated or left alone.
  for (const d of drafts) {
    const input = d.values as MemberInput;
    const m = existing.get(indexOf.get(d)!);
    if (!m) {
      plan.creates.push({ row: d.row, input, idIndex: indexOf.get(d)! });
      continue;
    }
    const changes = diff(cipher, m, input);
    if (changes.length === 0) plan.unchanged++;
    else plan.updates.push({ row: d.row, id: m.id, input, changes });
  }
  return plan;
}

/** Writes a clean plan in one transaction: all rows or none. Encryption is done before the transaction opens. */
export async function commitImport(
  db: Db,
  cipher: FieldCipher,
  plan: ImportPlan,
  actor: string,
): Promise<ImportCounts> {
  if (plan.errors.length > 0) throw new Error('an import with errors cannot be committed');
  const now = new Date().toISOString();
  const newRows: repo.NewMember[] = plan.creates.map(({ input, idIndex }) => ({
    org_id: input.orgId,
    name: input.name,
    name_initials: nameInitials(input.name),
    gender: input.gender,
    ethnicity: input.ethnicity,
    birth_date: input.birthDate,
    // the blind index was computed while planning; only the ciphertext and the masked copy are new
    id_enc: cipher.encrypt(input.idNumber),
    id_index: idIndex,
    id_masked: maskIdNumber(input.idNumber),
    ...protectPhone(cipher, input.phone),
    education: input.education ?? null,
    unit: input.unit || null,
    title: input.title || null,
    category: input.category,
    joined_at: input.joinedAt,
    full_at: input.fullAt ?? null,
    status: input.status ?? 'normal',
    user_id: null,
    created_at: now,
    updated_at: now,
  }));
  const createdHistory = plan.creates.map(({ input, idIndex }) => ({
    idIndex,
    changes: JSON.stringify(creationChanges(input)),
  }));
  const patches = plan.updates.map((u) => {
    const changed = new Set(u.changes.map((c) => c.field));
    const patch: repo.MemberPatch = { updated_at: now };
    const i = u.input;
    if (changed.has('name')) Object.assign(patch, { name: i.name, name_initials: nameInitials(i.name) });
    if (changed.has('phone')) Object.assign(patch, protectPhone(cipher, i.phone));
    const plain: [keyof MemberInput, keyof repo.MemberPatch][] = [
      ['gender', 'gender'],
      ['ethnicity', 'ethnicity'],
      ['birthDate', 'birth_date'],
      ['education', 'education'],
      ['unit', 'unit'],
      ['title', 'title'],
      ['category', 'category'],
      ['joinedAt', 'joined_at'],
      ['fullAt', 'full_at'],
      ['status', 'status'],
    ];
    for (const [f, col] of plain) {
      if (changed.has(f)) (patch as Record<string, unknown>)[col] = i[f] === '' ? null : (i[f] ?? null);
    }
    return { id: u.id, patch, history: historyRow(u.id, actor, 'import', u.changes, now) };
  });

  await db.transaction().execute(async (trx) => {
    const ids = await repo.insertMany(trx, newRows);
    await repo.insertHistory(
      trx,
      createdHistory.map((h) => ({
        member_id: ids.get(h.idIndex)!,
        at: now,
        actor,
        action: 'import',
        changes: h.changes,
      })),
    );
    for (const p of patches) await repo.update(trx, p.id, p.patch);
    await repo.insertHistory(
      trx,
      patches.map((p) => p.history),
    );
  });
  return { created: plan.creates.length, updated: plan.updates.length, unchanged: plan.unchanged };
}
