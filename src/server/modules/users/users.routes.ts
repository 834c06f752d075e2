/** /api/users: accounts, for the 系统管理员 (the 安全管理员 may list them to grant roles and end sessions). */
import { z } from 'zod';
import { requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { idParams, paging } from '../../http.js';
import * as users from './users.service.js';

const username = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_.-]{2,31}$/, 'must be 3–32 lower-case letters, digits, _ . - and start with a letter');
const createBody = z.object({
  username,
  displayName: z.string().trim().min(1).max(50),
  password: z.string().min(1).max(128),
});
const patchBody = z.object({
  displayName: z.string().trim().min(1).max(50).optional(),
  disabled: z.boolean().optional(),
});

export function userRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['accounts'];
  const it = ctx.config.passwordIterations;

  app.get(
    '/api/users',
    {
      schema: { querystring: z.object({ ...paging, q: z.string().trim().max(50).optional() }), tags },
      config: { permission: 'user.read' },
    },
    async (req) => {
      requirePermission(principal(req), 'user.read');
      return users.list(ctx.db, req.query.q, req.query.page, req.query.pageSize);
    },
  );

  app.post(
    '/api/users',
    { schema: { body: createBody, tags }, config: { permission: 'user.manage' } },
    async (req, reply) => {
      requirePermission(principal(req), 'user.manage');
      const id = await users.create(ctx.db, req.body, it);
      await audit(ctx, req, 'user.create', `user:${id} ${req.body.username}`);
      return reply.code(201).send(await users.get(ctx.db, id));
    },
  );

  app.patch(
    '/api/users/:id',
    { schema: { params: idParams, body: patchBody, tags }, config: { permission: 'user.manage' } },
    async (req) => {
      requirePermission(principal(req), 'user.manage');
      await users.update(ctx.db, req.params.id, req.body);
      const u = await users.get(ctx.db, req.params.id);
      await audit(
        ctx,
        req,
        req.body.disabled === true ? 'user.disable' : 'user.update',
        `user:${u.id} ${u.username}`,
        'success',
        {
          fields: Object.keys(req.body),
        },
      );
      return u;
    },
  );

  app.post(
    '/api/users/:id/unlock',
    { schema: { params: idParams, tags }, config: { permission: 'user.manage' } },
    async (req) => {
      requirePermission(principal(req), 'user.manage');
      await users.unlock(ctx.db, req.params.id);
      const u = await users.get(ctx.db, req.params.id);
      await audit(ctx, req, 'user.unlock', `user:${u.id} ${u.username}`);
      return u;
    },
  );

  app.post(
    '/api/users/:id/reset-password',
    {
      schema: { params: idParams, body: z.object({ password: z.string().min(1).max(128) }), tags },
      config: { permission: 'user.manage' },
    },
    async (req) => {
      requirePermission(principal(req), 'user.manage');
      await users.resetPassword(ctx.db, req.params.id, req.body.password, it);
      const u = await users.get(ctx.db, req.params.id);
      await audit(ctx, req, 'user.reset_password', `user:${u.id} ${u.username}`);
      return u;
    },
  );

  app.post(
    '/api/users/:id/revoke-sessions',
    { schema: { params: idParams, tags }, config: { permission: 'session.revoke' } },
    async (req) => {
      requirePermission(principal(req), 'session.revoke');
      const ended = await users.revokeSessions(ctx.db, req.params.id);
      await audit(ctx, req, 'user.revoke_sessions', `user:${req.params.id}`, 'success', { ended });
      return { ended };
    },
  );
}
