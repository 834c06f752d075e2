/** Small pieces the learning pages share: kind tag and icon, durations, the content card of lists, due-date tags. */
import {
  AudioOutlined,
  CheckCircleFilled,
  FilePdfOutlined,
  FileTextOutlined,
  PlayCircleOutlined,
  VideoCameraOutlined,
} from '@ant-design/icons';
import { Flex, Progress, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ContentItem, ContentKind } from '../../api/learning';

const KIND_COLOR: Record<ContentKind, string> = {
  micro_lesson: 'red',
  micro_talk: 'orange',
  micro_film: 'volcano',
  article: 'blue',
  document: 'geekblue',
};

/** What the player shows for an item: its mime type decides (a 微宣讲 may be audio or an article). */
export function mediaKind(item: Pick<ContentItem, 'mime'>): 'video' | 'audio' | 'pdf' | null {
  const mime = item.mime ?? '';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  if (mime === 'application/pdf') return 'pdf';
  return null;
}

export function kindIcon(item: Pick<ContentItem, 'kind' | 'mime'>): ReactNode {
  const media = mediaKind(item);
  if (media === 'audio') return <AudioOutlined />;
  if (media === 'video') return item.kind === 'micro_film' ? <VideoCameraOutlined /> : <PlayCircleOutlined />;
  if (item.kind === 'document' || media === 'pdf') return <FilePdfOutlined />;
  return <FileTextOutlined />;
}

export function KindTag({ kind }: { kind: ContentKind }) {
  const { t } = useTranslation();
  return (
    <Tag color={KIND_COLOR[kind]} style={{ marginInlineEnd: 0 }}>
      {t(`learning.kind.${kind}`)}
    </Tag>
  );
}

/** `3:05` / `1:02:03` for seconds. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const total = Math.max(0, Math.round(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Percent of the study that counts (played or read seconds, as the server counted them) toward completion. */
export function progressPercent(item: Pick<ContentItem, 'requiredSeconds' | 'progress'>): number {
  const progress = item.progress;
  if (!progress) return 0;
  if (progress.completed) return 100;
  if (!item.requiredSeconds) return 0;
  return Math.min(99, Math.floor((progress.playedSeconds / item.requiredSeconds) * 100));
}

/** Today in Asia/Shanghai, `YYYY-MM-DD`. */
export function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function daysUntil(date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${shanghaiToday()}T00:00:00Z`)) / 86_400_000);
}

export function DueTag({ dueDate, done }: { dueDate: string; done?: boolean }) {
  const { t } = useTranslation();
  if (done) return <Tag color="success">{t('learning.done')}</Tag>;
  const days = daysUntil(dueDate);
  if (days < 0) return <Tag color="red">{t('learning.overdue', { date: dueDate })}</Tag>;
  return (
    <Tag color={days <= 3 ? 'red' : days <= 7 ? 'orange' : 'default'}>
      {days === 0 ? t('learning.dueToday') : t('learning.dueIn', { days, date: dueDate })}
    </Tag>
  );
}

export function Cover({ item, size = 72 }: { item: ContentItem; size?: number }) {
  const url = item.coverUrl;
  const style = { width: size * 1.4, height: size, borderRadius: 6, flex: 'none' as const };
  if (url) return <img src={url} alt="" style={{ ...style, objectFit: 'cover', background: '#f0f0f0' }} />;
  return (
    <Flex align="center" justify="center" style={{ ...style, background: '#fff1f0', color: '#c4161c', fontSize: 28 }}>
      {kindIcon(item)}
    </Flex>
  );
}

/** One row of a content list: cover, title, kind, length, the member's progress. Touch target = whole row. */
export function ContentRow({ item }: { item: ContentItem }) {
  const { t } = useTranslation();
  const percent = progressPercent(item);
  return (
    <Link to={`/learn/content/${item.id}`} className="learn-row" data-testid={`content-${item.id}`}>
      <Cover item={item} />
      <Flex vertical gap={4} style={{ minWidth: 0, flex: 1 }}>
        <Typography.Text strong ellipsis={{ tooltip: item.title }} style={{ fontSize: 15 }}>
          {item.title}
        </Typography.Text>
        <Flex gap={6} align="center" wrap>
          <KindTag kind={item.kind} />
          {item.duration ? <Typography.Text type="secondary">{formatDuration(item.duration)}</Typography.Text> : null}
          {item.progress?.completed ? (
            <Typography.Text type="success">
              <CheckCircleFilled /> {t('learning.done')}
            </Typography.Text>
          ) : null}
        </Flex>
        {item.progress && item.progress.position > 0 && !item.progress.completed ? (
          <Progress percent={percent} size="small" showInfo={false} strokeColor="#c4161c" />
        ) : null}
      </Flex>
    </Link>
  );
}
