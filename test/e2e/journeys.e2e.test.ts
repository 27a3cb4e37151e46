import { copyFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { complaintBody } from '../factories.ts';
import { auditPage, auditTable, type PageAudit, untranslated } from './audit.ts';
import { ARTIFACTS, describeBrowser, E2E_PASSWORD, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { act, expectState, openFromList, POLL, pick } from './steps.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

/** Menu entries (by link target) each role must see, and those it must not: what a role cannot use is not shown. */
const MENUS: Record<string, { shown: string[]; hidden: string[] }> = {
  agent: { shown: ['/', '/intake', '/tickets', '/search', '/outages'], hidden: ['/stats', '/kpis', '/rectifications', '/admin/users'] },
  handler: { shown: ['/', '/tickets', '/search'], hidden: ['/intake', '/stats', '/kpis', '/rectifications', '/admin/users'] },
  unitlead: { shown: ['/', '/tickets', '/search', '/outages', '/rectifications'], hidden: ['/intake', '/stats', '/kpis', '/admin/users'] },
  reviewer: { shown: ['/', '/tickets', '/search', '/rectifications'], hidden: ['/intake', '/stats', '/kpis', '/admin/users'] },
  leader: { shown: ['/', '/tickets', '/search', '/stats', '/kpis', '/rectifications'], hidden: ['/intake', '/admin/users'] },
  analyst: { shown: ['/', '/tickets', '/stats', '/kpis', '/rectifications'], hidden: ['/intake', '/admin/users'] },
  discipline: { shown: ['/', '/tickets', '/search'], hidden: ['/intake', '/stats', '/kpis', '/rectifications', '/admin/users'] },
  admin: { shown: ['/', '/admin/users'], hidden: ['/intake', '/tickets', '/stats', '/kpis', '/rectifications'] },
};

/**
 * Each role's daily work in Chromium, in zh-CN, one browser with a page per user: the agent takes a phone complaint
 * and dispatches it, the handler signs, contacts and replies, the unit lead gives the first-level approval, the
 * reviewer approves, the agent makes the call-back, the leader supervises and reads the cockpit, the analyst reads
 * the statistics, KPIs and rectifications, the administrator walks every admin tab, and a customer submits and
 * tracks a complaint on the portal. Every page reached is audited: one <main>, no serious or critical axe-core
 * violation, no untranslated key, English error or raw JSON; the side menu shows only what the role may use.
 * Screenshots (journey-*.png) illustrate the guides in docs/.
 */
describeBrowser('role journeys in zh-CN, with axe-core on every page', () => {
  let server: E2EServer;
  let browser: Browser;
  const pages: Record<string, Page> = {};
  const audits: PageAudit[] = [];
  const shots: string[] = [];
  let orderPath = '';
  let number = '';

  async function as(user: string): Promise<Page> {
    if (!pages[user]) pages[user] = (await loginAs(browser, server.url, user)).page;
    return pages[user];
  }

  /** Audits the page as it is now; every finding fails the test, after the whole table is printed. */
  async function audit(page: Page, name: string) {
    const a = await auditPage(page, name);
    audits.push(a);
    expect.soft(a.mains, `${name}: one <main>`).toBe(1);
    expect.soft(a.english, `${name}: texts not in zh-CN`).toEqual([]);
    expect.soft(a.blocking, `${name}: serious/critical axe violations`).toEqual([]);
  }

  async function snap(page: Page, name: string) {
    shots.push(name);
    await shot(page, name);
  }

  /** Opens each menu entry of the role in turn and audits the page it shows. */
  async function walkMenu(page: Page, user: string) {
    const menu = MENUS[user] as { shown: string[]; hidden: string[] };
    const nav = page.locator('nav a');
    const links = await nav.evaluateAll((els) => els.map((e) => e.getAttribute('href') ?? ''));
    for (const href of menu.shown) expect(links, `${user} sees ${href}`).toContain(href);
    for (const href of menu.hidden) expect(links, `${user} does not see ${href}`).not.toContain(href);
    for (const href of links) {
      await nav
        .and(page.locator(`[href="${href}"]`))
        .first()
        .click();
      await page.waitForURL((u) => u.pathname.startsWith(href));
      await audit(page, `${user} ${href}`);
    }
  }

  beforeAll(async () => {
    server = await startServer({ name: 'journeys' });
    browser = await launchBrowser();
    // A second complaint, already with 城关供电所, for the leader to supervise.
    const login = await server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'agent', password: E2E_PASSWORD },
    });
    const cookie = login.cookies.find((c) => c.name === 'gv_session');
    const agent = { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
    const cg = (await server.app.services.repos.org.findByCode('SFX-CG'))?.id as number;
    const body = complaintBody({
      classCode: 'outage.repair',
      subject: '停电三天没人来抢修',
      customer: { name: '王大妈', phone: '13800004444' },
    });
    const r = await server.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent, payload: body });
    expect(r.statusCode, r.body).toBe(201);
    const d = await server.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${r.json().ticket.id}/actions/dispatch`,
      headers: agent,
      payload: { version: 1, unitId: cg },
    });
    expect(d.statusCode, d.body).toBe(200);
  });
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    for (const [user, page] of Object.entries(pages)) await shot(page, `journey-failed-${user}`).catch(() => undefined);
  });
  afterAll(async () => {
    process.stdout.write(auditTable(audits));
    await browser?.close();
    await server?.close();
  });

  it('agent 受理员: takes a phone complaint and dispatches it', async () => {
    const agent = await as('agent');
    await audit(agent, 'agent / (home)');
    await snap(agent, 'journey-agent-home');
    await agent.getByTestId('home-intake').click();
    await agent.getByTestId('intake-phone').fill('13912345678');
    await agent.getByTestId('intake-phone').press('Tab');
    await agent.getByTestId('intake-name').fill('张建国');
    await pick(agent, agent.getByLabel('分类'), '电价电费');
    await agent.getByTestId('intake-location').fill('城关镇解放路 12 号');
    await agent.getByTestId('intake-description').fill('我家这个月电费比平时多了三倍，家里没有新增电器，怀疑抄表有误，请尽快核实。');
    await audit(agent, 'agent /intake (filled)');
    await snap(agent, 'journey-agent-intake');
    await agent.getByTestId('intake-description').press('Control+Enter');
    number = ((await agent.getByTestId('intake-number').textContent()) ?? '').trim();
    expect(number).toMatch(/^TS\d{13}$/);
    await agent.getByTestId('intake-open').click();
    await expectState(agent, 'pending_dispatch');
    orderPath = new URL(agent.url()).pathname;
    await act(agent, 'dispatch', async (f) => {
      await pick(agent, f.getByLabel('派往单位'), '城关供电所');
    });
    await expectState(agent, 'dispatched');
    await audit(agent, 'agent /tickets/:id (dispatched)');
    await snap(agent, 'journey-agent-dispatched');
    await walkMenu(agent, 'agent');
  }, 180_000);

  it('handler 处理人: signs, contacts the customer and replies', async () => {
    const handler = await as('handler');
    await audit(handler, 'handler / (home)');
    await openFromList(handler, 'queue=to_sign', number);
    await act(handler, 'sign');
    await act(handler, 'contact', async (f) => {
      await f.getByLabel('联系情况').fill('电话联系客户，约定次日上门核查电表。');
    });
    await act(handler, 'reply', async (f) => {
      await pick(handler, f.getByLabel('核实结果'), '属实');
      await pick(handler, f.getByLabel('问题原因'), '抄核收差错');
      await pick(handler, f.getByLabel('责任归属'), '供电企业责任');
      await f.getByLabel('答复客户内容').fill('经核实，抄表员误抄表码，已更正电费并退还多收部分。');
    });
    await expectState(handler, 'pending_review');
    await audit(handler, 'handler /tickets/:id (replied)');
    await snap(handler, 'journey-handler-replied');
    await walkMenu(handler, 'handler');
  }, 180_000);

  it('unit lead 单位负责人: first-level approval of the unit’s reply, the unit’s rectifications', async () => {
    const lead = await as('unitlead');
    await audit(lead, 'unitlead / (home)');
    await lead.goto(orderPath);
    await expectState(lead, 'pending_review');
    await act(lead, 'unit_approve');
    await audit(lead, 'unitlead /tickets/:id (unit approved)');
    await snap(lead, 'journey-unitlead-approved');
    await walkMenu(lead, 'unitlead');
  }, 180_000);

  it('reviewer 审核员: approves the reply; agent 受理员: the call-back closes the order', async () => {
    const reviewer = await as('reviewer');
    await audit(reviewer, 'reviewer / (home)');
    await openFromList(reviewer, 'queue=to_review', number);
    await act(reviewer, 'approve');
    await expectState(reviewer, 'pending_revisit');
    await audit(reviewer, 'reviewer /tickets/:id (approved)');
    await snap(reviewer, 'journey-reviewer-approved');
    await walkMenu(reviewer, 'reviewer');

    const agent = await as('agent');
    await openFromList(agent, 'queue=to_revisit', number);
    await act(agent, 'revisit', async (f) => {
      await pick(agent, f.getByLabel('回访结果'), '满意');
    });
    await expectState(agent, 'closed');
    await audit(agent, 'agent /tickets/:id (closed)');
    await snap(agent, 'journey-agent-closed');
  }, 180_000);

  it('leader 领导: reads the cockpit and supervises an open order', async () => {
    const leader = await as('leader');
    await audit(leader, 'leader / (cockpit)');
    await snap(leader, 'journey-leader-cockpit');
    await leader.goto('/tickets?queue=open');
    await leader.getByTestId('ticket-link').filter({ hasText: /^TS/ }).first().click();
    await leader.getByTestId('ticket-detail').waitFor();
    await act(leader, 'supervise', async (f) => {
      await f.getByLabel('督办意见').fill('停电抢修不及时，请所长亲自督办，今日内联系客户。');
    });
    await leader.locator('[data-testid="timeline-item"][data-action="supervise"]').waitFor();
    await audit(leader, 'leader /tickets/:id (supervised)');
    await snap(leader, 'journey-leader-supervised');
    await walkMenu(leader, 'leader');
  }, 180_000);

  it('analyst 统计分析: statistics, KPIs, the bulletin and rectifications', async () => {
    const analyst = await as('analyst');
    await audit(analyst, 'analyst / (home)');
    await walkMenu(analyst, 'analyst');
    await analyst.goto('/stats');
    await analyst.locator('[data-testid="report"][data-state="ready"]').waitFor();
    await snap(analyst, 'journey-analyst-stats');
    await analyst.getByRole('tab', { name: '月度通报' }).click();
    await analyst.getByTestId('bulletin').waitFor();
    await audit(analyst, 'analyst /stats (月度通报)');
    await snap(analyst, 'journey-analyst-bulletin');
    await analyst.goto('/rectifications/new');
    await analyst.getByTestId('rect-problem').waitFor();
    await audit(analyst, 'analyst /rectifications/new');
  }, 180_000);

  it('discipline 纪检: reads the orders of the company', async () => {
    const discipline = await as('discipline');
    await audit(discipline, 'discipline / (home)');
    await walkMenu(discipline, 'discipline');
    // The zh-CN check finds what it is for: a raw key, the server's English and raw JSON put on the page.
    const planted = ['admin.clockDispatch', 'Missing permission stats.read', '{"error":{"code":"validation_failed"}}'];
    await discipline.evaluate((texts) => {
      for (const text of texts) document.querySelector('main')?.append(Object.assign(document.createElement('p'), { textContent: text }));
    }, planted);
    expect(await untranslated(discipline)).toEqual(planted);
    await discipline.reload();
  }, 180_000);

  it('admin 系统管理员: every administration tab', async () => {
    const admin = await as('admin');
    await audit(admin, 'admin / (home)');
    await walkMenu(admin, 'admin');
    await admin.getByRole('tab').first().waitFor();
    const tabs = await admin.getByRole('tab').evaluateAll((els) => els.map((e) => e.textContent ?? ''));
    expect(tabs.length).toBeGreaterThanOrEqual(8);
    for (const name of tabs) {
      await admin.getByRole('tab', { name }).click();
      await expect.poll(() => admin.getByRole('tab', { name }).getAttribute('aria-selected'), POLL).toBe('true');
      await audit(admin, `admin /admin (${name})`);
      if (name === '时限策略') await snap(admin, 'journey-admin-policies');
    }
  }, 240_000);

  it('portal user 客户: submits a complaint on the portal and tracks it', async () => {
    const context = await browser.newContext({
      baseURL: server.url,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      viewport: { width: 390, height: 844 },
    });
    const page = await context.newPage();
    await page.goto('/portal');
    await page.getByTestId('kind-complaint').waitFor();
    await audit(page, 'portal /portal (form)');
    await page.getByTestId('portal-class').selectOption({ label: '电费、电价、抄表或催费有疑问' });
    await page.getByTestId('portal-description').fill('这个月电费比平时多了三倍，家里没有新增电器，怀疑抄表有误，请尽快核实。');
    await page.getByTestId('portal-location').fill('城关镇解放路12号');
    await page.getByTestId('portal-phone').fill('13912345678');
    await page.getByTestId('portal-name').fill('张建国');
    await page.getByTestId('portal-submit').click();
    await page.getByTestId('done-number').waitFor({ state: 'visible' });
    const portalNumber = ((await page.getByTestId('done-number').textContent()) ?? '').trim();
    const code = ((await page.getByTestId('done-code').textContent()) ?? '').trim();
    expect(portalNumber).toMatch(/^TS\d{13}$/);
    await audit(page, 'portal /portal (receipt)');
    await snap(page, 'journey-portal-receipt');
    await page.getByTestId('done-track').click();
    await page.getByTestId('track-number').fill(portalNumber);
    await page.getByTestId('track-code').fill(code);
    await page.getByTestId('track-submit').click();
    await expect.poll(() => page.getByTestId('progress-status').textContent(), POLL).toBe('已受理，正在安排处理单位');
    await audit(page, 'portal /portal (progress)');
    await snap(page, 'journey-portal-progress');
    await context.close();
  }, 120_000);

  // Refreshing the committed screenshots is a deliberate act (UPDATE_SCREENSHOTS=1): a plain run leaves docs/ alone.
  it.runIf(process.env.UPDATE_SCREENSHOTS === '1')('refreshes the journey screenshots in docs/screenshots', () => {
    const taken = readdirSync(ARTIFACTS).filter((f) => f.startsWith('journey-') && !f.startsWith('journey-failed'));
    for (const name of shots) {
      expect(taken).toContain(`${name}.png`);
      copyFileSync(join(ARTIFACTS, `${name}.png`), join(SCREENSHOTS, `${name}.png`));
    }
  });
});
