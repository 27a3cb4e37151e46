import { Alert, Button, Card, Select, Space, Table, Tabs, Typography } from 'antd';
import dayjs from 'dayjs';
import { lazy, Suspense, type TdHTMLAttributes, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { hasPermission, useMe } from '../../api/auth.ts';
import { type ReportTable, reportDownloadUrl, useReport } from '../../api/stats.ts';
import { PageSpin } from '../../components/PageSpin.tsx';
import { PeriodPicker, periodFromSearch, withPeriod } from '../../components/PeriodPicker.tsx';
import { UnitPicker } from '../../components/UnitPicker.tsx';
import { errorText } from '../../lib/errors.ts';
import { ZONE } from '../../lib/time.ts';
import { BulletinTab } from './BulletinTab.tsx';

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

/** The raise form, prefilled from a report row: its drill-down (unit, class, orders), label and count. */
function raiseLink(report: ReportTable, row: ReportTable['rows'][number], period: string): string | null {
  if (!row.drill || typeof row.cells.n !== 'number' || row.cells.n <= 0) return null;
  const first = report.columns[0]?.key ?? '';
  const q = new URLSearchParams({
    drill: JSON.stringify(row.drill),
    report: report.code,
    period,
    what: String(row.cells[first] ?? ''),
    n: String(row.cells.n),
  });
  return `/rectifications/new?${q.toString()}`;
}

/** A report as a table whose figures link to the orders behind them (and, for the centre, to a rectification). */
function ReportView({ report, period, canRaise }: { report: ReportTable; period: string; canRaise: boolean }) {
  const raiseColumn = {
    title: '整改',
    key: 'raise',
    render: (_: unknown, row: ReportTable['rows'][number]) => {
      const to = raiseLink(report, row, period);
      return to ? (
        <Link to={to} data-testid="raise-from-figure">
          发起整改
        </Link>
      ) : null;
    },
  };
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
        columns={canRaise ? [...columns, raiseColumn] : columns}
        dataSource={report.rows}
        pagination={false}
        scroll={{ x: true }}
        data-testid="report-table"
      />
    </>
  );
}

/** Statistics and reports (统计分析) and the monthly bulletins (通报); figures raise rectifications (整改单). */
export default function StatsPage() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const code = search.get('report') ?? 'situation';
  // A period from the picker (never typed): the current month in Shanghai unless the address names another.
  const period = periodFromSearch(search);
  const orgId = search.get('orgId') ?? undefined;
  const periodKey = 'period' in period ? period.period : `${period.from}~${period.to}`;
  const params = useMemo(() => ({ ...period, orgId }), [periodKey, orgId]);
  const report = useReport(code, params);
  const canRaise = hasPermission(useMe().data, 'rectification.manage');
  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(search);
    if (v) next.set(k, v);
    else next.delete(k);
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
                  aria-label="报表"
                />
                <PeriodPicker value={period} onChange={(v) => setSearch(withPeriod(search, v))} />
                <UnitPicker
                  kinds={['company', 'department', 'station']}
                  allowClear
                  value={orgId ? Number(orgId) : undefined}
                  onChange={(v) => set('orgId', v ? String(v) : undefined)}
                  placeholder={t('period.unitAll')}
                  style={{ width: 200 }}
                  aria-label={t('period.unit')}
                  data-testid="stats-unit"
                />
                <Button href={reportDownloadUrl(code, params, 'xlsx')} data-testid="download-xlsx">
                  下载 Excel
                </Button>
                <Button href={reportDownloadUrl(code, params, 'csv')}>下载 CSV</Button>
              </Space>
              {report.error ? <Alert type="error" title={errorText(report.error, t)} data-testid="report-error" /> : null}
              {/* Which report and period the figures on screen are for, and whether newer ones are on the way. */}
              <div
                data-testid="report"
                data-code={report.data?.code}
                data-period={periodKey}
                data-state={report.isFetching || report.isPlaceholderData ? 'loading' : 'ready'}
              >
                {report.data ? <ReportView report={report.data} period={periodKey} canRaise={canRaise} /> : <PageSpin />}
              </div>
            </Card>
          ),
        },
        {
          key: 'bulletin',
          label: '月度通报',
          children: (
            <BulletinTab
              initialMonth={'period' in period && period.period.length === 7 ? period.period : dayjs().tz(ZONE).format('YYYY-MM')}
              canRaise={canRaise}
            />
          ),
        },
      ]}
    />
  );
}
