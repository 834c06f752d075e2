/** 组织关系转接 (`/api/transfers`). */
import type { TransferCreateInput } from '../../shared/transfers';
import { api } from './client';
import type { Id, Page, TransferDestination, TransferItem, TransferStatus } from './types';

export const TRANSFERS_KEY = ['transfers'] as const;

export interface TransferQuery {
  org?: Id;
  direction?: 'out' | 'in';
  status?: TransferStatus;
  overdue?: boolean;
  memberId?: Id;
  page: number;
  pageSize: number;
}

export function fetchTransfers(query: TransferQuery): Promise<Page<TransferItem>> {
  return api.get<Page<TransferItem>>('/api/transfers', { ...query, overdue: query.overdue ? 1 : undefined });
}

/** 党支部 anywhere in the platform (names only), to pick the receiving branch. */
export async function fetchDestinations(q: string): Promise<TransferDestination[]> {
  return (await api.get<{ items: TransferDestination[] }>('/api/transfers/destinations', { q, limit: 20 })).items;
}

export function startTransfer(input: TransferCreateInput): Promise<TransferItem> {
  return api.post<TransferItem>('/api/transfers', input);
}

export function acceptTransfer(id: Id): Promise<TransferItem> {
  return api.post<TransferItem>(`/api/transfers/${id}/accept`);
}

export function returnTransfer(id: Id, reason: string): Promise<TransferItem> {
  return api.post<TransferItem>(`/api/transfers/${id}/return`, { reason });
}

/** The printable 介绍信 (HTML, opened in a new tab; audited). */
export function letterUrl(id: Id): string {
  return `/api/transfers/${id}/letter`;
}
