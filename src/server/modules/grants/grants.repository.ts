/** All SQL of role grants. */
import type { Executor } from '../../db/database.js';

export interface GrantRow {
  id: number;
  user_id: number;
  username: string;
  role: string;
  org_id: number | null;
  org_name: string | null;
  created_at: string;
}

function base(db: Executor) {
  return db
    .selectFrom('grants')
    .innerJoin('users', 'users.id', 'grants.user_id')
    .leftJoin('orgs', 'orgs.id', 'grants.org_id')
    .select([
      'grants.id',
      'grants.user_id',
      'users.username',
      'grants.role',
      'grants.org_id',
      'orgs.name as org_name',
      'grants.created_at',
    ]);
}

export async function forUser(db: Executor, userId: number): Promise<GrantRow[]> {
  return base(db).where('grants.user_id', '=', userId).orderBy('grants.id').execute();
}

export async function forUsers(db: Executor, userIds: number[]): Promise<GrantRow[]> {
  if (userIds.length === 0) return [];
  return base(db).where('grants.user_id', 'in', userIds).orderBy('grants.id').execute();
}

export async function list(db: Executor, userId: number | undefined): Promise<GrantRow[]> {
  let q = base(db);
  if (userId) q = q.where('grants.user_id', '=', userId);
  return q.orderBy('users.username').orderBy('grants.id').execute();
}

export async function findById(db: Executor, id: number): Promise<GrantRow | undefined> {
  return base(db).where('grants.id', '=', id).executeTakeFirst();
}

export async function insert(
  db: Executor,
  g: { user_id: number; role: string; org_id: number | null; created_by: string },
): Promise<number> {
  const r = await db
    .insertInto('grants')
    .values({ ...g, created_at: new Date().toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export async function remove(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('grants').where('id', '=', id).execute();
}

export async function countForOrg(db: Executor, orgId: number): Promise<number> {
  const r = await db
    .selectFrom('grants')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_id', '=', orgId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
