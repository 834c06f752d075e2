/**
 * Logins, lockout, server-side sessions (idle and absolute timeouts), password changes and TOTP second factor.
 * Session tokens are 256-bit random values; the database keeps only their SM3 hash.
 */
import crypto from 'node:crypto';
import * as OTPAuth from 'otpauth';
import QRCode from 'qrcode';
import { isAdminRole, type Role } from '../../shared/roles.js';
import type { SecurityPolicy } from '../../shared/settings.js';
import { DUMMY_PASSWORD_HASH, type FieldCipher, hashPassword, sm3, verifyPassword } from '../crypto/sm.js';
import type { Db, Executor, SessionTable } from '../db/database.js';
import { AppError, badRequest, unauthenticated } from '../errors.js';
import * as grantsRepo from '../modules/grants/grants.repository.js';
import * as settings from '../modules/settings/settings.service.js';
import * as users from '../modules/users/users.repository.js';
import { checkPassword } from './password-policy.js';
import { adminRoleOf, buildPermissions, type Principal, type PrincipalGrant } from './policy.js';
import * as sessions from './sessions.repository.js';

export interface AuthContext {
  db: Db;
  cipher: FieldCipher;
  passwordIterations: number;
}

export interface SessionState {
  sessionId: string;
  csrfToken: string;
  mfaPending: boolean;
  mustChangePassword: boolean;
  passwordExpired: boolean;
  mfaRequired: boolean;
  mfaEnrolled: boolean;
}

export interface Authenticated {
  principal: Principal;
  session: SessionState;
}

export const INVALID_CREDENTIALS = 'Wrong username or password';

function invalidCredentials() {
  return new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS);
}

export async function loadGrants(db: Executor, userId: number): Promise<PrincipalGrant[]> {
  const rows = await grantsRepo.forUser(db, userId);
  return rows.map((g) => ({ id: g.id, role: g.role as Role, orgId: g.org_id, orgName: g.org_name }));
}

function mfaRequiredFor(user: users.UserRow, grants: PrincipalGrant[], policy: SecurityPolicy): boolean {
  if (user.totp_exempt) return false;
  if (policy.totpRequiredForAll) return true;
  return policy.totpRequiredForAdmins && grants.some((g) => isAdminRole(g.role));
}

function passwordExpired(user: users.UserRow, policy: SecurityPolicy, now: Date): boolean {
  if (policy.passwordMaxAgeDays === 0 || user.demo) return false;
  return now.getTime() - Date.parse(user.password_changed_at) > policy.passwordMaxAgeDays * 86400_000;
}

export interface LoginOutcome {
  token: string;
  auth: Authenticated;
}

/** Checks the password, applies lockout, and opens a new session (new id on every login). */
export async function login(
  ctx: AuthContext,
  username: string,
  password: string,
  meta: { ip: string; userAgent: string | undefined },
): Promise<LoginOutcome> {
  const { db } = ctx;
  const policy = await settings.getPolicy(db);
  const now = new Date();
  const user = await users.findByUsername(db, username);
  if (!user) {
    verifyPassword(password, DUMMY_PASSWORD_HASH);
    throw invalidCredentials();
  }
  if (user.locked_until && Date.parse(user.locked_until) > now.getTime()) {
    throw new AppError(
      423,
      'locked',
      `Account locked after repeated failed logins; try again after ${user.locked_until}`,
      undefined,
      {
        lockedUntil: user.locked_until,
      },
    );
  }
  const ok = verifyPassword(password, user.password_hash);
  if (!ok || user.disabled) {
    if (!ok) {
      const failed = (user.locked_until ? 0 : user.failed_count) + 1;
      const lock = failed >= policy.lockoutThreshold;
      await users.update(db, user.id, {
        failed_count: lock ? 0 : failed,
        locked_until: lock ? new Date(now.getTime() + policy.lockoutMinutes * 60_000).toISOString() : null,
      });
      throw new AppError(401, 'invalid_credentials', INVALID_CREDENTIALS, undefined, {
        locked: lock,
        failures: failed,
      });
    }
    throw invalidCredentials();
  }
  const grants = await loadGrants(db, user.id);
  const mfaRequired = mfaRequiredFor(user, grants, policy);
  const token = crypto.randomBytes(32).toString('base64url');
  const row: SessionTable = {
    id: sm3(token),
    user_id: user.id,
    csrf_token: crypto.randomBytes(24).toString('base64url'),
    mfa_pending: mfaRequired ? 1 : 0,
    created_at: now.toISOString(),
    last_seen_at: now.toISOString(),
    expires_at: new Date(now.getTime() + policy.absoluteTimeoutHours * 3600_000).toISOString(),
    ip: meta.ip,
    user_agent: meta.userAgent?.slice(0, 200) ?? null,
  };
  await db.transaction().execute(async (trx) => {
    await sessions.insert(trx, row);
    await users.update(trx, user.id, { failed_count: 0, locked_until: null, last_login_at: now.toISOString() });
  });
  const auth = await principalFor(ctx, user, grants, row, policy, now);
  return { token, auth };
}

async function principalFor(
  ctx: AuthContext,
  user: users.UserRow,
  grants: PrincipalGrant[],
  s: SessionTable,
  policy: SecurityPolicy,
  now: Date,
  /** the user's roster entry when the caller has it already */
  memberId?: number | null,
): Promise<Authenticated> {
  return {
    principal: {
      userId: user.id,
      username: user.username,
      displayName: user.display_name,
      adminRole: adminRoleOf(grants),
      grants,
      permissions: buildPermissions(grants),
      memberId: memberId === undefined ? await users.memberIdOf(ctx.db, user.id) : memberId,
    },
    session: {
      sessionId: s.id,
      csrfToken: s.csrf_token,
      mfaPending: s.mfa_pending === 1,
      mustChangePassword: user.must_change_password === 1,
      passwordExpired: passwordExpired(user, policy, now),
      mfaRequired: mfaRequiredFor(user, grants, policy),
      mfaEnrolled: user.totp_enabled === 1,
    },
  };
}

/** Resolves a session cookie; ends sessions past their idle or absolute timeout. */
export async function authenticate(ctx: AuthContext, token: string): Promise<Authenticated | null> {
  const { db } = ctx;
  const id = sm3(token);
  // one query for session, user, roster entry and grants; the policy comes from a short-lived cache
  const found = await sessions.findForRequest(db, id);
  if (!found) return null;
  const { session: s, user } = found;
  const now = new Date();
  const policy = await settings.getPolicy(db);
  const idleLimit = Date.parse(s.last_seen_at) + policy.idleTimeoutMinutes * 60_000;
  const absoluteLimit = Math.min(
    Date.parse(s.expires_at),
    Date.parse(s.created_at) + policy.absoluteTimeoutHours * 3600_000,
  );
  if (now.getTime() > idleLimit || now.getTime() > absoluteLimit || user.disabled) {
    await sessions.remove(db, id);
    return null;
  }
  // Sliding idle window; write at most once a minute.
  if (now.getTime() - Date.parse(s.last_seen_at) > 60_000) await sessions.touch(db, id, now.toISOString());
  const grants = found.grants.map((g) => ({ id: g.id, role: g.role as Role, orgId: g.org_id, orgName: g.org_name }));
  return principalFor(ctx, user, grants, s, policy, now, found.memberId);
}

export async function logout(db: Db, sessionId: string): Promise<void> {
  await sessions.remove(db, sessionId);
}

export async function changePassword(
  ctx: AuthContext,
  auth: Authenticated,
  currentPassword: string,
  newPassword: string,
): Promise<void> {
  const { db } = ctx;
  const user = await users.findById(db, auth.principal.userId);
  if (!user) throw unauthenticated();
  if (!verifyPassword(currentPassword, user.password_hash)) {
    throw new AppError(400, 'validation', 'currentPassword: is not your current password', 'currentPassword');
  }
  const policy = await settings.getPolicy(db);
  checkPassword(newPassword, user.username, policy, 'newPassword');
  if (verifyPassword(newPassword, user.password_hash)) {
    throw new AppError(400, 'validation', 'newPassword: must differ from the current password', 'newPassword');
  }
  await db.transaction().execute(async (trx) => {
    await users.update(trx, user.id, {
      password_hash: hashPassword(newPassword, ctx.passwordIterations),
      password_changed_at: new Date().toISOString(),
      must_change_password: 0,
      updated_at: new Date().toISOString(),
    });
    // A password change ends every other session of the user.
    await sessions.removeForUser(trx, user.id, auth.session.sessionId);
  });
}

// ---- TOTP -----------------------------------------------------------------------

function totpFor(secret: string, username: string) {
  return new OTPAuth.TOTP({
    issuer: 'DangJian',
    label: username,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
}

/** Starts (or restarts) enrolment: a new secret, stored encrypted, not active until a code confirms it. */
export async function totpSetup(ctx: AuthContext, auth: Authenticated) {
  const user = await users.findById(ctx.db, auth.principal.userId);
  if (!user) throw unauthenticated();
  if (user.totp_enabled) throw new AppError(409, 'totp_enabled', 'Two-factor authentication is already enabled');
  const secret = new OTPAuth.Secret({ size: 20 }).base32;
  await users.update(ctx.db, user.id, { totp_secret: ctx.cipher.encrypt(secret) });
  const otpauthUrl = totpFor(secret, user.username).toString();
  const qrDataUrl = await QRCode.toDataURL(otpauthUrl, { margin: 1, width: 220 });
  return { secret, otpauthUrl, qrDataUrl };
}

/** Accepts a code of the current step ±1 that is newer than the last accepted one (no replay), and records it. */
async function checkCode(ctx: AuthContext, user: users.UserRow, code: string): Promise<boolean> {
  if (!user.totp_secret) return false;
  const secret = ctx.cipher.decrypt(user.totp_secret);
  const delta = totpFor(secret, user.username).validate({ token: code, window: 1 });
  if (delta === null) return false;
  const step = Math.floor(Date.now() / 30_000) + delta;
  if (step <= user.totp_last_step) return false;
  await users.update(ctx.db, user.id, { totp_last_step: step });
  return true;
}

export async function totpEnable(ctx: AuthContext, auth: Authenticated, code: string): Promise<void> {
  const user = await users.findById(ctx.db, auth.principal.userId);
  if (!user) throw unauthenticated();
  if (!user.totp_secret) throw badRequest('totp_not_started', 'Start the set-up first');
  if (!(await checkCode(ctx, user, code)))
    throw new AppError(400, 'totp_invalid', 'code: the code is wrong or expired', 'code');
  await users.update(ctx.db, user.id, { totp_enabled: 1 });
  await sessions.clearMfa(ctx.db, auth.session.sessionId);
}

export async function totpVerify(ctx: AuthContext, auth: Authenticated, code: string): Promise<void> {
  const user = await users.findById(ctx.db, auth.principal.userId);
  if (!user) throw unauthenticated();
  if (!user.totp_enabled) throw badRequest('totp_not_enabled', 'Two-factor authentication is not set up yet');
  if (!(await checkCode(ctx, user, code)))
    throw new AppError(400, 'totp_invalid', 'code: the code is wrong or expired', 'code');
  await sessions.clearMfa(ctx.db, auth.session.sessionId);
}

/** For tests and the CLI: the current code of a user's secret. */
export function currentTotp(secret: string): string {
  return totpFor(secret, 'x').generate();
}
