/**
 * `/learn/content/:id`: one item. Video and audio play in the page (MediaPlayer); articles are read in the page
 * and documents (PDF) open in the phone's own viewer or download — the CSP forbids framing our responses
 * (`frame-ancestors 'none'`) and phone browsers do not render PDFs inside a frame anyway. Reading time counts
 * while the page is visible, reported every 15 s; the server sets the minimum reading time by length.
 */
import { ArrowLeftOutlined, CheckCircleFilled, DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Flex, Progress, Skeleton, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { currentCsrfToken } from '../../api/client';
import {
  type ContentDetail,
  fetchContent,
  LEARNING_KEY,
  mediaUrl,
  type ProgressResult,
  reportProgress,
  reportProgressKeepalive,
} from '../../api/learning';
import { formatDate } from '../../components/format';
import { QueryError } from '../../components/QueryError';
import { formatDuration, KindTag, mediaKind } from './common';
import { MediaPlayer } from './MediaPlayer';

const READING_BEAT_MS = 15_000;

/** Counts seconds on the page while it is visible and reports them; the server decides when reading is done. */
function ReadingProgress({ item, onProgress }: { item: ContentDetail; onProgress: (r: ProgressResult) => void }) {
  const { t } = useTranslation();
  const [state, setState] = useState(() => ({
    played: item.progress?.playedSeconds ?? 0,
    required: item.requiredSeconds,
    completed: item.progress?.completed ?? false,
  }));
  const seconds = useRef(item.progress?.position ?? 0);
  const visibleSince = useRef<number | null>(document.visibilityState === 'visible' ? Date.now() : null);
  const onProgressRef = useRef(onProgress);
  onProgressRef.current = onProgress;

  const position = useCallback(() => {
    const since = visibleSince.current;
    const now = Date.now();
    if (since !== null) {
      seconds.current += (now - since) / 1000;
      visibleSince.current = now;
    }
    return seconds.current;
  }, []);

  useEffect(() => {
    const beat = async () => {
      try {
        const result = await reportProgress(item.id, position(), item.requiredSeconds);
        setState({ played: result.playedSeconds, required: result.requiredSeconds, completed: result.completed });
        onProgressRef.current(result);
      } catch {
        // the next beat tries again
      }
    };
    void beat();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void beat();
    }, READING_BEAT_MS);
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') {
        reportProgressKeepalive(item.id, position(), item.requiredSeconds, currentCsrfToken());
        visibleSince.current = null;
      } else {
        visibleSince.current = Date.now();
        void beat();
      }
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisibility);
      reportProgressKeepalive(item.id, position(), item.requiredSeconds, currentCsrfToken());
    };
  }, [item.id, item.requiredSeconds, position]);

  const percent = state.completed ? 100 : Math.min(99, Math.floor((state.played / (state.required || 1)) * 100));
  return (
    <Flex vertical gap={4} data-testid="learn-progress" data-completed={state.completed ? 'true' : 'false'}>
      <Progress
        percent={percent}
        status={state.completed ? 'success' : 'active'}
        strokeColor={state.completed ? undefined : '#c4161c'}
      />
      <Typography.Text type={state.completed ? 'success' : 'secondary'}>
        {state.completed ? (
          <>
            <CheckCircleFilled /> {t('learning.player.completed')}
          </>
        ) : (
          t('learning.reader.counted', { read: formatDuration(state.played), required: formatDuration(state.required) })
        )}
      </Typography.Text>
    </Flex>
  );
}

export function ContentPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const query = useQuery({ queryKey: [...LEARNING_KEY, 'content', id], queryFn: () => fetchContent(id) });
  const item = query.data;

  const onProgress = useCallback(
    (result: ProgressResult) => {
      if (result.justCompleted) {
        message.success(t('learning.player.justCompleted'));
        void client.invalidateQueries({ queryKey: LEARNING_KEY });
      }
    },
    [client, message, t],
  );

  const back = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0 }}>
      {t('learning.back')}
    </Button>
  );
  if (query.error) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (!item) return <Skeleton active />;
  const media = mediaKind(item);

  return (
    <Flex vertical gap={12} className="learn-page" data-testid="learn-content">
      <div>{back}</div>
      <Card size="small">
        <Flex vertical gap={8}>
          <Typography.Title level={4} style={{ margin: 0 }} data-testid="content-title">
            {item.title}
          </Typography.Title>
          <Flex gap={6} wrap align="center">
            <KindTag kind={item.kind} />
            {item.duration ? <Tag>{formatDuration(item.duration)}</Tag> : null}
            {item.topics.map((topic) => (
              <Tag key={topic} color="gold">
                {topic}
              </Tag>
            ))}
          </Flex>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {item.orgName} · {formatDate(item.publishedAt?.slice(0, 10))}
          </Typography.Text>
          {media === 'video' || media === 'audio' ? (
            <MediaPlayer item={item} kind={media} onProgress={onProgress} />
          ) : item.progress ? (
            <ReadingProgress item={item} onProgress={onProgress} />
          ) : null}
        </Flex>
      </Card>
      {item.summary ? (
        <Card size="small" title={t('learning.summary')}>
          <Typography.Paragraph style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}>
            {item.summary}
          </Typography.Paragraph>
        </Card>
      ) : null}
      {media === 'pdf' ? (
        <Card size="small" data-testid="learn-document">
          <Flex vertical gap={8}>
            <Button
              type="primary"
              size="large"
              block
              icon={<FilePdfOutlined />}
              href={mediaUrl(item)}
              target="_blank"
              rel="noopener"
              data-testid="document-open"
            >
              {t('learning.reader.openPdf')}
            </Button>
            <Button
              size="large"
              block
              icon={<DownloadOutlined />}
              href={mediaUrl(item)}
              download
              data-testid="document-download"
            >
              {t('learning.reader.download')}
              {item.size ? ` (${(item.size / 1024 / 1024).toFixed(1)} MB)` : ''}
            </Button>
            <Typography.Text type="secondary">{t('learning.reader.pdfHint')}</Typography.Text>
          </Flex>
        </Card>
      ) : null}
      {item.body ? (
        <Card size="small">
          <div
            className="learn-article"
            data-testid="learn-article"
            // biome-ignore lint/security/noDangerouslySetInnerHtml: the server sanitises article HTML before storing it.
            dangerouslySetInnerHTML={{ __html: item.body }}
          />
        </Card>
      ) : null}
    </Flex>
  );
}
