/**
 * The route table: every page, the access key that lets a user see it, and its menu entry.
 * Routes the user may not see are left out of the menu and answer 403 when typed.
 */
import {
  ApartmentOutlined,
  AuditOutlined,
  HomeOutlined,
  KeyOutlined,
  SafetyCertificateOutlined,
  SettingOutlined,
  TeamOutlined,
  UserSwitchOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { AccessKey } from './access';
import { SettingsPage } from './pages/admin/SettingsPage';
import { UsersPage } from './pages/admin/UsersPage';
import { AuditPage } from './pages/audit/AuditPage';
import { HomePage } from './pages/home/HomePage';
import { OrgsPage } from './pages/orgs/OrgsPage';
import { GrantsPage } from './pages/security/GrantsPage';
import { PolicyPage } from './pages/security/PolicyPage';
import { RolesPage } from './pages/security/RolesPage';

export type MenuGroup = 'admin' | 'security';

export interface AppRoute {
  path: string;
  element: ReactNode;
  /** Absent: every logged-in user. */
  access?: AccessKey;
  menu?: { labelKey: string; icon: ReactNode; group?: MenuGroup };
}

export const MENU_GROUPS: Record<MenuGroup, { labelKey: string; icon: ReactNode }> = {
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
