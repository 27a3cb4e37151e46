import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PNG } from '../portal-helpers.ts';
import { describeBrowser, E2E_PASSWORD, type E2EServer, launchBrowser, shot, startServer } from './browser.ts';

describeBrowser('customer portal on a phone: file a complaint, track it, rate the reply', () => {
  let server: E2EServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    context = await browser.newContext({
      baseURL: server.url,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    context.setDefaultTimeout(15_000);
    page = await context.newPage();
    page.on('pageerror', (e) => errors.push(e.message));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
  });

  async function staffAct(username: string, id: number, action: string, body: Record<string, unknown>) {
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: E2E_PASSWORD } });
    const cookie = login.cookies.find((c) => c.name === 'gv_session');
    const res = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${id}/actions/${action}`,
      headers: { cookie: `gv_session=${cookie?.value}` },
      payload: body,
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('submits a complaint with a photo, shows the number and query code, and tracks it to a rated reply', async () => {
    await page.goto('/portal');
    await page.getByTestId('kind-complaint').waitFor();
    expect(await page.getByTestId('kind-complaint').getAttribute('aria-pressed')).toBe('true');
    await page.getByTestId('portal-class').selectOption({ label: '电费、电价、抄表或催费有疑问' });
    await page.getByTestId('portal-description').fill('这个月电费比平时多了三倍，家里没有新增电器，怀疑抄表有误，请尽快核实。');
    await page.getByTestId('portal-location').fill('城关镇解放路12号');
    await page.getByTestId('portal-phone').fill('13912345678');
    await page.getByTestId('portal-name').fill('张建国');
    await page.getByTestId('portal-photos').setInputFiles({ name: '电表.png', mimeType: 'image/png', buffer: PNG });
    await shot(page, 'portal-01-form');
    await page.getByTestId('portal-submit').click();

    await page.getByTestId('done-number').waitFor({ state: 'visible' });
    const number = ((await page.getByTestId('done-number').textContent()) ?? '').trim();
    const code = ((await page.getByTestId('done-code').textContent()) ?? '').trim();
    expect(number).toMatch(/^TS\d{13}$/);
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await shot(page, 'portal-02-done');

    await page.getByTestId('done-track').click();
    await page.getByTestId('track-number').fill(number);
    await page.getByTestId('track-code').fill(code.toLowerCase());
    await page.getByTestId('track-submit').click();
    await expect.poll(() => page.getByTestId('progress-status').textContent()).toBe('已受理，正在安排处理单位');
    await shot(page, 'portal-03-progress');

    const ticket = await server.app.services.db.kysely
      .selectFrom('tickets')
      .selectAll()
      .where('number', '=', number)
      .executeTakeFirstOrThrow();
    expect(ticket.channel).toBe('mobile');
    const station = await server.app.services.db.kysely
      .selectFrom('org_units')
      .select('id')
      .where('code', '=', 'SFX-CG')
      .executeTakeFirstOrThrow();
    await staffAct('agent', ticket.id, 'dispatch', { version: 2, unitId: station.id }); // version 2: the photo's attach event
    await staffAct('handler', ticket.id, 'sign', { version: 3 });
    await staffAct('handler', ticket.id, 'contact', { version: 4, note: '已电话联系客户，约定上门核查电表' });
    await staffAct('handler', ticket.id, 'reply', {
      version: 5,
      verification: 'substantiated',
      rootCause: 'billing_error',
      responsibility: 'company',
      replyText: '经核实，抄表员误抄表码，已更正电费并退还多收部分，向您致歉。',
    });
    await staffAct('reviewer', ticket.id, 'approve', { version: 6 });

    await page.reload();
    await expect.poll(() => page.getByTestId('progress-status').textContent()).toBe('已答复，请查看答复并评价');
    expect(await page.getByTestId('progress-reply').textContent()).toContain('已更正电费');
    await page.getByTestId('rating-satisfied').click();
    await page.getByTestId('rate-submit').click();
    await expect.poll(() => page.getByTestId('progress-status').textContent()).toBe('已办结');
    expect(await page.getByTestId('progress-rating').textContent()).toContain('满意');
    await shot(page, 'portal-04-rated');
    expect(errors).toEqual([]);
  });

  it('shows the portal at /portal even though the staff web app is served with an SPA fallback', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/portal/track' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('portal.js');
  });
});
