import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { addDays, shanghaiDate } from '../../server/domain/calendar.ts';
import { periodRange, previousPeriod } from '../../server/domain/stats/period.ts';
import { complaintBody } from '../factories.ts';
import { describeBrowser, E2E_PASSWORD, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { listShown, POLL, periodMode, periodValue, pick } from './steps.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const DOC_SHOTS = ['stats-situation', 'stats-comparison', 'stats-heat', 'stats-drill'];

type Column = { key: string; zh: string; type?: 'text' | 'int' | 'percent' | 'number' };
type Report = {
  code: string;
  title: string;
  columns: Column[];
  rows: Array<{ cells: Record<string, string | number | null>; drill?: Record<string, string> }>;
};
type Table = Array<Record<string, string>>;

/** A figure as the statistics page shows it: percentages to one decimal, a dash for none. */
function shown(v: unknown, type: Column['type']): string {
  if (type === 'percent') return typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : '—';
  return v === null || v === undefined ? '' : String(v);
}

/** The table a report's JSON should appear as on the page, by column key. */
function asTable(r: Report): Table {
  return r.rows.map((row) => Object.fromEntries(r.columns.map((c) => [c.key, shown(row.cells[c.key], c.type)])));
}

/** The figures of the report table on the page, by column key (the cells' data-col). */
async function tableOnPage(page: Page): Promise<Table> {
  return page
    .getByTestId('report')
    .locator('tr.ant-table-row')
    .evaluateAll((rows) =>
      rows.map((r) =>
        Object.fromEntries(
          [...r.querySelectorAll<HTMLElement>('td[data-col]')].map((td) => [td.dataset.col as string, td.textContent?.trim() ?? '']),
        ),
      ),
    );
}

const rowOf = (t: Table, label: string) => t.find((r) => r.label === label) ?? {};

/** Historical orders of last month in the import file's columns (the import is how old orders get into a new system). */
const IMPORT_MAP = {
  number: '工单编号',
  kind: '业务类型',
  channel: '受理渠道',
  classCode: '业务分类',
  description: '受理内容',
  customerName: '客户姓名',
  customerPhone: '联系电话',
  unit: '处理单位',
  intakeAt: '受理时间',
  closedAt: '归档时间',
  verification: '核实结果',
  rootCause: '问题原因',
  replyText: '答复内容',
  satisfaction: '回访结果',
};

function historicalCsv(month: string): Buffer {
  const rows = [
    ['H-01', 'business.billing', 'SFX-CG', '05', '属实', 'billing_error', '满意'],
    ['H-02', 'business.billing', 'SFX-CG', '06', '属实', 'billing_error', '满意'],
    ['H-03', 'outage.repair', 'SFX-CG', '08', '属实', 'repair_resources', '基本满意'],
    ['H-04', 'outage.repair', 'SFX-CG', '09', '属实', 'aging_equipment', '不满意'],
    ['H-05', 'outage.repair', 'SFX-DC', '12', '不属实', 'external', '满意'],
    ['H-06', 'quality.voltage', 'SFX-DC', '15', '部分属实', 'insufficient_capacity', '满意'],
  ].map(([number, cls, unit, day, verification, cause, satisfaction], i) => [
    number,
    'complaint',
    'phone',
    cls,
    `历史工单${i + 1}：客户反映用电问题，要求尽快处理。`,
    `客户${i + 1}`,
    `1380000100${i}`,
    unit,
    `${month}-${day} 09:30`,
    `${month}-${String(Number(day) + 3).padStart(2, '0')} 16:00`,
    verification,
    cause,
    '经核实已处理完毕并答复客户。',
    satisfaction,
  ]);
  const cell = (v: unknown) => `"${String(v).replaceAll('"', '""')}"`;
  return Buffer.from([Object.values(IMPORT_MAP), ...rows].map((r) => r.map(cell).join(',')).join('\r\n'), 'utf8');
}

/**
 * The statistics page in Chromium, over last month's imported history and this month's intakes: each report's table
 * shows the API's figures (and the counts the orders make), a new period changes them, a figure's link lists as many
 * orders as it says, and the .xlsx download holds the table's rows.
 */
describeBrowser('statistics page: built-in reports, periods, drill-down and the Excel export', () => {
  let server: E2EServer;
  let browser: Browser;
  let page: Page;
  let thisMonth = '';
  let lastMonth = '';

  /** A session's headers for app.inject (same-origin, as the web app sends them). */
  async function sessionOf(username: string): Promise<Record<string, string>> {
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: E2E_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'gv_session');
    return { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
  }

  async function unitId(code: string): Promise<number> {
    return (await server.app.services.repos.org.findByCode(code))?.id as number;
  }

  beforeAll(async () => {
    server = await startServer({ name: 'stats' });
    browser = await launchBrowser();
    thisMonth = shanghaiDate(server.app.services.clock()).slice(0, 7);
    lastMonth = previousPeriod(thisMonth) as string;

    // Last month: six closed historical orders, imported by the administrator.
    const admin = await sessionOf('admin');
    const boundary = '----gridvoice-stats-e2e';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify(IMPORT_MAP)}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="history.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      historicalCsv(lastMonth),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await server.app.inject({
      method: 'POST',
      url: '/api/v1/import/orders',
      headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(upload.statusCode, upload.body).toBe(202);
    const jobUrl = `/api/v1/import/jobs/${upload.json().jobId}`;
    const job = await vi.waitFor(async () => {
      const j = (await server.app.inject({ method: 'GET', url: jobUrl, headers: admin })).json();
      if (j.status === 'running') throw new Error('import still running');
      return j;
    }, POLL);
    expect(job, JSON.stringify(job.problems)).toMatchObject({ status: 'done', imported: 6, failed: 0 });

    // This month: seven complaints taken in by the agent; six dispatched, one still waiting for dispatch.
    const agent = await sessionOf('agent');
    const cg = await unitId('SFX-CG');
    const dc = await unitId('SFX-DC');
    const orders: Array<[string, number | null]> = [
      ['business.billing', cg],
      ['business.billing', cg],
      ['business.billing', cg],
      ['business.billing', dc],
      ['outage.repair', cg],
      ['outage.repair', null],
      ['service.attitude', dc],
    ];
    for (const [i, [classCode, unit]] of orders.entries()) {
      const body = complaintBody({ classCode, customer: { name: `客户${i}`, phone: `1390000200${i}` } });
      const res = await server.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      if (unit === null) continue;
      const id = res.json().ticket.id as number;
      const d = await server.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/actions/dispatch`,
        headers: agent,
        payload: { version: 1, unitId: unit },
      });
      expect(d.statusCode, d.body).toBe(200);
    }

    ({ page } = await loginAs(browser, server.url, 'leader'));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The report's JSON from the API, with the session of the page. */
  async function apiReport(code: string, period: string): Promise<Report> {
    const res = await page.request.get(`/api/v1/stats/reports/${code}?period=${period}`);
    expect(res.status()).toBe(200);
    return (await res.json()) as Report;
  }

  async function reportShown(code: string, period: string): Promise<void> {
    await page.locator(`[data-testid="report"][data-code="${code}"][data-period="${period}"][data-state="ready"]`).waitFor();
  }

  async function openReport(code: string, label: string, period: string): Promise<void> {
    await pick(page, page.getByTestId('report-select'), label);
    await reportShown(code, period);
  }

  /** Chooses a month (YYYY-MM) or a year (YYYY) with the period picker: its type, then the period in its calendar. */
  async function setPeriod(code: string, period: string): Promise<void> {
    const year = period.length === 4;
    await periodMode(page, year ? '年' : '月');
    await periodValue(page, year ? 'period-year' : 'period-month', period);
    await reportShown(code, period);
  }

  /** Waits until the chart of the report has finished drawing (its bars grow in). */
  async function chartDrawn(title: string): Promise<void> {
    await page
      .getByTestId('report-chart')
      .and(page.locator(`[data-drawn="${title}"]`))
      .waitFor();
  }

  it('shows this month’s 投诉举报情况表 with the API’s figures, which count the orders taken in', async () => {
    await page.goto('/stats');
    await reportShown('situation', thisMonth);
    const api = await apiReport('situation', thisMonth);
    const table = await tableOnPage(page);
    expect(table).toEqual(asTable(api));
    expect(await page.getByTestId('report').getByRole('heading').textContent()).toBe(api.title);
    expect(rowOf(table, '电价电费/抄表催费').n).toBe('4');
    expect(rowOf(table, '抢修服务（到达/恢复不及时）').n).toBe('2');
    expect(rowOf(table, '服务态度').n).toBe('1');
    expect(rowOf(table, '合计')).toMatchObject({ n: '7', share: '100.0%' });
    expect(rowOf(table, '电价电费/抄表催费').share).toBe(`${((4 / 7) * 100).toFixed(1)}%`);

    // The report agrees with the general statistics query over the same period.
    const res = await page.request.get(`/api/v1/stats?groupBy=class&classLevel=leaf&period=${thisMonth}`);
    const stats = (await res.json()) as { rows: Array<{ keys: { class: { label: string } }; measures: { n: number } }> };
    for (const r of stats.rows) expect(rowOf(table, r.keys.class.label).n).toBe(String(r.measures.n));
    await chartDrawn(api.title);
    await shot(page, 'stats-situation');
  }, 120_000);

  it('shows the 前后对比表, the Pareto analysis and the unit × class heat table with the API’s figures', async () => {
    await openReport('comparison', '前后对比表', thisMonth);
    const comparison = await tableOnPage(page);
    expect(comparison).toEqual(asTable(await apiReport('comparison', thisMonth)));
    expect(rowOf(comparison, '电价电费/抄表催费')).toMatchObject({ a: '2', b: '4', change: '2', changeRate: '100.0%' });
    expect(rowOf(comparison, '抢修服务（到达/恢复不及时）')).toMatchObject({ a: '3', b: '2', change: '-1' });
    expect(rowOf(comparison, '电压质量（低电压/电压波动）')).toMatchObject({ a: '1', b: '0', change: '-1', changeRate: '-100.0%' });
    expect(rowOf(comparison, '合计')).toMatchObject({ a: '6', b: '7', change: '1' });
    await shot(page, 'stats-comparison');

    await openReport('pareto', '原因帕累托', thisMonth);
    const pareto = await tableOnPage(page);
    expect(pareto).toEqual(asTable(await apiReport('pareto', thisMonth)));
    expect(pareto.map((r) => r.n)).toEqual(['4', '2', '1']);
    expect(pareto[0]).toMatchObject({ label: '电价电费/抄表催费', cumulative: '57.1%', abc: 'A' });
    expect(pareto[2]).toMatchObject({ cumulative: '100.0%' });

    await openReport('heat', '单位×分类', thisMonth);
    const heatApi = await apiReport('heat', thisMonth);
    const heat = await tableOnPage(page);
    expect(heat).toEqual(asTable(heatApi));
    expect(rowOf(heat, '城关供电所')).toMatchObject({ 'c:business': '3', 'c:outage': '1', total: '4' });
    expect(rowOf(heat, '东城供电所')).toMatchObject({ 'c:business': '1', 'c:service': '1', total: '2' });
    // The order not yet dispatched counts under the company itself (its drill-down lists just that one, below).
    expect(rowOf(heat, '示范县供电公司')).toMatchObject({ 'c:outage': '1', total: '1' });
    expect(rowOf(heat, '合计')).toMatchObject({ total: '7' });
    await chartDrawn(heatApi.title);
    await shot(page, 'stats-heat');
  }, 120_000);

  it('changes the figures with the period: last month’s situation table and this year’s monthly trend', async () => {
    await openReport('situation', '投诉举报情况表', thisMonth);
    await setPeriod('situation', lastMonth);
    const table = await tableOnPage(page);
    expect(table).toEqual(asTable(await apiReport('situation', lastMonth)));
    expect(rowOf(table, '电价电费/抄表催费')).toMatchObject({ n: '2', substantiated: '2', substantiationRate: '100.0%' });
    expect(rowOf(table, '抢修服务（到达/恢复不及时）')).toMatchObject({
      n: '3',
      substantiated: '2',
      satisfied: '2',
      satisfactionRate: '66.7%',
    });
    expect(rowOf(table, '电压质量（低电压/电压波动）')).toMatchObject({ n: '1', substantiated: '1' });
    expect(rowOf(table, '合计')).toMatchObject({ n: '6', substantiated: '5', satisfied: '5' });
    expect(page.url()).toContain(`period=${lastMonth}`);
    // 属实件数 is a part of a row's orders with no list of its own: it is not a link to all of them.
    expect(await page.getByTestId('report').locator('td[data-col="substantiated"] a').count()).toBe(0);

    const year = thisMonth.slice(0, 4);
    await openReport('trend', '月度趋势', lastMonth);
    await setPeriod('trend', year);
    const trendApi = await apiReport('trend', year);
    const trend = await tableOnPage(page);
    expect(trend).toEqual(asTable(trendApi));
    const byMonth = { [lastMonth]: '6', [thisMonth]: '7' };
    const expected = Object.entries(byMonth)
      .filter(([m]) => m.startsWith(year))
      .map(([m, n]) => ({ label: `${year}年${Number(m.slice(5))}月`, total: n }));
    expect(trend.slice(0, -1).map((r) => ({ label: r.label, total: r.total }))).toEqual(expected);
    await chartDrawn(trendApi.title);
    await shot(page, 'stats-trend');
  }, 120_000);

  /** Clicks a figure and checks that the order list behind it shows as many orders as the figure, and the API's. */
  async function drill(cell: string, figure: number, shotName?: string): Promise<void> {
    const link = page.getByTestId('report').locator(cell).getByTestId('drill');
    expect(await link.textContent()).toBe(String(figure));
    const href = (await link.getAttribute('href')) as string;
    await link.click();
    await page.waitForURL((u) => u.pathname === '/tickets');
    const shown = await listShown(page);
    expect(shown.total).toBe(figure);
    expect(shown.numbers).toHaveLength(figure);
    expect(await page.getByTestId('page-next').isDisabled()).toBe(true);
    const shownNumbers = shown.numbers.sort();
    const query = new URLSearchParams(href.split('?')[1]);
    query.set('limit', '200');
    const res = await page.request.get(`/api/v1/tickets?${query}`);
    const items = ((await res.json()) as { items: Array<{ number: string }> }).items;
    expect(items).toHaveLength(figure);
    expect(shownNumbers).toEqual(items.map((t) => t.number).sort());
    if (shotName) await shot(page, shotName);
    await page.goBack();
  }

  it('lists the orders behind a figure when it is clicked, as many as the figure says', async () => {
    await page.goto(`/stats?report=situation&period=${lastMonth}`);
    await reportShown('situation', lastMonth);
    await drill('tr.ant-table-row:has-text("抢修服务") td[data-col="n"]', 3, 'stats-drill');
    await reportShown('situation', lastMonth);
    await drill('tr.ant-table-row:has-text("合计") td[data-col="n"]', 6);

    await page.goto(`/stats?report=heat&period=${thisMonth}`);
    await reportShown('heat', thisMonth);
    await drill('tr.ant-table-row:has-text("城关供电所") td[data-col="c:business"]', 3);
    await reportShown('heat', thisMonth);
    await drill('tr.ant-table-row:has-text("东城供电所") td[data-col="c:service"]', 1);
    await reportShown('heat', thisMonth);
    await drill('tr.ant-table-row:has-text("示范县供电公司") td[data-col="c:outage"]', 1);
  }, 120_000);

  it('downloads the report as .xlsx with the Chinese headings, a frozen header row and the rows of the table', async () => {
    await page.goto(`/stats?report=situation&period=${lastMonth}`);
    await reportShown('situation', lastMonth);
    const api = await apiReport('situation', lastMonth);
    const table = await tableOnPage(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-xlsx').click()]);
    expect(download.suggestedFilename()).toBe(`${api.title}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(await download.path()) as unknown as ArrayBuffer);
    const ws = wb.worksheets[0] as ExcelJS.Worksheet;
    expect(ws.name).toBe('投诉举报情况表');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const headings = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headings).toEqual(api.columns.map((c) => c.zh));
    expect(headings.slice(0, 5)).toEqual(['投诉举报原因', '件数', '占比', '属实件数', '属实率']);
    expect(ws.getRow(1).font?.bold).toBe(true);
    const rows: Table = [];
    for (let i = 2; i <= ws.rowCount; i++) {
      const r = ws.getRow(i);
      rows.push(Object.fromEntries(api.columns.map((c, j) => [c.key, shown(r.getCell(j + 1).value, c.type)])));
    }
    expect(rows).toEqual(table);
  }, 120_000);

  it('opens on the current month of Shanghai, also in the hours when the UTC date is still the day before', async () => {
    const { context, page: analyst } = await loginAs(browser, server.url, 'analyst');
    // 06:00 on the 1st of next month in Shanghai is 22:00 on the last day of this month in UTC.
    const next = addDays(periodRange(thisMonth)?.to as string, 1);
    await analyst.clock.setFixedTime(new Date(`${next}T06:00:00+08:00`));
    await analyst.goto('/stats');
    await analyst.locator(`[data-testid="report"][data-code="situation"][data-state="ready"]`).waitFor();
    expect(await analyst.getByTestId('report').getAttribute('data-period')).toBe(next.slice(0, 7));
    expect(await analyst.getByTestId('period-picker').getAttribute('data-value')).toBe(next.slice(0, 7));
    expect(await analyst.locator('input[data-testid="period-month"], [data-testid="period-month"] input').first().inputValue()).toBe(
      next.slice(0, 7),
    );
    await context.close();
  }, 120_000);

  // Refreshing the committed screenshots is a deliberate act (UPDATE_SCREENSHOTS=1): a plain run leaves docs/ alone.
  it.runIf(process.env.UPDATE_SCREENSHOTS === '1')('refreshes the statistics screenshots in docs/screenshots', () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const name of DOC_SHOTS) copyFileSync(join(import.meta.dirname, 'artifacts', `${name}.png`), join(SCREENSHOTS, `${name}.png`));
  });
});
