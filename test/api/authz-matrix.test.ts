/**
 * The authorization matrix (docs: /work/shared/security.md, Access): every /api route × role × position of the
 * target organisation relative to the caller, with the status each combination must answer. A registered route
 * without a row, or a row without a registered route, fails the suite.
 *
 * Roles are the demo accounts: member (`member`), secretary (`branch`), org_admin (`chengdu`), province
 * (org_admin on the root), and the three separated admins. Positions, for org-scoped routes:
 *   org_admin (成都):           own 成都 org, descendant a 成都 branch, parent the root, sibling 绵阳 org,
 *                               unrelated a provincial division branch (办公室党支部)
 *   secretary/member (成都一支部): own their branch, descendant a 党小组 under it, parent 成都 org,
 *                               sibling 成都 second branch, unrelated 绵阳 org
 *   province (root):            own the root, descendant a 成都 org (nothing is above or beside the root)
 *   anonymous and the admins hold no grant: they are tried at each of the org_admin positions and one status
 *   applies to all of them.
 * Requests carry a valid CSRF header and a valid body, so that authorization is the only possible reason to
 * refuse. Destructive requests (delete, move) work on throwaway orgs created by `province` in the right position.
 */
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart, people, rowFor, sheet } from '../fixtures/members.js';
import { allOrgs, createTestApp, login, type OrgItem, type Session, type TestApp } from '../helpers/app.js';
import { fakeMp4, form as learningForm } from './learning-helpers.js';

// ---- the matrix ------------------------------------------------------------------------------------------------

const ROLES = ['anonymous', 'member', 'secretary', 'org_admin', 'province', 'sysadmin', 'secadmin', 'auditor'] as const;
type Role = (typeof ROLES)[number];
type AccountRole = Exclude<Role, 'anonymous'>;
const ACCOUNT: Record<AccountRole, string> = {
  member: 'member',
  secretary: 'branch',
  org_admin: 'chengdu',
  province: 'province',
  sysadmin: 'sysadmin',
  secadmin: 'secadmin',
  auditor: 'auditor',
};
const SCOPED: readonly Role[] = ['member', 'secretary', 'org_admin', 'province'];
const POSITIONS = ['own', 'descendant', 'parent', 'sibling', 'unrelated'] as const;
type Position = (typeof POSITIONS)[number];

/**
 * A cell: one status for the role, or for org-scoped routes and scoped roles five statuses
 * "own descendant parent sibling unrelated", `-` where the position does not exist.
 */
type Cell = number | string;
type Row = readonly [
  anonymous: Cell,
  member: Cell,
  secretary: Cell,
  org_admin: Cell,
  province: Cell,
  sysadmin: Cell,
  secadmin: Cell,
  auditor: Cell,
];

// biome-ignore format: the matrix is a table
const MATRIX = {
  //                                      anonymous member                 secretary              org_admin              province         sysadmin secadmin auditor
  'GET /api/health':                      [200,      200,                   200,                   200,                   200,             200,     200,     200],
  'GET /api/openapi.json':                [200,      200,                   200,                   200,                   200,             200,     200,     200],
  'POST /api/auth/login':                 [200,      200,                   200,                   200,                   200,             200,     200,     200],
  'GET /api/auth/me':                     [401,      200,                   200,                   200,                   200,             200,     200,     200],
  'POST /api/auth/password':              [401,      204,                   204,                   204,                   204,             204,     204,     204],
  'GET /api/auth/totp/setup':             [401,      200,                   200,                   200,                   200,             200,     200,     200],
  'POST /api/auth/totp/enable':           [401,      204,                   204,                   204,                   204,             204,     204,     204],
  'POST /api/auth/totp/verify':           [401,      204,                   204,                   204,                   204,             204,     204,     204],
  'POST /api/auth/logout':                [401,      204,                   204,                   204,                   204,             204,     204,     204],
  'GET /api/divisions':                   [401,      200,                   200,                   200,                   200,             200,     200,     200],
  'GET /api/orgs':                        [401,      200,                   200,                   200,                   200,             403,     200,     403],
  'GET /api/orgs/:id':                    [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     200,     403],
  'POST /api/orgs':                       [401,      '403 403 403 403 403', '403 403 403 403 403', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'PATCH /api/orgs/:id':                  [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/orgs/:id/move':              [401,      '403 403 403 403 403', '403 403 403 403 403', '403 200 404 404 404', '403 200 - - -', 403,     403,     403],
  'DELETE /api/orgs/:id':                 [401,      '403 403 403 403 403', '403 403 403 403 403', '403 204 404 404 404', '403 204 - - -', 403,     403,     403],
  'GET /api/users':                       [401,      403,                   403,                   403,                   403,             200,     200,     403],
  'POST /api/users':                      [401,      403,                   403,                   403,                   403,             201,     403,     403],
  'PATCH /api/users/:id':                 [401,      403,                   403,                   403,                   403,             200,     403,     403],
  'POST /api/users/:id/unlock':           [401,      403,                   403,                   403,                   403,             200,     403,     403],
  'POST /api/users/:id/reset-password':   [401,      403,                   403,                   403,                   403,             200,     403,     403],
  'POST /api/users/:id/revoke-sessions':  [401,      403,                   403,                   403,                   403,             200,     200,     403],
  'GET /api/roles':                       [401,      403,                   403,                   403,                   403,             403,     200,     403],
  'GET /api/grants':                      [401,      403,                   403,                   403,                   403,             403,     200,     403],
  'POST /api/grants':                     [401,      403,                   403,                   403,                   403,             403,     201,     403],
  'DELETE /api/grants/:id':               [401,      403,                   403,                   403,                   403,             403,     204,     403],
  'GET /api/security/policy':             [401,      403,                   403,                   403,                   403,             403,     200,     403],
  'PUT /api/security/policy':             [401,      403,                   403,                   403,                   403,             403,     200,     403],
  'GET /api/public/settings':             [200,      200,                   200,                   200,                   200,             200,     200,     200],
  'GET /api/settings':                    [401,      403,                   403,                   403,                   403,             200,     403,     403],
  'PUT /api/settings':                    [401,      403,                   403,                   403,                   403,             200,     403,     403],
  'GET /api/audit':                       [401,      403,                   403,                   403,                   403,             403,     403,     200],
  'POST /api/audit/verify':               [401,      403,                   403,                   403,                   403,             403,     403,     200],
  // staffing, training hours, transfers (issue 3): people need member.*, figures staffing.*, transfers transfer.manage
  'GET /api/posts':                       [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/posts':                      [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'POST /api/posts/:id/end':              [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/staffing':                    [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/staffing/export':             [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PUT /api/staffing/:orgId':             [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/training-hours':              [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/training-hours':             [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/training-hours/:memberId':    [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/transfers':                   [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/transfers/destinations':      [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/transfers':                  [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'POST /api/transfers/:id/accept':       [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/transfers/:id/return':       [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/transfers/:id/letter':        [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  // members (issue 3): org-scoped through the member's org; reveal and unmasked export need member.reveal
  'GET /api/members':                     [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/members':                    [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/members/:id':                 [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PATCH /api/members/:id':               [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/members/:id/reveal':         [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/members/:id/history':         [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/members/import-template':     [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/members/import':             [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/members/import/errors':      [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/members/export':              [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  // meetings (issue 4): meeting.read for members, secretaries and org_admins; meeting.write for the latter two.
  // Submit: the recorder (here the member's own linked member) or a writer. Sign-in: any account with a linked
  // member on the meeting's roster (chengdu, province and the admins have none: 403). The calendar feed by token is public.
  'GET /api/meetings':                    [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/meetings':                   [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/meetings/upcoming':           [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/meetings/copy-plan':         [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/meetings/signin':            [401,      '200 200 404 404 404', '200 200 404 404 404', '403 403 403 403 403', '403 403 - - -', 403,     403,     403],
  'GET /api/meetings/book.docx':          [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/meetings/calendar.ics':       [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/meetings/calendar-link':      [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/meetings/calendar/:token.ics':[200,      200,                   200,                   200,                   200,             200,     200,     200],
  'GET /api/meetings/:id':                [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PATCH /api/meetings/:id':              [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'DELETE /api/meetings/:id':             [401,      '403 403 403 403 403', '204 204 404 404 404', '204 204 404 404 404', '204 204 - - -', 403,     403,     403],
  'POST /api/meetings/:id/submit':        [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/meetings/:id/versions':       [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/meetings/:id/signin-code':    [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/meetings/:id/record.docx':    [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/meetings/:id/attachments':   [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/meetings/:id/attachments/:attachmentId':    [401, '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403, 403, 403],
  'DELETE /api/meetings/:id/attachments/:attachmentId': [401, '403 403 403 403 403', '204 204 404 404 404', '204 204 404 404 404', '204 204 - - -', 403, 403, 403],
  // compliance (issue 4): compliance.read (secretary, org_admin) reads and asks exemptions; compliance.manage (org_admin)
  // sets rules and webhooks, runs reminders and decides exemptions, which needs it on the PARENT of the asking org.
  'GET /api/compliance':                  [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/compliance/behind':           [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/compliance/signals':          [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/compliance/todo':             [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/compliance/rules':            [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/compliance/rules':           [401,      '403 403 403 403 403', '403 403 403 403 403', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'DELETE /api/compliance/rules/:id':     [401,      '403 403 403 403 403', '403 403 403 403 403', '204 204 404 404 404', '204 204 - - -', 403,     403,     403],
  'GET /api/compliance/exemptions':       [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/compliance/exemptions':      [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'POST /api/compliance/exemptions/:id/approve': [401, '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403, 403, 403],
  'POST /api/compliance/exemptions/:id/reject':  [401, '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403, 403, 403],
  'GET /api/compliance/webhooks/:orgId':  [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PUT /api/compliance/webhooks/:orgId':  [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/compliance/reminders/run':   [401,      403,                   403,                   200,                   200,             403,     403,     403],
  // learning (issue 5): learning.read for members, secretaries and org_admins (what is visible: items for their
  // org's subtree or an ancestor's); learning.publish/review (org_admin) on the publisher's org; a withdraw or cover
  // change of an item visible but not managed is 403. Progress needs a linked member (chengdu, province: 403).
  'POST /api/learning/content':           [401,      '403 403 403 403 403', '403 403 403 403 403', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/learning/content':            [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/learning/topics':             [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/learning/content/:id':        [401,      '200 200 200 404 404', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403,     403,     403],
  'PATCH /api/learning/content/:id':      [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'DELETE /api/learning/content/:id':     [401,      '403 403 403 403 403', '403 403 403 403 403', '204 204 404 404 404', '204 204 - - -', 403,     403,     403],
  'POST /api/learning/content/:id/submit':   [401,   '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/learning/content/:id/publish':  [401,   '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/learning/content/:id/reject':   [401,   '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/learning/content/:id/withdraw': [401,   '403 403 403 403 403', '403 403 403 403 403', '200 200 403 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/learning/content/:id/media':  [401,      '200 200 200 404 404', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/learning/content/:id/cover':  [401,      '200 200 200 404 404', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/learning/content/:id/cover': [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 403 404 404', '200 200 - - -', 403,     403,     403],
  'POST /api/learning/progress':          [401,      '200 200 200 404 404', '200 200 200 404 404', '403 403 403 403 403', '403 403 - - -', 403,     403,     403],
  // the question bank carries answers: learning.publish only. Papers are visible like subtree content; attempts
  // belong to their member (another member: 404; accounts without a member: 403). Plans: learning.manage
  // (secretary on their branch, org_admin); a plan of an org above is visible, deleting it is 403.
  'GET /api/learning/questions':          [401,      403,                   403,                   200,                   200,             403,     403,     403],
  'POST /api/learning/questions':         [401,      '403 403 403 403 403', '403 403 403 403 403', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/learning/questions/template': [401,      403,                   403,                   200,                   200,             403,     403,     403],
  'POST /api/learning/questions/import':  [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PUT /api/learning/questions/:id':      [401,      '403 403 403 403 403', '403 403 403 403 403', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'DELETE /api/learning/questions/:id':   [401,      '403 403 403 403 403', '403 403 403 403 403', '204 204 404 404 404', '204 204 - - -', 403,     403,     403],
  'GET /api/learning/papers':             [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'POST /api/learning/papers':            [401,      '403 403 403 403 403', '403 403 403 403 403', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/learning/papers/:id':         [401,      '200 200 200 404 404', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403,     403,     403],
  'DELETE /api/learning/papers/:id':      [401,      '403 403 403 403 403', '403 403 403 403 403', '204 204 403 404 404', '204 204 - - -', 403,     403,     403],
  'POST /api/learning/papers/:id/attempts': [401,    '201 201 201 404 404', '201 201 201 404 404', '403 403 403 403 403', '403 403 - - -', 403,     403,     403],
  'GET /api/learning/attempts/:id':       [401,      200,                   404,                   403,                   403,             403,     403,     403],
  'POST /api/learning/attempts/:id/submit': [401,    200,                   404,                   403,                   403,             403,     403,     403],
  'POST /api/learning/plans':             [401,      '403 403 403 403 403', '201 201 404 404 404', '201 201 404 404 404', '201 201 - - -', 403,     403,     403],
  'GET /api/learning/plans':              [401,      403,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/learning/plans/:id':          [401,      '403 403 403 403 403', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403,     403,     403],
  'DELETE /api/learning/plans/:id':       [401,      '403 403 403 403 403', '204 204 403 404 404', '204 204 403 404 404', '204 204 - - -', 403,     403,     403],
  'GET /api/learning/plans/:id/progress': [401,      '403 403 403 403 403', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/learning/plans/:id/progress/export': [401, '403 403 403 403 403', '200 200 200 404 404', '200 200 200 404 404', '200 200 - - -', 403, 403, 403],
  'GET /api/learning/home':               [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/learning/points/me':          [401,      200,                   200,                   200,                   200,             403,     403,     403],
  'GET /api/learning/points/orgs':        [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/learning/points/rules':       [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PUT /api/learning/points/rules':       [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'GET /api/learning/rankings':           [401,      '200 200 404 404 404', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
  'PUT /api/learning/rankings/:orgId':    [401,      '403 403 403 403 403', '200 200 404 404 404', '200 200 404 404 404', '200 200 - - -', 403,     403,     403],
} as const satisfies Record<string, Row>;
type RouteKey = keyof typeof MATRIX;

/**
 * Routes of @fastify/swagger-ui: the public API documentation. Listed one by one (not by prefix) so that a
 * route added under /api/docs later still needs a row.
 */
const EXCLUDED_DOC_ROUTES = [
  'GET /api/docs',
  'GET /api/docs/',
  'GET /api/docs/*',
  'GET /api/docs/json',
  'GET /api/docs/yaml',
  'GET /api/docs/static/index.html',
  'GET /api/docs/static/swagger-initializer.js',
];

// ---- the app, the accounts, the tree ---------------------------------------------------------------------------

let t: TestApp;
const sessions = {} as Record<AccountRole, Session>;
const passwords = {} as Record<AccountRole, string>;
const totpSecrets = new Map<AccountRole, string>();
let tree: OrgItem[];
const org = {} as Record<
  'root' | 'chengdu' | 'chengduB1' | 'chengduB1Group' | 'chengduB2' | 'mianyang' | 'mianyangB1' | 'provinceBranch',
  OrgItem
>;
/** accounts created for the probes: nobody's session is at stake when they are changed */
const probe = { loginUser: '', loginPassword: 'Lg7#pQv2xW', targetUserId: 0, grantUserId: 0 };
let systemSettings: unknown;
let securityPolicy: unknown;
let seq = 0;
const next = () => ++seq;

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
interface Req {
  method: Method;
  url: string;
  payload?: unknown;
  /** send with this session instead of the role's own (e.g. a second session that may be ended) */
  session?: Session | null;
  /** extra request headers (a multipart upload's content type) */
  headers?: Record<string, string>;
  after?: (status: number, body: string) => void;
}

async function send(req: Req, s: Session | null) {
  const headers: Record<string, string> = { ...req.headers };
  if (s) headers.cookie = s.cookie;
  // Anonymous callers have no token to match; any non-empty header passes the CSRF gate, so 401 is what decides.
  if (req.method !== 'GET') headers['x-csrf-token'] = s ? s.csrf : 'anonymous';
  return t.app.inject({
    method: req.method,
    url: req.url,
    headers,
    ...(req.payload !== undefined ? { payload: req.payload as object } : {}),
  });
}

async function as(role: AccountRole, method: Method, url: string, payload?: unknown) {
  return send({ method, url, payload }, sessions[role]);
}

function find(pred: (o: OrgItem) => boolean, what: string): OrgItem {
  const found = tree.filter(pred);
  if (found.length !== 1) throw new Error(`expected one org: ${what}; found ${found.length}`);
  return found[0];
}

const childKind = (o: { kind: string }) => (o.kind === 'branch' || o.kind === 'group' ? 'group' : 'branch');

/** Creates an empty org as `province` (the root's org_admin) and returns it. */
async function throwaway(parent: OrgItem): Promise<OrgItem> {
  const res = await as('province', 'POST', '/api/orgs', {
    parentId: parent.id,
    name: `矩阵测试临时组织${next()}`,
    kind: childKind(parent),
  });
  if (res.statusCode !== 201) throw new Error(`throwaway org under ${parent.name}: ${res.statusCode} ${res.body}`);
  return res.json() as OrgItem;
}

/** The org at `position` relative to the caller's grant org. Admins and anonymous use the org_admin positions. */
function positionOrg(role: Role, position: Position): OrgItem | null {
  if (role === 'province') return position === 'own' ? org.root : position === 'descendant' ? org.chengdu : null;
  if (role === 'member' || role === 'secretary') {
    return {
      own: org.chengduB1,
      descendant: org.chengduB1Group,
      parent: org.chengdu,
      sibling: org.chengduB2,
      unrelated: org.mianyang,
    }[position];
  }
  return {
    own: org.chengdu,
    descendant: org.chengduB1,
    parent: org.root,
    sibling: org.mianyang,
    unrelated: org.provinceBranch,
  }[position];
}

/**
 * A fresh empty org in the position, for deletes and moves. Own and parent are the real orgs (they cannot be
 * fresh); a refusal that breaks there still fails the row (the org is not empty, so a missing check gives 409).
 */
async function destructibleOrg(role: Role, position: Position): Promise<OrgItem | null> {
  const real = positionOrg(role, position);
  if (!real || position === 'own' || position === 'parent') return real;
  const branchLevel = role === 'member' || role === 'secretary';
  if (position === 'descendant') return throwaway(org.chengduB1);
  if (position === 'sibling') return throwaway(branchLevel ? org.chengdu : org.root);
  return throwaway(branchLevel ? org.mianyangB1 : org.provinceBranch);
}

/** Where a moved org goes: inside the 成都 subtree, so that the target is what decides. */
const moveDestination = (o: OrgItem) => (o.kind === 'group' ? org.chengduB2 : org.chengdu);

function totpCode(secret: string, offsetPeriods = 0): string {
  const totp = new OTPAuth.TOTP({
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  });
  return totp.generate({ timestamp: Date.now() + offsetPeriods * 30_000 });
}

// ---- how each route is called ------------------------------------------------------------------------------------

interface ProbeArgs {
  role: Role;
  /** the target org of an org-scoped route, at `position` */
  position: Position | null;
}
interface Probe {
  /** the route acts on an organisation: rows give statuses per position */
  org?: boolean;
  build(a: ProbeArgs): Promise<Req | null>;
}

const own = (a: ProbeArgs) => positionOrg(a.role, a.position!);

const PROBES: Record<RouteKey, Probe> = {
  'GET /api/health': { build: async () => ({ method: 'GET', url: '/api/health' }) },
  'GET /api/openapi.json': { build: async () => ({ method: 'GET', url: '/api/openapi.json' }) },
  'POST /api/auth/login': {
    build: async () => ({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: probe.loginUser, password: probe.loginPassword },
    }),
  },
  'GET /api/auth/me': { build: async () => ({ method: 'GET', url: '/api/auth/me' }) },
  'POST /api/auth/password': {
    // The current session survives a password change (the others end); the new password is kept for later logins.
    build: async ({ role }) => {
      if (role === 'anonymous') {
        return {
          method: 'POST',
          url: '/api/auth/password',
          payload: { currentPassword: 'x', newPassword: 'Yy8#kLp3qZ' },
        };
      }
      const newPassword = `Matrix#${next()}x${role.length}Q`;
      return {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: passwords[role], newPassword },
        after: (status) => {
          if (status === 204) passwords[role] = newPassword;
        },
      };
    },
  },
  'GET /api/auth/totp/setup': { build: async () => ({ method: 'GET', url: '/api/auth/totp/setup' }) },
  'POST /api/auth/totp/enable': {
    build: async ({ role }) => {
      if (role === 'anonymous') return { method: 'POST', url: '/api/auth/totp/enable', payload: { code: '000000' } };
      const setup = await as(role, 'GET', '/api/auth/totp/setup');
      if (setup.statusCode !== 200) throw new Error(`totp setup for ${role}: ${setup.statusCode} ${setup.body}`);
      const { secret } = setup.json() as { secret: string };
      return {
        method: 'POST',
        url: '/api/auth/totp/enable',
        payload: { code: totpCode(secret) },
        after: (status) => {
          if (status === 204) totpSecrets.set(role, secret);
        },
      };
    },
  },
  'POST /api/auth/totp/verify': {
    build: async ({ role }) => {
      if (role === 'anonymous') return { method: 'POST', url: '/api/auth/totp/verify', payload: { code: '000000' } };
      const secret = totpSecrets.get(role);
      if (!secret) throw new Error(`${role} has not enrolled TOTP (the enable row must pass first)`);
      // the next period's code: still valid (window 1) and not the one used to enable
      return { method: 'POST', url: '/api/auth/totp/verify', payload: { code: totpCode(secret, 1) } };
    },
  },
  'POST /api/auth/logout': {
    // Ends a second session of the same account, not the one the other rows use.
    build: async ({ role }) => ({
      method: 'POST',
      url: '/api/auth/logout',
      session: role === 'anonymous' ? null : await login(t, ACCOUNT[role], passwords[role]),
    }),
  },
  'GET /api/divisions': { build: async () => ({ method: 'GET', url: '/api/divisions?parent=5101' }) },
  'GET /api/orgs': { build: async () => ({ method: 'GET', url: '/api/orgs?pageSize=10000' }) },
  'GET /api/orgs/:id': {
    org: true,
    build: async (a) => {
      const o = own(a);
      return o && { method: 'GET', url: `/api/orgs/${o.id}` };
    },
  },
  'POST /api/orgs': {
    org: true,
    build: async (a) => {
      const parent = own(a);
      return (
        parent && {
          method: 'POST',
          url: '/api/orgs',
          payload: { parentId: parent.id, name: `矩阵测试新建组织${next()}`, kind: childKind(parent) },
        }
      );
    },
  },
  'PATCH /api/orgs/:id': {
    org: true,
    // renames the org to its own name: allowed or not, nothing changes
    build: async (a) => {
      const o = own(a);
      return o && { method: 'PATCH', url: `/api/orgs/${o.id}`, payload: { name: o.name } };
    },
  },
  'POST /api/orgs/:id/move': {
    org: true,
    build: async (a) => {
      const o = await destructibleOrg(a.role, a.position!);
      return o && { method: 'POST', url: `/api/orgs/${o.id}/move`, payload: { parentId: moveDestination(o).id } };
    },
  },
  'DELETE /api/orgs/:id': {
    org: true,
    build: async (a) => {
      const o = await destructibleOrg(a.role, a.position!);
      return o && { method: 'DELETE', url: `/api/orgs/${o.id}` };
    },
  },
  'GET /api/users': { build: async () => ({ method: 'GET', url: '/api/users' }) },
  'POST /api/users': {
    build: async () => ({
      method: 'POST',
      url: '/api/users',
      payload: { username: `probe${next()}`, displayName: '矩阵探针', password: 'Kq7#vLm2pX' },
    }),
  },
  'PATCH /api/users/:id': {
    build: async () => ({
      method: 'PATCH',
      url: `/api/users/${probe.targetUserId}`,
      payload: { displayName: `矩阵目标${next()}` },
    }),
  },
  'POST /api/users/:id/unlock': {
    build: async () => ({ method: 'POST', url: `/api/users/${probe.targetUserId}/unlock` }),
  },
  'POST /api/users/:id/reset-password': {
    build: async () => ({
      method: 'POST',
      url: `/api/users/${probe.targetUserId}/reset-password`,
      payload: { password: `Rt5$wRn${next()}qB` },
    }),
  },
  'POST /api/users/:id/revoke-sessions': {
    build: async () => ({ method: 'POST', url: `/api/users/${probe.targetUserId}/revoke-sessions` }),
  },
  'GET /api/roles': { build: async () => ({ method: 'GET', url: '/api/roles' }) },
  'GET /api/grants': { build: async () => ({ method: 'GET', url: '/api/grants' }) },
  'POST /api/grants': {
    build: async () => ({
      method: 'POST',
      url: '/api/grants',
      payload: { userId: probe.grantUserId, role: 'member', orgId: nextGrantOrg() },
    }),
  },
  'DELETE /api/grants/:id': {
    build: async () => {
      const res = await as('secadmin', 'POST', '/api/grants', {
        userId: probe.grantUserId,
        role: 'member',
        orgId: nextGrantOrg(),
      });
      if (res.statusCode !== 201) throw new Error(`grant for the delete probe: ${res.statusCode} ${res.body}`);
      return { method: 'DELETE', url: `/api/grants/${(res.json() as { id: number }).id}` };
    },
  },
  'GET /api/security/policy': { build: async () => ({ method: 'GET', url: '/api/security/policy' }) },
  'PUT /api/security/policy': {
    build: async () => ({ method: 'PUT', url: '/api/security/policy', payload: securityPolicy }),
  },
  'GET /api/public/settings': { build: async () => ({ method: 'GET', url: '/api/public/settings' }) },
  'GET /api/settings': { build: async () => ({ method: 'GET', url: '/api/settings' }) },
  'PUT /api/settings': { build: async () => ({ method: 'PUT', url: '/api/settings', payload: systemSettings }) },
  'GET /api/audit': { build: async () => ({ method: 'GET', url: '/api/audit?pageSize=5' }) },
  'POST /api/audit/verify': { build: async () => ({ method: 'POST', url: '/api/audit/verify' }) },
  // ---- staffing, training hours, transfers (issue 3) ----
  'GET /api/posts': { org: true, build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/posts?org=${o.id}` })) },
  'POST /api/posts': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: '/api/posts',
        payload: {
          memberId: await rosterMember(o),
          orgId: o.id,
          post: postFor(o),
          fullTime: false,
          startedAt: '2025-01-01',
        },
      })),
  },
  'POST /api/posts/:id/end': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: `/api/posts/${await postOn(o)}/end`,
        payload: { endedAt: '2025-06-30' },
      })),
  },
  'GET /api/staffing': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/staffing?org=${o.id}` })),
  },
  'GET /api/staffing/export': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/staffing/export?org=${o.id}` })),
  },
  'PUT /api/staffing/:orgId': {
    org: true,
    build: async (a) =>
      at(a, (o) => ({ method: 'PUT', url: `/api/staffing/${o.id}`, payload: { authorisedFullTime: 0 } })),
  },
  'GET /api/training-hours': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/training-hours?org=${o.id}` })),
  },
  'POST /api/training-hours': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: '/api/training-hours',
        payload: {
          memberId: await rosterMember(o),
          year: 2025,
          hours: 2,
          title: '矩阵测试学习',
          source: 'study',
          occurredOn: '2025-05-01',
        },
      })),
  },
  'GET /api/training-hours/:memberId': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'GET', url: `/api/training-hours/${await rosterMember(o)}` })),
  },
  'GET /api/transfers': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/transfers?org=${o.id}` })),
  },
  'GET /api/transfers/destinations': {
    build: async () => ({ method: 'GET', url: '/api/transfers/destinations?q=党支部' }),
  },
  'POST /api/transfers': {
    org: true,
    // from the position's org to a branch elsewhere (the receiving branch may lie outside the sender's scope)
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: '/api/transfers',
        payload: {
          kind: 'internal',
          memberId: await rosterMember(o),
          toOrgId: o.id === org.chengduB2.id ? org.mianyangB1.id : org.chengduB2.id,
          reason: '矩阵测试转接',
        },
      })),
  },
  'POST /api/transfers/:id/accept': {
    org: true,
    // the position is the receiving side
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: `/api/transfers/${await pendingTransferInto(o)}/accept` })),
  },
  'POST /api/transfers/:id/return': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: `/api/transfers/${await pendingTransferInto(o)}/return`,
        payload: { reason: '矩阵测试退回' },
      })),
  },
  'GET /api/transfers/:id/letter': {
    org: true,
    // the position is the sending side of an external transfer
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/transfers/${await externalTransferFrom(o)}/letter` })),
  },
  // ---- members (issue 3) ----
  'GET /api/members': { build: async () => ({ method: 'GET', url: '/api/members?pageSize=5' }) },
  'POST /api/members': {
    org: true,
    build: async (a) => {
      const o = own(a);
      return o && { method: 'POST', url: '/api/members', payload: newMemberBody(o) };
    },
  },
  'GET /api/members/:id': {
    org: true,
    build: async (a) => {
      const o = own(a);
      return o && { method: 'GET', url: `/api/members/${await memberOn(o)}` };
    },
  },
  'PATCH /api/members/:id': {
    org: true,
    // sets the title the member already has: allowed or not, nothing changes
    build: async (a) => {
      const o = own(a);
      return o && { method: 'PATCH', url: `/api/members/${await memberOn(o)}`, payload: { title: '科员' } };
    },
  },
  'POST /api/members/:id/reveal': {
    org: true,
    build: async (a) => {
      const o = own(a);
      return o && { method: 'POST', url: `/api/members/${await memberOn(o)}/reveal` };
    },
  },
  'GET /api/members/:id/history': {
    org: true,
    build: async (a) => {
      const o = own(a);
      return o && { method: 'GET', url: `/api/members/${await memberOn(o)}/history` };
    },
  },
  'GET /api/members/import-template': { build: async () => ({ method: 'GET', url: '/api/members/import-template' }) },
  // a preview (dryRun) of a one-row sheet: permitted callers get 200 whatever the sheet says
  'POST /api/members/import': { build: async () => importProbe('/api/members/import?dryRun=1') },
  'POST /api/members/import/errors': { build: async () => importProbe('/api/members/import/errors') },
  'GET /api/members/export': {
    org: true,
    build: async (a) => {
      const o = own(a);
      return o && { method: 'GET', url: `/api/members/export?org=${o.id}` };
    },
  },
  // ---- meetings (issue 4) ----
  'GET /api/meetings': { build: async () => ({ method: 'GET', url: '/api/meetings?pageSize=5' }) },
  'POST /api/meetings': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'POST', url: '/api/meetings', payload: plannedMeetingBody(o) })),
  },
  'GET /api/meetings/upcoming': { build: async () => ({ method: 'GET', url: '/api/meetings/upcoming' }) },
  'POST /api/meetings/copy-plan': {
    org: true,
    // copies an empty year: permitted callers get 200 {count: 0}
    build: async (a) =>
      at(a, (o) => ({
        method: 'POST',
        url: '/api/meetings/copy-plan',
        payload: { orgId: o.id, fromYear: 2001, toYear: 2002 },
      })),
  },
  'POST /api/meetings/signin': {
    org: true,
    // a meeting on the position's org that is under way now
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: '/api/meetings/signin',
        payload: { token: await liveSigninToken(o) },
      })),
  },
  'GET /api/meetings/book.docx': {
    org: true,
    build: async (a) =>
      at(a, (o) => ({ method: 'GET', url: `/api/meetings/book.docx?org=${o.id}&from=2026-01-01&to=2026-12-31` })),
  },
  'GET /api/meetings/calendar.ics': { build: async () => ({ method: 'GET', url: '/api/meetings/calendar.ics' }) },
  'GET /api/meetings/calendar-link': { build: async () => ({ method: 'GET', url: '/api/meetings/calendar-link' }) },
  'GET /api/meetings/calendar/:token.ics': {
    // the member's signed feed URL, fetched with whatever session (or none) the role has
    build: async () => ({ method: 'GET', url: await memberCalendarUrl() }),
  },
  'GET /api/meetings/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'GET', url: `/api/meetings/${await standingMeeting(o)}` })),
  },
  'PATCH /api/meetings/:id': {
    org: true,
    // sets the title it already has: allowed or not, nothing changes
    build: async (a) =>
      at(a, async (o) => ({
        method: 'PATCH',
        url: `/api/meetings/${await standingMeeting(o)}`,
        payload: { title: MATRIX_MEETING_TITLE },
      })),
  },
  'DELETE /api/meetings/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'DELETE', url: `/api/meetings/${await newMeeting(o)}` })),
  },
  'POST /api/meetings/:id/submit': {
    org: true,
    // a complete draft whose recorder is the caller's own member where it can be (else someone on the roster)
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: `/api/meetings/${await draftToSubmit(a.role, o)}/submit` })),
  },
  'GET /api/meetings/:id/versions': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/meetings/${await standingMeeting(o)}/versions` })),
  },
  'GET /api/meetings/:id/signin-code': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/meetings/${await standingMeeting(o)}/signin-code` })),
  },
  'GET /api/meetings/:id/record.docx': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/meetings/${await standingMeeting(o)}/record.docx` })),
  },
  'POST /api/meetings/:id/attachments': {
    org: true,
    build: async (a) => at(a, async (o) => attachmentUpload(await standingMeeting(o))),
  },
  'GET /api/meetings/:id/attachments/:attachmentId': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'GET', url: await attachmentOn(o) })),
  },
  'DELETE /api/meetings/:id/attachments/:attachmentId': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'DELETE', url: await attachmentOn(o) })),
  },
  // ---- compliance (issue 4) ----
  'GET /api/compliance': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/compliance?org=${o.id}&pageSize=5` })),
  },
  'GET /api/compliance/behind': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/compliance/behind?org=${o.id}` })),
  },
  'GET /api/compliance/signals': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/compliance/signals?org=${o.id}` })),
  },
  'GET /api/compliance/todo': { build: async () => ({ method: 'GET', url: '/api/compliance/todo?limit=5' }) },
  'GET /api/compliance/rules': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/compliance/rules?org=${o.id}` })),
  },
  'POST /api/compliance/rules': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'POST', url: '/api/compliance/rules', payload: ruleBody(o) })),
  },
  'DELETE /api/compliance/rules/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'DELETE', url: `/api/compliance/rules/${await ruleOn(o)}` })),
  },
  'GET /api/compliance/exemptions': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/compliance/exemptions?org=${o.id}` })),
  },
  'POST /api/compliance/exemptions': {
    org: true,
    // asked for the position's branch or group, or for a branch right below a committee position
    build: async (a) =>
      at(a, (o) => ({ method: 'POST', url: '/api/compliance/exemptions', payload: exemptionBody(o) })),
  },
  'POST /api/compliance/exemptions/:id/approve': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: `/api/compliance/exemptions/${await pendingExemption(o)}/approve` })),
  },
  'POST /api/compliance/exemptions/:id/reject': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: `/api/compliance/exemptions/${await pendingExemption(o)}/reject` })),
  },
  'GET /api/compliance/webhooks/:orgId': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/compliance/webhooks/${o.id}` })),
  },
  'PUT /api/compliance/webhooks/:orgId': {
    org: true,
    // disabled: the reminders row below must not post anywhere
    build: async (a) =>
      at(a, (o) => ({
        method: 'PUT',
        url: `/api/compliance/webhooks/${o.id}`,
        payload: { kind: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix', enabled: false },
      })),
  },
  'POST /api/compliance/reminders/run': {
    build: async () => ({ method: 'POST', url: '/api/compliance/reminders/run', payload: { days: 10 } }),
  },
  // ---- learning (issue 5) ----
  'POST /api/learning/content': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'POST', url: '/api/learning/content', payload: articleBody(o) })),
  },
  'GET /api/learning/content': { build: async () => ({ method: 'GET', url: '/api/learning/content?pageSize=5' }) },
  'GET /api/learning/topics': { build: async () => ({ method: 'GET', url: '/api/learning/topics' }) },
  'GET /api/learning/content/:id': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/learning/content/${await standingLesson(o)}` })),
  },
  'PATCH /api/learning/content/:id': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'PATCH',
        url: `/api/learning/content/${await learningItem(o, 'draft')}`,
        payload: { title: MATRIX_ARTICLE_TITLE },
      })),
  },
  'DELETE /api/learning/content/:id': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'DELETE', url: `/api/learning/content/${await learningItem(o, 'draft')}` })),
  },
  'POST /api/learning/content/:id/submit': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: `/api/learning/content/${await learningItem(o, 'draft')}/submit` })),
  },
  'POST /api/learning/content/:id/publish': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: `/api/learning/content/${await learningItem(o, 'pending')}/publish`,
      })),
  },
  'POST /api/learning/content/:id/reject': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: `/api/learning/content/${await learningItem(o, 'pending')}/reject`,
        payload: { note: '矩阵测试退回' },
      })),
  },
  'POST /api/learning/content/:id/withdraw': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: `/api/learning/content/${await learningItem(o, 'published')}/withdraw`,
      })),
  },
  'GET /api/learning/content/:id/media': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/learning/content/${await standingLesson(o)}/media` })),
  },
  'GET /api/learning/content/:id/cover': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/learning/content/${await standingLesson(o)}/cover` })),
  },
  'POST /api/learning/content/:id/cover': {
    org: true,
    build: async (a) => at(a, async (o) => coverUpload(await standingLesson(o))),
  },
  'POST /api/learning/progress': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({
        method: 'POST',
        url: '/api/learning/progress',
        payload: { contentId: await standingLesson(o), position: 0, duration: 60 },
      })),
  },
  'GET /api/learning/questions': { build: async () => ({ method: 'GET', url: '/api/learning/questions?pageSize=5' }) },
  'POST /api/learning/questions': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'POST', url: '/api/learning/questions', payload: questionBody(o) })),
  },
  'GET /api/learning/questions/template': {
    build: async () => ({ method: 'GET', url: '/api/learning/questions/template' }),
  },
  'POST /api/learning/questions/import': {
    org: true,
    // a preview of the template (two sample rows): permitted callers get 200
    build: async (a) => at(a, async (o) => questionImportProbe(o)),
  },
  'PUT /api/learning/questions/:id': {
    org: true,
    build: async (a) =>
      at(a, async (o) => {
        const { orgId: _o, ...body } = questionBody(o);
        return { method: 'PUT', url: `/api/learning/questions/${await questionOn(o)}`, payload: body };
      }),
  },
  'DELETE /api/learning/questions/:id': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'DELETE', url: `/api/learning/questions/${await questionOn(o)}` })),
  },
  'GET /api/learning/papers': { build: async () => ({ method: 'GET', url: '/api/learning/papers' }) },
  'POST /api/learning/papers': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: '/api/learning/papers', payload: await paperBody(o) })),
  },
  'GET /api/learning/papers/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'GET', url: `/api/learning/papers/${await paperOn(o)}` })),
  },
  'DELETE /api/learning/papers/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'DELETE', url: `/api/learning/papers/${await paperOn(o)}` })),
  },
  'POST /api/learning/papers/:id/attempts': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: `/api/learning/papers/${await paperOn(o)}/attempts` })),
  },
  'GET /api/learning/attempts/:id': {
    // an attempt of the `member` account's member, asked for by each role
    build: async () => ({ method: 'GET', url: `/api/learning/attempts/${await memberAttempt()}` }),
  },
  'POST /api/learning/attempts/:id/submit': {
    build: async () => ({
      method: 'POST',
      url: `/api/learning/attempts/${await memberAttempt()}/submit`,
      payload: { answers: [] },
    }),
  },
  'POST /api/learning/plans': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'POST', url: '/api/learning/plans', payload: await planBody(o) })),
  },
  'GET /api/learning/plans': { build: async () => ({ method: 'GET', url: '/api/learning/plans' }) },
  'GET /api/learning/plans/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'GET', url: `/api/learning/plans/${await standingPlan(o)}` })),
  },
  'DELETE /api/learning/plans/:id': {
    org: true,
    build: async (a) => at(a, async (o) => ({ method: 'DELETE', url: `/api/learning/plans/${await planOn(o)}` })),
  },
  'GET /api/learning/plans/:id/progress': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/learning/plans/${await standingPlan(o)}/progress` })),
  },
  'GET /api/learning/plans/:id/progress/export': {
    org: true,
    build: async (a) =>
      at(a, async (o) => ({ method: 'GET', url: `/api/learning/plans/${await standingPlan(o)}/progress/export` })),
  },
  'GET /api/learning/home': { build: async () => ({ method: 'GET', url: '/api/learning/home' }) },
  'GET /api/learning/points/me': { build: async () => ({ method: 'GET', url: '/api/learning/points/me' }) },
  'GET /api/learning/points/orgs': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/learning/points/orgs?org=${o.id}` })),
  },
  'GET /api/learning/points/rules': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/learning/points/rules?org=${o.id}` })),
  },
  'PUT /api/learning/points/rules': {
    org: true,
    build: async (a) =>
      at(a, (o) => ({
        method: 'PUT',
        url: '/api/learning/points/rules',
        payload: { orgId: o.id, rules: [{ rule: 'login', points: 1, dailyCap: 1, enabled: true }] },
      })),
  },
  'GET /api/learning/rankings': {
    org: true,
    build: async (a) => at(a, (o) => ({ method: 'GET', url: `/api/learning/rankings?org=${o.id}` })),
  },
  'PUT /api/learning/rankings/:orgId': {
    org: true,
    build: async (a) =>
      at(a, (o) => ({ method: 'PUT', url: `/api/learning/rankings/${o.id}`, payload: { enabled: false } })),
  },
};

// ---- staffing, training hours, transfers (issue 3): objects on the position's org -----------------------------

/** Runs `build` on the position's org (null where the position does not exist). */
async function at(a: ProbeArgs, build: (o: OrgItem) => Req | Promise<Req>): Promise<Req | null> {
  const o = own(a);
  return o ? build(o) : null;
}

/** A fresh member on the roster of `o`, written straight to the table so these rows need no members API. */
async function rosterMember(o: OrgItem): Promise<number> {
  const now = new Date().toISOString();
  const r = await t.ctx.db
    .insertInto('members')
    .values({
      org_id: o.id,
      name: `矩阵党员${next()}`,
      gender: '男',
      user_id: null,
      status: 'normal',
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

const postFor = (o: OrgItem) => (o.kind === 'group' ? 'group_leader' : 'committee_member');

/** An active post on `o`, appointed by `province`. */
async function postOn(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/posts', {
    memberId: await rosterMember(o),
    orgId: o.id,
    post: postFor(o),
    fullTime: false,
    startedAt: '2025-01-01',
  });
  if (res.statusCode !== 201) throw new Error(`post for the end probe: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** A pending transfer into `o`, sent from a branch outside the 成都 subtree (so only the receiving side decides). */
async function pendingTransferInto(o: OrgItem): Promise<number> {
  const from = o.id === org.mianyang.id || o.id === org.mianyangB1.id ? org.provinceBranch : org.mianyangB1;
  const r = await t.ctx.db
    .insertInto('transfers')
    .values({
      member_id: await rosterMember(from),
      kind: 'internal',
      from_org_id: from.id,
      to_org_id: o.id,
      external_org_name: null,
      status: 'pending',
      reason: '矩阵测试',
      return_reason: null,
      letter_no: null,
      started_at: new Date().toISOString(),
      due_on: '2099-12-31',
      decided_at: null,
      created_by: 'matrix',
      decided_by: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

/** A completed external transfer from `o`, started by `province`. */
async function externalTransferFrom(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/transfers', {
    kind: 'external',
    memberId: await rosterMember(o),
    externalOrgName: '中共矩阵测试外省委员会',
    reason: '矩阵测试转出',
  });
  if (res.statusCode !== 201) throw new Error(`external transfer for the letter probe: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

// ---- members (issue 3): members created through the API, with generated valid ID numbers -----------------------

const memberNumbers = new Set<string>();
let memberSeed = 7000;

/** A valid new member on `o` (a fresh person each time: ID numbers are unique). */
function newMemberBody(o: OrgItem) {
  const [p] = people(1, memberSeed++, '510104', memberNumbers);
  const row = rowFor(p!, o.name);
  return {
    name: p!.name,
    gender: p!.gender,
    ethnicity: '汉族',
    birthDate: p!.birthDate,
    idNumber: p!.idNumber,
    phone: p!.phone,
    title: '科员',
    orgId: o.id,
    category: 'full',
    joinedAt: row.入党日期,
    fullAt: row.转正日期,
  };
}

const memberOfOrg = new Map<number, number>();

/** A member on `o`, created once by `province`. */
async function memberOn(o: OrgItem): Promise<number> {
  const known = memberOfOrg.get(o.id);
  if (known) return known;
  const res = await as('province', 'POST', '/api/members', newMemberBody(o));
  if (res.statusCode !== 201) throw new Error(`member on ${o.name}: ${res.statusCode} ${res.body}`);
  const id = (res.json() as { id: number }).id;
  memberOfOrg.set(o.id, id);
  return id;
}

let importWorkbook: Buffer | null = null;

/** A multipart upload of a one-row roster sheet. */
async function importProbe(url: string): Promise<Req> {
  importWorkbook ??= await sheet([rowFor(people(1, 6999, '510104', memberNumbers)[0]!, org.chengduB1.name)]);
  const mp = multipart(importWorkbook);
  return { method: 'POST', url, payload: mp.body, headers: { 'content-type': mp.contentType } };
}

/** Each grant probe uses another org, so that a second grant is never refused as a duplicate. */
let grantOrgIndex = 0;
function nextGrantOrg(): number {
  return tree[grantOrgIndex++ % tree.length].id;
}

// ---- learning (issue 5): items on the position's org, created by `province` ----------------------------------------

const MATRIX_ARTICLE_TITLE = '矩阵测试文章';

function articleBody(o: OrgItem) {
  return { kind: 'article', title: MATRIX_ARTICLE_TITLE, orgId: o.id, body: '<p>矩阵测试正文。</p>' };
}

/** A fresh article on `o` in the given status, made by `province`. */
async function learningItem(o: OrgItem, status: 'draft' | 'pending' | 'published'): Promise<number> {
  const res = await as('province', 'POST', '/api/learning/content', articleBody(o));
  if (res.statusCode !== 201) throw new Error(`article on ${o.name}: ${res.statusCode} ${res.body}`);
  const id = (res.json() as { id: number }).id;
  const steps = status === 'draft' ? [] : status === 'pending' ? ['submit'] : ['publish'];
  for (const step of steps) {
    const r = await as('province', 'POST', `/api/learning/content/${id}/${step}`);
    if (r.statusCode !== 200) throw new Error(`${step} article on ${o.name}: ${r.statusCode} ${r.body}`);
  }
  return id;
}

const standingLessons = new Map<number, number>();
/** One published micro-lesson with a media file per org (visible in the org's subtree), created once. */
async function standingLesson(o: OrgItem): Promise<number> {
  const known = standingLessons.get(o.id);
  if (known) return known;
  const f = learningForm({ kind: 'micro_lesson', title: '矩阵测试微党课', orgId: o.id, duration: 60 }, [
    { field: 'file', filename: 'matrix.mp4', content: fakeMp4() },
  ]);
  const res = await send(
    { method: 'POST', url: '/api/learning/content', payload: f.body, headers: { 'content-type': f.contentType } },
    sessions.province,
  );
  if (res.statusCode !== 201) throw new Error(`lesson on ${o.name}: ${res.statusCode} ${res.body}`);
  const id = (res.json() as { id: number }).id;
  const pub = await as('province', 'POST', `/api/learning/content/${id}/publish`);
  if (pub.statusCode !== 200) throw new Error(`publish lesson on ${o.name}: ${pub.statusCode} ${pub.body}`);
  standingLessons.set(o.id, id);
  return id;
}

let questionSeq = 0;
function questionBody(o: OrgItem) {
  return {
    orgId: o.id,
    type: 'single',
    stem: `矩阵测试题${++questionSeq}`,
    options: ['甲', '乙'],
    answer: [0],
    explanation: '矩阵测试解析',
    topics: ['矩阵'],
  };
}

/** A fresh question on `o`, by `province`. */
async function questionOn(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/learning/questions', questionBody(o));
  if (res.statusCode !== 201) throw new Error(`question on ${o.name}: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

async function paperBody(o: OrgItem) {
  return { orgId: o.id, title: '矩阵测试卷', mode: 'fixed', questionIds: [await questionOn(o)], attemptsAllowed: null };
}

/** A fresh paper on `o`, by `province`. */
async function paperOn(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/learning/papers', await paperBody(o));
  if (res.statusCode !== 201) throw new Error(`paper on ${o.name}: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** A fresh open attempt of the `member` account on a paper of its branch. */
async function memberAttempt(): Promise<number> {
  const paper = await paperOn(org.chengduB1);
  const res = await as('member', 'POST', `/api/learning/papers/${paper}/attempts`);
  if (res.statusCode !== 201) throw new Error(`attempt: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

let questionTemplate: Buffer | null = null;
async function questionImportProbe(o: OrgItem): Promise<Req> {
  if (!questionTemplate) {
    const res = await as('province', 'GET', '/api/learning/questions/template');
    questionTemplate = res.rawPayload;
  }
  const mp = multipart(questionTemplate, 'file', 'questions.xlsx');
  return {
    method: 'POST',
    url: `/api/learning/questions/import?org=${o.id}&dryRun=1`,
    payload: mp.body,
    headers: { 'content-type': mp.contentType },
  };
}

async function planBody(o: OrgItem) {
  return {
    orgId: o.id,
    title: '矩阵测试学习计划',
    dueOn: '2026-12-31',
    target: 'subtree',
    items: [{ contentId: await standingLesson(o) }],
  };
}

/** A fresh plan on `o`, by `province`. */
async function planOn(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/learning/plans', await planBody(o));
  if (res.statusCode !== 201) throw new Error(`plan on ${o.name}: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

const standingPlans = new Map<number, number>();
async function standingPlan(o: OrgItem): Promise<number> {
  const known = standingPlans.get(o.id);
  if (known) return known;
  const id = await planOn(o);
  standingPlans.set(o.id, id);
  return id;
}

function coverUpload(contentId: number): Req {
  const mp = multipart(MATRIX_PNG, 'file', 'cover.png');
  return {
    method: 'POST',
    url: `/api/learning/content/${contentId}/cover`,
    payload: mp.body,
    headers: { 'content-type': mp.contentType },
  };
}

// ---- reading the matrix ------------------------------------------------------------------------------------------

const ERROR_CODE: Record<number, string> = { 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found' };

/** The expected status of a cell at a position (null: the position does not exist for this role). */
function expectedAt(cell: Cell, position: Position | null): number | null {
  if (typeof cell === 'number') return cell;
  const parts = cell.split(' ');
  if (parts.length !== POSITIONS.length || position === null) throw new Error(`bad cell "${cell}"`);
  const v = parts[POSITIONS.indexOf(position)];
  return v === '-' ? null : Number(v);
}

/** Every route the built app answers under /api/, as "METHOD /path", from Fastify's own route tree. */
function registeredApiRoutes(): string[] {
  const text = t.app.printRoutes({ commonPrefix: false });
  const segments: string[] = [];
  const out = new Set<string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) throw new Error(`cannot read printRoutes line: ${line}`);
    const depth = m[1].length / 4;
    segments.length = depth;
    segments.push(m[2]);
    const path = segments.join('');
    for (const method of (m[3] ?? '').split(', ').filter(Boolean)) {
      if (method === 'HEAD' || method === 'OPTIONS') continue; // Fastify's automatic twins of GET
      if (path === '/api' || path.startsWith('/api/')) out.add(`${method} ${path}`);
    }
  }
  return [...out].sort();
}

// ---- setup -------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  t = await createTestApp({ demo: true });
  for (const role of Object.keys(ACCOUNT) as AccountRole[]) {
    passwords[role] = 'Dangjian@2026';
    sessions[role] = await login(t, ACCOUNT[role]);
  }
  tree = await allOrgs(t, sessions.province);
  org.root = find((o) => o.parentId === null, 'the root');
  org.chengdu = find((o) => o.name === '成都市科学技术局机关党委', '成都 org');
  org.chengduB1 = find((o) => o.name === '成都市科学技术局机关第一党支部', '成都 branch 1');
  org.chengduB2 = find((o) => o.name === '成都市科学技术局机关第二党支部', '成都 branch 2');
  org.chengduB1Group =
    tree.find((o) => o.parentId === org.chengduB1.id && o.kind === 'group') ?? (await throwaway(org.chengduB1));
  org.mianyang = find((o) => o.name === '绵阳市科学技术局机关党委', '绵阳 org');
  org.mianyangB1 = find((o) => o.name === '绵阳市科学技术局机关第一党支部', '绵阳 branch 1');
  org.provinceBranch = find((o) => o.name === '办公室党支部' && o.parentId === org.root.id, '办公室党支部');
  // the accounts' grants sit where the positions assume
  const me = async (role: AccountRole) =>
    ((await as(role, 'GET', '/api/auth/me')).json() as { user: { scopeRoots: { id: number }[] } }).user.scopeRoots;
  expect((await me('org_admin')).map((r) => r.id)).toEqual([org.chengdu.id]);
  expect((await me('secretary')).map((r) => r.id)).toEqual([org.chengduB1.id]);
  expect((await me('member')).map((r) => r.id)).toEqual([org.chengduB1.id]);
  expect((await me('province')).map((r) => r.id)).toEqual([org.root.id]);

  // probe accounts (created by the 系统管理员, as in production)
  const mkUser = async (username: string, password: string) => {
    const res = await as('sysadmin', 'POST', '/api/users', { username, displayName: username, password });
    if (res.statusCode !== 201) throw new Error(`create ${username}: ${res.statusCode} ${res.body}`);
    return (res.json() as { id: number }).id;
  };
  probe.loginUser = 'matrix-login';
  await mkUser(probe.loginUser, probe.loginPassword);
  probe.targetUserId = await mkUser('matrix-target', 'Tg4%nBv7cM');
  probe.grantUserId = await mkUser('matrix-grants', 'Gr3&hJk9wE');
  systemSettings = (await as('sysadmin', 'GET', '/api/settings')).json();
  securityPolicy = (await as('secadmin', 'GET', '/api/security/policy')).json();
});

afterAll(async () => {
  await t?.close();
});

// ---- the tests ---------------------------------------------------------------------------------------------------

describe('authorization matrix', () => {
  it('every registered /api route has a row, and every row a registered route', () => {
    const registered = registeredApiRoutes().filter((r) => !EXCLUDED_DOC_ROUTES.includes(r));
    const rows = Object.keys(MATRIX);
    const withoutRow = registered.filter((r) => !rows.includes(r));
    const withoutRoute = rows.filter((r) => !registered.includes(r));
    expect(
      withoutRow,
      'registered routes without a row in the authorization matrix (add one to MATRIX and PROBES in test/api/authz-matrix.test.ts)',
    ).toEqual([]);
    expect(withoutRoute, 'matrix rows whose route is no longer registered').toEqual([]);
    expect(registered.length).toBe(rows.length);
  });

  it('the route list is read correctly: it holds every route of the OpenAPI document and the docs routes', () => {
    const registered = registeredApiRoutes();
    const doc = t.app.swagger() as { paths?: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) =>
      Object.keys(ops)
        .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(documented.length).toBeGreaterThan(20);
    expect(registered).toEqual(expect.arrayContaining(documented));
    // the exclusions are real routes (a stale exclusion would hide nothing but mislead)
    expect(registered).toEqual(expect.arrayContaining(EXCLUDED_DOC_ROUTES));
  });

  it('the excluded documentation routes are public reference pages, not data', async () => {
    for (const url of ['/api/docs', '/api/docs/', '/api/docs/json', '/api/docs/static/index.html']) {
      const res = await send({ method: 'GET', url }, null);
      expect([200, 302], `GET ${url} answers ${res.statusCode}`).toContain(res.statusCode);
    }
    const json = await send({ method: 'GET', url: '/api/docs/json' }, null);
    expect(Object.keys((json.json() as { paths: object }).paths)).toContain('/api/orgs');
  });

  it('the matrix is well-formed: one status per role, five per org position for scoped roles', () => {
    for (const [route, row] of Object.entries(MATRIX) as [RouteKey, Row][]) {
      expect(row.length, route).toBe(ROLES.length);
      ROLES.forEach((role, i) => {
        const cell = row[i];
        const positional = PROBES[route].org === true && SCOPED.includes(role);
        if (!positional) {
          expect(typeof cell, `${route} ${role}: one status`).toBe('number');
          return;
        }
        expect(typeof cell, `${route} ${role}: statuses per position`).toBe('string');
        const parts = String(cell).split(' ');
        expect(parts.length, `${route} ${role}`).toBe(5);
        for (const [j, p] of parts.entries()) {
          const exists = role !== 'province' || j < 2;
          expect(exists ? /^\d{3}$/.test(p) : p === '-', `${route} ${role} ${POSITIONS[j]}: "${p}"`).toBe(true);
        }
      });
    }
  });

  it.each(Object.keys(MATRIX) as RouteKey[])('%s', async (route) => {
    const row: Row = MATRIX[route];
    const probeOf = PROBES[route];
    const mismatches: string[] = [];
    let tried = 0;
    for (const [i, role] of ROLES.entries()) {
      const session = role === 'anonymous' ? null : sessions[role];
      for (const position of probeOf.org ? POSITIONS : [null]) {
        const expected = expectedAt(row[i], position);
        if (expected === null) continue;
        const req = await probeOf.build({ role, position });
        if (!req) throw new Error(`${route}: no request for ${role} at ${position}`);
        const res = await send(req, req.session !== undefined ? req.session : session);
        req.after?.(res.statusCode, res.body);
        tried++;
        const where = position ? ` @${position} ${positionOrg(role, position)?.name} (${req.method} ${req.url})` : '';
        if (res.statusCode !== expected) {
          mismatches.push(`${role}${where}: expected ${expected}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
        } else if (ERROR_CODE[expected]) {
          const code = (res.json() as { error?: { code?: string } }).error?.code;
          if (code !== ERROR_CODE[expected]) {
            mismatches.push(`${role}${where}: ${expected} with error code ${code}, expected ${ERROR_CODE[expected]}`);
          }
        }
      }
    }
    expect(tried).toBeGreaterThanOrEqual(ROLES.length);
    expect(mismatches, `${route}: combinations answering otherwise than the matrix says`).toEqual([]);
  });
});

describe('org writes where the caller may only read', () => {
  // An account that is org_admin on 成都 branch 2 and secretary of 绵阳: it writes under 成都 branch 2, reads
  // 绵阳, and sees nothing else. Writing where it can read but not write is 403; where it cannot read, 404.
  let mixed: Session;

  beforeAll(async () => {
    const create = await as('sysadmin', 'POST', '/api/users', {
      username: 'matrix-mixed',
      displayName: '混合授权',
      password: 'Mx1!first9Q',
    });
    expect(create.statusCode, create.body).toBe(201);
    const userId = (create.json() as { id: number }).id;
    for (const [role, orgId] of [
      ['org_admin', org.chengduB2.id],
      ['secretary', org.mianyang.id],
    ] as const) {
      const g = await as('secadmin', 'POST', '/api/grants', { userId, role, orgId });
      expect(g.statusCode, g.body).toBe(201);
    }
    const first = await login(t, 'matrix-mixed', 'Mx1!first9Q');
    const changed = await send(
      {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'Mx1!first9Q', newPassword: 'Mx2!second8W' },
      },
      first,
    );
    expect(changed.statusCode, changed.body).toBe(204);
    mixed = await login(t, 'matrix-mixed', 'Mx2!second8W');
  });

  const call = (method: Method, url: string, payload?: unknown) => send({ method, url, payload }, mixed);

  it('reads: its two subtrees, nothing above or beside them', async () => {
    expect((await call('GET', `/api/orgs/${org.chengduB2.id}`)).statusCode).toBe(200);
    expect((await call('GET', `/api/orgs/${org.mianyang.id}`)).statusCode).toBe(200);
    expect((await call('GET', `/api/orgs/${org.mianyangB1.id}`)).statusCode).toBe(200);
    expect((await call('GET', `/api/orgs/${org.chengdu.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/orgs/${org.root.id}`)).statusCode).toBe(404);
    expect((await call('GET', `/api/orgs/${org.chengduB1.id}`)).statusCode).toBe(404);
  });

  it('PATCH: 200 where it writes, 403 where it only reads, 404 where it sees nothing', async () => {
    const patch = (o: OrgItem) => call('PATCH', `/api/orgs/${o.id}`, { name: o.name });
    expect((await patch(org.chengduB2)).statusCode).toBe(200);
    const readOnly = await patch(org.mianyang);
    expect(readOnly.statusCode, readOnly.body).toBe(403);
    expect((readOnly.json() as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await patch(org.mianyangB1)).statusCode).toBe(403);
    expect((await patch(org.chengdu)).statusCode).toBe(404);
    expect((await patch(org.root)).statusCode).toBe(404);
  });

  it('POST /api/orgs: 201 under its own branch, 403 under 绵阳, 404 under 成都 org', async () => {
    const create = (parent: OrgItem) =>
      call('POST', '/api/orgs', { parentId: parent.id, name: `混合测试${next()}`, kind: childKind(parent) });
    expect((await create(org.chengduB2)).statusCode).toBe(201);
    expect((await create(org.mianyangB1)).statusCode).toBe(403);
    expect((await create(org.chengdu)).statusCode).toBe(404);
  });

  it('DELETE: 204 inside, 403 on its own top org and where it only reads', async () => {
    const inside = await throwaway(org.chengduB2);
    const readOnly = await throwaway(org.mianyangB1);
    expect((await call('DELETE', `/api/orgs/${org.chengduB2.id}`)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/orgs/${readOnly.id}`)).statusCode).toBe(403);
    expect((await call('DELETE', `/api/orgs/${inside.id}`)).statusCode).toBe(204);
  });

  it('move: the destination is checked like the target (403 read-only, 404 invisible)', async () => {
    const group = await throwaway(org.chengduB2);
    const move = (id: number, to: number) => call('POST', `/api/orgs/${id}/move`, { parentId: to });
    expect((await move(group.id, org.mianyangB1.id)).statusCode).toBe(403);
    expect((await move(group.id, org.chengduB1.id)).statusCode).toBe(404);
    expect((await move(group.id, org.provinceBranch.id)).statusCode).toBe(404);
    const readOnly = await throwaway(org.mianyangB1);
    expect((await move(readOnly.id, org.chengduB2.id)).statusCode).toBe(403);
    expect((await move(org.chengduB2.id, org.chengdu.id)).statusCode).toBe(403);
    // nothing moved
    const after = await allOrgs(t, sessions.province);
    expect(after.find((o) => o.id === group.id)?.parentId).toBe(org.chengduB2.id);
    expect(after.find((o) => o.id === readOnly.id)?.parentId).toBe(org.mianyangB1.id);
    expect(after.find((o) => o.id === org.chengduB2.id)?.parentId).toBe(org.chengdu.id);
  });
});

describe('move destinations of an org_admin', () => {
  it('chengdu may move inside its subtree but not out of it (404 for a destination it cannot see)', async () => {
    const group = await throwaway(org.chengduB1);
    const move = (to: number) => as('org_admin', 'POST', `/api/orgs/${group.id}/move`, { parentId: to });
    expect((await move(org.mianyangB1.id)).statusCode).toBe(404);
    expect((await move(org.root.id)).statusCode).toBe(404);
    const ok = await move(org.chengduB2.id);
    expect(ok.statusCode, ok.body).toBe(200);
    expect((ok.json() as OrgItem).parentId).toBe(org.chengduB2.id);
  });
});

// ---- meetings (issue 4): meetings on the position's org, created by `province` --------------------------------------

const MATRIX_MEETING_TITLE = '矩阵测试会议';
const meetingTypesFor = (o: OrgItem) => (o.kind === 'group' ? ['group'] : ['theme_day']);

function plannedMeetingBody(o: OrgItem, startsAt = '2026-06-01T09:00:00+08:00', endsAt = '2026-06-01T11:00:00+08:00') {
  return { orgId: o.id, types: meetingTypesFor(o), title: MATRIX_MEETING_TITLE, startsAt, endsAt, status: 'planned' };
}

/** A fresh planned meeting on `o`. */
async function newMeeting(o: OrgItem, payload: object = plannedMeetingBody(o)): Promise<number> {
  const res = await as('province', 'POST', '/api/meetings', payload);
  if (res.statusCode !== 201) throw new Error(`meeting on ${o.name}: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

const standingMeetings = new Map<number, number>();
/** One planned meeting per org, created once and never changed. */
async function standingMeeting(o: OrgItem): Promise<number> {
  const known = standingMeetings.get(o.id);
  if (known) return known;
  const id = await newMeeting(o);
  standingMeetings.set(o.id, id);
  return id;
}

let ownMember: number | null = null;
/** The member linked to the `member` account (in 成都 branch 1). */
async function memberOfMemberAccount(): Promise<number> {
  if (ownMember !== null) return ownMember;
  const me = (await as('member', 'GET', '/api/auth/me')).json() as { user: { memberId: number | null } };
  if (!me.user.memberId) throw new Error('the member account has no linked member');
  ownMember = me.user.memberId;
  return ownMember;
}

/** A complete draft on `o` held an hour ago; the member role's own member records it where it may attend. */
async function draftToSubmit(role: Role, o: OrgItem): Promise<number> {
  const ownBranch = o.id === org.chengduB1.id || o.id === org.chengduB1Group.id;
  const recorder = role === 'member' && ownBranch ? await memberOfMemberAccount() : await rosterMember(o);
  const start = new Date(Date.now() - 2 * 3600_000).toISOString();
  const end = new Date(Date.now() - 3600_000).toISOString();
  return newMeeting(o, {
    ...plannedMeetingBody(o, start, end),
    status: 'draft',
    hostId: recorder,
    recorderId: recorder,
    attendees: [{ memberId: recorder, status: 'present' }],
    minutes: '<p>矩阵测试会议记录。</p>',
  });
}

/** A sign-in token of a meeting on `o` under way now (from the QR endpoint, as `province`). */
async function liveSigninToken(o: OrgItem): Promise<string> {
  const id = await newMeeting(
    o,
    plannedMeetingBody(o, new Date(Date.now() - 600_000).toISOString(), new Date(Date.now() + 3600_000).toISOString()),
  );
  const res = await as('province', 'GET', `/api/meetings/${id}/signin-code`);
  if (res.statusCode !== 200) throw new Error(`signin code: ${res.statusCode} ${res.body}`);
  return new URL((res.json() as { url: string }).url, 'http://x').searchParams.get('t')!;
}

let calendarUrl: string | null = null;
async function memberCalendarUrl(): Promise<string> {
  if (calendarUrl) return calendarUrl;
  const res = await as('member', 'GET', '/api/meetings/calendar-link');
  if (res.statusCode !== 200) throw new Error(`calendar link: ${res.statusCode} ${res.body}`);
  calendarUrl = (res.json() as { url: string }).url;
  return calendarUrl;
}

const MATRIX_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

function attachmentUpload(meetingId: number): Req {
  const mp = multipart(MATRIX_PNG, 'file', 'matrix.png');
  return {
    method: 'POST',
    url: `/api/meetings/${meetingId}/attachments`,
    payload: mp.body,
    headers: { 'content-type': mp.contentType },
  };
}

/** The URL of a fresh attachment on the standing meeting of `o`, uploaded by `province`. */
async function attachmentOn(o: OrgItem): Promise<string> {
  const meetingId = await standingMeeting(o);
  const res = await send(attachmentUpload(meetingId), sessions.province);
  if (res.statusCode !== 201) throw new Error(`attachment on ${o.name}: ${res.statusCode} ${res.body}`);
  return `/api/meetings/${meetingId}/attachments/${(res.json() as { id: number }).id}`;
}

// ---- compliance (issue 4): rules, exemptions and webhooks on the position's org ------------------------------------

let complianceSeq = 0;

/** An override far in the future (a year of its own each time: no conflict, nothing to recompute). */
function ruleBody(o: OrgItem) {
  return {
    orgId: o.id,
    type: 'talk',
    frequency: 'year',
    times: 2,
    quorum: 'none',
    appliesTo: 'branch',
    effectiveFrom: `${2100 + complianceSeq++}-01-01`,
  };
}

/** An override on `o`, set by `province`. */
async function ruleOn(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/compliance/rules', ruleBody(o));
  if (res.statusCode !== 201) throw new Error(`rule on ${o.name}: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}

/** Who asks an exemption at a position: the branch or group itself, else a branch right below the committee. */
function exemptionTarget(o: OrgItem): OrgItem {
  if (o.kind === 'branch' || o.kind === 'group') return o;
  const below: Record<number, OrgItem> = {
    [org.chengdu.id]: org.chengduB2,
    [org.mianyang.id]: org.mianyangB1,
    [org.root.id]: org.provinceBranch,
  };
  const target = below[o.id];
  if (!target) throw new Error(`no branch to ask an exemption for under ${o.name}`);
  return target;
}

const exemptionPeriods = new Map<number, number>();

/** Rule periods an org may ask about (last year and this year): 46 for a branch, 24 for a 党小组. */
function exemptionCandidates(kind: string): { type: string; period: string }[] {
  const thisYear = Number(
    new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date()).slice(0, 4),
  );
  const years = [thisYear - 1, thisYear];
  const months = years.flatMap((y) => Array.from({ length: 12 }, (_, i) => `${y}-${String(i + 1).padStart(2, '0')}`));
  if (kind === 'group') return months.map((period) => ({ type: 'group', period }));
  const quarters = years.flatMap((y) => [1, 2, 3, 4].map((q) => `${y}-Q${q}`));
  return [
    ...months.map((period) => ({ type: 'theme_day', period })),
    ...quarters.map((period) => ({ type: 'party_congress', period })),
    ...quarters.map((period) => ({ type: 'lecture', period })),
    ...['life_meeting', 'review', 'talk'].flatMap((type) => years.map((y) => ({ type, period: String(y) }))),
  ];
}

/** A rule period of the asking org not asked for before. */
function exemptionBody(o: OrgItem) {
  const target = exemptionTarget(o);
  const n = exemptionPeriods.get(target.id) ?? 0;
  exemptionPeriods.set(target.id, n + 1);
  const candidates = exemptionCandidates(target.kind);
  return { orgId: target.id, ...candidates[n % candidates.length]!, reason: '矩阵测试豁免申请' };
}

/** A pending exemption asked by `province` for the org at the position (see exemptionTarget). */
async function pendingExemption(o: OrgItem): Promise<number> {
  const res = await as('province', 'POST', '/api/compliance/exemptions', exemptionBody(o));
  if (res.statusCode !== 201) throw new Error(`exemption under ${o.name}: ${res.statusCode} ${res.body}`);
  return (res.json() as { id: number }).id;
}
