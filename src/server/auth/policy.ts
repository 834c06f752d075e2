/**
 * The one place that decides who may do what where. Roles give permissions (src/shared/roles.ts); a grant on
 * an organisation gives them over its subtree. Per-object checks and list filters use the same scope.
 * - permission held nowhere → 403 forbidden
 * - object outside every subtree where the permission is held → 404 (its existence is not revealed)
 */
import { type AdminRole, isAdminRole, type Permission, ROLE_DEFINITIONS, type Role } from '../../shared/roles.js';
import type { Executor } from '../db/database.js';
import { AppError, forbidden } from '../errors.js';
import { isWithin, type OrgScope } from '../modules/orgs/orgs.repository.js';

export interface PrincipalGrant {
  id: number;
  role: Role;
  orgId: number | null;
  orgName: string | null;
}

export interface Principal {
  userId: number;
  username: string;
  displayName: string;
  adminRole: AdminRole | null;
  grants: PrincipalGrant[];
  permissions: Set<Permission>;
  memberId: number | null;
}

export function buildPermissions(grants: PrincipalGrant[]): Set<Permission> {
  const out = new Set<Permission>();
  for (const g of grants) for (const p of ROLE_DEFINITIONS[g.role].permissions) out.add(p);
  return out;
}

export function adminRoleOf(grants: PrincipalGrant[]): AdminRole | null {
  const g = grants.find((x) => isAdminRole(x.role));
  return g ? (g.role as AdminRole) : null;
}

/** Where `perm` is held: everywhere, under some org roots, or nowhere (null). */
export function scopeOf(p: Principal, perm: Permission): OrgScope | null {
  const roots: number[] = [];
  let held = false;
  for (const g of p.grants) {
    const def = ROLE_DEFINITIONS[g.role];
    if (!def.permissions.includes(perm)) continue;
    held = true;
    if (def.global?.includes(perm)) return { all: true };
    if (def.scoped && g.orgId !== null) roots.push(g.orgId);
  }
  if (!held) return null;
  return { all: false, roots };
}

export function can(p: Principal, perm: Permission): boolean {
  return p.permissions.has(perm);
}

/** Throws 403 unless the permission is held somewhere. */
export function requirePermission(p: Principal, perm: Permission): OrgScope {
  const scope = scopeOf(p, perm);
  if (!scope) throw forbidden();
  return scope;
}

export class ScopeDenied extends AppError {
  constructor(what: string) {
    super(404, 'not_found', `${what} not found`);
  }
}

/** Is the org inside the caller's scope for `perm`? */
export async function orgInScope(db: Executor, p: Principal, perm: Permission, orgId: number): Promise<boolean> {
  const scope = scopeOf(p, perm);
  if (!scope) return false;
  if (scope.all) return true;
  return isWithin(db, orgId, scope.roots);
}

/**
 * Per-object check for an org-scoped action. Read outside scope → 404; write where the org can be read but
 * not written → 403.
 */
export async function authorizeOrg(db: Executor, p: Principal, perm: Permission, orgId: number): Promise<void> {
  requirePermission(p, perm);
  if (await orgInScope(db, p, perm, orgId)) return;
  if (perm !== 'org.read' && (await orgInScope(db, p, 'org.read', orgId))) throw forbidden();
  throw new ScopeDenied('organisation');
}

/** The orgs a user's grants sit on: the tops of what they may manage (their own top orgs). */
export function grantRoots(p: Principal, perm: Permission): number[] {
  const s = scopeOf(p, perm);
  return s && !s.all ? s.roots : [];
}
