import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COCKPIT_KPIS } from '../../core/kpi.ts';
import { KPIS } from '../../core/stats.ts';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

async function call(t: TestApp, headers: H, method: 'GET' | 'PUT', url: string, payload?: unknown) {
  const r = await t.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const json = r.headers['content-type']?.toString().includes('json');
  return { status: r.statusCode, body: json ? JSON.parse(r.body) : r.body, raw: r };
}

/** How many orders the order list shows for a drill-down query (all pages). */
async function listCount(t: TestApp, headers: H, drill: Record<string, string>): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const qs = new URLSearchParams({ ...drill, limit: '200', ...(cursor ? { cursor } : {}) });
    const r = await call(t, headers, 'GET', `/api/v1/tickets?${qs}`);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    n += r.body.items.length;
    cursor = r.body.nextCursor;
  } while (cursor);
  return n;
}

/**
 * Hand-built orders:
 *   F (Oct) complaint outage.repair → CG, open
 *   A (Nov) complaint business.billing phone → CG, closed satisfied, substantiated
 *   B (Nov) complaint outage.repair forwarded by 12398 → DC, open
 *   C (Nov) complaint service.attitude forwarded by 12345, mentions the media (risk), never dispatched → overdue
 *   D (Nov) praise on the web, never dispatched → overdue
 *   E (Nov) complaint business.billing phone → CG, open
 */
async function buildSet(t: TestApp, h: Record<string, H>) {
  const cg = await unitId(t, 'SFX-CG');
  const dc = await unitId(t, 'SFX-DC');
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const r = await p;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return JSON.parse(r.body);
  };
  const order = async (body: Record<string, unknown>) => (await ok(intake(t, h.agent as H, body))).ticket.id as number;
  t.clock.set('2026-10-20T02:00:00.000Z');
  const F = await order(complaintBody({ classCode: 'outage.repair', customer: { name: '王五', phone: '13700000005' } }));
  await ok(act(t, h.agent as H, F, 'dispatch', { version: 1, unitId: cg }));
  t.clock.set('2026-11-03T02:00:00.000Z');
  for (const u of Object.keys(h)) h[u] = await t.login(u);
  const A = await order(complaintBody());
  await ok(act(t, h.agent as H, A, 'dispatch', { version: 1, unitId: cg }));
  await ok(act(t, h.handler as H, A, 'sign', { version: 2 }));
  await ok(act(t, h.handler as H, A, 'contact', { version: 3, note: '已电话联系客户', method: 'phone' }));
  t.clock.advance(5 * HOUR);
  await ok(
    act(t, h.handler as H, A, 'reply', {
      version: 4,
      verification: 'substantiated',
      rootCause: 'billing_error',
      responsibility: 'company',
      replyText: '经核实抄表差错，已退还多收电费。',
    }),
  );
  await ok(act(t, h.reviewer as H, A, 'approve', { version: 5 }));
  await ok(act(t, h.agent as H, A, 'revisit', { version: 6, outcome: 'satisfied', note: '客户满意' }));
  const B = await order(
    complaintBody({
      channel: 'regulator_12398',
      externalRef: 'NEA-2026-1103',
      classCode: 'outage.repair',
      customer: { name: '李四', phone: '13600000002' },
    }),
  );
  await ok(act(t, h.agent as H, B, 'dispatch', { version: 1, unitId: dc }));
  const C = await order(
    complaintBody({
      channel: 'gov_12345',
      externalRef: '12345-20261103-7',
      classCode: 'service.attitude',
      description: '营业员态度恶劣，再不处理我就找媒体曝光。',
      customer: { name: '赵六', phone: '13500000003' },
    }),
  );
  const D = await order({ kind: 'praise', channel: 'web', classCode: 'general', description: '抢修师傅连夜恢复供电，特此表扬。' });
  const E = await order(complaintBody({ customer: { name: '钱七', phone: '13400000004' } }));
  await ok(act(t, h.agent as H, E, 'dispatch', { version: 1, unitId: cg }));
  // C and D wait past their 2-hour dispatch limit.
  t.clock.advance(3 * HOUR);
  await t.app.services.sweeper.runOnce();
  return { A, B, C, D, E, F, cg, dc };
}

describeEachDb('KPI targets, KPI page and leader cockpit', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let company: number;
  let cg: number;
  let dc: number;

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-10-20T02:00:00.000Z'),
      env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720', GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: '0' },
    });
    for (const u of ['agent', 'handler', 'reviewer', 'leader', 'analyst', 'admin']) h[u] = await t.login(u);
    const set = await buildSet(t, h);
    cg = set.cg;
    dc = set.dc;
    company = await unitId(t, 'SFX');
  });
  afterAll(async () => t?.close());

  describe('PUT /api/v1/kpi-targets/:kpi', () => {
    it('returns 401 without a session and 403 for roles other than admin', async () => {
      const body = { orgUnitId: company, target: 0.9, note: '年度考核' };
      expect((await call(t, {}, 'PUT', '/api/v1/kpi-targets/satisfaction_rate', body)).status).toBe(401);
      for (const u of ['leader', 'analyst', 'agent']) {
        const r = await call(t, h[u] as H, 'PUT', '/api/v1/kpi-targets/satisfaction_rate', body);
        expect(r.status).toBe(403);
      }
    });

    it('returns 400 with the field for an unknown KPI, an impossible value, a unit outside scope or an unknown key', async () => {
      const put = (kpi: string, body: unknown) => call(t, h.admin as H, 'PUT', `/api/v1/kpi-targets/${kpi}`, body);
      const cases: Array<[string, unknown, string]> = [
        ['colour', { orgUnitId: company, target: 0.9, note: '' }, 'kpi'],
        ['count', { orgUnitId: company, target: 10, note: '' }, 'kpi'],
        ['satisfaction_rate', { orgUnitId: company, target: 95, note: '' }, 'target'],
        ['satisfaction_rate', { orgUnitId: company, target: -0.1, note: '' }, 'target'],
        ['overdue', { orgUnitId: company, target: 2.5, note: '' }, 'target'],
        ['complaints_per_10k', { orgUnitId: 999_999, target: 1, note: '' }, 'orgUnitId'],
      ];
      for (const [kpi, body, field] of cases) {
        const r = await put(kpi, body);
        expect(r.status, `${kpi} ${JSON.stringify(body)}`).toBe(400);
        expect(r.body.error.code).toBe('validation_failed');
        expect(r.body.error.details.field).toBe(field);
      }
      const extra = await put('satisfaction_rate', { orgUnitId: company, target: 0.9, note: '', id: 1 });
      expect(extra.status).toBe(400);
      const missing = await put('satisfaction_rate', { orgUnitId: company, note: '' });
      expect(missing.status).toBe(400);
    });

    it('sets a company target that its units inherit, a unit target that overrides it, and keeps who changed what', async () => {
      const put = (kpi: string, body: unknown) => call(t, h.admin as H, 'PUT', `/api/v1/kpi-targets/${kpi}`, body);
      expect((await put('satisfaction_rate', { orgUnitId: company, target: 0.9, note: '年度考核目标' })).status).toBe(200);
      expect((await put('satisfaction_rate', { orgUnitId: company, target: 0.95, note: '上调' })).status).toBe(200);
      expect((await put('satisfaction_rate', { orgUnitId: cg, target: 0.98, note: '城关所从严' })).status).toBe(200);
      expect((await put('complaints_per_10k', { orgUnitId: company, target: 1.5, note: '' })).status).toBe(200);

      const atDc = await call(t, h.leader as H, 'GET', `/api/v1/kpi-targets?orgUnitId=${dc}`);
      expect(atDc.status).toBe(200);
      const sat = atDc.body.items.find((i: { code: string }) => i.code === 'satisfaction_rate');
      expect(sat).toMatchObject({ target: 0.95, own: false, from: { id: company } });
      const atCg = await call(t, h.admin as H, 'GET', `/api/v1/kpi-targets?orgUnitId=${cg}`);
      expect(atCg.body.items.find((i: { code: string }) => i.code === 'satisfaction_rate')).toMatchObject({ target: 0.98, own: true });
      expect(atCg.body.items.find((i: { code: string }) => i.code === 'repeat_rate')).toMatchObject({ target: null, from: null });

      // Removing the unit's own target brings back the company's.
      expect((await put('satisfaction_rate', { orgUnitId: cg, target: null, note: '统一口径' })).status).toBe(200);
      const again = await call(t, h.admin as H, 'GET', `/api/v1/kpi-targets?orgUnitId=${cg}`);
      expect(again.body.items.find((i: { code: string }) => i.code === 'satisfaction_rate')).toMatchObject({ target: 0.95, own: false });
      expect((await put('satisfaction_rate', { orgUnitId: cg, target: null, note: '' })).status).toBe(404);

      const hist = await call(t, h.admin as H, 'GET', '/api/v1/kpi-targets/history');
      expect(hist.status).toBe(200);
      const sats = hist.body.items.filter((i: { kpi: string }) => i.kpi === 'satisfaction_rate');
      expect(
        sats.map((i: { oldTarget: number | null; newTarget: number | null; note: string }) => [i.oldTarget, i.newTarget, i.note]),
      ).toEqual([
        [0.98, null, '统一口径'],
        [null, 0.98, '城关所从严'],
        [0.9, 0.95, '上调'],
        [null, 0.9, '年度考核目标'],
      ]);
      expect(sats[0]).toMatchObject({ changedBy: '系统管理员', unit: { id: cg } });
      expect((await call(t, h.leader as H, 'GET', '/api/v1/kpi-targets/history')).status).toBe(403);
    });
  });

  describe('GET /api/v1/stats/kpi-board', () => {
    it('returns 403 without stats.read and 400 naming the field for impossible periods', async () => {
      expect((await call(t, h.agent as H, 'GET', '/api/v1/stats/kpi-board?period=2026-11')).status).toBe(403);
      const bad: Array<[string, string]> = [
        ['period=2026-13', 'period'],
        ['period=2026-Q5', 'period'],
        ['period=2026-H3', 'period'],
        ['period=11/2026', 'period'],
        ['from=2026-02-30&to=2026-03-01', 'from'],
        ['from=2026-11-10&to=2026-11-01', 'to'],
        ['from=2026-11-10', 'to'],
      ];
      for (const [qs, field] of bad) {
        const r = await call(t, h.analyst as H, 'GET', `/api/v1/stats/kpi-board?${qs}`);
        expect(r.status, qs).toBe(400);
        expect(r.body.error.details.field, qs).toBe(field);
      }
    });

    it('shows every KPI with its definition, formula parts, last period and target, equal to the statistics figures', async () => {
      const r = await call(t, h.analyst as H, 'GET', '/api/v1/stats/kpi-board?period=2026-11');
      expect(r.status).toBe(200);
      const stats = await call(t, h.analyst as H, 'GET', '/api/v1/stats?period=2026-11');
      const oct = await call(t, h.analyst as H, 'GET', '/api/v1/stats?period=2026-10');
      expect(r.body.range).toMatchObject({ from: '2026-11-01', to: '2026-11-30', name: '2026年11月' });
      expect(r.body.previous).toMatchObject({ from: '2026-10-01', to: '2026-10-31' });
      expect(r.body.items.map((i: { code: string }) => i.code)).toEqual(KPIS.map((k) => k.code));
      for (const item of r.body.items) {
        expect(item.value).toBe(stats.body.total.kpis[item.code]);
        expect(item.previous).toBe(oct.body.total.kpis[item.code]);
        expect(item.definition.zh.length).toBeGreaterThan(4);
        if (item.formula.den && item.formula.den.measure !== 'customers')
          expect(item.formula.den.value).toBe(stats.body.total.measures[item.formula.den.measure]);
      }
      const sat = r.body.items.find((i: { code: string }) => i.code === 'satisfaction_rate');
      expect(sat).toMatchObject({ value: 1, target: 0.95, met: true, better: 'higher' });
      const per10k = r.body.items.find((i: { code: string }) => i.code === 'complaints_per_10k');
      expect(per10k.formula.den).toEqual({ measure: 'customers', value: 186_400 });
      expect(per10k.met).toBe(per10k.value <= 1.5);
      expect(await listCount(t, h.analyst as H, r.body.drill)).toBe(stats.body.total.measures.n);
    });

    it('a custom range compares with the as many days just before it, a unit takes its own target', async () => {
      const r = await call(t, h.leader as H, 'GET', `/api/v1/stats/kpi-board?from=2026-11-01&to=2026-11-10&orgId=${cg}`);
      expect(r.status).toBe(200);
      expect(r.body.previous).toMatchObject({ from: '2026-10-22', to: '2026-10-31' });
      expect(r.body.unit).toMatchObject({ id: cg, customers: 42_300 });
    });

    it('exports the KPI table as an Excel workbook with Chinese headings', async () => {
      const r = await call(t, h.leader as H, 'GET', '/api/v1/stats/kpi-board?period=2026-11&format=xlsx');
      expect(r.status).toBe(200);
      expect(r.raw.headers['content-type']).toContain('spreadsheetml');
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(r.raw.rawPayload as unknown as ArrayBuffer);
      const ws = wb.worksheets[0];
      expect(ws?.getRow(1).values).toEqual(expect.arrayContaining(['指标', '本期', '上期', '目标', '是否达标', '计算公式', '指标定义']));
      const names = [];
      for (let i = 2; i <= (ws?.rowCount ?? 0); i++) names.push(ws?.getRow(i).getCell(1).value);
      expect(names).toEqual(KPIS.map((k) => k.zh));
    });
  });

  describe('GET /api/v1/stats/cockpit', () => {
    it('returns 403 for roles without stats.read and 400 for a month that is not one', async () => {
      expect((await call(t, h.agent as H, 'GET', '/api/v1/stats/cockpit?month=2026-11')).status).toBe(403);
      for (const m of ['2026-13', '2026-00', '2026-1', 'abc']) {
        const r = await call(t, h.leader as H, 'GET', `/api/v1/stats/cockpit?month=${m}`);
        expect(r.status, m).toBe(400);
        expect(r.body.error.details.field).toBe('month');
      }
    });

    it('shows the month against targets and last month, and every figure equals the orders its drill-down lists', async () => {
      const r = await call(t, h.leader as H, 'GET', '/api/v1/stats/cockpit?month=2026-11');
      expect(r.status).toBe(200);
      const c = r.body;
      expect(c.kpis.map((k: { code: string }) => k.code)).toEqual([...COCKPIT_KPIS]);
      expect(c.kpis.find((k: { code: string }) => k.code === 'satisfaction_rate')).toMatchObject({ target: 0.95, met: true });
      expect(c.trend).toHaveLength(12);
      expect(c.trend[0].month).toBe('2025-12');
      expect(c.trend[11].month).toBe('2026-11');
      expect(c.trend[10].n).toBe(1);
      // The hand-built month: 12398 and 12345 one each, C is the only risk order; C and D are overdue at the company
      // (never dispatched) and October's F at 城关 (first contact missed).
      expect(c.regulator.map((x: { channel: string; n: number }) => [x.channel, x.n])).toEqual([
        ['regulator_12398', 1],
        ['gov_12345', 1],
      ]);
      expect(c.highRisk.n).toBe(1);
      expect(c.overdue.n).toBe(3);
      expect(c.overdue.byUnit).toEqual([
        expect.objectContaining({ unit: { id: company, name: '示范县供电公司' }, n: 2 }),
        expect.objectContaining({ unit: { id: cg, name: '城关供电所' }, n: 1 }),
      ]);
      expect(c.units[0]).toMatchObject({ unit: { id: cg }, n: 2 });
      expect(c.hotCauses[0]).toMatchObject({ code: 'business.billing', n: 2 });

      const figures: Array<[string, number, Record<string, string> | null]> = [
        ['orders', c.orders.n, c.orders.drill],
        ...c.trend.map((x: { month: string; n: number; drill: Record<string, string> | null }) => [`trend ${x.month}`, x.n, x.drill]),
        ...c.units.map((x: { unit: { name: string }; n: number; drill: Record<string, string> }) => [`unit ${x.unit.name}`, x.n, x.drill]),
        ...c.hotCauses.map((x: { code: string; n: number; drill: Record<string, string> }) => [`cause ${x.code}`, x.n, x.drill]),
        ...c.regulator.map((x: { channel: string; n: number; drill: Record<string, string> | null }) => [x.channel, x.n, x.drill]),
        ['high risk', c.highRisk.n, c.highRisk.drill],
        ['overdue', c.overdue.n, c.overdue.drill],
        ...c.overdue.byUnit.map((x: { unit: { name: string }; n: number; drill: Record<string, string> }) => [
          `overdue ${x.unit.name}`,
          x.n,
          x.drill,
        ]),
      ];
      for (const [name, n, drill] of figures) {
        if (n === 0) continue;
        expect(drill, name).not.toBeNull();
        expect(await listCount(t, h.leader as H, drill as Record<string, string>), name).toBe(n);
      }
    });

    it('narrows to one unit', async () => {
      const r = await call(t, h.leader as H, 'GET', `/api/v1/stats/cockpit?month=2026-11&orgId=${dc}`);
      expect(r.status).toBe(200);
      expect(r.body.regulator[0].n).toBe(1);
      expect(r.body.regulator[1].n).toBe(0);
      expect(r.body.highRisk.n).toBe(0);
      expect(await listCount(t, h.leader as H, r.body.orders.drill)).toBe(r.body.orders.n);
    });
  });
});
