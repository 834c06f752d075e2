/**
 * The compliance period (month / quarter / year, Asia/Shanghai calendar periods as the server keys them: `2026-07`,
 * `2026-Q3`, `2026`), kept in `?period=` so that drill-down links and reloads keep it; and the colours of results.
 */
import { DatePicker, Segmented, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { ComplianceStatus } from '../../../shared/meetings';
import type { Color } from '../../api/meetings';

export type Unit = 'month' | 'quarter' | 'year';

export function periodKey(unit: Unit, day: Dayjs): string {
  if (unit === 'year') return day.format('YYYY');
  if (unit === 'month') return day.format('YYYY-MM');
  return `${day.format('YYYY')}-Q${Math.floor(day.month() / 3) + 1}`;
}

export function parsePeriodKey(key: string | null): { unit: Unit; day: Dayjs } | null {
  if (!key) return null;
  let m = /^(\d{4})$/.exec(key);
  if (m) return { unit: 'year', day: dayjs(`${m[1]}-01-01`) };
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return { unit: 'month', day: dayjs(`${m[1]}-${m[2]}-01`) };
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return { unit: 'quarter', day: dayjs(`${m[1]}-01-01`).month((Number(m[2]) - 1) * 3) };
  return null;
}

/** First and last local day of a period (both inclusive), for the meeting list. */
export function periodRange(key: string): { from: string; to: string } {
  const p = parsePeriodKey(key) ?? { unit: 'quarter' as const, day: dayjs() };
  const start = p.day.startOf(p.unit === 'quarter' ? 'month' : p.unit);
  const end = p.unit === 'quarter' ? start.add(2, 'month').endOf('month') : start.endOf(p.unit);
  return { from: start.format('YYYY-MM-DD'), to: end.format('YYYY-MM-DD') };
}

/** The period in the URL (default: the current quarter) and a setter that keeps the other parameters. */
export function usePeriod(): [string, (key: string) => void] {
  const [params, setParams] = useSearchParams();
  const parsed = parsePeriodKey(params.get('period'));
  const period = parsed ? periodKey(parsed.unit, parsed.day) : periodKey('quarter', dayjs());
  const set = (key: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        next.set('period', key);
        return next;
      },
      { replace: true },
    );
  return [period, set];
}

/** Also a Form control (value / onChange). */
export function PeriodPicker({ value, onChange }: { value?: string; onChange?: (key: string) => void }) {
  const { t } = useTranslation();
  const { unit, day } = parsePeriodKey(value ?? null) ?? { unit: 'quarter' as const, day: dayjs() };
  return (
    <Space wrap>
      <Segmented<Unit>
        value={unit}
        onChange={(u) => onChange?.(periodKey(u, u === 'year' ? day : dayjs().year() === day.year() ? dayjs() : day))}
        data-testid="compliance-unit"
        options={[
          { value: 'month', label: t('compliance.month') },
          { value: 'quarter', label: t('compliance.quarter') },
          { value: 'year', label: t('compliance.year') },
        ]}
      />
      <DatePicker
        picker={unit}
        value={day}
        allowClear={false}
        onChange={(v) => v && onChange?.(periodKey(unit, v))}
        data-testid="compliance-period"
      />
    </Space>
  );
}

export const COLOR: Record<Color, string> = { green: 'green', amber: 'orange', red: 'red' };
export const COLOR_HEX: Record<Color, string> = { green: '#52c41a', amber: '#faad14', red: '#f5222d' };
export const STATUS_COLOR: Record<ComplianceStatus, string> = {
  met: 'green',
  exempt: 'cyan',
  pending: 'orange',
  missed: 'red',
  no_quorum: 'red',
};

export const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;
