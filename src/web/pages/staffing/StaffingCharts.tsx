/**
 * Two charts people look at rather than read: the organisations with the largest vacancies, and, per unit
 * (市(州) bureau etc. under the viewed org), the share of organisations without a full-time party-affairs cadre.
 */
import { Card, Col, Empty, Row } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffingRow } from '../../api/types';
import { type ChartOption, EChart } from '../../components/EChart';
import type { OrgIndex } from '../../hooks/useOrgs';

const RED = '#c4161c';
const ORANGE = '#fa8c16';
const TOP = 10;

/** Shorter labels for the axis: the bureau's division, else the name. */
function shortName(index: OrgIndex, orgId: string | number, name: string): string {
  const org = index.byId.get(String(orgId));
  if (org?.divisionName && org.kind !== 'branch') return org.divisionName;
  return name;
}

interface Group {
  id: string;
  label: string;
  name: string;
  orgs: number;
  without: number;
}

/** Rows grouped by their ancestor one level below the top of the view; groups of one org are left out. */
function groupsOf(rows: StaffingRow[], index: OrgIndex): Group[] {
  if (rows.length === 0) return [];
  const top = Math.min(...rows.map((row) => row.depth));
  const groups = new Map<string, Group>();
  for (const row of rows) {
    if (row.depth === top) continue;
    const org = index.byId.get(String(row.orgId));
    if (!org) continue;
    const key = row.depth === top + 1 ? String(row.orgId) : String(org.path[top + 1] ?? row.orgId);
    const head = index.byId.get(key);
    if (!head) continue;
    const group = groups.get(key) ?? {
      id: key,
      label: shortName(index, head.id, head.name),
      name: head.name,
      orgs: 0,
      without: 0,
    };
    group.orgs += 1;
    if (row.noFullTime) group.without += 1;
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((group) => group.orgs >= 2)
    .sort((a, b) => b.without / b.orgs - a.without / a.orgs || b.orgs - a.orgs);
}

export function StaffingCharts({ rows, index }: { rows: StaffingRow[]; index: OrgIndex }) {
  const { t } = useTranslation();

  const vacant = useMemo(() => rows.filter((row) => row.vacant > 0).slice(0, TOP), [rows]);
  const groups = useMemo(() => groupsOf(rows, index), [rows, index]);
  const showGroups = groups.length >= 2;

  const vacantOption: ChartOption = {
    animationDuration: 600,
    grid: { left: 8, right: 32, top: 8, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: vacant.map((row) => row.orgName),
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      {
        name: t('staffing.charts.vacantSeries'),
        type: 'bar',
        data: vacant.map((row) => row.vacant),
        itemStyle: { color: RED },
        barMaxWidth: 18,
        label: { show: true, position: 'right' },
      },
    ],
  };

  const shareOption: ChartOption = {
    animationDuration: 600,
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (value: unknown) => `${value}%`,
    },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: {
      type: 'category',
      inverse: true,
      data: groups.slice(0, 12).map((group) => group.label),
      axisLabel: { width: 120, overflow: 'truncate' },
    },
    series: [
      {
        name: t('staffing.charts.shareSeries'),
        type: 'bar',
        data: groups.slice(0, 12).map((group) => Math.round((group.without / group.orgs) * 100)),
        itemStyle: { color: ORANGE },
        barMaxWidth: 18,
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };

  // Small scopes (a city and its branches) have no units to compare: show who staffs the worst organisations.
  const mix = rows.slice(0, TOP);
  const mixOption: ChartOption = {
    animationDuration: 600,
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    legend: { top: 0, itemWidth: 14, itemHeight: 10 },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      inverse: true,
      data: mix.map((row) => row.orgName),
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      { key: 'filledFullTime', colour: RED },
      { key: 'partTime', colour: '#faad14' },
      { key: 'vacant', colour: '#ffccc7' },
    ].map(({ key, colour }) => ({
      name: t(`staffing.columns.${key}`),
      type: 'bar' as const,
      stack: 'people',
      data: mix.map((row) => row[key as 'filledFullTime' | 'partTime' | 'vacant']),
      itemStyle: { color: colour },
      barMaxWidth: 18,
    })),
  };

  // Both cards as tall as the longer chart, so they line up.
  const bars = Math.min(12, Math.max(vacant.length, showGroups ? groups.length : mix.length + 1));
  const height = Math.max(180, bars * 28 + 24);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={12}>
        <Card size="small" title={t('staffing.charts.vacant')}>
          {vacant.length > 0 ? (
            <EChart option={vacantOption} height={height} data-testid="chart-vacant" />
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('staffing.charts.noVacancy')} />
          )}
        </Card>
      </Col>
      <Col xs={24} xl={12}>
        {showGroups ? (
          <Card size="small" title={t('staffing.charts.share')}>
            <EChart option={shareOption} height={height} data-testid="chart-share" />
          </Card>
        ) : (
          <Card size="small" title={t('staffing.charts.mix')}>
            <EChart option={mixOption} height={height} data-testid="chart-mix" />
          </Card>
        )}
      </Col>
    </Row>
  );
}
