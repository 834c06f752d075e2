/**
 * /api/learning/questions, /api/learning/papers, /api/learning/attempts: the bank (publishers only: it carries the
 * answers), its .xlsx template and import, papers, and attempts — started and submitted by members, graded here.
 * No response to a member carries an answer or an explanation before the attempt is submitted.
 */
import { z } from 'zod';
import {
  paperSchema,
  QUESTION_TYPES,
  questionSchema,
  questionUpdateSchema,
  submitSchema,
} from '../../../shared/learning.js';
import { orgInScope, requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { notFound } from '../../errors.js';
import { idParams, paging } from '../../http.js';
import { readWorkbookUpload } from '../members/members.upload.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import { authorizeLearningOrg, requireMember, viewerOf } from './learning.policy.js';
import { commitQuestionImport, planQuestionImport, templateWorkbook } from './questions.import.js';
import * as repo from './quiz.repository.js';
import * as quiz from './quiz.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const questionListQuery = z.object({
  ...paging,
  org: z.coerce.number().int().positive().optional(),
  topic: z.string().trim().max(40).optional(),
  q: z.string().trim().max(100).optional(),
  type: z.enum(QUESTION_TYPES).optional(),
});
const importQuery = z.object({ org: z.coerce.number().int().positive(), dryRun: flag });
const orgQuery = z.object({ org: z.coerce.number().int().positive().optional() });

export function quizRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['learning'];
  const now = () => new Date(ctx.clock());

  /** A question after checking learning.publish on its org (404 outside: the bank is not readable otherwise). */
  async function questionFor(req: Parameters<typeof principal>[0], id: number) {
    const q = await repo.findQuestion(ctx.db, id);
    if (!q) throw notFound('question');
    await authorizeLearningOrg(ctx.db, principal(req), 'learning.publish', q.org_id, false, 'question');
    return q;
  }

  // ---- the bank ------------------------------------------------------------------------------------------------

  app.get(
    '/api/learning/questions',
    { schema: { querystring: questionListQuery, tags }, config: { permission: 'learning.publish' } },
    async (req) => {
      const p = principal(req);
      const { page, pageSize, org, ...f } = req.query;
      let scope: OrgScope = requirePermission(p, 'learning.publish');
      if (org !== undefined) {
        await authorizeLearningOrg(ctx.db, p, 'learning.publish', org, false, 'organisation');
        scope = { all: false, roots: [org] };
      }
      const { total, rows } = await repo.listQuestions(ctx.db, { scope, ...f }, (page - 1) * pageSize, pageSize);
      return { total, page, pageSize, items: await quiz.presentQuestions(ctx.db, rows) };
    },
  );

  app.post(
    '/api/learning/questions',
    { schema: { body: questionSchema, tags }, config: { permission: 'learning.publish' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeLearningOrg(ctx.db, p, 'learning.publish', req.body.orgId, false, 'organisation');
      const id = await ctx.db.transaction().execute((trx) => quiz.createQuestion(trx, req.body, p.username, now()));
      await audit(ctx, req, 'learning.question.create', `learning_question:${id}`, 'success', {
        orgId: req.body.orgId,
      });
      const [view] = await quiz.presentQuestions(ctx.db, [(await repo.findQuestion(ctx.db, id))!]);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/learning/questions/template',
    { schema: { tags }, config: { permission: 'learning.publish' } },
    async (_req, reply) =>
      reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="question-template.xlsx"; filename*=UTF-8''${encodeURIComponent('题库导入模板.xlsx')}`,
        )
        .send(await templateWorkbook()),
  );

  app.post(
    '/api/learning/questions/import',
    { schema: { querystring: importQuery, tags }, config: { permission: 'learning.publish' } },
    async (req) => {
      const p = principal(req);
      const { org, dryRun } = req.query;
      await authorizeLearningOrg(ctx.db, p, 'learning.publish', org, false, 'organisation');
      const plan = planQuestionImport(await readWorkbookUpload(req), org);
      const base = { ok: plan.errors.length === 0, dryRun, rows: plan.rows, errors: plan.errors };
      if (dryRun || plan.errors.length > 0) {
        await audit(ctx, req, 'learning.question.import', `org:${org}`, dryRun ? 'success' : 'failure', {
          dryRun,
          rows: plan.rows,
          errors: plan.errors.length,
        });
        return { ...base, committed: false, created: plan.questions.length };
      }
      const created = await ctx.db.transaction().execute((trx) => commitQuestionImport(trx, plan, p.username, now()));
      await audit(ctx, req, 'learning.question.import', `org:${org}`, 'success', { rows: plan.rows, created });
      return { ...base, committed: true, created };
    },
  );

  app.put(
    '/api/learning/questions/:id',
    { schema: { params: idParams, body: questionUpdateSchema, tags }, config: { permission: 'learning.publish' } },
    async (req) => {
      const q = await questionFor(req, req.params.id);
      await ctx.db.transaction().execute((trx) => quiz.updateQuestion(trx, q.id, req.body, now()));
      await audit(ctx, req, 'learning.question.update', `learning_question:${q.id}`, 'success');
      const [view] = await quiz.presentQuestions(ctx.db, [(await repo.findQuestion(ctx.db, q.id))!]);
      return view;
    },
  );

  app.delete(
    '/api/learning/questions/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.publish' } },
    async (req, reply) => {
      const q = await questionFor(req, req.params.id);
      await repo.archiveQuestion(ctx.db, q.id);
      await audit(ctx, req, 'learning.question.delete', `learning_question:${q.id}`, 'success');
      return reply.code(204).send();
    },
  );

  // ---- papers --------------------------------------------------------------------------------------------------

  app.get(
    '/api/learning/papers',
    { schema: { querystring: orgQuery, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const p = principal(req);
      let org: OrgScope | undefined;
      if (req.query.org !== undefined) {
        const ok =
          (await orgInScope(ctx.db, p, 'learning.read', req.query.org)) ||
          (await orgInScope(ctx.db, p, 'learning.publish', req.query.org));
        if (!ok) throw notFound('organisation');
        org = { all: false, roots: [req.query.org] };
      }
      const rows = await repo.listPapers(ctx.db, viewerOf(p), org);
      const stats =
        p.memberId === null
          ? null
          : await repo.attemptStats(
              ctx.db,
              p.memberId,
              rows.map((r) => r.id),
            );
      return {
        items: rows.map((r) =>
          quiz.presentPaper(r, stats ? (stats.get(r.id) ?? { used: 0, best: null, passed: false }) : undefined),
        ),
      };
    },
  );

  app.post(
    '/api/learning/papers',
    { schema: { body: paperSchema, tags }, config: { permission: 'learning.publish' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeLearningOrg(ctx.db, p, 'learning.publish', req.body.orgId, false, 'organisation');
      const id = await ctx.db.transaction().execute((trx) => quiz.createPaper(trx, req.body, p.username, now()));
      await audit(ctx, req, 'learning.paper.create', `learning_paper:${id}`, 'success', {
        orgId: req.body.orgId,
        mode: req.body.mode,
      });
      return reply.code(201).send(quiz.presentPaper(await quiz.findPaperOr404(ctx.db, id)));
    },
  );

  app.get(
    '/api/learning/papers/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const p = principal(req);
      const paper = await repo.findVisiblePaper(ctx.db, req.params.id, viewerOf(p));
      if (!paper) throw notFound('paper');
      const mine =
        p.memberId === null
          ? undefined
          : ((await repo.attemptStats(ctx.db, p.memberId, [paper.id])).get(paper.id) ?? {
              used: 0,
              best: null,
              passed: false,
            });
      const out = quiz.presentPaper(paper, mine);
      // publishers see which bank questions a fixed paper uses (ids only; answers stay in the bank)
      if (await orgInScope(ctx.db, p, 'learning.publish', paper.org_id)) {
        return { ...out, questionIds: await repo.paperQuestionIds(ctx.db, paper.id) };
      }
      return out;
    },
  );

  app.delete(
    '/api/learning/papers/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.publish' } },
    async (req, reply) => {
      const p = principal(req);
      const paper = await quiz.findPaperOr404(ctx.db, req.params.id);
      const visible = (await repo.findVisiblePaper(ctx.db, paper.id, viewerOf(p))) !== undefined;
      await authorizeLearningOrg(ctx.db, p, 'learning.publish', paper.org_id, visible, 'paper');
      await repo.archivePaper(ctx.db, paper.id);
      await audit(ctx, req, 'learning.paper.delete', `learning_paper:${paper.id}`, 'success');
      return reply.code(204).send();
    },
  );

  // ---- attempts ------------------------------------------------------------------------------------------------

  app.post(
    '/api/learning/papers/:id/attempts',
    { schema: { params: idParams, tags }, config: { permission: 'learning.read' } },
    async (req, reply) => {
      const p = principal(req);
      const memberId = requireMember(p);
      const paper = await repo.findVisiblePaper(ctx.db, req.params.id, {
        readRoots: viewerOf(p).readRoots,
        manageScope: null,
      });
      if (!paper) throw notFound('paper');
      const r = await ctx.db.transaction().execute((trx) => quiz.start(trx, paper, memberId, now()));
      if (r.created) {
        await audit(ctx, req, 'learning.attempt.start', `learning_attempt:${r.id}`, 'success', { paperId: paper.id });
      }
      const attempt = (await repo.findAttempt(ctx.db, r.id))!;
      return reply.code(r.created ? 201 : 200).send(await quiz.presentAttempt(ctx.db, attempt, paper));
    },
  );

  /** The caller's own attempt (anyone else's: 404). */
  async function ownAttempt(req: Parameters<typeof principal>[0], id: number) {
    const memberId = requireMember(principal(req));
    const a = await repo.findAttempt(ctx.db, id);
    if (!a || a.member_id !== memberId) throw notFound('attempt');
    return { a, memberId, paper: await quiz.findPaperOr404(ctx.db, a.paper_id) };
  }

  app.get(
    '/api/learning/attempts/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const { a, paper } = await ownAttempt(req, req.params.id);
      return quiz.presentAttempt(ctx.db, a, paper);
    },
  );

  app.post(
    '/api/learning/attempts/:id/submit',
    { schema: { params: idParams, body: submitSchema, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const { a, memberId, paper } = await ownAttempt(req, req.params.id);
      const member = await ctx.db.selectFrom('members').select('org_id').where('id', '=', memberId).executeTakeFirst();
      if (!member) throw notFound('member');
      const out = await ctx.db
        .transaction()
        .execute((trx) => quiz.submit(trx, a, paper, member.org_id, req.body, now()));
      await audit(ctx, req, 'learning.attempt.submit', `learning_attempt:${a.id}`, 'success', {
        paperId: paper.id,
        score: out.score,
        passed: out.passed,
        late: out.late,
      });
      return quiz.presentAttempt(ctx.db, (await repo.findAttempt(ctx.db, a.id))!, paper);
    },
  );
}
