import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, complaintBody, intake, unitId } from '../factories.ts';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

function multipart(name: string, data: Buffer) {
  const boundary = '----gridvoice-rect-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`,
  );
  return {
    payload: Buffer.concat([head, data, Buffer.from(`\r\n--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

describeEachDb('rectification orders', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let cg: number;
  const orders: number[] = [];

  async function login(u: string, n: number): Promise<H> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u, password: DEMO_PASSWORD },
      remoteAddress: `10.1.${n}.${u.length}`,
    });
    const cookie = res.cookies.find((c) => c.name === 'gv_session');
    return { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
  }
  async function loginAll(n: number) {
    for (const u of ['agent', 'handler', 'handler2', 'reviewer', 'leader', 'analyst', 'unitlead']) h[u] = await login(u, n);
  }
  const post = (headers: H, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
  const get = (headers: H, url: string) => t.app.inject({ method: 'GET', url, headers });

  /** N billing complaints dispatched to 城关供电所 at the current time. */
  async function complaints(n: number): Promise<number[]> {
    const ids = [];
    for (let i = 0; i < n; i++) {
      const r = await intake(
        t,
        h.agent as H,
        complaintBody({ customer: { name: '客户', phone: `1370000${String(ids.length + orders.length).padStart(4, '0')}` } }),
      );
      const id = JSON.parse(r.body).ticket.id as number;
      await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: cg });
      ids.push(id);
    }
    return ids;
  }

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-09-01T02:00:00.000Z') });
    await loginAll(0);
    cg = await unitId(t, 'SFX-CG');
    // Three months before: four billing complaints at 城关供电所.
    for (const day of ['2026-09-01', '2026-09-20', '2026-10-10', '2026-11-05']) {
      t.clock.set(`${day}T02:00:00.000Z`);
      await loginAll(Number(day.slice(5, 7)) * 40 + Number(day.slice(8)));
      orders.push(...(await complaints(1)));
    }
    t.clock.set('2026-11-16T02:00:00.000Z'); // Monday
    await loginAll(200);
  });
  afterAll(async () => t?.close());

  let id: number;

  describe('raise', () => {
    it('returns 403 for roles that may not raise and 400 for an order out of reach', async () => {
      const base = { unitId: cg, problem: '抄表差错导致电费投诉集中', measures: '全面核查抄表数据，培训抄表员' };
      expect((await post(h.handler as H, '/api/v1/rectifications', base)).statusCode).toBe(403);
      const agent = await post(h.agent as H, '/api/v1/rectifications', base);
      expect(agent.statusCode).toBe(403);
      expect(JSON.parse(agent.body).error.details.permission).toBe('rectification.manage');
      const bad = await post(h.leader as H, '/api/v1/rectifications', { ...base, ticketIds: [999999] });
      expect(bad.statusCode).toBe(400);
      expect(JSON.parse(bad.body).error.details.field).toBe('ticketIds');
    });

    it('raises from a group of orders with a working-day deadline and the common class', async () => {
      const r = await post(h.leader as H, '/api/v1/rectifications', {
        unitId: cg,
        problem: '抄表差错导致电费投诉集中',
        measures: '全面核查抄表数据，培训抄表员',
        deadlineDays: 5,
        effectMonths: 3,
        ticketIds: orders,
      });
      expect(r.statusCode, r.body).toBe(201);
      const d = JSON.parse(r.body);
      id = d.rectification.id;
      expect(d.rectification).toMatchObject({
        number: 'ZG202611160001',
        source: 'orders',
        classCode: 'business.billing',
        state: 'open',
        // 5 working days from Mon 16 Nov: Mon 23 Nov, 24:00 Shanghai.
        dueAt: '2026-11-23T16:00:00.000Z',
      });
      expect(d.orders.map((o: { id: number }) => o.id)).toEqual(orders);
      const list = JSON.parse((await get(h.unitlead as H, '/api/v1/rectifications')).body);
      expect(list.items.map((x: { id: number }) => x.id)).toEqual([id]);
      const other = await get(h.handler2 as H, '/api/v1/rectifications');
      expect(JSON.parse(other.body).items, other.body).toEqual([]);
      expect((await get(h.handler2 as H, `/api/v1/rectifications/${id}`)).statusCode).toBe(404);
    });

    it('raises from a report figure, keeping the statistics filter (an analyst may raise)', async () => {
      const r = await post(h.analyst as H, '/api/v1/rectifications', {
        unitId: cg,
        problem: '营业投诉上升',
        measures: '专项整治',
        classCode: 'business',
        sourceFilter: { report: 'situation', period: '2026-11', orgId: cg },
      });
      expect(r.statusCode, r.body).toBe(201);
      const d = JSON.parse(r.body);
      expect(d.rectification).toMatchObject({ source: 'figure', sourceFilter: { report: 'situation' } });
      // The raiser may neither submit nor verify an open one; the unit lead may submit and add evidence.
      expect(d.can).toEqual({ submit: false, evidence: true, verify: false, effectCheck: false });
      const lead = JSON.parse((await get(h.unitlead as H, `/api/v1/rectifications/${d.rectification.id}`)).body);
      expect(lead.can).toEqual({ submit: true, evidence: true, verify: false, effectCheck: false });
    });

    it('previews the effect so far: the four earlier billing complaints before, none after', async () => {
      const r = await get(h.leader as H, `/api/v1/rectifications/${id}/effect`);
      expect(r.statusCode, r.body).toBe(200);
      expect(JSON.parse(r.body).effect).toMatchObject({
        final: false,
        before: { from: '2026-08-16', to: '2026-11-15', count: 4 },
        after: { count: 0 },
      });
      expect((await get(h.handler2 as H, `/api/v1/rectifications/${id}/effect`)).statusCode).toBe(404);
    });
  });

  describe('life cycle', () => {
    it('warns a working day before the deadline and flags it overdue after (sweeper task)', async () => {
      // The figure's rectification has the default 10 working days and stays quiet here.
      t.clock.set('2026-11-22T02:00:00.000Z'); // Sunday: Monday 24:00 is within one working day
      let s = await t.app.services.rectifications.sweep();
      expect(s.warned).toBe(1);
      t.clock.set('2026-11-24T01:00:00.000Z');
      s = await t.app.services.rectifications.sweep();
      expect(s.overdue).toBe(1);
      s = await t.app.services.rectifications.sweep();
      expect(s.overdue).toBe(0);
      await loginAll(300);
      const d = JSON.parse((await get(h.leader as H, `/api/v1/rectifications/${id}`)).body);
      expect(d.rectification).toMatchObject({ warned: true, overdue: true });
      const notes = JSON.parse((await get(h.unitlead as H, '/api/v1/notifications')).body);
      expect(JSON.stringify(notes)).toContain('已超期');
    });

    it('takes evidence, submit by the unit lead, send back, submit again and pass', async () => {
      const up = multipart('现场照片.png', PNG);
      const ev = await t.app.inject({
        method: 'POST',
        url: `/api/v1/rectifications/${id}/evidence`,
        headers: { ...(h.unitlead as H), 'content-type': up.contentType },
        payload: up.payload,
      });
      expect(ev.statusCode, ev.body).toBe(201);
      const fileId = JSON.parse(ev.body).file.id;
      expect((await get(h.leader as H, `/api/v1/rectification-files/${fileId}`)).headers['content-type']).toBe('image/png');

      expect((await post(h.handler as H, `/api/v1/rectifications/${id}/submit`, { version: 3, response: '已整改' })).statusCode).toBe(403);
      let r = await post(h.unitlead as H, `/api/v1/rectifications/${id}/submit`, { version: 3, response: '已核查全部抄表数据' });
      expect(r.statusCode, r.body).toBe(200);
      expect(JSON.parse(r.body).rectification.state).toBe('submitted');
      expect((await post(h.unitlead as H, `/api/v1/rectifications/${id}/verify`, { version: 4, result: 'pass' })).statusCode).toBe(403);
      r = await post(h.reviewer as H, `/api/v1/rectifications/${id}/verify`, { version: 4, result: 'send_back', note: '缺培训记录' });
      expect(JSON.parse(r.body).rectification.state).toBe('open');
      r = await post(h.unitlead as H, `/api/v1/rectifications/${id}/submit`, { version: 5, response: '已补充培训签到表' });
      expect(JSON.parse(r.body).rectification.state).toBe('submitted');
      const stale = await post(h.reviewer as H, `/api/v1/rectifications/${id}/verify`, { version: 5, result: 'pass' });
      expect(stale.statusCode).toBe(409);
      r = await post(h.reviewer as H, `/api/v1/rectifications/${id}/verify`, { version: 6, result: 'pass' });
      const d = JSON.parse(r.body);
      expect(d.rectification).toMatchObject({ state: 'verified', effectDueAt: '2027-02-24T16:00:00.000Z' });
      expect(d.events.map((e: { action: string }) => e.action)).toEqual([
        'raise',
        'overdue',
        'evidence',
        'submit',
        'send_back',
        'submit',
        'pass',
      ]);
      expect(d.files).toHaveLength(1);
      // No verdict before the three months after verification have passed.
      expect(d.can.effectCheck).toBe(false);
      const early = await post(h.reviewer as H, `/api/v1/rectifications/${id}/effect-check`, {});
      expect(early.statusCode).toBe(409);
      expect(JSON.parse(early.body).error.details.effectDueAt).toBe('2027-02-24T16:00:00.000Z');
    });

    it('checks effectiveness after N months (sweeper): the cause fell from 4 complaints to 1', async () => {
      t.clock.set('2027-01-11T02:00:00.000Z');
      await loginAll(400);
      await complaints(1);
      t.clock.set('2027-02-24T15:00:00.000Z');
      expect((await t.app.services.rectifications.sweep()).checked).toBe(0);
      t.clock.set('2027-02-24T16:00:00.000Z');
      expect((await t.app.services.rectifications.sweep()).checked).toBe(1);
      await loginAll(500);
      const d = JSON.parse((await get(h.leader as H, `/api/v1/rectifications/${id}`)).body);
      expect(d.rectification).toMatchObject({ state: 'closed', effectVerdict: 'effective' });
      expect(d.rectification.effect).toMatchObject({
        before: { from: '2026-08-16', to: '2026-11-15', count: 4 },
        after: { from: '2026-11-25', to: '2027-02-24', count: 1 },
        customers: 42_300,
        verdict: 'effective',
      });
      const again = await post(h.leader as H, `/api/v1/rectifications/${id}/effect-check`, {});
      expect(again.statusCode).toBe(409);
      const b = JSON.parse((await get(h.leader as H, '/api/v1/stats/bulletin?month=2026-11')).body);
      expect(b.rectifications.map((r: { number: string }) => r.number)).toContain('ZG202611160001');
    });
  });
});
