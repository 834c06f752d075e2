/**
 * What other modules call, inside their own write transaction (`trx`), so the compliance results and rollups never
 * fall out of step with what they change. Every hook is idempotent: calling one twice does no harm.
 *
 * - meetings: `onMeetingChanged` after every create / update / correct / delete / submit / sign-in, with the org,
 *   the types and the Asia/Shanghai dates touched (old and new ones on an update).
 * - orgs: `onOrgCreated` after the insert, `onOrgChanged` after a kind change, `onOrgMoving` before and
 *   `onOrgMoved` after a move, `onOrgRemoving` before a delete.
 * - roster (optional): `onRosterChanged` after a member joins, leaves, changes category or status, or a committee
 *   post starts or ends (quorum denominators and "branch with a committee" use the current roster). Without it the
 *   next `recomputeAll` (nightly: `npm run cli -- compliance-recompute`) picks such changes up.
 */
import type { Executor } from '../../db/database.js';
import * as engine from './compliance.engine.js';

export type { MeetingChange } from './compliance.engine.js';

export async function onMeetingChanged(trx: Executor, change: engine.MeetingChange): Promise<void> {
  await engine.meetingChanged(trx, change);
}

export async function onOrgCreated(trx: Executor, orgId: number): Promise<void> {
  await engine.orgChanged(trx, orgId);
}

export async function onOrgChanged(trx: Executor, orgId: number): Promise<void> {
  await engine.orgChanged(trx, orgId);
}

export async function onOrgMoving(trx: Executor, orgId: number): Promise<void> {
  await engine.subtreeLeaving(trx, orgId);
}

/** `previousParentId`: the parent before the move (a 党小组 changing branch changes both branches' rosters). */
export async function onOrgMoved(trx: Executor, orgId: number, previousParentId?: number | null): Promise<void> {
  await engine.subtreeArrived(trx, orgId, previousParentId);
}

export async function onOrgRemoving(trx: Executor, orgId: number): Promise<void> {
  await engine.orgRemoving(trx, orgId);
}

export async function onRosterChanged(trx: Executor, orgId: number): Promise<void> {
  await engine.rosterChanged(trx, orgId);
}
