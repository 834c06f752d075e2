/** One member's training hours of a year: progress against the target and the entries. */
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Descriptions, Drawer, Grid, Progress, Skeleton, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchTrainingLedger, TRAINING_KEY } from '../../api/staffing';
import type { Id, TrainingEntry } from '../../api/types';
import { QueryError } from '../../components/QueryError';

interface Props {
  memberId: Id;
  name: string;
  year: number;
  canWrite: boolean;
  onRecord: () => void;
  onClose: () => void;
}

export function LedgerDrawer({ memberId, name, year, canWrite, onRecord, onClose }: Props) {
  const { t } = useTranslation();
  const phone = Grid.useBreakpoint().md === false;
  const ledger = useQuery({
    queryKey: [...TRAINING_KEY, 'ledger', String(memberId), year],
    queryFn: () => fetchTrainingLedger(memberId, year),
  });
  const row = ledger.data;
  return (
    <Drawer
      open
      onClose={onClose}
      size={phone ? '100%' : 640}
      title={t('training.ledgerTitle', { name, year })}
      extra={
        canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={onRecord} data-testid="btn-record-for-member">
            {t('training.record')}
          </Button>
        ) : null
      }
    >
      {ledger.isLoading ? <Skeleton active /> : null}
      {ledger.error ? <QueryError error={ledger.error} onRetry={() => void ledger.refetch()} /> : null}
      {row ? (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="training-ledger">
          <Descriptions
            bordered
            size="small"
            column={{ xs: 1, sm: 2 }}
            items={[
              { key: 'org', label: t('training.columns.org'), span: 'filled', children: row.orgName },
              {
                key: 'role',
                label: t('training.columns.role'),
                children: row.committee ? t('training.committee') : t('training.member'),
              },
              {
                key: 'target',
                label: t('training.columns.target'),
                children: t('training.hours', { hours: row.target }),
              },
              { key: 'hours', label: t('training.columns.hours'), children: t('training.hours', { hours: row.hours }) },
              {
                key: 'status',
                label: t('training.columns.shortfall'),
                children: row.behind ? (
                  <Tag color="orange">{t('training.hours', { hours: row.shortfall })}</Tag>
                ) : (
                  <Tag color="green">{t('training.onTarget')}</Tag>
                ),
              },
            ]}
          />
          <Progress
            percent={row.target > 0 ? Math.min(100, Math.round((row.hours / row.target) * 100)) : 100}
            status={row.behind ? 'active' : 'success'}
            strokeColor={row.behind ? '#fa8c16' : undefined}
          />
          <Table<TrainingEntry>
            rowKey={(entry) => String(entry.id)}
            dataSource={row.entries}
            size="small"
            pagination={false}
            scroll={{ x: 520 }}
            locale={{ emptyText: t('training.entriesEmpty') }}
            title={() => t('training.entries')}
            columns={[
              { key: 'date', title: t('training.form.occurredOn'), dataIndex: 'occurredOn', width: 110 },
              { key: 'title', title: t('training.form.title'), dataIndex: 'title' },
              {
                key: 'source',
                title: t('training.form.source'),
                width: 100,
                render: (_, entry) => <Tag>{t(`training.sources.${entry.source}`)}</Tag>,
              },
              { key: 'hours', title: t('training.form.hours'), dataIndex: 'hours', width: 70, align: 'right' },
              {
                key: 'by',
                title: t('training.recordedBy'),
                width: 100,
                render: (_, entry) => entry.recordedBy ?? '—',
              },
            ]}
          />
        </Space>
      ) : null}
    </Drawer>
  );
}
