/**
 * Who may touch which member: a member belongs to the scope of its organisation. Built on auth/policy.ts (the
 * permission and scope primitives) so that the per-object check and the list filter use the same closure lookup.
 * - permission held nowhere → 403
 * - the member's org outside every subtree where the roster can be read → 404 (existence not revealed)
 * - the roster can be read there but the action is not allowed there → 403
 */
import type { Permission } from '../../../shared/roles.js';
import { orgInScope, type Principal, requirePermission, ScopeDenied } from '../../auth/policy.js';
import type { Executor } from '../../db/database.js';
import { forbidden } from '../../errors.js';

export type MemberPermission = Extract<Permission, `member.${string}`>;

export async function authorizeMemberOrg(
  db: Executor,
  p: Principal,
  perm: MemberPermission,
  orgId: number,
  what = 'member',
): Promise<void> {
  requirePermission(p, perm);
  if (await orgInScope(db, p, perm, orgId)) return;
  if (perm !== 'member.read' && (await orgInScope(db, p, 'member.read', orgId))) throw forbidden();
  throw new ScopeDenied(what);
}
