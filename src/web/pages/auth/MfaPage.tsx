/** `/login/mfa`: the second factor of a login — enrol first if the account has no authenticator yet. */
import { Button, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { logout, verifyTotp } from '../../api/auth';
import { AuthShell } from '../../components/AuthShell';
import { TotpCodeForm } from '../../components/TotpCodeForm';
import { TotpEnrol } from '../../components/TotpEnrol';
import { pendingStep, useSession } from '../../hooks/useSession';
import { safeNext } from './LoginPage';

export function MfaPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { user, isLoading, refresh, setUser } = useSession();
  const next = safeNext(params.get('next'));

  if (isLoading) return <Spin fullscreen />;
  if (!user) return <Navigate to="/login" replace />;
  if (!user.mfa.pending) return <Navigate to={pendingStep(user) ?? next} replace />;

  const finish = async () => {
    const fresh = await refresh();
    if (fresh && !fresh.mfa.pending) navigate(pendingStep(fresh) ?? next, { replace: true });
  };

  const backToLogin = async () => {
    await logout().catch(() => undefined);
    setUser(null);
    navigate('/login', { replace: true });
  };

  return (
    <AuthShell title={user.mfa.enrolled ? t('mfa.title') : t('mfa.enrolTitle')}>
      {user.mfa.enrolled ? (
        <>
          <Typography.Paragraph>{t('mfa.verifyHint')}</Typography.Paragraph>
          <TotpCodeForm
            submitLabel={t('mfa.verify')}
            onSubmit={async (code) => {
              await verifyTotp(code);
              await finish();
            }}
          />
        </>
      ) : (
        <TotpEnrol onEnabled={finish} />
      )}
      <Button type="link" block onClick={() => void backToLogin()} style={{ marginTop: 8 }}>
        {t('mfa.backToLogin')}
      </Button>
    </AuthShell>
  );
}
