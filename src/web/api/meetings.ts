/** 组织生活 (`/api/meetings`) and the compliance overview (`/api/compliance`). */
import type { ComplianceStatus, MeetingType } from '../../shared/meetings';
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

export interface TypeSummary {
  orgs: number;
  met: number;
  rate: number;
  color: 'green' | 'amber' | 'red';
}

export interface ComplianceOverview {
  org: number;
  orgName: string;
  period: string;
  summary: TypeSummary & { behind: number; pending: number; byType: Partial<Record<MeetingType, TypeSummary>> };
  items: ComplianceItem[];
  total: number;
}

export function fetchCompliance(org: Id, period: string): Promise<ComplianceOverview> {
  return api.get<ComplianceOverview>('/api/compliance', { org, period, pageSize: 1000 });
}
