/** Types of the JSON the API returns (docs/api.md). */

export type Id = string | number;

export type AdminRole = 'sysadmin' | 'secadmin' | 'auditor';
export type RoleKey = 'org_admin' | 'secretary' | 'member' | AdminRole;
export type Permission =
  | 'org.read'
  | 'org.write'
  | 'user.manage'
  | 'settings.manage'
  | 'grant.manage'
  | 'policy.manage'
  | 'audit.read'
  // Not in docs/api.md, sent by the server for 系统管理员 / 安全管理员:
  | 'user.read'
  | 'session.revoke';

export interface UserGrant {
  id: Id;
  role: RoleKey;
  orgId: Id | null;
  orgName: string | null;
}

export type OrgKind = 'committee' | 'general_branch' | 'branch' | 'group';
export type TermStatus = 'ok' | 'due_soon' | 'overdue' | 'none';

export interface ScopeRoot {
  id: Id;
  name: string;
  kind: OrgKind;
}

export interface SessionUser {
  id: Id;
  username: string;
  displayName: string;
  adminRole: AdminRole | null;
  grants: UserGrant[];
  permissions: string[];
  /** Not in docs/api.md: true when the org.read scope is the whole tree (scopeRoots is then empty). */
  scopeAll?: boolean;
  scopeRoots: ScopeRoot[];
  mustChangePassword: boolean;
  passwordExpired: boolean;
  mfa: { required: boolean; enrolled: boolean; pending: boolean };
  memberId: Id | null;
}

export interface SessionResponse {
  user: SessionUser;
  csrfToken: string;
}

export interface TotpSetup {
  secret: string;
  otpauthUrl: string;
  qrDataUrl: string;
}

export interface Org {
  id: Id;
  parentId: Id | null;
  name: string;
  kind: OrgKind;
  isJoint: boolean;
  unitName: string | null;
  divisionCode: string | null;
  divisionName: string | null;
  foundedOn: string | null;
  termStart: string | null;
  termYears: number | null;
  termEnd: string | null;
  termStatus: TermStatus;
  depth: number;
  path: Id[];
  childCount: number;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  total: number;
}

export interface OrgInput {
  name: string;
  kind: OrgKind;
  isJoint?: boolean;
  unitName?: string | null;
  divisionCode?: string | null;
  foundedOn?: string | null;
  termStart?: string | null;
  termYears?: number | null;
}

export interface Division {
  code: string;
  name: string;
}

export interface AdminUser {
  id: Id;
  username: string;
  displayName: string;
  disabled: boolean;
  locked: boolean;
  lockedUntil: string | null;
  mustChangePassword: boolean;
  totpEnabled: boolean;
  totpExempt: boolean;
  lastLoginAt: string | null;
  createdAt: string;
  grants: UserGrant[];
}

export interface PlatformSettings {
  platformName: string;
  defaultLocale: 'zh-CN' | 'en-US';
}

export interface RoleInfo {
  key: RoleKey;
  admin: boolean;
  scoped: boolean;
  permissions: string[];
}

export interface Grant {
  id: Id;
  userId: Id;
  username: string;
  role: RoleKey;
  orgId: Id | null;
  orgName: string | null;
  createdAt: string;
}

export interface SecurityPolicy {
  passwordMinLength: number;
  passwordMinClasses: number;
  passwordMaxAgeDays: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  absoluteTimeoutHours: number;
  totpRequiredForAdmins: boolean;
  totpRequiredForAll: boolean;
}

export interface AuditEntry {
  id: Id;
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  result: string;
  ip: string | null;
  detail: unknown;
}

export interface AuditVerifyResult {
  ok: boolean;
  checked: number;
  firstBrokenId: Id | null;
  message: string;
}
