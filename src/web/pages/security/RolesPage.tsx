/** `/security/roles`: read-only list of roles and their permissions. */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Flex, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchRoles } from '../../api/security';
import type { RoleInfo } from '../../api/types';
import { QueryError } from '../../components/QueryError';

export function RolesPage() {
  const { t } = useTranslation();
  const roles = useQuery({ queryKey: ['roles'], queryFn: fetchRoles, staleTime: 300_000 });
  return (
    <Card title={t('rolesPage.title')}>
      <Alert type="info" showIcon title={t('rolesPage.hint')} style={{ marginBottom: 16 }} />
      {roles.error ? <QueryError error={roles.error} onRetry={() => void roles.refetch()} /> : null}
      <Table<RoleInfo>
        data-testid="roles-table"
        rowKey="key"
        loading={roles.isLoading}
        dataSource={roles.data ?? []}
        pagination={false}
        scroll={{ x: 720 }}
        columns={[
          { key: 'name', title: t('rolesPage.role'), render: (_, role) => t(`roles.${role.key}`), width: 140 },
          { key: 'code', title: t('rolesPage.code'), render: (_, role) => <code>{role.key}</code>, width: 120 },
          {
            key: 'type',
            title: t('rolesPage.type'),
            width: 220,
            render: (_, role) => (
              <Flex gap={4} wrap>
                <Tag color={role.admin ? 'purple' : 'blue'}>
                  {role.admin ? t('rolesPage.admin') : t('rolesPage.business')}
                </Tag>
                <Tag>{role.scoped ? t('rolesPage.scoped') : t('rolesPage.global')}</Tag>
              </Flex>
            ),
          },
          {
            key: 'permissions',
            title: t('rolesPage.permissions'),
            render: (_, role) => (
              <Flex gap={4} wrap>
                {role.permissions.map((permission) => (
                  <Tag key={permission} title={permission}>
                    {t(`perms.${permission}`, { defaultValue: permission })}
                  </Tag>
                ))}
              </Flex>
            ),
          },
        ]}
      />
    </Card>
  );
}
