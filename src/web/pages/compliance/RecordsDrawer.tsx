/** The meeting records behind a compliance result: one organisation's meetings of a type over the period. */
import { useQuery } from '@tanstack/react-query';
import { Drawer, Table, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeetingType } from '../../../shared/meetings';
import { accessFor } from '../../access';
import { fetchMeetings, MEETINGS_KEY, type MeetingSummary } from '../../api/meetings';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { useSession } from '../../hooks/useSession';
import { MeetingEditor } from '../meetings/MeetingEditor';
import { STATUS_TAG, TYPE_COLOR } from '../meetings/meetingStyle';
import { periodRange } from './PeriodPicker';

interface Props {
  target: { orgId: number; orgName: string; type?: MeetingType } | null;
  period: string;
  onClose: () => void;
}

export function RecordsDrawer({ target, period, onClose }: Props) {
  const { t } = useTranslation();
  const { user } = useSession();
  const canWrite = accessFor(user).canWriteMeetings;
  const [meetingId, setMeetingId] = useState<number | null>(null);
  const { from, to } = periodRange(period);
  const query = useQuery({
    queryKey: [...MEETINGS_KEY, 'records', target?.orgId, target?.type, from, to],
    queryFn: () => fetchMeetings({ org: target!.orgId, type: target!.type, from, to, pageSize: 500 }),
    enabled: target !== null,
  });
  const title = target
    ? `${target.orgName} · ${target.type ? t(`meetings.type.${target.type}`) : t('compliance.allTypes')} · ${period}`
    : '';

  return (
    <Drawer open={target !== null} onClose={onClose} title={title} size="min(900px, 100vw)" destroyOnHidden>
      {query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<MeetingSummary>
          rowKey="id"
          size="small"
          loading={query.isLoading}
          dataSource={(query.data?.items ?? []).filter((m) => m.orgId === target?.orgId)}
          locale={{ emptyText: t('compliance.noRecords') }}
          pagination={false}
          scroll={{ x: 'max-content' }}
          data-testid="compliance-records"
          onRow={(r) => ({ onClick: () => setMeetingId(r.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('meetings.colTime'), key: 'time', width: 160, render: (_, r) => formatDateTime(r.startsAt) },
            { title: t('meetings.colTitle'), dataIndex: 'title' },
            {
              title: t('meetings.colTypes'),
              key: 'types',
              render: (_, r) =>
                r.types.map((v) => (
                  <Tag key={v} color={TYPE_COLOR[v]}>
                    {t(`meetings.type.${v}`)}
                  </Tag>
                )),
            },
            {
              title: t('meetings.colAttendance'),
              key: 'att',
              render: (_, r) => `${r.attendance.present}/${r.attendance.total}`,
            },
            {
              title: t('meetings.colQuorum'),
              key: 'quorum',
              render: (_, r) =>
                r.quorum.rule === 'none' || r.status === 'planned' ? (
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
              render: (_, r) => <Tag color={STATUS_TAG[r.status]}>{t(`meetings.status.${r.status}`)}</Tag>,
            },
          ]}
        />
      )}
      <MeetingEditor
        open={meetingId !== null}
        meetingId={meetingId}
        canWrite={canWrite}
        onClose={() => setMeetingId(null)}
        onSaved={(id) => setMeetingId(id)}
      />
    </Drawer>
  );
}
