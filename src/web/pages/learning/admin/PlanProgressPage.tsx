/**
 * `/learning/plans/:id` 计划进度: completion of one plan in an organisation's subtree — the totals, a bar chart per
 * child organisation (click to go down a level), who has not finished, and the .xlsx export of the same view.
 */
import { ArrowLeftOutlined, DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  App,
  Breadcrumb,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Row,
  Segmented,
  Skeleton,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { saveFile } from '../../../api/client';
import { downloadPlanProgress, fetchPlanProgress, LEARNING_KEY, type PlanMemberProgress } from '../../../api/learning';
import { type ChartOption, EChart } from '../../../components/EChart';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { DueTag } from '../common';

export function PlanProgressPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const org = params.get('org') ?? undefined;
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [onlyUnfinished, setOnlyUnfinished] = useState(true);
  const [trail, setTrail] = useState<{ id: number; name: string }[]>([]);
  const [exporting, setExporting] = useState(false);
  const query = useQuery({
    queryKey: [...LEARNING_KEY, 'plan-progress', id, org ?? null],
    queryFn: () => fetchPlanProgress(id, org),
    refetchInterval: 15_000,
  });
  const data = query.data;

  const goOrg = (orgId: number) => {
    if (!data || orgId === data.org.id) return;
    setTrail((prev) => [...prev, { id: data.org.id, name: data.org.name }]);
    setParams({ org: String(orgId) }, { replace: false });
  };
  const goBack = (index: number) => {
    const target = trail[index];
    if (!target) return;
    setTrail(trail.slice(0, index));
    setParams({ org: String(target.id) });
  };

  const children = useMemo(() => (data ? data.orgs.filter((o) => o.orgId !== data.org.id) : []), [data]);
  const option: ChartOption = useMemo(() => {
    const rows = children.length ? children : (data?.orgs ?? []);
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, right: 0, data: [t('learning.progress.assigned'), t('learning.progress.completed')] },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: {
        type: 'category',
        data: rows.map((o) => o.orgName),
        axisLabel: { interval: 0, rotate: rows.length > 4 ? 30 : 0, width: 120, overflow: 'truncate' },
      },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('learning.progress.assigned'),
          type: 'bar',
          data: rows.map((o) => o.assigned),
          barMaxWidth: 48,
          itemStyle: { color: '#d9d9d9' },
        },
        {
          name: t('learning.progress.completed'),
          type: 'bar',
          data: rows.map((o) => o.completed),
          barMaxWidth: 48,
          itemStyle: { color: '#c4161c' },
          label: { show: true, position: 'top' },
        },
      ],
    };
  }, [children, data, t]);

  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (!data) return <Skeleton active />;

  const members = onlyUnfinished ? data.members.filter((m) => !m.completed) : data.members;
  const exportXlsx = async () => {
    setExporting(true);
    try {
      saveFile(await downloadPlanProgress(id, data.org.id));
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <Flex vertical gap={16} data-testid="plan-progress">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Flex align="center" gap={8} wrap>
          <Link to="/learning/plans">
            <Button type="link" icon={<ArrowLeftOutlined />} style={{ paddingInline: 0 }}>
              {t('learning.plans.title')}
            </Button>
          </Link>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {t('learning.progress.title', { title: data.plan.title })}
          </Typography.Title>
          <DueTag dueDate={data.plan.dueOn} done={data.assigned > 0 && data.completed >= data.assigned} />
        </Flex>
        <Button
          icon={<DownloadOutlined />}
          loading={exporting}
          onClick={() => void exportXlsx()}
          data-testid="plan-export"
        >
          {t('learning.progress.export')}
        </Button>
      </Flex>
      <Breadcrumb
        items={[
          ...trail.map((o, i) => ({
            key: o.id,
            title: (
              <Typography.Link onClick={() => goBack(i)} data-testid={`trail-${o.id}`}>
                {o.name}
              </Typography.Link>
            ),
          })),
          { key: data.org.id, title: data.org.name },
        ]}
      />
      <Row gutter={16}>
        <Col xs={24} md={6}>
          <Card size="small">
            <Statistic title={t('learning.progress.assigned')} value={data.assigned} data-testid="progress-assigned" />
          </Card>
        </Col>
        <Col xs={24} md={6}>
          <Card size="small">
            <Statistic
              title={t('learning.progress.completed')}
              value={data.completed}
              data-testid="progress-completed"
            />
          </Card>
        </Col>
        <Col xs={24} md={12}>
          <Card size="small">
            <Typography.Text type="secondary">{t('learning.progress.rate')}</Typography.Text>
            <Progress
              percent={Math.round(data.rate * 1000) / 10}
              strokeColor="#c4161c"
              data-testid="progress-rate"
              data-completed={data.completed}
              data-assigned={data.assigned}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        title={t('learning.progress.chart')}
        extra={<Typography.Text type="secondary">{t('learning.progress.drill')}</Typography.Text>}
      >
        <EChart option={option} height={280} data-testid="progress-chart" />
        <Table
          size="small"
          rowKey="orgId"
          pagination={false}
          dataSource={data.orgs}
          data-testid="progress-orgs"
          columns={[
            {
              title: t('learning.progress.org'),
              dataIndex: 'orgName',
              render: (name: string, row) =>
                row.orgId === data.org.id ? (
                  <Typography.Text strong>{name}</Typography.Text>
                ) : (
                  <Typography.Link onClick={() => goOrg(row.orgId)}>{name}</Typography.Link>
                ),
            },
            { title: t('learning.progress.assigned'), dataIndex: 'assigned', width: 120 },
            { title: t('learning.progress.completed'), dataIndex: 'completed', width: 120 },
            {
              title: t('learning.progress.rate'),
              dataIndex: 'rate',
              width: 240,
              render: (rate: number) => (
                <Progress percent={Math.round(rate * 1000) / 10} size="small" strokeColor="#c4161c" />
              ),
            },
          ]}
        />
      </Card>
      <Card
        size="small"
        title={t('learning.progress.unfinished')}
        extra={
          <Segmented
            value={onlyUnfinished ? 'open' : 'all'}
            onChange={(v) => setOnlyUnfinished(v === 'open')}
            options={[
              { value: 'open', label: t('learning.progress.onlyUnfinished') },
              { value: 'all', label: t('learning.progress.all') },
            ]}
          />
        }
      >
        <Table<PlanMemberProgress>
          size="small"
          rowKey="memberId"
          dataSource={members}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          data-testid="progress-members"
          columns={[
            { title: t('learning.progress.member'), dataIndex: 'name' },
            { title: t('learning.progress.memberOrg'), dataIndex: 'orgName' },
            {
              title: t('learning.progress.items'),
              key: 'items',
              width: 140,
              render: (_, row) => `${row.itemsDone} / ${row.itemsTotal}`,
            },
            {
              title: t('learning.progress.state'),
              key: 'state',
              width: 120,
              render: (_, row) =>
                row.completed ? (
                  <Tag color="success">{t('learning.done')}</Tag>
                ) : (
                  <Tag color="orange">{t('learning.progress.notDone')}</Tag>
                ),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
