/** Audit-admin endpoints: the log and its hash-chain check. */
import { api } from './client';
import type { AuditEntry, AuditVerifyResult, Page } from './types';

export interface AuditQuery {
  actor?: string;
  action?: string;
  result?: string;
  from?: string;
  to?: string;
  page: number;
  pageSize: number;
}

export function fetchAudit(query: AuditQuery): Promise<Page<AuditEntry>> {
  return api.get<Page<AuditEntry>>('/api/audit', { ...query });
}

export function verifyAudit(): Promise<AuditVerifyResult> {
  return api.post<AuditVerifyResult>('/api/audit/verify');
}
