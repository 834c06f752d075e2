/** Providers: TanStack Query, antd (theme + locale following the UI language), the router. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError, onSessionSignal } from './api/client';
import { SESSION_KEY } from './hooks/useSession';
import { router } from './router';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // Client errors (403, 404, validation) will not go away by asking again.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

// Central reaction to the session states every endpoint can answer with.
onSessionSignal((signal) => {
  const here = `${window.location.pathname}${window.location.search}`;
  if (signal === 'unauthenticated') {
    queryClient.setQueryData(SESSION_KEY, null);
    if (!window.location.pathname.startsWith('/login')) {
      void router.navigate(`/login?next=${encodeURIComponent(here)}`, { replace: true });
    }
  } else if (signal === 'mfa_required') {
    void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    void router.navigate(`/login/mfa?next=${encodeURIComponent(here)}`, { replace: true });
  } else {
    void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
    void router.navigate('/account/password', { replace: true });
  }
});

export function App() {
  const { i18n } = useTranslation();
  const english = i18n.language === 'en-US';
  useEffect(() => {
    dayjs.locale(english ? 'en' : 'zh-cn');
  }, [english]);

  return (
    <QueryClientProvider client={queryClient}>
      <ConfigProvider
        locale={english ? enUS : zhCN}
        theme={{
          token: { colorPrimary: '#c4161c', colorLink: '#c4161c', borderRadius: 6 },
          components: { Menu: { subMenuItemBg: 'transparent' } },
        }}
        // "登录" rather than "登 录": the spaced form breaks copy-paste and text look-ups.
        button={{ autoInsertSpace: false }}
      >
        <AntApp>
          <RouterProvider router={router} />
        </AntApp>
      </ConfigProvider>
    </QueryClientProvider>
  );
}
