/** /api/auth: login, logout, me, password change, TOTP enrolment and verification. */
import { z } from 'zod';
import { ROLE_DEFINITIONS } from '../../shared/roles.js';
import { type AppContext, audit, type TypedApp } from '../context.js';
import { AppError, unauthenticated } from '../errors.js';
import * as orgsRepo from '../modules/orgs/orgs.repository.js';
import {
  type Authenticated,
  changePassword,
  login,
  logout,
  totpEnable,
  totpSetup,
  totpVerify,
} from './auth.service.js';
import { scopeOf } from './policy.js';

export const SESSION_COOKIE = 'dj_sid';
export function cookieName(secure: boolean): string {
  return secure ? `__Host-${SESSION_COOKIE}` : SESSION_COOKIE;
}

/** The user as the client sees it. */
export async function presentUser(ctx: AppContext, a: Authenticated) {
  const p = a.principal;
  const readScope = scopeOf(p, 'org.read');
  const rootIds = readScope && !readScope.all ? readScope.roots : [];
  const roots = [];
  for (const id of rootIds) {
    const o = await orgsRepo.findById(ctx.db, id);
    if (o) roots.push({ id: o.id, name: o.name, kind: o.kind });
  }
  return {
    id: p.userId,
    username: p.username,
    displayName: p.displayName,
    adminRole: p.adminRole,
    grants: p.grants.map((g) => ({ ...g, admin: ROLE_DEFINITIONS[g.role].admin })),
    permissions: [...p.permissions].sort(),
    scopeAll: readScope?.all === true,
    scopeRoots: roots,
    memberId: p.memberId,
    mustChangePassword: a.session.mustChangePassword,
    passwordExpired: a.session.passwordExpired,
    mfa: { required: a.session.mfaRequired, enrolled: a.session.mfaEnrolled, pending: a.session.mfaPending },
  };
}

const loginBody = z.object({ username: z.string().trim().min(1).max(64), password: z.string().min(1).max(128) });
const codeBody = z.object({ code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
const passwordBody = z.object({ currentPassword: z.string().min(1), newPassword: z.string().min(1).max(128) });

function requireAuth(a: Authenticated | null): Authenticated {
  if (!a) throw unauthenticated();
  return a;
}

export function authRoutes(app: TypedApp, ctx: AppContext) {
  const cookie = cookieName(ctx.config.cookieSecure);
  const cookieOpts = {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.cookieSecure,
  };

  app.post(
    '/api/auth/login',
    {
      schema: { body: loginBody, tags: ['auth'], summary: 'Log in; sets the session cookie' },
      config: {
        public: true,
        noCsrf: true,
        permission: 'public',
        rateLimit: { max: ctx.config.loginRateLimit, timeWindow: '1 minute' },
      },
    },
    async (req, reply) => {
      const { username, password } = req.body;
      try {
        const { token, auth } = await login(ctx.auth, username, password, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
        });
        req.auth = auth;
        await audit(
          ctx,
          req,
          'auth.login',
          username,
          'success',
          auth.session.mfaPending ? { mfa: 'pending' } : undefined,
        );
        reply.setCookie(cookie, token, cookieOpts);
        return { user: await presentUser(ctx, auth), csrfToken: auth.session.csrfToken };
      } catch (e) {
        if (e instanceof AppError) {
          const action = e.status === 423 ? 'auth.login_locked' : 'auth.login_failed';
          await audit(ctx, req, action, username, 'failure', {
            reason: e.code,
            ...(typeof e.details === 'object' && e.details ? (e.details as Record<string, unknown>) : {}),
          });
          if (e.details && (e.details as { locked?: boolean }).locked) {
            await audit(ctx, req, 'auth.account_locked', username, 'success');
          }
          // Never tell the client more than the message.
          if (e.code === 'invalid_credentials') throw new AppError(401, 'invalid_credentials', e.message);
        }
        throw e;
      }
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'] }, config: { allowPending: true, permission: 'session' } },
    async (req, reply) => {
      const a = requireAuth(req.auth);
      await logout(ctx.db, a.session.sessionId);
      await audit(ctx, req, 'auth.logout', a.principal.username);
      reply.clearCookie(cookie, cookieOpts);
      reply.header('Clear-Site-Data', '"cache", "cookies", "storage"');
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    { schema: { tags: ['auth'] }, config: { allowPending: true, permission: 'session' } },
    async (req) => {
      const a = requireAuth(req.auth);
      return { user: await presentUser(ctx, a), csrfToken: a.session.csrfToken };
    },
  );

  app.post(
    '/api/auth/password',
    { schema: { body: passwordBody, tags: ['auth'] }, config: { allowPending: true, permission: 'session' } },
    async (req, reply) => {
      const a = requireAuth(req.auth);
      try {
        await changePassword(ctx.auth, a, req.body.currentPassword, req.body.newPassword);
      } catch (e) {
        await audit(ctx, req, 'auth.password_change', a.principal.username, 'failure', {
          reason: e instanceof AppError ? e.message : 'error',
        });
        throw e;
      }
      await audit(ctx, req, 'auth.password_change', a.principal.username);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/auth/totp/setup',
    { schema: { tags: ['auth'] }, config: { allowPending: true, permission: 'session' } },
    async (req) => {
      const a = requireAuth(req.auth);
      const r = await totpSetup(ctx.auth, a);
      await audit(ctx, req, 'auth.totp_setup', a.principal.username);
      return r;
    },
  );

  app.post(
    '/api/auth/totp/enable',
    { schema: { body: codeBody, tags: ['auth'] }, config: { allowPending: true, permission: 'session' } },
    async (req, reply) => {
      const a = requireAuth(req.auth);
      try {
        await totpEnable(ctx.auth, a, req.body.code);
      } catch (e) {
        await audit(ctx, req, 'auth.totp_enable', a.principal.username, 'failure');
        throw e;
      }
      await audit(ctx, req, 'auth.totp_enable', a.principal.username);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/auth/totp/verify',
    { schema: { body: codeBody, tags: ['auth'] }, config: { allowPending: true, permission: 'session' } },
    async (req, reply) => {
      const a = requireAuth(req.auth);
      try {
        await totpVerify(ctx.auth, a, req.body.code);
      } catch (e) {
        await audit(ctx, req, 'auth.totp_verify', a.principal.username, 'failure');
        throw e;
      }
      await audit(ctx, req, 'auth.totp_verify', a.principal.username);
      return reply.code(204).send();
    },
  );
}
