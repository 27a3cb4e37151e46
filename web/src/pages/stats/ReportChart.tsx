import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { ReportTable } from '../../api/stats.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** A bar chart of a report's first count column (Pareto: bars plus the cumulative line). */
export default function ReportChart({ report }: { report: ReportTable }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const rows = report.rows.filter((r) => r.cells.label !== '合计');
    const labelKey = report.columns[0]?.key === 'rank' ? 'label' : (report.columns[0]?.key ?? 'label');
    const countCols = report.columns.filter((c) => c.type === 'int' && c.key !== 'rank');
    const series =
      report.code === 'trend' || report.code === 'heat'
        ? countCols
            .filter((c) => c.key !== 'total')
            .map((c) => ({ name: c.zh, type: 'bar' as const, stack: 'n', data: rows.map((r) => r.cells[c.key] ?? 0) }))
        : [{ name: countCols[0]?.zh ?? '', type: 'bar' as const, data: rows.map((r) => r.cells[countCols[0]?.key ?? 'n'] ?? 0) }];
    const node = el.current;
    const chart = echarts.init(node);
    // Names the report whose bars have finished growing in: a screenshot taken earlier shows empty bars.
    chart.on('finished', () => {
      node.dataset.drawn = report.title;
    });
    chart.setOption({
      grid: { left: 48, right: 16, top: 32, bottom: 64 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'category', data: rows.map((r) => String(r.cells[labelKey] ?? '')), axisLabel: { rotate: 30 } },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [report]);
  return <div ref={el} style={{ height: 300 }} role="img" aria-label={report.title} data-testid="report-chart" />;
}
