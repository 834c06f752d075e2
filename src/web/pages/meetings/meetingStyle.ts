/** Colours of the meeting types and statuses, shared by the calendar, the lists and the legend. */
import type { MeetingType } from '../../../shared/meetings';
import type { MeetingSummary } from '../../api/meetings';

/** One colour per type (antd preset names, also used as Tag colours). */
export const TYPE_COLOR: Record<MeetingType, string> = {
  party_congress: '#c4161c',
  committee: '#d4380d',
  group: '#d48806',
  lecture: '#1677ff',
  theme_day: '#c41d7f',
  life_meeting: '#531dab',
  review: '#08979c',
  talk: '#389e0d',
};

export const STATUS_BADGE: Record<MeetingSummary['status'], 'default' | 'warning' | 'success'> = {
  planned: 'default',
  draft: 'warning',
  submitted: 'success',
};

export const STATUS_TAG: Record<MeetingSummary['status'], string> = {
  planned: 'default',
  draft: 'gold',
  submitted: 'green',
};
