/**
 * Request schemas of /api/meetings (issue 4, "Meetings" and its Interface): the body field names are the
 * contract the web client and the compliance engine rely on. Rules that need the database (roster membership,
 * types allowed for the org kind) live in the service; these only check shapes.
 */
import { z } from 'zod';
import { ATTENDANCE_STATUSES, MEETING_TYPES, REVIEW_GRADES } from '../../../shared/meetings.js';
import { paging } from '../../http.js';

/** ISO 8601 with an offset (`2026-03-05T14:30:00+08:00` or `…Z`). */
const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset' });
const dateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real calendar date');
const memberId = z.number().int().positive();
const votes = z.number().int().min(0).max(100_000).nullable().optional();

export const MEETING_WRITE_STATUSES = ['planned', 'draft'] as const;
/** Minutes longer than this (as stored HTML) are refused. */
export const MINUTES_MAX_CHARS = 200_000;

export const attendeeSchema = z
  .object({
    memberId,
    status: z.enum(ATTENDANCE_STATUSES),
    reason: z.string().trim().max(200).nullable().optional(),
  })
  .strict();

export const resolutionSchema = z
  .object({
    text: z.string().trim().min(1, 'is required').max(2000),
    votesFor: votes,
    votesAgainst: votes,
    abstentions: votes,
  })
  .strict();

export const reviewSchema = z.object({ memberId, grade: z.enum(REVIEW_GRADES) }).strict();

const contentFields = {
  types: z.array(z.enum(MEETING_TYPES)).min(1, 'must name at least one type').max(MEETING_TYPES.length),
  title: z.string().trim().min(2, 'must have at least 2 characters').max(200),
  startsAt: instant,
  endsAt: instant,
  location: z.string().trim().max(200).nullable().optional(),
  hostId: memberId.nullable().optional(),
  recorderId: memberId.nullable().optional(),
  guests: z.string().trim().max(2000).nullable().optional(),
  attendees: z.array(attendeeSchema).max(2000).optional(),
  minutes: z.string().max(MINUTES_MAX_CHARS).nullable().optional(),
  resolutions: z.array(resolutionSchema).max(100).optional(),
  reviews: z.array(reviewSchema).max(2000).optional(),
};

export const meetingCreateSchema = z
  .object({
    orgId: z.number().int().positive(),
    status: z.enum(MEETING_WRITE_STATUSES).default('draft'),
    ...contentFields,
  })
  .strict();

export const meetingUpdateSchema = z
  .object({
    ...contentFields,
    /** planned ↔ draft before submission; a submitted record stays submitted */
    status: z.enum(MEETING_WRITE_STATUSES),
    /** required once the record is submitted: the change becomes a new version */
    correctionReason: z.string().trim().min(2, 'must have at least 2 characters').max(500),
  })
  .partial()
  .strict();

export type MeetingCreateInput = z.infer<typeof meetingCreateSchema>;
export type MeetingUpdateInput = z.infer<typeof meetingUpdateSchema>;
export type AttendeeInput = z.infer<typeof attendeeSchema>;
export type ResolutionInput = z.infer<typeof resolutionSchema>;
export type ReviewInput = z.infer<typeof reviewSchema>;

export const MEETING_STATUSES = ['planned', 'draft', 'submitted'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];

export const meetingListQuery = z.object({
  ...paging,
  org: z.coerce.number().int().positive().optional(),
  /** local dates (Asia/Shanghai), both inclusive */
  from: dateOnly.optional(),
  to: dateOnly.optional(),
  type: z.enum(MEETING_TYPES).optional(),
  status: z.enum(MEETING_STATUSES).optional(),
});

export const copyPlanSchema = z
  .object({
    orgId: z.number().int().positive(),
    fromYear: z.number().int().min(2000).max(2100),
    toYear: z.number().int().min(2000).max(2100),
  })
  .strict()
  .refine((v) => v.fromYear !== v.toYear, { message: 'must differ from fromYear', path: ['toYear'] });

export const signinSchema = z.object({ token: z.string().trim().min(10).max(200) }).strict();

export const bookQuery = z.object({
  org: z.coerce.number().int().positive(),
  from: dateOnly,
  to: dateOnly,
});

export const attachmentParams = z.object({
  id: z.coerce.number().int().positive(),
  attachmentId: z.coerce.number().int().positive(),
});

export const calendarTokenParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,200}$/) });
