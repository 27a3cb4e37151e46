import { Alert, Button, Card, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, type TdHTMLAttributes, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { bulletinUrl, type ReportTable, reportDownloadUrl, useRectifications, useReport } from '../../api/stats.ts';
import { PageSpin } from '../../components/PageSpin.tsx';
import { ZONE } from '../../lib/time.ts';

const ReportChart = lazy(() => import('./ReportChart.tsx'));

const REPORTS = [
  ['situation', '投诉举报情况表'],
  ['comparison', '前后对比表'],
  ['pareto', '原因帕累托'],
  ['trend', '月度趋势'],
  ['heat', '单位×分类'],
  ['repeats', '重复投诉'],
  ['words', '文本词频'],
  ['ranking', '超期退单排名'],
] as const;

const pct = (v: unknown) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—');

function ticketsLink(drill: Record<string, string>): string {
  return `/tickets?${new URLSearchParams(drill).toString()}`;
}

/** A report as a table whose figures link to the orders behind them. */
function ReportView({ report }: { report: ReportTable }) {
  const columns = report.columns.map((c) => ({
    title: c.zh,
    dataIndex: c.key,
    key: c.key,
    // The column key on every cell, so that tests (and support staff) can read a figure by its meaning.
    onCell: () => ({ 'data-col': c.key }) as TdHTMLAttributes<HTMLTableCellElement>,
    render: (_: unknown, row: ReportTable['rows'][number]) => {
      const v = row.cells[c.key];
      const text = c.type === 'percent' ? pct(v) : (v ?? '');
      // A row's drill-down lists the orders it counts (`n`); other figures (属实件数, 退单工单…) are subsets of
      // those and link only when the report gives them a drill-down of their own.
      const drill = row.cellDrill?.[c.key] ?? (c.key === 'n' ? row.drill : undefined);
      return drill && typeof v === 'number' && v > 0 ? (
        <Link to={ticketsLink(drill)} data-testid="drill">
          {text}
        </Link>
      ) : (
        text
      );
    },
  }));
  return (
    <>
      <Typography.Title level={4} style={{ marginTop: 0 }}>
        {report.title}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{report.subtitle}</Typography.Paragraph>
      {['situation', 'pareto', 'trend', 'heat', 'ranking'].includes(report.code) && report.rows.length > 0 ? (
        <Suspense fallback={null}>
          <ReportChart report={report} />
        </Suspense>
      ) : null}
      <Table
        size="small"
        rowKey={(_, i) => String(i)}
        columns={columns}
        dataSource={report.rows}
        pagination={false}
        scroll={{ x: true }}
        data-testid="report-table"
      />
    </>
  );
}

/** Statistics and reports (统计分析), bulletins (通报) and rectification orders (整改单). */
export default function StatsPage() {
  const [search, setSearch] = useSearchParams();
  const code = search.get('report') ?? 'situation';
  // The current month in Shanghai, where the figures are counted (not the UTC month, a day behind on the 1st morning).
  const period = search.get('period') ?? dayjs().tz(ZONE).format('YYYY-MM');
  const params = useMemo(() => ({ period }), [period]);
  const report = useReport(code, params);
  const rects = useRectifications();
  const [month, setMonth] = useState(period.length === 7 ? period : dayjs().tz(ZONE).format('YYYY-MM'));
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(search);
    next.set(k, v);
    setSearch(next);
  };
  return (
    <Tabs
      items={[
        {
          key: 'reports',
          label: '统计报表',
          children: (
            <Card>
              <Space wrap style={{ marginBottom: 16 }}>
                <Select
                  value={code}
                  onChange={(v) => set('report', v)}
                  options={REPORTS.map(([value, label]) => ({ value, label }))}
                  style={{ width: 180 }}
                  data-testid="report-select"
                />
                <Input.Search
                  key={period}
                  defaultValue={period}
                  placeholder="2026-11 / 2026-H1 / 2026"
                  enterButton="期间"
                  onSearch={(v) => v && set('period', v.trim())}
                  style={{ width: 260 }}
                  data-testid="period-input"
                />
                <Button href={reportDownloadUrl(code, params, 'xlsx')} data-testid="download-xlsx">
                  下载 Excel
                </Button>
                <Button href={reportDownloadUrl(code, params, 'csv')}>下载 CSV</Button>
              </Space>
              {report.error ? <Alert type="error" message={report.error.message} data-testid="report-error" /> : null}
              {/* Which report and period the figures on screen are for, and whether newer ones are on the way. */}
              <div
                data-testid="report"
                data-code={report.data?.code}
                data-period={period}
                data-state={report.isFetching || report.isPlaceholderData ? 'loading' : 'ready'}
              >
                {report.data ? <ReportView report={report.data} /> : <PageSpin />}
              </div>
            </Card>
          ),
        },
        {
          key: 'bulletin',
          label: '月度通报',
          children: (
            <Card>
              <Space>
                <Input value={month} onChange={(e) => setMonth(e.target.value)} style={{ width: 140 }} placeholder="2026-11" />
                <Button type="primary" href={bulletinUrl(month, 'html')} target="_blank">
                  打印版通报
                </Button>
                <Button href={bulletinUrl(month, 'xlsx')}>下载 Excel</Button>
              </Space>
            </Card>
          ),
        },
        {
          key: 'rectifications',
          label: '整改单',
          children: (
            <Card>
              <Table
                size="small"
                rowKey="id"
                loading={rects.isPending}
                dataSource={rects.data ?? []}
                columns={[
                  { title: '整改单号', dataIndex: 'number' },
                  { title: '整改单位', dataIndex: 'unitName' },
                  { title: '问题', dataIndex: 'problem' },
                  { title: '期限', dataIndex: 'dueAt', render: (v: string) => v.slice(0, 10) },
                  {
                    title: '状态',
                    dataIndex: 'state',
                    render: (_: string, r) => (
                      <Space>
                        <Tag>{r.stateLabel.zh}</Tag>
                        {r.overdue ? <Tag color="red">超期</Tag> : null}
                        {r.effectVerdict ? (
                          <Tag color={r.effectVerdict === 'effective' ? 'green' : 'orange'}>
                            {r.effectVerdict === 'effective' ? '整改有效' : '未见成效'}
                          </Tag>
                        ) : null}
                      </Space>
                    ),
                  },
                ]}
              />
            </Card>
          ),
        },
      ]}
    />
  );
}
