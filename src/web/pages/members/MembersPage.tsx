/**
 * `/members` 党员名册: the roster with server paging, search and filters (the org filter follows the header's
 * current org), the member drawer (`?member=`), create / edit, export and the way to the import page.
 */
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Flex, Grid, Space, Table, Tooltip, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { accessFor } from '../../access';
import { fetchMembers, MEMBERS_KEY } from '../../api/members';
import type { Member } from '../../api/types';
import { formatDate, middleEllipsis } from '../../components/format';
import { CategoryTag, MemberStatusTag, PostTags, useMemberLabels } from '../../components/MemberTags';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';
import { ExportMembersButton } from './ExportMembersButton';
import { MemberDrawer } from './MemberDrawer';
import { MemberFilters, type MemberFilterValues, toQuery } from './MemberFilters';
import { MemberFormModal } from './MemberFormModal';

export function MembersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { user } = useSession();
  const access = accessFor(user);
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const wide = Grid.useBreakpoint().md !== false;
  const labels = useMemberLabels();
  const [filters, setFilters] = useState<MemberFilterValues>({ org: currentOrgId ?? undefined });
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [editing, setEditing] = useState<Member | 'new' | null>(null);
  const [params, setParams] = useSearchParams();
  const openId = params.get('member');

  // The header's 组织切换 sets the default subtree of the roster.
  useEffect(() => {
    setFilters((current) => ({ ...current, org: currentOrgId ?? undefined }));
    setPage(1);
  }, [currentOrgId]);

  const query = { ...toQuery(filters), page, pageSize };
  const members = useQuery({
    queryKey: [...MEMBERS_KEY, 'list', query],
    queryFn: () => fetchMembers(query),
    placeholderData: keepPreviousData,
  });
  const total = members.data?.total ?? 0;

  const open = (id: string | null) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        if (id) copy.set('member', id);
        else copy.delete('member');
        return copy;
      },
      { replace: true },
    );
  const orgName = (id: Member['orgId']) => index.byId.get(String(id))?.name ?? String(id);

  return (
    <Card
      title={
        <Space size={12} wrap>
          <span>{t('members.title')}</span>
          <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="members-total">
            {members.data ? t('common.total', { total }) : ''}
          </Typography.Text>
        </Space>
      }
      extra={
        <Flex gap={8} wrap justify="flex-end">
          {access.canWriteMembers ? (
            <>
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setEditing('new')}
                data-testid="btn-create-member"
              >
                {wide ? t('members.create') : null}
              </Button>
              <Button icon={<ImportOutlined />} onClick={() => navigate('/members/import')} data-testid="btn-import">
                {wide ? t('members.import') : null}
              </Button>
            </>
          ) : null}
          {access.canExportMembers ? (
            <ExportMembersButton org={filters.org} canReveal={access.canRevealMembers} compact={!wide} />
          ) : null}
        </Flex>
      }
      styles={{ header: { flexWrap: 'wrap', rowGap: 8 } }}
    >
      <MemberFilters
        compact={!wide}
        value={filters}
        defaultOrg={currentOrgId ?? undefined}
        onChange={(next) => {
          setFilters(next);
          setPage(1);
        }}
      />
      {members.error ? <QueryError error={members.error} onRetry={() => void members.refetch()} /> : null}
      <Table<Member>
        data-testid="members-table"
        rowKey={(member) => String(member.id)}
        loading={members.isFetching}
        dataSource={members.data?.items ?? []}
        size="middle"
        scroll={{ x: wide ? 1130 : 640 }}
        locale={{ emptyText: t('members.empty') }}
        onRow={(member) => ({ onClick: () => open(String(member.id)), style: { cursor: 'pointer' } })}
        pagination={{
          current: page,
          pageSize,
          total,
          showSizeChanger: true,
          showTotal: (count) => t('common.total', { total: count }),
          onChange: (nextPage, nextSize) => {
            setPage(nextSize === pageSize ? nextPage : 1);
            setPageSize(nextSize);
          },
        }}
        columns={[
          {
            key: 'name',
            title: t('members.fields.name'),
            width: 90,
            fixed: wide ? 'left' : undefined,
            render: (_, member) => <Typography.Link data-testid="member-name">{member.name}</Typography.Link>,
          },
          {
            key: 'gender',
            responsive: ['md'],
            title: t('members.fields.gender'),
            width: 72,
            render: (_, member) => (member.gender ? t(`gender.${member.gender}`) : '—'),
          },
          {
            key: 'ethnicity',
            responsive: ['md'],
            title: t('members.fields.ethnicity'),
            width: 84,
            render: (_, member) => labels.ethnicity(member.ethnicity),
          },
          {
            key: 'age',
            title: t('members.fields.age'),
            width: 56,
            responsive: ['md'],
            render: (_, member) => member.age ?? '—',
          },
          {
            key: 'org',
            title: t('members.fields.orgId'),
            render: (_, member) => (
              <Tooltip title={member.orgName}>
                <span style={{ whiteSpace: 'nowrap' }}>{middleEllipsis(member.orgName, 11)}</span>
              </Tooltip>
            ),
          },
          {
            key: 'category',
            title: t('members.fields.category'),
            width: 92,
            render: (_, member) => <CategoryTag category={member.category} />,
          },
          {
            key: 'joinedAt',
            responsive: ['md'],
            title: t('members.fields.joinedAt'),
            width: 104,
            render: (_, member) => formatDate(member.joinedAt),
          },
          {
            key: 'partyAge',
            responsive: ['md'],
            title: t('members.fields.partyAge'),
            width: 80,
            render: (_, member) => (member.partyAge === null ? '—' : t('members.years', { count: member.partyAge })),
          },
          {
            key: 'posts',
            responsive: ['md'],
            title: t('members.fields.posts'),
            width: 130,
            render: (_, member) => <PostTags posts={member.posts} orgName={orgName} />,
          },
          {
            key: 'status',
            title: t('members.fields.status'),
            width: 90,
            render: (_, member) => <MemberStatusTag status={member.status} />,
          },
          {
            key: 'numbers',
            title: `${t('members.fields.idNumber')} / ${t('members.fields.phone')}`,
            width: 168,
            render: (_, member) => (
              <div className="masked-number" data-testid="member-masked-numbers">
                <div>{member.idNumber ?? '—'}</div>
                <div className="masked-number__secondary">{member.phone ?? '—'}</div>
              </div>
            ),
          },
        ]}
      />
      {openId ? (
        <MemberDrawer
          key={openId}
          memberId={openId}
          onClose={() => open(null)}
          onEdit={(member) => setEditing(member)}
        />
      ) : null}
      {editing ? (
        <MemberFormModal
          member={editing === 'new' ? undefined : editing}
          defaultOrg={filters.org ?? currentOrgId ?? undefined}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            open(String(saved.id));
          }}
        />
      ) : null}
    </Card>
  );
}
