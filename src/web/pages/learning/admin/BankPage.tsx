/**
 * `/learning/bank` 题库与试卷 (desktop): the question bank of the current organisation with the answer and
 * explanation (publishers only ever see them here), the .xlsx import (template, check with row/column errors,
 * then import all or nothing, like the roster import), and papers: fixed questions or drawn at random by topic,
 * with time limit, pass mark and attempts.
 */
import { DownloadOutlined, InboxOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type PaperInput, type QuestionImportResult, SUGGESTED_TOPICS } from '../../../../shared/learning';
import { saveFile } from '../../../api/client';
import {
  createPaper,
  downloadQuestionTemplate,
  fetchPapers,
  fetchQuestions,
  importQuestions,
  LEARNING_KEY,
} from '../../../api/learning';
import { QueryError } from '../../../components/QueryError';
import { useErrorText } from '../../../hooks/useErrorText';
import { useLearningOrg } from './useLearningOrg';

const BANK_KEY = [...LEARNING_KEY, 'bank'] as const;
const letter = (i: number) => String.fromCharCode(65 + i);

function Questions({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [q, setQ] = useState('');
  const query = useQuery({
    queryKey: [...BANK_KEY, 'questions', orgId, q, page],
    queryFn: () => fetchQuestions({ org: orgId, q: q || undefined, page, pageSize: 20 }),
  });
  return (
    <>
      <Input.Search
        allowClear
        placeholder={t('learning.bank.stem')}
        onSearch={(v) => {
          setQ(v);
          setPage(1);
        }}
        style={{ maxWidth: 320, marginBottom: 12 }}
      />
      {query.error ? <QueryError error={query.error} onRetry={() => void query.refetch()} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={query.isLoading}
        dataSource={query.data?.items ?? []}
        locale={{ emptyText: t('learning.bank.empty') }}
        pagination={{
          current: page,
          pageSize: 20,
          total: query.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        data-testid="questions-table"
        columns={[
          { title: t('learning.bank.type'), width: 80, render: (_, x) => t(`learning.questionType.${x.type}`) },
          {
            title: t('learning.bank.stem'),
            render: (_, x) => (
              <>
                <div>{x.stem}</div>
                <div style={{ color: '#8c8c8c', fontSize: 12 }}>
                  {x.options.map((o, i) => `${letter(i)}. ${o}`).join('　')}
                </div>
              </>
            ),
          },
          { title: t('learning.bank.answer'), width: 70, render: (_, x) => x.answer.map(letter).join('') },
          { title: t('learning.bank.explanation'), dataIndex: 'explanation', ellipsis: true },
          {
            title: t('learning.admin.topics'),
            width: 160,
            render: (_, x) => x.topics.map((tp) => <Tag key={tp}>{tp}</Tag>),
          },
        ]}
      />
    </>
  );
}

function Import({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<QuestionImportResult | null>(null);
  const check = useMutation({
    mutationFn: ({ f, dryRun }: { f: File; dryRun: boolean }) => importQuestions(f, orgId, dryRun),
    onSuccess: (r) => {
      setResult(r);
      if (r.committed) {
        void message.success(t('learning.bank.committed', { n: r.created }));
        void qc.invalidateQueries({ queryKey: BANK_KEY });
      }
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button
        icon={<DownloadOutlined />}
        onClick={() =>
          downloadQuestionTemplate()
            .then(saveFile)
            .catch((e) => void message.error(errorText(e)))
        }
      >
        {t('learning.bank.template')}
      </Button>
      {!result || result.committed ? (
        <Upload.Dragger
          accept=".xlsx"
          showUploadList={false}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            check.mutate({ f, dryRun: true });
            return false;
          }}
          data-testid="questions-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{check.isPending ? t('learning.bank.checking') : t('learning.bank.uploadHint')}</p>
        </Upload.Dragger>
      ) : null}
      {result && !result.ok ? (
        <>
          <Alert type="error" showIcon message={t('learning.bank.errors', { n: result.errors.length })} />
          <Table
            size="small"
            rowKey={(e) => `${e.row}:${e.column}:${e.message}`}
            dataSource={result.errors}
            pagination={{ pageSize: 10 }}
            columns={[
              { title: t('learning.bank.row'), dataIndex: 'row', width: 70 },
              { title: t('learning.bank.column'), dataIndex: 'column', width: 120 },
              { title: t('learning.bank.reason'), dataIndex: 'message' },
            ]}
          />
          <Button onClick={() => setResult(null)}>{t('learning.bank.another')}</Button>
        </>
      ) : null}
      {result?.ok && !result.committed ? (
        <>
          <Alert type="success" showIcon message={t('learning.bank.clean', { n: result.created })} />
          <Space>
            <Button
              type="primary"
              loading={check.isPending}
              onClick={() => file && check.mutate({ f: file, dryRun: false })}
              data-testid="questions-commit"
            >
              {t('learning.bank.commit')}
            </Button>
            <Button onClick={() => setResult(null)}>{t('common.cancel')}</Button>
          </Space>
        </>
      ) : null}
    </Space>
  );
}

interface PaperForm {
  title: string;
  mode: 'fixed' | 'random';
  questionIds?: number[];
  topic?: string | null;
  questionCount?: number;
  timeLimitMinutes?: number | null;
  passMark: number;
  attemptsAllowed?: number | null;
}

function Papers({ orgId }: { orgId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<PaperForm>();
  const mode = Form.useWatch('mode', form) ?? 'random';
  const papers = useQuery({ queryKey: [...BANK_KEY, 'papers', orgId], queryFn: () => fetchPapers({ org: orgId }) });
  const questions = useQuery({
    queryKey: [...BANK_KEY, 'all-questions', orgId],
    queryFn: () => fetchQuestions({ org: orgId, pageSize: 200 }),
    enabled: open,
  });
  const save = useMutation({
    mutationFn: (v: PaperForm) => {
      const input: PaperInput = {
        orgId,
        title: v.title,
        mode: v.mode,
        passMark: v.passMark,
        timeLimitMinutes: v.timeLimitMinutes ?? null,
        attemptsAllowed: v.attemptsAllowed ?? null,
        ...(v.mode === 'fixed'
          ? { questionIds: v.questionIds ?? [] }
          : { topic: v.topic ?? null, questionCount: v.questionCount }),
      };
      return createPaper(input);
    },
    onSuccess: () => {
      void message.success(t('learning.bank.paperCreated'));
      void qc.invalidateQueries({ queryKey: BANK_KEY });
      setOpen(false);
      form.resetFields();
    },
    onError: (e) => void message.error(errorText(e)),
  });
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)} style={{ marginBottom: 12 }}>
        {t('learning.bank.paperCreate')}
      </Button>
      {papers.error ? <QueryError error={papers.error} onRetry={() => void papers.refetch()} /> : null}
      <Table
        rowKey="id"
        size="small"
        loading={papers.isLoading}
        dataSource={papers.data?.items ?? []}
        locale={{ emptyText: t('learning.bank.noPapers') }}
        columns={[
          { title: t('learning.bank.paperTitle'), dataIndex: 'title' },
          {
            title: t('learning.bank.mode'),
            render: (_, p) =>
              p.mode === 'fixed'
                ? t('learning.bank.fixed')
                : `${t('learning.bank.random')}${p.topic ? ` · ${p.topic}` : ''}`,
          },
          { title: t('learning.bank.count'), dataIndex: 'questionCount', width: 90 },
          {
            title: t('learning.bank.timeLimit'),
            width: 110,
            render: (_, p) => p.timeLimitMinutes ?? t('learning.bank.unlimited'),
          },
          { title: t('learning.bank.passMark'), dataIndex: 'passMark', width: 100 },
          {
            title: t('learning.bank.attempts'),
            width: 100,
            render: (_, p) => p.attemptsAllowed ?? t('learning.bank.unlimited'),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('learning.bank.paperCreate')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          initialValues={{ mode: 'random', passMark: 60, questionCount: 10, attemptsAllowed: 3, timeLimitMinutes: 20 }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="title" label={t('learning.bank.paperTitle')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="mode" label={t('learning.bank.mode')}>
            <Radio.Group>
              <Radio.Button value="random">{t('learning.bank.random')}</Radio.Button>
              <Radio.Button value="fixed">{t('learning.bank.fixed')}</Radio.Button>
            </Radio.Group>
          </Form.Item>
          {mode === 'fixed' ? (
            <Form.Item name="questionIds" label={t('learning.bank.pickQuestions')} rules={[{ required: true }]}>
              <Select
                mode="multiple"
                optionFilterProp="label"
                loading={questions.isLoading}
                options={(questions.data?.items ?? []).map((x) => ({ value: x.id, label: x.stem }))}
              />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="topic" label={t('learning.bank.topic')}>
                <Select
                  allowClear
                  placeholder={t('learning.bank.anyTopic')}
                  options={SUGGESTED_TOPICS.map((x) => ({ value: x, label: x }))}
                />
              </Form.Item>
              <Form.Item name="questionCount" label={t('learning.bank.count')} rules={[{ required: true }]}>
                <InputNumber min={1} max={200} />
              </Form.Item>
            </>
          )}
          <Space size="large">
            <Form.Item name="timeLimitMinutes" label={t('learning.bank.timeLimit')}>
              <InputNumber min={1} max={600} />
            </Form.Item>
            <Form.Item name="passMark" label={t('learning.bank.passMark')}>
              <InputNumber min={0} max={100} />
            </Form.Item>
            <Form.Item name="attemptsAllowed" label={t('learning.bank.attempts')}>
              <InputNumber min={1} max={100} />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </>
  );
}

export function BankPage() {
  const { t } = useTranslation();
  const { orgId: orgKey, orgName = '' } = useLearningOrg();
  const orgId = orgKey ? Number(orgKey) : null;
  return (
    <Card title={`${t('learning.bank.title')} · ${orgName}`}>
      {orgId ? (
        <Tabs
          items={[
            { key: 'questions', label: t('learning.bank.questions'), children: <Questions orgId={orgId} /> },
            { key: 'import', label: t('learning.bank.import'), children: <Import orgId={orgId} /> },
            { key: 'papers', label: t('learning.bank.papers'), children: <Papers orgId={orgId} /> },
          ]}
        />
      ) : null}
    </Card>
  );
}
