/**
 * What the current user may see, derived once from `user.permissions`. Menu entries and routes
 * name one of these keys; the server still checks every request.
 */
import type { SessionUser } from './api/types';

export interface Access {
  canReadOrgs: boolean;
  canWriteOrgs: boolean;
  canManageUsers: boolean;
  canManageSettings: boolean;
  canManageGrants: boolean;
  canManagePolicy: boolean;
  canViewRoles: boolean;
  canReadAudit: boolean;
  canRevokeSessions: boolean;
  /** the roster and training hours (ID and phone masked) */
  canReadMembers: boolean;
  /** create, edit, import members; record posts and training hours */
  canWriteMembers: boolean;
  /** show full ID and phone numbers (audited), export unmasked */
  canRevealMembers: boolean;
  canExportMembers: boolean;
  canReadStaffing: boolean;
  /** set 编制 */
  canWriteStaffing: boolean;
  canManageTransfers: boolean;
  canReadMeetings: boolean;
  canWriteMeetings: boolean;
  canReadCompliance: boolean;
  /** 党建学习: study (library, player, quizzes, own points) */
  canStudy: boolean;
  /** upload content, keep the question bank and papers */
  canPublishLearning: boolean;
  /** review, publish and withdraw content */
  canReviewLearning: boolean;
  /** content management page: publishers or reviewers */
  canAdminLearningContent: boolean;
  /** learning plans, their progress, point rules, the ranking switch */
  canManageLearning: boolean;
  /** compliance rules, exemption decisions, group-robot webhooks, sending reminders */
  canManageCompliance: boolean;
}

export type AccessKey = keyof Access;

export function accessFor(user: SessionUser | null | undefined): Access {
  const permissions = new Set<string>(user?.permissions ?? []);
  const canManageGrants = permissions.has('grant.manage');
  const canManagePolicy = permissions.has('policy.manage');
  return {
    canReadOrgs: permissions.has('org.read'),
    canWriteOrgs: permissions.has('org.write'),
    canManageUsers: permissions.has('user.manage'),
    canManageSettings: permissions.has('settings.manage'),
    canManageGrants,
    canManagePolicy,
    canViewRoles: canManageGrants || canManagePolicy,
    canReadAudit: permissions.has('audit.read'),
    // `session.revoke` is not in docs/api.md; 系统管理员 (user.manage) may end sessions per the contract.
    canRevokeSessions: permissions.has('session.revoke') || permissions.has('user.manage'),
    canReadMembers: permissions.has('member.read'),
    canWriteMembers: permissions.has('member.write'),
    canRevealMembers: permissions.has('member.reveal'),
    canExportMembers: permissions.has('member.export'),
    canReadStaffing: permissions.has('staffing.read'),
    canWriteStaffing: permissions.has('staffing.write'),
    canManageTransfers: permissions.has('transfer.manage'),
    canReadMeetings: permissions.has('meeting.read'),
    canWriteMeetings: permissions.has('meeting.write'),
    canReadCompliance: permissions.has('compliance.read'),
    canStudy: permissions.has('learning.read'),
    canPublishLearning: permissions.has('learning.publish'),
    canReviewLearning: permissions.has('learning.review'),
    canAdminLearningContent: permissions.has('learning.publish') || permissions.has('learning.review'),
    canManageLearning: permissions.has('learning.manage'),
    canManageCompliance: permissions.has('compliance.manage'),
  };
}
