import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { shanghaiDate } from '../../server/domain/calendar.ts';
import { axeCounts } from './audit.ts';
import { describeBrowser, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { POLL, settle } from './steps.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');
const DOC_SHOTS = ['admin-calendar-builtin', 'admin-calendar-enter'];

/** Shows a year in the calendar tab (its option reads "2026 · 内置（只读）"). */
async function chooseYear(page: Page, year: number): Promise<void> {
  await page.getByTestId('calendar-year').click();
  await settle(page);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: new RegExp(`^${year} · `) })
    .click();
  // Closed and blurred: an open select keeps its list of options in the page.
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), POLL).toBe(0);
  await page.keyboard.press('Tab');
}

/** Leaves every select closed, so no list of options (an unnamed listbox) is in the page when it is audited. */
async function awayFromSelects(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await settle(page);
  await expect.poll(() => page.locator('.ant-select-dropdown:visible').count(), POLL).toBe(0);
}

/** Types a date into the n-th day row's date picker. */
async function dayDate(page: Page, row: number, date: string): Promise<void> {
  const input = page.getByTestId('year-day').nth(row).locator('input[data-testid="day-date"], [data-testid="day-date"] input').first();
  await input.click();
  await input.fill(date);
  await input.press('Enter');
}

/**
 * The calendar tab in Chromium: built-in years shown read-only, next year entered by the administrator from the
 * State Council notice (a weekday make-up day refused), and the banner administrators and leaders see from
 * 1 November while next year is missing.
 */
describeBrowser('calendar admin: years, entry of next year and the missing-year banner', () => {
  let server: E2EServer;
  let browser: Browser;
  let today = '';
  let next = 0;

  beforeAll(async () => {
    server = await startServer({ name: 'calendar' });
    browser = await launchBrowser();
    today = shanghaiDate(server.app.services.clock());
    next = Number(today.slice(0, 4)) + 1;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('warns leaders from 1 November while next year is missing, and says deadlines are provisional', async () => {
    const { context, page } = await loginAs(browser, server.url, 'leader');
    const status = await (await page.request.get('/api/v1/calendar/status')).json();
    // The built-in data ends with 2026: from 1 November 2026 next year is missing until someone enters it.
    expect(status.warn).toBe(today >= `${next - 1}-11-01` && next > 2026);
    if (status.warn) {
      const banner = page.getByTestId('calendar-banner');
      await banner.waitFor();
      expect(await banner.textContent()).toContain(`${status.missing} 年的节假日安排尚未录入`);
      expect(await banner.textContent()).toContain('暂定');
    } else {
      expect(await page.getByTestId('calendar-banner').count()).toBe(0);
    }
    await context.close();
  }, 120_000);

  it('shows a built-in year read-only, and the administrator enters the missing year day by day', async () => {
    const { context, page } = await loginAs(browser, server.url, 'admin');
    await page.goto('/admin/calendar');
    const detail = page.getByTestId('calendar-year-detail');
    await detail.waitFor();
    // Built in: 2026 with its holidays, no editor.
    await chooseYear(page, 2026);
    await page.locator('[data-testid="calendar-year-detail"][data-year="2026"][data-source="builtin"]').waitFor();
    expect(await page.getByTestId('calendar-days').locator('tbody tr').count()).toBeGreaterThan(25);
    expect(await page.getByTestId('calendar-days').textContent()).toContain('国庆节');
    expect(await page.getByTestId('year-editor').count()).toBe(0);
    // Away from the year select: its list of options is still in the page while the select has the focus.
    await awayFromSelects(page);
    expect((await axeCounts(page)).blocking).toEqual([]);
    await shot(page, 'admin-calendar-builtin');

    // The missing year: 元旦 1–3 January and a make-up Saturday; a weekday make-up day is refused first.
    const year = next > 2026 ? next : 2027;
    await chooseYear(page, year);
    await page.locator(`[data-testid="calendar-year-detail"][data-year="${year}"][data-source="none"]`).waitFor();
    await page.getByTestId('year-source').fill(`国办发明电〔${year - 1}〕12号`);
    for (const [i, date] of [`${year}-01-01`, `${year}-01-02`, `${year}-01-03`].entries()) {
      await page.getByTestId('add-holiday').click();
      await dayDate(page, i, date);
      await page.getByTestId('year-day').nth(i).getByTestId('day-name').fill('元旦');
    }
    await page.getByTestId('add-makeup').click();
    const weekday = `${year}-01-04`; // a Monday in 2027
    await dayDate(page, 3, weekday);
    await page.getByTestId('year-day').nth(3).getByTestId('day-name').fill('元旦');
    await page.getByTestId('save-year').click();
    await page.locator('.ant-message-error').waitFor();
    expect(await page.locator(`[data-testid="calendar-year-detail"][data-source="none"]`).count()).toBe(1);
    await dayDate(page, 3, `${year}-02-06`);
    await page.getByTestId('year-day').nth(3).getByTestId('day-name').fill('春节');
    await page.getByTestId('save-year').click();
    await page.locator(`[data-testid="calendar-year-detail"][data-year="${year}"][data-source="admin"]`).waitFor();
    expect(await page.getByTestId('year-day').count()).toBe(4);
    const stored = await (await page.request.get(`/api/v1/calendar/years/${year}`)).json();
    expect(stored.days).toEqual([
      { date: `${year}-01-01`, workday: false, name: '元旦' },
      { date: `${year}-01-02`, workday: false, name: '元旦' },
      { date: `${year}-01-03`, workday: false, name: '元旦' },
      { date: `${year}-02-06`, workday: true, name: '春节' },
    ]);
    // Entered, the year is covered: the banner goes for everyone.
    await page.goto('/');
    await page.getByTestId('user-menu').waitFor();
    await expect.poll(async () => (await (await page.request.get('/api/v1/calendar/status')).json()).nextYearCovered, POLL).toBe(true);
    expect(await page.getByTestId('calendar-banner').count()).toBe(0);
    await page.goto('/admin/calendar');
    await page.getByTestId('calendar-year-detail').waitFor();
    await chooseYear(page, year);
    await page.locator(`[data-testid="calendar-year-detail"][data-year="${year}"][data-source="admin"]`).waitFor();
    await awayFromSelects(page);
    expect((await axeCounts(page)).blocking).toEqual([]);
    await shot(page, 'admin-calendar-enter');
    await context.close();
  }, 180_000);

  // Refreshing the committed screenshots is a deliberate act (UPDATE_SCREENSHOTS=1): a plain run leaves docs/ alone.
  it.runIf(process.env.UPDATE_SCREENSHOTS === '1')('refreshes the calendar screenshots in docs/screenshots', () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const name of DOC_SHOTS) copyFileSync(join(import.meta.dirname, 'artifacts', `${name}.png`), join(SCREENSHOTS, `${name}.png`));
  });
});
