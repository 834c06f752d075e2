/** `/login`: username and password; then on to the second factor or the password change. */
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { login } from '../../api/auth';
import { AuthShell } from '../../components/AuthShell';
import { useErrorText } from '../../hooks/useErrorText';
import { pendingStep, useSession } from '../../hooks/useSession';

interface LoginForm {
  username: string;
  password: string;
}

/** Only same-site paths are followed after login (no open redirect). */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { user, setUser } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const next = safeNext(params.get('next'));

  if (user && !busy) return <Navigate to={pendingStep(user) ?? next} replace />;

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const loggedIn = await login(values.username.trim(), values.password);
      setUser(loggedIn);
      const step = pendingStep(loggedIn);
      navigate(step ? `${step}?next=${encodeURIComponent(next)}` : next, { replace: true });
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthShell title={t('login.title')}>
      <Form<LoginForm> layout="vertical" size="large" onFinish={submit} requiredMark={false} data-testid="login-form">
        {error ? (
          <Form.Item>
            <Alert type="error" showIcon title={error} data-testid="login-error" />
          </Form.Item>
        ) : null}
        <Form.Item
          name="username"
          label={t('login.username')}
          rules={[{ required: true, message: t('login.usernameRequired') }]}
        >
          <Input prefix={<UserOutlined />} autoComplete="username" autoFocus data-testid="login-username" />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('login.password')}
          rules={[{ required: true, message: t('login.passwordRequired') }]}
        >
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" data-testid="login-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
      </Form>
    </AuthShell>
  );
}
