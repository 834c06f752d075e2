/**
 * `/learning/content` 内容管理: the items of the chosen organisation's subtree by status, the upload form
 * (video/audio/PDF with upload progress, the length read from the file in the browser; or an article's text),
 * and the workflow: submit for review → publish (or send back) → withdraw.
 */
import { UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Radio,
  Segmented,
  Select,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { accessFor } from '../../../access';
import {
  CONTENT_KINDS,
  CONTENT_STATUSES,
  type ContentAction,
  type ContentItem,
  type ContentKind,
  type ContentStatus,
  contentAction,
  createContent,
  fetchContents,
  LEARNING_KEY,
  SUGGESTED_TOPICS,
} from '../../../api/learning';
import { OrgTreeSelect } from '../../../components/OrgTreeSelect';
import { QueryError } from '../../../components/QueryError';
import { useDebounced } from '../../../hooks/useDebounced';
import { useErrorText } from '../../../hooks/useErrorText';
import { useSession } from '../../../hooks/useSession';
import { formatDuration, KindTag } from '../common';
import { useLearningOrg } from './useLearningOrg';

const STATUS_COLOR: Record<ContentStatus, string> = {
  draft: 'default',
  pending: 'processing',
  published: 'success',
  withdrawn: 'warning',
};

/** The length of a video/audio file in seconds, read by the browser (null when it cannot tell). */
function mediaDuration(file: File): Promise<number | null> {
  if (!file.type.startsWith('video/') && !file.type.startsWith('audio/')) return Promise.resolve(null);
  return new Promise((resolve) => {
    const url = URL.createObjectURL(file);
    const media = document.createElement(file.type.startsWith('video/') ? 'video' : 'audio');
    media.preload = 'metadata';
    const done = (value: number | null) => {
      URL.revokeObjectURL(url);
      resolve(value);
    };
    media.onloadedmetadata = () =>
      done(Number.isFinite(media.duration) ? Math.max(1, Math.round(media.duration)) : null);
    media.onerror = () => done(null);
    media.src = url;
  });
}

/** Article text: one paragraph per line, escaped; the server sanitises whatever arrives anyway. */
function paragraphs(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split(/\n+/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => `<p>${esc(line)}</p>`)
    .join('');
}

interface UploadValues {
  kind: ContentKind;
  title: string;
  summary?: string;
  orgId: string;
  topics?: string[];
  visibility: 'subtree' | 'orgs';
  visibleOrgIds?: string[];
  duration?: number;
  body?: string;
}

function UploadModal({ open, onClose, orgId }: { open: boolean; onClose: () => void; orgId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<UploadValues>();
  const kind = Form.useWatch('kind', form);
  const visibility = Form.useWatch('visibility', form);
  const [file, setFile] = useState<File | null>(null);
  const [cover, setCover] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const isArticle = kind === 'article';

  const finish = async (v: UploadValues) => {
    if (!isArticle && !file) {
      message.error(t('learning.admin.needFile'));
      return;
    }
    setPercent(0);
    try {
      await createContent(
        {
          kind: v.kind,
          title: v.title,
          summary: v.summary,
          orgId: v.orgId,
          topics: v.topics ?? [],
          visibility: v.visibility,
          visibleOrgIds: v.visibility === 'orgs' ? v.visibleOrgIds : undefined,
          duration: isArticle ? undefined : v.duration,
          body: isArticle ? paragraphs(v.body ?? '') : undefined,
        },
        { file: isArticle ? null : file, cover },
        { onProgress: (loaded, total) => setPercent(Math.floor((loaded / total) * 100)) },
      );
      message.success(t('learning.admin.created'));
      void client.invalidateQueries({ queryKey: LEARNING_KEY });
      form.resetFields();
      setFile(null);
      setCover(null);
      onClose();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setPercent(null);
    }
  };

  return (
    <Modal
      open={open}
      title={t('learning.admin.uploadTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={percent !== null}
      width={640}
      destroyOnHidden
    >
      <Form<UploadValues>
        form={form}
        layout="vertical"
        initialValues={{ kind: 'micro_lesson', orgId, visibility: 'subtree', topics: [] }}
        onFinish={(v) => void finish(v)}
      >
        <Form.Item name="kind" label={t('learning.admin.kindLabel')}>
          <Radio.Group
            optionType="button"
            options={CONTENT_KINDS.map((value) => ({ value, label: t(`learning.kind.${value}`) }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('learning.admin.title')} rules={[{ required: true, min: 2 }]}>
          <Input data-testid="content-title-input" />
        </Form.Item>
        <Form.Item name="summary" label={t('learning.admin.summaryLabel')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Flex gap={16}>
          <Form.Item name="orgId" label={t('learning.admin.org')} rules={[{ required: true }]} style={{ flex: 1 }}>
            <OrgTreeSelect />
          </Form.Item>
          <Form.Item name="topics" label={t('learning.admin.topics')} style={{ flex: 1 }}>
            <Select mode="tags" options={SUGGESTED_TOPICS.map((value) => ({ value, label: value }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="visibility" label={t('learning.admin.visibility')}>
          <Radio.Group
            options={[
              { value: 'subtree', label: t('learning.admin.visSubtree') },
              { value: 'orgs', label: t('learning.admin.visOrgs') },
            ]}
          />
        </Form.Item>
        {visibility === 'orgs' ? (
          <Form.List name="visibleOrgIds" initialValue={[undefined]}>
            {(fields, { add }) => (
              <Form.Item label={t('learning.admin.visibleOrgs')}>
                <Flex vertical gap={8}>
                  {fields.map((field) => (
                    <Form.Item key={field.key} name={field.name} noStyle>
                      <OrgTreeSelect />
                    </Form.Item>
                  ))}
                  <Button onClick={() => add()}>+</Button>
                </Flex>
              </Form.Item>
            )}
          </Form.List>
        ) : null}
        {isArticle ? (
          <Form.Item
            name="body"
            label={t('learning.admin.body')}
            extra={t('learning.admin.bodyHint')}
            rules={[{ required: true }]}
          >
            <Input.TextArea rows={8} />
          </Form.Item>
        ) : (
          <>
            <Form.Item label={t('learning.admin.file')} extra={t('learning.admin.fileHint')} required>
              <Upload
                maxCount={1}
                accept="video/mp4,video/webm,audio/*,application/pdf"
                beforeUpload={(f) => {
                  setFile(f);
                  void mediaDuration(f).then((d) => {
                    if (d !== null) form.setFieldValue('duration', d);
                  });
                  return false;
                }}
                onRemove={() => setFile(null)}
                fileList={file ? [{ uid: 'file', name: file.name, status: 'done' }] : []}
              >
                <Button icon={<UploadOutlined />}>{t('learning.admin.pickFile')}</Button>
              </Upload>
            </Form.Item>
            {file && !file.type.includes('pdf') ? (
              <Form.Item name="duration" label={`${t('learning.admin.duration')} (s)`} rules={[{ required: true }]}>
                <Input type="number" min={1} onChange={(e) => form.setFieldValue('duration', Number(e.target.value))} />
              </Form.Item>
            ) : null}
          </>
        )}
        <Form.Item label={t('learning.admin.cover')}>
          <Upload
            maxCount={1}
            accept="image/png,image/jpeg,image/webp"
            beforeUpload={(f) => {
              setCover(f);
              return false;
            }}
            onRemove={() => setCover(null)}
            fileList={cover ? [{ uid: 'cover', name: cover.name, status: 'done' }] : []}
          >
            <Button icon={<UploadOutlined />}>{t('learning.admin.pickFile')}</Button>
          </Upload>
        </Form.Item>
        {percent !== null ? <Progress percent={percent} strokeColor="#c4161c" data-testid="upload-progress" /> : null}
      </Form>
    </Modal>
  );
}

export function ContentAdminPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const access = accessFor(useSession().user);
  const { orgId } = useLearningOrg();
  const [status, setStatus] = useState<ContentStatus | 'all'>('all');
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [page, setPage] = useState(1);
  const [uploading, setUploading] = useState(false);
  const query = { q: q || undefined, status: status === 'all' ? undefined : status, org: orgId, page, pageSize: 20 };
  const list = useQuery({
    queryKey: [...LEARNING_KEY, 'admin-content', query],
    queryFn: () => fetchContents(query),
    enabled: orgId !== undefined,
  });
  const act = useMutation({
    mutationFn: ({ id, action, note }: { id: number; action: ContentAction; note?: string }) =>
      contentAction(id, action, note),
    onSuccess: () => {
      message.success(t('learning.admin.actionDone'));
      void client.invalidateQueries({ queryKey: LEARNING_KEY });
    },
    onError: (e) => message.error(errorText(e)),
  });

  const reject = (row: ContentItem) => {
    let note = '';
    modal.confirm({
      title: t('learning.admin.reject'),
      content: (
        <Input.TextArea
          rows={3}
          placeholder={t('learning.admin.rejectNote')}
          onChange={(e) => (note = e.target.value)}
        />
      ),
      onOk: () => act.mutateAsync({ id: row.id, action: 'reject', note: note || undefined }),
    });
  };

  const actions = (row: ContentItem) => {
    const out = [];
    if (row.status === 'draft' && access.canPublishLearning)
      out.push(
        <Typography.Link
          key="submit"
          onClick={() => act.mutate({ id: row.id, action: 'submit' })}
          data-testid={`submit-${row.id}`}
        >
          {t('learning.admin.submit')}
        </Typography.Link>,
      );
    if (row.status === 'pending' && access.canReviewLearning) {
      out.push(
        <Typography.Link
          key="publish"
          onClick={() => act.mutate({ id: row.id, action: 'publish' })}
          data-testid={`publish-${row.id}`}
        >
          {t('learning.admin.publish')}
        </Typography.Link>,
        <Typography.Link key="reject" type="danger" onClick={() => reject(row)}>
          {t('learning.admin.reject')}
        </Typography.Link>,
      );
    }
    if (row.status === 'published' && access.canReviewLearning)
      out.push(
        <Popconfirm
          key="withdraw"
          title={`${t('learning.admin.withdraw')}？`}
          onConfirm={() => act.mutate({ id: row.id, action: 'withdraw' })}
        >
          <Typography.Link type="warning">{t('learning.admin.withdraw')}</Typography.Link>
        </Popconfirm>,
      );
    out.push(
      <Link key="preview" to={`/learn/content/${row.id}`}>
        {t('learning.admin.preview')}
      </Link>,
    );
    return <Flex gap={12}>{out}</Flex>;
  };

  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Card
      title={t('menu.learnContent')}
      extra={
        access.canPublishLearning ? (
          <Button
            type="primary"
            icon={<UploadOutlined />}
            onClick={() => setUploading(true)}
            data-testid="content-upload"
          >
            {t('learning.admin.upload')}
          </Button>
        ) : null
      }
    >
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Segmented
          value={status}
          onChange={(v) => {
            setStatus(v as ContentStatus | 'all');
            setPage(1);
          }}
          options={[
            { value: 'all', label: t('learning.admin.allStatuses') },
            ...CONTENT_STATUSES.map((s) => ({ value: s, label: t(`learning.status.${s}`) })),
          ]}
        />
        <Input.Search
          allowClear
          style={{ width: 280 }}
          placeholder={t('learning.library.search')}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </Flex>
      <Table<ContentItem>
        rowKey="id"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        data-testid="content-table"
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('learning.admin.title'), dataIndex: 'title', width: 280, ellipsis: { showTitle: true } },
          {
            title: t('learning.admin.kindLabel'),
            dataIndex: 'kind',
            width: 100,
            render: (k: ContentKind) => <KindTag kind={k} />,
          },
          {
            title: t('learning.admin.statusLabel'),
            dataIndex: 'status',
            width: 110,
            render: (s: ContentStatus) => <Tag color={STATUS_COLOR[s]}>{t(`learning.status.${s}`)}</Tag>,
          },
          { title: t('learning.admin.org'), dataIndex: 'orgName', ellipsis: true },
          {
            title: t('learning.admin.topics'),
            dataIndex: 'topics',
            render: (topics: string[]) => topics.map((x) => <Tag key={x}>{x}</Tag>),
          },
          {
            title: t('learning.admin.duration'),
            dataIndex: 'duration',
            width: 90,
            render: (d: number | null) => (d ? formatDuration(d) : '—'),
          },
          { title: t('learning.admin.createdBy'), dataIndex: 'createdBy', width: 110 },
          { title: t('common.actions'), key: 'actions', width: 260, render: (_, row) => actions(row) },
        ]}
      />
      <UploadModal open={uploading} onClose={() => setUploading(false)} orgId={orgId} />
    </Card>
  );
}
