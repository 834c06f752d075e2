/**
 * `/training-hours` 学时台账: per member of the header's current subtree, the year's hours against the target
 * (56 for secretaries and committee members, 32 for members), most behind first, with the share behind; a
 * member's entries in a drawer; recording hours with `member.write`.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Button,
  Card,
  Col,
  DatePicker,
  Flex,
  Input,
  Progress,
  Row,
  Skeleton,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { todayInShanghai } from '../../../shared/dates';
import { accessFor } from '../../access';
import { fetchTraining, TRAINING_KEY } from '../../api/staffing';
import type { Id, TrainingRow } from '../../api/types';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useOrgs } from '../../hooks/useOrgs';
import { useSession } from '../../hooks/useSession';
import { LedgerDrawer } from './LedgerDrawer';
import { RecordHoursModal } from './RecordHoursModal';

export function TrainingHoursPage() {
  const { t } = useTranslation();
  const { user } = useSession();
  const access = accessFor(user);
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const org = currentOrgId ?? undefined;
  const thisYear = Number(todayInShanghai().slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [name, setName] = useState('');
  const [onlyBehind, setOnlyBehind] = useState(false);
  const [open, setOpen] = useState<{ id: Id; name: string } | null>(null);
  const [recording, setRecording] = useState<{ member?: { id: Id; name: string } } | null>(null);

  const view = useQuery({ queryKey: [...TRAINING_KEY, { org, year }], queryFn: () => fetchTraining(org, year) });
  const rows = useMemo(() => {
    const needle = name.trim();
    return (view.data?.rows ?? []).filter(
      (row) => (!onlyBehind || row.behind) && (!needle || row.name.includes(needle)),
    );
  }, [view.data, name, onlyBehind]);
  const summary = view.data?.summary;
  const scopeName = org ? (index.byId.get(org)?.name ?? org) : t('staffing.scopeAll');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card
        title={t('training.title')}
        extra={
          <Space wrap>
            <DatePicker
              picker="year"
              allowClear={false}
              value={dayjs(`${year}-01-01`)}
              onChange={(value) => value && setYear(value.year())}
              disabledDate={(date) => date.year() > thisYear || date.year() < 2000}
              aria-label={t('training.year')}
              data-testid="training-year"
            />
            {access.canWriteMembers ? (
              <Button
                type="primary"
                icon={<PlusOutlined />}
                onClick={() => setRecording({})}
                data-testid="btn-record-hours"
              >
                {t('training.record')}
              </Button>
            ) : null}
          </Space>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('staffing.scope', { name: scopeName })} · {t('training.targetHint')}
        </Typography.Paragraph>
        {view.error ? <QueryError error={view.error} onRetry={() => void view.refetch()} /> : null}
        {view.isLoading ? <Skeleton active paragraph={{ rows: 2 }} /> : null}
        {summary ? (
          <Row gutter={[16, 16]} data-testid="training-summary">
            <Col xs={12} md={6}>
              <Statistic title={t('training.summary.members')} value={summary.members} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('training.summary.onTarget')} value={summary.members - summary.behind} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic
                title={t('training.summary.behind')}
                value={summary.behind}
                styles={{ content: { color: summary.behind > 0 ? '#d46b08' : undefined } }}
              />
            </Col>
            <Col xs={12} md={6}>
              <Typography.Text type="secondary">{t('training.summary.shareBehind')}</Typography.Text>
              <Progress
                percent={Math.round(summary.shareBehind * 1000) / 10}
                strokeColor="#fa8c16"
                format={(value) => `${value}%`}
              />
            </Col>
          </Row>
        ) : null}
      </Card>
      <Card>
        <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
          <Input.Search
            allowClear
            placeholder={t('training.searchPlaceholder')}
            onSearch={setName}
            onChange={(event) => setName(event.target.value)}
            style={{ maxWidth: 240 }}
          />
          <Space>
            <Switch checked={onlyBehind} onChange={setOnlyBehind} data-testid="training-only-behind" />
            {t('training.onlyBehind')}
          </Space>
        </Flex>
        <Table<TrainingRow>
          data-testid="training-table"
          rowKey={(row) => String(row.memberId)}
          loading={view.isFetching}
          dataSource={rows}
          size="middle"
          scroll={{ x: 900 }}
          onRow={(row) => ({
            onClick: () => setOpen({ id: row.memberId, name: row.name }),
            style: { cursor: 'pointer' },
          })}
          pagination={{ pageSize: 20, showSizeChanger: true, showTotal: (total) => t('common.total', { total }) }}
          columns={[
            {
              key: 'name',
              title: t('training.columns.name'),
              width: 110,
              render: (_, row) => <Typography.Link>{row.name}</Typography.Link>,
            },
            {
              key: 'org',
              title: t('training.columns.org'),
              width: 240,
              render: (_, row) => (
                <Typography.Text ellipsis={{ tooltip: row.orgName }} style={{ maxWidth: 224 }}>
                  {row.orgName}
                </Typography.Text>
              ),
            },
            {
              key: 'role',
              title: t('training.columns.role'),
              width: 100,
              render: (_, row) =>
                row.committee ? <Tag color="red">{t('training.committee')}</Tag> : <Tag>{t('training.member')}</Tag>,
            },
            { key: 'target', title: t('training.columns.target'), dataIndex: 'target', width: 90, align: 'right' },
            { key: 'hours', title: t('training.columns.hours'), dataIndex: 'hours', width: 90, align: 'right' },
            {
              key: 'progress',
              title: t('training.columns.progress'),
              width: 200,
              render: (_, row) => (
                <Progress
                  size="small"
                  percent={row.target > 0 ? Math.min(100, Math.round((row.hours / row.target) * 100)) : 100}
                  status={row.behind ? 'normal' : 'success'}
                  strokeColor={row.behind ? '#fa8c16' : undefined}
                />
              ),
            },
            {
              key: 'shortfall',
              title: t('training.columns.shortfall'),
              width: 110,
              align: 'right',
              render: (_, row) =>
                row.behind ? (
                  <Typography.Text strong style={{ color: '#d46b08' }}>
                    {row.shortfall}
                  </Typography.Text>
                ) : (
                  <Tag color="green">{t('training.onTarget')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      {open ? (
        <LedgerDrawer
          key={`${open.id}-${year}`}
          memberId={open.id}
          name={open.name}
          year={year}
          canWrite={access.canWriteMembers}
          onRecord={() => setRecording({ member: open })}
          onClose={() => setOpen(null)}
        />
      ) : null}
      {recording ? (
        <RecordHoursModal year={year} org={org} member={recording.member} onClose={() => setRecording(null)} />
      ) : null}
    </Space>
  );
}
