/**
 * `/learning/bank` 题库与试卷: the question bank of the chosen organisation (answers and explanations shown: this
 * page is for publishers), the .xlsx import like the roster import (template; upload is checked first and every
 * problem listed by row and column; the commit, all rows or none, only for a clean sheet), and papers.
 */
import { DownloadOutlined, InboxOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Radio,
  Select,
  Table,
  Tabs,
  Tag,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../../../api/client';
import {
  createPaper,
  downloadQuestionTemplate,
  fetchPapers,
  fetchQuestions,
  importQuestions,
  LEARNING_KEY,
  type Paper,
  type PaperInput,
  type QuestionImportResult,
  type QuestionType,
  type QuestionView,
  SUGGESTED_TOPICS,
  TRUE_FALSE_OPTIONS,
} from '../../../api/learning';
import { QueryError } from '../../../components/QueryError';
import { useDebounced } from '../../../hooks/useDebounced';
import { useErrorText } from '../../../hooks/useErrorText';
import { useLearningOrg } from './useLearningOrg';

const LETTERS = 'ABCDEFGH';

function answerText(q: QuestionView): string {
  if (q.type === 'true_false') return q.answer.map((i) => TRUE_FALSE_OPTIONS[i] ?? '?').join('');
  return q.answer.map((i) => LETTERS[i] ?? '?').join('');
}

function QuestionsTab({ orgId }: { orgId?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const [page, setPage] = useState(1);
  const query = { org: orgId, q: q || undefined, page, pageSize: 20 };
  const list = useQuery({
    queryKey: [...LEARNING_KEY, 'questions', query],
    queryFn: () => fetchQuestions(query),
    enabled: orgId !== undefined,
  });
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Flex vertical gap={12}>
      <Input.Search allowClear style={{ width: 320 }} value={search} onChange={(e) => setSearch(e.target.value)} />
      <Table<QuestionView>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('learning.bank.empty') }}
        pagination={{
          current: page,
          pageSize: 20,
          total: list.data?.total ?? 0,
          onChange: setPage,
          showSizeChanger: false,
        }}
        expandable={{
          expandedRowRender: (row) => (
            <Flex vertical gap={4}>
              {row.type !== 'true_false'
                ? row.options.map((o, i) => (
                    <div key={o} style={{ fontWeight: row.answer.includes(i) ? 600 : undefined }}>
                      {LETTERS[i]}. {o}
                    </div>
                  ))
                : null}
              {row.explanation ? (
                <div>
                  {t('learning.bank.explanation')}：{row.explanation}
                </div>
              ) : null}
            </Flex>
          ),
        }}
        columns={[
          { title: t('learning.bank.stem'), dataIndex: 'stem', ellipsis: true },
          {
            title: t('learning.bank.type'),
            dataIndex: 'type',
            width: 100,
            render: (type: QuestionType) => <Tag>{t(`learning.questionType.${type}`)}</Tag>,
          },
          { title: t('learning.bank.answer'), key: 'answer', width: 90, render: (_, row) => answerText(row) },
          {
            title: t('learning.admin.topics'),
            dataIndex: 'topics',
            width: 240,
            render: (topics: string[]) => topics.map((x) => <Tag key={x}>{x}</Tag>),
          },
        ]}
      />
    </Flex>
  );
}

function ImportTab({ orgId }: { orgId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [result, setResult] = useState<QuestionImportResult | null>(null);
  const [percent, setPercent] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (f: File, dryRun: boolean) => {
    if (!orgId) return;
    setError(null);
    setPercent(0);
    try {
      const r = await importQuestions(f, orgId, dryRun, {
        onProgress: (loaded, total) => setPercent(Math.floor((loaded / total) * 100)),
      });
      setResult(r);
      if (r.committed) {
        message.success(t('learning.bank.committed', { n: r.created }));
        void client.invalidateQueries({ queryKey: LEARNING_KEY });
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setPercent(null);
    }
  };
  const template = async () => {
    try {
      saveFile(await downloadQuestionTemplate());
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Flex vertical gap={12} style={{ maxWidth: 900 }}>
      <div>
        <Button icon={<DownloadOutlined />} onClick={() => void template()}>
          {t('learning.bank.template')}
        </Button>
      </div>
      {!result?.committed ? (
        <Upload.Dragger
          accept=".xlsx"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            void run(f, true);
            return false;
          }}
          data-testid="question-upload"
        >
          <p className="ant-upload-drag-icon">
            <InboxOutlined />
          </p>
          <p>{file ? file.name : t('learning.bank.uploadHint')}</p>
        </Upload.Dragger>
      ) : null}
      {percent !== null ? <Progress percent={percent} strokeColor="#c4161c" /> : null}
      {error ? <Alert type="error" showIcon title={error} /> : null}
      {result && !result.committed && result.errors.length > 0 ? (
        <>
          <Alert type="error" showIcon title={t('learning.bank.errors', { n: result.errors.length })} />
          <Table
            size="small"
            rowKey={(r) => `${r.row}:${r.column}:${r.message}`}
            dataSource={result.errors}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { title: t('learning.bank.row'), dataIndex: 'row', width: 80 },
              { title: t('learning.bank.column'), dataIndex: 'column', width: 140 },
              { title: t('learning.bank.reason'), dataIndex: 'message' },
            ]}
            data-testid="question-import-errors"
          />
        </>
      ) : null}
      {result && !result.committed && result.ok && file ? (
        <Alert
          type="success"
          showIcon
          title={t('learning.bank.clean', { n: result.created })}
          action={
            <Button type="primary" loading={percent !== null} onClick={() => void run(file, false)}>
              {t('learning.bank.commit')}
            </Button>
          }
        />
      ) : null}
      {result?.committed ? (
        <Alert
          type="success"
          showIcon
          title={t('learning.bank.committed', { n: result.created })}
          action={
            <Button
              onClick={() => {
                setResult(null);
                setFile(null);
              }}
            >
              {t('learning.bank.another')}
            </Button>
          }
        />
      ) : null}
    </Flex>
  );
}

interface PaperValues {
  title: string;
  mode: 'fixed' | 'random';
  questionIds?: number[];
  topic?: string;
  questionCount?: number;
  timeLimitMinutes?: number | null;
  passMark: number;
  attemptsAllowed?: number | null;
}

function PapersTab({ orgId }: { orgId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<PaperValues>();
  const mode = Form.useWatch('mode', form);
  const list = useQuery({
    queryKey: [...LEARNING_KEY, 'papers', orgId ?? null],
    queryFn: () => fetchPapers({ org: orgId }),
    enabled: orgId !== undefined,
  });
  const bank = useQuery({
    queryKey: [...LEARNING_KEY, 'questions-all', orgId ?? null],
    queryFn: () => fetchQuestions({ org: orgId, pageSize: 200 }),
    enabled: open && orgId !== undefined,
  });
  const save = useMutation({
    mutationFn: (v: PaperValues) => {
      const input: PaperInput = {
        orgId: Number(orgId),
        title: v.title,
        mode: v.mode,
        timeLimitMinutes: v.timeLimitMinutes ?? null,
        passMark: v.passMark,
        attemptsAllowed: v.attemptsAllowed ?? null,
        ...(v.mode === 'fixed'
          ? { questionIds: v.questionIds ?? [] }
          : { topic: v.topic || null, questionCount: v.questionCount ?? 10 }),
      };
      return createPaper(input);
    },
    onSuccess: () => {
      message.success(t('learning.bank.paperCreated'));
      void client.invalidateQueries({ queryKey: LEARNING_KEY });
      setOpen(false);
      form.resetFields();
    },
    onError: (e) => message.error(errorText(e)),
  });
  if (list.error) return <QueryError error={list.error} onRetry={() => void list.refetch()} />;
  return (
    <Flex vertical gap={12}>
      <div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>
          {t('learning.bank.paperCreate')}
        </Button>
      </div>
      <Table<Paper>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: t('learning.bank.noPapers') }}
        pagination={false}
        columns={[
          { title: t('learning.bank.paperTitle'), dataIndex: 'title' },
          { title: t('learning.admin.org'), dataIndex: 'orgName' },
          {
            title: t('learning.bank.mode'),
            dataIndex: 'mode',
            width: 120,
            render: (m: string, row) =>
              m === 'fixed'
                ? t('learning.bank.fixed')
                : `${t('learning.bank.random')}${row.topic ? ` · ${row.topic}` : ''}`,
          },
          { title: t('learning.bank.count'), dataIndex: 'questionCount', width: 90 },
          {
            title: t('learning.bank.timeLimit'),
            dataIndex: 'timeLimitMinutes',
            width: 120,
            render: (m: number | null) => m ?? t('learning.quiz.noLimit'),
          },
          { title: t('learning.bank.passMark'), dataIndex: 'passMark', width: 100 },
          {
            title: t('learning.bank.attempts'),
            dataIndex: 'attemptsAllowed',
            width: 100,
            render: (n: number | null) => n ?? t('learning.bank.unlimited'),
          },
        ]}
      />
      <Modal
        open={open}
        title={t('learning.bank.paperCreate')}
        onCancel={() => setOpen(false)}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        width={640}
        destroyOnHidden
      >
        <Form<PaperValues>
          form={form}
          layout="vertical"
          initialValues={{ mode: 'random', passMark: 60, attemptsAllowed: 3, timeLimitMinutes: 20, questionCount: 10 }}
          onFinish={(v) => save.mutate(v)}
        >
          <Form.Item name="title" label={t('learning.bank.paperTitle')} rules={[{ required: true, min: 2 }]}>
            <Input />
          </Form.Item>
          <Form.Item name="mode" label={t('learning.bank.mode')}>
            <Radio.Group
              optionType="button"
              options={[
                { value: 'random', label: t('learning.bank.random') },
                { value: 'fixed', label: t('learning.bank.fixed') },
              ]}
            />
          </Form.Item>
          {mode === 'fixed' ? (
            <Form.Item name="questionIds" label={t('learning.bank.pickQuestions')} rules={[{ required: true }]}>
              <Select
                mode="multiple"
                optionFilterProp="label"
                loading={bank.isLoading}
                options={(bank.data?.items ?? []).map((q) => ({ value: q.id, label: q.stem }))}
              />
            </Form.Item>
          ) : (
            <Flex gap={16}>
              <Form.Item name="topic" label={t('learning.bank.topic')} style={{ flex: 1 }}>
                <Select
                  allowClear
                  placeholder={t('learning.bank.anyTopic')}
                  options={SUGGESTED_TOPICS.map((value) => ({ value, label: value }))}
                />
              </Form.Item>
              <Form.Item name="questionCount" label={t('learning.bank.count')} rules={[{ required: true }]}>
                <InputNumber min={1} max={200} />
              </Form.Item>
            </Flex>
          )}
          <Flex gap={16}>
            <Form.Item name="timeLimitMinutes" label={t('learning.bank.timeLimit')}>
              <InputNumber min={1} max={600} placeholder={t('learning.quiz.noLimit')} />
            </Form.Item>
            <Form.Item name="passMark" label={t('learning.bank.passMark')} rules={[{ required: true }]}>
              <InputNumber min={0} max={100} />
            </Form.Item>
            <Form.Item name="attemptsAllowed" label={t('learning.bank.attempts')}>
              <InputNumber min={1} max={100} placeholder={t('learning.bank.unlimited')} />
            </Form.Item>
          </Flex>
        </Form>
      </Modal>
    </Flex>
  );
}

export function BankPage() {
  const { t } = useTranslation();
  const { orgId, orgName } = useLearningOrg();
  return (
    <Card title={`${t('learning.bank.title')}${orgName ? ` · ${orgName}` : ''}`}>
      <Tabs
        items={[
          { key: 'questions', label: t('learning.bank.questions'), children: <QuestionsTab orgId={orgId} /> },
          { key: 'import', label: t('learning.bank.import'), children: <ImportTab orgId={orgId} /> },
          { key: 'papers', label: t('learning.bank.papers'), children: <PapersTab orgId={orgId} /> },
        ]}
      />
    </Card>
  );
}
