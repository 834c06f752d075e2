/** All SQL of server-side sessions. Only the SM3 hash of a session token is stored. */
import type { Executor, SessionTable } from '../db/database.js';

export async function insert(db: Executor, s: SessionTable): Promise<void> {
  await db.insertInto('sessions').values(s).execute();
}

export async function find(db: Executor, id: string): Promise<SessionTable | undefined> {
  return db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function touch(db: Executor, id: string, at: string): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', id).execute();
}

export async function clearMfa(db: Executor, id: string): Promise<void> {
  await db.updateTable('sessions').set({ mfa_pending: 0 }).where('id', '=', id).execute();
}

export async function remove(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', id).execute();
}

/** Ends every session of a user, or every one but `keep`. Returns how many ended. */
export async function removeForUser(db: Executor, userId: number, keep?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id', '!=', keep);
  const r = await q.executeTakeFirst();
  return Number(r.numDeletedRows);
}

export async function removeExpired(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<', now).execute();
}
