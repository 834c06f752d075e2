/** Transfers of organisational relationship (组织关系转接): input schemas and the shapes the API returns. */
import { z } from 'zod';

export const TRANSFER_KINDS = ['internal', 'external'] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

/** pending 待接收, accepted 已接收, returned 已退回, completed 已转出 (external, done at once) */
export const TRANSFER_STATUSES = ['pending', 'accepted', 'returned', 'completed'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** The receiving side returns the receipt within this many months; the sending branch stays responsible until. */
export const TRANSFER_RECEIPT_MONTHS = 1;
/** Default validity of an introduction letter (介绍信有效期), days. */
export const DEFAULT_LETTER_VALID_DAYS = 30;

const reason = z.string().trim().min(2, 'must have at least 2 characters').max(200, 'must be at most 200 characters');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month YYYY-MM');
const common = {
  memberId: z.number().int().positive(),
  reason,
  /** 党费交到: the last month the member has paid dues for (default: the previous month) */
  duesPaidUntil: month.optional(),
  /** 介绍信有效期 (days) */
  validDays: z.number().int().min(1).max(180).optional(),
};

export const transferCreateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('internal'), toOrgId: z.number().int().positive(), ...common }).strict(),
  z
    .object({
      kind: z.literal('external'),
      externalOrgName: z.string().trim().min(2, 'must have at least 2 characters').max(100),
      ...common,
    })
    .strict(),
]);
export type TransferCreateInput = z.infer<typeof transferCreateSchema>;

export const transferReturnSchema = z.object({ reason }).strict();

export interface TransferItem {
  id: number;
  kind: TransferKind;
  memberId: number;
  memberName: string;
  fromOrgId: number;
  fromOrgName: string;
  toOrgId: number | null;
  toOrgName: string | null;
  externalOrgName: string | null;
  status: TransferStatus;
  reason: string | null;
  returnReason: string | null;
  letterNo: string | null;
  duesPaidUntil: string | null;
  validDays: number | null;
  startedAt: string;
  dueOn: string;
  decidedAt: string | null;
  createdBy: string;
  decidedBy: string | null;
  /** pending and today (Asia/Shanghai) is after dueOn */
  overdue: boolean;
  /** the caller is on the receiving side of a pending internal transfer: it may accept or return it */
  canDecide: boolean;
}
