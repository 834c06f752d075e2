/** Select searching `GET /api/users?q=` (the security admin may list users too). */
import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchUsers } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { useDebounced } from '../../hooks/useDebounced';

interface Props {
  value: AdminUser | null;
  onChange: (user: AdminUser | null) => void;
}

export function UserPicker({ value, onChange }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const users = useQuery({
    queryKey: ['users', { q, page: 1, pageSize: 20 }],
    queryFn: () => fetchUsers({ q: q || undefined, page: 1, pageSize: 20 }),
  });
  const items = users.data?.items ?? [];
  const options = items.map((user) => ({
    value: String(user.id),
    label: `${user.displayName}（${user.username}）`,
  }));
  if (value && !options.some((option) => option.value === String(value.id))) {
    options.unshift({ value: String(value.id), label: `${value.displayName}（${value.username}）` });
  }

  return (
    <Select
      data-testid="grant-user-picker"
      style={{ width: '100%', maxWidth: 420 }}
      allowClear
      placeholder={t('grants.pickUserPlaceholder')}
      loading={users.isFetching}
      options={options}
      value={value ? String(value.id) : undefined}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      onChange={(id: string | undefined) => {
        onChange(id ? (items.find((user) => String(user.id) === id) ?? value) : null);
      }}
      notFoundContent={users.isFetching ? t('app.loading') : undefined}
    />
  );
}
