/**
 * Transfers of organisational relationship (组织关系转接). Inside the platform the sending side starts a transfer
 * to any 党支部; the receiving side accepts it (the member moves, with history, and their posts outside the new
 * organisation's line end) or returns it with a reason (the member stays). The receipt is due one month after
 * the start; until then the sending branch stays responsible, and a late one is flagged overdue on both sides.
 * Out of the platform: the transfer completes at once, the member is marked transferred out, and an
 * introduction letter (介绍信) is printed.
 */
import { addMonths, todayInShanghai } from '../../../shared/dates.js';
import { ACTIVE_STATUSES, type MemberStatus } from '../../../shared/members.js';
import {
  DEFAULT_LETTER_VALID_DAYS,
  TRANSFER_RECEIPT_MONTHS,
  type TransferCreateInput,
  type TransferItem,
  type TransferKind,
  type TransferStatus,
} from '../../../shared/transfers.js';
import type { Executor } from '../../db/database.js';
import { AppError, badRequest, conflict, notFound } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as people from '../staffing/staffing.repository.js';
import * as repo from './transfers.repository.js';

export function isOverdue(t: { status: string; due_on: string }, today = todayInShanghai()): boolean {
  return t.status === 'pending' && today > t.due_on;
}

function toItem(r: repo.TransferRow, today: string, canDecide: boolean): TransferItem {
  return {
    id: r.id,
    kind: r.kind as TransferKind,
    memberId: r.member_id,
    memberName: r.member_name,
    fromOrgId: r.from_org_id,
    fromOrgName: r.from_org_name,
    toOrgId: r.to_org_id,
    toOrgName: r.to_org_name,
    externalOrgName: r.external_org_name,
    status: r.status as TransferStatus,
    reason: r.reason,
    returnReason: r.return_reason,
    letterNo: r.letter_no,
    duesPaidUntil: r.dues_paid_until,
    validDays: r.valid_days === null ? null : Number(r.valid_days),
    startedAt: r.started_at,
    dueOn: r.due_on,
    decidedAt: r.decided_at,
    createdBy: r.created_by,
    decidedBy: r.decided_by,
    overdue: isOverdue(r, today),
    canDecide: canDecide && r.status === 'pending' && r.kind === 'internal',
  };
}

export async function find(db: Executor, id: number): Promise<repo.TransferRow> {
  const r = await repo.findById(db, id);
  if (!r) throw notFound('transfer');
  return r;
}

/** The transfer as the caller sees it (`decides`: the receiving org is inside the caller's scope). */
export async function present(db: Executor, id: number, decides: boolean): Promise<TransferItem> {
  return toItem(await find(db, id), todayInShanghai(), decides);
}

export interface ListFilter {
  direction?: 'out' | 'in';
  status?: TransferStatus;
  overdue?: boolean;
  memberId?: number;
}

/**
 * Transfers sent from (`out`), received into (`in`) or touching (neither given) the subtree `listScope`;
 * `callerScope` decides which ones the caller may accept or return.
 */
export async function list(
  db: Executor,
  listScope: OrgScope,
  callerScope: OrgScope,
  f: ListFilter,
  page: number,
  pageSize: number,
) {
  const today = todayInShanghai();
  const { rows, total } = await repo.list(
    db,
    listScope,
    {
      direction: f.direction ?? 'both',
      status: f.status,
      overdueBefore: f.overdue ? today : undefined,
      memberId: f.memberId,
    },
    (page - 1) * pageSize,
    pageSize,
  );
  const receivers = await repo.orgsWithin(
    db,
    [...new Set(rows.map((r) => r.to_org_id).filter((x): x is number => x !== null))],
    callerScope,
  );
  return {
    items: rows.map((r) => toItem(r, today, r.to_org_id !== null && receivers.has(r.to_org_id))),
    total,
  };
}

/** The previous calendar month (YYYY-MM): the default 党费交到 month. */
function previousMonth(today: string): string {
  return addMonths(`${today.slice(0, 7)}-01`, -1).slice(0, 7);
}

const pendingConflict = (since: string) =>
  conflict('transfer_pending', `this member already has a transfer waiting for receipt (started ${since})`, 'memberId');

/** Starts a transfer; an external one completes at once. Returns its id. */
export async function start(trx: Executor, input: TransferCreateInput, actor: string): Promise<number> {
  const member = await people.findMember(trx, input.memberId);
  if (!member) throw notFound('member');
  if (!ACTIVE_STATUSES.includes(member.status as MemberStatus)) {
    throw conflict('member_inactive', `「${member.name}」 is not on the active roster (${member.status})`, 'memberId');
  }
  const pending = await repo.pendingFor(trx, member.id);
  if (pending) throw pendingConflict(pending.started_at.slice(0, 10));
  let toOrgId: number | null = null;
  let toName: string;
  if (input.kind === 'internal') {
    // Any 党支部 of the platform may receive; a non-branch and a missing id answer alike.
    const target = await people.findOrg(trx, input.toOrgId);
    if (target?.kind !== 'branch') {
      throw new AppError(404, 'not_found', 'receiving branch not found', 'toOrgId');
    }
    if (target.id === member.org_id)
      throw badRequest('same_org', 'the member already belongs to this branch', 'toOrgId');
    toOrgId = target.id;
    toName = target.name;
  } else {
    toName = input.externalOrgName;
  }
  const now = new Date();
  const at = now.toISOString();
  const today = todayInShanghai(now);
  let id: number;
  try {
    id = await repo.insert(trx, {
      member_id: member.id,
      kind: input.kind,
      from_org_id: member.org_id,
      to_org_id: toOrgId,
      external_org_name: input.kind === 'external' ? input.externalOrgName : null,
      status: 'pending',
      reason: input.reason,
      return_reason: null,
      letter_no: null,
      dues_paid_until: input.duesPaidUntil ?? previousMonth(today),
      valid_days: input.validDays ?? DEFAULT_LETTER_VALID_DAYS,
      started_at: at,
      due_on: addMonths(today, TRANSFER_RECEIPT_MONTHS),
      decided_at: null,
      created_by: actor,
      decided_by: null,
    });
  } catch (e) {
    if (people.isUniqueViolation(e)) throw pendingConflict(today);
    throw e;
  }
  await repo.setLetterNo(trx, id, `${today.slice(0, 4)}${String(id).padStart(5, '0')}`);
  const from = await people.findOrg(trx, member.org_id);
  await people.insertHistory(trx, {
    member_id: member.id,
    at,
    actor,
    action: 'transfer.started',
    changes: [
      { field: 'transfer', from: null, to: id },
      { field: 'transferKind', from: null, to: input.kind },
      { field: 'transferTo', from: from?.name ?? member.org_id, to: toName },
    ],
  });
  if (input.kind === 'external') {
    await repo.decide(trx, id, { status: 'completed', decided_at: at, decided_by: actor });
    const ended = await people.endMemberPosts(trx, member.id, today);
    await repo.markTransferredOut(trx, member.id, today, at);
    await people.insertHistory(trx, {
      member_id: member.id,
      at,
      actor,
      action: 'transfer.out',
      changes: [
        { field: 'status', from: member.status, to: 'transferred_out' },
        { field: 'leftAt', from: null, to: today },
        { field: 'transferTo', from: from?.name ?? member.org_id, to: toName },
        ...ended.map((p) => ({ field: 'post', from: `${p.post}@${p.org_id}`, to: null })),
      ],
    });
  }
  return id;
}

function requirePending(t: repo.TransferRow) {
  if (t.status !== 'pending' || t.kind !== 'internal') {
    throw conflict('transfer_not_pending', `this transfer is ${t.status}, not waiting for receipt`);
  }
}

/**
 * Accepts a pending transfer: the member moves to the receiving branch, their posts on organisations outside the
 * new branch's line (the branch and its ancestors) end today, and the history records the move.
 */
export async function accept(trx: Executor, id: number, actor: string): Promise<void> {
  const t = await find(trx, id);
  requirePending(t);
  const member = await people.findMember(trx, t.member_id);
  if (!member || member.org_id !== t.from_org_id || !ACTIVE_STATUSES.includes(member.status as MemberStatus)) {
    throw conflict(
      'member_changed',
      'the member has left the sending organisation or the active roster since the transfer started; return it',
    );
  }
  const now = new Date();
  const at = now.toISOString();
  const today = todayInShanghai(now);
  if (!(await repo.decide(trx, id, { status: 'accepted', decided_at: at, decided_by: actor }))) {
    throw conflict('transfer_not_pending', 'this transfer was decided meanwhile');
  }
  const keep = await people.selfAndAncestors(trx, t.to_org_id!);
  const ended = await people.endMemberPosts(trx, member.id, today, keep);
  await repo.moveMember(trx, member.id, t.to_org_id!, at);
  await people.insertHistory(trx, {
    member_id: member.id,
    at,
    actor,
    action: 'transfer.accepted',
    changes: [
      { field: 'orgId', from: t.from_org_id, to: t.to_org_id },
      { field: 'org', from: t.from_org_name, to: t.to_org_name },
      { field: 'transfer', from: null, to: id },
      ...ended.map((p) => ({ field: 'post', from: `${p.post}@${p.org_id}`, to: null })),
    ],
  });
}

/** Returns a pending transfer with a reason: nothing about the member changes. */
export async function returnTransfer(trx: Executor, id: number, reason: string, actor: string): Promise<void> {
  const t = await find(trx, id);
  requirePending(t);
  const at = new Date().toISOString();
  if (!(await repo.decide(trx, id, { status: 'returned', decided_at: at, decided_by: actor, return_reason: reason }))) {
    throw conflict('transfer_not_pending', 'this transfer was decided meanwhile');
  }
  await people.insertHistory(trx, {
    member_id: t.member_id,
    at,
    actor,
    action: 'transfer.returned',
    changes: [
      { field: 'transfer', from: id, to: null },
      { field: 'transferReturnReason', from: null, to: reason },
    ],
  });
}

/** Branches that can receive a transfer, anywhere in the platform (names only). */
export async function destinations(db: Executor, q: string | undefined, limit: number) {
  const rows = await repo.branches(db, q, limit);
  return { items: rows.map((r) => ({ id: r.id, name: r.name, unitName: r.unit_name, parentName: r.parent_name })) };
}

export async function letterMember(db: Executor, memberId: number): Promise<repo.LetterMember> {
  const m = await repo.letterMember(db, memberId);
  if (!m) throw notFound('member');
  return m;
}
