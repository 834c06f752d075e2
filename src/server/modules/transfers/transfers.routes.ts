/**
 * /api/transfers (issue 3): 组织关系转接, all with transfer.manage. A transfer is visible to both sides (the
 * sending org or the receiving org in the caller's scope); only the receiving side accepts or returns it (the
 * sending side gets 403: it can see the transfer); a caller on neither side gets 404.
 */
import { z } from 'zod';
import { TRANSFER_STATUSES, transferCreateSchema, transferReturnSchema } from '../../../shared/transfers.js';
import { orgInScope, type Principal, requirePermission, ScopeDenied } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { forbidden } from '../../errors.js';
import { idParams, paging } from '../../http.js';
import * as posts from '../staffing/posts.service.js';
import { authorizeRoster, listScope } from '../staffing/scope.js';
import { letterHtml } from './transfers.letter.js';
import * as transfers from './transfers.service.js';

const listQuery = z.object({
  ...paging,
  org: z.coerce.number().int().positive().optional(),
  direction: z.enum(['out', 'in']).optional(),
  status: z.enum(TRANSFER_STATUSES).optional(),
  /** only pending transfers past their receipt date */
  overdue: z.enum(['1', 'true']).optional(),
  memberId: z.coerce.number().int().positive().optional(),
});

const destinationsQuery = z.object({
  q: z.string().trim().max(50).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Which sides of a transfer the caller manages. */
async function sides(db: Executor, p: Principal, t: { from_org_id: number; to_org_id: number | null }) {
  const from = await orgInScope(db, p, 'transfer.manage', t.from_org_id);
  const to = t.to_org_id !== null && (await orgInScope(db, p, 'transfer.manage', t.to_org_id));
  return { from, to };
}

/**
 * Loads a transfer for a decision: neither side → 404; the sending side only, of an internal transfer → 403
 * (an external one has nothing to decide: the service answers 409).
 */
async function forDecision(db: Executor, p: Principal, id: number) {
  const t = await transfers.find(db, id);
  const s = await sides(db, p, t);
  if (!s.from && !s.to) throw new ScopeDenied('transfer');
  if (!s.to && t.kind === 'internal') {
    throw forbidden('Only the receiving organisation can accept or return this transfer');
  }
  return t;
}

export function transferRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['transfers'];

  app.get(
    '/api/transfers',
    { schema: { querystring: listQuery, tags }, config: { permission: 'transfer.manage' } },
    async (req) => {
      const p = principal(req);
      const { page, pageSize, org, overdue, ...filter } = req.query;
      const scope = await listScope(ctx.db, p, 'transfer.manage', org);
      const callerScope = requirePermission(p, 'transfer.manage');
      return transfers.list(ctx.db, scope, callerScope, { ...filter, overdue: overdue !== undefined }, page, pageSize);
    },
  );

  app.get(
    '/api/transfers/destinations',
    { schema: { querystring: destinationsQuery, tags }, config: { permission: 'transfer.manage' } },
    async (req) => transfers.destinations(ctx.db, req.query.q || undefined, req.query.limit),
  );

  app.post(
    '/api/transfers',
    { schema: { body: transferCreateSchema, tags }, config: { permission: 'transfer.manage' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeRoster(ctx.db, p, 'transfer.manage', await posts.memberOrgId(ctx.db, req.body.memberId), 'member');
      const id = await ctx.db.transaction().execute((trx) => transfers.start(trx, req.body, p.username));
      const t = await transfers.find(ctx.db, id);
      const decides = (await sides(ctx.db, p, t)).to;
      await audit(ctx, req, 'transfer.start', `transfer:${id} member:${t.member_id}`, 'success', {
        kind: t.kind,
        from: t.from_org_id,
        to: t.to_org_id ?? t.external_org_name,
        status: t.status,
      });
      return reply.code(201).send(await transfers.present(ctx.db, id, decides));
    },
  );

  app.post(
    '/api/transfers/:id/accept',
    { schema: { params: idParams, tags }, config: { permission: 'transfer.manage' } },
    async (req) => {
      const p = principal(req);
      const t = await forDecision(ctx.db, p, req.params.id);
      await ctx.db.transaction().execute((trx) => transfers.accept(trx, t.id, p.username));
      await audit(ctx, req, 'transfer.accept', `transfer:${t.id} member:${t.member_id}`, 'success', {
        from: t.from_org_id,
        to: t.to_org_id,
      });
      return transfers.present(ctx.db, t.id, true);
    },
  );

  app.post(
    '/api/transfers/:id/return',
    { schema: { params: idParams, body: transferReturnSchema, tags }, config: { permission: 'transfer.manage' } },
    async (req) => {
      const p = principal(req);
      const t = await forDecision(ctx.db, p, req.params.id);
      await ctx.db.transaction().execute((trx) => transfers.returnTransfer(trx, t.id, req.body.reason, p.username));
      await audit(ctx, req, 'transfer.return', `transfer:${t.id} member:${t.member_id}`, 'success', {
        from: t.from_org_id,
        to: t.to_org_id,
        reason: req.body.reason,
      });
      return transfers.present(ctx.db, t.id, true);
    },
  );

  app.get(
    '/api/transfers/:id/letter',
    { schema: { params: idParams, tags }, config: { permission: 'transfer.manage' } },
    async (req, reply) => {
      const p = principal(req);
      const t = await transfers.find(ctx.db, req.params.id);
      const s = await sides(ctx.db, p, t);
      if (!s.from && !s.to) throw new ScopeDenied('transfer');
      const member = await transfers.letterMember(ctx.db, t.member_id);
      await audit(ctx, req, 'transfer.letter', `transfer:${t.id} member:${t.member_id}`, 'success', {
        letterNo: t.letter_no,
      });
      return reply.type('text/html; charset=utf-8').send(letterHtml(t, member));
    },
  );
}
