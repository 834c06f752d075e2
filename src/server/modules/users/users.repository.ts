/** All SQL of accounts (users table). */
import type { Executor, UserTable } from '../../db/database.js';

export type UserRow = Omit<UserTable, 'id'> & { id: number };
export type NewUser = Omit<UserTable, 'id'>;

export async function findByUsername(db: Executor, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function findById(db: Executor, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insert(db: Executor, user: NewUser): Promise<UserRow> {
  return db.insertInto('users').values(user).returningAll().executeTakeFirstOrThrow();
}

export async function update(db: Executor, id: number, patch: Partial<NewUser>): Promise<void> {
  await db.updateTable('users').set(patch).where('id', '=', id).execute();
}

export async function list(db: Executor, q: string | undefined, offset: number, limit: number) {
  let query = db.selectFrom('users');
  if (q) query = query.where((eb) => eb.or([eb('username', 'like', `%${q}%`), eb('display_name', 'like', `%${q}%`)]));
  const [{ total }] = await query.select((eb) => eb.fn.countAll<number>().as('total')).execute();
  const rows = await query.selectAll().orderBy('username').offset(offset).limit(limit).execute();
  return { rows, total: Number(total) };
}

export async function count(db: Executor): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function memberIdOf(db: Executor, userId: number): Promise<number | null> {
  const r = await db.selectFrom('members').select('id').where('user_id', '=', userId).executeTakeFirst();
  return r?.id ?? null;
}
