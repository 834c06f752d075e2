/**
 * Who sees which learning objects, built on auth/policy.ts (the one place that decides permissions and scope):
 * the viewer of the library (reader roots from learning.read grants; publishers and reviewers also see their
 * organisations' unpublished items) and the per-object checks of the learning routes.
 */
import type { Permission } from '../../../shared/roles.js';
import {
  authorizeOrg,
  orgInScope,
  type Principal,
  requirePermission,
  ScopeDenied,
  scopeOf,
} from '../../auth/policy.js';
import type { Executor } from '../../db/database.js';
import { AppError, forbidden } from '../../errors.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import type { Viewer } from './content.repository.js';

export function viewerOf(p: Principal): Viewer {
  const read = scopeOf(p, 'learning.read');
  const readRoots = read && !read.all ? read.roots : [];
  const manageScope = mergeScopes(scopeOf(p, 'learning.publish'), scopeOf(p, 'learning.review'));
  return { readRoots, manageScope };
}

function mergeScopes(a: OrgScope | null, b: OrgScope | null): OrgScope | null {
  if (!a) return b;
  if (!b) return a;
  if (a.all || b.all) return { all: true };
  return { all: false, roots: [...new Set([...a.roots, ...b.roots])] };
}

/**
 * Per-object check on a learning object owned by `orgId`: `perm` held there, else 403 when the object is visible to
 * the caller anyway (`visible`), else 404.
 */
export async function authorizeLearningOrg(
  db: Executor,
  p: Principal,
  perm: Permission,
  orgId: number,
  visible: boolean,
  what: string,
): Promise<void> {
  requirePermission(p, perm);
  if (await orgInScope(db, p, perm, orgId)) return;
  if (visible) throw forbidden();
  throw new ScopeDenied(what);
}

/** The linked party member of the caller (members study; accounts without a member cannot). */
export function requireMember(p: Principal): number {
  if (p.memberId === null) {
    throw new AppError(
      403,
      'forbidden',
      'Your account is not linked to a party member: study is for members',
      undefined,
      {
        reason: 'no_member',
      },
    );
  }
  return p.memberId;
}

export { authorizeOrg };
