/** `/account/totp`: the user's own second factor — status, or enrolment when not yet enabled. */
import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { TotpEnrol } from '../../components/TotpEnrol';
import { useSession } from '../../hooks/useSession';

export function TotpPage() {
  const { t } = useTranslation();
  const { user, refresh } = useSession();
  if (!user) return null;
  return (
    <Card title={t('mfa.title')} style={{ maxWidth: 520 }}>
      {user.mfa.enrolled ? (
        <Result status="success" title={t('mfa.enabled')} subTitle={t('mfa.enabledHint')} />
      ) : (
        <TotpEnrol onEnabled={refresh} />
      )}
    </Card>
  );
}
