/**
 * /api/compliance (issue 4): the overview rolled up for any subtree and period, those behind, quality signals, the
 * to-do list, rules and overrides, exemptions, reminders and group-robot webhooks.
 * Reading needs compliance.read (org_admin, secretary), rules / approvals / webhooks / reminder runs need
 * compliance.manage (org_admin). An org outside the caller's scope → 404; visible but not manageable → 403.
 */
import type { Permission } from '../../../shared/roles.js';
import {
  authorizeOrg,
  grantRoots,
  orgInScope,
  type Principal,
  requirePermission,
  ScopeDenied,
} from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import type { Executor } from '../../db/database.js';
import { forbidden } from '../../errors.js';
import { idParams } from '../../http.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import * as engine from './compliance.engine.js';
import { runReminders } from './compliance.reminders.js';
import {
  behindQuery,
  exemptionCreateSchema,
  exemptionsQuery,
  orgIdParams,
  overviewQuery,
  remindersRunSchema,
  ruleCreateSchema,
  rulesQuery,
  signalsQuery,
  todoQuery,
  webhookSchema,
} from './compliance.schemas.js';
import * as service from './compliance.service.js';

const tags = ['compliance'];

/** The subtree a list covers: `?org=` (in scope, else 404) or the caller's whole scope. */
async function listScope(db: Executor, p: Principal, perm: Permission, orgId?: number): Promise<OrgScope> {
  if (orgId === undefined) return requirePermission(p, perm);
  await authorizeOrg(db, p, perm, orgId);
  return { all: false, roots: [orgId] };
}

export function complianceRoutes(app: TypedApp, ctx: AppContext) {
  // The engine needs its default rules and a first computation before it serves anything.
  app.addHook('onReady', async () => {
    await engine.ensureCompliance(ctx.db);
  });

  // ---- reading ------------------------------------------------------------------------------------------------
  app.get(
    '/api/compliance',
    { schema: { querystring: overviewQuery, tags }, config: { permission: 'compliance.read' } },
    async (req) => {
      await authorizeOrg(ctx.db, principal(req), 'compliance.read', req.query.org);
      const { org, ...q } = req.query;
      return service.overview(ctx.db, { orgId: org, ...q });
    },
  );

  app.get(
    '/api/compliance/behind',
    { schema: { querystring: behindQuery, tags }, config: { permission: 'compliance.read' } },
    async (req) => {
      await authorizeOrg(ctx.db, principal(req), 'compliance.read', req.query.org);
      const { org, ...q } = req.query;
      return service.behind(ctx.db, { orgId: org, ...q });
    },
  );

  app.get(
    '/api/compliance/signals',
    { schema: { querystring: signalsQuery, tags }, config: { permission: 'compliance.read' } },
    async (req) => {
      const p = principal(req);
      await authorizeOrg(ctx.db, p, 'compliance.read', req.query.org);
      // For the level above: only orgs strictly below the caller's own grant roots.
      const scope = requirePermission(p, 'compliance.read');
      const below: OrgScope = scope.all ? scope : { all: false, roots: grantRoots(p, 'compliance.read') };
      return service.signals(ctx.db, { orgId: req.query.org, below, period: req.query.period });
    },
  );

  app.get(
    '/api/compliance/todo',
    { schema: { querystring: todoQuery, tags }, config: { permission: 'compliance.read' } },
    async (req) => {
      const scope = requirePermission(principal(req), 'compliance.read');
      return service.todo(ctx.db, { scope, days: req.query.days, limit: req.query.limit });
    },
  );

  // ---- rules --------------------------------------------------------------------------------------------------
  app.get(
    '/api/compliance/rules',
    { schema: { querystring: rulesQuery, tags }, config: { permission: 'compliance.read' } },
    async (req) => {
      if (req.query.org !== undefined) await authorizeOrg(ctx.db, principal(req), 'compliance.read', req.query.org);
      return service.effectiveRules(ctx.db, req.query.org ?? null, req.query.date);
    },
  );

  app.post(
    '/api/compliance/rules',
    { schema: { body: ruleCreateSchema, tags }, config: { permission: 'compliance.manage' } },
    async (req, reply) => {
      await authorizeOrg(ctx.db, principal(req), 'compliance.manage', req.body.orgId);
      const id = await ctx.db
        .transaction()
        .execute((trx) => service.createOverride(trx, req.body, principal(req).username));
      const rule = await service.getRule(ctx.db, id);
      await audit(ctx, req, 'compliance.rule_create', `rule:${id} org:${req.body.orgId}`, 'success', {
        type: rule.type,
        frequency: rule.frequency,
        times: rule.times,
        quorum: rule.quorum,
        effectiveFrom: rule.effectiveFrom,
      });
      return reply.code(201).send(rule);
    },
  );

  app.delete(
    '/api/compliance/rules/:id',
    { schema: { params: idParams, tags }, config: { permission: 'compliance.manage' } },
    async (req, reply) => {
      const p = principal(req);
      const rule = await service.getRule(ctx.db, req.params.id);
      if (rule.scopeOrgId !== null) await authorizeOrg(ctx.db, p, 'compliance.manage', rule.scopeOrgId);
      await ctx.db.transaction().execute((trx) => service.deleteOverride(trx, req.params.id));
      await audit(ctx, req, 'compliance.rule_delete', `rule:${rule.id} org:${rule.scopeOrgId}`, 'success', {
        type: rule.type,
        effectiveFrom: rule.effectiveFrom,
      });
      return reply.code(204).send();
    },
  );

  // ---- exemptions ----------------------------------------------------------------------------------------------
  app.get(
    '/api/compliance/exemptions',
    { schema: { querystring: exemptionsQuery, tags }, config: { permission: 'compliance.read' } },
    async (req) => {
      const scope = await listScope(ctx.db, principal(req), 'compliance.read', req.query.org);
      return service.listExemptions(ctx.db, scope, req.query);
    },
  );

  app.post(
    '/api/compliance/exemptions',
    { schema: { body: exemptionCreateSchema, tags }, config: { permission: 'compliance.read' } },
    async (req, reply) => {
      const p = principal(req);
      // Requested by the branch: whoever records its meetings or reads its compliance there.
      const allowed =
        (await orgInScope(ctx.db, p, 'compliance.read', req.body.orgId)) ||
        (await orgInScope(ctx.db, p, 'meeting.write', req.body.orgId));
      if (!allowed) await authorizeOrg(ctx.db, p, 'compliance.read', req.body.orgId);
      const id = await ctx.db.transaction().execute((trx) => service.requestExemption(trx, req.body, p.username));
      const e = await service.getExemption(ctx.db, id);
      await audit(ctx, req, 'compliance.exemption_request', `exemption:${id} org:${e.orgId}`, 'success', {
        type: e.type,
        period: e.period,
      });
      return reply.code(201).send(e);
    },
  );

  for (const decision of ['approve', 'reject'] as const) {
    app.post(
      `/api/compliance/exemptions/:id/${decision}`,
      { schema: { params: idParams, tags }, config: { permission: 'compliance.manage' } },
      async (req) => {
        const p = principal(req);
        const e = await service.getExemption(ctx.db, req.params.id);
        if (!(await orgInScope(ctx.db, p, 'compliance.read', e.orgId))) throw new ScopeDenied('exemption');
        // Decided by the level above: compliance.manage on the parent. One's own top org is decided above it.
        if (e.deciderOrgId === null || !(await orgInScope(ctx.db, p, 'compliance.manage', e.deciderOrgId))) {
          throw forbidden('An exemption is decided by the organisation above the one requesting it');
        }
        const status = decision === 'approve' ? 'approved' : 'rejected';
        await ctx.db.transaction().execute((trx) => service.decideExemption(trx, e.id, status, p.username));
        await audit(ctx, req, `compliance.exemption_${decision}`, `exemption:${e.id} org:${e.orgId}`, 'success', {
          type: e.type,
          period: e.period,
        });
        return service.getExemption(ctx.db, e.id);
      },
    );
  }

  // ---- webhooks and reminders --------------------------------------------------------------------------------
  app.get(
    '/api/compliance/webhooks/:orgId',
    { schema: { params: orgIdParams, tags }, config: { permission: 'compliance.manage' } },
    async (req) => {
      await authorizeOrg(ctx.db, principal(req), 'compliance.manage', req.params.orgId);
      return service.getWebhook(ctx.db, req.params.orgId);
    },
  );

  app.put(
    '/api/compliance/webhooks/:orgId',
    { schema: { params: orgIdParams, body: webhookSchema, tags }, config: { permission: 'compliance.manage' } },
    async (req) => {
      await authorizeOrg(ctx.db, principal(req), 'compliance.manage', req.params.orgId);
      const hook = await ctx.db.transaction().execute((trx) => service.setWebhook(trx, req.params.orgId, req.body));
      await audit(ctx, req, 'compliance.webhook_set', `org:${req.params.orgId}`, 'success', {
        kind: hook.kind,
        enabled: hook.enabled,
        url: hook.url,
      });
      return hook;
    },
  );

  app.post(
    '/api/compliance/reminders/run',
    { schema: { body: remindersRunSchema.optional(), tags }, config: { permission: 'compliance.manage' } },
    async (req) => {
      const scope = requirePermission(principal(req), 'compliance.manage');
      const result = await runReminders(ctx.db, { scope, days: req.body?.days });
      await audit(ctx, req, 'compliance.reminders_run', null, 'success', {
        created: result.created,
        delivered: result.delivered.reminders,
        failed: result.failed.reminders,
      });
      return result;
    },
  );
}
