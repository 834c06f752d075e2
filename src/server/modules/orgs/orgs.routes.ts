/** /api/orgs: the organisation tree, scoped to the caller's subtrees. */
import { z } from 'zod';
import { orgCreateSchema, orgMoveSchema, orgUpdateSchema } from '../../../shared/orgs.js';
import { authorizeOrg, grantRoots, requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { forbidden } from '../../errors.js';
import { idParams, paging } from '../../http.js';
import * as orgs from './orgs.service.js';

const listQuery = z.object({
  ...paging,
  parentId: z.coerce.number().int().positive().optional(),
  root: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(50).optional(),
  termStatus: z.enum(['due', 'due_soon', 'overdue']).optional(),
});

export function orgRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['orgs'];

  app.get(
    '/api/orgs',
    { schema: { querystring: listQuery, tags }, config: { permission: 'org.read' } },
    async (req) => {
      const scope = requirePermission(principal(req), 'org.read');
      const { page, pageSize, ...filter } = req.query;
      return orgs.list(ctx.db, scope, filter, page, pageSize);
    },
  );

  app.get('/api/orgs/:id', { schema: { params: idParams, tags }, config: { permission: 'org.read' } }, async (req) => {
    await authorizeOrg(ctx.db, principal(req), 'org.read', req.params.id);
    return orgs.get(ctx.db, req.params.id);
  });

  app.post(
    '/api/orgs',
    { schema: { body: orgCreateSchema, tags }, config: { permission: 'org.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'org.write', req.body.parentId);
      const id = await ctx.db.transaction().execute((trx) => orgs.create(trx, req.body));
      const created = await orgs.get(ctx.db, id);
      await audit(ctx, req, 'org.create', `org:${id} ${created.name}`, 'success', { parentId: req.body.parentId });
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/api/orgs/:id',
    { schema: { params: idParams, body: orgUpdateSchema, tags }, config: { permission: 'org.write' } },
    async (req) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'org.write', req.params.id);
      await ctx.db.transaction().execute((trx) => orgs.update(trx, req.params.id, req.body));
      const updated = await orgs.get(ctx.db, req.params.id);
      await audit(ctx, req, 'org.update', `org:${updated.id} ${updated.name}`, 'success', {
        fields: Object.keys(req.body),
      });
      return updated;
    },
  );

  app.post(
    '/api/orgs/:id/move',
    { schema: { params: idParams, body: orgMoveSchema, tags }, config: { permission: 'org.write' } },
    async (req) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'org.write', req.params.id);
      // The top of one's own scope belongs to the level above: it cannot be moved away from it.
      if (grantRoots(p, 'org.write').includes(req.params.id)) {
        throw forbidden('Your own top organisation can only be moved by the level above');
      }
      await authorizeOrg(ctx.db, p, 'org.write', req.body.parentId);
      const before = await orgs.get(ctx.db, req.params.id);
      await ctx.db.transaction().execute((trx) => orgs.move(trx, req.params.id, req.body.parentId));
      const moved = await orgs.get(ctx.db, req.params.id);
      await audit(ctx, req, 'org.move', `org:${moved.id} ${moved.name}`, 'success', {
        from: before.parentId,
        to: moved.parentId,
      });
      return moved;
    },
  );

  app.delete(
    '/api/orgs/:id',
    { schema: { params: idParams, tags }, config: { permission: 'org.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'org.write', req.params.id);
      if (grantRoots(p, 'org.write').includes(req.params.id)) {
        throw forbidden('Your own top organisation can only be deleted by the level above');
      }
      const org = await orgs.get(ctx.db, req.params.id);
      try {
        await ctx.db.transaction().execute((trx) => orgs.remove(trx, req.params.id));
      } catch (e) {
        await audit(ctx, req, 'org.delete', `org:${org.id} ${org.name}`, 'failure', {
          reason: e instanceof Error ? e.message : 'error',
        });
        throw e;
      }
      await audit(ctx, req, 'org.delete', `org:${org.id} ${org.name}`);
      return reply.code(204).send();
    },
  );
}
