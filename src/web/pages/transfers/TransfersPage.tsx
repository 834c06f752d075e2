/**
 * `/transfers` 组织关系转接 for the header's current subtree: outgoing and incoming tabs (with the overdue count),
 * status and overdue filters, overdue receipts flagged in red on both sides, accept / return on the receiving
 * side, the printable 介绍信 in a new tab, and starting a transfer.
 */
import { PlusOutlined, PrinterOutlined, WarningOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Badge,
  Button,
  Card,
  Flex,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TRANSFER_STATUSES } from '../../../shared/transfers';
import { MEMBERS_KEY } from '../../api/members';
import { POSTS_KEY, STAFFING_KEY, TRAINING_KEY } from '../../api/staffing';
import { acceptTransfer, fetchTransfers, letterUrl, TRANSFERS_KEY } from '../../api/transfers';
import type { TransferItem, TransferStatus } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useErrorText } from '../../hooks/useErrorText';
import { ReturnTransferModal } from './ReturnTransferModal';
import { StartTransferModal } from './StartTransferModal';

type Direction = 'out' | 'in';

const STATUS_COLOURS: Record<TransferStatus, string> = {
  pending: 'blue',
  accepted: 'green',
  returned: 'orange',
  completed: 'purple',
};

function AcceptButton({ transfer }: { transfer: TransferItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const accept = useMutation({
    mutationFn: () => acceptTransfer(transfer.id),
    onSuccess: async () => {
      message.success(t('transfers.accepted'));
      await Promise.all(
        [TRANSFERS_KEY, MEMBERS_KEY, POSTS_KEY, STAFFING_KEY, TRAINING_KEY].map((queryKey) =>
          client.invalidateQueries({ queryKey }),
        ),
      );
    },
    onError: (caught) => message.error(errorText(caught)),
  });
  return (
    <Popconfirm
      title={t('transfers.acceptConfirm', { name: transfer.memberName })}
      okText={t('transfers.accept')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: accept.isPending }}
      onConfirm={() => accept.mutateAsync().catch(() => undefined)}
    >
      <Button type="link" size="small" data-testid="btn-accept-transfer">
        {t('transfers.accept')}
      </Button>
    </Popconfirm>
  );
}

function TransferTable({ direction, org }: { direction: Direction; org?: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<TransferStatus | undefined>(undefined);
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [returning, setReturning] = useState<TransferItem | null>(null);
  const query = { org, direction, status, overdue, page, pageSize };
  const transfers = useQuery({
    queryKey: [...TRANSFERS_KEY, 'list', query],
    queryFn: () => fetchTransfers(query),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <Flex gap={12} wrap align="center" style={{ marginBottom: 16 }}>
        <Select
          allowClear
          value={status}
          onChange={(next) => {
            setStatus(next);
            setPage(1);
          }}
          placeholder={t('transfers.statusFilter')}
          style={{ width: 140 }}
          options={TRANSFER_STATUSES.map((value) => ({ value, label: t(`transfers.statuses.${value}`) }))}
          data-testid={`transfer-status-${direction}`}
        />
        <Space>
          <Switch
            checked={overdue}
            onChange={(next) => {
              setOverdue(next);
              setPage(1);
            }}
          />
          {t('transfers.onlyOverdue')}
        </Space>
      </Flex>
      {transfers.error ? <QueryError error={transfers.error} onRetry={() => void transfers.refetch()} /> : null}
      <Table<TransferItem>
        data-testid={`transfers-table-${direction}`}
        rowKey={(row) => String(row.id)}
        loading={transfers.isFetching}
        dataSource={transfers.data?.items ?? []}
        size="middle"
        scroll={{ x: 1130 }}
        rowClassName={(row) => (row.overdue ? 'row-overdue' : '')}
        locale={{ emptyText: t('transfers.empty') }}
        pagination={{
          current: page,
          pageSize,
          total: transfers.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (nextPage, nextSize) => {
            setPage(nextSize === pageSize ? nextPage : 1);
            setPageSize(nextSize);
          },
        }}
        columns={[
          {
            key: 'member',
            title: t('transfers.columns.member'),
            width: 120,
            render: (_, row) => (
              <div>
                <div>{row.memberName}</div>
                {row.letterNo ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('transfers.letterNoShort', { no: row.letterNo })}
                  </Typography.Text>
                ) : null}
              </div>
            ),
          },
          {
            key: 'from',
            title: t('transfers.columns.from'),
            render: (_, row) => row.fromOrgName,
          },
          {
            key: 'to',
            title: t('transfers.columns.to'),
            render: (_, row) =>
              row.kind === 'external' ? (
                <>
                  <Tag>{t('transfers.external')}</Tag>
                  {row.externalOrgName}
                </>
              ) : (
                row.toOrgName
              ),
          },
          {
            key: 'status',
            title: t('transfers.columns.status'),
            width: 150,
            render: (_, row) => (
              <Space size={4} wrap>
                <Tag color={STATUS_COLOURS[row.status]}>{t(`transfers.statuses.${row.status}`)}</Tag>
                {row.overdue ? (
                  <Tag color="red" icon={<WarningOutlined />} data-testid="transfer-overdue">
                    {t('transfers.overdue')}
                  </Tag>
                ) : null}
              </Space>
            ),
          },
          {
            key: 'dates',
            title: `${t('transfers.columns.startedAt')} / ${t('transfers.columns.dueOn')}`,
            width: 160,
            render: (_, row) => (
              <div>
                <div>{formatDateTime(row.startedAt).slice(0, 10)}</div>
                {row.status === 'pending' ? (
                  <Tooltip title={t('transfers.overdueHint', { due: row.dueOn })}>
                    <Typography.Text type={row.overdue ? 'danger' : 'secondary'} strong={row.overdue}>
                      {t('transfers.dueShort', { date: row.dueOn })}
                    </Typography.Text>
                  </Tooltip>
                ) : null}
              </div>
            ),
          },
          {
            key: 'reason',
            title: t('transfers.columns.reason'),
            ellipsis: { showTitle: true },
            render: (_, row) =>
              row.status === 'returned' && row.returnReason
                ? `${t('transfers.returnReason')}：${row.returnReason}`
                : (row.reason ?? '—'),
          },
          {
            key: 'actions',
            title: t('common.actions'),
            width: 216,
            fixed: 'right',
            render: (_, row) => (
              <Space size={0} wrap>
                <Button
                  type="link"
                  size="small"
                  icon={<PrinterOutlined />}
                  href={letterUrl(row.id)}
                  target="_blank"
                  rel="noopener"
                  data-testid="link-letter"
                >
                  {t('transfers.letter')}
                </Button>
                {row.canDecide ? (
                  <>
                    <AcceptButton transfer={row} />
                    <Button
                      type="link"
                      size="small"
                      danger
                      onClick={() => setReturning(row)}
                      data-testid="btn-return-transfer"
                    >
                      {t('transfers.return')}
                    </Button>
                  </>
                ) : null}
              </Space>
            ),
          },
        ]}
      />
      {returning ? <ReturnTransferModal transfer={returning} onClose={() => setReturning(null)} /> : null}
    </>
  );
}

/** The number of overdue transfers on one side, for the tab label. */
function useOverdueCount(direction: Direction, org?: string): number {
  const query = { org, direction, overdue: true, page: 1, pageSize: 1 };
  const count = useQuery({ queryKey: [...TRANSFERS_KEY, 'list', query], queryFn: () => fetchTransfers(query) });
  return count.data?.total ?? 0;
}

export function TransfersPage() {
  const { t } = useTranslation();
  const { currentOrgId } = useCurrentOrg();
  const org = currentOrgId ?? undefined;
  const [tab, setTab] = useState<Direction>('out');
  const [starting, setStarting] = useState(false);
  const overdueOut = useOverdueCount('out', org);
  const overdueIn = useOverdueCount('in', org);
  const label = (direction: Direction, count: number) => (
    <span data-testid={`tab-transfers-${direction}`}>
      {t(`transfers.${direction}`)}
      {count > 0 ? <Badge count={count} size="small" offset={[6, -2]} title={t('transfers.overdue')} /> : null}
    </span>
  );

  return (
    <Card
      title={t('transfers.title')}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setStarting(true)}
          data-testid="btn-start-transfer"
        >
          {t('transfers.start')}
        </Button>
      }
    >
      <Tabs
        activeKey={tab}
        onChange={(key) => setTab(key as Direction)}
        destroyOnHidden
        items={[
          {
            key: 'out',
            label: label('out', overdueOut),
            children: <TransferTable key={`out-${org}`} direction="out" org={org} />,
          },
          {
            key: 'in',
            label: label('in', overdueIn),
            children: <TransferTable key={`in-${org}`} direction="in" org={org} />,
          },
        ]}
      />
      {starting ? <StartTransferModal org={org} onClose={() => setStarting(false)} /> : null}
    </Card>
  );
}
