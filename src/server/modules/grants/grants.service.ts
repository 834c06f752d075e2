/** Role grants (安全管理员). Enforces 三员分立: no account holds two of the three admin roles. */
import { isAdminRole, ROLE_DEFINITIONS, type Role } from '../../../shared/roles.js';
import type { Executor } from '../../db/database.js';
import { AppError, conflict, notFound, validation } from '../../errors.js';
import * as orgsRepo from '../orgs/orgs.repository.js';
import * as users from '../users/users.repository.js';
import * as repo from './grants.repository.js';

export interface GrantView {
  id: number;
  userId: number;
  username: string;
  role: string;
  orgId: number | null;
  orgName: string | null;
  createdAt: string;
}

const toView = (g: repo.GrantRow): GrantView => ({
  id: g.id,
  userId: g.user_id,
  username: g.username,
  role: g.role,
  orgId: g.org_id,
  orgName: g.org_name,
  createdAt: g.created_at,
});

export async function list(db: Executor, userId?: number) {
  const rows = await repo.list(db, userId);
  return { items: rows.map(toView), total: rows.length };
}

export async function get(db: Executor, id: number): Promise<GrantView> {
  const g = await repo.findById(db, id);
  if (!g) throw notFound('grant');
  return toView(g);
}

export async function create(
  db: Executor,
  input: { userId: number; role: Role; orgId?: number | null },
  by: string,
): Promise<number> {
  const user = await users.findById(db, input.userId);
  if (!user) throw notFound('account');
  const def = ROLE_DEFINITIONS[input.role];
  const orgId = input.orgId ?? null;
  if (def.scoped && orgId === null) throw validation('orgId', `role ${input.role} is granted on an organisation`);
  if (!def.scoped && orgId !== null) throw validation('orgId', `role ${input.role} is not tied to an organisation`);
  if (orgId !== null && !(await orgsRepo.exists(db, orgId))) throw validation('orgId', 'organisation does not exist');
  const existing = await repo.forUser(db, input.userId);
  if (existing.some((g) => g.role === input.role && g.org_id === orgId)) {
    throw conflict('grant_exists', `${user.username} already holds ${input.role} here`);
  }
  if (isAdminRole(input.role)) {
    const other = existing.find((g) => isAdminRole(g.role) && g.role !== input.role);
    if (other) {
      throw new AppError(
        409,
        'admin_role_conflict',
        `${user.username} already holds ${other.role}; 三员分立 forbids one account holding two of sysadmin, secadmin and auditor`,
        'role',
      );
    }
    const business = existing.find((g) => !isAdminRole(g.role));
    if (business) {
      throw new AppError(
        409,
        'admin_role_conflict',
        `${user.username} holds the business role ${business.role}; the three admin powers are given to separate accounts`,
        'role',
      );
    }
  } else {
    const admin = existing.find((g) => isAdminRole(g.role));
    if (admin) {
      throw new AppError(
        409,
        'admin_role_conflict',
        `${user.username} is a ${admin.role}; an admin account cannot also hold business roles over party data`,
        'role',
      );
    }
  }
  return repo.insert(db, { user_id: input.userId, role: input.role, org_id: orgId, created_by: by });
}

export async function remove(db: Executor, id: number): Promise<GrantView> {
  const g = await get(db, id);
  await repo.remove(db, id);
  return g;
}
