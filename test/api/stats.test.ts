import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CLASSES } from '../../core/taxonomy.ts';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/**
 * A hand-built set of orders whose right answers are written below.
 *   E (Oct)  complaint outage.repair  CG  closed satisfied, substantiated
 *   A (Nov)  complaint business.billing phone CG closed satisfied, substantiated, on time, 30.5 h
 *   B (Nov)  complaint business.billing web   CG unsubstantiated, call-back dissatisfied → redo (open again)
 *   C (Nov)  complaint service.attitude phone DC returned once, dispatched again
 *   D (Nov)  report theft anonymous — never dispatched, overdue after the sweep
 *   F (Nov)  complaint business.billing, same customer and class as A → repeat; overdue after the sweep
 *   G (Nov)  complaint business.fees counter, invalidated (closed, not archived)
 */
export async function buildPaperSet(t: TestApp, h: Record<string, H>) {
  const clock = t.clock;
  const cg = await unitId(t, 'SFX-CG');
  const dc = await unitId(t, 'SFX-DC');
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const r = await p;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return JSON.parse(r.body);
  };
  const newOrder = async (body: Record<string, unknown>) => (await ok(intake(t, h.agent as H, body))).ticket.id as number;
  const reply = (verification: string, rootCause: string) => ({
    verification,
    rootCause,
    responsibility: verification === 'unsubstantiated' ? 'none' : 'company',
    replyText: '经核实已处理并答复客户。',
  });
  async function fullCycle(id: number, unit: number, verification: string, rootCause: string, outcome: string) {
    clock.advance(0.5 * HOUR);
    await ok(act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: unit }));
    clock.advance(HOUR);
    await ok(act(t, h.handler as H, id, 'sign', { version: 2 }));
    clock.advance(2 * HOUR);
    await ok(act(t, h.handler as H, id, 'contact', { version: 3, note: '已电话联系客户', method: 'phone' }));
    clock.advance(24 * HOUR);
    await ok(act(t, h.handler as H, id, 'reply', { version: 4, ...reply(verification, rootCause) }));
    clock.advance(HOUR);
    await ok(act(t, h.reviewer as H, id, 'approve', { version: 5 }));
    clock.advance(2 * HOUR);
    await ok(act(t, h.agent as H, id, 'revisit', { version: 6, outcome, note: '回访' }));
  }

  clock.set('2026-10-12T02:00:00.000Z');
  const E = await newOrder(complaintBody({ classCode: 'outage.repair', customer: { name: '王五', phone: '13700000005' } }));
  await fullCycle(E, cg, 'substantiated', 'repair_resources', 'satisfied');

  clock.set('2026-11-02T02:00:00.000Z');
  // Sessions expire after a week idle: log everyone in again after the jump.
  for (const u of Object.keys(h)) h[u] = await t.login(u);
  const A = await newOrder(complaintBody());
  await fullCycle(A, cg, 'substantiated', 'billing_error', 'satisfied');
  const B = await newOrder(complaintBody({ channel: 'web', customer: { name: '李四', phone: '13600000002' } }));
  await fullCycle(B, cg, 'unsubstantiated', 'customer_misunderstanding', 'dissatisfied');
  const C = await newOrder(complaintBody({ classCode: 'service.attitude', customer: { name: '赵六', phone: '13500000003' } }));
  await ok(act(t, h.agent as H, C, 'dispatch', { version: 1, unitId: dc }));
  await ok(act(t, h.handler2 as H, C, 'return', { version: 2, reason: 'info_missing' }));
  await ok(act(t, h.agent as H, C, 'dispatch', { version: 3, unitId: dc }));
  const D = await newOrder({ kind: 'report', channel: 'phone', classCode: 'theft', description: '有人私拉电线窃电', anonymous: true });
  const F = await newOrder(complaintBody({ description: '上次电费问题还没解决，电费又多扣了。' }));
  const G = await newOrder(
    complaintBody({ channel: 'counter', classCode: 'business.fees', customer: { name: '钱七', phone: '13400000004' } }),
  );
  await ok(act(t, h.agent as H, G, 'invalidate', { version: 1, reason: 'test' }));
  // D and F wait past their 2-hour dispatch limit; the sweep marks them overdue.
  clock.advance(3 * HOUR);
  await t.app.services.sweeper.runOnce();
  return { A, B, C, D, E, F, G, cg, dc };
}

async function get(t: TestApp, headers: H, url: string) {
  const r = await t.app.inject({ method: 'GET', url, headers });
  return { status: r.statusCode, body: r.headers['content-type']?.toString().includes('json') ? JSON.parse(r.body) : r.body, raw: r };
}

describeEachDb('statistics API', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let set: Awaited<ReturnType<typeof buildPaperSet>>;
  let company: number;

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-10-12T02:00:00.000Z'),
      env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720', GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: '0' },
    });
    for (const u of ['agent', 'handler', 'handler2', 'reviewer', 'leader', 'analyst', 'unitlead']) h[u] = await t.login(u);
    set = await buildPaperSet(t, h);
    company = await unitId(t, 'SFX');
  });
  afterAll(async () => t?.close());

  describe('GET /api/v1/stats', () => {
    it('returns 401 without a session and 403 for roles without stats.read', async () => {
      expect((await get(t, {}, '/api/v1/stats?period=2026-11')).status).toBe(401);
      const r = await get(t, h.handler as H, '/api/v1/stats?period=2026-11');
      expect(r.status).toBe(403);
      expect(r.body.error.code).toBe('forbidden');
    });

    it('returns 400 for an unknown dimension or period', async () => {
      expect((await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=colour')).body.error.details.field).toBe('groupBy');
      expect((await get(t, h.leader as H, '/api/v1/stats?period=2026-13')).body.error.details.field).toBe('period');
      expect((await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=kind,class,grade')).status).toBe(400);
    });

    it('computes every KPI of November on the hand-built orders', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats?period=2026-11');
      expect(r.status).toBe(200);
      expect(r.body.range).toMatchObject({ from: '2026-11-01', to: '2026-11-30', name: '2026年11月' });
      expect(r.body.total.measures).toMatchObject({
        n: 6,
        complaints: 5,
        open_n: 4,
        closed: 2,
        archived: 1,
        verified: 2,
        substantiated: 1,
        fc_due: 1,
        fc_on_time: 1,
        reply_due: 1,
        reply_on_time: 1,
        revisited: 2,
        revisit_ok: 2,
        satisfied: 1,
        repeat_n: 1,
        first_time: 1,
        dispatched: 3,
        returned: 1,
        handle_n: 1,
        handle_seconds: 30.5 * 3600,
        overdue: 2,
      });
      expect(r.body.total.kpis).toEqual({
        count: 6,
        complaints_per_10k: 0.2682, // 5 ÷ 186,400 × 10,000
        substantiation_rate: 0.5,
        first_contact_on_time_rate: 1,
        reply_on_time_rate: 1,
        revisit_success_rate: 1,
        satisfaction_rate: 0.5,
        repeat_rate: 0.2, // 1 repeat ÷ 5 complaints
        first_time_resolution_rate: 1,
        return_rate: 0.3333,
        avg_handling_hours: 30.5,
        overdue: 2,
      });
      const defs = r.body.kpiDefinitions as Array<{ code: string; zh: string; definition: { zh: string; en: string } }>;
      expect(defs.map((d) => d.zh)).toEqual(
        expect.arrayContaining(['万户投诉率', '属实率', '回访满意率', '回访成功率', '重复投诉率', '一次办结率', '退单率', '超时工单数']),
      );
      for (const d of defs) expect(d.definition.zh.length).toBeGreaterThan(4);
    });

    it('groups by class with roll-up to the top class and by the leaf class', async () => {
      const root = await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=class');
      const counts = Object.fromEntries(
        root.body.rows.map((x: { keys: { class: { code: string } }; measures: { n: number } }) => [x.keys.class.code, x.measures.n]),
      );
      expect(counts).toEqual({ business: 4, service: 1, theft: 1 });
      const leaf = await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=class&classLevel=leaf');
      const leafCounts = Object.fromEntries(
        leaf.body.rows.map((x: { keys: { class: { code: string } }; measures: { n: number } }) => [x.keys.class.code, x.measures.n]),
      );
      expect(leafCounts).toEqual({ 'business.billing': 3, 'business.fees': 1, 'service.attitude': 1, theft: 1 });
    });

    it('rolls org units up to the children of the company, with the company itself for orders not yet dispatched', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=org');
      const byName = Object.fromEntries(
        r.body.rows.map((x: { keys: { org: { label: string } }; measures: { n: number } }) => [x.keys.org.label, x.measures.n]),
      );
      expect(byName).toEqual({ 示范县供电公司: 3, 城关供电所: 2, 东城供电所: 1 });
      const cg = r.body.rows.find((x: { keys: { org: { label: string } } }) => x.keys.org.label === '城关供电所');
      // 2 complaints ÷ 42,300 accounts × 10,000
      expect(cg.kpis.complaints_per_10k).toBe(0.4728);
      expect(cg.drill).toMatchObject({ unitId: String(set.cg) });
    });

    it('groups by two dimensions: month × kind, and by urban/rural, channel, verification, root cause and grade', async () => {
      const r = await get(t, h.analyst as H, '/api/v1/stats?from=2026-10-01&to=2026-11-30&groupBy=period,kind&grain=month');
      const cells = r.body.rows.map((x: { keys: { period: { code: string }; kind: { code: string } }; measures: { n: number } }) => [
        x.keys.period.code,
        x.keys.kind.code,
        x.measures.n,
      ]);
      expect(cells).toEqual([
        ['2026-10', 'complaint', 1],
        ['2026-11', 'complaint', 5],
        ['2026-11', 'report', 1],
      ]);
      const pick = async (dim: string) => {
        const x = await get(t, h.analyst as H, `/api/v1/stats?period=2026-11&groupBy=${dim}`);
        return Object.fromEntries(
          x.body.rows.map((row: { keys: Record<string, { code: string }>; measures: { n: number } }) => [
            row.keys[dim]?.code,
            row.measures.n,
          ]),
        );
      };
      expect(await pick('area')).toEqual({ urban: 6 });
      expect(await pick('channel')).toEqual({ phone: 4, web: 1, counter: 1 });
      expect(await pick('verification')).toEqual({ substantiated: 1, unsubstantiated: 1, '': 4 });
      expect(await pick('root_cause')).toEqual({ billing_error: 1, customer_misunderstanding: 1, '': 4 });
      expect(await pick('grade')).toEqual({ normal: 6 });
    });

    it('groups by half-year, quarter, week and day in Asia/Shanghai', async () => {
      const half = await get(t, h.leader as H, '/api/v1/stats?period=2026&groupBy=period&grain=half');
      expect(
        half.body.rows.map((x: { keys: { period: { code: string; label: string } }; measures: { n: number } }) => [
          x.keys.period.label,
          x.measures.n,
        ]),
      ).toEqual([['2026年下半年', 7]]);
      const q = await get(t, h.leader as H, '/api/v1/stats?period=2026&groupBy=period&grain=quarter');
      expect(q.body.rows.map((x: { keys: { period: { code: string } } }) => x.keys.period.code)).toEqual(['2026-Q4']);
      const w = await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=period&grain=week');
      expect(
        w.body.rows.map((x: { keys: { period: { code: string } }; measures: { n: number } }) => [x.keys.period.code, x.measures.n]),
      ).toEqual([['2026-W45', 6]]);
      const d = await get(t, h.leader as H, '/api/v1/stats?from=2026-10-12&to=2026-10-12&groupBy=period&grain=day');
      expect(d.body.rows[0].keys.period.code).toBe('2026-10-12');
      expect(d.body.total.measures.n).toBe(1);
    });

    it('filters on every dimension and the drill-down filter lists exactly the orders behind a figure', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats?period=2026-11&groupBy=class&classLevel=leaf&kind=complaint&channel=phone,web');
      const billing = r.body.rows.find((x: { keys: { class: { code: string } } }) => x.keys.class.code === 'business.billing');
      expect(billing.measures.n).toBe(3);
      const qs = new URLSearchParams(billing.drill).toString();
      const list = await get(t, h.leader as H, `/api/v1/tickets?${qs}&limit=200`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((x: { id: number }) => x.id).sort()).toEqual([set.A, set.B, set.F].sort());
      const v = await get(
        t,
        h.leader as H,
        '/api/v1/stats?period=2026-11&verification=substantiated&rootCause=billing_error&grade=normal&area=urban',
      );
      expect(v.body.total.measures.n).toBe(1);
      const drill = new URLSearchParams(v.body.total.drill).toString();
      const l2 = await get(t, h.leader as H, `/api/v1/tickets?${drill}`);
      expect(l2.body.items.map((x: { id: number }) => x.id)).toEqual([set.A]);
      const org = await get(t, h.leader as H, `/api/v1/stats?period=2026-11&orgId=${set.dc}`);
      expect(org.body.total.measures.n).toBe(1);
    });

    it("drills every unit row to exactly its orders, the company's own row (not yet dispatched) included", async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats?period=2026&groupBy=org');
      const rows = r.body.rows as Array<{ keys: { org: { code: string } }; measures: { n: number }; drill: Record<string, string> }>;
      expect(rows.some((x) => x.drill.ownUnit !== undefined)).toBe(true);
      for (const row of rows) {
        const list = await get(t, h.leader as H, `/api/v1/tickets?${new URLSearchParams(row.drill)}&limit=200`);
        expect(list.body.items, `org ${row.keys.org.code}`).toHaveLength(row.measures.n);
      }
    });

    it('returns 404 for an org unit outside the scope', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats?period=2026-11&orgId=999999');
      expect(r.status).toBe(404);
    });
  });

  describe('GET /api/v1/stats/compare', () => {
    it('sets two periods side by side with change and share', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats/compare?a=2026-10&b=2026-11&by=class');
      expect(r.status).toBe(200);
      expect(r.body.a).toMatchObject({ total: 1, name: '2026年10月' });
      expect(r.body.b).toMatchObject({ total: 6 });
      expect(r.body.change).toBe(5);
      expect(r.body.changeRate).toBe(5);
      const row = (code: string) => r.body.rows.find((x: { key: { code: string } }) => x.key.code === code);
      expect(row('business')).toMatchObject({ a: { count: 0, share: 0 }, b: { count: 4, share: 0.6667 }, change: 4, changeRate: null });
      expect(row('outage')).toMatchObject({ a: { count: 1, share: 1 }, b: { count: 0, share: 0 }, change: -1, changeRate: -1 });
    });
  });

  describe('built-in reports', () => {
    it('(1) 投诉举报情况表 for one unit and one period, by cause class', async () => {
      const r = await get(t, h.leader as H, `/api/v1/stats/reports/situation?period=2026-11&orgId=${set.cg}`);
      expect(r.status).toBe(200);
      expect(r.body.title).toBe('城关供电所2026年11月投诉举报情况表');
      expect(r.body.columns.map((c: { zh: string }) => c.zh)).toEqual([
        '投诉举报原因',
        '件数',
        '占比',
        '属实件数',
        '属实率',
        '按时回单',
        '回单及时率',
        '回访满意',
        '回访满意率',
      ]);
      expect(r.body.rows.map((x: { cells: unknown }) => x.cells)).toEqual([
        {
          label: '电价电费/抄表催费',
          n: 2,
          share: 1,
          substantiated: 1,
          substantiationRate: 0.5,
          onTime: 1,
          onTimeRate: 1,
          satisfied: 1,
          satisfactionRate: 0.5,
        },
        {
          label: '合计',
          n: 2,
          share: 1,
          substantiated: 1,
          substantiationRate: 0.5,
          onTime: 1,
          onTimeRate: 1,
          satisfied: 1,
          satisfactionRate: 0.5,
        },
      ]);
    });

    it('(2) 前后对比表 for two half-years defaults to the period before', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats/reports/comparison?period=2026-H2&classLevel=root');
      expect(r.status).toBe(200);
      expect(r.body.title).toContain('2026年上半年 / 2026年下半年');
      const total = r.body.rows.at(-1).cells;
      expect(total).toMatchObject({ label: '合计', a: 0, b: 7, change: 7, changeRate: null });
      const business = r.body.rows.find((x: { cells: { label: string } }) => x.cells.label === '营业投诉').cells;
      expect(business).toMatchObject({ a: 0, b: 4, bShare: 0.5714, change: 4 });
    });

    it('(3) Pareto, (4) trend, (5) heat table and (8) ranking', async () => {
      const p = await get(t, h.leader as H, '/api/v1/stats/reports/pareto?period=2026-11');
      expect(
        p.body.rows.map((x: { cells: { label: string; n: number; cumulative: number; abc: string } }) => [
          x.cells.n,
          x.cells.cumulative,
          x.cells.abc,
        ]),
      ).toEqual([
        [3, 0.5, 'A'],
        [1, 4 / 6, 'A'],
        [1, 5 / 6, 'A'],
        [1, 1, 'B'],
      ]);
      const trend = await get(t, h.leader as H, '/api/v1/stats/reports/trend?from=2026-10-01&to=2026-11-30');
      expect(trend.body.rows.map((x: { cells: Record<string, unknown> }) => [x.cells.label, x.cells.total])).toEqual([
        ['2026年10月', 1],
        ['2026年11月', 6],
        ['合计', 7],
      ]);
      expect(trend.body.rows[1].cells['c:business']).toBe(4);
      expect(trend.body.rows[0].cells['c:business']).toBe(0);
      // Class columns follow the taxonomy, not the month a class first appears in.
      const cols = (trend.body.columns as Array<{ key: string }>).map((c) => c.key).filter((k) => k.startsWith('c:'));
      const at = (k: string) => DEFAULT_CLASSES.findIndex((c) => c.code === k.slice(2));
      expect(cols.length).toBeGreaterThan(1);
      expect(cols.map(at)).toEqual(cols.map(at).sort((a, b) => a - b));
      const heat = await get(t, h.leader as H, '/api/v1/stats/reports/heat?period=2026-11');
      const cg = heat.body.rows.find((x: { cells: { label: string } }) => x.cells.label === '城关供电所');
      expect(cg.cells).toMatchObject({ 'c:business': 2, 'c:service': 0, total: 2 });
      expect(cg.cellDrill['c:business']).toMatchObject({ unitId: String(set.cg), class: 'business' });
      const rank = await get(t, h.leader as H, '/api/v1/stats/reports/ranking?period=2026-11');
      expect(
        rank.body.rows.map((x: { cells: { rank: number; label: string; overdue: number; returned: number } }) => [
          x.cells.rank,
          x.cells.label,
          x.cells.overdue,
          x.cells.returned,
        ]),
      ).toEqual([
        [1, '示范县供电公司', 2, 0],
        [2, '东城供电所', 0, 1],
        [3, '城关供电所', 0, 0],
      ]);
    });

    it('(6) repeat customers are masked for analysts and shown to roles that may read phones', async () => {
      const an = await get(t, h.analyst as H, '/api/v1/stats/reports/repeats?period=2026-11');
      expect(an.status).toBe(200);
      const row = an.body.rows.find((x: { cells: { type: string } }) => x.cells.type === '客户').cells;
      expect(row).toMatchObject({ customer: '张**', phone: '139****5678', account: '****0001', n: 2 });
      expect(JSON.stringify(an.body)).not.toContain('13912345678');
      expect(JSON.stringify(an.body)).not.toContain('张建国');
      const addr = an.body.rows.find((x: { cells: { type: string } }) => x.cells.type === '地址').cells;
      expect(addr.address).toBe('示范县城关镇***');
    });

    it('(7) word frequencies of the complaint texts of a selection', async () => {
      const r = await get(t, h.leader as H, '/api/v1/stats/reports/words?period=2026-11&kind=complaint');
      expect(r.status).toBe(200);
      const words = Object.fromEntries(r.body.rows.map((x: { cells: { word: string; docs: number } }) => [x.cells.word, x.cells.docs]));
      expect(words.电费).toBe(5);
      expect(words.的).toBeUndefined();
    });

    it('returns 400 for an unknown report', async () => {
      expect((await get(t, h.leader as H, '/api/v1/stats/reports/horoscope?period=2026-11')).status).toBe(400);
    });
  });

  describe('monthly bulletin and public figures', () => {
    it('builds the bulletin with units ranked, causes, substantiated cases and a printable page', async () => {
      const b = await get(t, h.leader as H, `/api/v1/stats/bulletin?month=2026-11&companyId=${company}`);
      expect(b.status).toBe(200);
      expect(b.body.title).toBe('示范县供电公司2026年11月客户投诉举报情况通报');
      expect(b.body.totals.n).toBe(6);
      expect(b.body.previous).toMatchObject({ month: '2026-10', n: 1, change: 5 });
      expect(b.body.cases.map((c: { id: number }) => c.id)).toEqual([set.A]);
      expect(JSON.stringify(b.body.cases)).not.toContain('张建国');
      const html = await get(t, h.leader as H, '/api/v1/stats/bulletin?month=2026-11&format=html');
      expect(html.raw.headers['content-type']).toContain('text/html');
      expect(html.body).toContain('@media print');
      expect(html.body).toContain('城关供电所');
    });

    it('serves public monthly figures per company without login and without personal data', async () => {
      const r = await t.app.inject({ method: 'GET', url: '/api/public/stats?month=2026-11' });
      expect(r.statusCode).toBe(200);
      const body = JSON.parse(r.body);
      expect(body.companies).toEqual([
        expect.objectContaining({ name: '示范县供电公司', orders: 6, complaints: 5, replyOnTimeRate: 1, satisfactionRate: 0.5 }),
      ]);
      for (const secret of ['13912345678', '139****5678', '张建国', '城关镇人民路', '13600000002']) {
        expect(r.body).not.toContain(secret);
      }
      const page = await t.app.inject({ method: 'GET', url: '/public/stats?month=2026-11' });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('客户投诉举报信息公开');
      expect(page.body).not.toContain('张建国');
      expect(page.headers['x-ratelimit-limit']).toBe('60');
    });
  });
});
