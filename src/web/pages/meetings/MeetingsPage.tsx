/** 组织生活: the meetings of the current organisation by month, filtered by type; open one to record or read it. */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Select, Space, Table, Tag } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { MEETING_TYPES, type MeetingType } from '../../../shared/meetings';
import { accessFor } from '../../access';
import { fetchMeetings, MEETINGS_KEY, type MeetingSummary } from '../../api/meetings';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';
import { MeetingEditor } from './MeetingEditor';

const STATUS_COLOR = { planned: 'default', draft: 'gold', submitted: 'green' } as const;

export function MeetingsPage() {
  const { t } = useTranslation();
  const { currentOrgId } = useCurrentOrg();
  const [params] = useSearchParams();
  const { user } = useSession();
  const access = accessFor(user);
  const { index } = useOrgs();
  const org = params.get('org') ?? currentOrgId ?? undefined;
  const [month, setMonth] = useState(() => (params.get('month') ? dayjs(`${params.get('month')}-01`) : dayjs()));
  const [type, setType] = useState<MeetingType | undefined>((params.get('type') as MeetingType | null) ?? undefined);
  const [open, setOpen] = useState(false);
  const [meetingId, setMeetingId] = useState<number | null>(null);

  const from = month.startOf('month').format('YYYY-MM-DD');
  const to = month.endOf('month').format('YYYY-MM-DD');
  const query = useQuery({
    queryKey: [...MEETINGS_KEY, 'list', org, from, to, type],
    queryFn: () => fetchMeetings({ org, from, to, type, pageSize: 500 }),
  });

  const defaultOrgId = org ?? (index.roots[0] ? String(index.roots[0].id) : undefined);

  return (
    <Card
      title={t('meetings.title')}
      extra={
        access.canWriteMeetings && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="meeting-create"
            onClick={() => {
              setMeetingId(null);
              setOpen(true);
            }}
          >
            {t('meetings.create')}
          </Button>
        )
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <DatePicker picker="month" value={month} allowClear={false} onChange={(v) => v && setMonth(v)} />
        <Select<MeetingType>
          allowClear
          style={{ width: 200 }}
          placeholder={t('meetings.filterType')}
          value={type}
          onChange={setType}
          data-testid="meeting-type-filter"
          options={MEETING_TYPES.map((v) => ({ value: v, label: t(`meetings.type.${v}`) }))}
        />
      </Space>
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<MeetingSummary>
          rowKey="id"
          loading={query.isLoading}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('meetings.empty') }}
          pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }) }}
          data-testid="meetings-table"
          onRow={(row) => ({
            onClick: () => {
              setMeetingId(row.id);
              setOpen(true);
            },
            style: { cursor: 'pointer' },
          })}
          columns={[
            { title: t('meetings.colTime'), key: 'time', width: 170, render: (_, r) => formatDateTime(r.startsAt) },
            { title: t('meetings.colTitle'), dataIndex: 'title' },
            { title: t('meetings.org'), dataIndex: 'orgName', responsive: ['lg'] },
            {
              title: t('meetings.colTypes'),
              key: 'types',
              render: (_, r) => r.types.map((v) => <Tag key={v}>{t(`meetings.type.${v}`)}</Tag>),
            },
            {
              title: t('meetings.colAttendance'),
              key: 'att',
              width: 110,
              render: (_, r) => `${r.attendance.present}/${r.attendance.total}`,
            },
            {
              title: t('meetings.colQuorum'),
              key: 'quorum',
              width: 110,
              render: (_, r) =>
                r.quorum.rule === 'none' ? (
                  '—'
                ) : (
                  <Tag color={r.quorum.met ? 'green' : 'red'}>
                    {r.quorum.met ? t('meetings.quorumMet') : t('meetings.quorumNotMet')}
                  </Tag>
                ),
            },
            {
              title: t('meetings.colStatus'),
              key: 'status',
              width: 100,
              render: (_, r) => (
                <Tag color={STATUS_COLOR[r.status]} data-testid={`meeting-status-${r.id}`}>
                  {t(`meetings.status.${r.status}`)}
                </Tag>
              ),
            },
          ]}
        />
      )}
      <MeetingEditor
        open={open}
        meetingId={meetingId}
        defaultOrgId={defaultOrgId}
        canWrite={access.canWriteMeetings}
        onClose={() => setOpen(false)}
        onSaved={(id) => setMeetingId(id)}
      />
    </Card>
  );
}
