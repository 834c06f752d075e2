/** Request schemas and response shapes of /api/compliance (the web client mirrors these in its api/ types). */
import { z } from 'zod';
import {
  COMPLIANCE_STATUSES,
  type ComplianceStatus,
  FREQUENCIES,
  MEETING_TYPES,
  type MeetingType,
  periodSchema,
  QUORUM_RULES,
  RULE_TARGETS,
} from '../../../shared/meetings.js';

const orgId = z.coerce.number().int().positive();
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD');

export const overviewQuery = z.object({
  org: orgId,
  /** default: the current quarter */
  period: periodSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(200),
  type: z.enum(MEETING_TYPES).optional(),
  status: z.enum(COMPLIANCE_STATUSES).optional(),
});

export const behindQuery = z.object({
  org: orgId,
  period: periodSchema.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
});

export const signalsQuery = z.object({ org: orgId, period: periodSchema.optional() });

export const todoQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(10),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

export const rulesQuery = z.object({ org: orgId.optional(), date: date.optional() });

export const ruleCreateSchema = z.object({
  orgId: z.number().int().positive(),
  type: z.enum(MEETING_TYPES),
  frequency: z.enum(FREQUENCIES),
  times: z.number().int().min(1).max(31),
  quorum: z.enum(QUORUM_RULES),
  appliesTo: z.enum(RULE_TARGETS),
  /** rules change at the start of a year, so that an org has one frequency per type and year */
  effectiveFrom: z.string().regex(/^\d{4}-01-01$/, 'rules take effect on 1 January (YYYY-01-01)'),
});
export type RuleCreateInput = z.infer<typeof ruleCreateSchema>;

export const exemptionCreateSchema = z.object({
  orgId: z.number().int().positive(),
  type: z.enum(MEETING_TYPES),
  period: periodSchema,
  reason: z.string().trim().min(2).max(500),
});
export type ExemptionCreateInput = z.infer<typeof exemptionCreateSchema>;

export const exemptionsQuery = z.object({
  org: orgId.optional(),
  status: z.enum(['pending', 'approved', 'rejected']).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
});

export const webhookSchema = z.object({
  kind: z.enum(['wecom', 'dingtalk']),
  url: z
    .string()
    .trim()
    .max(1000)
    .refine((u) => {
      try {
        const parsed = new URL(u);
        return parsed.protocol === 'http:' || parsed.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL'),
  enabled: z.boolean().default(true),
});
export type WebhookInput = z.infer<typeof webhookSchema>;

export const remindersRunSchema = z.object({ days: z.number().int().min(1).max(90).default(10) }).default({ days: 10 });

export const orgIdParams = z.object({ orgId });

// ---- responses ----------------------------------------------------------------------------------------------------

export type Color = 'green' | 'amber' | 'red';

export interface TypeSummary {
  orgs: number;
  met: number;
  missed: number;
  pending: number;
  exempt: number;
  no_quorum: number;
  /** (met + exempt) / orgs */
  rate: number;
  color: Color;
}

export interface OverviewItem {
  orgId: number;
  orgName: string;
  type: MeetingType;
  status: ComplianceStatus;
  /** the result row it comes from: the rule period, `agg:<view>` or the rule period containing the view */
  source: string;
  held: number;
  heldWithQuorum: number;
}

export interface Overview {
  org: number;
  orgName: string;
  period: string;
  from: string;
  to: string;
  /** the date (Asia/Shanghai) statuses are computed for */
  asOf: string;
  open: boolean;
  /** false when the period lies outside the tracked years (no results) */
  tracked: boolean;
  summary: {
    orgs: number;
    met: number;
    rate: number;
    behind: number;
    pending: number;
    exempt: number;
    color: Color;
    byType: Partial<Record<MeetingType, TypeSummary>>;
  };
  items: OverviewItem[];
  page: number;
  pageSize: number;
  total: number;
}
