import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { complaintBody } from '../factories.ts';
import { axeCounts } from './audit.ts';
import { describeBrowser, E2E_PASSWORD, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { listShown, periodMode, periodValue, settle } from './steps.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const DOC_SHOTS = ['leader-cockpit', 'analyst-kpis', 'admin-kpi-targets'];

/** How many orders the order list on the page shows (its first page, enough here) and the total it says. */
async function listedOrders(page: Page): Promise<{ rows: number; total: number }> {
  const { numbers, total } = await listShown(page);
  return { rows: numbers.length, total };
}

/**
 * The leader's cockpit, the KPI page and the KPI targets in Chromium: an administrator sets a target, the leader's
 * home shows it against the month with every figure linking to as many orders as it says, the analyst reads every
 * KPI with its formula for any period and unit.
 */
describeBrowser('KPI targets, KPI page and leader cockpit', () => {
  let server: E2EServer;
  let browser: Browser;

  async function sessionOf(username: string): Promise<Record<string, string>> {
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: E2E_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'gv_session');
    return { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
  }

  beforeAll(async () => {
    server = await startServer({ name: 'kpi' });
    browser = await launchBrowser();
    const agent = await sessionOf('agent');
    const cg = (await server.app.services.repos.org.findByCode('SFX-CG'))?.id as number;
    const bodies = [
      complaintBody({ customer: { name: '客户一', phone: '13900003001' } }),
      complaintBody({ customer: { name: '客户二', phone: '13900003002' } }),
      complaintBody({ classCode: 'outage.repair', customer: { name: '客户三', phone: '13900003003' } }),
      complaintBody({
        channel: 'regulator_12398',
        externalRef: 'NEA-E2E-1',
        classCode: 'outage.repair',
        description: '停电三天没人来抢修，已向12398投诉，还要找媒体。',
        customer: { name: '客户四', phone: '13900003004' },
      }),
    ];
    for (const [i, body] of bodies.entries()) {
      const res = await server.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      if (i === 3) continue;
      const d = await server.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${res.json().ticket.id}/actions/dispatch`,
        headers: agent,
        payload: { version: 1, unitId: cg },
      });
      expect(d.statusCode, d.body).toBe(200);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('an administrator sets a KPI target with a reason, and the change is listed with who made it', async () => {
    const { context, page } = await loginAs(browser, server.url, 'admin');
    await page.goto('/admin/targets');
    const row = page.locator('tr[data-kpi="satisfaction_rate"]');
    await row.locator('input[data-testid="target-value"], [data-testid="target-value"] input').first().fill('95');
    await row.getByTestId('target-note').fill('年度考核目标');
    await row.getByTestId('target-save').click();
    await expect.poll(() => row.locator('td[data-col="current"]').textContent()).toContain('95.0%');
    const history = page.getByTestId('target-history');
    await history.getByText('年度考核目标').waitFor();
    expect(await history.textContent()).toContain('系统管理员');
    expect((await axeCounts(page)).blocking).toEqual([]);
    await shot(page, 'admin-kpi-targets');
    await context.close();
  }, 120_000);

  it('the leader home is the cockpit: KPIs against targets, and each figure lists as many orders as it says', async () => {
    const { context, page } = await loginAs(browser, server.url, 'leader');
    const cockpit = page.locator('[data-testid="cockpit"][data-state="ready"]');
    await cockpit.waitFor();
    const sat = page.getByTestId('cockpit-kpi-satisfaction_rate');
    expect(await sat.textContent()).toContain('95.0%');
    await page.getByTestId('cockpit-trend').and(page.locator('[data-drawn]')).waitFor();
    expect((await axeCounts(page)).blocking).toEqual([]);
    await shot(page, 'leader-cockpit');
    const figures = ['cockpit-orders', 'cockpit-regulator-regulator_12398', 'cockpit-high-risk', 'cockpit-unit-n', 'cockpit-cause-n'];
    for (const id of figures) {
      await page.goto('/');
      await cockpit.waitFor();
      const link = page.getByTestId(id).first();
      const n = Number(await link.getAttribute('data-n'));
      expect(n, id).toBeGreaterThan(0);
      await link.click();
      await page.waitForURL(/\/tickets\?/);
      expect(await listedOrders(page), id).toEqual({ rows: n, total: n });
    }
    await context.close();
  }, 180_000);

  it('the analyst reads every KPI with its formula for a quarter and a unit, and can export it', async () => {
    const { context, page } = await loginAs(browser, server.url, 'analyst');
    await page.getByRole('link', { name: '考核指标' }).click();
    const board = page.locator('[data-testid="kpi-board"][data-state="ready"]');
    await board.waitFor();
    expect(await page.locator('tr[data-kpi]').count()).toBe(12);
    expect(await page.locator('tr[data-kpi="satisfaction_rate"] td[data-col="target"]').textContent()).toBe('95.0%');
    expect(await page.locator('tr[data-kpi="complaints_per_10k"]').textContent()).toContain('投诉工单数 ÷ 客户户数 × 10000');
    const quarter = await board.getAttribute('data-range');
    await periodMode(page, '季度');
    await page.locator(`[data-testid="kpi-board"][data-state="ready"]:not([data-range="${quarter}"])`).waitFor();
    expect(await page.getByTestId('kpi-board').getAttribute('data-range')).toMatch(/季度$/);
    await periodMode(page, '年');
    await periodValue(page, 'period-year', '2025');
    await page.locator('[data-testid="kpi-board"][data-state="ready"][data-range="2025年"]').waitFor();
    expect(page.url()).toContain('period=2025');
    await page.goto('/kpis');
    await board.waitFor();
    const href = await page.getByTestId('kpi-export').getAttribute('href');
    expect(href).toContain('format=xlsx');
    const xlsx = await page.request.get(href as string);
    expect(xlsx.status()).toBe(200);
    expect(xlsx.headers()['content-type']).toContain('spreadsheetml');
    await settle(page);
    expect((await axeCounts(page)).blocking).toEqual([]);
    await shot(page, 'analyst-kpis');
    await context.close();
  }, 120_000);

  // Refreshing the committed screenshots is a deliberate act (UPDATE_SCREENSHOTS=1): a plain run leaves docs/ alone.
  it.runIf(process.env.UPDATE_SCREENSHOTS === '1')('refreshes the KPI screenshots in docs/screenshots', () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const name of DOC_SHOTS) copyFileSync(join(import.meta.dirname, 'artifacts', `${name}.png`), join(SCREENSHOTS, `${name}.png`));
  });
});
