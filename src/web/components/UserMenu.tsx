/** Avatar dropdown: change password, second-factor setup, logout. */
import { KeyOutlined, LogoutOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { logout } from '../api/auth';
import { SESSION_KEY, useSession } from '../hooks/useSession';
import { currentLanguage, setLanguage } from '../i18n';

export function UserMenu({ compact = false }: { compact?: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { user } = useSession();

  const doLogout = async () => {
    await logout().catch(() => undefined);
    // Logout answers with Clear-Site-Data "storage", which also drops the language preference:
    // write it back (it is a UI setting, not personal data).
    void setLanguage(currentLanguage());
    navigate('/login', { replace: true });
    client.setQueryData(SESSION_KEY, null);
    // Drop every cached answer of the ended session.
    client.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
    message.success(t('header.loggedOut'));
  };

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items: [
          { key: 'password', icon: <KeyOutlined />, label: t('header.changePassword') },
          { key: 'totp', icon: <SafetyOutlined />, label: t('header.totp') },
          { type: 'divider' },
          {
            key: 'logout',
            icon: <LogoutOutlined />,
            label: <span data-testid="menu-logout">{t('header.logout')}</span>,
          },
        ],
        onClick: ({ key }) => {
          if (key === 'password') navigate('/account/password');
          else if (key === 'totp') navigate('/account/totp');
          else if (key === 'logout') void doLogout();
        },
      }}
    >
      <Button type="text" data-testid="user-menu" style={{ paddingInline: 6 }}>
        <Avatar size="small" icon={<UserOutlined />} style={{ backgroundColor: '#c4161c' }} />
        {compact ? null : <span>{user?.displayName ?? user?.username}</span>}
      </Button>
    </Dropdown>
  );
}
