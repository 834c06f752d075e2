/** The roster (`/api/members`): list, detail, edit, reveal, history, Excel template / import / export. */
import { api, type DownloadedFile, downloadFile, type UploadOptions, uploadFile } from './client';
import type {
  Id,
  ImportResult,
  Member,
  MemberCategory,
  MemberHistoryEntry,
  MemberInput,
  MemberStatus,
  Page,
  PartyPost,
  RevealedNumbers,
} from './types';

export const MEMBERS_KEY = ['members'] as const;

export interface MemberQuery {
  org?: Id;
  q?: string;
  category?: MemberCategory;
  status?: MemberStatus;
  post?: PartyPost;
  ageMin?: number;
  ageMax?: number;
  page: number;
  pageSize: number;
}

export function fetchMembers(query: MemberQuery): Promise<Page<Member>> {
  return api.get<Page<Member>>('/api/members', { ...query });
}

export function fetchMember(id: Id): Promise<Member> {
  return api.get<Member>(`/api/members/${id}`);
}

export function createMember(input: MemberInput): Promise<Member> {
  return api.post<Member>('/api/members', input);
}

export function updateMember(id: Id, input: Partial<MemberInput>): Promise<Member> {
  return api.patch<Member>(`/api/members/${id}`, input);
}

/** Full ID and phone numbers: audited on the server; callers keep them in component state only. */
export function revealMember(id: Id): Promise<RevealedNumbers> {
  return api.post<RevealedNumbers>(`/api/members/${id}/reveal`);
}

export async function fetchMemberHistory(id: Id): Promise<MemberHistoryEntry[]> {
  return (await api.get<{ items: MemberHistoryEntry[] }>(`/api/members/${id}/history`)).items;
}

export function downloadImportTemplate(): Promise<DownloadedFile> {
  return downloadFile('/api/members/import-template', undefined, '党员导入模板.xlsx');
}

/** The preview (`dryRun`) or the commit of a filled sheet. */
export function importMembers(file: File, dryRun: boolean, options: UploadOptions = {}): Promise<ImportResult> {
  return uploadFile<ImportResult>('/api/members/import', file, {
    ...options,
    query: { ...options.query, dryRun: dryRun ? 1 : undefined },
  });
}

/** The uploaded sheet with every bad cell marked red and the reasons in a last column. */
export function downloadImportErrors(file: File, options: UploadOptions = {}): Promise<DownloadedFile> {
  return uploadFile('/api/members/import/errors', file, { ...options, as: 'file' });
}

export function exportMembers(org: Id | undefined, unmasked: boolean): Promise<DownloadedFile> {
  return downloadFile('/api/members/export', { org, unmasked: unmasked ? 1 : undefined }, '党员名册.xlsx');
}
