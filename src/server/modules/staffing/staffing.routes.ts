/**
 * /api/posts, /api/staffing, /api/training-hours (issue 3): party-affairs cadres, 编制 and the staffing view,
 * the training-hours ledger. Lists of people need member.read, the staffing figures staffing.read; posts and
 * hours are recorded with member.write, 编制 set with staffing.write. Outside scope → 404.
 */
import { z } from 'zod';
import {
  postCreateSchema,
  postEndSchema,
  staffingUpdateSchema,
  trainingCreateSchema,
} from '../../../shared/staffing.js';
import { authorizeOrg } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { idParams } from '../../http.js';
import * as posts from './posts.service.js';
import { authorizeRoster, listScope } from './scope.js';
import { staffingWorkbook } from './staffing.export.js';
import * as staffing from './staffing.service.js';
import * as training from './training.service.js';

const orgQuery = z.object({ org: z.coerce.number().int().positive().optional() });
const yearQuery = { year: z.coerce.number().int().min(2000).max(2100).optional() };
const orgIdParams = z.object({ orgId: z.coerce.number().int().positive() });
const memberIdParams = z.object({ memberId: z.coerce.number().int().positive() });

export function staffingRoutes(app: TypedApp, ctx: AppContext) {
  // ---- party posts / party-affairs cadres ------------------------------------------------------------------
  app.get(
    '/api/posts',
    { schema: { querystring: orgQuery, tags: ['staffing'] }, config: { permission: 'member.read' } },
    async (req) => {
      const scope = await listScope(ctx.db, principal(req), 'member.read', req.query.org);
      return { items: await posts.listActive(ctx.db, scope) };
    },
  );

  app.post(
    '/api/posts',
    { schema: { body: postCreateSchema, tags: ['staffing'] }, config: { permission: 'member.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeRoster(ctx.db, p, 'member.write', await posts.memberOrgId(ctx.db, req.body.memberId), 'member');
      await authorizeOrg(ctx.db, p, 'member.write', req.body.orgId);
      const id = await ctx.db.transaction().execute((trx) => posts.create(trx, req.body, p.username));
      const created = await posts.get(ctx.db, id);
      await audit(ctx, req, 'post.create', `post:${id} member:${created.memberId} org:${created.orgId}`, 'success', {
        post: created.post,
        fullTime: created.fullTime,
      });
      return reply.code(201).send(created);
    },
  );

  app.post(
    '/api/posts/:id/end',
    { schema: { params: idParams, body: postEndSchema, tags: ['staffing'] }, config: { permission: 'member.write' } },
    async (req) => {
      const p = principal(req);
      await authorizeRoster(ctx.db, p, 'member.write', await posts.postOrgId(ctx.db, req.params.id), 'post');
      await ctx.db.transaction().execute((trx) => posts.end(trx, req.params.id, req.body.endedAt, p.username));
      const ended = await posts.get(ctx.db, req.params.id);
      await audit(ctx, req, 'post.end', `post:${ended.id} member:${ended.memberId} org:${ended.orgId}`, 'success', {
        endedAt: ended.endedAt,
      });
      return ended;
    },
  );

  // ---- 编制 and the staffing view ----------------------------------------------------------------------------
  app.get(
    '/api/staffing',
    { schema: { querystring: orgQuery, tags: ['staffing'] }, config: { permission: 'staffing.read' } },
    async (req) => {
      const scope = await listScope(ctx.db, principal(req), 'staffing.read', req.query.org);
      return staffing.view(ctx.db, scope);
    },
  );

  app.get(
    '/api/staffing/export',
    { schema: { querystring: orgQuery, tags: ['staffing'] }, config: { permission: 'staffing.read' } },
    async (req, reply) => {
      const scope = await listScope(ctx.db, principal(req), 'staffing.read', req.query.org);
      const view = await staffing.view(ctx.db, scope);
      const title = `导出于 ${new Date().toISOString().slice(0, 10)}`;
      const file = await staffingWorkbook(view, title);
      await audit(ctx, req, 'staffing.export', req.query.org ? `org:${req.query.org}` : 'scope', 'success', {
        rows: view.rows.length,
      });
      const name = '党务干部配备情况.xlsx';
      return reply
        .header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header(
          'Content-Disposition',
          `attachment; filename="staffing.xlsx"; filename*=UTF-8''${encodeURIComponent(name)}`,
        )
        .send(file);
    },
  );

  app.put(
    '/api/staffing/:orgId',
    {
      schema: { params: orgIdParams, body: staffingUpdateSchema, tags: ['staffing'] },
      config: { permission: 'staffing.write' },
    },
    async (req) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'staffing.write', req.params.orgId);
      const before = await ctx.db
        .transaction()
        .execute((trx) => staffing.setAuthorised(trx, req.params.orgId, req.body.authorisedFullTime));
      const row = await staffing.rowOf(ctx.db, req.params.orgId);
      await audit(ctx, req, 'staffing.update', `org:${row.orgId} ${row.orgName}`, 'success', {
        from: before,
        to: row.authorised,
      });
      return row;
    },
  );

  // ---- training hours ----------------------------------------------------------------------------------------
  app.get(
    '/api/training-hours',
    {
      schema: { querystring: orgQuery.extend(yearQuery), tags: ['staffing'] },
      config: { permission: 'member.read' },
    },
    async (req) => {
      const scope = await listScope(ctx.db, principal(req), 'member.read', req.query.org);
      return training.view(ctx.db, scope, req.query.year ?? training.currentYear());
    },
  );

  app.post(
    '/api/training-hours',
    { schema: { body: trainingCreateSchema, tags: ['staffing'] }, config: { permission: 'member.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeRoster(ctx.db, p, 'member.write', await posts.memberOrgId(ctx.db, req.body.memberId), 'member');
      const entry = await ctx.db.transaction().execute((trx) => training.record(trx, req.body, p.username));
      await audit(ctx, req, 'training.create', `training:${entry.id} member:${entry.memberId}`, 'success', {
        year: entry.year,
        minutes: entry.minutes,
      });
      return reply.code(201).send(entry);
    },
  );

  app.get(
    '/api/training-hours/:memberId',
    {
      schema: { params: memberIdParams, querystring: z.object(yearQuery), tags: ['staffing'] },
      config: { permission: 'member.read' },
    },
    async (req) => {
      const p = principal(req);
      await authorizeRoster(ctx.db, p, 'member.read', await posts.memberOrgId(ctx.db, req.params.memberId), 'member');
      return training.ledger(ctx.db, req.params.memberId, req.query.year ?? training.currentYear());
    },
  );
}
