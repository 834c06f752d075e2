/** 合规总览: how the subtree of the current organisation meets the 组织生活 rules over a period, worst first. */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, DatePicker, Empty, Row, Segmented, Space, Statistic, Table, Tag } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type ComplianceStatus, MEETING_TYPES, type MeetingType } from '../../../shared/meetings';
import { COMPLIANCE_KEY, type ComplianceItem, fetchCompliance, type TypeSummary } from '../../api/meetings';
import { QueryError } from '../../components/QueryError';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useOrgs } from '../../hooks/useOrgs';

type Unit = 'month' | 'quarter' | 'year';

const COLOR: Record<TypeSummary['color'], string> = { green: 'green', amber: 'orange', red: 'red' };
const STATUS_COLOR: Record<ComplianceStatus, string> = {
  met: 'green',
  exempt: 'cyan',
  pending: 'orange',
  missed: 'red',
  no_quorum: 'red',
};

export function periodKey(unit: Unit, day: Dayjs): string {
  if (unit === 'year') return day.format('YYYY');
  if (unit === 'month') return day.format('YYYY-MM');
  return `${day.format('YYYY')}-Q${Math.floor(day.month() / 3) + 1}`;
}

const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function CompliancePage() {
  const { t } = useTranslation();
  const { currentOrgId } = useCurrentOrg();
  const { index } = useOrgs();
  const org = currentOrgId ?? (index.roots[0] ? String(index.roots[0].id) : undefined);
  const [unit, setUnit] = useState<Unit>('quarter');
  const [day, setDay] = useState<Dayjs>(() => dayjs());
  const period = periodKey(unit, day);

  const query = useQuery({
    queryKey: [...COMPLIANCE_KEY, org, period],
    queryFn: () => fetchCompliance(org!, period),
    enabled: !!org,
  });
  const data = query.data;
  const byType = data
    ? MEETING_TYPES.flatMap((type) => {
        const s = data.summary.byType[type];
        return s ? [{ type, ...s }] : [];
      })
    : [];

  return (
    <Card title={t('compliance.title')} extra={data?.orgName}>
      <Space wrap style={{ marginBottom: 16 }}>
        <Segmented<Unit>
          value={unit}
          onChange={setUnit}
          data-testid="compliance-unit"
          options={[
            { value: 'month', label: t('compliance.month') },
            { value: 'quarter', label: t('compliance.quarter') },
            { value: 'year', label: t('compliance.year') },
          ]}
        />
        <DatePicker picker={unit} value={day} allowClear={false} onChange={(v) => v && setDay(v)} />
      </Space>
      {!org ? (
        <Empty description={t('compliance.pickOrg')} />
      ) : query.error ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col xs={12} md={6}>
              <Statistic
                title={t('compliance.rate')}
                value={data ? percent(data.summary.rate) : '—'}
                styles={{ content: { color: data ? COLOR[data.summary.color] : undefined } }}
              />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('compliance.orgs')} value={data?.summary.orgs ?? '—'} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('compliance.behind')} value={data?.summary.behind ?? '—'} />
            </Col>
            <Col xs={12} md={6}>
              <Statistic title={t('compliance.pending')} value={data?.summary.pending ?? '—'} />
            </Col>
          </Row>
          <Table
            size="small"
            rowKey="type"
            loading={query.isLoading}
            title={() => t('compliance.byType')}
            dataSource={byType}
            pagination={false}
            style={{ marginBottom: 16 }}
            data-testid="compliance-by-type"
            columns={[
              { title: t('compliance.type'), key: 'type', render: (_, r) => t(`meetings.type.${r.type}`) },
              { title: t('compliance.orgs'), dataIndex: 'orgs' },
              {
                title: t('compliance.rate'),
                key: 'rate',
                render: (_, r) => <Tag color={COLOR[r.color]}>{percent(r.rate)}</Tag>,
              },
            ]}
          />
          <Table<ComplianceItem>
            size="small"
            rowKey={(r) => `${r.orgId}-${r.type}`}
            loading={query.isLoading}
            title={() => t('compliance.list')}
            dataSource={data?.items ?? []}
            pagination={{ pageSize: 50 }}
            data-testid="compliance-items"
            columns={[
              { title: t('compliance.org'), dataIndex: 'orgName' },
              {
                title: t('compliance.type'),
                key: 'type',
                render: (_, r) => t(`meetings.type.${r.type as MeetingType}`),
              },
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
                  <Link to={`/meetings?org=${r.orgId}&type=${r.type}&month=${day.format('YYYY-MM')}`}>
                    {t('compliance.meetings')}
                  </Link>
                ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
