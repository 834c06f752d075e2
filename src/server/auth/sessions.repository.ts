/** All SQL of server-side sessions. Only the SM3 hash of a session token is stored. */
import type { CompiledQuery } from 'kysely';
import type { Executor, SessionTable } from '../db/database.js';
import type { GrantRow } from '../modules/grants/grants.repository.js';
import type { UserRow } from '../modules/users/users.repository.js';

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

export interface RequestIdentityRow {
  session: SessionTable;
  user: UserRow;
  memberId: number | null;
  grants: GrantRow[];
}

/**
 * Everything the request gate needs about a session token in ONE query: the session, its user, the user's roster
 * entry and grants (one row per grant). Every API request runs it, so it is one round trip on PostgreSQL.
 */
function requestIdentityQuery(db: Executor, id: string) {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .leftJoin('members as m', 'm.user_id', 'u.id')
    .leftJoin('grants as g', 'g.user_id', 'u.id')
    .leftJoin('orgs as o', 'o.id', 'g.org_id')
    .selectAll('u')
    .select([
      's.id as s_id',
      's.csrf_token as s_csrf_token',
      's.mfa_pending as s_mfa_pending',
      's.created_at as s_created_at',
      's.last_seen_at as s_last_seen_at',
      's.expires_at as s_expires_at',
      's.ip as s_ip',
      's.user_agent as s_user_agent',
      'm.id as member_id',
      'g.id as g_id',
      'g.role as g_role',
      'g.org_id as g_org_id',
      'g.created_at as g_created_at',
      'o.name as g_org_name',
    ])
    .where('s.id', '=', id)
    .orderBy('g.id');
}
type RequestIdentityQuery = ReturnType<typeof requestIdentityQuery>;
type IdentityRow = RequestIdentityQuery extends { execute(): Promise<(infer R)[]> } ? R : never;

/** Building and compiling the query costs more than running it: compiled once per database handle. */
const compiledIdentity = new WeakMap<object, CompiledQuery<IdentityRow>>();

/**
 * Everything the request gate needs about a session token in ONE query: the session, its user, the user's roster
 * entry and grants (one row per grant). Every API request runs it, so it is one round trip on PostgreSQL.
 */
export async function findForRequest(db: Executor, id: string): Promise<RequestIdentityRow | undefined> {
  let compiled = compiledIdentity.get(db);
  if (!compiled) {
    compiled = requestIdentityQuery(db, '').compile();
    compiledIdentity.set(db, compiled);
  }
  const { rows } = await db.executeQuery<IdentityRow>({ ...compiled, parameters: [id] });
  const first = rows[0];
  if (!first) return undefined;
  const {
    s_id,
    s_csrf_token,
    s_mfa_pending,
    s_created_at,
    s_last_seen_at,
    s_expires_at,
    s_ip,
    s_user_agent,
    member_id,
    g_id: _gid,
    g_role: _grole,
    g_org_id: _gorg,
    g_created_at: _gcreated,
    g_org_name: _gname,
    ...user
  } = first;
  const grants: GrantRow[] = [];
  const seen = new Set<number>();
  for (const r of rows) {
    if (r.g_id === null || r.g_role === null || r.g_created_at === null || seen.has(r.g_id)) continue;
    seen.add(r.g_id);
    grants.push({
      id: r.g_id,
      user_id: user.id,
      username: user.username,
      role: r.g_role,
      org_id: r.g_org_id,
      org_name: r.g_org_name,
      created_at: r.g_created_at,
    });
  }
  return {
    session: {
      id: s_id,
      user_id: user.id,
      csrf_token: s_csrf_token,
      mfa_pending: s_mfa_pending,
      created_at: s_created_at,
      last_seen_at: s_last_seen_at,
      expires_at: s_expires_at,
      ip: s_ip,
      user_agent: s_user_agent,
    },
    user,
    memberId: member_id,
    grants,
  };
}
