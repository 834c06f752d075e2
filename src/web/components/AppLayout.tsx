/** The app frame: side menu (a drawer on phones), header with org switcher, language and user menu. */
import { MenuFoldOutlined, MenuUnfoldOutlined } from '@ant-design/icons';
import { Button, Drawer, Grid, Layout, Menu, type MenuProps } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { accessFor } from '../access';
import { CurrentOrgProvider } from '../hooks/useCurrentOrg';
import { useSession } from '../hooks/useSession';
import { appRoutes, MENU_GROUPS, type MenuGroup } from '../navigation';
import { LanguageSwitch } from './LanguageSwitch';
import { OrgSwitcher } from './OrgSwitcher';
import { PartyEmblem } from './PartyEmblem';
import { UserMenu } from './UserMenu';

type MenuItem = Required<MenuProps>['items'][number];

function useMenuItems(): MenuItem[] {
  const { t } = useTranslation();
  const { user } = useSession();
  return useMemo(() => {
    const access = accessFor(user);
    const items: MenuItem[] = [];
    const groups = new Map<MenuGroup, MenuItem[]>();
    for (const route of appRoutes) {
      if (!route.menu || (route.access && !access[route.access])) continue;
      const item: MenuItem = {
        key: route.path,
        icon: route.menu.icon,
        label: t(route.menu.labelKey),
        'data-testid': `nav-${route.path === '/' ? 'home' : route.path.slice(1).replace(/\//g, '-')}`,
      } as MenuItem;
      const group = route.menu.group;
      if (!group) {
        items.push(item);
        continue;
      }
      const list = groups.get(group);
      if (list) {
        list.push(item);
      } else {
        const children = [item];
        groups.set(group, children);
        items.push({
          key: `group:${group}`,
          icon: MENU_GROUPS[group].icon,
          label: t(MENU_GROUPS[group].labelKey),
          children,
        });
      }
    }
    return items;
  }, [t, user]);
}

/** Every group starts open (a user rarely has more than two or three). */
const ALL_GROUPS = (Object.keys(MENU_GROUPS) as MenuGroup[]).map((group) => `group:${group}`);

function selectedKey(pathname: string): string {
  const match = appRoutes
    .map((route) => route.path)
    .filter((path) => path === pathname || (path !== '/' && pathname.startsWith(`${path}/`)))
    .sort((a, b) => b.length - a.length)[0];
  return match ?? pathname;
}

export function AppLayout() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  // Before the first measurement every breakpoint is undefined: assume desktop.
  const isPhone = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const { user } = useSession();
  const items = useMenuItems();
  const canReadOrgs = accessFor(user).canReadOrgs;
  const key = selectedKey(location.pathname);

  const menu = (
    <Menu
      mode="inline"
      items={items}
      selectedKeys={[key]}
      defaultOpenKeys={ALL_GROUPS}
      onClick={({ key: path }) => {
        navigate(path);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 0 }}
      data-testid="side-menu"
    />
  );
  const logo = (small: boolean) => (
    <div className={small ? 'app-logo app-logo--collapsed' : 'app-logo'}>
      <PartyEmblem size={28} />
      {small ? null : <span>{t('app.name')}</span>}
    </div>
  );

  return (
    <CurrentOrgProvider>
      <Layout style={{ minHeight: '100vh' }}>
        {isPhone ? (
          <Drawer
            placement="left"
            open={drawerOpen}
            onClose={() => setDrawerOpen(false)}
            size={260}
            closable={false}
            styles={{ body: { padding: 0 } }}
          >
            {logo(false)}
            {canReadOrgs ? (
              <div style={{ padding: '0 12px 12px' }}>
                <OrgSwitcher width="100%" />
              </div>
            ) : null}
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider
            theme="light"
            width={220}
            collapsible
            collapsed={collapsed}
            trigger={null}
            style={{ borderInlineEnd: '1px solid #f0f0f0' }}
          >
            {logo(collapsed)}
            {menu}
          </Layout.Sider>
        )}
        <Layout>
          <Layout.Header className="app-header">
            <Button
              type="text"
              aria-label={t('menu.toggle')}
              data-testid="menu-toggle"
              icon={isPhone || collapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
              onClick={() => (isPhone ? setDrawerOpen(true) : setCollapsed(!collapsed))}
            />
            {isPhone ? <span style={{ fontWeight: 600, color: '#c4161c' }}>{t('app.name')}</span> : null}
            <div className="app-header__spacer" />
            {canReadOrgs && !isPhone ? <OrgSwitcher width={screens.xl ? 320 : 240} /> : null}
            <LanguageSwitch compact={isPhone} />
            <UserMenu compact={isPhone} />
          </Layout.Header>
          <Layout.Content className="app-content">
            <Outlet />
          </Layout.Content>
        </Layout>
      </Layout>
    </CurrentOrgProvider>
  );
}
