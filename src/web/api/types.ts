/** Types of the JSON the API returns (docs/api.md). */
import type { MemberCategory, MemberStatus, PartyPost } from '../../shared/members';
import type { TrainingEntry, TrainingRow } from '../../shared/staffing';

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
  | 'member.read'
  | 'member.write'
  | 'member.reveal'
  | 'member.export'
  | 'staffing.read'
  | 'staffing.write'
  | 'transfer.manage'
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

// ---- members (issue 3) ----------------------------------------------------------------------------------

export type {
  MemberCategory,
  MemberStatus,
  PartyPost,
} from '../../shared/members';
export type {
  PostItem,
  StaffingRow,
  StaffingSummary,
  StaffingView,
  TrainingEntry,
  TrainingRow,
  TrainingSource,
  TrainingView,
} from '../../shared/staffing';
export type { TransferItem, TransferKind, TransferStatus } from '../../shared/transfers';

export interface MemberPost {
  post: PartyPost;
  orgId: Id;
  fullTime: boolean;
  startedAt: string;
  endedAt: string | null;
}

/** A roster entry: `idNumber` and `phone` always masked. */
export interface Member {
  id: Id;
  name: string;
  gender: '男' | '女' | null;
  ethnicity: string | null;
  birthDate: string | null;
  idNumber: string | null;
  phone: string | null;
  education: string | null;
  unit: string | null;
  title: string | null;
  orgId: Id;
  orgName: string;
  category: MemberCategory;
  joinedAt: string | null;
  fullAt: string | null;
  status: MemberStatus;
  /** 党龄, null while probationary */
  partyAge: number | null;
  age: number | null;
  posts: MemberPost[];
}

export interface MemberInput {
  name: string;
  gender: '男' | '女';
  ethnicity: string;
  birthDate: string;
  idNumber: string;
  phone?: string | null;
  education?: string | null;
  unit?: string | null;
  title?: string | null;
  orgId: number;
  category: MemberCategory;
  joinedAt: string;
  fullAt?: string | null;
  status?: MemberStatus;
}

export interface MemberHistoryEntry {
  id: Id;
  at: string;
  actor: string;
  action: string;
  changes: { field: string; from: string | number | null; to: string | number | null }[];
}

/** The full numbers of `POST /api/members/:id/reveal` (never cached). */
export interface RevealedNumbers {
  idNumber: string | null;
  phone: string | null;
}

export interface ImportError {
  row: number;
  column: string;
  message: string;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  committed: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: ImportError[];
}

export interface TrainingLedger extends TrainingRow {
  year: number;
  entries: TrainingEntry[];
}

export interface TransferDestination {
  id: Id;
  name: string;
  unitName: string | null;
  parentName: string | null;
}
