import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/**
 * Nine orders of every kind in November 2026, so that each figure must count exactly the kinds its definition names
 * (cases = complaints and reports; complaints alone for 万户投诉率 and 重复投诉率; every order for 工单数 and 超时).
 *   C1 complaint business.billing  CG  full cycle: contact on time, substantiated, satisfied, archived after 30.5 h
 *   C2 complaint business.billing  CG  same customer and class as C1 → repeat; unsubstantiated, dissatisfied → 重办,
 *                                      its fresh first-contact clock running out while P1 is handled → overdue
 *   P1 praise    general           CG  full cycle but contacted late; "substantiated", satisfied, archived
 *   O1 opinion   business.billing  CG  same customer and class as C1 (flagged repeat); returned once, dispatched again
 *   S1 suggestion general          DC  returned once, dispatched again
 *   C3 complaint service.attitude  DC  returned once, dispatched again
 *   C4 complaint outage.repair     DC  dispatched
 *   R1 report    theft (anonymous) —   never dispatched → overdue after the sweep
 *   S2 suggestion general          —   never dispatched → overdue after the sweep
 */
async function buildKindSet(t: TestApp, h: Record<string, H>) {
  const clock = t.clock;
  const cg = await unitId(t, 'SFX-CG');
  const dc = await unitId(t, 'SFX-DC');
  const ok = async (p: Promise<{ statusCode: number; body: string }>) => {
    const r = await p;
    expect(r.statusCode, r.body).toBeLessThan(300);
    return JSON.parse(r.body);
  };
  const newOrder = async (body: Record<string, unknown>) => (await ok(intake(t, h.agent as H, body))).ticket.id as number;
  const other = (kind: string, classCode: string, customer: Record<string, string>) =>
    complaintBody({ kind, classCode, customer, description: '希望供电所把服务做得更好，感谢师傅们的辛苦。' });
  async function fullCycle(id: number, verification: string, outcome: string, contactAfterHours: number) {
    clock.advance(0.5 * HOUR);
    await ok(act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: cg }));
    clock.advance(HOUR);
    await ok(act(t, h.handler as H, id, 'sign', { version: 2 }));
    clock.advance(contactAfterHours * HOUR);
    await ok(act(t, h.handler as H, id, 'contact', { version: 3, note: '已电话联系客户', method: 'phone' }));
    clock.advance(24 * HOUR);
    await ok(
      act(t, h.handler as H, id, 'reply', {
        version: 4,
        verification,
        rootCause: 'billing_error',
        responsibility: verification === 'unsubstantiated' ? 'none' : 'company',
        replyText: '经核实已处理并答复客户。',
      }),
    );
    clock.advance(HOUR);
    await ok(act(t, h.reviewer as H, id, 'approve', { version: 5 }));
    clock.advance(2 * HOUR);
    await ok(act(t, h.agent as H, id, 'revisit', { version: 6, outcome, note: '回访' }));
  }
  async function returnedOnce(id: number, unit: number, handler: string) {
    await ok(act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: unit }));
    await ok(act(t, h[handler] as H, id, 'return', { version: 2, reason: 'info_missing' }));
    await ok(act(t, h.agent as H, id, 'dispatch', { version: 3, unitId: unit }));
  }

  clock.set('2026-11-02T02:00:00.000Z'); // Monday 10:00 Asia/Shanghai
  const C1 = await newOrder(complaintBody());
  await fullCycle(C1, 'substantiated', 'satisfied', 2);
  const C2 = await newOrder(complaintBody({ description: '上次的电费问题还是没有解决，这个月又多扣了钱。' }));
  await fullCycle(C2, 'unsubstantiated', 'dissatisfied', 2);
  const P1 = await newOrder(other('praise', 'general', { name: '王五', phone: '13700000005' }));
  await fullCycle(P1, 'substantiated', 'satisfied', 30);
  const O1 = await newOrder(other('opinion', 'business.billing', { name: '张建国', phone: '13912345678' }));
  await returnedOnce(O1, cg, 'handler');
  const S1 = await newOrder(other('suggestion', 'general', { name: '李四', phone: '13600000002' }));
  await returnedOnce(S1, dc, 'handler2');
  const C3 = await newOrder(complaintBody({ classCode: 'service.attitude', customer: { name: '赵六', phone: '13500000003' } }));
  await returnedOnce(C3, dc, 'handler2');
  const C4 = await newOrder(complaintBody({ classCode: 'outage.repair', customer: { name: '孙八', phone: '13300000008' } }));
  await ok(act(t, h.agent as H, C4, 'dispatch', { version: 1, unitId: dc }));
  const R1 = await newOrder({ kind: 'report', channel: 'phone', classCode: 'theft', description: '有人私拉电线窃电', anonymous: true });
  const S2 = await newOrder(other('suggestion', 'general', { name: '周九', phone: '13200000009' }));
  // R1 and S2 wait past their 2-hour dispatch limit; C2's 重办 first contact (due 11-05 23:00) is long past.
  clock.advance(3 * HOUR);
  await t.app.services.sweeper.runOnce();
  return { C1, C2, C3, C4, P1, O1, S1, S2, R1, cg, dc };
}

describeEachDb('statistics count only the kinds their definitions name', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let set: Awaited<ReturnType<typeof buildKindSet>>;

  const get = async (url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: h.leader });
    expect(r.statusCode, r.body).toBe(200);
    return JSON.parse(r.body);
  };
  const listed = async (drill: Record<string, string>) =>
    ((await get(`/api/v1/tickets?${new URLSearchParams(drill)}&limit=200`)).items as Array<{ id: number; kind: string }>)
      .map((x) => x.id)
      .sort();

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-11-02T02:00:00.000Z'),
      env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720', GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: '0' },
    });
    for (const u of ['agent', 'handler', 'handler2', 'reviewer', 'leader']) h[u] = await t.login(u);
    set = await buildKindSet(t, h);
  });
  afterAll(async () => t?.close());

  it('holds every measure and KPI of the month to its definition', async () => {
    const r = await get('/api/v1/stats?period=2026-11');
    expect(r.total.measures).toEqual({
      n: 9, // every order
      complaints: 4, // C1 C2 C3 C4
      open_n: 7, // all but C1 and P1
      closed: 2, // C1 P1
      archived: 1, // cases archived: C1 (P1 is praise)
      verified: 2, // C1 C2 (P1's "substantiated" is no case)
      substantiated: 1, // C1
      fc_due: 1, // C1 (C2's clocks restarted with the redo; P1 is no case)
      fc_on_time: 1,
      reply_due: 1, // C1
      reply_on_time: 1,
      revisited: 2, // C1 C2
      revisit_ok: 2,
      satisfied: 1, // C1
      repeat_n: 1, // C2 (O1 is flagged too, but is no complaint)
      first_time: 1, // C1
      dispatched: 4, // C1 C2 C3 C4 (R1 never; P1 O1 S1 are no cases)
      returned: 1, // C3 (O1 and S1 are no cases)
      handle_n: 1,
      handle_seconds: 30.5 * 3600, // C1: 0.5 + 1 + 2 + 24 + 1 + 2 hours
      overdue: 3, // R1 S2 (dispatch) and C2 (its 重办 first contact was due 11-05 23:00): every kind counts
    });
    expect(r.total.kpis).toEqual({
      count: 9,
      complaints_per_10k: 0.2146, // 4 complaints ÷ 186,400 accounts × 10,000 = 0.21459
      substantiation_rate: 0.5, // 1 ÷ 2 (counting praise: 2 ÷ 3)
      first_contact_on_time_rate: 1, // 1 ÷ 1 (counting praise, contacted late: 1 ÷ 2)
      reply_on_time_rate: 1, // 1 ÷ 1
      revisit_success_rate: 1, // 2 ÷ 2
      satisfaction_rate: 0.5, // 1 ÷ 2 (counting praise: 2 ÷ 3)
      repeat_rate: 0.25, // 1 repeat complaint ÷ 4 complaints (counting all: 2 ÷ 9)
      first_time_resolution_rate: 1, // 1 ÷ 1
      return_rate: 0.25, // 1 ÷ 4 dispatched cases (counting all: 3 ÷ 7)
      avg_handling_hours: 30.5, // C1 alone (P1 took 58.5 h)
      overdue: 3,
    });
    const defs = r.kpiDefinitions as Array<{ code: string; kinds: string }>;
    expect(Object.fromEntries(defs.map((d) => [d.code, d.kinds]))).toMatchObject({
      count: 'all',
      complaints_per_10k: 'complaints',
      repeat_rate: 'complaints',
      substantiation_rate: 'cases',
      return_rate: 'cases',
      overdue: 'all',
    });
  });

  it('gives each unit its return rate over its dispatched cases', async () => {
    const r = await get('/api/v1/stats?period=2026-11&groupBy=org');
    const byName = Object.fromEntries(
      (
        r.rows as Array<{
          keys: { org: { label: string } };
          measures: { n: number; dispatched: number; returned: number };
          kpis: { return_rate: number | null };
        }>
      ).map((x) => [x.keys.org.label, [x.measures.n, x.measures.dispatched, x.measures.returned, x.kpis.return_rate]]),
    );
    expect(byName).toEqual({
      示范县供电公司: [2, 0, 0, null], // R1 S2, not dispatched
      城关供电所: [4, 2, 0, 0], // C1 C2 P1 O1: cases C1 C2 dispatched, none returned (O1 is an opinion)
      东城供电所: [3, 2, 1, 0.5], // C3 C4 S1: C3 returned of C3 C4 (S1 is a suggestion)
    });
    const rank = await get('/api/v1/stats/reports/ranking?period=2026-11');
    expect(
      rank.rows.map((x: { cells: { label: string; returned: number; returnRate: number | null } }) => [
        x.cells.label,
        x.cells.returned,
        x.cells.returnRate,
      ]),
    ).toEqual([
      ['示范县供电公司', 0, null], // 2 overdue (R1 S2)
      ['城关供电所', 0, 0], // 1 overdue (C2)
      ['东城供电所', 1, 0.5], // none overdue, 1 returned
    ]);
  });

  describe("the paper's two tables count complaints and reports only", () => {
    it('(1) 投诉举报情况表: no 综合 row, no opinion in 电价电费, every figure by hand', async () => {
      const r = await get('/api/v1/stats/reports/situation?period=2026-11');
      const cells = (r.rows as Array<{ cells: Record<string, unknown> }>).map((x) => x.cells);
      const none = { substantiated: 0, substantiationRate: null, onTime: 0, onTimeRate: null, satisfied: 0, satisfactionRate: null };
      expect(cells).toEqual(
        expect.arrayContaining([
          // C1 C2: 2 of 5 cases; C1 substantiated of 2 verified, C1 on time of 1 due, C1 satisfied of 2 reached.
          {
            label: '电价电费/抄表催费',
            n: 2,
            share: 0.4,
            substantiated: 1,
            substantiationRate: 0.5,
            onTime: 1,
            onTimeRate: 1,
            satisfied: 1,
            satisfactionRate: 0.5,
          },
          { label: '服务态度', n: 1, share: 0.2, ...none }, // C3
          { label: '抢修服务（到达/恢复不及时）', n: 1, share: 0.2, ...none }, // C4
          { label: '窃电', n: 1, share: 0.2, ...none }, // R1
          {
            label: '合计',
            n: 5,
            share: 1,
            substantiated: 1,
            substantiationRate: 0.5,
            onTime: 1,
            onTimeRate: 1,
            satisfied: 1,
            satisfactionRate: 0.5,
          },
        ]),
      );
      expect(cells).toHaveLength(5);
      expect(cells.map((c) => c.label)).not.toContain('综合');
      // Every drill-down lists exactly the orders behind its figure, and they are all complaints or reports.
      const drills = (r.rows as Array<{ cells: { label: string; n: number }; drill: Record<string, string> }>).map((x) => x);
      const billing = drills.find((x) => x.cells.label === '电价电费/抄表催费');
      expect(await listed(billing?.drill ?? {})).toEqual([set.C1, set.C2].sort());
      const total = drills.find((x) => x.cells.label === '合计');
      expect(total?.drill.kind).toBe('complaint,report');
      expect(await listed(total?.drill ?? {})).toEqual([set.C1, set.C2, set.C3, set.C4, set.R1].sort());
    });

    it("(2) 前后对比表: this month's five cases against none in October", async () => {
      const r = await get('/api/v1/stats/reports/comparison?period=2026-11&classLevel=root');
      const cells = (r.rows as Array<{ cells: Record<string, unknown> }>).map((x) => x.cells);
      expect(cells.at(-1)).toMatchObject({ label: '合计', a: 0, b: 5, change: 5, changeRate: null });
      const byLabel = Object.fromEntries(cells.map((c) => [c.label, [c.b, c.bShare]]));
      // business: C1 C2 = 2 of 5; service: C3; outage: C4; theft: R1.
      expect(byLabel).toEqual({ 营业投诉: [2, 0.4], 服务投诉: [1, 0.2], 停送电投诉: [1, 0.2], 窃电: [1, 0.2], 合计: [5, 1] });
    });

    it('the causes (Pareto, trend, units × classes) count the same five cases', async () => {
      for (const code of ['pareto', 'trend', 'heat']) {
        const r = await get(`/api/v1/stats/reports/${code}?period=2026-11`);
        const cells = (r.rows as Array<{ cells: Record<string, unknown> }>).map((x) => x.cells);
        const sum = code === 'pareto' ? cells.reduce((s, c) => s + Number(c.n), 0) : Number(cells.at(-1)?.total);
        expect([code, sum]).toEqual([code, 5]);
        expect(JSON.stringify(r.columns)).not.toContain('综合');
      }
    });
  });

  it("lists no praise among the bulletin's substantiated cases, and no 综合 among its causes", async () => {
    const b = await get('/api/v1/stats/bulletin?month=2026-11');
    expect(b.cases.map((c: { id: number }) => c.id)).toEqual([set.C1]);
    expect(Object.fromEntries(b.classes.map((c: { label: string; n: number }) => [c.label, c.n]))).toEqual({
      营业投诉: 2,
      服务投诉: 1,
      停送电投诉: 1,
      窃电: 1,
    });
    const dc = b.units.find((u: { unit: string }) => u.unit === '东城供电所');
    expect(dc).toMatchObject({ n: 3, complaints: 2, returned: 1 });
  });

  it('filters the order list by a comma list of kinds, and answers 400 with the field for an unknown kind', async () => {
    const { fromIso, toIso } = { fromIso: '2026-10-31T16:00:00.000Z', toIso: '2026-11-30T16:00:00.000Z' };
    expect(await listed({ kind: 'complaint,report', createdFrom: fromIso, createdTo: toIso })).toEqual(
      [set.C1, set.C2, set.C3, set.C4, set.R1].sort(),
    );
    expect(await listed({ kind: 'praise' })).toEqual([set.P1]);
    const bad = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?kind=complaint,gossip', headers: h.leader });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('kind');
  });
});
