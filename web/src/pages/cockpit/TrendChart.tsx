import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';
import { type Cockpit, drillLink } from '../../api/kpi.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** The 12-month trend: orders as bars (a click lists the month's orders), the key rates as lines on a percent axis. */
export default function TrendChart({ cockpit, label }: { cockpit: Cockpit; label: string }) {
  const el = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  useEffect(() => {
    if (!el.current) return;
    const node = el.current;
    const chart = echarts.init(node);
    chart.on('finished', () => {
      node.dataset.drawn = cockpit.month;
    });
    const rates = cockpit.kpis.filter((k) => k.unit === 'percent');
    chart.setOption({
      grid: { left: 48, right: 48, top: 40, bottom: 32 },
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      xAxis: { type: 'category', data: cockpit.trend.map((x) => x.month) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: label, type: 'bar', data: cockpit.trend.map((x) => x.n), itemStyle: { color: '#5b8ff9' } },
        ...rates.map((k) => ({
          name: k.zh,
          type: 'line' as const,
          yAxisIndex: 1,
          connectNulls: true,
          data: cockpit.trend.map((x) => {
            const v = x.kpis?.[k.code];
            return typeof v === 'number' ? Math.round(v * 1000) / 10 : null;
          }),
        })),
      ],
    });
    chart.on('click', (p) => {
      const drill = cockpit.trend[p.dataIndex]?.drill;
      if (p.seriesType === 'bar' && drill) navigate(drillLink(drill));
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [cockpit, label, navigate]);
  return <div ref={el} style={{ height: 300 }} role="img" aria-label={label} data-testid="cockpit-trend" />;
}
