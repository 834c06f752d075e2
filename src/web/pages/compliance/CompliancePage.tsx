/**
 * 合规总览 with drill-down: for the organisation in `?org=` (default: the current one) and the period in `?period=`,
 * the share meeting the rules (red / amber / green), per type as a chart and a table, the organisations directly
 * below with their own colour (click to go down a level, the breadcrumb goes back up), those behind worst first,
 * and the (organisation, type) results, each opening the meeting records behind it.
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Breadcrumb, Card, Col, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { MEETING_TYPES, type MeetingType } from '../../../shared/meetings';
import {
  type BehindItem,
  COMPLIANCE_KEY,
  type ComplianceItem,
  fetchBehind,
  fetchCompliance,
  type TypeSummary,
} from '../../api/meetings';
import { EChart } from '../../components/EChart';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { ancestorIds, useOrgs } from '../../hooks/useOrgs';
import { COLOR, COLOR_HEX, PeriodPicker, percent, STATUS_COLOR, usePeriod } from './PeriodPicker';
import { RecordsDrawer } from './RecordsDrawer';

const ITEMS_PAGE = 50;

export function CompliancePage() {
  const { t } = useTranslation();
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const [params, setParams] = useSearchParams();
  const org = params.get('org') ?? currentOrgId ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const [period, setPeriod] = usePeriod();
  const [typeFilter, setTypeFilter] = useState<MeetingType | undefined>();
  const [page, setPage] = useState(1);
  const [records, setRecords] = useState<{ orgId: number; orgName: string; type?: MeetingType } | null>(null);

  const drill = (id: number | string) => {
    setPage(1);
    setTypeFilter(undefined);
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('org', String(id));
      return next;
    });
  };

  const query = useQuery({
    queryKey: [...COMPLIANCE_KEY, org, period, typeFilter, page],
    queryFn: () => fetchCompliance(org!, period, { page, pageSize: ITEMS_PAGE, type: typeFilter }),
    enabled: !!org,
  });
  const behindQuery = useQuery({
    queryKey: [...COMPLIANCE_KEY, 'behind', org, period],
    queryFn: () => fetchBehind(org!, period, 1, 20),
    enabled: !!org,
  });
  const children = org ? (index.children.get(org) ?? []) : [];
  const childQueries = useQueries({
    queries: children.map((c) => ({
      queryKey: [...COMPLIANCE_KEY, 'summary', String(c.id), period],
      queryFn: () => fetchCompliance(c.id, period, { pageSize: 1 }),
    })),
  });

  const data = query.data;
  const byType = useMemo(
    () =>
      data
        ? MEETING_TYPES.flatMap((type) => {
            const s = data.summary.byType[type];
            return s ? [{ type, ...s }] : [];
          })
        : [],
    [data],
  );
  const childRows = children.map((c, i) => ({
    org: c,
    data: childQueries[i]?.data,
    loading: childQueries[i]?.isLoading,
  }));
  const trail = org ? [...ancestorIds(index, org), org] : [];

  const chart = {
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' as const, valueFormatter: (v: unknown) => `${v}%` },
    xAxis: {
      type: 'category' as const,
      data: byType.map((r) => t(`meetings.type.${r.type}`)),
      axisLabel: { interval: 0, rotate: 35, fontSize: 11 },
    },
    yAxis: { type: 'value' as const, max: 100, axisLabel: { formatter: '{value}%' } },
    series: [
      {
        type: 'bar' as const,
        name: t('compliance.rate'),
        barMaxWidth: 36,
        label: { show: true, position: 'top' as const, formatter: '{c}%' },
        data: byType.map((r) => ({
          value: Math.round(r.rate * 1000) / 10,
          itemStyle: { color: COLOR_HEX[r.color] },
        })),
      },
    ],
  };

  return (
    <Card title={t('compliance.title')} extra={<PeriodPicker value={period} onChange={setPeriod} />}>
      {!org ? (
        <Empty description={t('compliance.pickOrg')} />
      ) : query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Breadcrumb
            style={{ marginBottom: 16 }}
            data-testid="compliance-trail"
            items={trail.map((id, i) => ({
              key: id,
              title:
                i === trail.length - 1 ? (
                  <Typography.Text strong>{index.byId.get(id)?.name ?? data?.orgName}</Typography.Text>
                ) : (
                  <Typography.Link onClick={() => drill(id)}>{index.byId.get(id)?.name ?? id}</Typography.Link>
                ),
            }))}
          />
          {data && !data.tracked && (
            <Typography.Paragraph type="warning">{t('compliance.untracked')}</Typography.Paragraph>
          )}
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={12} md={5}>
              <Statistic
                title={t('compliance.rate')}
                value={data ? percent(data.summary.rate) : '—'}
                styles={{ content: { color: data ? COLOR_HEX[data.summary.color] : undefined } }}
              />
              {data && (
                <Tag color={COLOR[data.summary.color]} data-testid="compliance-color" data-color={data.summary.color}>
                  {t(`compliance.color.${data.summary.color}`)}
                </Tag>
              )}
            </Col>
            <Col xs={12} md={5}>
              <Statistic title={t('compliance.orgs')} value={data?.summary.orgs ?? '—'} />
            </Col>
            <Col xs={8} md={5}>
              <Statistic title={t('compliance.behind')} value={data?.summary.behind ?? '—'} />
            </Col>
            <Col xs={8} md={5}>
              <Statistic title={t('compliance.pending')} value={data?.summary.pending ?? '—'} />
            </Col>
            <Col xs={8} md={4}>
              <Statistic title={t('compliance.exempt')} value={data?.summary.exempt ?? '—'} />
            </Col>
          </Row>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            <Col xs={24} lg={11}>
              <Card size="small" title={t('compliance.chart')}>
                {byType.length > 0 ? (
                  <EChart option={chart} height={260} data-testid="compliance-chart" />
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={13}>
              <Table<TypeSummary & { type: MeetingType }>
                size="small"
                rowKey="type"
                loading={query.isLoading}
                title={() => t('compliance.byType')}
                dataSource={byType}
                pagination={false}
                scroll={{ x: 'max-content' }}
                data-testid="compliance-by-type"
                onRow={(r) => ({
                  onClick: () => {
                    setPage(1);
                    setTypeFilter(typeFilter === r.type ? undefined : r.type);
                  },
                  style: { cursor: 'pointer', background: typeFilter === r.type ? '#fff1f0' : undefined },
                })}
                columns={[
                  { title: t('compliance.type'), key: 'type', render: (_, r) => t(`meetings.type.${r.type}`) },
                  { title: t('compliance.orgs'), dataIndex: 'orgs' },
                  { title: t('compliance.st.met'), dataIndex: 'met' },
                  { title: t('compliance.st.missed'), dataIndex: 'missed' },
                  { title: t('compliance.st.no_quorum'), dataIndex: 'no_quorum' },
                  { title: t('compliance.st.pending'), dataIndex: 'pending' },
                  { title: t('compliance.st.exempt'), dataIndex: 'exempt' },
                  {
                    title: t('compliance.rate'),
                    key: 'rate',
                    render: (_, r) => <Tag color={COLOR[r.color]}>{percent(r.rate)}</Tag>,
                  },
                ]}
              />
            </Col>
          </Row>
          {children.length > 0 && (
            <Table
              size="small"
              rowKey={(r) => String(r.org.id)}
              title={() => t('compliance.children')}
              dataSource={childRows}
              pagination={children.length > 20 ? { pageSize: 20 } : false}
              style={{ marginBottom: 16 }}
              data-testid="compliance-children"
              onRow={(r) => ({ onClick: () => drill(r.org.id), style: { cursor: 'pointer' } })}
              columns={[
                {
                  title: t('compliance.org'),
                  key: 'name',
                  render: (_, r) => <Typography.Link data-testid={`drill-${r.org.id}`}>{r.org.name}</Typography.Link>,
                },
                {
                  title: t('compliance.rate'),
                  key: 'rate',
                  render: (_, r) =>
                    r.data ? (
                      <Tag color={COLOR[r.data.summary.color]} data-color={r.data.summary.color}>
                        {percent(r.data.summary.rate)}
                      </Tag>
                    ) : (
                      '…'
                    ),
                },
                { title: t('compliance.orgs'), key: 'orgs', render: (_, r) => r.data?.summary.orgs ?? '…' },
                { title: t('compliance.behind'), key: 'behind', render: (_, r) => r.data?.summary.behind ?? '…' },
                { title: t('compliance.pending'), key: 'pending', render: (_, r) => r.data?.summary.pending ?? '…' },
              ]}
            />
          )}
          {children.length > 0 && (
            <Table<BehindItem>
              size="small"
              rowKey="orgId"
              loading={behindQuery.isLoading}
              title={() => (
                <Space>
                  {t('compliance.behindList')}
                  {behindQuery.data ? <Tag color="red">{behindQuery.data.total}</Tag> : null}
                </Space>
              )}
              dataSource={behindQuery.data?.items ?? []}
              pagination={false}
              scroll={{ x: 'max-content' }}
              style={{ marginBottom: 16 }}
              data-testid="compliance-behind"
              locale={{ emptyText: t('compliance.noneBehind') }}
              columns={[
                {
                  title: t('compliance.org'),
                  key: 'org',
                  render: (_, r) => <Typography.Link onClick={() => drill(r.orgId)}>{r.orgName}</Typography.Link>,
                },
                { title: t('compliance.parent'), dataIndex: 'parentName', responsive: ['md'] },
                {
                  title: t('compliance.typesBehind'),
                  key: 'n',
                  render: (_, r) => <Tag color={r.typesBehind > 1 ? 'red' : 'orange'}>{r.typesBehind}</Tag>,
                },
                {
                  title: t('compliance.types'),
                  key: 'types',
                  render: (_, r) => (
                    <Space size={[4, 4]} wrap>
                      {r.types
                        .filter((x) => x.status !== 'met' && x.status !== 'exempt')
                        .map((x) => (
                          <Tag key={x.type} color={STATUS_COLOR[x.status]}>
                            {t(`meetings.type.${x.type}`)}·{t(`compliance.st.${x.status}`)}
                          </Tag>
                        ))}
                    </Space>
                  ),
                },
                {
                  title: '',
                  key: 'go',
                  render: (_, r) => (
                    <Typography.Link onClick={() => setRecords({ orgId: r.orgId, orgName: r.orgName })}>
                      {t('compliance.meetings')}
                    </Typography.Link>
                  ),
                },
              ]}
            />
          )}
          <Table<ComplianceItem>
            size="small"
            rowKey={(r) => `${r.orgId}-${r.type}`}
            loading={query.isLoading}
            title={() => (
              <Space>
                {t('compliance.list')}
                {typeFilter && (
                  <Tag closable onClose={() => setTypeFilter(undefined)}>
                    {t(`meetings.type.${typeFilter}`)}
                  </Tag>
                )}
              </Space>
            )}
            dataSource={data?.items ?? []}
            scroll={{ x: 'max-content' }}
            pagination={{
              current: page,
              pageSize: ITEMS_PAGE,
              total: data?.total ?? 0,
              showSizeChanger: false,
              onChange: setPage,
            }}
            data-testid="compliance-items"
            columns={[
              {
                title: t('compliance.org'),
                key: 'org',
                render: (_, r) =>
                  String(r.orgId) === org ? (
                    r.orgName
                  ) : (
                    <Typography.Link onClick={() => drill(r.orgId)}>{r.orgName}</Typography.Link>
                  ),
              },
              { title: t('compliance.type'), key: 'type', render: (_, r) => t(`meetings.type.${r.type}`) },
              {
                title: t('compliance.status'),
                key: 'status',
                render: (_, r) => (
                  <Tag
                    color={STATUS_COLOR[r.status]}
                    data-testid={`compliance-${r.orgId}-${r.type}`}
                    data-status={r.status}
                    data-color={STATUS_COLOR[r.status]}
                  >
                    {t(`compliance.st.${r.status}`)}
                  </Tag>
                ),
              },
              { title: t('compliance.held'), dataIndex: 'held' },
              {
                title: '',
                key: 'go',
                render: (_, r) => (
                  <Typography.Link
                    data-testid={`records-${r.orgId}-${r.type}`}
                    onClick={() => setRecords({ orgId: r.orgId, orgName: r.orgName, type: r.type })}
                  >
                    {t('compliance.meetings')}
                  </Typography.Link>
                ),
              },
            ]}
          />
        </>
      )}
      <RecordsDrawer target={records} period={period} onClose={() => setRecords(null)} />
    </Card>
  );
}
