/** `/account/password`: inside the app, or alone when the password must be changed before anything else. */
import { Alert, Button, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { logout } from '../../api/auth';
import { AuthShell } from '../../components/AuthShell';
import { pendingStep, useSession } from '../../hooks/useSession';
import { ChangePasswordForm } from './ChangePasswordForm';

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const { user, refresh, setUser } = useSession();
  const navigate = useNavigate();
  const forced = Boolean(user && (user.mustChangePassword || user.passwordExpired));

  const done = async () => {
    const fresh = await refresh();
    if (forced && fresh) navigate(pendingStep(fresh) ?? '/', { replace: true });
  };

  if (forced) {
    const backToLogin = async () => {
      await logout().catch(() => undefined);
      setUser(null);
      navigate('/login', { replace: true });
    };
    return (
      <AuthShell title={t('password.forcedTitle')}>
        <Alert
          type="warning"
          showIcon
          title={
            user?.passwordExpired && !user.mustChangePassword ? t('password.expiredHint') : t('password.forcedHint')
          }
          style={{ marginBottom: 16 }}
        />
        <ChangePasswordForm onDone={done} />
        <Button type="link" block onClick={() => void backToLogin()} style={{ marginTop: 8 }}>
          {t('mfa.backToLogin')}
        </Button>
      </AuthShell>
    );
  }

  return (
    <Card title={t('password.title')}>
      <ChangePasswordForm onDone={done} />
    </Card>
  );
}
