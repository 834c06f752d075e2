/**
 * 互联网+党建学习 (issue 5): the contract shared by server and web. Content kinds, statuses, question types,
 * point rules; the request schemas (zod) and the response shapes of /api/learning.
 */
import { z } from 'zod';
import { PARTY_POSTS, type PartyPost } from './members.js';

export const CONTENT_KINDS = ['micro_lesson', 'micro_talk', 'micro_film', 'article', 'document'] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];
/** Kinds whose progress is a playback position (video or audio). */
export const MEDIA_KINDS: readonly ContentKind[] = ['micro_lesson', 'micro_talk', 'micro_film'];
export const isMediaKind = (k: ContentKind) => MEDIA_KINDS.includes(k);

/** draft → pending (review by the publisher's admin) → published → withdrawn; a rejected item goes back to draft. */
export const CONTENT_STATUSES = ['draft', 'pending', 'published', 'withdrawn'] as const;
export type ContentStatus = (typeof CONTENT_STATUSES)[number];

/** The publisher's subtree, or chosen subtrees (`visibleOrgIds`). */
export const VISIBILITIES = ['subtree', 'orgs'] as const;
export type Visibility = (typeof VISIBILITIES)[number];

export const SUGGESTED_TOPICS = [
  '新时代中国特色社会主义思想',
  '党的二十大精神',
  '党章党规',
  '党建+科创',
  '党史学习',
] as const;

/** Completion: media at ≥ 90 % of the duration actually played. */
export const MEDIA_COMPLETE_SHARE = 0.9;
/** Reading speed used for the minimum reading time of articles (characters per minute). */
export const READING_CHARS_PER_MINUTE = 400;
/** Minimum reading time per PDF page, seconds. */
export const SECONDS_PER_PDF_PAGE = 60;
export const MIN_READING_SECONDS = 30;
export const MAX_READING_SECONDS = 1800;

/** The minimum reading time of an article of `chars` characters of text. */
export function articleReadingSeconds(chars: number): number {
  const s = Math.ceil((chars / READING_CHARS_PER_MINUTE) * 60);
  return Math.min(MAX_READING_SECONDS, Math.max(MIN_READING_SECONDS, s));
}
export function documentReadingSeconds(pages: number): number {
  return Math.min(MAX_READING_SECONDS, Math.max(MIN_READING_SECONDS * 2, Math.max(1, pages) * SECONDS_PER_PDF_PAGE));
}

export const QUESTION_TYPES = ['single', 'multiple', 'true_false'] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];
/** The fixed options of a true/false question: answer [0] = 正确, [1] = 错误. */
export const TRUE_FALSE_OPTIONS = ['正确', '错误'] as const;

export const PAPER_MODES = ['fixed', 'random'] as const;
export type PaperMode = (typeof PAPER_MODES)[number];

export const PLAN_TARGETS = ['subtree', 'posts', 'members'] as const;
export type PlanTarget = (typeof PLAN_TARGETS)[number];

export const POINT_RULES = ['login', 'content_complete', 'study_time', 'quiz_pass'] as const;
export type PointRule = (typeof POINT_RULES)[number];
export interface PointRuleConfig {
  rule: PointRule;
  /** points per occurrence (study_time: per `unitMinutes` of study actually counted) */
  points: number;
  /** at most this many points per member and day (Asia/Shanghai) */
  dailyCap: number;
  /** study_time only: minutes per award */
  unitMinutes: number;
  enabled: boolean;
}
/** Defaults modelled on common practice (学习强国-like): small, capped daily. */
export const DEFAULT_POINT_RULES: readonly PointRuleConfig[] = [
  { rule: 'login', points: 1, dailyCap: 1, unitMinutes: 0, enabled: true },
  { rule: 'content_complete', points: 2, dailyCap: 10, unitMinutes: 0, enabled: true },
  { rule: 'study_time', points: 1, dailyCap: 6, unitMinutes: 10, enabled: true },
  { rule: 'quiz_pass', points: 5, dailyCap: 10, unitMinutes: 0, enabled: true },
];

// ---- requests ------------------------------------------------------------------------------------------------

const topics = z.array(z.string().trim().min(1).max(40)).max(10);
const orgIds = z.array(z.number().int().positive()).max(200);
const dateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'is not a real calendar date');

/** The fields of a content item (JSON body, or the multipart fields next to `file`; arrays there as JSON text). */
export const contentCreateSchema = z
  .object({
    kind: z.enum(CONTENT_KINDS),
    title: z.string().trim().min(2, 'must have at least 2 characters').max(200),
    summary: z.string().trim().max(2000).default(''),
    orgId: z.number().int().positive(),
    topics: topics.default([]),
    visibility: z.enum(VISIBILITIES).default('subtree'),
    visibleOrgIds: orgIds.optional(),
    /** media: seconds (required for video/audio) */
    duration: z
      .number()
      .int()
      .min(1)
      .max(24 * 3600)
      .optional(),
    /** article: HTML body (sanitised on the server) */
    body: z.string().max(500_000).optional(),
  })
  .strict();
export type ContentCreateInput = z.infer<typeof contentCreateSchema>;

export const contentUpdateSchema = contentCreateSchema.omit({ kind: true, orgId: true }).partial().strict();
export type ContentUpdateInput = z.infer<typeof contentUpdateSchema>;

export const contentListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  topic: z.string().trim().max(40).optional(),
  kind: z.enum(CONTENT_KINDS).optional(),
  /** managers: their own drafts / review queue */
  status: z.enum(CONTENT_STATUSES).optional(),
  org: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const progressSchema = z
  .object({
    contentId: z.number().int().positive(),
    /** seconds into the media (video/audio); for articles/documents the reading position (any unit ≥ 0) */
    position: z
      .number()
      .min(0)
      .max(24 * 3600),
    /** the duration the player sees, seconds (informative: the server's own duration decides) */
    duration: z
      .number()
      .min(0)
      .max(24 * 3600)
      .optional(),
  })
  .strict();
export type ProgressInput = z.infer<typeof progressSchema>;

export const planItemSchema = z
  .object({ contentId: z.number().int().positive().optional(), paperId: z.number().int().positive().optional() })
  .strict()
  .refine((x) => (x.contentId === undefined) !== (x.paperId === undefined), 'name exactly one of contentId, paperId');

export const planCreateSchema = z
  .object({
    orgId: z.number().int().positive(),
    title: z.string().trim().min(2).max(200),
    description: z.string().trim().max(2000).default(''),
    dueOn: dateOnly,
    target: z.enum(PLAN_TARGETS),
    /** subtree and posts: the subtree (default orgId) */
    targetOrgId: z.number().int().positive().optional(),
    posts: z.array(z.enum(PARTY_POSTS)).max(PARTY_POSTS.length).optional(),
    memberIds: z.array(z.number().int().positive()).max(5000).optional(),
    items: z.array(planItemSchema).min(1, 'must name at least one item').max(100),
  })
  .strict();
export type PlanCreateInput = z.infer<typeof planCreateSchema>;

export const questionSchema = z
  .object({
    orgId: z.number().int().positive(),
    type: z.enum(QUESTION_TYPES),
    stem: z.string().trim().min(2).max(2000),
    /** single/multiple: 2–8 options; true_false: omitted (正确/错误) */
    options: z.array(z.string().trim().min(1).max(500)).max(8).optional(),
    /** indexes into the options (true_false: [0] 正确, [1] 错误) */
    answer: z.array(z.number().int().min(0).max(7)).min(1).max(8),
    explanation: z.string().trim().max(2000).default(''),
    topics: topics.default([]),
  })
  .strict();
export type QuestionInput = z.infer<typeof questionSchema>;
export const questionUpdateSchema = questionSchema.omit({ orgId: true }).strict();

export const paperSchema = z
  .object({
    orgId: z.number().int().positive(),
    title: z.string().trim().min(2).max(200),
    mode: z.enum(PAPER_MODES),
    /** fixed */
    questionIds: z.array(z.number().int().positive()).max(200).optional(),
    /** random: drawn from the publisher's bank */
    topic: z.string().trim().max(40).nullable().optional(),
    questionCount: z.number().int().min(1).max(200).optional(),
    timeLimitMinutes: z.number().int().min(1).max(600).nullable().default(null),
    /** percent of the questions answered correctly */
    passMark: z.number().int().min(0).max(100).default(60),
    /** null: unlimited */
    attemptsAllowed: z.number().int().min(1).max(100).nullable().default(3),
  })
  .strict();
export type PaperInput = z.infer<typeof paperSchema>;

export const submitSchema = z
  .object({
    answers: z
      .array(
        z
          .object({ questionId: z.number().int().positive(), answer: z.array(z.number().int().min(0).max(7)).max(8) })
          .strict(),
      )
      .max(200),
  })
  .strict();
export type SubmitInput = z.infer<typeof submitSchema>;

export const pointRulesSchema = z
  .object({
    orgId: z.number().int().positive(),
    rules: z
      .array(
        z
          .object({
            rule: z.enum(POINT_RULES),
            points: z.number().int().min(0).max(100),
            dailyCap: z.number().int().min(0).max(1000),
            unitMinutes: z.number().int().min(0).max(600).default(0),
            enabled: z.boolean(),
          })
          .strict(),
      )
      .min(1)
      .max(POINT_RULES.length),
  })
  .strict();

export const rankingToggleSchema = z.object({ enabled: z.boolean() }).strict();

// ---- responses -----------------------------------------------------------------------------------------------

export interface ContentProgress {
  position: number;
  completed: boolean;
  /** seconds actually played / read (counted by the server) */
  playedSeconds: number;
  completedAt: string | null;
}

export interface ContentItem {
  id: number;
  kind: ContentKind;
  title: string;
  summary: string;
  /** URL of the cover image (uploaded, or the kind's default) */
  coverUrl: string;
  /** media: seconds; article/document: null */
  duration: number | null;
  /** seconds of playing (≥ 90 % of duration) or reading needed to complete */
  requiredSeconds: number;
  topics: string[];
  orgId: number;
  orgName: string;
  visibility: Visibility;
  visibleOrgIds: number[];
  status: ContentStatus;
  /** media/document: URL of the stream (`/api/learning/content/:id/media`), else null */
  mediaUrl: string | null;
  mime: string | null;
  size: number | null;
  publishedAt: string | null;
  createdAt: string;
  createdBy: string;
  /** the caller's own progress (members); null for callers without a linked member */
  progress: ContentProgress | null;
}
/** GET /api/learning/content/:id adds the article body (sanitised HTML). */
export interface ContentDetail extends ContentItem {
  body: string | null;
  reviewNote: string | null;
}

export interface ProgressResult {
  contentId: number;
  position: number;
  playedSeconds: number;
  requiredSeconds: number;
  completed: boolean;
  /** true on the heartbeat that completed the item */
  justCompleted: boolean;
}

export interface PlanItemView {
  contentId: number | null;
  paperId: number | null;
  title: string;
  kind: ContentKind | 'paper';
}
export interface Plan {
  id: number;
  orgId: number;
  orgName: string;
  title: string;
  description: string;
  dueOn: string;
  target: PlanTarget;
  targetOrgId: number | null;
  targetOrgName: string | null;
  posts: PartyPost[];
  memberIds: number[];
  items: PlanItemView[];
  createdAt: string;
  createdBy: string;
}

export interface PlanMemberProgress {
  memberId: number;
  name: string;
  orgId: number;
  orgName: string;
  itemsDone: number;
  itemsTotal: number;
  completed: boolean;
}
export interface PlanOrgProgress {
  orgId: number;
  orgName: string;
  assigned: number;
  completed: number;
  rate: number;
}
export interface PlanProgress {
  plan: Plan;
  org: { id: number; name: string };
  assigned: number;
  completed: number;
  /** completed / assigned, 0..1 (0 when nobody is assigned) */
  rate: number;
  /** the org and each of its direct children that has assigned members */
  orgs: PlanOrgProgress[];
  /** everyone assigned in the org's subtree, unfinished first */
  members: PlanMemberProgress[];
}

export interface QuestionView {
  id: number;
  orgId: number;
  type: QuestionType;
  stem: string;
  options: string[];
  answer: number[];
  explanation: string;
  topics: string[];
  createdAt: string;
}

export interface Paper {
  id: number;
  orgId: number;
  orgName: string;
  title: string;
  mode: PaperMode;
  topic: string | null;
  questionCount: number;
  timeLimitMinutes: number | null;
  passMark: number;
  attemptsAllowed: number | null;
  createdAt: string;
  /** the caller's own attempts (members) */
  myAttempts?: { used: number; bestScore: number | null; passed: boolean };
}

/** A question as a member sees it while answering: no answer, no explanation. */
export interface AttemptQuestion {
  id: number;
  type: QuestionType;
  stem: string;
  options: string[];
}
export interface ReviewQuestion extends AttemptQuestion {
  yourAnswer: number[];
  correctAnswer: number[];
  correct: boolean;
  explanation: string;
}
export interface Attempt {
  id: number;
  paperId: number;
  paperTitle: string;
  startedAt: string;
  /** null without a time limit */
  deadline: string | null;
  status: 'open' | 'submitted';
  questions: AttemptQuestion[];
  /** after submission only */
  submittedAt: string | null;
  score: number | null;
  passed: boolean | null;
  correctCount: number | null;
  passMark: number;
  review: ReviewQuestion[] | null;
}

export interface PointsSummary {
  today: number;
  year: number;
  total: number;
  byRule: { rule: PointRule; today: number; dailyCap: number }[];
  recent: { rule: PointRule; points: number; at: string; ref: string | null }[];
}

export interface LearningHome {
  member: { id: number; name: string; orgId: number; orgName: string } | null;
  /** plan items not yet done, the earliest deadline first */
  tasks: {
    planId: number;
    planTitle: string;
    dueOn: string;
    daysLeft: number;
    contentId: number | null;
    paperId: number | null;
    title: string;
    kind: ContentKind | 'paper';
  }[];
  continueWatching: ContentItem[];
  plans: { id: number; title: string; dueOn: string; daysLeft: number; itemsDone: number; itemsTotal: number }[];
  points: PointsSummary;
  /** study hours counted this year from completed items */
  studyHoursThisYear: number;
}

export interface OrgPointsRow {
  orgId: number;
  orgName: string;
  members: number;
  totalPoints: number;
  averagePoints: number;
}

export interface ImportRowError {
  row: number;
  column: string;
  message: string;
}
/** POST /api/learning/questions/import: like the roster import, all or nothing. */
export interface QuestionImportResult {
  /** no errors */
  ok: boolean;
  dryRun: boolean;
  /** the questions were written (only when ok and not dryRun) */
  committed: boolean;
  /** data rows read */
  rows: number;
  /** rows that would be / were created */
  created: number;
  errors: ImportRowError[];
}
