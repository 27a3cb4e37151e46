import { BarChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueueCode, QueueCounts } from '../api/types.ts';

echarts.use([BarChart, GridComponent, TooltipComponent, CanvasRenderer]);

const ORDER: QueueCode[] = ['to_dispatch', 'to_sign', 'in_progress', 'to_review', 'to_revisit', 'warned', 'overdue', 'supervised'];
const ALERT: Partial<Record<QueueCode, string>> = { warned: '#d46b08', overdue: '#cf1322', supervised: '#a8071a' };

/** The leaders' overview: the queue counts as a bar chart (loaded only for leaders, in its own chunk). */
export default function QueueChart({ counts }: { counts: QueueCounts }) {
  const { t } = useTranslation();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current);
    chart.setOption({
      grid: { left: 40, right: 16, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: ORDER.map((q) => t(`queue.${q}`)) },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          barMaxWidth: 36,
          data: ORDER.map((q) => ({ value: counts[q], itemStyle: { color: ALERT[q] ?? '#00706b' } })),
          label: { show: true, position: 'top' },
        },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [counts, t]);
  const summary = ORDER.map((q) => `${t(`queue.${q}`)} ${counts[q]}`).join('，');
  return <div ref={el} style={{ height: 260 }} role="img" aria-label={`${t('home.chartTitle')}：${summary}`} data-testid="queue-chart" />;
}
