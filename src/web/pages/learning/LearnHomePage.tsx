/**
 * `/learn` 学习 home, phone first: today's tasks (unfinished plan items, earliest deadline first), continue where I
 * stopped, my plans with their deadlines, my points and this year's study hours.
 */
import { BookOutlined, FormOutlined, RightOutlined, TrophyOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Empty, Flex, Progress, Row, Skeleton, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { fetchLearningHome, LEARNING_KEY, type LearningHome } from '../../api/learning';
import { QueryError } from '../../components/QueryError';
import { ContentRow, DueTag } from './common';

export const LEARNING_HOME_KEY = [...LEARNING_KEY, 'home'] as const;

type Task = LearningHome['tasks'][number];

function taskLink(task: Task): string {
  return task.paperId ? `/learn/papers/${task.paperId}` : `/learn/content/${task.contentId}`;
}

export function LearnHomePage() {
  const { t } = useTranslation();
  const query = useQuery({ queryKey: LEARNING_HOME_KEY, queryFn: fetchLearningHome });
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  const data = query.data;

  return (
    <Flex vertical gap={12} className="learn-page" data-testid="learn-home">
      <Card size="small" data-testid="learn-points-card">
        {data ? (
          <Row gutter={8} align="middle">
            <Col span={8} className="learn-stat">
              <Statistic title={t('learning.home.pointsToday')} value={data.points.today} />
            </Col>
            <Col span={8} className="learn-stat">
              <Statistic title={t('learning.home.pointsYear')} value={data.points.year} />
            </Col>
            <Col span={8} className="learn-stat">
              <Statistic
                title={t('learning.home.hours')}
                value={data.studyHoursThisYear}
                precision={1}
                suffix="h"
                data-testid="learn-hours"
              />
            </Col>
          </Row>
        ) : (
          <Skeleton active paragraph={{ rows: 1 }} />
        )}
      </Card>

      <Flex gap={8}>
        <Link to="/learn/library" style={{ flex: 1 }} data-testid="learn-go-library">
          <Button block size="large" icon={<BookOutlined />}>
            {t('learning.home.library')}
          </Button>
        </Link>
        <Link to="/learn/points" style={{ flex: 1 }} data-testid="learn-go-points">
          <Button block size="large" icon={<TrophyOutlined />}>
            {t('learning.home.myPoints')}
          </Button>
        </Link>
      </Flex>

      <Card size="small" title={t('learning.home.tasks')} data-testid="learn-tasks">
        {!data ? (
          <Skeleton active />
        ) : data.tasks.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('learning.home.noTasks')} />
        ) : (
          data.tasks.slice(0, 8).map((task) => (
            <Link
              key={`${task.planId}:${task.contentId ?? `p${task.paperId}`}`}
              to={taskLink(task)}
              className="learn-row"
              data-testid={task.paperId ? `task-paper-${task.paperId}` : `task-content-${task.contentId}`}
            >
              <Flex
                align="center"
                justify="center"
                style={{
                  width: 40,
                  height: 40,
                  borderRadius: 20,
                  background: '#fff1f0',
                  color: '#c4161c',
                  flex: 'none',
                }}
              >
                {task.paperId ? <FormOutlined /> : <BookOutlined />}
              </Flex>
              <Flex vertical style={{ flex: 1, minWidth: 0 }}>
                <Typography.Text strong ellipsis>
                  {task.title}
                </Typography.Text>
                <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
                  {task.kind === 'paper' ? t('learning.quiz.name') : t(`learning.kind.${task.kind}`)} · {task.planTitle}
                </Typography.Text>
              </Flex>
              <DueTag dueDate={task.dueOn} />
              <RightOutlined style={{ color: '#bfbfbf' }} />
            </Link>
          ))
        )}
      </Card>

      {data && data.continueWatching.length > 0 ? (
        <Card size="small" title={t('learning.home.continue')} data-testid="learn-continue">
          {data.continueWatching.slice(0, 3).map((item) => (
            <ContentRow key={item.id} item={item} />
          ))}
        </Card>
      ) : null}

      <Card size="small" title={t('learning.home.plans')} data-testid="learn-plans">
        {!data ? (
          <Skeleton active />
        ) : data.plans.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('learning.home.noPlans')} />
        ) : (
          data.plans.map((plan) => {
            const done = plan.itemsTotal > 0 && plan.itemsDone >= plan.itemsTotal;
            return (
              <Flex
                key={plan.id}
                vertical
                gap={2}
                className="learn-row"
                style={{ alignItems: 'stretch' }}
                data-testid={`my-plan-${plan.id}`}
                data-completed={done ? 'true' : 'false'}
              >
                <Flex justify="space-between" gap={8} align="center">
                  <Typography.Text strong ellipsis style={{ minWidth: 0 }}>
                    {plan.title}
                  </Typography.Text>
                  <DueTag dueDate={plan.dueOn} done={done} />
                </Flex>
                <Progress
                  percent={plan.itemsTotal ? Math.round((plan.itemsDone / plan.itemsTotal) * 100) : 0}
                  format={() => `${plan.itemsDone}/${plan.itemsTotal}`}
                  status={done ? 'success' : 'normal'}
                  strokeColor={done ? undefined : '#c4161c'}
                  data-testid={`my-plan-${plan.id}-progress`}
                />
              </Flex>
            );
          })
        )}
      </Card>
    </Flex>
  );
}
