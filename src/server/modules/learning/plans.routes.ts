/**
 * /api/learning/plans (learning.manage): create, list, read, delete; progress of a plan per org with who has not
 * finished (`?org=` must lie in the caller's subtrees, else 404) and its .xlsx export. Also the member home
 * (/api/learning/home), points (/api/learning/points/…) and the ranking switch (/api/learning/rankings…).
 */
import { z } from 'zod';
import { todayInShanghai } from '../../../shared/dates.js';
import {
  type LearningHome,
  planCreateSchema,
  pointRulesSchema,
  rankingToggleSchema,
} from '../../../shared/learning.js';
import { authorizeOrg, orgInScope, requirePermission, scopeOf } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import { forbidden, notFound } from '../../errors.js';
import { idParams } from '../../http.js';
import * as contentRepo from './content.repository.js';
import * as content from './content.service.js';
import { viewerOf } from './learning.policy.js';
import * as plansRepo from './plans.repository.js';
import * as plans from './plans.service.js';
import * as points from './points.service.js';
import { invalidateRules } from './progress.service.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const orgQuery = z.object({ org: z.coerce.number().int().positive().optional() });
const yearOrgQuery = z.object({
  org: z.coerce.number().int().positive().optional(),
  year: z.coerce.number().int().min(2000).max(2100).optional(),
});
const orgIdParams = z.object({ orgId: z.coerce.number().int().positive() });

export function planRoutes(app: TypedApp, ctx: AppContext) {
  const tags = ['learning'];
  const now = () => new Date(ctx.clock());

  /** The plan if the caller manages something it covers (else 404), and the reporting org of `?org=`. */
  async function planFor(req: Parameters<typeof principal>[0], id: number, org?: number) {
    const p = principal(req);
    const scope = requirePermission(p, 'learning.manage');
    const plan = await plans.find(ctx.db, id);
    if (!(await plans.visibleTo(ctx.db, plan, scope))) throw notFound('plan');
    let orgId: number;
    if (org !== undefined) {
      await authorizeOrg(ctx.db, p, 'learning.manage', org);
      orgId = org;
    } else orgId = await plans.defaultReportOrg(ctx.db, plan, scope);
    return { plan, orgId };
  }

  app.post(
    '/api/learning/plans',
    { schema: { body: planCreateSchema, tags }, config: { permission: 'learning.manage' } },
    async (req, reply) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'learning.manage', req.body.orgId);
      const id = await ctx.db
        .transaction()
        .execute((trx) =>
          plans.create(trx, req.body, (orgId) => orgInScope(trx, p, 'learning.manage', orgId), p.username, now()),
        );
      await audit(ctx, req, 'learning.plan.create', `learning_plan:${id}`, 'success', {
        orgId: req.body.orgId,
        target: req.body.target,
        items: req.body.items.length,
        dueOn: req.body.dueOn,
      });
      const [view] = await plans.present(ctx.db, [await plans.find(ctx.db, id)]);
      return reply.code(201).send(view);
    },
  );

  app.get(
    '/api/learning/plans',
    { schema: { querystring: orgQuery, tags }, config: { permission: 'learning.manage' } },
    async (req) => {
      const p = principal(req);
      let scope = requirePermission(p, 'learning.manage');
      if (req.query.org !== undefined) {
        await authorizeOrg(ctx.db, p, 'learning.manage', req.query.org);
        scope = { all: false, roots: [req.query.org] };
      }
      const rows = await plans.present(ctx.db, await plansRepo.listPlans(ctx.db, scope));
      const today = todayInShanghai(now());
      const out = [];
      for (const plan of rows) {
        const row = await plans.find(ctx.db, plan.id);
        const orgId = await plans.defaultReportOrg(ctx.db, row, scope);
        const pr = await plans.progress(ctx.db, row, orgId);
        out.push({
          ...plan,
          daysLeft: plans.daysBetween(today, plan.dueOn),
          report: { orgId, assigned: pr.assigned, completed: pr.completed, rate: pr.rate },
        });
      }
      return { items: out };
    },
  );

  app.get(
    '/api/learning/plans/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.manage' } },
    async (req) => {
      const { plan } = await planFor(req, req.params.id);
      const [view] = await plans.present(ctx.db, [plan]);
      return view;
    },
  );

  app.delete(
    '/api/learning/plans/:id',
    { schema: { params: idParams, tags }, config: { permission: 'learning.manage' } },
    async (req, reply) => {
      const { plan } = await planFor(req, req.params.id);
      // the plan is visible to the caller (planFor): not managing its org is 403
      if (!(await orgInScope(ctx.db, principal(req), 'learning.manage', plan.org_id))) throw forbidden();
      await plansRepo.deletePlan(ctx.db, plan.id);
      await audit(ctx, req, 'learning.plan.delete', `learning_plan:${plan.id}`, 'success', { title: plan.title });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/learning/plans/:id/progress',
    { schema: { params: idParams, querystring: orgQuery, tags }, config: { permission: 'learning.manage' } },
    async (req) => {
      const { plan, orgId } = await planFor(req, req.params.id, req.query.org);
      return plans.progress(ctx.db, plan, orgId);
    },
  );

  app.get(
    '/api/learning/plans/:id/progress/export',
    { schema: { params: idParams, querystring: orgQuery, tags }, config: { permission: 'learning.manage' } },
    async (req, reply) => {
      const { plan, orgId } = await planFor(req, req.params.id, req.query.org);
      const pr = await plans.progress(ctx.db, plan, orgId);
      const buf = await plans.progressWorkbook(pr);
      await audit(ctx, req, 'learning.plan.export', `learning_plan:${plan.id}`, 'success', {
        orgId,
        rows: pr.assigned,
      });
      return reply
        .header('Content-Type', XLSX)
        .header(
          'Content-Disposition',
          `attachment; filename="plan-${plan.id}-progress.xlsx"; filename*=UTF-8''${encodeURIComponent(`${plan.title}-完成情况.xlsx`)}`,
        )
        .send(buf);
    },
  );

  // ---- the member home -----------------------------------------------------------------------------------------

  app.get('/api/learning/home', { schema: { tags }, config: { permission: 'learning.read' } }, async (req) => {
    const p = principal(req);
    const at = now();
    const viewer = viewerOf(p);
    const empty: LearningHome = {
      member: null,
      tasks: [],
      continueWatching: [],
      plans: [],
      points: { today: 0, year: 0, total: 0, byRule: [], recent: [] },
      studyHoursThisYear: 0,
    };
    if (p.memberId === null) return empty;
    const m = await contentRepo.memberInfo(ctx.db, p.memberId);
    if (!m) return empty;
    // the day's first visit to the learning home is the "login" of the points rules
    await ctx.db.transaction().execute((trx) => points.award(trx, m.id, m.org_id, 'login', 1, null, at));
    const { tasks, plans: mine } = await plans.memberPlans(ctx.db, m.id, m.org_id, at);
    const watching = await content.present(ctx.db, await contentRepo.inProgress(ctx.db, m.id, viewer, 10), m.id);
    const year = Number(todayInShanghai(at).slice(0, 4));
    return {
      member: { id: m.id, name: m.name, orgId: m.org_id, orgName: m.org_name },
      tasks,
      continueWatching: watching,
      plans: mine,
      points: await points.summary(ctx.db, m.id, m.org_id, at),
      studyHoursThisYear: Math.round(((await contentRepo.studyMinutes(ctx.db, m.id, year)) / 60) * 100) / 100,
    } satisfies LearningHome;
  });

  // ---- points --------------------------------------------------------------------------------------------------

  app.get('/api/learning/points/me', { schema: { tags }, config: { permission: 'learning.read' } }, async (req) => {
    const p = principal(req);
    if (p.memberId === null) return { today: 0, year: 0, total: 0, byRule: [], recent: [] };
    const m = await contentRepo.memberInfo(ctx.db, p.memberId);
    if (!m) throw notFound('member');
    return points.summary(ctx.db, m.id, m.org_id, now());
  });

  /** The org a points view is about: `?org=` (in learning.read scope, else 404) or the caller's first root. */
  async function readOrg(req: Parameters<typeof principal>[0], org: number | undefined): Promise<number> {
    const p = principal(req);
    if (org !== undefined) {
      await authorizeOrg(ctx.db, p, 'learning.read', org);
      return org;
    }
    const s = requirePermission(p, 'learning.read');
    if (s.all || !s.roots.length) throw notFound('organisation');
    return s.roots[0]!;
  }

  app.get(
    '/api/learning/points/orgs',
    { schema: { querystring: yearOrgQuery, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const orgId = await readOrg(req, req.query.org);
      const year = req.query.year ?? Number(todayInShanghai(now()).slice(0, 4));
      return { orgId, year, items: await points.orgAverages(ctx.db, orgId, year) };
    },
  );

  app.get(
    '/api/learning/points/rules',
    { schema: { querystring: orgQuery, tags }, config: { permission: 'learning.manage' } },
    async (req) => {
      const p = principal(req);
      const s = requirePermission(p, 'learning.manage');
      const orgId = req.query.org ?? (s.all ? undefined : s.roots[0]);
      if (orgId === undefined) throw notFound('organisation');
      await authorizeOrg(ctx.db, p, 'learning.manage', orgId);
      return { orgId, rules: await points.rulesFor(ctx.db, orgId) };
    },
  );

  app.put(
    '/api/learning/points/rules',
    { schema: { body: pointRulesSchema, tags }, config: { permission: 'learning.manage' } },
    async (req) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'learning.manage', req.body.orgId);
      const rules = await ctx.db
        .transaction()
        .execute((trx) => points.setRules(trx, req.body.orgId, req.body.rules, p.username, now()));
      invalidateRules(ctx.db);
      await audit(ctx, req, 'learning.points.rules', `org:${req.body.orgId}`, 'success', { rules: req.body.rules });
      return { orgId: req.body.orgId, rules };
    },
  );

  // ---- rankings (off unless an org turns them on for its subtree) ------------------------------------------------

  app.get(
    '/api/learning/rankings',
    { schema: { querystring: yearOrgQuery, tags }, config: { permission: 'learning.read' } },
    async (req) => {
      const p = principal(req);
      const orgId = await readOrg(req, req.query.org);
      const year = req.query.year ?? Number(todayInShanghai(now()).slice(0, 4));
      const setting = await points.rankingEnabled(ctx.db, orgId);
      const canSwitch =
        scopeOf(p, 'learning.manage') !== null && (await orgInScope(ctx.db, p, 'learning.manage', orgId));
      if (!setting.enabled)
        return { orgId, year, enabled: false, setAt: setting.setAt, canSwitch, items: [], me: null };
      const items = await points.pointsRepo.ranking(ctx.db, orgId, year, 100);
      const meIndex = p.memberId === null ? -1 : items.findIndex((i) => i.memberId === p.memberId);
      return {
        orgId,
        year,
        enabled: true,
        setAt: setting.setAt,
        canSwitch,
        items: items.map((i, n) => ({ rank: n + 1, ...i })),
        me: meIndex < 0 ? null : { rank: meIndex + 1, points: items[meIndex]!.points },
      };
    },
  );

  app.put(
    '/api/learning/rankings/:orgId',
    { schema: { params: orgIdParams, body: rankingToggleSchema, tags }, config: { permission: 'learning.manage' } },
    async (req) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'learning.manage', req.params.orgId);
      await points.pointsRepo.setRanking(ctx.db, req.params.orgId, req.body.enabled, p.username, now().toISOString());
      await audit(ctx, req, 'learning.rankings', `org:${req.params.orgId}`, 'success', { enabled: req.body.enabled });
      return { orgId: req.params.orgId, enabled: req.body.enabled };
    },
  );
}
