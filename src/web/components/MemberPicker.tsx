/** Select searching the roster (`GET /api/members?q=`) within an org's subtree: name, pinyin initials, full ID. */
import { useQuery } from '@tanstack/react-query';
import { Flex, Select, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchMembers, MEMBERS_KEY } from '../api/members';
import type { Id, Member, MemberStatus } from '../api/types';
import { useDebounced } from '../hooks/useDebounced';

interface Props {
  value?: Id | null;
  onChange?: (id: Id | undefined, member: Member | undefined) => void;
  /** Limit to this org's subtree. */
  org?: Id | null;
  status?: MemberStatus;
  placeholder?: string;
  id?: string;
  'data-testid'?: string;
}

export function MemberPicker({ value, onChange, org, status, placeholder, ...rest }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const query = { org: org ?? undefined, q: q || undefined, status, page: 1, pageSize: 20 };
  const members = useQuery({
    queryKey: [...MEMBERS_KEY, 'picker', query],
    queryFn: () => fetchMembers(query),
  });
  const items = members.data?.items ?? [];
  const [picked, setPicked] = useState<Member | undefined>(undefined);
  const options = items.map((member) => ({ value: String(member.id), label: member.name, member }));
  if (picked && !options.some((option) => option.value === String(picked.id))) {
    options.unshift({ value: String(picked.id), label: picked.name, member: picked });
  }

  return (
    <Select
      {...rest}
      allowClear
      placeholder={placeholder}
      loading={members.isFetching}
      value={value === null || value === undefined ? undefined : String(value)}
      options={options}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      optionRender={(option) => {
        const member = option.data.member as Member;
        return (
          <Flex justify="space-between" gap={8} data-testid="member-option">
            <span>{member.name}</span>
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
              {member.orgName}
            </Typography.Text>
          </Flex>
        );
      }}
      onChange={(next: string | undefined) => {
        const member = next ? options.find((option) => option.value === next)?.member : undefined;
        setPicked(member);
        onChange?.(member?.id ?? undefined, member);
      }}
      notFoundContent={members.isFetching ? t('app.loading') : undefined}
    />
  );
}
