/** /api/security/policy (安全管理员) and /api/settings (系统管理员). */
import { securityPolicySchema, systemSettingsSchema } from '../../../shared/settings.js';
import { requirePermission } from '../../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../../context.js';
import * as settings from './settings.service.js';

export function settingsRoutes(app: TypedApp, ctx: AppContext) {
  // What the login page needs before anyone logs in: the platform's name, language and password rules.
  app.get(
    '/api/public/settings',
    { schema: { tags: ['system'] }, config: { public: true, permission: 'public' } },
    async () => {
      const [system, policy] = await Promise.all([settings.getSystem(ctx.db), settings.getPolicy(ctx.db)]);
      return {
        ...system,
        passwordPolicy: { minLength: policy.passwordMinLength, minClasses: policy.passwordMinClasses },
      };
    },
  );

  app.get(
    '/api/security/policy',
    { schema: { tags: ['security'] }, config: { permission: 'policy.manage' } },
    async (req) => {
      requirePermission(principal(req), 'policy.manage');
      return settings.getPolicy(ctx.db);
    },
  );

  app.put(
    '/api/security/policy',
    { schema: { body: securityPolicySchema, tags: ['security'] }, config: { permission: 'policy.manage' } },
    async (req) => {
      requirePermission(principal(req), 'policy.manage');
      const before = await settings.getPolicy(ctx.db);
      const after = await settings.setPolicy(ctx.db, req.body);
      const changed = Object.keys(after).filter(
        (k) => before[k as keyof typeof before] !== after[k as keyof typeof after],
      );
      await audit(ctx, req, 'policy.update', 'security_policy', 'success', { changed });
      return after;
    },
  );

  app.get('/api/settings', { schema: { tags: ['system'] }, config: { permission: 'settings.manage' } }, async (req) => {
    requirePermission(principal(req), 'settings.manage');
    return settings.getSystem(ctx.db);
  });

  app.put(
    '/api/settings',
    { schema: { body: systemSettingsSchema, tags: ['system'] }, config: { permission: 'settings.manage' } },
    async (req) => {
      requirePermission(principal(req), 'settings.manage');
      const s = await settings.setSystem(ctx.db, req.body);
      await audit(ctx, req, 'settings.update', 'system', 'success', { fields: Object.keys(req.body) });
      return s;
    },
  );
}
