/**
 * HTML5 video/audio with the member's progress: resumes at the saved position, reports a heartbeat
 * (`POST /api/learning/progress`) every 10 s while playing and at pause, end, seek, page hide and leave.
 * The server counts only what was actually played (a jump ahead counts nothing) and decides completion;
 * the bar shows its count.
 */
import { CheckCircleFilled } from '@ant-design/icons';
import { Alert, Flex, Progress, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { currentCsrfToken } from '../../api/client';
import {
  type ContentDetail,
  mediaUrl,
  type ProgressResult,
  reportProgress,
  reportProgressKeepalive,
} from '../../api/learning';
import { formatDuration } from './common';

const HEARTBEAT_MS = 10_000;

export function MediaPlayer({
  item,
  kind,
  onProgress,
}: {
  item: ContentDetail;
  kind: 'video' | 'audio';
  onProgress: (result: ProgressResult) => void;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  const [state, setState] = useState(() => ({
    played: item.progress?.playedSeconds ?? 0,
    required: item.requiredSeconds,
    completed: item.progress?.completed ?? false,
  }));
  const [resumedAt, setResumedAt] = useState<number | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const lastSent = useRef<number | null>(null);
  const lastTime = useRef(0);
  const sending = useRef(false);
  const onProgressRef = useRef(onProgress);
  onProgressRef.current = onProgress;

  const duration = useCallback(() => {
    const media = ref.current;
    return media && Number.isFinite(media.duration) ? media.duration : (item.duration ?? 0);
  }, [item.duration]);

  // One report at a time, in order; a report asked for meanwhile goes out right after (the last one wins).
  const pending = useRef<number | null>(null);
  const send = useCallback(
    async (position: number) => {
      if (sending.current) {
        pending.current = position;
        return;
      }
      sending.current = true;
      let next: number | null = position;
      while (next !== null) {
        lastSent.current = next;
        try {
          const result = await reportProgress(item.id, next, duration());
          setFailed(null);
          setState({ played: result.playedSeconds, required: result.requiredSeconds, completed: result.completed });
          onProgressRef.current(result);
        } catch {
          setFailed(t('learning.player.offline'));
        }
        next = pending.current;
        pending.current = null;
      }
      sending.current = false;
    },
    [item.id, duration, t],
  );

  // Heartbeat while playing.
  useEffect(() => {
    const timer = setInterval(() => {
      const media = ref.current;
      if (media && !media.paused && !media.ended) void send(media.currentTime);
    }, HEARTBEAT_MS);
    return () => clearInterval(timer);
  }, [send]);

  // The page goes away or hides (phone locked, app switched): a keepalive report of where it stands.
  useEffect(() => {
    const flush = () => {
      const media = ref.current;
      if (media && media.currentTime > 0)
        reportProgressKeepalive(item.id, media.currentTime, duration(), currentCsrfToken());
    };
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') flush();
    };
    document.addEventListener('visibilitychange', onVisibility);
    window.addEventListener('pagehide', flush);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      window.removeEventListener('pagehide', flush);
      flush();
    };
  }, [item.id, duration]);

  const onLoaded = () => {
    const media = ref.current;
    const saved = item.progress?.position ?? 0;
    if (!media || saved <= 0) return;
    const length = duration();
    // Resume where the member stopped, unless that was (almost) the end.
    if (length && saved < length - 3) {
      media.currentTime = saved;
      lastTime.current = saved;
      setResumedAt(saved);
    }
  };

  const required = state.required || 1;
  const percent = state.completed ? 100 : Math.min(99, Math.floor((state.played / required) * 100));
  const props = {
    ref,
    src: mediaUrl(item),
    controls: true,
    preload: 'metadata' as const,
    className: 'learn-media',
    'data-testid': 'learn-player',
    controlsList: 'nodownload',
    onLoadedMetadata: onLoaded,
    onTimeUpdate: () => {
      const media = ref.current;
      if (media && !media.seeking) lastTime.current = media.currentTime;
    },
    // Before a jump: report what was played up to it, so the jump starts a new stretch.
    onSeeking: () => void send(lastTime.current),
    onSeeked: () => {
      const media = ref.current;
      if (media) lastTime.current = media.currentTime;
    },
    onPause: () => {
      const media = ref.current;
      if (media && !media.ended && !media.seeking) void send(media.currentTime);
    },
    onEnded: () => {
      const media = ref.current;
      if (media) void send(media.duration);
    },
    onPlay: () => {
      const media = ref.current;
      // The start of a stretch of playing.
      if (media && lastSent.current === null) void send(media.currentTime);
    },
  };

  return (
    <Flex vertical gap={8}>
      {kind === 'video' ? (
        <video {...props} playsInline poster={item.coverUrl || undefined} />
      ) : (
        <>
          {item.coverUrl ? (
            <img
              src={item.coverUrl}
              alt=""
              style={{ width: '100%', maxHeight: 220, objectFit: 'cover', borderRadius: 8 }}
            />
          ) : null}
          <audio {...props} style={{ width: '100%' }} />
        </>
      )}
      {resumedAt !== null ? (
        <Typography.Text type="secondary" data-testid="learn-resumed">
          {t('learning.player.resumed', { time: formatDuration(resumedAt) })}
        </Typography.Text>
      ) : null}
      <Flex align="center" gap={8} data-testid="learn-progress" data-completed={state.completed ? 'true' : 'false'}>
        <Progress
          percent={percent}
          status={state.completed ? 'success' : 'active'}
          strokeColor={state.completed ? undefined : '#c4161c'}
          style={{ flex: 1, margin: 0 }}
        />
      </Flex>
      <Typography.Text type={state.completed ? 'success' : 'secondary'} data-testid="learn-progress-text">
        {state.completed ? (
          <>
            <CheckCircleFilled /> {t('learning.player.completed')}
          </>
        ) : (
          t('learning.player.counted', {
            played: formatDuration(state.played),
            required: formatDuration(state.required),
          })
        )}
      </Typography.Text>
      {failed ? <Alert type="warning" showIcon title={failed} /> : null}
    </Flex>
  );
}
