/**
 * /api/meetings (issue 4): plans and records of 三会一课 and the other meetings, scoped to the caller's subtrees
 * (members read their own branch's, which is what their grant covers); submission locks a record and later
 * corrections are versioned; QR sign-in; attachments; Word and iCalendar exports. Every write is audited.
 */
import fs from 'node:fs';
import type { FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import { todayInShanghai } from '../../../shared/dates.js';
import { ROLE_DEFINITIONS, type Role } from '../../../shared/roles.js';
import { orgInScope, requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { AppError, conflict, notFound } from '../../errors.js';
import { idParams } from '../../http.js';
import * as grantsRepo from '../grants/grants.repository.js';
import { contentDisposition, readAttachmentUpload, store, storedPath, unlinkQuietly } from './attachments.js';
import { bookDocx, calendarIcs, DOCX_MIME, recordDocx } from './meetings.export.js';
import { authorizeMeetingOrg, authorizeSubmit } from './meetings.policy.js';
import * as repo from './meetings.repository.js';
import {
  attachmentParams,
  bookQuery,
  calendarTokenParams,
  copyPlanSchema,
  meetingCreateSchema,
  meetingListQuery,
  meetingUpdateSchema,
  signinSchema,
} from './meetings.schemas.js';
import * as meetings from './meetings.service.js';
import { calendarToken, readCalendarToken, readSigninToken, signinToken } from './tokens.js';

/** Days of past meetings a calendar feed carries (plus everything ahead). */
const CALENDAR_PAST_DAYS = 180;
const BOOK_MAX_MEETINGS = 1000;

const origin = (req: FastifyRequest) => `${req.protocol}://${req.host}`;

export function meetingRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['meetings'];

  /** The meeting's org after checking `perm` there (404 when unknown or out of scope). */
  async function authorizeMeeting(req: FastifyRequest, perm: 'meeting.read' | 'meeting.write', id: number) {
    const orgId = await meetings.orgOf(ctx.db, id);
    if (orgId === undefined) throw notFound('meeting');
    await authorizeMeetingOrg(ctx.db, principal(req), perm, orgId);
    return orgId;
  }

  const docx = (name: string, asciiName: string, buf: Buffer) => ({
    type: DOCX_MIME,
    disposition: contentDisposition(name).replace(/filename="[^"]*"/, `filename="${asciiName}"`),
    buf,
  });

  // ---- lists and plans ----------------------------------------------------------------------------------------

  app.get(
    '/api/meetings',
    { schema: { querystring: meetingListQuery, tags }, config: { permission: 'meeting.read' } },
    async (req) => {
      const scope = requirePermission(principal(req), 'meeting.read');
      const { page, pageSize, ...query } = req.query;
      return meetings.list(ctx.db, scope, query, page, pageSize);
    },
  );

  app.post(
    '/api/meetings',
    { schema: { body: meetingCreateSchema, tags }, config: { permission: 'meeting.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeMeetingOrg(ctx.db, p, 'meeting.write', req.body.orgId, 'organisation');
      const id = await ctx.db.transaction().execute((trx) => meetings.create(trx, req.body, p.username));
      const created = await meetings.get(ctx.db, id);
      await audit(ctx, req, 'meeting.create', `meeting:${id}`, 'success', {
        orgId: created.orgId,
        types: created.types,
        status: created.status,
      });
      return reply.code(201).send(created);
    },
  );

  app.get('/api/meetings/upcoming', { schema: { tags }, config: { permission: 'meeting.read' } }, async (req) => {
    const p = principal(req);
    if (p.memberId === null) return { items: [] };
    const m = await repo.member(ctx.db, p.memberId);
    if (!m || !(await orgInScope(ctx.db, p, 'meeting.read', m.org_id))) return { items: [] };
    return { items: await meetings.upcoming(ctx.db, p.memberId) };
  });

  app.post(
    '/api/meetings/copy-plan',
    { schema: { body: copyPlanSchema, tags }, config: { permission: 'meeting.write' } },
    async (req) => {
      const p = principal(req);
      const { orgId, fromYear, toYear } = req.body;
      await authorizeMeetingOrg(ctx.db, p, 'meeting.write', orgId, 'organisation');
      const result = await ctx.db
        .transaction()
        .execute((trx) => meetings.copyPlan(trx, orgId, fromYear, toYear, p.username));
      await audit(ctx, req, 'meeting.create', `org:${orgId}`, 'success', { copyPlan: { fromYear, toYear }, ...result });
      return result;
    },
  );

  // ---- QR sign-in -----------------------------------------------------------------------------------------------

  app.get(
    '/api/meetings/:id/signin-code',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.write' } },
    async (req) => {
      await authorizeMeeting(req, 'meeting.write', req.params.id);
      const m = await meetings.find(ctx.db, req.params.id);
      const { opensAt, closesAt } = meetings.signinWindow({ startsAt: m.starts_at, endsAt: m.ends_at });
      const token = signinToken(ctx.cipher, m.id, m.ends_at);
      const url = `/m/signin?t=${token}`;
      const absoluteUrl = `${origin(req)}${url}`;
      return {
        url,
        absoluteUrl,
        opensAt: opensAt.toISOString(),
        expiresAt: closesAt.toISOString(),
        qrDataUrl: await QRCode.toDataURL(absoluteUrl, { margin: 1, width: 320, errorCorrectionLevel: 'M' }),
      };
    },
  );

  app.post(
    '/api/meetings/signin',
    { schema: { body: signinSchema, tags }, config: { permission: 'session' } },
    async (req) => {
      const p = principal(req);
      const read = readSigninToken(ctx.cipher, req.body.token);
      if (!read) throw new AppError(400, 'invalid_token', 'token: not a valid sign-in code', 'token');
      if (p.memberId === null) {
        throw new AppError(
          403,
          'forbidden',
          'Your account is not linked to a party member: sign-in is for members',
          undefined,
          {
            reason: 'no_member',
          },
        );
      }
      const memberId = p.memberId;
      try {
        if (read.expiresAt.getTime() < Date.now()) {
          throw new AppError(410, 'signin_closed', 'This sign-in code has expired: the meeting is over');
        }
        const result = await ctx.db.transaction().execute((trx) => meetings.signin(trx, read.meetingId, memberId));
        if (!result.alreadySignedIn) {
          await audit(ctx, req, 'meeting.signin', `meeting:${read.meetingId} member:${memberId}`, 'success', {
            via: 'qr',
          });
        }
        return result;
      } catch (e) {
        if (e instanceof AppError && e.status !== 404) {
          await audit(ctx, req, 'meeting.signin', `meeting:${read.meetingId} member:${memberId}`, 'failure', {
            code: e.code,
          });
        }
        throw e;
      }
    },
  );

  // ---- exports that are not about one meeting ---------------------------------------------------------------

  app.get(
    '/api/meetings/book.docx',
    { schema: { querystring: bookQuery, tags }, config: { permission: 'meeting.read' } },
    async (req, reply) => {
      const { org, from, to } = req.query;
      await authorizeMeetingOrg(ctx.db, principal(req), 'meeting.read', org, 'organisation');
      if (to < from) throw new AppError(400, 'validation', 'to: must not be before from', 'to');
      const orgInfo = await repo.orgInfo(ctx.db, org);
      if (!orgInfo) throw notFound('organisation');
      const ids = await repo.idsOfOrg(ctx.db, org, from, to, ['submitted'], BOOK_MAX_MEETINGS + 1);
      if (ids.length > BOOK_MAX_MEETINGS) {
        throw new AppError(413, 'too_many', `More than ${BOOK_MAX_MEETINGS} records: choose a shorter period`);
      }
      const list = await meetings.getMany(ctx.db, ids);
      const buf = await bookDocx(orgInfo.name, from, to, list);
      await audit(ctx, req, 'meeting.export', `org:${org}`, 'success', {
        kind: 'book',
        from,
        to,
        meetings: ids.length,
      });
      const d = docx(`${orgInfo.name}会议记录本-${from}-${to}.docx`, `meeting-book-${org}-${from}-${to}.docx`, buf);
      return reply.header('Content-Type', d.type).header('Content-Disposition', d.disposition).send(d.buf);
    },
  );

  /** The meetings of a member's calendar: their org's and those they are recorded for. */
  async function memberCalendar(memberId: number): Promise<{ name: string; ics: string }> {
    const m = await repo.member(ctx.db, memberId);
    if (!m) throw notFound('member');
    const org = await repo.orgInfo(ctx.db, m.org_id);
    const since = new Date(Date.now() - CALENDAR_PAST_DAYS * 86_400_000).toISOString();
    const ids = await repo.idsForMember(ctx.db, m.org_id, memberId, since, 500);
    const items = await meetings.getSummaries(ctx.db, ids);
    const name = `${org?.name ?? ''} 组织生活`;
    return { name, ics: calendarIcs(name, items, 'dangjian.local') };
  }

  const sendIcs = (reply: FastifyReply, ics: string) =>
    reply
      .header('Content-Type', 'text/calendar; charset=utf-8')
      .header('Content-Disposition', 'inline; filename="meetings.ics"')
      .send(ics);

  app.get(
    '/api/meetings/calendar.ics',
    { schema: { tags }, config: { permission: 'meeting.read' } },
    async (req, reply) => {
      const p = principal(req);
      const m = p.memberId === null ? undefined : await repo.member(ctx.db, p.memberId);
      if (!m || !(await orgInScope(ctx.db, p, 'meeting.read', m.org_id))) {
        return sendIcs(reply, calendarIcs('组织生活', [], 'dangjian.local'));
      }
      return sendIcs(reply, (await memberCalendar(m.id)).ics);
    },
  );

  app.get('/api/meetings/calendar-link', { schema: { tags }, config: { permission: 'meeting.read' } }, async (req) => {
    const p = principal(req);
    if (p.memberId === null) return { url: null, absoluteUrl: null, expiresAt: null };
    const now = new Date();
    const token = calendarToken(ctx.cipher, p.memberId, p.userId, now);
    const read = readCalendarToken(ctx.cipher, token)!;
    const url = `/api/meetings/calendar/${token}.ics`;
    await audit(ctx, req, 'meeting.export', `member:${p.memberId}`, 'success', { kind: 'calendar_link' });
    return { url, absoluteUrl: `${origin(req)}${url}`, expiresAt: read.expiresAt.toISOString() };
  });

  // Public: phone calendars subscribe without a session. The signed token names the member and the account it
  // was issued to; it stops working when the account is disabled, unlinked or loses meeting.read.
  app.get(
    '/api/meetings/calendar/:token.ics',
    { schema: { params: calendarTokenParams, tags }, config: { public: true, permission: 'public' } },
    async (req, reply) => {
      const read = readCalendarToken(ctx.cipher, req.params.token);
      if (!read || read.expiresAt.getTime() < Date.now()) throw notFound('calendar');
      if (!(await repo.enabledUserOfMember(ctx.db, read.memberId, read.userId))) throw notFound('calendar');
      const roles = (await grantsRepo.forUser(ctx.db, read.userId)).map((g) => g.role as Role);
      if (!roles.some((r) => ROLE_DEFINITIONS[r]?.permissions.includes('meeting.read'))) throw notFound('calendar');
      return sendIcs(reply, (await memberCalendar(read.memberId)).ics);
    },
  );

  // ---- one meeting ----------------------------------------------------------------------------------------------

  app.get(
    '/api/meetings/:id',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.read' } },
    async (req) => {
      await authorizeMeeting(req, 'meeting.read', req.params.id);
      return meetings.get(ctx.db, req.params.id);
    },
  );

  app.patch(
    '/api/meetings/:id',
    { schema: { params: idParams, body: meetingUpdateSchema, tags }, config: { permission: 'meeting.write' } },
    async (req) => {
      const p = principal(req);
      await authorizeMeeting(req, 'meeting.write', req.params.id);
      const result = await ctx.db
        .transaction()
        .execute((trx) => meetings.update(trx, req.params.id, req.body, p.username));
      await audit(
        ctx,
        req,
        result.corrected ? 'meeting.correct' : 'meeting.update',
        `meeting:${req.params.id}`,
        'success',
        {
          fields: Object.keys(req.body).filter((k) => k !== 'correctionReason'),
          ...(result.corrected ? { version: result.version, reason: req.body.correctionReason } : {}),
        },
      );
      return meetings.get(ctx.db, req.params.id);
    },
  );

  app.delete(
    '/api/meetings/:id',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.write' } },
    async (req, reply) => {
      await authorizeMeeting(req, 'meeting.write', req.params.id);
      let files: string[];
      try {
        files = await ctx.db.transaction().execute((trx) => meetings.remove(trx, req.params.id));
      } catch (e) {
        await audit(ctx, req, 'meeting.delete', `meeting:${req.params.id}`, 'failure', {
          code: e instanceof AppError ? e.code : 'error',
        });
        throw e;
      }
      for (const f of files) unlinkQuietly(ctx.config.dataDir, f);
      await audit(ctx, req, 'meeting.delete', `meeting:${req.params.id}`);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/meetings/:id/submit',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.read' } },
    async (req) => {
      const p = principal(req);
      const row = await meetings.find(ctx.db, req.params.id);
      await authorizeSubmit(ctx.db, p, { orgId: row.org_id, recorderId: row.recorder_id });
      await ctx.db.transaction().execute((trx) => meetings.submit(trx, req.params.id, p.username));
      await audit(ctx, req, 'meeting.submit', `meeting:${req.params.id}`);
      return meetings.get(ctx.db, req.params.id);
    },
  );

  app.get(
    '/api/meetings/:id/versions',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.read' } },
    async (req) => {
      await authorizeMeeting(req, 'meeting.read', req.params.id);
      return { items: await meetings.versions(ctx.db, req.params.id) };
    },
  );

  app.get(
    '/api/meetings/:id/record.docx',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.read' } },
    async (req, reply) => {
      await authorizeMeeting(req, 'meeting.read', req.params.id);
      const m = await meetings.get(ctx.db, req.params.id);
      const buf = await recordDocx(m);
      await audit(ctx, req, 'meeting.export', `meeting:${m.id}`, 'success', { kind: 'record', version: m.version });
      const d = docx(`${m.localDate} ${m.title} 会议记录.docx`, `meeting-${m.id}-${todayInShanghai()}.docx`, buf);
      return reply.header('Content-Type', d.type).header('Content-Disposition', d.disposition).send(d.buf);
    },
  );

  // ---- attachments ----------------------------------------------------------------------------------------------

  app.post(
    '/api/meetings/:id/attachments',
    { schema: { params: idParams, tags }, config: { permission: 'meeting.write' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeMeeting(req, 'meeting.write', req.params.id);
      const m = await meetings.find(ctx.db, req.params.id);
      if (m.status === 'submitted') {
        throw conflict('meeting_locked', 'The record is submitted: attachments can no longer change');
      }
      let upload: Awaited<ReturnType<typeof readAttachmentUpload>>;
      try {
        upload = await readAttachmentUpload(req);
      } catch (e) {
        await audit(ctx, req, 'meeting.attachment', `meeting:${m.id}`, 'failure', {
          op: 'add',
          code: e instanceof AppError ? e.code : 'error',
        });
        throw e;
      }
      const storageName = store(ctx.config.dataDir, upload);
      let id: number;
      try {
        id = await repo.insertAttachment(ctx.db, {
          meeting_id: m.id,
          file_name: upload.fileName,
          mime: upload.sniffed.mime,
          size: upload.buffer.length,
          storage_name: storageName,
          uploaded_at: new Date().toISOString(),
          uploaded_by: p.username,
        });
      } catch (e) {
        unlinkQuietly(ctx.config.dataDir, storageName);
        throw e;
      }
      await audit(ctx, req, 'meeting.attachment', `meeting:${m.id} attachment:${id}`, 'success', {
        op: 'add',
        mime: upload.sniffed.mime,
        size: upload.buffer.length,
      });
      const a = (await repo.attachmentsOf(ctx.db, m.id)).find((x) => x.id === id)!;
      return reply.code(201).send({
        id: a.id,
        fileName: a.file_name,
        mime: a.mime,
        size: a.size,
        uploadedAt: a.uploaded_at,
        uploadedBy: a.uploaded_by,
      });
    },
  );

  app.get(
    '/api/meetings/:id/attachments/:attachmentId',
    { schema: { params: attachmentParams, tags }, config: { permission: 'meeting.read' } },
    async (req, reply) => {
      await authorizeMeeting(req, 'meeting.read', req.params.id);
      const a = await repo.findAttachment(ctx.db, req.params.id, req.params.attachmentId);
      if (!a) throw notFound('attachment');
      let data: Buffer;
      try {
        data = fs.readFileSync(storedPath(ctx.config.dataDir, a.storage_name));
      } catch {
        throw new AppError(410, 'file_missing', 'The stored file is missing');
      }
      return reply
        .header('Content-Type', a.mime)
        .header('Content-Disposition', contentDisposition(a.file_name))
        .header('Content-Length', String(data.length))
        .send(data);
    },
  );

  app.delete(
    '/api/meetings/:id/attachments/:attachmentId',
    { schema: { params: attachmentParams, tags }, config: { permission: 'meeting.write' } },
    async (req, reply) => {
      await authorizeMeeting(req, 'meeting.write', req.params.id);
      const m = await meetings.find(ctx.db, req.params.id);
      const a = await repo.findAttachment(ctx.db, req.params.id, req.params.attachmentId);
      if (!a) throw notFound('attachment');
      if (m.status === 'submitted') {
        throw conflict('meeting_locked', 'The record is submitted: attachments can no longer change');
      }
      await repo.deleteAttachment(ctx.db, a.id);
      unlinkQuietly(ctx.config.dataDir, a.storage_name);
      await audit(ctx, req, 'meeting.attachment', `meeting:${m.id} attachment:${a.id}`, 'success', { op: 'delete' });
      return reply.code(204).send();
    },
  );
}
