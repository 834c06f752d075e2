/** Party posts, 编制 and the staffing view, the training-hours ledger (`/api/posts`, `/api/staffing`, `/api/training-hours`). */
import type { PostCreateInput, TrainingCreateInput } from '../../shared/staffing';
import { api, type DownloadedFile, downloadFile } from './client';
import type { Id, PostItem, StaffingRow, StaffingView, TrainingEntry, TrainingLedger, TrainingView } from './types';

export const STAFFING_KEY = ['staffing'] as const;
export const POSTS_KEY = ['posts'] as const;
export const TRAINING_KEY = ['training-hours'] as const;

export function fetchStaffing(org: Id | undefined): Promise<StaffingView> {
  return api.get<StaffingView>('/api/staffing', { org });
}

export function exportStaffing(org: Id | undefined): Promise<DownloadedFile> {
  return downloadFile('/api/staffing/export', { org }, '党务干部配备情况.xlsx');
}

export function setAuthorised(orgId: Id, authorisedFullTime: number): Promise<StaffingRow> {
  return api.put<StaffingRow>(`/api/staffing/${orgId}`, { authorisedFullTime });
}

/** Active posts on the orgs of the subtree. */
export async function fetchPosts(org: Id | undefined): Promise<PostItem[]> {
  return (await api.get<{ items: PostItem[] }>('/api/posts', { org })).items;
}

export function createPost(input: PostCreateInput): Promise<PostItem> {
  return api.post<PostItem>('/api/posts', input);
}

export function endPost(id: Id, endedAt: string): Promise<PostItem> {
  return api.post<PostItem>(`/api/posts/${id}/end`, { endedAt });
}

export function fetchTraining(org: Id | undefined, year: number): Promise<TrainingView> {
  return api.get<TrainingView>('/api/training-hours', { org, year });
}

export function fetchTrainingLedger(memberId: Id, year: number): Promise<TrainingLedger> {
  return api.get<TrainingLedger>(`/api/training-hours/${memberId}`, { year });
}

export function recordTraining(input: TrainingCreateInput): Promise<TrainingEntry> {
  return api.post<TrainingEntry>('/api/training-hours', input);
}
