/** `/security/grants`: pick a user, list their role grants, add or remove one. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Popconfirm, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessFor } from '../../access';
import { revokeSessions } from '../../api/admin';
import { deleteGrant, fetchGrants } from '../../api/security';
import type { AdminUser, Grant } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { useErrorText } from '../../hooks/useErrorText';
import { useSession } from '../../hooks/useSession';
import { AddGrantForm } from './AddGrantForm';
import { UserPicker } from './UserPicker';

export function GrantsPage() {
  const { t } = useTranslation();
  const [user, setUser] = useState<AdminUser | null>(null);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card title={t('grants.title')}>
        <UserPicker value={user} onChange={setUser} />
      </Card>
      {user ? (
        <UserGrants user={user} />
      ) : (
        <Card>
          <Empty description={t('grants.pickUserHint')} />
        </Card>
      )}
    </Space>
  );
}

function UserGrants({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const grants = useQuery({ queryKey: ['grants', String(user.id)], queryFn: () => fetchGrants(user.id) });
  const remove = useMutation({
    mutationFn: (grant: Grant) => deleteGrant(grant.id),
    onSuccess: async () => {
      message.success(t('grants.removed'));
      await client.invalidateQueries({ queryKey: ['grants'] });
      await client.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (error) => message.error(errorText(error)),
  });

  return (
    <Card title={`${user.displayName}（${user.username}）`} extra={<RevokeSessionsButton user={user} />}>
      {grants.error ? <QueryError error={grants.error} onRetry={() => void grants.refetch()} /> : null}
      <Table<Grant>
        data-testid="grants-table"
        rowKey={(grant) => String(grant.id)}
        loading={grants.isLoading}
        dataSource={grants.data?.items ?? []}
        pagination={false}
        size="middle"
        scroll={{ x: 600 }}
        locale={{ emptyText: t('grants.empty') }}
        columns={[
          {
            key: 'role',
            title: t('grants.role'),
            render: (_, grant) => (
              <Tag color="red">
                {t(`roles.${grant.role}`)} <span style={{ opacity: 0.6 }}>{grant.role}</span>
              </Tag>
            ),
          },
          { key: 'org', title: t('grants.org'), render: (_, grant) => grant.orgName ?? '—' },
          { key: 'createdAt', title: t('grants.createdAt'), render: (_, grant) => formatDateTime(grant.createdAt) },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 100,
            render: (_, grant) => (
              <Popconfirm
                title={t('grants.removeConfirm')}
                okText={t('common.ok')}
                cancelText={t('common.cancel')}
                onConfirm={() => remove.mutateAsync(grant).catch(() => undefined)}
              >
                <Button type="link" danger size="small">
                  {t('grants.remove')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <AddGrantForm userId={user.id} />
    </Card>
  );
}

/** 安全管理员 may end a user's sessions too (e.g. right after revoking a grant). */
function RevokeSessionsButton({ user }: { user: AdminUser }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const session = useSession();
  const revoke = useMutation({
    mutationFn: () => revokeSessions(user.id),
    onSuccess: () => message.success(t('common.done')),
    onError: (error) => message.error(errorText(error)),
  });
  if (!accessFor(session.user).canRevokeSessions) return null;
  return (
    <Popconfirm
      title={t('users.revokeConfirm')}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      onConfirm={() => revoke.mutateAsync().catch(() => undefined)}
    >
      <Button loading={revoke.isPending}>{t('users.revokeSessions')}</Button>
    </Popconfirm>
  );
}
