/** /api/roles and /api/grants: role definitions and who holds which role where (安全管理员). */
import { z } from 'zod';
import { ROLE_DEFINITIONS, ROLES } from '../../../shared/roles.js';
import { requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { forbidden } from '../../errors.js';
import { idParams } from '../../http.js';
import * as grants from './grants.service.js';

const createBody = z.object({
  userId: z.number().int().positive(),
  role: z.enum(ROLES as [string, ...string[]]).transform((r) => r as (typeof ROLES)[number]),
  orgId: z.number().int().positive().nullable().optional(),
});

export function grantRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['security'];

  app.get('/api/roles', { schema: { tags }, config: { permission: 'grant.manage' } }, async (req) => {
    requirePermission(principal(req), 'grant.manage');
    return { items: ROLES.map((r) => ROLE_DEFINITIONS[r]) };
  });

  app.get(
    '/api/grants',
    {
      schema: { querystring: z.object({ userId: z.coerce.number().int().positive().optional() }), tags },
      config: { permission: 'grant.manage' },
    },
    async (req) => {
      requirePermission(principal(req), 'grant.manage');
      return grants.list(ctx.db, req.query.userId);
    },
  );

  app.post(
    '/api/grants',
    { schema: { body: createBody, tags }, config: { permission: 'grant.manage' } },
    async (req, reply) => {
      const p = principal(req);
      requirePermission(p, 'grant.manage');
      if (req.body.userId === p.userId) throw forbidden('You cannot grant roles to yourself');
      try {
        const id = await ctx.db.transaction().execute((trx) => grants.create(trx, req.body, p.username));
        const g = await grants.get(ctx.db, id);
        await audit(ctx, req, 'grant.create', `user:${g.userId} ${g.username}`, 'success', {
          role: g.role,
          orgId: g.orgId,
        });
        return reply.code(201).send(g);
      } catch (e) {
        await audit(ctx, req, 'grant.create', `user:${req.body.userId}`, 'failure', {
          role: req.body.role,
          reason: e instanceof Error ? e.message : 'error',
        });
        throw e;
      }
    },
  );

  app.delete(
    '/api/grants/:id',
    { schema: { params: idParams, tags }, config: { permission: 'grant.manage' } },
    async (req, reply) => {
      const p = principal(req);
      requirePermission(p, 'grant.manage');
      const current = await grants.get(ctx.db, req.params.id);
      if (current.userId === p.userId) throw forbidden('You cannot remove your own roles');
      const g = await grants.remove(ctx.db, req.params.id);
      await audit(ctx, req, 'grant.delete', `user:${g.userId} ${g.username}`, 'success', {
        role: g.role,
        orgId: g.orgId,
      });
      return reply.code(204).send();
    },
  );
}
