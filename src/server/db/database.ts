/** Table interfaces: the row shapes Kysely checks every query against. Rows stay inside repositories. */
import type { Generated, Kysely, Transaction } from 'kysely';

export interface OrgTable {
  id: Generated<number>;
  parent_id: number | null;
  name: string;
  kind: string;
  is_joint: number;
  unit_name: string | null;
  division_code: string | null;
  founded_on: string | null;
  term_start: string | null;
  term_years: number;
  /** term_start + term_years, kept by the service so the 换届 filter is one indexed range */
  term_end: string | null;
  depth: number;
  created_at: string;
  updated_at: string;
}

/** Closure table: one row per (ancestor, descendant) pair, including each org with itself at depth 0. */
export interface OrgClosureTable {
  ancestor_id: number;
  descendant_id: number;
  depth: number;
}

export interface MemberTable {
  id: Generated<number>;
  org_id: number;
  name: string;
  gender: string | null;
  user_id: number | null;
  status: string;
  ethnicity: string | null;
  birth_date: string | null;
  /** SM4-CBC + HMAC-SM3 ciphertext with key version (crypto/sm.ts) */
  id_enc: string | null;
  /** HMAC-SM3 blind index: exact search and duplicate detection */
  id_index: string | null;
  id_masked: string | null;
  phone_enc: string | null;
  phone_index: string | null;
  phone_masked: string | null;
  education: string | null;
  unit: string | null;
  title: string | null;
  category: Generated<string>;
  joined_at: string | null;
  full_at: string | null;
  /** pinyin initials of the name, lower-case, for search */
  name_initials: string | null;
  left_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PartyPostTable {
  id: Generated<number>;
  member_id: number;
  org_id: number;
  post: string;
  full_time: number;
  started_at: string;
  ended_at: string | null;
  created_at: string;
}

export interface OrgStaffingTable {
  org_id: number;
  authorised_full_time: number;
  updated_at: string;
}

export interface TrainingHoursTable {
  id: Generated<number>;
  member_id: number;
  year: number;
  minutes: number;
  title: string;
  source: string;
  occurred_on: string;
  ref: string | null;
  recorded_at: string;
  recorded_by: string | null;
}

export interface MemberHistoryTable {
  id: Generated<number>;
  member_id: number;
  at: string;
  actor: string;
  action: string;
  changes: string | null;
}

export interface TransferTable {
  id: Generated<number>;
  member_id: number;
  kind: string;
  from_org_id: number;
  to_org_id: number | null;
  external_org_name: string | null;
  status: string;
  reason: string | null;
  return_reason: string | null;
  letter_no: string | null;
  /** 党费交到 YYYY-MM, printed on the introduction letter */
  dues_paid_until: string | null;
  /** validity of the introduction letter, days */
  valid_days: number | null;
  started_at: string;
  due_on: string;
  decided_at: string | null;
  created_by: string;
  decided_by: string | null;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  password_hash: string;
  password_changed_at: string;
  must_change_password: number;
  failed_count: number;
  locked_until: string | null;
  disabled: number;
  totp_secret: string | null;
  totp_enabled: number;
  /** last accepted TOTP time step: a code is good once */
  totp_last_step: number;
  totp_exempt: number;
  demo: number;
  last_login_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface GrantTable {
  id: Generated<number>;
  user_id: number;
  role: string;
  org_id: number | null;
  created_at: string;
  created_by: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  csrf_token: string;
  mfa_pending: number;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface AuditTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor: string;
  action: string;
  target: string | null;
  result: string;
  ip: string | null;
  detail: string | null;
  prev_hash: string;
  hash: string;
}

export interface SettingTable {
  key: string;
  value: string;
}

export interface MeetingTable {
  id: Generated<number>;
  org_id: number;
  title: string;
  status: string;
  starts_at: string;
  ends_at: string;
  local_date: string;
  location: string | null;
  host_id: number | null;
  recorder_id: number | null;
  guests: string | null;
  minutes: string | null;
  minutes_length: number;
  minutes_hash: string | null;
  version: number;
  submitted_at: string | null;
  submitted_by: string | null;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface MeetingTypeTable {
  meeting_id: number;
  type: string;
  org_id: number;
  local_date: string;
}

export interface MeetingAttendeeTable {
  meeting_id: number;
  member_id: number;
  status: string;
  reason: string | null;
  signed_in_at: string | null;
  via: string | null;
}

export interface MeetingResolutionTable {
  id: Generated<number>;
  meeting_id: number;
  text: string;
  votes_for: number | null;
  votes_against: number | null;
  abstentions: number | null;
  passed: number | null;
}

export interface MeetingReviewTable {
  meeting_id: number;
  member_id: number;
  grade: string;
}

export interface MeetingAttachmentTable {
  id: Generated<number>;
  meeting_id: number;
  file_name: string;
  mime: string;
  size: number;
  storage_name: string;
  uploaded_at: string;
  uploaded_by: string;
}

export interface MeetingVersionTable {
  id: Generated<number>;
  meeting_id: number;
  version: number;
  snapshot: string;
  reason: string | null;
  corrected_by: string;
  corrected_at: string;
}

export interface ComplianceRuleTable {
  id: Generated<number>;
  scope_org_id: number | null;
  type: string;
  frequency: string;
  times: number;
  quorum: string;
  applies_to: string;
  effective_from: string;
  effective_to: string | null;
  created_by: string;
  created_at: string;
}

export interface ComplianceExemptionTable {
  id: Generated<number>;
  org_id: number;
  type: string;
  period: string;
  reason: string;
  status: string;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export interface ComplianceResultTable {
  org_id: number;
  type: string;
  period: string;
  status: string;
  held: number;
  held_with_quorum: number;
  updated_at: string;
}

export interface ComplianceRollupTable {
  ancestor_id: number;
  type: string;
  period: string;
  met: number;
  missed: number;
  pending: number;
  exempt: number;
  no_quorum: number;
}

export interface ReminderTable {
  id: Generated<number>;
  org_id: number;
  type: string;
  period: string;
  kind: string;
  message: string;
  created_at: string;
  done_at: string | null;
  delivered_at: string | null;
  delivery_error: string | null;
}

export interface OrgWebhookTable {
  org_id: number;
  kind: string;
  url: string;
  enabled: number;
  updated_at: string;
}

export interface LearningContentTable {
  id: Generated<number>;
  org_id: number;
  kind: string;
  title: string;
  summary: string;
  search_text: string;
  body: string | null;
  duration: number | null;
  required_seconds: number;
  visibility: string;
  status: string;
  media_name: string | null;
  media_mime: string | null;
  media_size: number | null;
  cover_name: string | null;
  cover_mime: string | null;
  review_note: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  published_at: string | null;
  published_by: string | null;
}

export interface LearningContentTopicTable {
  content_id: number;
  topic: string;
}

export interface LearningContentOrgTable {
  content_id: number;
  org_id: number;
}

export interface LearningProgressTable {
  member_id: number;
  content_id: number;
  position: number;
  watched: string;
  played_seconds: number;
  last_beat_at: number;
  pointed_seconds: number;
  started_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface LearningPlanTable {
  id: Generated<number>;
  org_id: number;
  title: string;
  description: string;
  due_on: string;
  target: string;
  target_org_id: number | null;
  created_by: string;
  created_at: string;
}

export interface LearningPlanItemTable {
  plan_id: number;
  position: number;
  content_id: number | null;
  paper_id: number | null;
}

export interface LearningPlanPostTable {
  plan_id: number;
  post: string;
}

export interface LearningPlanMemberTable {
  plan_id: number;
  member_id: number;
}

export interface LearningQuestionTable {
  id: Generated<number>;
  org_id: number;
  type: string;
  stem: string;
  options: string;
  answer: string;
  explanation: string;
  archived: Generated<number>;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface LearningQuestionTopicTable {
  question_id: number;
  topic: string;
}

export interface LearningPaperTable {
  id: Generated<number>;
  org_id: number;
  title: string;
  mode: string;
  topic: string | null;
  question_count: number;
  time_limit_minutes: number | null;
  pass_mark: number;
  attempts_allowed: number | null;
  archived: Generated<number>;
  created_by: string;
  created_at: string;
}

export interface LearningPaperQuestionTable {
  paper_id: number;
  position: number;
  question_id: number;
}

export interface LearningAttemptTable {
  id: Generated<number>;
  paper_id: number;
  member_id: number;
  question_ids: string;
  answers: string | null;
  started_at: string;
  deadline: string | null;
  submitted_at: string | null;
  score: number | null;
  correct_count: number | null;
  passed: number | null;
}

export interface LearningPointTable {
  id: Generated<number>;
  member_id: number;
  rule: string;
  points: number;
  day: string;
  year: number;
  ref: string | null;
  at: string;
}

export interface LearningPointRuleTable {
  org_id: number;
  rule: string;
  points: number;
  daily_cap: number;
  unit_minutes: number;
  enabled: number;
  updated_by: string;
  updated_at: string;
}

export interface LearningOrgSettingTable {
  org_id: number;
  rankings_enabled: number;
  updated_by: string;
  updated_at: string;
}

export interface DB {
  orgs: OrgTable;
  org_closure: OrgClosureTable;
  members: MemberTable;
  party_posts: PartyPostTable;
  org_staffing: OrgStaffingTable;
  training_hours: TrainingHoursTable;
  member_history: MemberHistoryTable;
  transfers: TransferTable;
  users: UserTable;
  grants: GrantTable;
  sessions: SessionTable;
  audit_log: AuditTable;
  settings: SettingTable;
  meetings: MeetingTable;
  meeting_types: MeetingTypeTable;
  meeting_attendees: MeetingAttendeeTable;
  meeting_resolutions: MeetingResolutionTable;
  meeting_reviews: MeetingReviewTable;
  meeting_attachments: MeetingAttachmentTable;
  meeting_versions: MeetingVersionTable;
  compliance_rules: ComplianceRuleTable;
  compliance_exemptions: ComplianceExemptionTable;
  compliance_results: ComplianceResultTable;
  compliance_rollups: ComplianceRollupTable;
  reminders: ReminderTable;
  org_webhooks: OrgWebhookTable;
  learning_content: LearningContentTable;
  learning_content_topics: LearningContentTopicTable;
  learning_content_orgs: LearningContentOrgTable;
  learning_progress: LearningProgressTable;
  learning_plans: LearningPlanTable;
  learning_plan_items: LearningPlanItemTable;
  learning_plan_posts: LearningPlanPostTable;
  learning_plan_members: LearningPlanMemberTable;
  learning_questions: LearningQuestionTable;
  learning_question_topics: LearningQuestionTopicTable;
  learning_papers: LearningPaperTable;
  learning_paper_questions: LearningPaperQuestionTable;
  learning_attempts: LearningAttemptTable;
  learning_points: LearningPointTable;
  learning_point_rules: LearningPointRuleTable;
  learning_org_settings: LearningOrgSettingTable;
}

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** A repository function takes either the database or a transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;
