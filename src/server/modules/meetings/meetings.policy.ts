/**
 * Who may touch which meeting: a meeting belongs to the scope of its organisation. Built on auth/policy.ts (the
 * permission and scope primitives), so that the per-object check and the list filter use the same closure lookup.
 * - permission held nowhere → 403
 * - the meeting's org outside every subtree where meetings can be read → 404 (existence not revealed)
 * - meetings can be read there but `perm` is not held there → 403
 * The recorder may submit the record with meeting.read alone (they are often an ordinary member).
 */
import type { Permission } from '../../../shared/roles.js';
import { orgInScope, type Principal, requirePermission, ScopeDenied } from '../../auth/policy.js';
import type { Executor } from '../../db/database.js';
import { forbidden } from '../../errors.js';

export type MeetingPermission = Extract<Permission, `meeting.${string}`>;

export async function authorizeMeetingOrg(
  db: Executor,
  p: Principal,
  perm: MeetingPermission,
  orgId: number,
  what = 'meeting',
): Promise<void> {
  requirePermission(p, perm);
  if (await orgInScope(db, p, perm, orgId)) return;
  if (perm !== 'meeting.read' && (await orgInScope(db, p, 'meeting.read', orgId))) throw forbidden();
  throw new ScopeDenied(what);
}

/** Submitting: the recorder (the member linked to the caller's account) or a meeting.write holder in scope. */
export async function authorizeSubmit(
  db: Executor,
  p: Principal,
  meeting: { orgId: number; recorderId: number | null },
): Promise<void> {
  await authorizeMeetingOrg(db, p, 'meeting.read', meeting.orgId);
  if (p.memberId !== null && meeting.recorderId === p.memberId) return;
  if (await orgInScope(db, p, 'meeting.write', meeting.orgId)) return;
  throw forbidden('Only the recorder or a secretary / party-affairs administrator of the organisation may submit');
}
