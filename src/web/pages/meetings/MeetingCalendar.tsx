/**
 * The plan as a month calendar: each day lists its meetings (time and title), coloured by the first type, with a
 * status dot (planned, draft, submitted); a click opens the meeting, a click on a day (for writers) plans one there.
 */
import { Badge, Calendar, Space, Tag, Tooltip } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { MEETING_TYPES } from '../../../shared/meetings';
import type { MeetingSummary } from '../../api/meetings';
import { STATUS_BADGE, TYPE_COLOR } from './meetingStyle';

interface Props {
  month: Dayjs;
  meetings: MeetingSummary[];
  onMonthChange: (month: Dayjs) => void;
  onOpen: (id: number) => void;
  /** absent: the reader may not plan */
  onCreate?: (date: string) => void;
}

export function MeetingCalendar({ month, meetings, onMonthChange, onOpen, onCreate }: Props) {
  const { t } = useTranslation();
  const byDay = useMemo(() => {
    const map = new Map<string, MeetingSummary[]>();
    for (const m of [...meetings].sort((a, b) => a.startsAt.localeCompare(b.startsAt))) {
      const list = map.get(m.localDate);
      if (list) list.push(m);
      else map.set(m.localDate, [m]);
    }
    return map;
  }, [meetings]);

  return (
    <div data-testid="meeting-calendar">
      <Space wrap size={[12, 4]} style={{ marginBottom: 8 }} data-testid="meeting-calendar-legend">
        {MEETING_TYPES.map((type) => (
          <Tag key={type} color={TYPE_COLOR[type]} style={{ marginInlineEnd: 0 }}>
            {t(`meetings.type.${type}`)}
          </Tag>
        ))}
        {(['planned', 'draft', 'submitted'] as const).map((s) => (
          <Badge key={s} status={STATUS_BADGE[s]} text={t(`meetings.status.${s}`)} />
        ))}
      </Space>
      <Calendar
        value={month}
        onPanelChange={(date) => onMonthChange(date)}
        onSelect={(date, info) => {
          if (!date.isSame(month, 'month')) onMonthChange(date);
          if (info.source === 'date' && onCreate) onCreate(date.format('YYYY-MM-DD'));
        }}
        cellRender={(current, info) => {
          if (info.type !== 'date') return info.originNode;
          const list = byDay.get(current.format('YYYY-MM-DD')) ?? [];
          if (list.length === 0) return null;
          return (
            <ul className="meeting-cal-list" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
              {list.map((m) => (
                <li key={m.id}>
                  <Tooltip
                    title={`${dayjs(m.startsAt).format('HH:mm')} ${m.title} · ${m.types
                      .map((type) => t(`meetings.type.${type}`))
                      .join('、')} · ${t(`meetings.status.${m.status}`)}`}
                  >
                    <button
                      type="button"
                      data-testid={`cal-meeting-${m.id}`}
                      data-status={m.status}
                      onClick={(e) => {
                        e.stopPropagation();
                        onOpen(m.id);
                      }}
                      style={{
                        display: 'flex',
                        alignItems: 'center',
                        gap: 4,
                        width: '100%',
                        margin: '1px 0',
                        padding: '0 4px',
                        border: 0,
                        borderInlineStart: `3px solid ${TYPE_COLOR[m.types[0] ?? 'theme_day']}`,
                        borderRadius: 2,
                        background: m.status === 'planned' ? '#fafafa' : `${TYPE_COLOR[m.types[0] ?? 'theme_day']}14`,
                        color: 'inherit',
                        fontSize: 12,
                        lineHeight: '20px',
                        textAlign: 'start',
                        cursor: 'pointer',
                        whiteSpace: 'nowrap',
                        overflow: 'hidden',
                        textOverflow: 'ellipsis',
                        opacity: m.status === 'planned' ? 0.85 : 1,
                      }}
                    >
                      <Badge status={STATUS_BADGE[m.status]} />
                      <span style={{ flex: 'none', color: '#8c8c8c' }}>{dayjs(m.startsAt).format('HH:mm')}</span>
                      <span style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>{m.title}</span>
                    </button>
                  </Tooltip>
                </li>
              ))}
            </ul>
          );
        }}
      />
    </div>
  );
}
