/** Date formatting. Instants are shown in Asia/Shanghai whatever the browser's zone. */

const dateTimeFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-05-23 14:03:09` (Beijing time) for an ISO instant or epoch ms; '—' when empty. */
export function formatDateTime(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(date).map((part) => [part.type, part.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

/** Calendar dates are already `YYYY-MM-DD`; only empties need a placeholder. */
export function formatDate(value: string | null | undefined): string {
  return value ? value : '—';
}

/** Start of a Shanghai calendar day as an ISO instant (for audit date filters). */
export function shanghaiDayStart(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

/** End of a Shanghai calendar day (last millisecond) as an ISO instant. */
export function shanghaiDayEnd(date: string): string {
  return new Date(new Date(`${date}T00:00:00+08:00`).getTime() + 86_400_000 - 1).toISOString();
}

/**
 * A long organisation name shortened in the middle, where names of one system repeat themselves
 * ("成都市科学技术局机关第一党支部" → "成都市科…关第一党支部"): the start says where, the end says which.
 */
export function middleEllipsis(name: string, max: number): string {
  if (name.length <= max) return name;
  const head = Math.ceil((max - 1) / 3);
  return `${name.slice(0, head)}…${name.slice(name.length - (max - 1 - head))}`;
}
