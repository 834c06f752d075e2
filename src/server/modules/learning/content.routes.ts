/**
 * /api/learning/content and /api/learning/progress: the library (search, topics, the caller's progress), uploads
 * (multipart: `file` video/audio/PDF, `cover` image; or JSON for articles), the review workflow, media streaming
 * with HTTP range requests, covers, and the progress heartbeat (kept to one small transaction; completions are
 * audited, heartbeats are not).
 */
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  type ContentCreateInput,
  type ContentKind,
  contentCreateSchema,
  contentListQuery,
  contentUpdateSchema,
  progressSchema,
} from '../../../shared/learning.js';
import { orgInScope, requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { AppError, conflict, notFound, validation } from '../../errors.js';
import { idParams } from '../../http.js';
import * as repo from './content.repository.js';
import * as content from './content.service.js';
import { authorizeLearningOrg, requireMember, viewerOf } from './learning.policy.js';
import {
  defaultCoverSvg,
  parseRange,
  readContentUpload,
  readCoverUpload,
  type StoredUpload,
  storedPath,
  unlinkQuietly,
} from './media.js';
import * as progress from './progress.service.js';

const noteSchema = z.object({ note: z.string().trim().max(1000).optional() }).strict();

/** A zod result as our 400 (first issue, naming the field). */
export function parseOr400<T>(schema: z.ZodType<T>, data: unknown): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.path.join('.') || 'body';
  throw validation(field, issue.message);
}

function parseList(v: string, numbers: boolean): unknown[] {
  const s = v.trim();
  if (s === '') return [];
  if (s.startsWith('[')) {
    try {
      return JSON.parse(s) as unknown[];
    } catch {
      return [s];
    }
  }
  const parts = s
    .split(/[,，、;；]/)
    .map((x) => x.trim())
    .filter(Boolean);
  return numbers ? parts.map(Number) : parts;
}

/** Multipart text fields → the JSON shape of contentCreateSchema. */
function fieldsToInput(f: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === 'orgId' || k === 'duration') out[k] = v.trim() === '' ? undefined : Number(v);
    else if (k === 'topics') out[k] = parseList(v, false);
    else if (k === 'visibleOrgIds') out[k] = parseList(v, true);
    else out[k] = v;
  }
  return out;
}

export function contentRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['learning'];

  /** The item if the caller can see it (else 404). */
  async function visibleItem(req: FastifyRequest, id: number): Promise<repo.ContentRow> {
    const row = await repo.findVisible(ctx.db, id, viewerOf(principal(req)));
    if (!row) throw notFound('content');
    return row;
  }

  /** The item after checking `perm` on its publisher org: 404 when invisible, 403 when visible only. */
  async function itemFor(
    req: FastifyRequest,
    perm: 'learning.publish' | 'learning.review',
    id: number,
  ): Promise<repo.ContentRow> {
    const p = principal(req);
    const row = await repo.findById(ctx.db, id);
    if (!row) throw notFound('content');
    const visible = await repo.isVisible(ctx.db, id, viewerOf(p));
    await authorizeLearningOrg(ctx.db, p, perm, row.org_id, visible, 'content');
    return row;
  }

  async function checkVisibleOrgs(req: FastifyRequest, input: { visibility?: string; visibleOrgIds?: number[] }) {
    if (input.visibility !== 'orgs') return [];
    const ids = input.visibleOrgIds ?? [];
    if (!ids.length) throw validation('visibleOrgIds', 'names no organisation (visibility "orgs")');
    for (const [i, id] of ids.entries()) {
      if (!(await orgInScope(ctx.db, principal(req), 'learning.publish', id))) {
        throw validation(`visibleOrgIds.${i}`, `organisation ${id} is not one you can publish to`);
      }
    }
    return ids;
  }

  app.post(
    '/api/learning/content',
    { schema: { tags }, config: { permission: 'learning.publish' } },
    async (req, reply) => {
      const p = principal(req);
      let input: ContentCreateInput;
      let file: StoredUpload | null = null;
      let cover: StoredUpload | null = null;
      if (req.isMultipart()) {
        const up = await readContentUpload(req, ctx.config.dataDir, ctx.config.learningMediaLimitBytes);
        file = up.file;
        cover = up.cover;
        try {
          input = parseOr400(contentCreateSchema, fieldsToInput(up.fields));
        } catch (e) {
          unlinkQuietly(ctx.config.dataDir, file?.storageName);
          unlinkQuietly(ctx.config.dataDir, cover?.storageName);
          throw e;
        }
      } else {
        input = parseOr400(contentCreateSchema, req.body ?? {});
      }
      try {
        await authorizeLearningOrg(ctx.db, p, 'learning.publish', input.orgId, false, 'organisation');
        const visibleOrgIds = await checkVisibleOrgs(req, input);
        const now = new Date(ctx.clock());
        const id = await ctx.db.transaction().execute((trx) =>
          content.create(trx, {
            input,
            file,
            cover,
            dataDir: ctx.config.dataDir,
            actor: p.username,
            now,
            visibleOrgIds,
          }),
        );
        await audit(ctx, req, 'learning.content.create', `learning_content:${id}`, 'success', {
          kind: input.kind,
          orgId: input.orgId,
          ...(file ? { mime: file.sniffed.mime, size: file.size } : {}),
        });
        return reply.code(201).send(await content.detail(ctx.db, await content.find(ctx.db, id), p.memberId));
      } catch (e) {
        unlinkQuietly(ctx.config.dataDir, file?.storageName);
        unlinkQuietly(ctx.config.dataDir, cover?.storageName);
        throw e;
      }
    },
  );

  app.get(
    '/api/learning/content',
    { schema: { querystring: contentListQuery, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const p = principal(req);
      const { page, pageSize, org, ...f } = req.query;
      let orgScope: content.OrgScope | undefined;
      if (org !== undefined) {
        const vis = viewerOf(p);
        const ok =
          (await orgInScope(ctx.db, p, 'learning.read', org)) ||
          (vis.manageScope !== null && (await orgInScope(ctx.db, p, 'learning.publish', org)));
        if (!ok) throw notFound('organisation');
        orgScope = { all: false, roots: [org] };
      }
      return content.list(ctx.db, viewerOf(p), { ...f, org: orgScope }, page, pageSize, p.memberId);
    },
  );

  app.get('/api/learning/topics', { schema: { tags }, config: { permission: 'learning.read' } }, async (req) => ({
    items: await repo.topicCounts(ctx.db, viewerOf(principal(req))),
  }));

  app.get(
    '/api/learning/content/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const row = await visibleItem(req, req.params.id);
      return content.detail(ctx.db, row, principal(req).memberId);
    },
  );

  app.patch(
    '/api/learning/content/:id',
    { schema: { params: idParams, body: contentUpdateSchema, tags }, config: { permission: 'learning.publish' } },
    async (req) => {
      const row = await itemFor(req, 'learning.publish', req.params.id);
      const visibleOrgIds = await checkVisibleOrgs(req, {
        visibility: req.body.visibility ?? (req.body.visibleOrgIds ? row.visibility : undefined),
        visibleOrgIds: req.body.visibleOrgIds,
      });
      await ctx.db
        .transaction()
        .execute((trx) =>
          content.update(
            trx,
            row,
            { ...req.body, ...(visibleOrgIds.length ? { visibleOrgIds } : {}) },
            new Date(ctx.clock()),
          ),
        );
      await audit(ctx, req, 'learning.content.update', `learning_content:${row.id}`, 'success', {
        fields: Object.keys(req.body),
      });
      return content.detail(ctx.db, await content.find(ctx.db, row.id), principal(req).memberId);
    },
  );

  app.delete(
    '/api/learning/content/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.publish' } },
    async (req, reply) => {
      const row = await itemFor(req, 'learning.publish', req.params.id);
      if (row.status === 'published') throw conflict('published', 'A published item cannot be deleted: withdraw it');
      const used = await ctx.db
        .selectFrom('learning_plan_items')
        .select('plan_id')
        .where('content_id', '=', row.id)
        .executeTakeFirst();
      if (used) throw conflict('in_plan', 'The item is part of a learning plan');
      const studied = await ctx.db
        .selectFrom('learning_progress')
        .select('member_id')
        .where('content_id', '=', row.id)
        .executeTakeFirst();
      if (studied) throw conflict('studied', 'Members have studied this item: withdraw it instead');
      await ctx.db.deleteFrom('learning_content').where('id', '=', row.id).execute();
      progress.invalidateContent(ctx.db, row.id);
      unlinkQuietly(ctx.config.dataDir, row.media_name);
      unlinkQuietly(ctx.config.dataDir, row.cover_name);
      await audit(ctx, req, 'learning.content.delete', `learning_content:${row.id}`, 'success', { title: row.title });
      return reply.code(204).send();
    },
  );

  const transitions = [
    ['submit', 'learning.publish'],
    ['publish', 'learning.review'],
    ['reject', 'learning.review'],
    ['withdraw', 'learning.review'],
  ] as const;
  for (const [action, perm] of transitions) {
    app.post(
      `/api/learning/content/:id/${action}`,
      { schema: { params: idParams, body: noteSchema.nullish(), tags }, config: { permission: perm } },
      async (req) => {
        const row = await itemFor(req, perm, req.params.id);
        const p = principal(req);
        await ctx.db
          .transaction()
          .execute((trx) =>
            content.transition(trx, ctx.db, row, action, p.username, new Date(ctx.clock()), req.body?.note),
          );
        await audit(ctx, req, `learning.content.${action}`, `learning_content:${row.id}`, 'success', {
          from: row.status,
          ...(req.body?.note ? { note: req.body.note } : {}),
        });
        return content.detail(ctx.db, await content.find(ctx.db, row.id), p.memberId);
      },
    );
  }

  // ---- files ---------------------------------------------------------------------------------------------------

  app.get(
    '/api/learning/content/:id/media',
    { schema: { params: idParams, tags }, config: { permission: 'learning.read' } },
    async (req, reply) => {
      const row = await visibleItem(req, req.params.id);
      const { file, size, mime } = content.mediaFile(ctx.config.dataDir, row);
      return sendRange(req, reply, file, size, mime);
    },
  );

  app.get(
    '/api/learning/content/:id/cover',
    { schema: { params: idParams, tags }, config: { permission: 'learning.read' } },
    async (req, reply) => {
      const row = await visibleItem(req, req.params.id);
      if (row.cover_name && row.cover_mime) {
        try {
          const buf = fs.readFileSync(storedPath(ctx.config.dataDir, row.cover_name));
          return reply.header('Content-Type', row.cover_mime).send(buf);
        } catch {
          // fall through to the default cover
        }
      }
      return reply
        .header('Content-Type', 'image/svg+xml')
        .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(defaultCoverSvg(row.kind as ContentKind));
    },
  );

  app.post(
    '/api/learning/content/:id/cover',
    { schema: { params: idParams, tags }, config: { permission: 'learning.publish' } },
    async (req) => {
      const row = await itemFor(req, 'learning.publish', req.params.id);
      const up = await readCoverUpload(req, ctx.config.dataDir);
      await repo.update(ctx.db, row.id, {
        cover_name: up.storageName,
        cover_mime: up.sniffed.mime,
        updated_at: new Date(ctx.clock()).toISOString(),
      });
      unlinkQuietly(ctx.config.dataDir, row.cover_name);
      await audit(ctx, req, 'learning.content.cover', `learning_content:${row.id}`, 'success', {
        mime: up.sniffed.mime,
        size: up.size,
      });
      return content.detail(ctx.db, await content.find(ctx.db, row.id), principal(req).memberId);
    },
  );

  // ---- the heartbeat -------------------------------------------------------------------------------------------

  app.post(
    '/api/learning/progress',
    { schema: { body: progressSchema, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const p = principal(req);
      const memberId = requireMember(p);
      const { contentId, position } = req.body;
      const out = await progress.heartbeat(ctx.db, {
        memberId,
        contentId,
        position,
        nowMs: ctx.clock(),
        isVisible: (trx) => repo.isVisible(trx, contentId, { readRoots: viewerOf(p).readRoots, manageScope: null }),
      });
      if (out.completion) {
        await audit(ctx, req, 'learning.complete', `learning_content:${contentId}`, 'success', {
          memberId,
          minutes: out.completion.minutes,
          points: out.completion.points,
        });
      }
      const { completion: _omit, ...body } = out;
      return body;
    },
  );
}

/** Sends a file or one byte range of it (206 with Content-Range; 416 when the range cannot be satisfied). */
function sendRange(req: FastifyRequest, reply: FastifyReply, file: string, size: number, mime: string) {
  const range = parseRange(req.headers.range, size);
  reply.header('Accept-Ranges', 'bytes').header('Content-Type', mime);
  if (range.kind === 'invalid') {
    return reply
      .code(416)
      .header('Content-Range', `bytes */${size}`)
      .header('Content-Type', 'application/json; charset=utf-8')
      .send({ error: { code: 'range_not_satisfiable', message: `Range not satisfiable (size ${size})` } });
  }
  if (range.kind === 'full') {
    return reply.header('Content-Length', size).send(fs.createReadStream(file));
  }
  const { start, end } = range;
  return reply
    .code(206)
    .header('Content-Range', `bytes ${start}-${end}/${size}`)
    .header('Content-Length', end - start + 1)
    .send(fs.createReadStream(file, { start, end }));
}

export { AppError, requirePermission };
