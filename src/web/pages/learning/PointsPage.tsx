/** `/learn/points` 我的积分 (phone first): today's points per rule against its daily cap, the latest awards, and the ranking where the organisation has switched it on. */
import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Flex, List, Progress, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchMyPoints, fetchRanking, LEARNING_KEY } from '../../api/learning';
import { QueryError } from '../../components/QueryError';

export function PointsPage() {
  const { t } = useTranslation();
  const points = useQuery({ queryKey: [...LEARNING_KEY, 'points', 'me'], queryFn: fetchMyPoints });
  const ranking = useQuery({ queryKey: [...LEARNING_KEY, 'ranking', 'me'], queryFn: () => fetchRanking() });
  if (points.error) return <QueryError error={points.error} onRetry={() => void points.refetch()} />;
  const p = points.data;
  return (
    <Flex vertical gap={12} className="learn-page" data-testid="learn-points">
      <Card size="small">
        <Flex justify="space-around">
          <Statistic title={t('learning.home.pointsToday')} value={p?.today ?? 0} />
          <Statistic title={t('learning.home.pointsYear')} value={p?.year ?? 0} />
        </Flex>
      </Card>
      <Card size="small" title={t('learning.points.byRule')}>
        {(p?.byRule ?? []).map((r) => (
          <Flex key={r.rule} vertical gap={2} style={{ marginBottom: 8 }}>
            <Flex justify="space-between">
              <Typography.Text>{t(`learning.rule.${r.rule}`)}</Typography.Text>
              <Typography.Text type="secondary">
                {r.today} / {t('learning.points.cap', { cap: r.dailyCap })}
              </Typography.Text>
            </Flex>
            <Progress
              percent={r.dailyCap ? Math.round((r.today / r.dailyCap) * 100) : 0}
              showInfo={false}
              strokeColor="#c4161c"
            />
          </Flex>
        ))}
      </Card>
      <Card size="small" title={t('learning.points.recent')}>
        {p && p.recent.length > 0 ? (
          <List
            size="small"
            dataSource={p.recent}
            renderItem={(r) => (
              <List.Item extra={<Typography.Text strong>+{r.points}</Typography.Text>}>
                <List.Item.Meta title={t(`learning.rule.${r.rule}`)} description={new Date(r.at).toLocaleString()} />
              </List.Item>
            )}
          />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('learning.points.noRecent')} />
        )}
      </Card>
      <Card size="small" title={t('learning.points.ranking')}>
        {ranking.data?.enabled ? (
          <>
            {ranking.data.me ? (
              <Typography.Paragraph>
                {t('learning.points.myRank', { rank: ranking.data.me.rank, points: ranking.data.me.points })}
              </Typography.Paragraph>
            ) : null}
            <List
              size="small"
              dataSource={ranking.data.items.slice(0, 20)}
              renderItem={(r) => (
                <List.Item extra={r.points}>
                  {r.rank}. {r.name}
                </List.Item>
              )}
            />
          </>
        ) : (
          <Typography.Text type="secondary">{t('learning.points.rankingOff')}</Typography.Text>
        )}
      </Card>
    </Flex>
  );
}
