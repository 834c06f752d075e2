/**
 * The party-affairs cadres of one organisation: its active posts (`GET /api/posts?org=`, those sitting on the
 * org itself), appointing (`POST /api/posts`) and ending a post (`POST /api/posts/:id/end`) with `member.write`.
 */
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Drawer,
  Flex,
  Form,
  Grid,
  Popconfirm,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PARTY_POSTS } from '../../../shared/members';
import { accessFor } from '../../access';
import { ApiError } from '../../api/client';
import { MEMBERS_KEY } from '../../api/members';
import { createPost, endPost, fetchPosts, POSTS_KEY, STAFFING_KEY, TRAINING_KEY } from '../../api/staffing';
import type { Id, PartyPost, PostItem, StaffingRow } from '../../api/types';
import { MemberPicker } from '../../components/MemberPicker';
import { PostTag } from '../../components/MemberTags';
import { QueryError } from '../../components/QueryError';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { useSession } from '../../hooks/useSession';

interface AddValues {
  memberId?: Id;
  post?: PartyPost;
  fullTime: boolean;
  startedAt: Dayjs;
}

function useInvalidate() {
  const client = useQueryClient();
  return () =>
    Promise.all([
      client.invalidateQueries({ queryKey: POSTS_KEY }),
      client.invalidateQueries({ queryKey: STAFFING_KEY }),
      client.invalidateQueries({ queryKey: MEMBERS_KEY }),
      client.invalidateQueries({ queryKey: TRAINING_KEY }),
    ]);
}

function AddPostForm({ row }: { row: StaffingRow }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const invalidate = useInvalidate();
  const [form] = Form.useForm<AddValues>();
  const [error, setError] = useState<string | null>(null);
  const posts = PARTY_POSTS.filter((post) => (row.kind === 'group') === (post === 'group_leader'));

  const text = (caught: unknown) => {
    if (caught instanceof ApiError && caught.code === 'secretary_exists') {
      const name = (caught.details as { memberName?: string } | undefined)?.memberName;
      if (name) return t('errors.secretaryExistsDetail', { name });
    }
    return errorText(caught);
  };

  const add = useMutation({
    mutationFn: (values: AddValues) =>
      createPost({
        memberId: Number(values.memberId),
        orgId: Number(row.orgId),
        post: values.post!,
        fullTime: values.fullTime,
        startedAt: values.startedAt.format('YYYY-MM-DD'),
      }),
    onSuccess: async () => {
      message.success(t('posts.added'));
      form.resetFields();
      await invalidate();
    },
    onError: (caught) => {
      if (!showFieldError(form, caught, ['memberId', 'post', 'startedAt'], text)) setError(text(caught));
    },
  });

  return (
    <Card size="small" title={t('posts.addTitle')}>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          style={{ marginBottom: 12 }}
          closable={{ onClose: () => setError(null) }}
        />
      ) : null}
      <Form<AddValues>
        form={form}
        layout="vertical"
        initialValues={{ fullTime: false, startedAt: dayjs() }}
        onFinish={(values) => {
          setError(null);
          add.mutate(values);
        }}
        data-testid="post-form"
      >
        <Form.Item
          name="memberId"
          label={t('posts.member')}
          rules={[{ required: true, message: t('members.form.select', { field: t('posts.member') }) }]}
        >
          <MemberPicker
            org={row.orgId}
            status="normal"
            placeholder={t('posts.memberPlaceholder')}
            data-testid="post-member"
          />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="post"
            label={t('posts.post')}
            style={{ minWidth: 160, flex: 1 }}
            rules={[{ required: true, message: t('members.form.select', { field: t('posts.post') }) }]}
          >
            <Select options={posts.map((post) => ({ value: post, label: t(`partyPost.${post}`) }))} />
          </Form.Item>
          <Form.Item name="startedAt" label={t('posts.startedAt')} rules={[{ required: true }]}>
            <DatePicker disabledDate={(date) => date.isAfter(dayjs(), 'day')} allowClear={false} />
          </Form.Item>
          <Form.Item name="fullTime" label={t('posts.fullTimeLabel')} valuePropName="checked">
            <Switch checkedChildren={t('posts.fullTime')} unCheckedChildren={t('posts.partTime')} />
          </Form.Item>
        </Flex>
        <Button
          type="primary"
          htmlType="submit"
          icon={<PlusOutlined />}
          loading={add.isPending}
          data-testid="post-submit"
        >
          {t('posts.add')}
        </Button>
      </Form>
    </Card>
  );
}

function EndPostButton({ post }: { post: PostItem }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const invalidate = useInvalidate();
  const [endedAt, setEndedAt] = useState<Dayjs>(dayjs());
  const end = useMutation({
    mutationFn: () => endPost(post.id, endedAt.format('YYYY-MM-DD')),
    onSuccess: async () => {
      message.success(t('posts.ended'));
      await invalidate();
    },
    onError: (caught) => message.error(errorText(caught)),
  });
  return (
    <Popconfirm
      title={t('posts.endTitle', { name: post.memberName, post: t(`partyPost.${post.post}`) })}
      description={
        <Space>
          {t('posts.endedAt')}
          <DatePicker
            value={endedAt}
            allowClear={false}
            onChange={(value) => value && setEndedAt(value)}
            disabledDate={(date) => date.isAfter(dayjs(), 'day') || date.isBefore(dayjs(post.startedAt), 'day')}
          />
        </Space>
      }
      okText={t('posts.end')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: true, loading: end.isPending }}
      onConfirm={() => end.mutateAsync().catch(() => undefined)}
    >
      <Button type="link" size="small" danger data-testid="btn-end-post">
        {t('posts.end')}
      </Button>
    </Popconfirm>
  );
}

export function OrgPostsDrawer({ row, onClose }: { row: StaffingRow; onClose: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const access = accessFor(user);
  const phone = Grid.useBreakpoint().md === false;
  const posts = useQuery({
    queryKey: [...POSTS_KEY, { org: String(row.orgId) }],
    queryFn: () => fetchPosts(row.orgId),
    enabled: access.canReadMembers,
  });
  const own = (posts.data ?? []).filter((post) => String(post.orgId) === String(row.orgId));

  return (
    <Drawer open onClose={onClose} size={phone ? '100%' : 640} title={t('posts.title', { name: row.orgName })}>
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="org-posts">
        <Typography.Text type="secondary">{t('posts.subtreeHint')}</Typography.Text>
        {posts.error ? <QueryError error={posts.error} onRetry={() => void posts.refetch()} /> : null}
        <Table<PostItem>
          rowKey={(post) => String(post.id)}
          loading={posts.isFetching}
          dataSource={own}
          size="small"
          pagination={false}
          locale={{ emptyText: t('posts.empty') }}
          scroll={{ x: 480 }}
          columns={[
            { key: 'member', title: t('posts.member'), dataIndex: 'memberName', width: 100 },
            { key: 'post', title: t('posts.post'), width: 110, render: (_, post) => <PostTag post={post.post} /> },
            {
              key: 'kind',
              title: t('posts.kind'),
              width: 90,
              render: (_, post) =>
                post.fullTime ? <Tag color="volcano">{t('posts.fullTime')}</Tag> : <Tag>{t('posts.partTime')}</Tag>,
            },
            { key: 'startedAt', title: t('posts.startedAt'), dataIndex: 'startedAt', width: 110 },
            ...(access.canWriteMembers
              ? [
                  {
                    key: 'actions',
                    title: t('common.actions'),
                    width: 80,
                    render: (_: unknown, post: PostItem) => <EndPostButton post={post} />,
                  },
                ]
              : []),
          ]}
        />
        {access.canWriteMembers ? <AddPostForm key={String(row.orgId)} row={row} /> : null}
      </Space>
    </Drawer>
  );
}
