/**
 * ECharts with only what the pages use (bar charts on canvas). `echarts/core` + `echarts-for-react/esm/core`:
 * the `lib/core` build type-checks but crashes the bundled page (stack.md).
 */
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import ReactEChartsCore from 'echarts-for-react/esm/core';
import type { CSSProperties } from 'react';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = Parameters<echarts.ECharts['setOption']>[0];

export function EChart({
  option,
  height = 300,
  style,
  'data-testid': testId,
}: {
  option: ChartOption;
  height?: number;
  style?: CSSProperties;
  'data-testid'?: string;
}) {
  return (
    <div data-testid={testId}>
      <ReactEChartsCore echarts={echarts} option={option} notMerge lazyUpdate style={{ height, ...style }} />
    </div>
  );
}
