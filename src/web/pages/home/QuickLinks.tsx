/** Shortcuts to the pages the user may open (the same route table as the menu). */
import { Button, Card, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { accessFor } from '../../access';
import { useSession } from '../../hooks/useSession';
import { appRoutes } from '../../navigation';

export function QuickLinks() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const access = accessFor(user);
  const routes = appRoutes.filter(
    (route) => route.path !== '/' && route.menu && (!route.access || access[route.access]),
  );
  if (routes.length === 0) return null;
  return (
    <Card title={t('home.quickLinks')}>
      <Flex gap={12} wrap>
        {routes.map((route) => (
          <Button key={route.path} size="large" icon={route.menu?.icon} onClick={() => navigate(route.path)}>
            {t(route.menu?.labelKey ?? '')}
          </Button>
        ))}
      </Flex>
    </Card>
  );
}
