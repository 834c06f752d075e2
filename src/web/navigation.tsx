/**
 * The route table: every page, the access key that lets a user see it, and its menu entry.
 * Routes the user may not see are left out of the menu and answer 403 when typed.
 */
import {
  AlertOutlined,
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  BellOutlined,
  BookOutlined,
  CalendarOutlined,
  CheckCircleOutlined,
  ContactsOutlined,
  FieldTimeOutlined,
  FileTextOutlined,
  FormOutlined,
  HomeOutlined,
  ImportOutlined,
  KeyOutlined,
  ProfileOutlined,
  ReadOutlined,
  RobotOutlined,
  SafetyCertificateOutlined,
  ScheduleOutlined,
  SettingOutlined,
  SolutionOutlined,
  SwapOutlined,
  TeamOutlined,
  TrophyOutlined,
  UserOutlined,
  UserSwitchOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { AccessKey } from './access';
import { SettingsPage } from './pages/admin/SettingsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { AuditPage } from './pages/audit/AuditPage';
import { CompliancePage } from './pages/compliance/CompliancePage';
import { RulesPage } from './pages/compliance/RulesPage';
import { SignalsPage } from './pages/compliance/SignalsPage';
import { TodoPage } from './pages/compliance/TodoPage';
import { WebhooksPage } from './pages/compliance/WebhooksPage';
import { HomePage } from './pages/home/HomePage';
import { BankPage } from './pages/learning/admin/BankPage';
import { ContentAdminPage } from './pages/learning/admin/ContentAdminPage';
import { PlanProgressPage } from './pages/learning/admin/PlanProgressPage';
import { PlansPage } from './pages/learning/admin/PlansPage';
import { PointsRulesPage } from './pages/learning/admin/PointsRulesPage';
import { ContentPage } from './pages/learning/ContentPage';
import { LearnHomePage } from './pages/learning/LearnHomePage';
import { LibraryPage } from './pages/learning/LibraryPage';
import { MyPointsPage } from './pages/learning/MyPointsPage';
import { QuizPage } from './pages/learning/QuizPage';
import { MeetingsPage } from './pages/meetings/MeetingsPage';
import { MyMeetingsPage } from './pages/meetings/MyMeetingsPage';
import { ImportPage } from './pages/members/ImportPage';
import { MembersPage } from './pages/members/MembersPage';
import { OrgsPage } from './pages/orgs/OrgsPage';
import { GrantsPage } from './pages/security/GrantsPage';
import { PolicyPage } from './pages/security/PolicyPage';
import { RolesPage } from './pages/security/RolesPage';
import { StaffingPage } from './pages/staffing/StaffingPage';
import { TrainingHoursPage } from './pages/training/TrainingHoursPage';
import { TransfersPage } from './pages/transfers/TransfersPage';

export type MenuGroup = 'members' | 'cadres' | 'orgLife' | 'learning' | 'admin' | 'security';

export interface AppRoute {
  path: string;
  element: ReactNode;
  /** Absent: every logged-in user. */
  access?: AccessKey;
  menu?: { labelKey: string; icon: ReactNode; group?: MenuGroup };
}

export const MENU_GROUPS: Record<MenuGroup, { labelKey: string; icon: ReactNode }> = {
  members: { labelKey: 'menu.members', icon: <UserOutlined /> },
  cadres: { labelKey: 'menu.cadres', icon: <SolutionOutlined /> },
  learning: { labelKey: 'menu.learning', icon: <ReadOutlined /> },
  orgLife: { labelKey: 'menu.orgLife', icon: <CalendarOutlined /> },
  admin: { labelKey: 'menu.admin', icon: <SettingOutlined /> },
  security: { labelKey: 'menu.security', icon: <SafetyCertificateOutlined /> },
};

export const appRoutes: AppRoute[] = [
  { path: '/', element: <HomePage />, menu: { labelKey: 'menu.home', icon: <HomeOutlined /> } },
  {
    path: '/orgs',
    element: <OrgsPage />,
    access: 'canReadOrgs',
    menu: { labelKey: 'menu.orgs', icon: <ApartmentOutlined /> },
  },
  {
    path: '/members',
    element: <MembersPage />,
    access: 'canReadMembers',
    menu: { labelKey: 'menu.roster', icon: <ContactsOutlined />, group: 'members' },
  },
  {
    path: '/members/import',
    element: <ImportPage />,
    access: 'canWriteMembers',
    menu: { labelKey: 'menu.memberImport', icon: <ImportOutlined />, group: 'members' },
  },
  {
    path: '/staffing',
    element: <StaffingPage />,
    access: 'canReadStaffing',
    menu: { labelKey: 'menu.staffing', icon: <BarChartOutlined />, group: 'cadres' },
  },
  {
    path: '/training-hours',
    element: <TrainingHoursPage />,
    access: 'canReadMembers',
    menu: { labelKey: 'menu.training', icon: <FieldTimeOutlined />, group: 'cadres' },
  },
  // ---- 组织生活 (issue 4) ----
  {
    path: '/meetings',
    element: <MeetingsPage />,
    access: 'canReadMeetings',
    menu: { labelKey: 'menu.meetings', icon: <CalendarOutlined />, group: 'orgLife' },
  },
  {
    path: '/meetings/mine',
    element: <MyMeetingsPage />,
    access: 'canReadMeetings',
    menu: { labelKey: 'menu.myMeetings', icon: <ScheduleOutlined />, group: 'orgLife' },
  },
  {
    path: '/compliance',
    element: <CompliancePage />,
    access: 'canReadCompliance',
    menu: { labelKey: 'menu.compliance', icon: <CheckCircleOutlined />, group: 'orgLife' },
  },
  {
    path: '/learn',
    element: <LearnHomePage />,
    access: 'canStudy',
    menu: { labelKey: 'menu.learnHome', icon: <BookOutlined />, group: 'learning' },
  },
  {
    path: '/learn/library',
    element: <LibraryPage />,
    access: 'canStudy',
    menu: { labelKey: 'menu.learnLibrary', icon: <VideoCameraOutlined />, group: 'learning' },
  },
  { path: '/learn/content/:id', element: <ContentPage />, access: 'canStudy' },
  { path: '/learn/papers/:id', element: <QuizPage />, access: 'canStudy' },
  { path: '/learn/points', element: <MyPointsPage />, access: 'canStudy' },
  {
    path: '/learning/content',
    element: <ContentAdminPage />,
    access: 'canAdminLearningContent',
    menu: { labelKey: 'menu.learnContent', icon: <FileTextOutlined />, group: 'learning' },
  },
  {
    path: '/learning/plans',
    element: <PlansPage />,
    access: 'canManageLearning',
    menu: { labelKey: 'menu.learnPlans', icon: <ScheduleOutlined />, group: 'learning' },
  },
  { path: '/learning/plans/:id', element: <PlanProgressPage />, access: 'canManageLearning' },
  {
    path: '/learning/bank',
    element: <BankPage />,
    access: 'canPublishLearning',
    menu: { labelKey: 'menu.learnBank', icon: <FormOutlined />, group: 'learning' },
  },
  {
    path: '/learning/points',
    element: <PointsRulesPage />,
    access: 'canManageLearning',
    menu: { labelKey: 'menu.learnPoints', icon: <TrophyOutlined />, group: 'learning' },
  },
  {
    path: '/compliance/todo',
    element: <TodoPage />,
    access: 'canReadCompliance',
    menu: { labelKey: 'menu.complianceTodo', icon: <BellOutlined />, group: 'orgLife' },
  },
  {
    path: '/compliance/signals',
    element: <SignalsPage />,
    access: 'canReadCompliance',
    menu: { labelKey: 'menu.complianceSignals', icon: <AlertOutlined />, group: 'orgLife' },
  },
  {
    path: '/compliance/rules',
    element: <RulesPage />,
    access: 'canReadCompliance',
    menu: { labelKey: 'menu.complianceRules', icon: <ProfileOutlined />, group: 'orgLife' },
  },
  {
    path: '/compliance/webhooks',
    element: <WebhooksPage />,
    access: 'canManageCompliance',
    menu: { labelKey: 'menu.complianceWebhooks', icon: <RobotOutlined />, group: 'orgLife' },
  },
  // ---- end 组织生活 ----
  {
    path: '/transfers',
    element: <TransfersPage />,
    access: 'canManageTransfers',
    menu: { labelKey: 'menu.transfers', icon: <SwapOutlined /> },
  },
  {
    path: '/admin/users',
    element: <UsersPage />,
    access: 'canManageUsers',
    menu: { labelKey: 'menu.users', icon: <TeamOutlined />, group: 'admin' },
  },
  {
    path: '/admin/settings',
    element: <SettingsPage />,
    access: 'canManageSettings',
    menu: { labelKey: 'menu.settings', icon: <SettingOutlined />, group: 'admin' },
  },
  {
    path: '/security/grants',
    element: <GrantsPage />,
    access: 'canManageGrants',
    menu: { labelKey: 'menu.grants', icon: <UserSwitchOutlined />, group: 'security' },
  },
  {
    path: '/security/roles',
    element: <RolesPage />,
    access: 'canViewRoles',
    menu: { labelKey: 'menu.roles', icon: <KeyOutlined />, group: 'security' },
  },
  {
    path: '/security/policy',
    element: <PolicyPage />,
    access: 'canManagePolicy',
    menu: { labelKey: 'menu.policy', icon: <SafetyCertificateOutlined />, group: 'security' },
  },
  {
    path: '/audit',
    element: <AuditPage />,
    access: 'canReadAudit',
    menu: { labelKey: 'menu.audit', icon: <AuditOutlined /> },
  },
];
