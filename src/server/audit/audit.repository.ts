/** All SQL of the audit log. Appends are serialised so the SM3 chain has one order. */
import { sql } from 'kysely';
import type { AuditTable, Executor } from '../db/database.js';
import { isPostgres } from '../db/dialect.js';

export type AuditRow = Omit<AuditTable, 'id'> & { id: number };
export type NewAuditRow = Omit<AuditTable, 'id' | 'prev_hash' | 'hash'>;

/** Takes the chain lock (PostgreSQL; SQLite transactions are already serialised) and returns the last hash. */
export async function lockChainHead(trx: Executor): Promise<string> {
  if (isPostgres(trx)) await sql`SELECT pg_advisory_xact_lock(727274)`.execute(trx);
  const last = await trx.selectFrom('audit_log').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return last?.hash ?? '';
}

export async function insertRow(trx: Executor, row: NewAuditRow & { prev_hash: string; hash: string }) {
  return trx.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow();
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  result?: string;
  from?: string;
  to?: string;
}

export async function list(db: Executor, f: AuditFilter, offset: number, limit: number) {
  let q = db.selectFrom('audit_log');
  if (f.actor) q = q.where('actor', '=', f.actor);
  if (f.action)
    q = f.action.endsWith('.') ? q.where('action', 'like', `${f.action}%`) : q.where('action', '=', f.action);
  if (f.result) q = q.where('result', '=', f.result);
  if (f.from) q = q.where('at', '>=', f.from);
  if (f.to) q = q.where('at', '<', f.to);
  const [{ total }] = await q.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await q.selectAll().orderBy('id', 'desc').offset(offset).limit(limit).execute();
  return { rows: rows as AuditRow[], total: Number(total) };
}

export async function* walk(db: Executor, batch = 2000): AsyncGenerator<AuditRow> {
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('audit_log')
      .selectAll()
      .where('id', '>', after)
      .orderBy('id')
      .limit(batch)
      .execute();
    if (rows.length === 0) return;
    for (const r of rows) yield r as AuditRow;
    after = rows[rows.length - 1]!.id;
  }
}
