/**
 * Party-affairs cadres (党务干部), authorised posts (编制) and the training-hours ledger (学时): input schemas and
 * the shapes the API returns, shared by the server and the web client.
 */
import { z } from 'zod';
import { PARTY_POSTS, type PartyPost } from './members.js';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'is not a real calendar date');

/** Organisation kinds that carry 编制 and appear in the staffing view (党小组 do not). */
export const STAFFED_ORG_KINDS = ['committee', 'general_branch', 'branch'] as const;

export const postCreateSchema = z
  .object({
    memberId: z.number().int().positive(),
    orgId: z.number().int().positive(),
    post: z.enum(PARTY_POSTS),
    /** 专职 (true) or 兼职 (false) */
    fullTime: z.boolean().default(false),
    startedAt: isoDate,
  })
  .strict();
export type PostCreateInput = z.infer<typeof postCreateSchema>;

export const postEndSchema = z.object({ endedAt: isoDate }).strict();

export interface PostItem {
  id: number;
  memberId: number;
  memberName: string;
  orgId: number;
  orgName: string;
  orgKind: string;
  post: PartyPost;
  fullTime: boolean;
  startedAt: string;
  endedAt: string | null;
}

export const staffingUpdateSchema = z
  .object({ authorisedFullTime: z.number().int().min(0, 'must be 0 or more').max(50, 'must be at most 50') })
  .strict();

export interface StaffingRow {
  orgId: number;
  orgName: string;
  kind: string;
  depth: number;
  parentId: number | null;
  parentName: string | null;
  /** 编制: authorised full-time party-affairs posts */
  authorised: number;
  /** people holding an active full-time (专职) party post in this organisation */
  filledFullTime: number;
  /** people holding only part-time (兼职) party posts in this organisation */
  partTime: number;
  /** has part-time cadres but no full-time one */
  partTimeOnly: boolean;
  /** max(0, authorised − filledFullTime) */
  vacant: number;
  noFullTime: boolean;
}

export interface StaffingSummary {
  orgs: number;
  withoutFullTime: number;
  /** withoutFullTime / orgs, 0..1 rounded to 4 decimals (0 when there are no orgs) */
  shareWithoutFullTime: number;
  partTimeOnly: number;
  authorised: number;
  filledFullTime: number;
  vacant: number;
}

export interface StaffingView {
  rows: StaffingRow[];
  summary: StaffingSummary;
}

export const TRAINING_SOURCES = ['training', 'study', 'meeting', 'other'] as const;
export type TrainingSource = (typeof TRAINING_SOURCES)[number];

export const trainingCreateSchema = z
  .object({
    memberId: z.number().int().positive(),
    year: z.number().int().min(2000).max(2100),
    /** decimal hours; stored as whole minutes */
    hours: z.number().positive('must be more than 0').max(500, 'must be at most 500'),
    title: z.string().trim().min(2, 'must have at least 2 characters').max(100),
    source: z.enum(TRAINING_SOURCES),
    occurredOn: isoDate,
    ref: z.string().trim().max(100).nullable().optional(),
  })
  .strict();
export type TrainingCreateInput = z.infer<typeof trainingCreateSchema>;

export interface TrainingEntry {
  id: number;
  memberId: number;
  year: number;
  hours: number;
  minutes: number;
  title: string;
  source: TrainingSource;
  occurredOn: string;
  ref: string | null;
  recordedAt: string;
  recordedBy: string | null;
}

export interface TrainingRow {
  memberId: number;
  name: string;
  orgId: number;
  orgName: string;
  /** held a committee post (书记 … 委员) at some time during the year */
  committee: boolean;
  /** 56 for committee members, else 32 */
  target: number;
  hours: number;
  behind: boolean;
  /** hours still missing, 0 when on target */
  shortfall: number;
}

export interface TrainingView {
  year: number;
  rows: TrainingRow[];
  summary: { members: number; behind: number; shareBehind: number };
}
