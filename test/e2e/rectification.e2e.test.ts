import { copyFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { shanghaiDate } from '../../server/domain/calendar.ts';
import { previousPeriod } from '../../server/domain/stats/period.ts';
import { complaintBody } from '../factories.ts';
import { auditPage, auditTable, type PageAudit } from './audit.ts';
import { ARTIFACTS, describeBrowser, E2E_PASSWORD, type E2EServer, launchBrowser, loginAs, shot, startServer } from './browser.ts';
import { POLL, pick } from './steps.ts';

const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots');

// A photo of the corrected meter book: a 1×1 PNG is enough for the file store.
const EVIDENCE = {
  name: '抄表复核照片.png',
  mimeType: 'image/png',
  buffer: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64'),
};

/**
 * The corrective loop in Chromium: the analyst raises a rectification from a statistics figure (cause, orders
 * and figure filled in), assigns it to 城关供电所 with a deadline; the unit lead uploads evidence and submits
 * measures; the analyst sends it back once, then accepts; the effect check compares the cause's complaints of the
 * three months before (last month's imported history) with those after, and closes it.
 */
describeBrowser('rectification (整改单) from a statistics figure to the effect check', () => {
  let server: E2EServer;
  let browser: Browser;
  let analyst: Page;
  let lead: Page;
  const audits: PageAudit[] = [];

  async function sessionOf(username: string): Promise<Record<string, string>> {
    const login = await server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: E2E_PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = login.cookies.find((c) => c.name === 'gv_session');
    return { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
  }

  /** Last month: three billing complaints of 城关供电所, closed, imported by the administrator. */
  async function importHistory(month: string) {
    const map = {
      number: '工单编号',
      kind: '业务类型',
      channel: '受理渠道',
      classCode: '业务分类',
      description: '受理内容',
      unit: '处理单位',
      intakeAt: '受理时间',
      closedAt: '归档时间',
      verification: '核实结果',
      rootCause: '问题原因',
      replyText: '答复内容',
    };
    const rows = ['05', '09', '14'].map((day, i) => [
      `R-0${i}`,
      'complaint',
      'phone',
      'business.billing',
      `历史工单${i}：电费突然增加，怀疑抄表有误。`,
      'SFX-CG',
      `${month}-${day} 09:30`,
      `${month}-${String(Number(day) + 2).padStart(2, '0')} 16:00`,
      '属实',
      'billing_error',
      '经核实已更正电费并答复客户。',
    ]);
    const csv = [Object.values(map), ...rows].map((r) => r.map((v) => `"${v}"`).join(',')).join('\r\n');
    const boundary = '----gridvoice-rect-e2e';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify(map)}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="history.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      Buffer.from(csv, 'utf8'),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const admin = await sessionOf('admin');
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
    expect(job, JSON.stringify(job.problems)).toMatchObject({ status: 'done', imported: 3, failed: 0 });
  }

  beforeAll(async () => {
    server = await startServer({ name: 'rectification' });
    browser = await launchBrowser();
    const thisMonth = shanghaiDate(server.app.services.clock()).slice(0, 7);
    await importHistory(previousPeriod(thisMonth) as string);
    // This month: four billing complaints dispatched to 城关供电所.
    const agent = await sessionOf('agent');
    const cg = (await server.app.services.repos.org.findByCode('SFX-CG'))?.id as number;
    for (let i = 0; i < 4; i++) {
      const body = complaintBody({ customer: { name: `客户${i}`, phone: `1390000300${i}` } });
      const res = await server.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agent, payload: body });
      expect(res.statusCode, res.body).toBe(201);
      const d = await server.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${res.json().ticket.id}/actions/dispatch`,
        headers: agent,
        payload: { version: 1, unitId: cg },
      });
      expect(d.statusCode, d.body).toBe(200);
    }
    ({ page: analyst } = await loginAs(browser, server.url, 'analyst'));
    ({ page: lead } = await loginAs(browser, server.url, 'unitlead'));
  });
  afterAll(async () => {
    process.stdout.write(auditTable(audits));
    await browser?.close();
    await server?.close();
  });

  // A failed step leaves both pages as they were, for reading the run afterwards.
  afterEach(async (ctx) => {
    if (ctx.task.result?.state !== 'fail') return;
    if (analyst) await shot(analyst, `rect-failed-analyst-${ctx.task.name.slice(4, 20)}`);
    if (lead) await shot(lead, `rect-failed-lead-${ctx.task.name.slice(4, 20)}`);
  });

  async function audit(page: Page, name: string) {
    const a = await auditPage(page, name);
    audits.push(a);
    expect.soft(a.mains, `${name}: one <main>`).toBe(1);
    expect.soft(a.english, `${name}: texts not in zh-CN`).toEqual([]);
    expect.soft(a.blocking, `${name}: serious/critical axe violations`).toEqual([]);
  }

  async function detailState(page: Page, state: string) {
    await page.locator(`[data-testid="rect-detail"][data-state="${state}"]`).waitFor();
  }

  it('the analyst raises one from the 电价电费 figure of this month, prefilled with its orders', async () => {
    await analyst.goto('/stats?report=situation');
    await analyst.locator('[data-testid="report"][data-code="situation"][data-state="ready"]').waitFor();
    const row = analyst.getByTestId('report-table').locator('tr.ant-table-row').filter({ hasText: '电价电费' });
    await row.getByTestId('raise-from-figure').click();
    await expect.poll(() => analyst.getByTestId('rect-raise-orders').getAttribute('data-count'), POLL).toBe('4');
    expect(await analyst.getByTestId('rect-problem').inputValue()).toContain('共 4 件');
    await pick(analyst, analyst.getByLabel('整改单位'), '城关供电所');
    await analyst.getByTestId('rect-days').fill('5');
    await audit(analyst, 'analyst /rectifications/new');
    await shot(analyst, 'rect-raise');
    await analyst.getByTestId('rect-raise-submit').click();
    await detailState(analyst, 'open');
    expect(await analyst.getByTestId('rect-unit').textContent()).toBe('城关供电所');
    expect(await analyst.getByTestId('rect-orders').locator('a').count()).toBe(4);
    await audit(analyst, 'analyst /rectifications/:id (open)');
  }, 120_000);

  it('the unit lead finds it under 整改单, uploads evidence and submits the measures', async () => {
    await lead.reload();
    await lead.getByRole('link', { name: '整改单' }).click();
    await lead.getByTestId('rect-link').first().click();
    await detailState(lead, 'open');
    await lead.getByTestId('rect-evidence').locator('input[type=file]').setInputFiles(EVIDENCE);
    await lead.getByTestId('rect-file').first().waitFor();
    await lead.getByTestId('rect-response').fill('已逐户复核抄表数据，更正 4 户电费，组织抄表员培训。');
    await lead.getByTestId('rect-submit').click();
    await detailState(lead, 'submitted');
    await audit(lead, 'unit lead /rectifications/:id');
  }, 120_000);

  it('the analyst sends it back once, the unit lead answers again, the analyst accepts', async () => {
    await analyst.reload();
    await detailState(analyst, 'submitted');
    await analyst.getByTestId('rect-verify-note').fill('请补充培训签到表');
    await analyst.getByTestId('rect-send-back').click();
    await detailState(analyst, 'open');

    await lead.reload();
    await detailState(lead, 'open');
    await lead.getByTestId('rect-response').fill('已逐户复核抄表数据，更正 4 户电费；培训签到表已上传。');
    await lead.getByTestId('rect-submit').click();
    await detailState(lead, 'submitted');

    await analyst.reload();
    await detailState(analyst, 'submitted');
    await analyst.getByTestId('rect-pass').click();
    await detailState(analyst, 'verified');
    const actions = await analyst
      .getByTestId('rect-history')
      .locator('[data-action]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(actions).toEqual(['raise', 'evidence', 'submit', 'send_back', 'submit', 'pass']);
  }, 120_000);

  it('the effect figures compare the 3 billing complaints before with none so far; at the end of the period the check closes it as effective', async () => {
    await analyst.getByTestId('effect-before').waitFor();
    expect(await analyst.getByTestId('effect-before').textContent()).toBe('3');
    expect(await analyst.getByTestId('effect-after').textContent()).toBe('0');
    // The verdict waits for the whole period after verification: no button yet, only the figures so far.
    expect(await analyst.getByTestId('rect-effect').textContent()).toContain('评估期未满');
    expect(await analyst.getByTestId('rect-effect-check').count()).toBe(0);
    // Three months on, the sweeper runs the check (here directly: the server's clock is the real one).
    const id = Number(new URL(analyst.url()).pathname.split('/').pop());
    const result = await server.app.services.rectifications.effectCheck(null, id);
    expect(result).toMatchObject({ before: { count: 3 }, verdict: 'effective' });
    await analyst.reload();
    await detailState(analyst, 'closed');
    expect(await analyst.getByTestId('rect-verdict').textContent()).toBe('整改有效');
    await audit(analyst, 'analyst /rectifications/:id (closed)');
    await shot(analyst, 'rect-closed');
    await analyst.getByRole('link', { name: '整改单' }).first().click();
    await analyst.getByTestId('rect-list').locator('tr.ant-table-row').first().waitFor();
    await audit(analyst, 'analyst /rectifications');
  }, 120_000);

  // Refreshing the committed screenshots is a deliberate act (UPDATE_SCREENSHOTS=1): a plain run leaves docs/ alone.
  it.runIf(process.env.UPDATE_SCREENSHOTS === '1')('refreshes the rectification screenshots in docs/screenshots', () => {
    for (const name of ['rect-raise', 'rect-closed']) copyFileSync(join(ARTIFACTS, `${name}.png`), join(SCREENSHOTS, `${name}.png`));
  });
});
