/** Security-admin endpoints: roles, grants and the security policy. */
import { api } from './client';
import type { Grant, Id, Page, RoleInfo, RoleKey, SecurityPolicy } from './types';

export async function fetchRoles(): Promise<RoleInfo[]> {
  return (await api.get<{ items: RoleInfo[] }>('/api/roles')).items;
}

export function fetchGrants(userId: Id): Promise<Page<Grant>> {
  return api.get<Page<Grant>>('/api/grants', { userId: String(userId) });
}

export function createGrant(input: { userId: Id; role: RoleKey; orgId?: Id }): Promise<Grant> {
  return api.post<Grant>('/api/grants', input);
}

export function deleteGrant(id: Id): Promise<void> {
  return api.del(`/api/grants/${id}`);
}

export function fetchPolicy(): Promise<SecurityPolicy> {
  return api.get<SecurityPolicy>('/api/security/policy');
}

export function savePolicy(input: SecurityPolicy): Promise<SecurityPolicy> {
  return api.put<SecurityPolicy>('/api/security/policy', input);
}
