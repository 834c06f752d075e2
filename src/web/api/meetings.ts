/** 组织生活 (`/api/meetings`) and the compliance overview (`/api/compliance`). */
import type { ComplianceStatus, Frequency, MeetingType, QuorumRule, RuleTarget } from '../../shared/meetings';
import { api, type DownloadedFile, downloadFile } from './client';
import type { Id } from './types';

export const MEETINGS_KEY = ['meetings'] as const;
export const COMPLIANCE_KEY = ['compliance'] as const;

export type AttendanceStatus = 'present' | 'leave' | 'absent';

export interface Quorum {
  rule: string;
  expected: number;
  present: number;
  met: boolean;
}

export interface MeetingSummary {
  id: number;
  orgId: number;
  orgName: string;
  types: MeetingType[];
  title: string;
  status: 'planned' | 'draft' | 'submitted';
  startsAt: string;
  endsAt: string;
  localDate: string;
  location: string | null;
  hostId: number | null;
  hostName: string | null;
  recorderId: number | null;
  recorderName: string | null;
  attendance: { present: number; leave: number; absent: number; total: number };
  quorum: Quorum;
  version: number;
  submittedAt: string | null;
}

export interface Attendee {
  memberId: number;
  name: string;
  category: string;
  status: AttendanceStatus;
  reason: string | null;
  signedInAt: string | null;
  via: 'qr' | 'manual' | null;
}

export interface Resolution {
  text: string;
  votesFor?: number | null;
  votesAgainst?: number | null;
  abstentions?: number | null;
}

export interface Meeting extends MeetingSummary {
  guests: string | null;
  minutes: string;
  attendees: Attendee[];
  resolutions: Resolution[];
}

export interface MeetingInput {
  orgId?: number;
  status?: 'planned' | 'draft';
  types: MeetingType[];
  title: string;
  startsAt: string;
  endsAt: string;
  location?: string | null;
  hostId?: number | null;
  recorderId?: number | null;
  attendees?: { memberId: number; status: AttendanceStatus; reason?: string | null }[];
  minutes?: string | null;
  resolutions?: Resolution[];
}

export interface SigninCode {
  url: string;
  absoluteUrl: string;
  opensAt: string;
  expiresAt: string;
  qrDataUrl: string;
}

export interface MeetingQuery {
  org?: Id;
  from?: string;
  to?: string;
  type?: MeetingType;
  status?: MeetingSummary['status'];
  page?: number;
  pageSize?: number;
}

export function fetchMeetings(query: MeetingQuery): Promise<{ items: MeetingSummary[]; total: number }> {
  return api.get('/api/meetings', { ...query });
}

export function fetchMeeting(id: Id): Promise<Meeting> {
  return api.get<Meeting>(`/api/meetings/${id}`);
}

export function createMeeting(input: MeetingInput): Promise<Meeting> {
  return api.post<Meeting>('/api/meetings', input);
}

export function updateMeeting(id: Id, input: MeetingInput): Promise<Meeting> {
  const { orgId: _orgId, ...rest } = input;
  return api.patch<Meeting>(`/api/meetings/${id}`, rest);
}

export function submitMeeting(id: Id): Promise<Meeting> {
  return api.post<Meeting>(`/api/meetings/${id}/submit`, {});
}

export function fetchSigninCode(id: Id): Promise<SigninCode> {
  return api.get<SigninCode>(`/api/meetings/${id}/signin-code`);
}

export function signin(
  token: string,
): Promise<{ meeting: MeetingSummary; signedInAt: string; alreadySignedIn: boolean }> {
  return api.post('/api/meetings/signin', { token });
}

export function downloadRecord(id: Id): Promise<DownloadedFile> {
  return downloadFile(`/api/meetings/${id}/record.docx`, undefined, '会议记录.docx');
}

export interface ComplianceItem {
  orgId: number;
  orgName: string;
  type: MeetingType;
  status: ComplianceStatus;
  held: number;
}

export type Color = 'green' | 'amber' | 'red';

export interface TypeSummary {
  orgs: number;
  met: number;
  missed?: number;
  pending?: number;
  exempt?: number;
  no_quorum?: number;
  rate: number;
  color: Color;
}

export interface ComplianceOverview {
  org: number;
  orgName: string;
  period: string;
  from: string;
  to: string;
  asOf: string;
  open: boolean;
  tracked: boolean;
  summary: Omit<TypeSummary, 'pending'> & {
    behind: number;
    pending: number;
    exempt: number;
    byType: Partial<Record<MeetingType, TypeSummary>>;
  };
  items: ComplianceItem[];
  page: number;
  pageSize: number;
  total: number;
}

export function fetchCompliance(
  org: Id,
  period: string,
  opts: { page?: number; pageSize?: number; type?: MeetingType } = {},
): Promise<ComplianceOverview> {
  return api.get<ComplianceOverview>('/api/compliance', { org, period, pageSize: 1000, ...opts });
}

// ---- plans, member calendar, book --------------------------------------------------------------------------------

export function fetchUpcoming(): Promise<{ items: MeetingSummary[] }> {
  return api.get('/api/meetings/upcoming');
}

export function fetchCalendarLink(): Promise<{
  url: string | null;
  absoluteUrl: string | null;
  expiresAt: string | null;
}> {
  return api.get('/api/meetings/calendar-link');
}

export function copyPlan(orgId: number, fromYear: number, toYear: number): Promise<{ count: number; skipped: number }> {
  return api.post('/api/meetings/copy-plan', { orgId, fromYear, toYear });
}

export function downloadBook(org: Id, from: string, to: string): Promise<DownloadedFile> {
  return downloadFile('/api/meetings/book.docx', { org, from, to }, '会议记录本.docx');
}

// ---- compliance: behind, signals, to-do, rules, exemptions, webhooks ---------------------------------------------

export interface BehindItem {
  orgId: number;
  orgName: string;
  kind: string;
  parentId: number | null;
  parentName: string | null;
  status: ComplianceStatus;
  typesBehind: number;
  types: { type: MeetingType; status: ComplianceStatus; source: string }[];
}

export function fetchBehind(
  org: Id,
  period: string,
  page = 1,
  pageSize = 20,
): Promise<{ total: number; page: number; pageSize: number; items: BehindItem[] }> {
  return api.get('/api/compliance/behind', { org, period, page, pageSize });
}

export interface SignalRow {
  orgId: number;
  orgName: string;
  meetings: number;
  shortMinutes: number;
  noOutcome: number;
  copiedMinutes: number;
  underQuorum: number;
  crammed: number;
}

export interface Signals {
  org: number;
  period: string;
  thresholds: { minutesMinLength: number; crammedPerDay: number; lastDays: number };
  meetings: number;
  items: SignalRow[];
}

export function fetchSignals(org: Id, period: string): Promise<Signals> {
  return api.get('/api/compliance/signals', { org, period });
}

export interface TodoItem {
  kind: 'due_soon' | 'missed';
  orgId: number;
  orgName: string;
  type: MeetingType;
  period: string;
  status: ComplianceStatus;
  deadline: string;
  daysLeft: number;
  message: string;
}

export function fetchTodo(
  days: number,
): Promise<{ today: string; days: number; items: TodoItem[]; truncated: boolean }> {
  return api.get('/api/compliance/todo', { days });
}

export function runReminders(days: number): Promise<{ created: number }> {
  return api.post('/api/compliance/reminders/run', { days });
}

export interface Rule {
  id: number;
  scopeOrgId: number | null;
  scopeOrgName: string | null;
  source: 'default' | 'override';
  type: MeetingType;
  frequency: Frequency;
  times: number;
  quorum: QuorumRule;
  appliesTo: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  createdBy: string;
  createdAt: string;
}

export interface RuleInput {
  orgId: number;
  type: MeetingType;
  frequency: Frequency;
  times: number;
  quorum: QuorumRule;
  appliesTo: RuleTarget;
  effectiveFrom: string;
}

export function fetchRules(
  org: Id,
  date?: string,
): Promise<{ org: number | null; date: string; items: Rule[]; overrides: Rule[] }> {
  return api.get('/api/compliance/rules', { org, date });
}

export function createRule(input: RuleInput): Promise<Rule> {
  return api.post('/api/compliance/rules', input);
}

export function deleteRule(id: number): Promise<void> {
  return api.del(`/api/compliance/rules/${id}`);
}

export interface Exemption {
  id: number;
  orgId: number;
  orgName: string;
  type: MeetingType;
  period: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected';
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  deciderOrgId: number | null;
}

export function fetchExemptions(query: {
  org?: Id;
  status?: Exemption['status'];
  page?: number;
  pageSize?: number;
}): Promise<{ items: Exemption[]; total: number }> {
  return api.get('/api/compliance/exemptions', { ...query });
}

export function requestExemption(input: {
  orgId: number;
  type: MeetingType;
  period: string;
  reason: string;
}): Promise<Exemption> {
  return api.post('/api/compliance/exemptions', input);
}

export function decideExemption(id: number, decision: 'approve' | 'reject'): Promise<Exemption> {
  return api.post(`/api/compliance/exemptions/${id}/${decision}`, {});
}

export interface Webhook {
  orgId: number;
  kind: 'wecom' | 'dingtalk' | null;
  url: string | null;
  enabled: boolean;
  updatedAt: string | null;
}

export function fetchWebhook(orgId: Id): Promise<Webhook> {
  return api.get(`/api/compliance/webhooks/${orgId}`);
}

export function saveWebhook(
  orgId: Id,
  input: { kind: 'wecom' | 'dingtalk'; url: string; enabled: boolean },
): Promise<Webhook> {
  return api.put(`/api/compliance/webhooks/${orgId}`, input);
}
