/** /api/audit: the audit log for the 审计管理员 only, and its chain verification. */
import { z } from 'zod';
import { requirePermission } from '../auth/policy.js';
import { type AppContext, audit, principal, type TypedApp } from '../context.js';
import { paging } from '../http.js';
import * as auditLog from './audit.service.js';

const listQuery = z.object({
  ...paging,
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
  result: z.enum(['success', 'failure', 'denied']).optional(),
  from: z
    .string()
    .datetime({ offset: true })
    .or(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .optional(),
  to: z
    .string()
    .datetime({ offset: true })
    .or(z.string().regex(/^\d{4}-\d{2}-\d{2}$/))
    .optional(),
});

/** Dates are Asia/Shanghai calendar days; stored times are UTC ISO strings. */
function toUtc(v: string | undefined, endOfDay: boolean): string | undefined {
  if (!v) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const d = new Date(`${v}T00:00:00+08:00`);
    if (endOfDay) d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString();
  }
  return new Date(v).toISOString();
}

export function auditRoutes(app: TypedApp, ctx: AppContext) {
  app.get(
    '/api/audit',
    { schema: { querystring: listQuery, tags: ['audit'] }, config: { permission: 'audit.read' } },
    async (req) => {
      requirePermission(principal(req), 'audit.read');
      const { page, pageSize, from, to, ...rest } = req.query;
      return auditLog.list(ctx.db, { ...rest, from: toUtc(from, false), to: toUtc(to, true) }, page, pageSize);
    },
  );

  app.post('/api/audit/verify', { schema: { tags: ['audit'] }, config: { permission: 'audit.read' } }, async (req) => {
    requirePermission(principal(req), 'audit.read');
    const r = await auditLog.verifyChain(ctx.db);
    await audit(ctx, req, 'audit.verify', 'audit_log', r.ok ? 'success' : 'failure', {
      checked: r.checked,
      firstBrokenId: r.firstBrokenId,
    });
    return r;
  });
}
