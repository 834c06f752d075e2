/** Counts of organisations by kind in the caller's scope, and the 换届 alert count with a link. */
import { WarningOutlined } from '@ant-design/icons';
import { Card, Col, Row, Skeleton, Statistic } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { OrgKind } from '../../api/types';
import { isTermDue } from '../../components/OrgTags';
import { QueryError } from '../../components/QueryError';
import { useOrgs } from '../../hooks/useOrgs';

const KINDS: OrgKind[] = ['committee', 'general_branch', 'branch', 'group'];

export function OrgStats() {
  const { t } = useTranslation();
  const { data, isLoading, error, refetch } = useOrgs();

  const stats = useMemo(() => {
    const byKind: Record<OrgKind, number> = { committee: 0, general_branch: 0, branch: 0, group: 0 };
    let due = 0;
    for (const org of data?.items ?? []) {
      byKind[org.kind] += 1;
      if (isTermDue(org.termStatus)) due += 1;
    }
    return { byKind, due, total: data?.items.length ?? 0 };
  }, [data]);

  if (isLoading) return <Skeleton active />;
  if (error) return <QueryError error={error} onRetry={() => void refetch()} />;

  return (
    <Row gutter={[16, 16]} data-testid="org-stats">
      <Col xs={24} lg={16}>
        <Card title={t('home.orgCounts')}>
          <Row gutter={[16, 16]}>
            <Col xs={12} sm={8} md={4}>
              <Statistic title={t('home.totalOrgs')} value={stats.total} />
            </Col>
            {KINDS.map((kind) => (
              <Col xs={12} sm={8} md={5} key={kind}>
                <Statistic title={t(`orgKind.${kind}`)} value={stats.byKind[kind]} />
              </Col>
            ))}
          </Row>
        </Card>
      </Col>
      <Col xs={24} lg={8}>
        <Card
          title={t('home.termAlerts')}
          extra={
            <Link to="/orgs?tab=terms" data-testid="term-alerts-link">
              {t('home.viewAlerts')}
            </Link>
          }
        >
          <Statistic
            title={t('home.termAlertsHint')}
            value={stats.due}
            prefix={<WarningOutlined />}
            styles={{ content: { color: stats.due > 0 ? '#d4380d' : undefined } }}
          />
        </Card>
      </Col>
    </Row>
  );
}
