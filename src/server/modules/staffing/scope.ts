/**
 * Scope helpers for the staffing, training and transfer routes, built on auth/policy.ts (which stays the one place
 * that decides): the per-object check for things on the roster, and the subtree a list covers.
 */
import type { Permission } from '../../../shared/roles.js';
import { authorizeOrg, orgInScope, type Principal, requirePermission, ScopeDenied } from '../../auth/policy.js';
import type { Executor } from '../../db/database.js';
import { forbidden } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';

/**
 * Per-object check for something on the roster (a member, a post, a training entry) that lies on `orgId`, the
 * same rule as the members module: outside the caller's roster (member.read) → 404 naming `what`; on the roster but
 * `perm` not held there → 403.
 */
export async function authorizeRoster(
  db: Executor,
  p: Principal,
  perm: Permission,
  orgId: number,
  what: string,
): Promise<void> {
  requirePermission(p, perm);
  if (await orgInScope(db, p, perm, orgId)) return;
  if (perm !== 'member.read' && (await orgInScope(db, p, 'member.read', orgId))) throw forbidden();
  throw new ScopeDenied(what);
}

/**
 * The subtree a list covers: the org named by `?org=` (which must be in scope, else 404), or everything the
 * permission covers.
 */
export async function listScope(db: Executor, p: Principal, perm: Permission, orgId?: number): Promise<OrgScope> {
  if (orgId === undefined) return requirePermission(p, perm);
  await authorizeOrg(db, p, perm, orgId);
  return { all: false, roots: [orgId] };
}
