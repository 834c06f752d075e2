/** `/audit`: the audit log with server paging and filters, and the hash-chain check. */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type AuditQuery, fetchAudit } from '../../api/audit';
import type { AuditEntry } from '../../api/types';
import { formatDateTime } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { AuditFilters, type AuditFilterValues } from './AuditFilters';
import { VerifyChain } from './VerifyChain';

const RESULT_COLOURS: Record<string, string> = {
  success: 'green',
  ok: 'green',
  failure: 'red',
  fail: 'red',
  error: 'red',
  denied: 'orange',
};

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<AuditFilterValues>({});
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const query: AuditQuery = { ...filters, page, pageSize };
  const audit = useQuery({
    queryKey: ['audit', query],
    queryFn: () => fetchAudit(query),
    placeholderData: keepPreviousData,
  });

  const actionLabel = (action: string) => {
    const key = `audit.actions.${action}`;
    return i18n.exists(key) ? t(key) : null;
  };

  return (
    <Card title={t('audit.title')} extra={<VerifyChain />}>
      <AuditFilters
        onSearch={(values) => {
          setFilters(values);
          setPage(1);
        }}
      />
      {audit.error ? <QueryError error={audit.error} onRetry={() => void audit.refetch()} /> : null}
      <Table<AuditEntry>
        data-testid="audit-table"
        rowKey={(row) => String(row.id)}
        loading={audit.isFetching}
        dataSource={audit.data?.items ?? []}
        size="middle"
        scroll={{ x: 1000 }}
        pagination={{
          current: page,
          pageSize,
          total: audit.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (total) => t('common.total', { total }),
          onChange: (nextPage, nextSize) => {
            setPage(nextSize === pageSize ? nextPage : 1);
            setPageSize(nextSize);
          },
        }}
        expandable={{
          rowExpandable: (row) => row.detail !== null && row.detail !== undefined && row.detail !== '',
          expandedRowRender: (row) => (
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
              {typeof row.detail === 'string' ? row.detail : JSON.stringify(row.detail, null, 2)}
            </pre>
          ),
        }}
        columns={[
          { key: 'at', title: t('audit.time'), width: 175, render: (_, row) => formatDateTime(row.at) },
          { key: 'actor', title: t('audit.actor'), width: 130, render: (_, row) => row.actor ?? '—' },
          {
            key: 'action',
            title: t('audit.action'),
            width: 230,
            render: (_, row) => {
              const label = actionLabel(row.action);
              return (
                <span>
                  {label ? `${label} ` : null}
                  <Typography.Text type="secondary" code>
                    {row.action}
                  </Typography.Text>
                </span>
              );
            },
          },
          {
            key: 'target',
            title: t('audit.target'),
            render: (_, row) => (
              <Typography.Text ellipsis={{ tooltip: row.target }} style={{ maxWidth: 280 }}>
                {row.target ?? '—'}
              </Typography.Text>
            ),
          },
          {
            key: 'result',
            title: t('audit.result'),
            width: 100,
            render: (_, row) => (
              <Tag color={RESULT_COLOURS[row.result] ?? 'default'}>
                {t(`audit.results.${row.result}`, { defaultValue: row.result })}
              </Tag>
            ),
          },
          { key: 'ip', title: t('audit.ip'), width: 140, render: (_, row) => row.ip ?? '—' },
        ]}
      />
    </Card>
  );
}
