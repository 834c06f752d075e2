/** /api/divisions: administrative division codes for the org form (public reference data, session required). */
import { z } from 'zod';
import type { AppContext, TypedApp } from '../../context.js';
import { childrenOf } from './divisions.service.js';

export function divisionRoutes(app: TypedApp, _ctx: AppContext) {
  app.get(
    '/api/divisions',
    {
      schema: {
        querystring: z.object({
          parent: z
            .string()
            .regex(/^\d{2}(\d{2})?$/)
            .default('51'),
        }),
        tags: ['orgs'],
      },
      config: { permission: 'session' },
    },
    async (req) => ({ items: childrenOf(req.query.parent).map((d) => ({ code: d.code, name: d.name })) }),
  );
}
