/**
 * `/members/import` 党员批量导入: download the template; upload a filled sheet (upload progress, then "校验中…"
 * while the server checks it); the preview lists every problem by row, column and reason, with the marked error
 * workbook to download; the commit (all rows or none) is offered only for a clean sheet.
 */
import { CheckCircleOutlined, DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Progress,
  Result,
  Row,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, saveFile } from '../../api/client';
import { downloadImportErrors, downloadImportTemplate, importMembers, MEMBERS_KEY } from '../../api/members';
import { STAFFING_KEY, TRAINING_KEY } from '../../api/staffing';
import type { ImportError, ImportResult } from '../../api/types';
import { useErrorText } from '../../hooks/useErrorText';
import { useReasonText } from '../../hooks/useReasonText';

const MAX_BYTES = 20 * 1024 * 1024;

type Phase = 'idle' | 'uploading' | 'checking' | 'preview' | 'committing' | 'done';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function counts(result: ImportResult) {
  const { rows, created, updated, unchanged } = result;
  return { rows, created, updated, unchanged };
}

/** Seconds since `since` while it is set, ticking once a second. */
function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}

function ErrorList({ file, errors }: { file: File; errors: ImportError[] }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const reason = useReasonText();
  const [column, setColumn] = useState<string | null>(null);
  const [downloading, setDownloading] = useState(false);
  const byColumn = useMemo(() => {
    const counts = new Map<string, number>();
    for (const e of errors) counts.set(e.column, (counts.get(e.column) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1]);
  }, [errors]);
  // By row, as one reads the sheet (the server lists them by kind of check).
  const sorted = useMemo(() => [...errors].sort((a, b) => a.row - b.row), [errors]);
  const shown = useMemo(() => (column === null ? sorted : sorted.filter((e) => e.column === column)), [sorted, column]);

  const download = async () => {
    setDownloading(true);
    try {
      saveFile(await downloadImportErrors(file));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setDownloading(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('memberImport.errorsTitle')}
      extra={
        <Button icon={<DownloadOutlined />} loading={downloading} onClick={download} data-testid="btn-download-errors">
          {t('memberImport.downloadErrors')}
        </Button>
      }
    >
      <Flex gap={6} wrap align="center" style={{ marginBottom: 12 }}>
        <Typography.Text type="secondary">{t('memberImport.byColumn')}：</Typography.Text>
        {byColumn.map(([name, count]) => (
          <Tag.CheckableTag
            key={name}
            checked={column === name}
            onChange={(checked) => setColumn(checked ? name : null)}
          >
            {name || t('memberImport.wholeSheet')} × {count}
          </Tag.CheckableTag>
        ))}
      </Flex>
      <Table<ImportError>
        data-testid="import-errors-table"
        size="small"
        rowKey={(e) => `${e.row}:${e.column}:${e.message}`}
        dataSource={shown}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: 560 }}
        columns={[
          { key: 'row', title: t('memberImport.row'), dataIndex: 'row', width: 80 },
          {
            key: 'column',
            title: t('memberImport.column'),
            width: 120,
            render: (_, e) => <Tag color="red">{e.column || t('memberImport.wholeSheet')}</Tag>,
          },
          {
            key: 'reason',
            title: t('memberImport.reason'),
            render: (_, e) => <span title={e.message}>{reason(e.message)}</span>,
          },
        ]}
      />
      <Typography.Text type="secondary">{t('memberImport.errorsFileHint')}</Typography.Text>
    </Card>
  );
}

export function ImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [phase, setPhase] = useState<Phase>('idle');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState({ loaded: 0, total: 0 });
  const [since, setSince] = useState<number | null>(null);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [result, setResult] = useState<ImportResult | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [templateBusy, setTemplateBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const elapsed = useElapsed(since);
  const busy = phase === 'uploading' || phase === 'checking' || phase === 'committing';

  useEffect(() => () => abort.current?.abort(), []);

  const describe = (error: unknown) => {
    if (error instanceof ApiError && error.code === 'unsupported_media_type') return t('memberImport.wrongType');
    return errorText(error);
  };

  /** Sends the file (dry run or commit) and follows its progress. */
  const send = async (target: File, dryRun: boolean) => {
    const controller = new AbortController();
    abort.current = controller;
    setFailure(null);
    setProgress({ loaded: 0, total: target.size });
    setSince(Date.now());
    setPhase(dryRun ? 'uploading' : 'committing');
    try {
      const answer = await importMembers(target, dryRun, {
        signal: controller.signal,
        onProgress: (loaded, total) => setProgress({ loaded, total }),
        onUploaded: () => {
          if (dryRun) setPhase('checking');
        },
      });
      if (answer.committed) {
        setResult(answer);
        setPhase('done');
        await Promise.all([
          client.invalidateQueries({ queryKey: MEMBERS_KEY }),
          client.invalidateQueries({ queryKey: STAFFING_KEY }),
          client.invalidateQueries({ queryKey: TRAINING_KEY }),
        ]);
      } else {
        // A dry run, or a commit refused because the roster changed since the preview: show the problems.
        setPreview(answer);
        setPhase('preview');
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'aborted') {
        setPhase(preview ? 'preview' : 'idle');
      } else {
        setFailure(describe(error));
        setPhase(dryRun ? 'idle' : 'preview');
      }
    } finally {
      setSince(null);
      abort.current = null;
    }
  };

  const pick = (picked: File) => {
    if (!/\.xlsx$/i.test(picked.name)) {
      message.error(t('memberImport.wrongType'));
      return;
    }
    if (picked.size > MAX_BYTES) {
      message.error(t('memberImport.tooLarge'));
      return;
    }
    setFile(picked);
    setPreview(null);
    setResult(null);
    void send(picked, true);
  };

  const downloadTemplate = async () => {
    setTemplateBusy(true);
    try {
      saveFile(await downloadImportTemplate());
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setTemplateBusy(false);
    }
  };

  const reset = () => {
    setFile(null);
    setPreview(null);
    setResult(null);
    setFailure(null);
    setPhase('idle');
  };

  const step = phase === 'done' ? 2 : preview?.ok ? 2 : 1;
  const percent = progress.total > 0 ? Math.round((progress.loaded / progress.total) * 100) : 0;

  const dropzone = (
    <Upload.Dragger
      accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
      multiple={false}
      showUploadList={false}
      disabled={busy}
      beforeUpload={(picked) => {
        pick(picked);
        return false;
      }}
      data-testid="import-dropzone"
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{t('memberImport.dragText')}</p>
      <p className="ant-upload-hint">{t('memberImport.dragHint')}</p>
    </Upload.Dragger>
  );

  const working = busy ? (
    <Card size="small" data-testid="import-progress">
      <Space orientation="vertical" size={12} style={{ width: '100%' }}>
        <Typography.Text strong>
          <FileExcelOutlined /> {file ? t('memberImport.file', { name: file.name, size: formatSize(file.size) }) : null}
        </Typography.Text>
        {phase === 'checking' ? (
          <Flex gap={12} align="center" data-testid="import-checking">
            <Spin />
            <div>
              <Typography.Text strong>{t('memberImport.checking')}</Typography.Text>
              <br />
              <Typography.Text type="secondary">{t('memberImport.checkingHint')}</Typography.Text>
            </div>
          </Flex>
        ) : (
          <>
            <Typography.Text>
              {phase === 'committing'
                ? t('memberImport.committing')
                : t('memberImport.uploading', { name: file?.name ?? '' })}
            </Typography.Text>
            <Progress percent={percent} status="active" />
            <Typography.Text type="secondary">
              {t('memberImport.uploaded', {
                loaded: formatSize(progress.loaded),
                total: formatSize(progress.total),
              })}
              {phase === 'committing' ? ` · ${t('memberImport.committingHint')}` : ''}
            </Typography.Text>
          </>
        )}
        <Flex justify="space-between" align="center">
          <Typography.Text type="secondary">{t('memberImport.elapsed', { seconds: elapsed })}</Typography.Text>
          {phase === 'committing' && progress.total > 0 && progress.loaded >= progress.total ? null : (
            // Once a commit's file has reached the server it cannot be called back: no cancel then.
            <Button size="small" onClick={() => abort.current?.abort()} data-testid="btn-cancel-import">
              {t('memberImport.cancel')}
            </Button>
          )}
        </Flex>
      </Space>
    </Card>
  ) : null;

  const previewPanel =
    phase === 'preview' && preview && file ? (
      <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="import-preview">
        <Typography.Text type="secondary">
          <FileExcelOutlined /> {t('memberImport.file', { name: file.name, size: formatSize(file.size) })}
        </Typography.Text>
        {preview.ok ? (
          <Alert
            type="success"
            showIcon
            title={
              <span data-testid="import-preview-summary">{t('memberImport.previewOk', { rows: preview.rows })}</span>
            }
            description={t('memberImport.previewOkCounts', counts(preview))}
          />
        ) : (
          <Alert
            type="error"
            showIcon
            title={
              <span data-testid="import-preview-summary">
                {t('memberImport.previewFailed', { count: preview.errors.length, rows: preview.rows })}
              </span>
            }
            description={t('memberImport.previewFailedHint')}
          />
        )}
        {preview.errors.length > 0 ? <ErrorList file={file} errors={preview.errors} /> : null}
        <Flex gap={8} wrap>
          <Button
            type="primary"
            icon={<CheckCircleOutlined />}
            disabled={!preview.ok}
            onClick={() => void send(file, false)}
            data-testid="btn-commit-import"
          >
            {t('memberImport.commit', { rows: preview.rows })}
          </Button>
          <Button onClick={reset} data-testid="btn-reupload">
            {t('memberImport.reupload')}
          </Button>
        </Flex>
      </Space>
    ) : null;

  const done =
    phase === 'done' && result ? (
      <Result
        status="success"
        title={t('memberImport.doneTitle')}
        subTitle={<span data-testid="import-result-summary">{t('memberImport.doneSummary', counts(result))}</span>}
        data-testid="import-result"
        extra={[
          <Button type="primary" key="roster" onClick={() => navigate('/members')}>
            {t('memberImport.toRoster')}
          </Button>,
          <Button key="again" onClick={reset}>
            {t('memberImport.another')}
          </Button>,
        ]}
      />
    ) : null;

  return (
    <Card title={t('memberImport.title')}>
      <Steps
        current={step}
        status={phase === 'done' ? 'finish' : preview && !preview.ok ? 'error' : 'process'}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('memberImport.steps.template') },
          { title: t('memberImport.steps.upload') },
          { title: t('memberImport.steps.commit') },
        ]}
      />
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={8}>
          <Card size="small" title={`1. ${t('memberImport.steps.template')}`}>
            <Typography.Paragraph type="secondary">{t('memberImport.templateHint')}</Typography.Paragraph>
            <Button
              icon={<DownloadOutlined />}
              loading={templateBusy}
              onClick={downloadTemplate}
              data-testid="btn-download-template"
            >
              {t('memberImport.downloadTemplate')}
            </Button>
          </Card>
        </Col>
        <Col xs={24} lg={16}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            {failure ? (
              <Alert
                type="error"
                showIcon
                title={t('memberImport.failedTitle')}
                description={failure}
                closable={{ onClose: () => setFailure(null) }}
                data-testid="import-failure"
              />
            ) : null}
            {phase === 'idle' ? dropzone : null}
            {working}
            {previewPanel}
            {done}
          </Space>
        </Col>
      </Row>
    </Card>
  );
}
