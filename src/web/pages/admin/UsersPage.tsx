/** `/admin/users`: accounts with server paging and search, and the account actions of 系统管理员. */
import { PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Grid, Input, Table, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchUsers } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { UserActions } from './UserActions';
import { UserFormModal } from './UserFormModal';

export const USERS_KEY = ['users'] as const;

export function UsersPage() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AdminUser | null>(null);
  // Fixed columns need room: on a phone they would cover the scrolling middle.
  const wide = Grid.useBreakpoint().md !== false;
  const users = useQuery({
    queryKey: [...USERS_KEY, { q, page, pageSize }],
    queryFn: () => fetchUsers({ q: q || undefined, page, pageSize }),
    placeholderData: keepPreviousData,
  });

  return (
    <Card
      title={t('users.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="btn-create-user">
          {t('users.create')}
        </Button>
      }
    >
      <Input.Search
        allowClear
        placeholder={t('users.searchPlaceholder')}
        onSearch={(value) => {
          setQ(value.trim());
          setPage(1);
        }}
        style={{ maxWidth: 360, marginBottom: 16 }}
        data-testid="user-search"
      />
      {users.error ? <QueryError error={users.error} onRetry={() => void users.refetch()} /> : null}
      <Table<AdminUser>
        data-testid="users-table"
        rowKey={(user) => String(user.id)}
        loading={users.isFetching}
        dataSource={users.data?.items ?? []}
        scroll={{ x: 1200 }}
        size="middle"
        pagination={{
          current: page,
          pageSize,
          total: users.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (nextPage, nextSize) => {
            setPage(nextSize === pageSize ? nextPage : 1);
            setPageSize(nextSize);
          },
        }}
        columns={[
          {
            key: 'username',
            title: t('users.username'),
            dataIndex: 'username',
            width: 140,
            fixed: wide ? 'left' : undefined,
          },
          { key: 'displayName', title: t('users.displayName'), dataIndex: 'displayName', width: 180 },
          {
            key: 'status',
            title: t('users.status'),
            width: 170,
            render: (_, user) => (
              <Flex gap={4} wrap>
                {user.disabled ? (
                  <Tag color="default">{t('users.disabled')}</Tag>
                ) : (
                  <Tag color="green">{t('users.active')}</Tag>
                )}
                {user.locked ? (
                  <Tooltip
                    title={
                      user.lockedUntil ? t('users.lockedUntil', { time: formatDateTime(user.lockedUntil) }) : undefined
                    }
                  >
                    <Tag color="red">{t('users.locked')}</Tag>
                  </Tooltip>
                ) : null}
                {user.mustChangePassword ? <Tag color="orange">{t('users.mustChange')}</Tag> : null}
              </Flex>
            ),
          },
          {
            key: 'totp',
            title: t('users.totp'),
            width: 90,
            render: (_, user) =>
              user.totpEnabled ? (
                <Tag color="green">{t('users.totpOn')}</Tag>
              ) : user.totpExempt ? (
                <Tag>{t('users.totpExempt')}</Tag>
              ) : (
                <Tag color="default">{t('users.totpOff')}</Tag>
              ),
          },
          {
            key: 'grants',
            title: t('users.grants'),
            width: 280,
            render: (_, user) => (
              <Flex gap={4} wrap>
                {user.grants.map((grant) => (
                  <Tag key={String(grant.id)} color="red" style={{ whiteSpace: 'normal', marginInlineEnd: 0 }}>
                    {t(`roles.${grant.role}`)}
                    {grant.orgName ? ` · ${grant.orgName}` : ''}
                  </Tag>
                ))}
              </Flex>
            ),
          },
          {
            key: 'lastLogin',
            title: t('users.lastLogin'),
            width: 170,
            render: (_, user) => formatDateTime(user.lastLoginAt),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 200,
            fixed: wide ? 'right' : undefined,
            render: (_, user) => <UserActions user={user} onEdit={() => setEditing(user)} />,
          },
        ]}
      />
      {creating ? <UserFormModal onClose={() => setCreating(false)} /> : null}
      {editing ? <UserFormModal user={editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
