/** /api/compliance (issue 4): routes are added here. */
import type { AppContext, TypedApp } from '../../context.js';

export function complianceRoutes(_app: TypedApp, _ctx: AppContext) {}
