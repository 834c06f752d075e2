/** Organisation tree rules: kinds and nesting, no cycles, no deleting non-empty orgs, 换届 (term) tracking. */
import { addMonths, todayInShanghai } from '../../../shared/dates.js';
import {
  ALLOWED_CHILD_KINDS,
  type Org,
  type OrgCreateInput,
  type OrgKind,
  type OrgUpdateInput,
  type TermStatus,
} from '../../../shared/orgs.js';
import type { Db, Executor } from '../../db/database.js';
import { AppError, conflict, notFound, validation } from '../../errors.js';
import { divisionName, isKnownDivision } from '../divisions/divisions.service.js';
import * as grants from '../grants/grants.repository.js';
import * as repo from './orgs.repository.js';

/** How long before a term ends it is flagged (months). */
export const TERM_WARNING_MONTHS = 3;

export function termStatus(termEnd: string | null, today = todayInShanghai()): TermStatus {
  if (!termEnd) return 'none';
  if (termEnd < today) return 'overdue';
  if (termEnd <= addMonths(today, TERM_WARNING_MONTHS)) return 'due_soon';
  return 'ok';
}

function toOrg(r: repo.OrgRow, path: number[]): Org {
  const termEnd = r.term_end;
  return {
    id: r.id,
    parentId: r.parent_id,
    name: r.name,
    kind: r.kind as OrgKind,
    isJoint: r.is_joint === 1,
    unitName: r.unit_name,
    divisionCode: r.division_code,
    divisionName: divisionName(r.division_code),
    foundedOn: r.founded_on,
    termStart: r.term_start,
    termYears: r.term_years,
    termEnd,
    termStatus: termStatus(termEnd),
    depth: r.depth,
    path,
    childCount: r.child_count,
    memberCount: r.member_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function get(db: Executor, id: number): Promise<Org> {
  const row = await repo.findById(db, id);
  if (!row) throw notFound('organisation');
  const anc = await repo.ancestorsOf(db, [id]);
  return toOrg(row, anc.get(id) ?? []);
}

export type TermFilter = 'due' | 'due_soon' | 'overdue' | undefined;

export async function list(
  db: Executor,
  scope: repo.OrgScope,
  f: { parentId?: number; root?: number; q?: string; termStatus?: TermFilter },
  page: number,
  pageSize: number,
) {
  // A filter naming an org the caller cannot see matches nothing (it must not confirm what lies above).
  for (const anchor of [f.root, f.parentId]) {
    if (anchor !== undefined && !scope.all && !(await repo.isWithin(db, anchor, scope.roots))) {
      return { items: [], total: 0 };
    }
  }
  const today = todayInShanghai();
  const horizon = addMonths(today, TERM_WARNING_MONTHS);
  const filter: repo.OrgListFilter = { parentId: f.parentId, root: f.root, q: f.q };
  if (f.termStatus === 'due') filter.termEndBefore = `${horizon}~`;
  if (f.termStatus === 'overdue') filter.termEndBefore = today;
  if (f.termStatus === 'due_soon') {
    filter.termEndFrom = today;
    filter.termEndBefore = `${horizon}~`;
  }
  const { rows, total } = await repo.list(db, scope, filter, (page - 1) * pageSize, pageSize);
  // Paths: walk parents inside the page; ask the closure table only for orgs whose parent is not here.
  const byId = new Map(rows.map((r) => [r.id, r]));
  const outside = rows.filter((r) => r.parent_id !== null && !byId.has(r.parent_id)).map((r) => r.id);
  const known = await repo.ancestorsOf(db, outside);
  const paths = new Map<number, number[]>();
  const pathOf = (r: repo.OrgRow): number[] => {
    const cached = paths.get(r.id);
    if (cached) return cached;
    let p: number[];
    if (r.parent_id === null) p = [];
    else if (known.has(r.id)) p = known.get(r.id)!;
    else p = [...pathOf(byId.get(r.parent_id)!), r.parent_id];
    paths.set(r.id, p);
    return p;
  };
  return { items: rows.map((r) => toOrg(r, pathOf(r))), total };
}

function computeTermEnd(termStart: string | null | undefined, years: number): string | null {
  return termStart ? addMonths(termStart, years * 12) : null;
}

function checkFields(input: OrgUpdateInput, kind: OrgKind) {
  if (input.divisionCode && !isKnownDivision(input.divisionCode)) {
    throw validation('divisionCode', `${input.divisionCode} is not a known administrative division code`);
  }
  if (input.isJoint && kind !== 'branch') throw validation('isJoint', 'only a 党支部 can be a 联合党支部');
  if (input.foundedOn && input.foundedOn > todayInShanghai()) throw validation('foundedOn', 'lies in the future');
  if (input.termStart && input.foundedOn && input.termStart < input.foundedOn) {
    throw validation('termStart', 'is before the founding date');
  }
}

function checkNesting(parentKind: OrgKind, childKind: OrgKind, field: string) {
  if (!ALLOWED_CHILD_KINDS[parentKind].includes(childKind)) {
    const hint =
      childKind === 'group'
        ? 'a 党小组 (group) can only be set up under a 党支部 (branch)'
        : parentKind === 'group'
          ? 'nothing can be set up under a 党小组 (group)'
          : `a ${childKind} cannot sit under a ${parentKind}`;
    throw new AppError(400, 'invalid_parent', hint, field);
  }
}

export async function create(trx: Executor, input: OrgCreateInput): Promise<number> {
  const parent = await repo.findById(trx, input.parentId);
  if (!parent) throw notFound('parent organisation');
  checkNesting(parent.kind as OrgKind, input.kind, 'kind');
  checkFields(input, input.kind);
  const now = new Date().toISOString();
  const years = input.termYears ?? 3;
  const hasTerm = input.kind !== 'group';
  return repo.insert(trx, {
    parent_id: input.parentId,
    name: input.name,
    kind: input.kind,
    is_joint: input.isJoint ? 1 : 0,
    unit_name: input.unitName ?? null,
    division_code: input.divisionCode ?? null,
    founded_on: input.foundedOn ?? null,
    term_start: hasTerm ? (input.termStart ?? null) : null,
    term_years: years,
    term_end: hasTerm ? computeTermEnd(input.termStart, years) : null,
    created_at: now,
    updated_at: now,
  });
}

export async function update(trx: Executor, id: number, input: OrgUpdateInput): Promise<void> {
  const current = await repo.findById(trx, id);
  if (!current) throw notFound('organisation');
  const kind = input.kind ?? (current.kind as OrgKind);
  if (input.kind && input.kind !== current.kind) {
    if (current.parent_id) {
      const parent = await repo.findById(trx, current.parent_id);
      checkNesting(parent!.kind as OrgKind, input.kind, 'kind');
    }
    const children = await repo.list(trx, { all: true }, { parentId: id }, 0, 10000);
    for (const c of children.rows) {
      if (!ALLOWED_CHILD_KINDS[input.kind].includes(c.kind as OrgKind)) {
        throw new AppError(
          400,
          'invalid_parent',
          `its child 「${c.name}」 (${c.kind}) cannot sit under a ${input.kind}`,
          'kind',
        );
      }
    }
  }
  const merged = {
    foundedOn: input.foundedOn !== undefined ? input.foundedOn : current.founded_on,
    termStart: input.termStart !== undefined ? input.termStart : current.term_start,
  };
  checkFields({ ...input, ...merged, isJoint: input.isJoint ?? current.is_joint === 1 }, kind);
  const years = input.termYears ?? current.term_years;
  const patch: Partial<repo.NewOrg> = { updated_at: new Date().toISOString() };
  if (input.name !== undefined) patch.name = input.name;
  if (input.kind !== undefined) patch.kind = input.kind;
  if (input.isJoint !== undefined) patch.is_joint = input.isJoint ? 1 : 0;
  if (input.unitName !== undefined) patch.unit_name = input.unitName;
  if (input.divisionCode !== undefined) patch.division_code = input.divisionCode;
  if (input.foundedOn !== undefined) patch.founded_on = input.foundedOn;
  if (input.termStart !== undefined) patch.term_start = input.termStart;
  if (input.termYears !== undefined) patch.term_years = input.termYears;
  patch.term_end = kind === 'group' ? null : computeTermEnd(merged.termStart, years);
  await repo.update(trx, id, patch);
}

export async function move(trx: Executor, id: number, newParentId: number): Promise<void> {
  const org = await repo.findById(trx, id);
  if (!org) throw notFound('organisation');
  const parent = await repo.findById(trx, newParentId);
  if (!parent) throw notFound('target organisation');
  if (await repo.isWithin(trx, newParentId, [id])) {
    throw conflict('cycle', `cannot move 「${org.name}」 under itself or one of its own sub-organisations`, 'parentId');
  }
  checkNesting(parent.kind as OrgKind, org.kind as OrgKind, 'parentId');
  if (org.parent_id === newParentId) return;
  await repo.move(trx, id, newParentId, new Date().toISOString());
}

export async function remove(trx: Executor, id: number): Promise<void> {
  const org = await repo.findById(trx, id);
  if (!org) throw notFound('organisation');
  const grantCount = await grants.countForOrg(trx, id);
  const reasons: string[] = [];
  if (org.child_count > 0) reasons.push(`${org.child_count} sub-organisation(s)`);
  if (org.member_count > 0) reasons.push(`${org.member_count} member(s)`);
  if (grantCount > 0) reasons.push(`${grantCount} account grant(s)`);
  if (reasons.length > 0) {
    throw new AppError(
      409,
      'org_not_empty',
      `「${org.name}」 still has ${reasons.join(', ')}; move or remove them first`,
      undefined,
      { children: org.child_count, members: org.member_count, grants: grantCount },
    );
  }
  await repo.remove(trx, id);
}

export async function withTransaction<T>(db: Db, fn: (trx: Executor) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
