/**
 * `/learning/plans` 学习计划 (desktop): the plans of the current organisation, a new plan (content and papers to a
 * subtree, to holders of party posts or to named members, with a due date), and each plan's progress: completion
 * per child organisation as a chart, who has not finished, and the .xlsx export.
 */
import { DownloadOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Progress,
  Radio,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PlanTarget } from '../../../../shared/learning';
import { PARTY_POSTS, type PartyPost } from '../../../../shared/members';
import { saveFile } from '../../../api/client';
import {
  createPlan,
  downloadPlanProgress,
  fetchContents,
  fetchPapers,
  fetchPlanProgress,
  fetchPlans,
  LEARNING_KEY,
  type PlanListItem,
} from '../../../api/learning';
import { EChart } from '../../../components/EChart';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { useLearningOrg } from './useLearningOrg';

const PLANS_KEY = [...LEARNING_KEY, 'plans'] as const;

interface PlanForm {
  title: string;
  description?: string;
  dueOn: Dayjs;
  target: PlanTarget;
  targetOrgId?: number;
  posts?: PartyPost[];
  memberIds?: number[];
  contentIds?: number[];
  paperIds?: number[];
}

function CreatePlanModal({ orgId, open, onClose }: { orgId: number; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const [form] = Form.useForm<PlanForm>();
  const target = Form.useWatch('target', form) ?? 'subtree';
  const contents = useQuery({
    queryKey: [...LEARNING_KEY, 'published', orgId],
    queryFn: () => fetchContents({ status: 'published', pageSize: 200 }),
    enabled: open,
  });
  const papers = useQuery({
    queryKey: [...LEARNING_KEY, 'papers', orgId],
    queryFn: () => fetchPapers({}),
    enabled: open,
  });
  const save = useMutation({
    mutationFn: (v: PlanForm) =>
      createPlan({
        orgId,
        title: v.title,
        description: v.description ?? '',
        dueOn: v.dueOn.format('YYYY-MM-DD'),
        target: v.target,
        ...(v.target !== 'members' && v.targetOrgId ? { targetOrgId: Number(v.targetOrgId) } : {}),
        ...(v.target === 'posts' ? { posts: v.posts ?? [] } : {}),
        ...(v.target === 'members' ? { memberIds: (v.memberIds ?? []).map(Number) } : {}),
        items: [
          ...(v.contentIds ?? []).map((contentId) => ({ contentId })),
          ...(v.paperIds ?? []).map((paperId) => ({ paperId })),
        ],
      }),
    onSuccess: () => {
      void message.success(t('learning.plans.created'));
      void qc.invalidateQueries({ queryKey: PLANS_KEY });
      form.resetFields();
      onClose();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Modal
      open={open}
      title={t('learning.plans.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ target: 'subtree' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="title" label={t('learning.plans.name')} rules={[{ required: true, min: 2 }]}>
          <Input data-testid="plan-title" />
        </Form.Item>
        <Form.Item name="description" label={t('learning.plans.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="dueOn" label={t('learning.plans.dueOn')} rules={[{ required: true }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="target" label={t('learning.plans.target')}>
          <Radio.Group>
            {(['subtree', 'posts', 'members'] as const).map((x) => (
              <Radio.Button key={x} value={x}>
                {t(`learning.target.${x}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        {target !== 'members' ? (
          <Form.Item name="targetOrgId" label={t('learning.plans.targetOrg')}>
            <OrgTreeSelect allowClear placeholder={t('learning.plans.targetOrg')} />
          </Form.Item>
        ) : null}
        {target === 'posts' ? (
          <Form.Item name="posts" label={t('learning.plans.posts')} rules={[{ required: true }]}>
            <Select mode="multiple" options={PARTY_POSTS.map((p) => ({ value: p, label: t(`partyPost.${p}`) }))} />
          </Form.Item>
        ) : null}
        {target === 'members' ? (
          <Form.Item name="memberIds" label={t('learning.plans.members')} rules={[{ required: true }]}>
            <Select
              mode="tags"
              tokenSeparators={[',', '，', ' ']}
              placeholder={t('learning.plans.members')}
              data-testid="plan-member-ids"
            />
          </Form.Item>
        ) : null}
        <Form.Item name="contentIds" label={t('learning.plans.items')} extra={t('learning.plans.itemsHint')}>
          <Select
            mode="multiple"
            loading={contents.isLoading}
            optionFilterProp="label"
            options={(contents.data?.items ?? []).map((c) => ({
              value: c.id,
              label: `${t(`learning.kind.${c.kind}`)} · ${c.title}`,
            }))}
            data-testid="plan-contents"
          />
        </Form.Item>
        <Form.Item name="paperIds" label={t('learning.plans.paper')}>
          <Select
            mode="multiple"
            loading={papers.isLoading}
            optionFilterProp="label"
            options={(papers.data?.items ?? []).map((p) => ({ value: p.id, label: p.title }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function ProgressDrawer({ plan, onClose }: { plan: PlanListItem | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [org, setOrg] = useState<number | undefined>(undefined);
  const [onlyUnfinished, setOnlyUnfinished] = useState(true);
  const query = useQuery({
    queryKey: [...PLANS_KEY, 'progress', plan?.id, org],
    queryFn: () => fetchPlanProgress(plan!.id, org),
    enabled: plan !== null,
  });
  const data = query.data;
  const members = (data?.members ?? []).filter((m) => !onlyUnfinished || !m.completed);
  const children = (data?.orgs ?? []).filter((o) => o.orgId !== data?.org.id);
  return (
    <Drawer
      open={plan !== null}
      onClose={() => {
        setOrg(undefined);
        onClose();
      }}
      width={900}
      title={plan ? t('learning.progress.title', { title: plan.title }) : ''}
      extra={
        plan ? (
          <Button
            icon={<DownloadOutlined />}
            onClick={() =>
              downloadPlanProgress(plan.id, org)
                .then(saveFile)
                .catch((e) => void message.error(errorText(e)))
            }
            data-testid="plan-export"
          >
            {t('learning.progress.export')}
          </Button>
        ) : null
      }
    >
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      {data ? (
        <Flex vertical gap={16} data-testid="plan-progress">
          <Flex gap={32} align="center" wrap>
            <Space>
              <Typography.Text>{t('learning.progress.org')}</Typography.Text>
              <OrgTreeSelect
                value={String(org ?? data.org.id)}
                onChange={(v: unknown) => setOrg(v === undefined || v === null ? undefined : Number(v))}
                style={{ width: 280 }}
              />
            </Space>
            <Statistic title={t('learning.progress.assigned')} value={data.assigned} />
            <Statistic title={t('learning.progress.completed')} value={data.completed} />
            <div>
              <Typography.Text type="secondary">{t('learning.progress.rate')}</Typography.Text>
              <Progress
                percent={Math.round(data.rate * 1000) / 10}
                style={{ width: 200 }}
                strokeColor="#c4161c"
                data-testid="plan-rate"
                data-rate={data.rate}
              />
            </div>
          </Flex>
          {children.length > 0 ? (
            <Card
              size="small"
              title={t('learning.progress.chart')}
              extra={<Typography.Text type="secondary">{t('learning.progress.drill')}</Typography.Text>}
            >
              <EChart
                height={Math.max(200, children.length * 28 + 60)}
                data-testid="plan-chart"
                option={{
                  grid: { left: 200, right: 40, top: 10, bottom: 30 },
                  tooltip: { trigger: 'axis' },
                  xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
                  yAxis: { type: 'category', data: children.map((o) => o.orgName), inverse: true },
                  series: [
                    {
                      type: 'bar',
                      data: children.map((o) => Math.round(o.rate * 1000) / 10),
                      itemStyle: { color: '#c4161c' },
                      label: { show: true, position: 'right', formatter: '{c}%' },
                    },
                  ],
                }}
              />
              <Flex gap={8} wrap>
                {children.map((o) => (
                  <Tag key={o.orgId} style={{ cursor: 'pointer' }} onClick={() => setOrg(o.orgId)}>
                    {o.orgName} {o.completed}/{o.assigned}
                  </Tag>
                ))}
              </Flex>
            </Card>
          ) : null}
          <Card
            size="small"
            title={onlyUnfinished ? t('learning.progress.unfinished') : t('learning.progress.all')}
            extra={
              <Space>
                <Typography.Text>{t('learning.progress.onlyUnfinished')}</Typography.Text>
                <Switch checked={onlyUnfinished} onChange={setOnlyUnfinished} />
              </Space>
            }
          >
            <Table
              size="small"
              rowKey="memberId"
              dataSource={members}
              pagination={{ pageSize: 20, showSizeChanger: false }}
              data-testid="plan-members"
              columns={[
                { title: t('learning.progress.member'), dataIndex: 'name' },
                { title: t('learning.progress.memberOrg'), dataIndex: 'orgName' },
                {
                  title: t('learning.progress.items'),
                  render: (_, m) => `${m.itemsDone}/${m.itemsTotal}`,
                },
                {
                  title: t('learning.progress.state'),
                  render: (_, m) =>
                    m.completed ? (
                      <Tag color="success">{t('learning.done')}</Tag>
                    ) : (
                      <Tag>{t('learning.progress.notDone')}</Tag>
                    ),
                },
              ]}
            />
          </Card>
        </Flex>
      ) : null}
    </Drawer>
  );
}

export function PlansPage() {
  const { t } = useTranslation();
  const { orgId, orgName } = useLearningOrg();
  const [creating, setCreating] = useState(false);
  const [viewing, setViewing] = useState<PlanListItem | null>(null);
  const query = useQuery({
    queryKey: [...PLANS_KEY, orgId],
    queryFn: () => fetchPlans(orgId ? { org: orgId } : {}),
    enabled: orgId !== null,
  });
  return (
    <Card
      title={`${t('learning.plans.title')} · ${orgName}`}
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          disabled={!orgId}
          data-testid="plan-create"
        >
          {t('learning.plans.create')}
        </Button>
      }
    >
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Table
        rowKey="id"
        loading={query.isLoading}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: t('learning.plans.empty') }}
        data-testid="plans-table"
        columns={[
          { title: t('learning.plans.name'), dataIndex: 'title' },
          { title: t('learning.plans.org'), dataIndex: 'orgName' },
          { title: t('learning.plans.target'), render: (_, p) => t(`learning.target.${p.target}`) },
          { title: t('learning.plans.dueOn'), dataIndex: 'dueOn' },
          {
            title: t('learning.plans.completion'),
            render: (_, p) => (
              <Progress
                percent={Math.round(p.report.rate * 1000) / 10}
                size="small"
                strokeColor="#c4161c"
                format={() => `${p.report.completed}/${p.report.assigned}`}
                data-testid={`plan-${p.id}-rate`}
              />
            ),
          },
          {
            title: t('common.actions'),
            render: (_, p) => (
              <Button type="link" onClick={() => setViewing(p)} data-testid={`plan-${p.id}-progress`}>
                {t('learning.plans.progress')}
              </Button>
            ),
          },
        ]}
      />
      {orgId ? <CreatePlanModal orgId={orgId} open={creating} onClose={() => setCreating(false)} /> : null}
      <ProgressDrawer plan={viewing} onClose={() => setViewing(null)} />
    </Card>
  );
}
