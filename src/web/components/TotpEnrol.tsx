/** Enrolment: the QR code and secret from `GET /api/auth/totp/setup`, then the first code. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Flex, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { enableTotp, fetchTotpSetup } from '../api/auth';
import { QueryError } from './QueryError';
import { TotpCodeForm } from './TotpCodeForm';

export function TotpEnrol({ onEnabled }: { onEnabled: () => Promise<unknown> | undefined }) {
  const { t } = useTranslation();
  // A fresh secret each time the step is shown; never cached across sessions.
  const setup = useQuery({ queryKey: ['totp-setup'], queryFn: fetchTotpSetup, gcTime: 0, staleTime: Infinity });

  if (setup.isLoading) return <Spin />;
  if (setup.error || !setup.data) return <QueryError error={setup.error} onRetry={() => void setup.refetch()} />;

  return (
    <Flex vertical gap={12}>
      <Alert type="info" showIcon title={t('mfa.enrolHint')} />
      <div className="qr-box">
        <img src={setup.data.qrDataUrl} alt={t('mfa.qrAlt')} data-testid="totp-qr" />
      </div>
      <div>
        <Typography.Text type="secondary">{t('mfa.secret')}</Typography.Text>
        <br />
        <Typography.Text code copyable data-testid="totp-secret">
          {setup.data.secret}
        </Typography.Text>
      </div>
      <TotpCodeForm
        submitLabel={t('mfa.enable')}
        onSubmit={async (code) => {
          await enableTotp(code);
          await onEnabled();
        }}
      />
    </Flex>
  );
}
