/**
 * Gate for every page behind login: sends the visitor to the login form, the second factor or
 * the forced password change, in that order.
 */
import { Spin } from 'antd';
import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../hooks/useSession';
import { ChangePasswordPage } from '../pages/account/ChangePasswordPage';
import { QueryError } from './QueryError';

export function RequireSession() {
  const { user, isLoading, error, refresh } = useSession();
  const location = useLocation();

  if (isLoading) return <Spin fullscreen />;
  if (error) {
    return (
      <div style={{ padding: 24 }}>
        <QueryError error={error} onRetry={() => void refresh()} />
      </div>
    );
  }
  const here = `${location.pathname}${location.search}`;
  if (!user) return <Navigate to={`/login?next=${encodeURIComponent(here)}`} replace />;
  if (user.mfa.pending) return <Navigate to={`/login/mfa?next=${encodeURIComponent(here)}`} replace />;
  if (user.mustChangePassword || user.passwordExpired) {
    if (location.pathname !== '/account/password') return <Navigate to="/account/password" replace />;
    return <ChangePasswordPage />;
  }
  return <Outlet />;
}
