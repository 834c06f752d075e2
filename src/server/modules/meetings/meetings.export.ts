/**
 * Exports of meeting records: one record as a Word document in the usual 会议记录 layout, a period's records of an
 * organisation as one document (the 会议记录本: cover, contents list, one record per page), and the iCalendar
 * feed (RFC 5545: UTC times, escaped text, folded lines, CRLF).
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  type FileChild,
  Packer,
  PageBreak,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { MeetingType } from '../../../shared/meetings.js';
import type { Meeting, MeetingSummary } from './meetings.service.js';
import { minutesParagraphs } from './minutes.js';

export const TYPE_LABELS: Record<MeetingType, string> = {
  party_congress: '支部党员大会',
  committee: '支部委员会',
  group: '党小组会',
  lecture: '党课',
  theme_day: '主题党日',
  life_meeting: '组织生活会',
  review: '民主评议党员',
  talk: '谈心谈话',
};

export const GRADE_LABELS: Record<string, string> = {
  excellent: '优秀',
  qualified: '合格',
  basically_qualified: '基本合格',
  unqualified: '不合格',
};

const QUORUM_LABELS: Record<string, string> = {
  full_members: '正式党员',
  members: '党员',
  committee: '委员',
};

const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export { DOCX_MIME };

// ---- dates in Asia/Shanghai ------------------------------------------------------------------------------------

const parts = (instant: string) => {
  const f = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: string) => f.find((p) => p.type === t)?.value ?? '';
  return { y: get('year'), m: get('month'), d: get('day'), hh: get('hour'), mm: get('minute') };
};

export function cnDate(date: string): string {
  return `${Number(date.slice(0, 4))}年${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

export function cnTimeRange(startsAt: string, endsAt: string): string {
  const a = parts(startsAt);
  const b = parts(endsAt);
  const day = cnDate(`${a.y}-${a.m}-${a.d}`);
  const sameDay = a.y === b.y && a.m === b.m && a.d === b.d;
  return `${day} ${a.hh}:${a.mm}—${sameDay ? '' : `${cnDate(`${b.y}-${b.m}-${b.d}`)} `}${b.hh}:${b.mm}`;
}

// ---- Word ------------------------------------------------------------------------------------------------------

const FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '宋体' };
const HEI = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '黑体' };
const border = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };

const p = (text: string, opts: { bold?: boolean; center?: boolean; size?: number; indent?: boolean } = {}) =>
  new Paragraph({
    alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
    spacing: { line: 360 },
    indent: opts.indent ? { firstLine: 480 } : undefined,
    children: [new TextRun({ text, bold: opts.bold, size: opts.size, font: opts.bold ? HEI : FONT })],
  });

const label = (text: string) =>
  new TableCell({
    width: { size: 1500, type: WidthType.DXA },
    verticalAlign: VerticalAlign.CENTER,
    borders,
    children: [p(text, { bold: true, center: true })],
  });

const value = (children: Paragraph[], span = 1) =>
  new TableCell({
    width: { size: span === 3 ? 7500 : 3000, type: WidthType.DXA },
    columnSpan: span,
    verticalAlign: VerticalAlign.CENTER,
    borders,
    children: children.length ? children : [p('')],
  });

const names = (xs: { name: string; reason?: string | null }[]) =>
  xs.length === 0 ? '无' : xs.map((x) => (x.reason ? `${x.name}（${x.reason}）` : x.name)).join('、');

function recordTable(m: Meeting): Table {
  const present = m.attendees.filter((a) => a.status === 'present');
  const leave = m.attendees.filter((a) => a.status === 'leave');
  const absent = m.attendees.filter((a) => a.status === 'absent');
  const wide = (l: string, children: Paragraph[]) => new TableRow({ children: [label(l), value(children, 3)] });
  const pair = (l1: string, v1: string, l2: string, v2: string) =>
    new TableRow({ children: [label(l1), value([p(v1)]), label(l2), value([p(v2)])] });
  const q = m.quorum;
  const rows: TableRow[] = [
    wide('会议名称', [p(m.title)]),
    wide('会议类型', [p(m.types.map((t) => TYPE_LABELS[t]).join('、'))]),
    pair('时间', cnTimeRange(m.startsAt, m.endsAt), '地点', m.location ?? ''),
    pair('主持人', m.hostName ?? '', '记录人', m.recorderName ?? ''),
    pair('应到', `${m.attendees.length} 人`, '实到', `${present.length} 人`),
    wide('出席人员', [p(names(present))]),
    pair('请假', `${leave.length} 人`, '缺席', `${absent.length} 人`),
    wide('请假人员', [p(names(leave))]),
    wide('缺席人员', [p(names(absent))]),
    wide('列席人员', [p(m.guests?.trim() || '无')]),
  ];
  if (q.rule !== 'none') {
    rows.push(
      wide('法定人数', [
        p(
          `应到${QUORUM_LABELS[q.rule] ?? ''} ${q.expected} 人，实到 ${q.present} 人，${q.met ? '超过半数，符合' : '未超过半数，不符合'}法定人数要求`,
        ),
      ]),
    );
  }
  const minutes = minutesParagraphs(m.minutes);
  rows.push(wide('会议内容', minutes.length ? minutes.map((x) => p(x, { indent: true })) : [p('')]));
  if (m.resolutions.length > 0) {
    rows.push(
      wide(
        '决议',
        m.resolutions.map((r, i) => {
          const votes =
            r.votesFor === null
              ? ''
              : `（赞成 ${r.votesFor} 票，反对 ${r.votesAgainst ?? 0} 票，弃权 ${r.abstentions ?? 0} 票${
                  r.passed === null ? '' : r.passed ? '，通过' : '，未通过'
                }）`;
          return p(`${i + 1}. ${r.text}${votes}`);
        }),
      ),
    );
  }
  if (m.reviews.length > 0) {
    rows.push(wide('民主评议', [p(m.reviews.map((r) => `${r.name}：${GRADE_LABELS[r.grade] ?? r.grade}`).join('；'))]));
  }
  return new Table({
    width: { size: 9000, type: WidthType.DXA },
    columnWidths: [1500, 3000, 1500, 3000],
    rows,
  });
}

function recordBlock(m: Meeting, orgLine: boolean): FileChild[] {
  const out: FileChild[] = [p('会议记录', { bold: true, center: true, size: 36 })];
  if (orgLine) out.push(p(m.orgName, { center: true }));
  out.push(p(''), recordTable(m), p(''));
  out.push(
    new Paragraph({
      spacing: { before: 400, line: 360 },
      children: [
        new TextRun({ text: '主持人签字：________________', font: FONT }),
        new TextRun({ text: '          ', font: FONT }),
        new TextRun({ text: '记录人签字：________________', font: FONT }),
      ],
    }),
  );
  const status =
    m.status === 'submitted' && m.submittedAt
      ? `第 ${m.version} 版，${cnDate(m.submittedAt.slice(0, 10))}提交`
      : m.status === 'draft'
        ? '草稿（未提交）'
        : '计划（未召开）';
  out.push(p(`（${status}）`, { size: 18 }));
  return out;
}

function doc(children: FileChild[], title: string): Document {
  return new Document({
    creator: '党建平台',
    title,
    styles: { default: { document: { run: { font: FONT, size: 24 } } } },
    sections: [{ properties: { page: { margin: { top: 1440, bottom: 1440, left: 1300, right: 1300 } } }, children }],
  });
}

/** One meeting's record as a .docx. */
export async function recordDocx(m: Meeting): Promise<Buffer> {
  return Packer.toBuffer(doc(recordBlock(m, true), `${m.title} 会议记录`));
}

/** The 会议记录本 of an org for a period: cover, contents list, then each record on its own page. */
export async function bookDocx(orgName: string, from: string, to: string, meetings: Meeting[]): Promise<Buffer> {
  const children: FileChild[] = [
    p(''),
    p(''),
    p(''),
    p(orgName, { bold: true, center: true, size: 36 }),
    p(''),
    p('会议记录本', { bold: true, center: true, size: 56 }),
    p(''),
    p(`${cnDate(from)} 至 ${cnDate(to)}`, { center: true, size: 28 }),
    p(`共 ${meetings.length} 次会议`, { center: true, size: 28 }),
    p(''),
    p(`党建平台导出，${cnDate(new Date().toISOString().slice(0, 10))}`, { center: true, size: 21 }),
    new Paragraph({ children: [new PageBreak()] }),
    p('目录', { bold: true, center: true, size: 32 }),
    p(''),
  ];
  if (meetings.length === 0) children.push(p('本期间没有已提交的会议记录。', { center: true }));
  meetings.forEach((m, i) => {
    children.push(
      p(
        `${i + 1}. ${cnDate(m.localDate)}　${m.types.map((t) => TYPE_LABELS[t]).join('、')}　${m.title}（第 ${i + 1} 篇）`,
      ),
    );
  });
  for (const m of meetings) {
    children.push(new Paragraph({ children: [new PageBreak()] }), ...recordBlock(m, false));
  }
  return Packer.toBuffer(doc(children, `${orgName} 会议记录本`));
}

// ---- iCalendar -------------------------------------------------------------------------------------------------

/** TEXT escaping (RFC 5545 §3.3.11). */
export function icsText(s: string): string {
  return s
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Folds a content line at 75 octets without splitting a UTF-8 character (RFC 5545 §3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const n = Buffer.byteLength(ch);
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + n > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += n;
  }
  out.push(current);
  return out.join('\r\n ');
}

const icsTime = (iso: string) => `${new Date(iso).toISOString().replace(/[-:]/g, '').slice(0, 15)}Z`;

/** An iCalendar feed of meetings (UTC times; clients show them in their own zone). */
export function calendarIcs(name: string, meetings: MeetingSummary[], host: string, now = new Date()): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Dangjian Platform//Meetings//ZH-CN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${icsText(name)}`,
    'X-WR-TIMEZONE:Asia/Shanghai',
  ];
  for (const m of meetings) {
    const kinds = m.types.map((t) => TYPE_LABELS[t]).join('、');
    lines.push(
      'BEGIN:VEVENT',
      `UID:meeting-${m.id}@${host}`,
      `DTSTAMP:${icsTime(now.toISOString())}`,
      `LAST-MODIFIED:${icsTime(m.updatedAt)}`,
      `DTSTART:${icsTime(m.startsAt)}`,
      `DTEND:${icsTime(m.endsAt)}`,
      `SUMMARY:${icsText(m.title)}`,
      ...(m.location ? [`LOCATION:${icsText(m.location)}`] : []),
      `DESCRIPTION:${icsText(`${m.orgName}\n${kinds}${m.hostName ? `\n主持人：${m.hostName}` : ''}`)}`,
      `CATEGORIES:${m.types.map((t) => icsText(TYPE_LABELS[t])).join(',')}`,
      `STATUS:${m.status === 'planned' ? 'TENTATIVE' : 'CONFIRMED'}`,
      `SEQUENCE:${m.version - 1}`,
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return `${lines.map(foldLine).join('\r\n')}\r\n`;
}
