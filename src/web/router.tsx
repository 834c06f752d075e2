/** Browser router: public auth pages, then the gated app layout with the route table. */
import { createBrowserRouter } from 'react-router';
import { AccessGuard } from './components/AccessGuard';
import { AppLayout } from './components/AppLayout';
import { NotFound } from './components/Forbidden';
import { RequireSession } from './components/RequireSession';
import { appRoutes } from './navigation';
import { ChangePasswordPage } from './pages/account/ChangePasswordPage';
import { TotpPage } from './pages/account/TotpPage';
import { LoginPage } from './pages/auth/LoginPage';
import { MfaPage } from './pages/auth/MfaPage';
import { SigninPage } from './pages/meetings/SigninPage';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/login/mfa', element: <MfaPage /> },
  {
    element: <RequireSession />,
    children: [
      { path: '/m/signin', element: <SigninPage /> },
      {
        element: <AppLayout />,
        children: [
          ...appRoutes.map((route) => ({
            path: route.path,
            element: <AccessGuard access={route.access}>{route.element}</AccessGuard>,
          })),
          { path: '/account/password', element: <ChangePasswordPage /> },
          { path: '/account/totp', element: <TotpPage /> },
          { path: '*', element: <NotFound /> },
        ],
      },
    ],
  },
]);
