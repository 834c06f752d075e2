/** System-admin endpoints: accounts and platform settings. */
import { api } from './client';
import type { AdminUser, Id, Page, PlatformSettings } from './types';

export interface UserQuery {
  q?: string;
  page: number;
  pageSize: number;
}

export function fetchUsers(query: UserQuery): Promise<Page<AdminUser>> {
  return api.get<Page<AdminUser>>('/api/users', { ...query });
}

export function createUser(input: { username: string; displayName: string; password: string }): Promise<AdminUser> {
  return api.post<AdminUser>('/api/users', input);
}

export function updateUser(id: Id, input: { displayName?: string; disabled?: boolean }): Promise<AdminUser> {
  return api.patch<AdminUser>(`/api/users/${id}`, input);
}

export function unlockUser(id: Id): Promise<unknown> {
  return api.post<unknown>(`/api/users/${id}/unlock`);
}

export function resetPassword(id: Id, password: string): Promise<unknown> {
  return api.post<unknown>(`/api/users/${id}/reset-password`, { password });
}

export function revokeSessions(id: Id): Promise<unknown> {
  return api.post<unknown>(`/api/users/${id}/revoke-sessions`);
}

export function fetchSettings(): Promise<PlatformSettings> {
  return api.get<PlatformSettings>('/api/settings');
}

export function saveSettings(input: PlatformSettings): Promise<PlatformSettings> {
  return api.put<PlatformSettings>('/api/settings', input);
}
