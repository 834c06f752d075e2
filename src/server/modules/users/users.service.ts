/** Accounts (系统管理员): create with a one-time password, disable, unlock, reset, end sessions. */

import { checkPassword } from '../../auth/password-policy.js';
import * as sessions from '../../auth/sessions.repository.js';
import { hashPassword } from '../../crypto/sm.js';
import type { Executor } from '../../db/database.js';
import { conflict, notFound } from '../../errors.js';
import * as grants from '../grants/grants.repository.js';
import * as settings from '../settings/settings.service.js';
import * as repo from './users.repository.js';

export interface UserView {
  id: number;
  username: string;
  displayName: string;
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpExempt: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  grants: { id: number; role: string; orgId: number | null; orgName: string | null }[];
}

function toView(u: repo.UserRow, g: grants.GrantRow[]): UserView {
  const locked = !!u.locked_until && Date.parse(u.locked_until) > Date.now();
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    disabled: u.disabled === 1,
    locked,
    lockedUntil: locked ? u.locked_until : null,
    mustChangePassword: u.must_change_password === 1,
    totpEnabled: u.totp_enabled === 1,
    totpExempt: u.totp_exempt === 1,
    lastLoginAt: u.last_login_at,
    createdAt: u.created_at,
    grants: g
      .filter((x) => x.user_id === u.id)
      .map((x) => ({ id: x.id, role: x.role, orgId: x.org_id, orgName: x.org_name })),
  };
}

export async function list(db: Executor, q: string | undefined, page: number, pageSize: number) {
  const { rows, total } = await repo.list(db, q, (page - 1) * pageSize, pageSize);
  const g = await grants.forUsers(
    db,
    rows.map((r) => r.id),
  );
  return { items: rows.map((r) => toView(r, g)), total };
}

export async function get(db: Executor, id: number): Promise<UserView> {
  const u = await repo.findById(db, id);
  if (!u) throw notFound('account');
  return toView(u, await grants.forUser(db, id));
}

export async function create(
  db: Executor,
  input: { username: string; displayName: string; password: string; mustChangePassword?: boolean },
  iterations: number,
  extra: Partial<repo.NewUser> = {},
): Promise<number> {
  if (await repo.findByUsername(db, input.username)) {
    throw conflict('username_taken', `username: 「${input.username}」 is already taken`, 'username');
  }
  checkPassword(input.password, input.username, await settings.getPolicy(db));
  const now = new Date().toISOString();
  const row = await repo.insert(db, {
    username: input.username,
    display_name: input.displayName,
    password_hash: hashPassword(input.password, iterations),
    password_changed_at: now,
    must_change_password: input.mustChangePassword === false ? 0 : 1,
    failed_count: 0,
    locked_until: null,
    disabled: 0,
    totp_secret: null,
    totp_enabled: 0,
    totp_last_step: 0,
    totp_exempt: 0,
    demo: 0,
    last_login_at: null,
    created_at: now,
    updated_at: now,
    ...extra,
  });
  return row.id;
}

export async function update(db: Executor, id: number, patch: { displayName?: string; disabled?: boolean }) {
  const u = await repo.findById(db, id);
  if (!u) throw notFound('account');
  await repo.update(db, id, {
    ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
    ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
    updated_at: new Date().toISOString(),
  });
  // A disabled account loses every session at once.
  if (patch.disabled) await sessions.removeForUser(db, id);
}

export async function unlock(db: Executor, id: number) {
  if (!(await repo.findById(db, id))) throw notFound('account');
  await repo.update(db, id, { locked_until: null, failed_count: 0 });
}

export async function resetPassword(db: Executor, id: number, password: string, iterations: number) {
  const u = await repo.findById(db, id);
  if (!u) throw notFound('account');
  checkPassword(password, u.username, await settings.getPolicy(db));
  await repo.update(db, id, {
    password_hash: hashPassword(password, iterations),
    password_changed_at: new Date().toISOString(),
    must_change_password: 1,
    failed_count: 0,
    locked_until: null,
  });
  await sessions.removeForUser(db, id);
}

export async function revokeSessions(db: Executor, id: number): Promise<number> {
  if (!(await repo.findById(db, id))) throw notFound('account');
  return sessions.removeForUser(db, id);
}
