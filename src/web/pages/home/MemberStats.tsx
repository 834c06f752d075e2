/**
 * Roster figures of the header's current subtree for member readers: total members and probationary ones (two
 * one-row pages of `GET /api/members`, the total is all they need), and the staffing gap with `staffing.read`.
 */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row, Statistic } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { accessFor } from '../../access';
import { fetchMembers, MEMBERS_KEY } from '../../api/members';
import { fetchStaffing, STAFFING_KEY } from '../../api/staffing';
import { useCurrentOrg } from '../../hooks/useCurrentOrg';
import { useSession } from '../../hooks/useSession';

export function MemberStats() {
  const { t } = useTranslation();
  const { user } = useSession();
  const access = accessFor(user);
  const { currentOrgId } = useCurrentOrg();
  const org = currentOrgId ?? undefined;
  const totalQuery = { org, page: 1, pageSize: 1 };
  const probationaryQuery = { org, category: 'probationary' as const, page: 1, pageSize: 1 };
  const total = useQuery({
    queryKey: [...MEMBERS_KEY, 'list', totalQuery],
    queryFn: () => fetchMembers(totalQuery),
  });
  const probationary = useQuery({
    queryKey: [...MEMBERS_KEY, 'list', probationaryQuery],
    queryFn: () => fetchMembers(probationaryQuery),
  });
  const staffing = useQuery({
    queryKey: [...STAFFING_KEY, { org }],
    queryFn: () => fetchStaffing(org),
    enabled: access.canReadStaffing,
  });
  const summary = staffing.data?.summary;

  return (
    <Card
      title={t('home.memberStats')}
      data-testid="member-stats"
      extra={
        <Link to="/members" data-testid="member-stats-link">
          {t('home.viewRoster')}
        </Link>
      }
    >
      <Row gutter={[16, 16]}>
        <Col xs={12} md={6}>
          <Statistic
            title={t('home.totalMembers')}
            value={total.data?.total ?? 0}
            loading={total.isLoading}
            data-testid="stat-members"
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('home.probationary')}
            value={probationary.data?.total ?? 0}
            loading={probationary.isLoading}
          />
        </Col>
        {access.canReadStaffing ? (
          <>
            <Col xs={12} md={6}>
              <Link to="/staffing">
                <Statistic
                  title={t('home.staffingVacant')}
                  value={summary?.vacant ?? 0}
                  loading={staffing.isLoading}
                  styles={{ content: { color: (summary?.vacant ?? 0) > 0 ? '#c4161c' : undefined } }}
                />
              </Link>
            </Col>
            <Col xs={12} md={6}>
              <Link to="/staffing">
                <Statistic
                  title={t('home.withoutFullTime')}
                  value={summary?.withoutFullTime ?? 0}
                  loading={staffing.isLoading}
                  suffix={summary ? `/ ${summary.orgs}` : undefined}
                />
              </Link>
            </Col>
          </>
        ) : null}
      </Row>
    </Card>
  );
}
