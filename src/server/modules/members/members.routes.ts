/**
 * /api/members (issue 3): the roster, scoped to the caller's subtrees; ID and phone numbers masked in every
 * response except the audited reveal and the audited unmasked export; Excel template, import and export.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  MEMBER_CATEGORIES,
  MEMBER_STATUSES,
  memberCreateSchema,
  memberUpdateSchema,
  PARTY_POSTS,
} from '../../../shared/members.js';
import { type Principal, requirePermission, scopeOf } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { AppError, conflict, forbidden, notFound } from '../../errors.js';
import { idParams, paging } from '../../http.js';
import { commitImport, planImport } from './members.import.js';
import { authorizeMemberOrg, type MemberPermission } from './members.policy.js';
import * as members from './members.service.js';
import { errorsWorkbook, type ParsedSheet, readFirstSheet } from './members.sheet.js';
import { readWorkbookUpload } from './members.upload.js';
import { exportWorkbook, templateWorkbook } from './members.workbooks.js';

const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const listQuery = z.object({
  ...paging,
  org: z.coerce.number().int().positive().optional(),
  q: z.string().trim().max(50).optional(),
  category: z.enum(MEMBER_CATEGORIES).optional(),
  status: z.enum(MEMBER_STATUSES).optional(),
  post: z.enum(PARTY_POSTS).optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
});

const importQuery = z.object({ dryRun: flag });
const exportQuery = z.object({ org: z.coerce.number().int().positive().optional(), unmasked: flag });

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function sendWorkbook(reply: FastifyReply, buffer: Buffer, asciiName: string, name: string) {
  return reply
    .header('Content-Type', XLSX)
    .header('Content-Disposition', `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`)
    .send(buffer);
}

async function readSheet(buf: Buffer): Promise<ParsedSheet> {
  try {
    return readFirstSheet(buf);
  } catch {
    throw new AppError(400, 'invalid_file', 'file: not a readable .xlsx workbook', 'file');
  }
}

export function memberRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['members'];

  /** The member's org, after checking `perm` there (404 when the member is unknown or out of scope). */
  async function authorizeMember(p: Principal, perm: MemberPermission, id: number): Promise<number> {
    const orgId = await members.orgOf(ctx.db, id);
    if (orgId === undefined) throw notFound('member');
    await authorizeMemberOrg(ctx.db, p, perm, orgId);
    return orgId;
  }

  app.get(
    '/api/members',
    { schema: { querystring: listQuery, tags }, config: { permission: 'member.read' } },
    async (req) => {
      const scope = requirePermission(principal(req), 'member.read');
      const { page, pageSize, ...query } = req.query;
      return members.list(ctx.db, ctx.cipher, scope, query, page, pageSize);
    },
  );

  app.post(
    '/api/members',
    { schema: { body: memberCreateSchema, tags }, config: { permission: 'member.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeMemberOrg(ctx.db, p, 'member.write', req.body.orgId, 'organisation');
      const id = await ctx.db.transaction().execute((trx) => members.create(trx, ctx.cipher, req.body, p.username));
      await audit(ctx, req, 'member.create', `member:${id}`, 'success', { orgId: req.body.orgId });
      return reply.code(201).send(await members.get(ctx.db, id));
    },
  );

  app.get(
    '/api/members/import-template',
    { schema: { tags }, config: { permission: 'member.write' } },
    async (req, reply) => {
      const scope = requirePermission(principal(req), 'member.write');
      return sendWorkbook(
        reply,
        await templateWorkbook(ctx.db, scope),
        'member-import-template.xlsx',
        '党员导入模板.xlsx',
      );
    },
  );

  app.post(
    '/api/members/import',
    { schema: { querystring: importQuery, tags }, config: { permission: 'member.write' } },
    async (req) => {
      const p = principal(req);
      const scope = requirePermission(p, 'member.write');
      const sheet = await readSheet(await readWorkbookUpload(req));
      const plan = await planImport(ctx.db, ctx.cipher, scope, sheet);
      const dryRun = req.query.dryRun;
      const summary = {
        ok: plan.errors.length === 0,
        dryRun,
        committed: false,
        rows: plan.rows,
        created: plan.creates.length,
        updated: plan.updates.length,
        unchanged: plan.unchanged,
      };
      if (dryRun || plan.errors.length > 0) {
        await audit(ctx, req, 'member.import', null, dryRun ? 'success' : 'failure', {
          dryRun,
          rows: plan.rows,
          errors: plan.errors.length,
        });
        return { ...summary, errors: plan.errors };
      }
      let counts: Awaited<ReturnType<typeof commitImport>>;
      try {
        counts = await commitImport(ctx.db, ctx.cipher, plan, p.username);
      } catch (e) {
        await audit(ctx, req, 'member.import', null, 'failure', { rows: plan.rows });
        const err = e as { code?: string; message?: string };
        if (err.code === '23505' || /UNIQUE constraint failed/.test(err.message ?? '')) {
          throw conflict('duplicate', 'idNumber: the roster changed during the import; run it again', 'idNumber');
        }
        throw e;
      }
      await audit(ctx, req, 'member.import', null, 'success', { rows: plan.rows, ...counts });
      return { ...summary, ...counts, committed: true, errors: [] };
    },
  );

  app.post(
    '/api/members/import/errors',
    { schema: { tags }, config: { permission: 'member.write' } },
    async (req, reply) => {
      const scope = requirePermission(principal(req), 'member.write');
      const sheet = await readSheet(await readWorkbookUpload(req));
      const plan = await planImport(ctx.db, ctx.cipher, scope, sheet);
      const buffer = await errorsWorkbook(sheet, plan.problems);
      return sendWorkbook(reply, buffer, 'member-import-errors.xlsx', '党员导入错误.xlsx');
    },
  );

  app.get(
    '/api/members/export',
    { schema: { querystring: exportQuery, tags }, config: { permission: 'member.export' } },
    async (req, reply) => {
      const p = principal(req);
      const { org, unmasked } = req.query;
      const scopes = [requirePermission(p, 'member.export')];
      if (unmasked) {
        const reveal = scopeOf(p, 'member.reveal');
        if (!reveal) throw forbidden('Exporting full ID and phone numbers needs the member.reveal permission');
        scopes.push(reveal);
      }
      if (org !== undefined) {
        await authorizeMemberOrg(ctx.db, p, 'member.export', org, 'organisation');
        if (unmasked) await authorizeMemberOrg(ctx.db, p, 'member.reveal', org, 'organisation');
      }
      const { buffer, rows } = await exportWorkbook(ctx.db, ctx.cipher, {
        scopes,
        root: org,
        unmasked,
        writeScope: scopeOf(p, 'member.write'),
      });
      await audit(
        ctx,
        req,
        unmasked ? 'member.export_unmasked' : 'member.export',
        org ? `org:${org}` : null,
        'success',
        {
          rows,
        },
      );
      const day = new Date().toISOString().slice(0, 10);
      return sendWorkbook(reply, buffer, `members-${day}.xlsx`, `党员名册-${day}.xlsx`);
    },
  );

  app.get(
    '/api/members/:id',
    { schema: { params: idParams, tags }, config: { permission: 'member.read' } },
    async (req) => {
      await authorizeMember(principal(req), 'member.read', req.params.id);
      return members.get(ctx.db, req.params.id);
    },
  );

  app.patch(
    '/api/members/:id',
    { schema: { params: idParams, body: memberUpdateSchema, tags }, config: { permission: 'member.write' } },
    async (req) => {
      const p = principal(req);
      const orgId = await authorizeMember(p, 'member.write', req.params.id);
      // Moving to another org needs write access there too; an org outside the scope answers 404.
      if (req.body.orgId !== undefined && req.body.orgId !== orgId) {
        await authorizeMemberOrg(ctx.db, p, 'member.write', req.body.orgId, 'organisation');
      }
      const changes = await ctx.db
        .transaction()
        .execute((trx) => members.update(trx, ctx.cipher, req.params.id, req.body, p.username));
      await audit(ctx, req, 'member.update', `member:${req.params.id}`, 'success', {
        fields: changes.map((c) => c.field),
      });
      return members.get(ctx.db, req.params.id);
    },
  );

  app.post(
    '/api/members/:id/reveal',
    { schema: { params: idParams, tags }, config: { permission: 'member.reveal' } },
    async (req) => {
      await authorizeMember(principal(req), 'member.reveal', req.params.id);
      const full = await members.reveal(ctx.db, ctx.cipher, req.params.id);
      await audit(ctx, req, 'member.reveal', `member:${req.params.id}`, 'success', {
        fields: ['idNumber', 'phone'],
      });
      return full;
    },
  );

  app.get(
    '/api/members/:id/history',
    { schema: { params: idParams, tags }, config: { permission: 'member.read' } },
    async (req) => {
      await authorizeMember(principal(req), 'member.read', req.params.id);
      return members.history(ctx.db, req.params.id);
    },
  );
}
