/**
 * /api/learning (issue 5, 互联网+党建学习): content and progress, plans, the question bank and papers, points and
 * the member home. Each part registers its own routes; every route declares its permission (roles.ts) and checks
 * objects through learning.policy.ts (auth/policy.ts underneath).
 */
import type { AppContext, TypedApp } from '../../context.js';
import { contentRoutes } from './content.routes.js';
import { planRoutes } from './plans.routes.js';
import { quizRoutes } from './quiz.routes.js';

export function learningRoutes(app: TypedApp, ctx: AppContext) {
  contentRoutes(app, ctx);
  quizRoutes(app, ctx);
  planRoutes(app, ctx);
}
