/** /api/staffing (issue 3): routes are added here. */
import type { AppContext, TypedApp } from '../../context.js';

export function staffingRoutes(_app: TypedApp, _ctx: AppContext) {}
