/** `/learn/points` 我的积分 (phone): today's points by rule against the daily caps, recent awards, and the ranking of my organisation when it has turned rankings on. */
import { useQuery } from '@tanstack/react-query';
import { Card, Col, Empty, Flex, List, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { fetchMyPoints, fetchRanking, LEARNING_KEY } from '../../api/learning';
import { QueryError } from '../../components/QueryError';

export function MyPointsPage() {
  const { t } = useTranslation();
  const points = useQuery({ queryKey: [...LEARNING_KEY, 'points-me'], queryFn: fetchMyPoints });
  const ranking = useQuery({ queryKey: [...LEARNING_KEY, 'ranking-me'], queryFn: () => fetchRanking(), retry: false });
  if (points.error) return <QueryError error={points.error} onRetry={() => void points.refetch()} />;
  const data = points.data;
  if (!data) return <Skeleton active />;
  return (
    <Flex vertical gap={12} className="learn-page" data-testid="learn-points">
      <Card size="small">
        <Row gutter={8}>
          <Col span={8} className="learn-stat">
            <Statistic title={t('learning.home.pointsToday')} value={data.today} />
          </Col>
          <Col span={8} className="learn-stat">
            <Statistic title={t('learning.home.pointsYear')} value={data.year} />
          </Col>
          <Col span={8} className="learn-stat">
            <Statistic title={t('common.total', { total: '' }).replace(/\s+/g, '')} value={data.total} />
          </Col>
        </Row>
      </Card>
      <Card size="small" title={t('learning.points.byRule')}>
        {data.byRule.map((r) => (
          <Flex key={r.rule} vertical style={{ padding: '6px 0' }}>
            <Flex justify="space-between">
              <Typography.Text>{t(`learning.rule.${r.rule}`)}</Typography.Text>
              <Typography.Text type="secondary">
                {r.today} / {t('learning.points.cap', { cap: r.dailyCap })}
              </Typography.Text>
            </Flex>
            <Progress
              percent={r.dailyCap ? Math.round((r.today / r.dailyCap) * 100) : 0}
              showInfo={false}
              size="small"
              strokeColor="#c4161c"
            />
          </Flex>
        ))}
      </Card>
      <Card size="small" title={t('learning.points.recent')}>
        {data.recent.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('learning.points.noRecent')} />
        ) : (
          <List
            size="small"
            dataSource={data.recent}
            renderItem={(r) => (
              <List.Item extra={<Typography.Text strong>+{r.points}</Typography.Text>}>
                <List.Item.Meta
                  title={t(`learning.rule.${r.rule}`)}
                  description={r.at.slice(0, 16).replace('T', ' ')}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {ranking.data ? (
        <Card size="small" title={t('learning.points.ranking')}>
          {!ranking.data.enabled ? (
            <Typography.Text type="secondary">{t('learning.points.rankingOff')}</Typography.Text>
          ) : (
            <>
              {ranking.data.me ? (
                <Typography.Paragraph strong>{t('learning.points.myRank', ranking.data.me)}</Typography.Paragraph>
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
          )}
        </Card>
      ) : null}
    </Flex>
  );
}
