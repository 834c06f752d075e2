/** `/m/signin?t=…`: the phone page a member reaches by scanning a meeting's QR code. */
import { CheckCircleTwoTone } from '@ant-design/icons';
import { Alert, Button, Card, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { signin } from '../../api/meetings';
import { formatDateTime } from '../../components/format';
import { useErrorText } from '../../hooks/useErrorText';
import { useSession } from '../../hooks/useSession';

export function SigninPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('t') ?? '';
  const { user } = useSession();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<Awaited<ReturnType<typeof signin>> | null>(null);

  async function go() {
    setBusy(true);
    setError(null);
    try {
      setDone(await signin(token));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div style={{ minHeight: '100vh', background: '#f5f5f5', padding: 16, boxSizing: 'border-box' }}>
      <Card style={{ maxWidth: 480, margin: '0 auto' }} title={t('signin.title')} data-testid="signin-card">
        {done ? (
          <Result
            icon={<CheckCircleTwoTone twoToneColor="#52c41a" />}
            status="success"
            title={done.alreadySignedIn ? t('signin.already') : t('signin.ok')}
            subTitle={
              <>
                <Typography.Paragraph strong data-testid="signin-meeting">
                  {done.meeting.title}
                </Typography.Paragraph>
                <Typography.Text type="secondary">
                  {done.meeting.orgName} · {formatDateTime(done.signedInAt)}
                </Typography.Text>
              </>
            }
            data-testid="signin-ok"
          />
        ) : (
          <>
            <Typography.Paragraph>{user?.displayName}</Typography.Paragraph>
            <Typography.Paragraph type="secondary">
              {token ? t('signin.hint') : t('signin.missing')}
            </Typography.Paragraph>
            {error && (
              <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="signin-error" />
            )}
            <Button
              type="primary"
              size="large"
              block
              disabled={!token}
              loading={busy}
              onClick={() => void go()}
              data-testid="signin-button"
              style={{ height: 56, fontSize: 20 }}
            >
              {t('signin.button')}
            </Button>
          </>
        )}
      </Card>
    </div>
  );
}
