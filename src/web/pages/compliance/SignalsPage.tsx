/**
 * 质量提示 for the level above: per organisation below the caller's own, how many of the period's submitted records
 * show a quality signal (short minutes, no discussion or resolution, copied minutes, under quorum, many meetings on
 * one day at a period's end). In tree order, not a ranking; a signal is a prompt to look, not a verdict.
 */
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Empty, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { COMPLIANCE_KEY, fetchSignals, type SignalRow } from '../../api/meetings';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useOrgs } from '../../hooks/useOrgs';
import { PeriodPicker, usePeriod } from './PeriodPicker';
import { RecordsDrawer } from './RecordsDrawer';

const SIGNALS = ['shortMinutes', 'noOutcome', 'copiedMinutes', 'underQuorum', 'crammed'] as const;

export function SignalsPage() {
  const { t } = useTranslation();
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const [params, setParams] = useSearchParams();
  const org = params.get('org') ?? currentOrgId ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const [period, setPeriod] = usePeriod();
  const [records, setRecords] = useState<{ orgId: number; orgName: string } | null>(null);
  const query = useQuery({
    queryKey: [...COMPLIANCE_KEY, 'signals', org, period],
    queryFn: () => fetchSignals(org!, period),
    enabled: !!org,
  });
  const th = query.data?.thresholds;

  return (
    <Card title={t('compliance.signalsTitle')} extra={<PeriodPicker value={period} onChange={setPeriod} />}>
      <div style={{ marginBottom: 12, maxWidth: 420 }}>
        <OrgTreeSelect
          value={org}
          onChange={(v) =>
            v &&
            setParams((prev) => {
              const next = new URLSearchParams(prev);
              next.set('org', v);
              return next;
            })
          }
        />
      </div>
      <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('compliance.signalsHint')} />
      {!org ? (
        <Empty description={t('compliance.pickOrg')} />
      ) : query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Table<SignalRow>
          size="small"
          rowKey="orgId"
          loading={query.isLoading}
          dataSource={query.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          scroll={{ x: 'max-content' }}
          data-testid="signals-table"
          title={() =>
            query.data ? (
              <Typography.Text type="secondary">
                {t('compliance.signalsCount', { meetings: query.data.meetings })}
              </Typography.Text>
            ) : null
          }
          locale={{ emptyText: t('compliance.signalsEmpty') }}
          columns={[
            {
              title: t('compliance.org'),
              key: 'org',
              render: (_, r) => (
                <Typography.Link onClick={() => setRecords({ orgId: r.orgId, orgName: r.orgName })}>
                  {r.orgName}
                </Typography.Link>
              ),
            },
            { title: t('compliance.signalMeetings'), dataIndex: 'meetings' },
            ...SIGNALS.map((key) => ({
              title: t(`compliance.signal.${key}`, {
                min: th?.minutesMinLength ?? 200,
                per: th?.crammedPerDay ?? 3,
                last: th?.lastDays ?? 7,
              }),
              key,
              render: (_: unknown, r: SignalRow) => (r[key] > 0 ? <Tag color="orange">{r[key]}</Tag> : '—'),
            })),
          ]}
        />
      )}
      <RecordsDrawer target={records} period={period} onClose={() => setRecords(null)} />
    </Card>
  );
}
