/** Organisation tree and division look-ups. */
import { api } from './client';
import type { Division, Id, Org, OrgInput, Page } from './types';

export const ALL_ORGS_PAGE_SIZE = 10000;

export function fetchAllOrgs(): Promise<Page<Org>> {
  return api.get<Page<Org>>('/api/orgs', { pageSize: ALL_ORGS_PAGE_SIZE });
}

export function fetchDueOrgs(): Promise<Page<Org>> {
  return api.get<Page<Org>>('/api/orgs', { termStatus: 'due', pageSize: ALL_ORGS_PAGE_SIZE });
}

export function createOrg(input: OrgInput & { parentId: Id }): Promise<Org> {
  return api.post<Org>('/api/orgs', input);
}

export function updateOrg(id: Id, input: OrgInput): Promise<Org> {
  return api.patch<Org>(`/api/orgs/${id}`, input);
}

export function moveOrg(id: Id, parentId: Id): Promise<Org> {
  return api.post<Org>(`/api/orgs/${id}/move`, { parentId });
}

export function deleteOrg(id: Id): Promise<void> {
  return api.del(`/api/orgs/${id}`);
}

export async function fetchDivisions(parent: string): Promise<Division[]> {
  return (await api.get<{ items: Division[] }>('/api/divisions', { parent })).items;
}
