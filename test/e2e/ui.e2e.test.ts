import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { act, expectState, POLL, pick } from './steps.ts';

/** Takes in a complaint over the API as the logged-in user of the page; returns its id. */
async function createOrder(page: Page, description: string): Promise<number> {
  const res = await page.request.post('/api/v1/tickets', {
    data: {
      kind: 'complaint',
      channel: 'phone',
      classCode: 'outage.repair',
      description,
      customer: { name: '王女士', phone: '13700001111' },
    },
  });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { ticket: { id: number } }).ticket.id;
}

describeBrowser('web workspace: conflicts, failed saves and languages', () => {
  let server: E2EServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ name: 'ui' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows the conflict message on a stale edit, reloads the order and keeps the typed text', async () => {
    const { context, page: first } = await loginAs(browser, server.url, 'agent');
    const id = await createOrder(first, '小区停电已经五个小时，抢修人员还没有到，家里有老人。');
    const second = await context.newPage();
    await first.goto(`/tickets/${id}`);
    await second.goto(`/tickets/${id}`);
    await expectState(second, 'pending_dispatch');

    const typed = '客户再次来电，情绪激动，要求两小时内到场。';
    await second.getByTestId('action-urge').click();
    const form = second.getByTestId('action-form-urge');
    await form.getByLabel('催办内容').fill(typed);

    await act(first, 'note', async (f) => {
      await f.getByLabel('备注内容').fill('已电话安抚客户，告知抢修进度。');
    });

    await second.getByTestId('action-submit').click();
    await second.getByTestId('conflict-alert').waitFor();
    expect(await second.getByTestId('conflict-alert').textContent()).toContain('已被他人更新');
    expect(await form.getByLabel('催办内容').inputValue()).toBe(typed);
    await second.locator('[data-testid="timeline-item"][data-action="note"]').waitFor();
    await shot(second, '12-conflict-kept-text');

    await second.getByTestId('action-submit').click();
    await form.waitFor({ state: 'detached' });
    await second.locator('[data-testid="timeline-item"][data-action="urge"]').waitFor();
    await context.close();
  }, 60_000);

  it('keeps the intake form after a failed save and never duplicates the order on retry', async () => {
    const { context, page } = await loginAs(browser, server.url, 'agent');
    const before = ((await (await page.request.get('/api/v1/tickets?phone=13600002222')).json()) as { items: unknown[] }).items.length;
    await page.goto('/intake');
    await page.getByTestId('intake-phone').fill('13600002222');
    await page.getByTestId('intake-name').fill('李女士');
    const words = '营业厅收了我 200 元表计校验费，听说这个费用早就取消了。';
    await page.getByTestId('intake-description').fill(words);
    // The server takes the order but the answer is lost on the way back: the agent sees a failure.
    let dropped = false;
    await page.route('**/api/v1/tickets', async (route) => {
      if (route.request().method() !== 'POST' || dropped) return route.continue();
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.getByTestId('intake-save').click();
    await page.getByTestId('intake-error').waitFor();
    expect(await page.getByTestId('intake-description').inputValue()).toBe(words);
    expect(await page.getByTestId('intake-name').inputValue()).toBe('李女士');
    await shot(page, '13-intake-failed-kept');

    await page.getByTestId('intake-save').click();
    await page.getByTestId('intake-number').waitFor();
    const after = ((await (await page.request.get('/api/v1/tickets?phone=13600002222')).json()) as { items: unknown[] }).items.length;
    expect(after).toBe(before + 1);
    await context.close();
  }, 60_000);

  it('takes a report with the reporter identity kept apart, which discipline staff reveal with a logged reason', async () => {
    const { context, page } = await loginAs(browser, server.url, 'agent');
    await page.goto('/intake');
    await page.getByTestId('intake-phone').fill('13911112222');
    await page.getByTestId('intake-kind').getByText('举报').click();
    await pick(page, page.getByLabel('分类'), '吃拿卡要');
    await page.getByLabel('举报人姓名').fill('赵举报');
    await page.getByTestId('intake-description').fill('抄表员上门时索要两条香烟，不给就说要查我家的表。');
    await page.getByTestId('intake-save').click();
    await page.getByTestId('intake-open').click();
    const id = new URL(page.url()).pathname.split('/').pop();
    expect(await page.getByTestId('customer-card').textContent()).toContain('举报人-');
    expect(await page.getByTestId('customer-card').textContent()).not.toContain('赵举报');
    await context.close();

    const discipline = await loginAs(browser, server.url, 'discipline');
    await discipline.page.goto(`/tickets/${id}`);
    await discipline.page.getByTestId('reveal-identity').click();
    await discipline.page.getByLabel('查看原因（将记入访问日志）').fill('核查举报线索');
    await discipline.page.locator('.ant-modal-footer .ant-btn-primary').click();
    await discipline.page.getByText('赵举报').waitFor();
    await discipline.context.close();
  }, 60_000);

  it('filters a work list by the words typed in its search box, kept in the URL', async () => {
    const { page } = await loginAs(browser, server.url, 'agent');
    const fridge = await createOrder(page, '停电一整天冰箱里的东西全坏了，要求赔偿损失。');
    const other = await createOrder(page, '路灯杆倾斜，担心砸到行人，请尽快处理。');
    const number = async (id: number) =>
      ((await (await page.request.get(`/api/v1/tickets/${id}`)).json()) as { ticket: { number: string } }).ticket.number;
    await page.goto('/tickets?queue=to_dispatch');
    await page
      .getByTestId('ticket-link')
      .filter({ hasText: await number(other) })
      .waitFor();
    await page.getByTestId('filter-text').locator('input').fill('冰箱 赔偿');
    await page.getByTestId('filter-text').locator('input').press('Enter');
    await page.waitForURL(/q=/);
    expect(new URL(page.url()).searchParams.get('q')).toBe('冰箱 赔偿');
    await page
      .getByTestId('ticket-link')
      .filter({ hasText: await number(fridge) })
      .waitFor();
    await expect.poll(async () => page.getByTestId('ticket-link').allTextContents(), POLL).toEqual([await number(fridge)]);
  });

  it('switches the labels to English and remembers the choice', async () => {
    const { context, page } = await loginAs(browser, server.url, 'agent');
    const id = await createOrder(page, '电压太低，空调开不起来。');
    await page.goto(`/tickets/${id}`);
    await expectState(page, 'pending_dispatch');
    expect(await page.getByTestId('state-tag').first().textContent()).toBe('待派单');
    expect(await page.getByTestId('action-dispatch').textContent()).toMatch(/派\s*单/);

    await page.getByTestId('lang-switch').click();
    await page.getByText('Work orders', { exact: true }).waitFor();
    expect(await page.getByTestId('state-tag').first().textContent()).toBe('To dispatch');
    expect(await page.getByTestId('action-dispatch').textContent()).toBe('Dispatch');
    expect(await page.getByTestId('customer-words').textContent()).toBe('电压太低，空调开不起来。');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await shot(page, '14-english-detail');

    await page.reload();
    await page.getByTestId('action-dispatch').waitFor();
    expect(await page.getByTestId('action-dispatch').textContent()).toBe('Dispatch');
    await page.goto('/');
    await page.getByTestId('queue-to_dispatch').waitFor();
    expect(await page.getByTestId('queue-to_dispatch').textContent()).toContain('To dispatch');

    await page.getByTestId('lang-switch').click();
    await page.getByText('工单列表', { exact: true }).waitFor();
    expect(await page.getByTestId('queue-to_dispatch').textContent()).toContain('待派单');
    await context.close();
  }, 60_000);

  it('lets the administrator work through users, units, classes, time limits, calendar and tokens', async () => {
    const { context, page } = await loginAs(browser, server.url, 'admin');
    await page.goto('/admin/users');
    await page.getByRole('cell', { name: 'handler2', exact: true }).waitFor();
    await shot(page, '15-admin-users');
    const pane = (tab: string) => page.getByRole('tabpanel', { name: tab });
    await page.getByRole('tab', { name: '组织机构' }).click();
    await pane('组织机构').getByRole('cell', { name: '城关供电所', exact: true }).waitFor();
    await page.getByRole('tab', { name: '时限策略' }).click();
    await pane('时限策略').getByText('#1').first().waitFor();
    await page.getByRole('tab', { name: '工作日历' }).click();
    const calendar = pane('工作日历');
    await calendar.getByLabel('日期').click();
    await calendar.getByLabel('日期').fill('2026-12-31');
    await calendar.getByLabel('日期').press('Enter');
    await calendar.getByLabel('说明').first().fill('县城抢险停工');
    await calendar.getByRole('button', { name: '添加调整' }).click();
    await calendar.getByRole('cell', { name: '县城抢险停工' }).waitFor();
    await page.getByRole('tab', { name: '接口令牌' }).click();
    await page.getByRole('button', { name: '新建令牌' }).click();
    await page.getByLabel('名称').fill('12345 政务热线对接');
    await pick(page, page.getByLabel('所属单位'), '客户服务中心');
    await page.locator('.ant-modal-footer .ant-btn-primary').click();
    await page.getByText('令牌只显示这一次').waitFor();
    expect(await page.locator('.ant-modal code').first().textContent()).toMatch(/^gv_/);
    await context.close();
  }, 60_000);
});
