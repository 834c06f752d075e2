/**
 * The audit log: every login, logout, failure, denial, write, unmask and export becomes a row whose
 * SM3 hash covers its content and the previous row's hash, so an edited or removed row breaks the chain.
 */
import { sm3 } from '../crypto/sm.js';
import type { Db } from '../db/database.js';
import * as repo from './audit.repository.js';

export type AuditResult = 'success' | 'failure' | 'denied';

export interface AuditEntry {
  actorId?: number | null;
  actor: string;
  action: string;
  target?: string | null;
  result: AuditResult;
  ip?: string | null;
  detail?: Record<string, unknown> | null;
}

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  actorId: number | null;
  action: string;
  target: string | null;
  result: string;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

function rowHash(prevHash: string, r: repo.NewAuditRow): string {
  return sm3(JSON.stringify([prevHash, r.at, r.actor_id, r.actor, r.action, r.target, r.result, r.ip, r.detail]));
}

export async function record(db: Db, e: AuditEntry): Promise<void> {
  const row: repo.NewAuditRow = {
    at: new Date().toISOString(),
    actor_id: e.actorId ?? null,
    actor: e.actor,
    action: e.action,
    target: e.target ?? null,
    result: e.result,
    ip: e.ip ?? null,
    detail: e.detail ? JSON.stringify(e.detail) : null,
  };
  await db.transaction().execute(async (trx) => {
    const prev = await repo.lockChainHead(trx);
    await repo.insertRow(trx, { ...row, prev_hash: prev, hash: rowHash(prev, row) });
  });
}

function toItem(r: repo.AuditRow): AuditItem {
  return {
    id: r.id,
    at: r.at,
    actor: r.actor,
    actorId: r.actor_id,
    action: r.action,
    target: r.target,
    result: r.result,
    ip: r.ip,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  };
}

export async function list(db: Db, filter: repo.AuditFilter, page: number, pageSize: number) {
  const { rows, total } = await repo.list(db, filter, (page - 1) * pageSize, pageSize);
  return { items: rows.map(toItem), total };
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: number | null;
  message: string;
}

/** Walks the chain from the first row; reports the first row whose hash or link does not match. */
export async function verifyChain(db: Db): Promise<VerifyResult> {
  let prev = '';
  let checked = 0;
  for await (const r of repo.walk(db)) {
    checked++;
    if (r.prev_hash !== prev) {
      return {
        ok: false,
        checked,
        firstBrokenId: r.id,
        message: `Row ${r.id} does not link to the row before it (a row was removed or inserted)`,
      };
    }
    if (rowHash(prev, r) !== r.hash) {
      return { ok: false, checked, firstBrokenId: r.id, message: `Row ${r.id} was altered after it was written` };
    }
    prev = r.hash;
  }
  return { ok: true, checked, firstBrokenId: null, message: `All ${checked} rows verified` };
}
