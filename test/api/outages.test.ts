import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, complaintBody, detail, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;
type Outage = { id: number; number: string; status: string; orderCount: number; units: Array<{ id: number }>; matchedBy?: string[] };
type Answer = { ticketId: number; number: string; from: string; to: string; actions: string[]; outcome: string; reason: string | null };

describeEachDb('outage events API', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const clock = testClock('2026-11-02T02:00:00.000Z'); // Monday 10:00 Asia/Shanghai
  let cg: number;
  let dc: number;

  const post = (who: string, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: h[who], payload: payload as object });
  const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: h[who] });
  const outageBody = (over: Record<string, unknown> = {}) => ({
    kind: 'fault',
    title: '10kV城北线故障停电',
    cause: '10kV城北线线路故障跳闸',
    unitIds: [cg],
    areas: ['人民路', '北关村'],
    feeders: ['10kV城北线', '北关1号台区'],
    startAt: '2026-11-02T01:00:00.000Z',
    expectedRestoreAt: '2026-11-02T05:00:00.000Z',
    ...over,
  });

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    for (const u of ['agent', 'handler', 'handler2', 'unitlead', 'reviewer', 'admin', 'analyst']) h[u] = await t.login(u);
    cg = await unitId(t, 'SFX-CG');
    dc = await unitId(t, 'SFX-DC');
  });
  afterAll(async () => t?.close());

  it('answers 403 when a handler without outage rights records an outage', async () => {
    const res = await post('handler2', '/api/v1/outages', outageBody());
    expect(res.statusCode, res.body).toBe(403);
  });

  it('answers 400 when the expected restore is before the start, or the station is unknown', async () => {
    expect((await post('agent', '/api/v1/outages', outageBody({ expectedRestoreAt: '2026-11-02T00:00:00.000Z' }))).statusCode).toBe(400);
    const res = await post('agent', '/api/v1/outages', outageBody({ unitIds: [99999] }));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('unitIds');
  });

  it('matches the active outages of a caller by station and by village/street or feeder text', async () => {
    const res = await post('agent', '/api/v1/outages', outageBody());
    expect(res.statusCode, res.body).toBe(201);
    const o = res.json().outage as Outage;
    expect(o.number).toBe('TD202611020001');
    expect(o.status).toBe('active');

    const byText = (await get('agent', `/api/v1/outages/active?location=${encodeURIComponent('示范县城关镇人民路18号')}`)).json();
    expect(byText.items.map((x: Outage) => x.id)).toEqual([o.id]);
    expect(byText.items[0].matchedBy).toContain('area:人民路');
    const byFeeder = (await get('agent', `/api/v1/outages/active?location=${encodeURIComponent('北关1号台区')}`)).json();
    expect(byFeeder.items[0].matchedBy).toContain('feeder:北关1号台区');
    const byUnit = (await get('agent', `/api/v1/outages/active?unitId=${cg}`)).json();
    expect(byUnit.items[0].matchedBy).toEqual(['unit']);
    const elsewhere = (await get('agent', `/api/v1/outages/active?unitId=${dc}&location=${encodeURIComponent('东城解放路9号')}`)).json();
    expect(elsewhere.items).toEqual([]);

    // A cancelled outage no longer matches.
    const other = (await post('agent', '/api/v1/outages', outageBody({ title: '东城计划检修', unitIds: [dc], areas: ['解放路'] }))).json()
      .outage as Outage;
    expect((await get('agent', `/api/v1/outages/active?unitId=${dc}`)).json().items).toHaveLength(1);
    const cancel = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/outages/${other.id}`,
      headers: h.agent,
      payload: { status: 'cancelled' },
    });
    expect(cancel.statusCode, cancel.body).toBe(200);
    expect((await get('agent', `/api/v1/outages/active?unitId=${dc}`)).json().items).toEqual([]);
    const late = await intake(t, h.agent as H, complaintBody({ classCode: 'outage.repair', outageId: other.id }));
    expect(late.statusCode).toBe(400);
    expect(late.json().error.details.field).toBe('outageId');
  });

  it('links orders at intake and on restore answers each linked order through the workflow, keeping its own clocks', async () => {
    const outage = ((await get('agent', '/api/v1/outages?status=active')).json().items as Outage[]).find(
      (o) => o.units[0]?.id === cg,
    ) as Outage;
    const body = (phone: string, location: string) =>
      complaintBody({
        classCode: 'outage.repair',
        subject: '停电好几个小时还没来电',
        description: '从早上九点停电到现在还没来电，打了几次电话都说在抢修，家里老人冷得受不了。',
        location,
        customer: { name: '王秀英', phone },
        outageId: outage.id,
      });
    const ids: number[] = [];
    for (const [phone, loc] of [
      ['13900000001', '城关镇人民路3号'],
      ['13900000002', '北关村二组'],
      ['13900000003', '北关村五组'],
    ] as const) {
      const res = await intake(t, h.agent as H, body(phone, loc));
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().ticket.flags.outage).toBe(true);
      ids.push(res.json().ticket.id);
      clock.advance(0.25 * HOUR);
    }
    const [a, b, c] = ids as [number, number, number];
    const linked = (await get('agent', `/api/v1/outages/${outage.id}`)).json();
    expect(linked.orders.map((o: { id: number }) => o.id)).toEqual(ids);
    expect(linked.outage.orderCount).toBe(3);

    // A: dispatched, signed and contacted; B: dispatched only; C: still waiting for dispatch.
    expect((await act(t, h.agent as H, a, 'dispatch', { version: 1, unitId: cg })).statusCode).toBe(200);
    clock.advance(HOUR);
    expect((await act(t, h.agent as H, b, 'dispatch', { version: 1, unitId: cg })).statusCode).toBe(200);
    expect((await act(t, h.handler as H, a, 'sign', { version: 2 })).statusCode).toBe(200);
    expect((await act(t, h.handler as H, a, 'contact', { version: 3, note: '已电话告知抢修进度' })).statusCode).toBe(200);
    const dueA = (await detail(t, h.agent as H, a)).json().ticket.due;
    const dueB = (await detail(t, h.agent as H, b)).json().ticket.due;

    clock.advance(HOUR);
    const res = await post('unitlead', `/api/v1/outages/${outage.id}/restore`, {
      answer: { rootCause: 'aging_equipment', contactNote: '已短信通知客户恢复供电' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json();
    expect(out.outage.status).toBe('restored');
    expect(out.outage.restoredAt).toBe(clock().toISOString());
    const r = new Map((out.results as Answer[]).map((x) => [x.ticketId, x]));
    expect(r.get(a)).toMatchObject({ from: 'in_progress', to: 'pending_review', actions: ['reply'], outcome: 'answered' });
    expect(r.get(b)).toMatchObject({
      from: 'dispatched',
      to: 'pending_review',
      actions: ['sign', 'contact', 'reply'],
      outcome: 'answered',
    });
    // C was never dispatched to the station, so its lead neither sees nor touches it.
    expect(r.has(c)).toBe(false);
    expect(out.notVisible).toBe(1);

    const da = (await detail(t, h.reviewer as H, a)).json();
    const db = (await detail(t, h.reviewer as H, b)).json();
    expect(da.ticket.state).toBe('pending_review');
    expect(db.ticket.state).toBe('pending_review');
    // Each order keeps the deadlines of its own dispatch; the reply is the templated text for its own address.
    expect(da.ticket.due.reply).toBe(dueA.reply);
    expect(db.ticket.due.reply).toBe(dueB.reply);
    expect(da.ticket.due.firstContact).not.toBe(db.ticket.due.firstContact);
    expect(da.ticket.replyText).toContain('城关镇人民路3号');
    expect(da.ticket.replyText).toContain('TD202611020001');
    expect(db.events.map((e: { action: string }) => e.action)).toEqual(['intake', 'dispatch', 'sign', 'contact', 'reply']);
    expect(da.availableActions).toContain('approve');

    // The centre's agent then dispatches what the station could not; the outage is already restored.
    const again = await post('agent', `/api/v1/outages/${outage.id}/answer`, { rootCause: 'aging_equipment' });
    expect(again.statusCode, again.body).toBe(200);
    const rc = (again.json().results as Answer[]).find((x) => x.ticketId === c);
    expect(rc).toMatchObject({
      from: 'pending_dispatch',
      to: 'dispatched',
      actions: ['dispatch'],
      outcome: 'advanced',
      reason: 'awaiting_sign_by_unit',
    });
    expect((again.json().results as Answer[]).find((x) => x.ticketId === a)?.reason).toBe('already_answered');

    // Review and call-back go on per order.
    const ap = await act(t, h.reviewer as H, a, 'approve', { version: da.ticket.version });
    expect(ap.statusCode, ap.body).toBe(200);
    expect(ap.json().ticket.state).toBe('pending_revisit');
    expect((await detail(t, h.reviewer as H, b)).json().ticket.state).toBe('pending_review');

    // A restored outage takes no new orders and cannot be restored twice.
    expect((await intake(t, h.agent as H, body('13900000009', '北关村'))).statusCode).toBe(400);
    expect((await post('unitlead', `/api/v1/outages/${outage.id}/restore`, {})).statusCode).toBe(409);
  });

  it('imports planned outages from CSV, reporting the bad line and writing nothing on a dry run', async () => {
    const csv = [
      '类型,标题,原因,供电所,停电区域,线路/台区,开始时间,预计恢复时间',
      '计划停电,城关镇配网改造,10kV线路改造,SFX-CG,南街;西关村,10kV城南线,2026-11-05 08:00,2026-11-05 18:00',
      '计划停电,河口镇检修,变压器检修,火星供电所,河口村,,2026-11-06 08:00,2026-11-06 12:00',
      '"计划停电","东城检修, 二期","线路消缺","东城供电所","解放路、新华街","东城3号台区","2026/11/07 09:00","2026/11/07 17:30"',
    ].join('\r\n');
    const send = (q: string) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/outages/import${q}`,
        headers: { ...h.agent, 'content-type': 'text/csv' },
        payload: csv,
      });
    const before = (await get('agent', '/api/v1/outages')).json().items.length;
    const dry = await send('?dryRun=1');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json().errors).toEqual([{ line: 3, field: 'stations', problem: 'unknown station "火星供电所"' }]);
    expect(dry.json().created).toHaveLength(2);
    expect((await get('agent', '/api/v1/outages')).json().items.length).toBe(before);

    const real = (await send('')).json();
    expect(real.created.map((c: { line: number }) => c.line)).toEqual([2, 4]);
    expect(real.errors).toHaveLength(1);
    const items = (await get('agent', '/api/v1/outages')).json().items as Array<
      Outage & { title: string; startAt: string; areas: string[] }
    >;
    const east = items.find((o) => o.title === '东城检修, 二期');
    expect(east?.startAt).toBe('2026-11-07T01:00:00.000Z');
    expect(east?.areas).toEqual(['解放路', '新华街']);
    expect(east?.units.map((u) => u.id)).toEqual([dc]);
  });

  it('links an order taken earlier to an outage with an event, once', async () => {
    const east = ((await get('agent', '/api/v1/outages?status=active')).json().items as Array<Outage & { title: string }>).find(
      (o) => o.title === '东城检修, 二期',
    ) as Outage;
    const order = (await intake(t, h.agent as H, complaintBody({ classCode: 'outage.notice', location: '东城解放路9号' }))).json().ticket;
    expect((await post('handler2', `/api/v1/outages/${east.id}/orders`, { ticketId: order.id })).statusCode).toBe(403);
    const res = await post('agent', `/api/v1/outages/${east.id}/orders`, { ticketId: order.id });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().orders.map((o: { id: number }) => o.id)).toEqual([order.id]);
    const d = (await detail(t, h.agent as H, order.id)).json();
    expect(d.ticket.flags.outage).toBe(true);
    expect(d.events.map((e: { action: string }) => e.action)).toEqual(['intake', 'link_outage']);
    expect((await get('agent', `/api/v1/outages/for-order/${order.id}`)).json().items.map((o: Outage) => o.id)).toEqual([east.id]);
    expect((await post('agent', `/api/v1/outages/${east.id}/orders`, { ticketId: order.id })).statusCode).toBe(409);
    expect((await t.app.services.chain.verify()).broken).toEqual([]);
  });

  it('reports outage statistics by station and month', async () => {
    expect((await get('handler2', '/api/v1/outages/stats')).statusCode).toBe(200);
    const s = (await get('analyst', '/api/v1/outages/stats')).json();
    // The cancelled outage is left out: the restored fault plus two planned ones.
    expect(s.total.count).toBe(3);
    expect(s.total.restored).toBe(1);
    expect(s.total.orders).toBe(4);
    expect(s.total.durationMinutes).toBe(60 + 45 + 60 + 60 + 0);
    const cgRow = s.byUnit.find((u: { unitId: number }) => u.unitId === cg);
    expect(cgRow).toMatchObject({ count: 2, restored: 1, orders: 3, unitName: '城关供电所' });
    expect(s.byMonth).toEqual([expect.objectContaining({ month: '2026-11', count: 3 })]);
  });
});
