/** /api/meetings (issue 4): routes are added here. */
import type { AppContext, TypedApp } from '../../context.js';

export function meetingRoutes(_app: TypedApp, _ctx: AppContext) {}
