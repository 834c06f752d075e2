/**
 * `/learning/plans` 学习计划: the plans covering the chosen organisation with their completion there, and the form
 * that assigns content and papers to a subtree, to members holding given posts, or to named members, with a due date.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  DatePicker,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Select,
  Table,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PARTY_POSTS, type PartyPost } from '../../../../shared/members';
import { accessFor } from '../../../access';
import { api } from '../../../api/client';
import {
  createPlan,
  fetchContents,
  fetchPapers,
  fetchPlans,
  LEARNING_KEY,
  PLAN_TARGETS,
  type PlanListItem,
  type PlanTarget,
} from '../../../api/learning';
import { MemberPicker } from '../../../components/MemberPicker';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { useSession } from '../../../hooks/useSession';
import { DueTag } from '../common';
import { useLearningOrg } from './useLearningOrg';

interface FormValues {
  title: string;
  description?: string;
  orgId: string;
  dueOn: Dayjs;
  target: PlanTarget;
  targetOrgId?: string;
  posts?: PartyPost[];
  memberIds?: string[];
  items: string[];
}

function CreatePlanModal({ open, onClose, orgId }: { open: boolean; onClose: () => void; orgId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const target = Form.useWatch('target', form);
  const contents = useQuery({
    queryKey: [...LEARNING_KEY, 'plan-contents'],
    queryFn: () => fetchContents({ status: 'published', pageSize: 200 }),
    enabled: open,
  });
  const papers = useQuery({
    queryKey: [...LEARNING_KEY, 'plan-papers'],
    queryFn: () => fetchPapers({}),
    enabled: open,
  });
  const save = useMutation({
    mutationFn: (v: FormValues) =>
      createPlan({
        orgId: Number(v.orgId),
        title: v.title,
        description: v.description ?? '',
        dueOn: v.dueOn.format('YYYY-MM-DD'),
        target: v.target,
        ...(v.target !== 'members' ? { targetOrgId: Number(v.targetOrgId ?? v.orgId) } : {}),
        ...(v.target === 'posts' ? { posts: v.posts ?? [] } : {}),
        ...(v.target === 'members' ? { memberIds: (v.memberIds ?? []).map(Number) } : {}),
        items: v.items.map((key) =>
          key.startsWith('p') ? { paperId: Number(key.slice(1)) } : { contentId: Number(key.slice(1)) },
        ),
      }),
    onSuccess: () => {
      message.success(t('learning.plans.created'));
      void client.invalidateQueries({ queryKey: LEARNING_KEY });
      form.resetFields();
      onClose();
    },
    onError: (e) => message.error(errorText(e)),
  });
  const options = [
    {
      label: t('learning.library.allKinds'),
      options: (contents.data?.items ?? []).map((c) => ({
        value: `c${c.id}`,
        label: `[${t(`learning.kind.${c.kind}`)}] ${c.title}`,
      })),
    },
    {
      label: t('learning.plans.paper'),
      options: (papers.data?.items ?? []).map((p) => ({
        value: `p${p.id}`,
        label: `[${t('learning.quiz.name')}] ${p.title}`,
      })),
    },
  ];
  return (
    <Modal
      open={open}
      title={t('learning.plans.create')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={640}
      destroyOnHidden
      okButtonProps={{ id: 'plan-save' }}
    >
      <Form<FormValues>
        form={form}
        layout="vertical"
        initialValues={{ orgId, target: 'subtree', dueOn: dayjs().add(30, 'day') }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item name="title" label={t('learning.plans.name')} rules={[{ required: true, min: 2 }]}>
          <Input data-testid="plan-title" />
        </Form.Item>
        <Form.Item name="description" label={t('learning.plans.description')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="orgId" label={t('learning.plans.org')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <OrgTreeSelect />
          </Form.Item>
          <Form.Item name="dueOn" label={t('learning.plans.dueOn')} rules={[{ required: true }]}>
            <DatePicker allowClear={false} disabledDate={(d) => d.isBefore(dayjs(), 'day')} />
          </Form.Item>
        </Flex>
        <Form.Item name="target" label={t('learning.plans.target')}>
          <Radio.Group
            options={PLAN_TARGETS.map((value) => ({ value, label: t(`learning.target.${value}`) }))}
            optionType="button"
          />
        </Form.Item>
        {target !== 'members' ? (
          <Form.Item name="targetOrgId" label={t('learning.plans.targetOrg')}>
            <OrgTreeSelect allowClear placeholder={t('learning.plans.org')} />
          </Form.Item>
        ) : null}
        {target === 'posts' ? (
          <Form.Item name="posts" label={t('learning.plans.posts')} rules={[{ required: true }]}>
            <Select mode="multiple" options={PARTY_POSTS.map((p) => ({ value: p, label: t(`partyPost.${p}`) }))} />
          </Form.Item>
        ) : null}
        {target === 'members' ? (
          <Form.List name="memberIds" initialValue={['']}>
            {(fields, { add, remove }) => (
              <Form.Item label={t('learning.plans.members')} required>
                <Flex vertical gap={8}>
                  {fields.map((field) => (
                    <Flex key={field.key} gap={8}>
                      <Form.Item name={field.name} noStyle rules={[{ required: true }]}>
                        <MemberPicker org={form.getFieldValue('orgId')} />
                      </Form.Item>
                      <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} />
                    </Flex>
                  ))}
                  <Button icon={<PlusOutlined />} onClick={() => add('')}>
                    {t('learning.plans.members')}
                  </Button>
                </Flex>
              </Form.Item>
            )}
          </Form.List>
        ) : null}
        <Form.Item
          name="items"
          label={t('learning.plans.items')}
          extra={t('learning.plans.itemsHint')}
          rules={[{ required: true }]}
        >
          <Select mode="multiple" options={options} optionFilterProp="label" data-testid="plan-items" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function PlansPage() {
  const { t } = useTranslation();
  const { orgId, orgName } = useLearningOrg();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const access = accessFor(useSession().user);
  const [creating, setCreating] = useState(false);
  const list = useQuery({
    queryKey: [...LEARNING_KEY, 'plans', orgId ?? null],
    queryFn: () => fetchPlans({ org: orgId }),
    enabled: orgId !== undefined,
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.del(`/api/learning/plans/${id}`),
    onSuccess: () => void client.invalidateQueries({ queryKey: LEARNING_KEY }),
    onError: (e) => message.error(errorText(e)),
  });
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Card
      title={
        <Flex gap={8} align="baseline">
          {t('learning.plans.title')}
          <Typography.Text type="secondary">{orgName}</Typography.Text>
        </Flex>
      }
      extra={
        access.canManageLearning ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="plan-create">
            {t('learning.plans.create')}
          </Button>
        ) : null
      }
    >
      <Table<PlanListItem>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('learning.plans.empty') }}
        data-testid="plans-table"
        columns={[
          {
            title: t('learning.plans.name'),
            dataIndex: 'title',
            render: (title: string, row) => (
              <Link to={`/learning/plans/${row.id}?org=${row.report.orgId}`} data-testid={`plan-${row.id}`}>
                {title}
              </Link>
            ),
          },
          { title: t('learning.plans.org'), dataIndex: 'orgName' },
          {
            title: t('learning.plans.target'),
            key: 'target',
            render: (_, row) =>
              row.target === 'members'
                ? `${t('learning.target.members')} (${row.memberIds.length})`
                : `${row.targetOrgName ?? row.orgName} · ${
                    row.target === 'posts'
                      ? row.posts.map((p) => t(`partyPost.${p}`)).join('、')
                      : t('learning.target.subtree')
                  }`,
          },
          { title: t('learning.plans.items'), key: 'items', width: 90, render: (_, row) => row.items.length },
          {
            title: t('learning.plans.dueOn'),
            dataIndex: 'dueOn',
            width: 200,
            render: (due: string, row) => (
              <DueTag dueDate={due} done={row.report.assigned > 0 && row.report.completed >= row.report.assigned} />
            ),
          },
          {
            title: t('learning.plans.completion'),
            key: 'completion',
            width: 220,
            render: (_, row) => (
              <Progress
                percent={Math.round(row.report.rate * 1000) / 10}
                size="small"
                strokeColor="#c4161c"
                format={() => `${row.report.completed}/${row.report.assigned}`}
              />
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 160,
            render: (_, row) => (
              <Flex gap={8}>
                <Link to={`/learning/plans/${row.id}?org=${row.report.orgId}`}>{t('learning.plans.progress')}</Link>
                <Popconfirm
                  title={t('learning.plans.removeConfirm', { title: row.title })}
                  onConfirm={() => remove.mutate(row.id)}
                >
                  <Typography.Link type="danger">{t('common.delete')}</Typography.Link>
                </Popconfirm>
              </Flex>
            ),
          },
        ]}
      />
      <CreatePlanModal open={creating} onClose={() => setCreating(false)} orgId={orgId} />
    </Card>
  );
}
