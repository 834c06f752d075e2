/**
 * `/learning/content` 内容管理 (desktop): the items of the current organisation's subtree in every state, upload of
 * a micro-lesson, talk, film or document (with upload progress; the duration read from the file in the browser),
 * an article typed in, and the review workflow: submit → publish (or reject with a note) → withdraw.
 */
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Progress, Select, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CONTENT_KINDS,
  CONTENT_STATUSES,
  type ContentItem,
  type ContentKind,
  type ContentStatus,
  SUGGESTED_TOPICS,
} from '../../../../shared/learning';
import {
  type ContentAction,
  type ContentFields,
  contentAction,
  createContent,
  fetchContents,
  LEARNING_KEY,
} from '../../../api/learning';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { formatDuration } from '../common';
import { useLearningOrg } from './useLearningOrg';

const ADMIN_KEY = [...LEARNING_KEY, 'admin'] as const;
const STATUS_COLOR: Record<ContentStatus, string> = {
  draft: 'default',
  pending: 'processing',
  published: 'success',
  withdrawn: 'warning',
};

/** Reads a media file's duration in the browser (the server stores what the publisher confirms). */
function mediaDuration(file: File): Promise<number | undefined> {
  return new Promise((resolve) => {
    if (!file.type.startsWith('video/') && !file.type.startsWith('audio/')) return resolve(undefined);
    const el = document.createElement(file.type.startsWith('video/') ? 'video' : 'audio');
    el.preload = 'metadata';
    el.onloadedmetadata = () => {
      URL.revokeObjectURL(el.src);
      resolve(Number.isFinite(el.duration) ? Math.max(1, Math.round(el.duration)) : undefined);
    };
    el.onerror = () => resolve(undefined);
    el.src = URL.createObjectURL(file);
  });
}

interface UploadForm {
  kind: ContentKind;
  title: string;
  summary?: string;
  topics?: string[];
  duration?: number;
  body?: string;
}

function UploadModal({ orgId, open, onClose }: { orgId: number; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const [form] = Form.useForm<UploadForm>();
  const kind = Form.useWatch('kind', form) ?? 'micro_lesson';
  const [file, setFile] = useState<File | null>(null);
  const [cover, setCover] = useState<File | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const save = useMutation({
    mutationFn: async (v: UploadForm) => {
      const fields: ContentFields = {
        kind: v.kind,
        title: v.title,
        summary: v.summary,
        orgId,
        topics: v.topics ?? [],
        visibility: 'subtree',
        ...(v.kind === 'article'
          ? {
              body: (v.body ?? '')
                .split(/\n+/)
                .map((p) => `<p>${p.replace(/[<>&]/g, '')}</p>`)
                .join(''),
            }
          : {}),
        ...(v.duration ? { duration: Number(v.duration) } : {}),
      };
      if (v.kind !== 'article' && !file) throw new Error(t('learning.admin.needFile'));
      return createContent(
        fields,
        { file: v.kind === 'article' ? null : file, cover },
        {
          onProgress: (loaded, total) => setPercent(Math.round((loaded / Math.max(1, total)) * 100)),
        },
      );
    },
    onSuccess: () => {
      void message.success(t('learning.admin.created'));
      void qc.invalidateQueries({ queryKey: LEARNING_KEY });
      form.resetFields();
      setFile(null);
      setCover(null);
      setPercent(null);
      onClose();
    },
    onError: (e) => {
      setPercent(null);
      void message.error(errorText(e));
    },
  });
  return (
    <Modal
      open={open}
      title={t('learning.admin.uploadTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      width={620}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={{ kind: 'micro_lesson' }} onFinish={(v) => save.mutate(v)}>
        <Form.Item name="kind" label={t('learning.admin.kindLabel')}>
          <Select options={CONTENT_KINDS.map((k) => ({ value: k, label: t(`learning.kind.${k}`) }))} />
        </Form.Item>
        <Form.Item name="title" label={t('learning.admin.title')} rules={[{ required: true, min: 2 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="summary" label={t('learning.admin.summaryLabel')}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="topics" label={t('learning.admin.topics')}>
          <Select mode="tags" options={SUGGESTED_TOPICS.map((x) => ({ value: x, label: x }))} />
        </Form.Item>
        {kind === 'article' ? (
          <Form.Item
            name="body"
            label={t('learning.admin.body')}
            extra={t('learning.admin.bodyHint')}
            rules={[{ required: true, message: t('learning.admin.needBody') }]}
          >
            <Input.TextArea rows={8} />
          </Form.Item>
        ) : (
          <>
            <Form.Item label={t('learning.admin.file')} extra={t('learning.admin.fileHint')} required>
              <Upload
                maxCount={1}
                accept={
                  kind === 'document'
                    ? 'application/pdf'
                    : kind === 'micro_talk'
                      ? 'audio/*,video/mp4'
                      : 'video/*,audio/*'
                }
                beforeUpload={(f) => {
                  setFile(f);
                  void mediaDuration(f).then((d) => d && form.setFieldValue('duration', d));
                  return false;
                }}
                onRemove={() => setFile(null)}
              >
                <Button icon={<UploadOutlined />}>{t('learning.admin.pickFile')}</Button>
              </Upload>
            </Form.Item>
            {kind !== 'document' ? (
              <Form.Item name="duration" label={`${t('learning.admin.duration')} (s)`} rules={[{ required: true }]}>
                <Input type="number" min={1} />
              </Form.Item>
            ) : null}
            <Form.Item label={t('learning.admin.cover')}>
              <Upload
                maxCount={1}
                accept="image/jpeg,image/png,image/webp"
                beforeUpload={(f) => {
                  setCover(f);
                  return false;
                }}
                onRemove={() => setCover(null)}
              >
                <Button icon={<UploadOutlined />}>{t('learning.admin.pickFile')}</Button>
              </Upload>
            </Form.Item>
          </>
        )}
        {percent !== null ? (
          <Progress percent={percent} format={(p) => t('learning.admin.uploading', { percent: p })} />
        ) : null}
      </Form>
    </Modal>
  );
}

export function ContentAdminPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const { orgId, orgName } = useLearningOrg();
  const [status, setStatus] = useState<ContentStatus | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [uploading, setUploading] = useState(false);
  const query = useQuery({
    queryKey: [...ADMIN_KEY, orgId, status, page],
    queryFn: () => fetchContents({ org: orgId ?? undefined, status, page, pageSize: 20 }),
    enabled: orgId !== null,
  });
  const act = useMutation({
    mutationFn: ({ id, action, note }: { id: number; action: ContentAction; note?: string }) =>
      contentAction(id, action, note),
    onSuccess: () => {
      void message.success(t('learning.admin.actionDone'));
      void qc.invalidateQueries({ queryKey: LEARNING_KEY });
    },
    onError: (e) => void message.error(errorText(e)),
  });
  const reject = (item: ContentItem) => {
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
      onOk: () => act.mutateAsync({ id: item.id, action: 'reject', note }),
    });
  };
  return (
    <Card
      title={`${t('menu.learnContent')} · ${orgName}`}
      extra={
        <Space>
          <Select
            allowClear
            placeholder={t('learning.admin.allStatuses')}
            style={{ width: 140 }}
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            options={CONTENT_STATUSES.map((s) => ({ value: s, label: t(`learning.status.${s}`) }))}
          />
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setUploading(true)}
            disabled={!orgId}
            data-testid="content-upload"
          >
            {t('learning.admin.upload')}
          </Button>
        </Space>
      }
    >
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Table
        rowKey="id"
        loading={query.isLoading}
        dataSource={query.data?.items ?? []}
        data-testid="content-table"
        pagination={{
          current: page,
          pageSize: 20,
          total: query.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        columns={[
          { title: t('learning.admin.title'), dataIndex: 'title', ellipsis: true },
          { title: t('learning.admin.kindLabel'), render: (_, c) => t(`learning.kind.${c.kind}`), width: 90 },
          { title: t('learning.admin.duration'), render: (_, c) => formatDuration(c.duration), width: 90 },
          { title: t('learning.admin.org'), dataIndex: 'orgName', ellipsis: true },
          {
            title: t('learning.admin.statusLabel'),
            width: 100,
            render: (_, c) => <Tag color={STATUS_COLOR[c.status]}>{t(`learning.status.${c.status}`)}</Tag>,
          },
          {
            title: t('common.actions'),
            width: 220,
            render: (_, c) => (
              <Space size={0}>
                {c.status === 'draft' || c.status === 'withdrawn' ? (
                  <Button type="link" onClick={() => act.mutate({ id: c.id, action: 'submit' })}>
                    {t('learning.admin.submit')}
                  </Button>
                ) : null}
                {c.status === 'pending' ? (
                  <>
                    <Button
                      type="link"
                      onClick={() => act.mutate({ id: c.id, action: 'publish' })}
                      data-testid={`publish-${c.id}`}
                    >
                      {t('learning.admin.publish')}
                    </Button>
                    <Button type="link" danger onClick={() => reject(c)}>
                      {t('learning.admin.reject')}
                    </Button>
                  </>
                ) : null}
                {c.status === 'published' ? (
                  <Button type="link" danger onClick={() => act.mutate({ id: c.id, action: 'withdraw' })}>
                    {t('learning.admin.withdraw')}
                  </Button>
                ) : null}
                <Button type="link" href={`/learn/content/${c.id}`}>
                  {t('learning.admin.preview')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {orgId ? <UploadModal orgId={orgId} open={uploading} onClose={() => setUploading(false)} /> : null}
    </Card>
  );
}
