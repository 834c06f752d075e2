/**
 * 组织生活: the plan and records of the current organisation by month, as a month calendar or a list (switchable,
 * kept in `?view=`), filtered by type; open one to record or read it. Writers plan on a day of the calendar, copy
 * last year's plan, and download the period's 会议记录本.
 */
import { CopyOutlined, DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, DatePicker, Grid, Segmented, Select, Space, Table, Tag } from 'antd';
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
import { MeetingCalendar } from './MeetingCalendar';
import { MeetingEditor } from './MeetingEditor';
import { STATUS_TAG, TYPE_COLOR } from './meetingStyle';
import { BookModal, CopyPlanModal } from './PlanActions';

type View = 'calendar' | 'list';

export function MeetingsPage() {
  const { t } = useTranslation();
  const { currentOrgId } = useCurrentOrg();
  const [params, setParams] = useSearchParams();
  const { user } = useSession();
  const access = accessFor(user);
  const { index } = useOrgs();
  const screens = Grid.useBreakpoint();
  const isPhone = screens.md === false;
  const org = params.get('org') ?? currentOrgId ?? undefined;
  const [month, setMonth] = useState(() => (params.get('month') ? dayjs(`${params.get('month')}-01`) : dayjs()));
  const [type, setType] = useState<MeetingType | undefined>((params.get('type') as MeetingType | null) ?? undefined);
  const [open, setOpen] = useState(false);
  const [meetingId, setMeetingId] = useState<number | null>(null);
  const [newDate, setNewDate] = useState<string | null>(null);
  const [modal, setModal] = useState<'copy' | 'book' | null>(null);
  const requested = params.get('view');
  const view: View = requested === 'list' || requested === 'calendar' ? requested : isPhone ? 'list' : 'calendar';
  const setView = (v: View) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('view', v);
        return next;
      },
      { replace: true },
    );

  // The calendar shows parts of the neighbouring months too.
  const from = (view === 'calendar' ? month.startOf('month').subtract(7, 'day') : month.startOf('month')).format(
    'YYYY-MM-DD',
  );
  const to = (view === 'calendar' ? month.endOf('month').add(14, 'day') : month.endOf('month')).format('YYYY-MM-DD');
  const query = useQuery({
    queryKey: [...MEETINGS_KEY, 'list', org, from, to, type],
    queryFn: () => fetchMeetings({ org, from, to, type, pageSize: 500 }),
  });

  const defaultOrgId = org ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const openMeeting = (id: number) => {
    setMeetingId(id);
    setNewDate(null);
    setOpen(true);
  };
  const createOn = (date: string | null) => {
    setMeetingId(null);
    setNewDate(date);
    setOpen(true);
  };
  const orgName = defaultOrgId ? index.byId.get(defaultOrgId)?.name : undefined;

  return (
    <Card
      title={t('meetings.title')}
      extra={
        <Space wrap>
          {orgName && !isPhone ? <span style={{ color: '#8c8c8c' }}>{orgName}</span> : null}
          {defaultOrgId && (
            <Button icon={<DownloadOutlined />} onClick={() => setModal('book')} data-testid="meeting-book">
              {isPhone ? null : t('meetings.book')}
            </Button>
          )}
          {access.canWriteMeetings && defaultOrgId && (
            <Button icon={<CopyOutlined />} onClick={() => setModal('copy')} data-testid="meeting-copy-plan">
              {isPhone ? null : t('meetings.copyPlan')}
            </Button>
          )}
          {access.canWriteMeetings && (
            <Button type="primary" icon={<PlusOutlined />} data-testid="meeting-create" onClick={() => createOn(null)}>
              {t('meetings.create')}
            </Button>
          )}
        </Space>
      }
    >
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<View>
          value={view}
          onChange={setView}
          data-testid="meeting-view"
          options={[
            { value: 'calendar', label: t('meetings.viewCalendar') },
            { value: 'list', label: t('meetings.viewList') },
          ]}
        />
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
      ) : view === 'calendar' ? (
        <MeetingCalendar
          month={month}
          meetings={query.data?.items ?? []}
          onMonthChange={setMonth}
          onOpen={openMeeting}
          onCreate={access.canWriteMeetings ? createOn : undefined}
        />
      ) : (
        <Table<MeetingSummary>
          rowKey="id"
          loading={query.isLoading}
          dataSource={query.data?.items ?? []}
          locale={{ emptyText: t('meetings.empty') }}
          pagination={{ pageSize: 20, showTotal: (total) => t('common.total', { total }) }}
          data-testid="meetings-table"
          scroll={{ x: 'max-content' }}
          onRow={(row) => ({ onClick: () => openMeeting(row.id), style: { cursor: 'pointer' } })}
          columns={[
            { title: t('meetings.colTime'), key: 'time', width: 170, render: (_, r) => formatDateTime(r.startsAt) },
            { title: t('meetings.colTitle'), dataIndex: 'title' },
            { title: t('meetings.org'), dataIndex: 'orgName', responsive: ['lg'] },
            {
              title: t('meetings.colTypes'),
              key: 'types',
              responsive: ['md'],
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
              width: 110,
              responsive: ['md'],
              render: (_, r) => `${r.attendance.present}/${r.attendance.total}`,
            },
            {
              title: t('meetings.colQuorum'),
              key: 'quorum',
              width: 110,
              responsive: ['md'],
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
              width: 100,
              render: (_, r) => (
                <Tag color={STATUS_TAG[r.status]} data-testid={`meeting-status-${r.id}`}>
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
        defaultDate={newDate}
        canWrite={access.canWriteMeetings}
        onClose={() => setOpen(false)}
        onSaved={(id) => setMeetingId(id)}
      />
      {defaultOrgId && (
        <>
          <CopyPlanModal open={modal === 'copy'} orgId={defaultOrgId} onClose={() => setModal(null)} />
          <BookModal open={modal === 'book'} orgId={defaultOrgId} onClose={() => setModal(null)} />
        </>
      )}
    </Card>
  );
}
