/**
 * Roles and permissions: the one place that says which role may do what.
 * Business roles are granted on an organisation and cover its subtree; the three
 * separated admin roles (三员分立) are global and mutually exclusive.
 */
export const PERMISSIONS = [
  'org.read',
  'org.write',
  /** the roster: list and read members (ID and phone masked) */
  'member.read',
  /** create, edit, import members; record posts and training hours */
  'member.write',
  /** see full ID and phone numbers (audited), export unmasked */
  'member.reveal',
  /** export the roster (masked) */
  'member.export',
  /** 编制 and the staffing view */
  'staffing.read',
  'staffing.write',
  /** start, accept and return transfers (组织关系转接) */
  'transfer.manage',
  /** see meetings and plans of the organisation (members see their own branch's) */
  'meeting.read',
  /** plan, record, submit and correct meetings */
  'meeting.write',
  /** see compliance results and rollups, quality signals */
  'compliance.read',
  /** override rules for a subtree, approve exemptions, set webhooks */
  'compliance.manage',
  /** 党建学习: study what is visible to you (members: their own progress, quizzes and points) */
  'learning.read',
  /** create content, questions and papers for an organisation; submit them for review */
  'learning.publish',
  /** the publisher's admin: approve (publish), reject and withdraw content */
  'learning.review',
  /** learning plans, progress of a subtree, point rules, the ranking switch */
  'learning.manage',
  'user.read',
  'user.manage',
  'session.revoke',
  'settings.manage',
  'grant.manage',
  'policy.manage',
  'audit.read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ADMIN_ROLES = ['sysadmin', 'secadmin', 'auditor'] as const;
export type AdminRole = (typeof ADMIN_ROLES)[number];
export const SCOPED_ROLES = ['org_admin', 'secretary', 'member'] as const;
export type ScopedRole = (typeof SCOPED_ROLES)[number];
export type Role = AdminRole | ScopedRole;
export const ROLES: readonly Role[] = [...SCOPED_ROLES, ...ADMIN_ROLES];

export interface RoleDefinition {
  key: Role;
  /** one of the three separated admin powers */
  admin: boolean;
  /** granted on an organisation; covers its subtree */
  scoped: boolean;
  permissions: readonly Permission[];
  /** permissions this role holds over the whole tree even though it is not scoped */
  global?: readonly Permission[];
}

export const ROLE_DEFINITIONS: Record<Role, RoleDefinition> = {
  org_admin: {
    key: 'org_admin',
    admin: false,
    scoped: true,
    permissions: [
      'org.read',
      'org.write',
      'member.read',
      'member.write',
      'member.reveal',
      'member.export',
      'staffing.read',
      'staffing.write',
      'transfer.manage',
      'meeting.read',
      'meeting.write',
      'compliance.read',
      'compliance.manage',
      'learning.read',
      'learning.publish',
      'learning.review',
      'learning.manage',
    ],
  },
  secretary: {
    key: 'secretary',
    admin: false,
    scoped: true,
    permissions: [
      'org.read',
      'member.read',
      'member.write',
      'member.export',
      'staffing.read',
      'transfer.manage',
      'meeting.read',
      'meeting.write',
      'compliance.read',
      'learning.read',
      'learning.manage',
    ],
  },
  member: { key: 'member', admin: false, scoped: true, permissions: ['org.read', 'meeting.read', 'learning.read'] },
  // 系统管理员: accounts and system settings; no member data.
  sysadmin: {
    key: 'sysadmin',
    admin: true,
    scoped: false,
    permissions: ['user.read', 'user.manage', 'session.revoke', 'settings.manage'],
  },
  // 安全管理员: roles, grants, security policy. Reads the bare org structure to grant on it.
  secadmin: {
    key: 'secadmin',
    admin: true,
    scoped: false,
    permissions: ['user.read', 'session.revoke', 'grant.manage', 'policy.manage', 'org.read'],
    global: ['org.read'],
  },
  // 审计管理员: reads and verifies the audit log, nothing else.
  auditor: { key: 'auditor', admin: true, scoped: false, permissions: ['audit.read'] },
};

export function isAdminRole(role: string): role is AdminRole {
  return (ADMIN_ROLES as readonly string[]).includes(role);
}
