import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Sweeper } from '../../server/jobs/sweeper.ts';
import { describeBrowser, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { expectState, POLL } from './steps.ts';

/** Takes in a complaint over the API as the logged-in user of the page; returns its id and number. */
async function createOrder(page: Page, description: string): Promise<{ id: number; number: string }> {
  const res = await page.request.post('/api/v1/tickets', {
    data: {
      kind: 'complaint',
      channel: 'phone',
      classCode: 'business.billing',
      description,
      customer: { name: '刘女士', phone: '13700002222' },
    },
  });
  expect(res.status()).toBe(201);
  const t = ((await res.json()) as { ticket: { id: number; number: string } }).ticket;
  return { id: t.id, number: t.number };
}

async function invalidate(page: Page, id: number): Promise<void> {
  const res = await page.request.post(`/api/v1/tickets/${id}/actions/invalidate`, {
    data: { version: await versionOf(page, id), reason: 'test' },
  });
  expect(res.status(), await res.text()).toBe(200);
}

async function versionOf(page: Page, id: number): Promise<number> {
  return ((await (await page.request.get(`/api/v1/tickets/${id}`)).json()) as { ticket: { version: number } }).ticket.version;
}

describeBrowser('the rules on screen: stopped clocks, times', () => {
  let server: E2EServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ name: 'rules' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** The sweeper as it would run `hours` from now. */
  function sweepAt(hours: number) {
    const s = server.app.services;
    const later = () => new Date(Date.now() + hours * 3_600_000);
    return new Sweeper(s.db.kysely, s.db.dialect, s.repos.tickets, s.notifications, s.hooks, later).runOnce();
  }

  it('shows a closed order with its clocks stopped, and whether it closed after a deadline, never a running count', async () => {
    const { page } = await loginAs(browser, server.url, 'agent');
    const late = await createOrder(page, '电费比上月多了两百元，怀疑电表有问题，要求核查。');
    // Three hours on, the 2-hour dispatch limit has run out and the sweeper records it; then the order is closed.
    await sweepAt(3);
    await invalidate(page, late.id);
    const onTime = await createOrder(page, '电费单上的户名写错了，请帮忙更正。');
    await invalidate(page, onTime.id);

    const lateView = (await (await page.request.get(`/api/v1/tickets/${late.id}`)).json()) as { ticket: { overdue: boolean } };
    expect(lateView.ticket.overdue).toBe(true);
    await page.goto(`/tickets/${late.id}`);
    await expectState(page, 'closed');
    await page.getByTestId('closed-late').waitFor();
    await page.getByTestId('deadline-closed-late').first().waitFor();
    expect(await page.getByTestId('deadline-tag').count()).toBe(0);
    await shot(page, 'rules-closed-late');

    const onTimeView = (await (await page.request.get(`/api/v1/tickets/${onTime.id}`)).json()) as { ticket: { overdue: boolean } };
    expect(onTimeView.ticket.overdue).toBe(false);
    await page.goto(`/tickets/${onTime.id}`);
    await expectState(page, 'closed');
    await page.getByTestId('deadline-stopped').first().waitFor();
    expect(await page.getByTestId('closed-late').count()).toBe(0);
    expect(await page.getByTestId('deadline-tag').count()).toBe(0);
    // Deadlines read as the engine writes them: a day's end is 24:00, never 00:00 of the next day.
    const text = (await page.getByTestId('deadline-list').textContent()) ?? '';
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T|\b00:00\b/);
    await expect.poll(async () => page.getByTestId('deadline-list').textContent(), POLL).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    await page.context().close();
  });

  it('refuses a junk phone number at intake and asks why when the caller leaves none', async () => {
    const { page } = await loginAs(browser, server.url, 'agent');
    await page.goto('/intake');
    await page.getByTestId('intake-phone').fill('-----');
    await page.getByTestId('intake-phone').press('Tab');
    await page.getByTestId('intake-description').fill('电费单上的金额和电表读数对不上，请帮忙核实。');
    await page.getByTestId('intake-save').click();
    await page.getByText('请填写11位手机号或带区号的固定电话').first().waitFor();
    expect(await page.getByTestId('intake-number').count()).toBe(0);
    // No number at all: a phone intake asks why, and the order keeps the reason.
    await page.getByTestId('intake-phone').fill('');
    await page.getByTestId('intake-no-phone-reason').waitFor();
    await page.getByTestId('intake-save').click();
    await page.getByText('来电人拒绝留号码时，请写明原因').first().waitFor();
    await page.getByTestId('intake-no-phone-reason').fill('来电人拒绝留下电话');
    await shot(page, 'rules-intake-no-phone');
    await page.getByTestId('intake-save').click();
    await page.getByTestId('intake-number').waitFor();
    await page.getByTestId('intake-open').click();
    await expect.poll(async () => page.getByTestId('no-phone-reason').textContent(), POLL).toBe('来电人拒绝留下电话');
    await page.context().close();
  });

  it('shows 回单 disabled with its reason until contact, offers the causes of the class, and restarts a rejected reply from it', async () => {
    const { page: agent } = await loginAs(browser, server.url, 'agent');
    const { id } = await createOrder(agent, '这个月电费比上月多了两倍，要求核查抄表。');
    const units = (await (await agent.request.get('/api/v1/org-units')).json()) as { items: Array<{ id: number; code: string }> };
    const cg = units.items.find((u) => u.code === 'SFX-CG')?.id;
    const post = async (p: Page, action: string, data: Record<string, unknown>) => {
      const r = await p.request.post(`/api/v1/tickets/${id}/actions/${action}`, { data: { version: await versionOf(p, id), ...data } });
      expect(r.status(), await r.text()).toBe(200);
    };
    await post(agent, 'dispatch', { unitId: cg });
    const { page: handler } = await loginAs(browser, server.url, 'handler');
    await post(handler, 'sign', {});

    await handler.goto(`/tickets/${id}`);
    await expectState(handler, 'in_progress');
    expect(await handler.getByTestId('action-reply').isDisabled()).toBe(true);
    expect(await handler.getByTestId('action-reason-reply').textContent()).toBe('回单前须先联系客户并记录联系情况');
    await shot(handler, 'rules-reply-disabled');
    await post(handler, 'contact', { note: '已电话联系客户', method: 'phone' });
    await handler.reload();
    await expect.poll(async () => handler.getByTestId('action-reply').isEnabled(), POLL).toBe(true);
    expect(await handler.getByTestId('action-reason-reply').count()).toBe(0);

    // The cause list follows the class (电价电费): billing causes, no grid causes.
    await handler.getByTestId('action-reply').click();
    const form = handler.getByTestId('action-form-reply');
    await form.waitFor();
    await form.getByLabel('问题原因').click();
    const options = handler.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect.poll(async () => options.allTextContents(), POLL).toContain('抄核收差错');
    expect(await options.allTextContents()).not.toContain('网架薄弱');
    await handler.keyboard.press('Escape');
    await handler.getByRole('button', { name: /取\s*消/ }).click();
    await form.waitFor({ state: 'detached' });

    const text = '经核实抄表员误抄表码，已更正电费并退还多收部分。';
    await post(handler, 'reply', {
      verification: 'substantiated',
      rootCause: 'billing_error',
      responsibility: 'company',
      responsiblePerson: '王抄表',
      replyText: text,
    });
    const { page: reviewer } = await loginAs(browser, server.url, 'reviewer');
    await post(reviewer, 'reject', { reason: '请写明退费金额和到账时间。' });

    await handler.reload();
    await expectState(handler, 'in_progress');
    await handler.getByTestId('action-reply').click();
    await form.waitFor();
    expect(await form.getByLabel('答复客户内容').inputValue()).toBe(text);
    expect(await form.getByLabel('责任人').inputValue()).toBe('王抄表');
    expect(await form.textContent()).toContain('抄核收差错');
    await shot(handler, 'rules-reply-after-reject');
    for (const p of [agent, handler, reviewer]) await p.context().close();
  });

  it('dispatch starts with the suggested unit, and intake saves and dispatches in one step', async () => {
    const { page } = await loginAs(browser, server.url, 'agent');
    // An order from 城关镇: the dispatch form starts with 城关供电所.
    const res = await page.request.post('/api/v1/tickets', {
      data: {
        kind: 'complaint',
        channel: 'phone',
        classCode: 'outage.repair',
        location: '示范县城关镇人民路18号',
        description: '城关镇人民路停电三个小时了，抢修还没有来。',
        customer: { name: '孙先生', phone: '13700003333' },
      },
    });
    const { id } = ((await res.json()) as { ticket: { id: number } }).ticket;
    await page.goto(`/tickets/${id}`);
    await expectState(page, 'pending_dispatch');
    await page.getByTestId('action-dispatch').click();
    const form = page.getByTestId('action-form-dispatch');
    await form.getByTestId('dispatch-suggested').waitFor();
    await expect.poll(async () => form.textContent(), POLL).toContain('城关供电所');
    await shot(page, 'rules-dispatch-suggested');
    await page.getByTestId('action-submit').click();
    await form.waitFor({ state: 'detached' });
    await expectState(page, 'dispatched');
    const dispatched = (await (await page.request.get(`/api/v1/tickets/${id}`)).json()) as { ticket: { unitName: string } };
    expect(dispatched.ticket.unitName).toBe('城关供电所');

    // 保存并派单 from intake: the unit field starts with the suggestion, one click saves and dispatches.
    await page.goto('/intake');
    await page.getByTestId('intake-phone').fill('13700004444');
    await page.getByTestId('intake-name').fill('周女士');
    await page.getByTestId('intake-location').fill('示范县城关镇解放路12号');
    await page.getByTestId('intake-description').fill('城关镇解放路这边电压很低，晚上灯都是暗的，空调开不起来。');
    await expect.poll(async () => page.getByTestId('intake-page').textContent(), POLL).toContain('派往单位');
    await expect.poll(async () => page.locator('[data-testid="intake-page"] form').textContent(), POLL).toMatch(/派往单位.*城关供电所/s);
    await page.getByTestId('intake-save-dispatch').click();
    await page.getByTestId('intake-number').waitFor();
    await page.getByTestId('intake-open').click();
    await expectState(page, 'dispatched');
    await page.context().close();
  });

  it('tracks an anonymous report by its receipt code in the one code field at 390 px, the error cleared on success', async () => {
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
    const page = await context.newPage();
    const filed = await page.request.post('/api/public/portal/submissions', {
      data: { kind: 'report', anonymous: true, classCode: 'theft', description: '村东头有人私拉电线窃电，已经好几个月了。' },
    });
    expect(filed.status()).toBe(201);
    const receipt = ((await filed.json()) as { receiptCode: string }).receiptCode;
    await page.goto('/portal#track');
    await page.getByTestId('track-code').fill('AAAABBBBCCCCDDDDEEEE');
    await page.getByTestId('track-submit').click();
    await page.locator('#alert:not([hidden])').waitFor();
    await page.getByTestId('track-code').fill(`  ${receipt.toLowerCase()} `);
    await page.getByTestId('track-submit').click();
    await page.getByTestId('progress').waitFor({ state: 'visible' });
    expect(await page.locator('#alert').isHidden()).toBe(true);
    const box = await page.getByTestId('progress-status').boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 390).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await shot(page, 'rules-portal-track-390');
    await context.close();
  });

  it('keeps the 时限 column of a work list on screen at 1366 and 1440 px', async () => {
    for (const width of [1366, 1440]) {
      const { context, page } = await loginAs(browser, server.url, 'agent');
      await page.setViewportSize({ width, height: 800 });
      await createOrder(page, `电费异常，请核查（${width}）。`);
      await page.goto('/tickets?queue=to_dispatch');
      const header = page.locator('[data-testid="ticket-table"] th').filter({ hasText: '时限' }).first();
      await header.waitFor();
      const box = await header.boundingBox();
      expect([width, box !== null && box.x + box.width <= width]).toEqual([width, true]);
      await page.getByTestId('deadline-tag').first().waitFor();
      const tag = await page.getByTestId('deadline-tag').first().boundingBox();
      expect([width, tag !== null && tag.x + tag.width <= width]).toEqual([width, true]);
      await context.close();
    }
  });

  it('remembers the columns a user hides on the work list', async () => {
    const { context, page } = await loginAs(browser, server.url, 'agent');
    await createOrder(page, '电费异常，请核查（列设置）。');
    await page.goto('/tickets?queue=to_dispatch');
    const headers = page.locator('[data-testid="ticket-table"] th');
    await headers.filter({ hasText: '分类' }).first().waitFor();
    await page.getByTestId('columns-button').click();
    await page.getByTestId('column-chooser').getByText('分类', { exact: true }).click();
    await expect.poll(async () => headers.filter({ hasText: '分类' }).count(), POLL).toBe(0);
    await page.reload();
    await headers.filter({ hasText: '时限' }).first().waitFor();
    expect(await headers.filter({ hasText: '分类' }).count()).toBe(0);
    await context.close();
  });
});
