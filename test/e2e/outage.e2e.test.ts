import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, E2E_PASSWORD, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { POLL } from './steps.ts';

describeBrowser('web intake: a power-cut complaint in an area with an active outage', () => {
  let server: E2EServer;
  let browser: Browser;
  let outageId = 0;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: E2E_PASSWORD },
    });
    const cookie = login.cookies.find((c) => c.name === 'gv_session');
    const station = await server.app.services.repos.org.findByCode('SFX-CG');
    const now = Date.now();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/outages',
      headers: { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' },
      payload: {
        kind: 'fault',
        title: '10kV城北线故障停电',
        cause: '线路故障跳闸',
        unitIds: [station?.id],
        areas: ['人民路', '北关村'],
        feeders: ['10kV城北线'],
        startAt: new Date(now - 3_600_000).toISOString(),
        expectedRestoreAt: new Date(now + 3 * 3_600_000).toISOString(),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    outageId = res.json().outage.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the outage banner, the suggested class and the matching reply script, and links the new order to the outage', async () => {
    const { page } = await loginAs(browser, server.url, 'agent');
    await page.goto('/intake');
    await page.getByTestId('intake-phone').fill('13900000001');
    await page.getByTestId('intake-location').fill('城关镇人民路18号');
    await page.getByTestId('outage-banner').waitFor();
    await expect.poll(async () => page.getByTestId('outage-banner').textContent(), POLL).toContain('10kV城北线故障停电');
    await page.getByTestId(`outage-link-${outageId}`).click();
    await page.getByTestId('intake-description').fill('从早上九点停电到现在还没来电，家里老人冷得受不了，请尽快抢修。');
    // The class is suggested from the text; the agent applies the suggestion with one click.
    const suggestion = page.getByTestId('suggested-classes').getByRole('button', { name: /抢修服务/ });
    await suggestion.waitFor();
    await suggestion.click();
    await expect.poll(async () => page.getByTestId('reply-script').textContent(), POLL).toContain('抢修');
    await shot(page, 'outage-intake');
    await page.getByTestId('intake-description').press('Control+Enter');
    const number = (await page.getByTestId('intake-number').textContent())?.trim() ?? '';
    expect(number).toMatch(/^TS\d{13}$/);
    const linked = await server.app.services.repos.tickets.find(
      (await server.app.services.db.kysely.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirstOrThrow()).id,
    );
    expect(linked?.flag_outage).toBe(1);
  }, 120_000);
});
