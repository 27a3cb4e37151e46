import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { act, complaintBody, detail, HOUR, intake, unitId, userId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

function multipart(name: string, data: Buffer, mime = 'application/octet-stream') {
  const boundary = '----gridvoice-test-boundary';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${mime}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, data, tail]), contentType: `multipart/form-data; boundary=${boundary}` };
}

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

describeEachDb('work-order rules', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const clock = testClock('2026-11-02T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    for (const u of ['agent', 'handler', 'handler2', 'reviewer', 'leader', 'discipline', 'analyst', 'unitlead', 'admin'])
      h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  async function newOrder(body = complaintBody()): Promise<{ id: number; version: number }> {
    const res = await intake(t, h.agent as H, body);
    expect(res.statusCode, res.body).toBe(201);
    const d = JSON.parse(res.body);
    return { id: d.ticket.id, version: d.ticket.version };
  }
  async function dispatched(code = 'SFX-CG') {
    const o = await newOrder();
    const r = await act(t, h.agent as H, o.id, 'dispatch', { version: 1, unitId: await unitId(t, code) });
    expect(r.statusCode, r.body).toBe(200);
    return { id: o.id, version: 2 };
  }

  describe('intake', () => {
    it('returns 401 without a session and 403 for a role that may not take orders in', async () => {
      expect((await intake(t, {})).statusCode).toBe(401);
      const r = await intake(t, h.handler as H);
      expect(r.statusCode).toBe(403);
      expect(JSON.parse(r.body).error.code).toBe('forbidden');
    });

    it('returns 400 naming the field for each invalid input', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [complaintBody({ kind: 'gossip' }), 'kind'],
        [complaintBody({ channel: 'pigeon' }), 'channel'],
        [complaintBody({ description: 'x'.repeat(5000) }), 'description'],
        [complaintBody({ classCode: 'no.such.class' }), 'classCode'],
        [complaintBody({ classCode: 'theft' }), 'classCode'],
        [complaintBody({ customer: { name: '张三' } }), 'customer.phone'],
        [complaintBody({ customer: { phone: 'abc' } }), 'customer.phone'],
        [complaintBody({ channel: 'regulator_12398' }), 'externalRef'],
        [complaintBody({ externalDueAt: 'tomorrow', channel: 'gov_12345', externalRef: 'A1' }), 'externalDueAt'],
      ];
      for (const [body, field] of cases) {
        const r = await intake(t, h.agent as H, body);
        expect(r.statusCode, `${field}: ${r.body}`).toBe(400);
        expect(JSON.parse(r.body).error.details.field).toBe(field);
      }
      const malformed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/tickets',
        headers: { ...(h.agent as H), 'content-type': 'application/json' },
        payload: '{"kind":',
      });
      expect(malformed.statusCode).toBe(400);
      expect(JSON.parse(malformed.body).error.code).toBe('invalid_json');
    });

    it('returns the same order for a repeated Idempotency-Key and 409 when the body differs', async () => {
      const key = { 'idempotency-key': 'intake-key-0001' };
      const a = await intake(t, h.agent as H, complaintBody(), key);
      const b = await intake(t, h.agent as H, complaintBody(), key);
      expect(a.statusCode).toBe(201);
      expect(b.statusCode).toBe(200);
      expect(JSON.parse(b.body).ticket.number).toBe(JSON.parse(a.body).ticket.number);
      const c = await intake(t, h.agent as H, complaintBody({ description: '另一段不同的描述内容' }), key);
      expect(c.statusCode).toBe(409);
      expect(JSON.parse(c.body).error.code).toBe('idempotency_conflict');
    });

    it('numbers orders per kind and day without gaps', async () => {
      clock.set('2026-11-05T01:00:00.000Z');
      const numbers = [];
      for (let i = 0; i < 3; i++) numbers.push(JSON.parse((await intake(t, h.agent as H)).body).ticket.number);
      numbers.push(
        JSON.parse(
          (await intake(t, h.agent as H, { kind: 'report', channel: 'phone', classCode: 'theft', description: '有人私拉电线窃电' })).body,
        ).ticket.number,
      );
      expect(numbers).toEqual(['TS2026110500001', 'TS2026110500002', 'TS2026110500003', 'JB2026110500001']);
    });

    it('flags the second same-class complaint of a customer as a repeat and the third as supervised', async () => {
      const body = complaintBody({
        customer: { name: '李四', phone: '13700001111' },
        classCode: 'outage.repair',
        description: '停电三天了没人来抢修',
      });
      const views = [];
      for (let i = 0; i < 3; i++) views.push(JSON.parse((await intake(t, h.agent as H, body)).body).ticket);
      expect(views.map((v) => v.flags.repeat)).toEqual([false, true, true]);
      expect(views.map((v) => v.flags.supervised)).toEqual([false, false, true]);
      expect(views[0].customer.id).toBe(views[2].customer.id);
      const lookup = JSON.parse(
        (await t.app.inject({ method: 'GET', url: '/api/v1/customers/lookup?phone=13700001111', headers: h.agent as H })).body,
      );
      expect(lookup.openOrders).toHaveLength(3);
    });
  });

  describe('actions', () => {
    beforeEach(() => clock.set('2026-11-02T02:00:00.000Z'));

    it('answers 409 ticket_changed when the version is stale', async () => {
      const o = await dispatched();
      const r = await act(t, h.handler as H, o.id, 'sign', { version: 1 });
      expect(r.statusCode).toBe(409);
      expect(JSON.parse(r.body).error.code).toBe('ticket_changed');
    });

    it('answers 409 transition_not_allowed naming the state', async () => {
      const o = await newOrder();
      const r = await act(t, h.reviewer as H, o.id, 'approve', { version: 1 });
      expect(r.statusCode).toBe(409);
      const e = JSON.parse(r.body).error;
      expect(e.code).toBe('transition_not_allowed');
      expect(e.details.state).toBe('pending_dispatch');
    });

    it('answers 400 for a missing field and 403 for a role without the permission', async () => {
      const o = await newOrder();
      const missing = await act(t, h.agent as H, o.id, 'dispatch', { version: 1 });
      expect(missing.statusCode).toBe(400);
      expect(JSON.parse(missing.body).error.details.field).toBe('unitId');
      const noVersion = await act(t, h.agent as H, o.id, 'dispatch', { unitId: 1 });
      expect(noVersion.statusCode).toBe(400);
      const forbidden = await act(t, h.leader as H, o.id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') });
      expect(forbidden.statusCode).toBe(403);
    });

    it('lets only the unit the order is dispatched to sign it', async () => {
      const o = await dispatched('SFX-CG');
      expect((await act(t, h.handler2 as H, o.id, 'sign', { version: 2 })).statusCode).toBe(404);
      expect((await act(t, h.handler as H, o.id, 'sign', { version: 2 })).statusCode).toBe(200);
    });

    it('shifts running deadlines by the suspended time', async () => {
      const o = await dispatched();
      await act(t, h.handler as H, o.id, 'sign', { version: 2 });
      const before = JSON.parse((await detail(t, h.handler as H, o.id)).body).ticket.due.reply as string;
      const req = await act(t, h.handler as H, o.id, 'request_suspend', {
        version: 3,
        reason: '等待停电计划',
        expectedResumeAt: '2026-11-05T02:00:00.000Z',
      });
      expect(req.statusCode, req.body).toBe(200);
      expect((await act(t, h.handler as H, o.id, 'approve_suspend', { version: 4 })).statusCode).toBe(403);
      const ok = await act(t, h.unitlead as H, o.id, 'approve_suspend', { version: 4 });
      expect(JSON.parse(ok.body).ticket.state).toBe('suspended');
      clock.advance(48 * HOUR);
      const resumed = JSON.parse((await act(t, h.handler as H, o.id, 'resume', { version: 5 })).body);
      expect(resumed.ticket.state).toBe('in_progress');
      expect(resumed.ticket.suspendedMs).toBe(48 * HOUR);
      expect(Date.parse(resumed.ticket.due.reply)).toBeGreaterThanOrEqual(Date.parse(before) + 48 * HOUR);
      const dl = resumed.deadlines.find((d: { clock: string }) => d.clock === 'reply');
      expect(dl.shiftMs).toBe(48 * HOUR);
    });
  });

  describe('scoping', () => {
    it('answers 404 to a handler of another 供电所 and leaves the order out of their lists', async () => {
      const o = await dispatched('SFX-CG');
      expect((await detail(t, h.handler2 as H, o.id)).statusCode).toBe(404);
      expect((await detail(t, h.handler as H, o.id)).statusCode).toBe(200);
      expect((await detail(t, h.admin as H, o.id)).statusCode).toBe(403);
      const list = JSON.parse(
        (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?queue=open&limit=200', headers: h.handler2 as H })).body,
      );
      expect(list.items.map((x: { id: number }) => x.id)).not.toContain(o.id);
      const mine = JSON.parse(
        (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?queue=to_sign&limit=200', headers: h.handler as H })).body,
      );
      expect(mine.items.map((x: { id: number }) => x.id)).toContain(o.id);
    });

    it('masks phone numbers for roles that need no number', async () => {
      const o = await newOrder();
      const forLeader = JSON.parse((await detail(t, h.leader as H, o.id)).body).ticket.customer;
      expect(forLeader.phone).toBe('139****5678');
      const forAgent = JSON.parse((await detail(t, h.agent as H, o.id)).body).ticket.customer;
      expect(forAgent.phone).toBe('13912345678');
    });
  });

  describe('reports', () => {
    const integrity = async (extra: Record<string, unknown>) =>
      intake(t, h.agent as H, {
        kind: 'report',
        channel: 'phone',
        classCode: 'integrity.bribery',
        description: '城关供电所有人装表时收取好处费两百元',
        reporter: { name: '王举报', phone: '13600002222' },
        ...extra,
      });

    it('never dispatches an integrity report to the unit it names, and hides it from named staff', async () => {
      const cg = await unitId(t, 'SFX-CG');
      const r = await integrity({ namedUnitIds: [cg], namedUserIds: [await userId(t, 'handler')] });
      expect(r.statusCode, r.body).toBe(201);
      const id = JSON.parse(r.body).ticket.id;
      const blocked = await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: cg });
      expect(blocked.statusCode).toBe(409);
      expect(JSON.parse(blocked.body).error.code).toBe('routing_excluded');
      const ok = await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-JJJC') });
      expect(ok.statusCode).toBe(200);
      expect((await detail(t, h.handler as H, id)).statusCode).toBe(404);
    });

    it('keeps the reporter apart and encrypted, and logs every reveal', async () => {
      const r = await integrity({});
      const id = JSON.parse(r.body).ticket.id;
      const view = JSON.parse(r.body).ticket;
      expect(view.customer.name).toBeNull();
      expect(view.customer.phone).toBeNull();
      expect(view.pseudonym).toMatch(/^举报人-/);
      const stored = await t.db.kysely.selectFrom('ticket_identities').selectAll().where('ticket_id', '=', id).executeTakeFirstOrThrow();
      expect(stored.ciphertext).not.toContain('王举报');
      expect(Buffer.from(stored.ciphertext, 'base64').toString('utf8')).not.toContain('13600002222');

      const denied = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/reveal-identity`,
        headers: h.reviewer as H,
        payload: { reason: '想看看' },
      });
      expect(denied.statusCode).toBe(403);
      const revealed = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/reveal-identity`,
        headers: h.discipline as H,
        payload: { reason: '核实举报内容需联系举报人' },
      });
      expect(revealed.statusCode).toBe(200);
      const body = JSON.parse(revealed.body);
      expect(body.identity.name).toBe('王举报');
      expect(body.reveals).toHaveLength(1);
      expect(body.reveals[0].reason).toBe('核实举报内容需联系举报人');
      const byAgent = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${id}/reveal-identity`,
        headers: h.agent as H,
        payload: { reason: '回访需要' },
      });
      expect(JSON.parse(byAgent.body).reveals).toHaveLength(2);
    });

    it('gives anonymous filings a receipt code stored only as a hash', async () => {
      const r = await intake(t, h.agent as H, {
        kind: 'report',
        channel: 'phone',
        classCode: 'theft',
        description: '某村有人私接电线窃电',
        anonymous: true,
      });
      const body = JSON.parse(r.body);
      expect(body.receiptCode).toMatch(/^[A-Za-z0-9_-]{20}$/);
      const row = await t.db.kysely.selectFrom('tickets').select('receipt_hash').where('id', '=', body.ticket.id).executeTakeFirstOrThrow();
      expect(row.receipt_hash).toHaveLength(64);
      expect(row.receipt_hash).not.toContain(body.receiptCode);
    });
  });

  describe('attachments', () => {
    it('rejects a file whose content is not an accepted type, whatever its name', async () => {
      const o = await newOrder();
      const fake = multipart('meter.jpg', Buffer.from('this is plain text pretending to be a photo'));
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${o.id}/attachments`,
        headers: { ...(h.agent as H), 'content-type': fake.contentType },
        payload: fake.payload,
      });
      expect(r.statusCode).toBe(415);
    });

    it('stores an image, writes an attach event and serves it only within scope', async () => {
      const o = await dispatched('SFX-CG');
      const png = multipart('电表照片.png', PNG, 'image/png');
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/tickets/${o.id}/attachments`,
        headers: { ...(h.handler as H), 'content-type': png.contentType },
        payload: png.payload,
      });
      expect(r.statusCode, r.body).toBe(201);
      const a = JSON.parse(r.body).attachment;
      expect(a.mime).toBe('image/png');
      const d = JSON.parse((await detail(t, h.handler as H, o.id)).body);
      expect(d.events.at(-1).action).toBe('attach');
      expect(d.attachments[0].name).toBe('电表照片.png');
      const get = await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${a.id}`, headers: h.handler as H });
      expect(get.statusCode).toBe(200);
      expect(get.rawPayload.equals(PNG)).toBe(true);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/attachments/${a.id}`, headers: h.handler2 as H })).statusCode).toBe(404);
    });
  });

  describe('deadlines', () => {
    it('previews the 2026 National Day case with explanations', async () => {
      const q = (kind: string, channel: string) =>
        t.app.inject({
          method: 'GET',
          url: `/api/v1/deadlines/preview?kind=${kind}&channel=${channel}&at=${encodeURIComponent('2026-09-30T10:12:00+08:00')}`,
          headers: h.agent as H,
        });
      const due = async (kind: string, channel: string, clockName: string) => {
        const r = JSON.parse((await q(kind, channel)).body);
        return r.deadlines.find((d: { clock: string }) => d.clock === clockName);
      };
      const reply = await due('complaint', 'phone', 'reply');
      expect(reply.dueAt).toBe('2026-10-12T16:00:00.000Z');
      expect(reply.explanation.zh).toContain('10-10');
      expect((await due('report', 'phone', 'reply')).dueAt).toBe('2026-10-19T16:00:00.000Z');
      expect((await due('complaint', 'phone', 'first_contact')).dueAt).toBe('2026-10-01T02:12:00.000Z');
      expect((await due('complaint', 'gov_12345', 'reply')).dueAt).toBe('2026-10-07T16:00:00.000Z');
      const bad = await t.app.inject({
        method: 'GET',
        url: '/api/v1/deadlines/preview?kind=complaint&channel=phone&at=2026-09-30T10:12:00',
        headers: h.agent as H,
      });
      expect(bad.statusCode).toBe(400);
    });

    it('lets an admin calendar override move a deadline', async () => {
      const put = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/calendar/overrides/2026-10-12',
        headers: h.admin as H,
        payload: { workday: false, note: '台风停工' },
      });
      expect(put.statusCode).toBe(200);
      const r = JSON.parse(
        (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/deadlines/preview?kind=complaint&channel=phone&at=${encodeURIComponent('2026-09-30T10:12:00+08:00')}`,
            headers: h.agent as H,
          })
        ).body,
      );
      expect(r.deadlines.find((d: { clock: string }) => d.clock === 'reply').dueAt).toBe('2026-10-13T16:00:00.000Z');
      await t.app.inject({ method: 'DELETE', url: '/api/v1/calendar/overrides/2026-10-12', headers: h.admin as H });
    });
  });

  describe('sweeper', () => {
    it('writes each warning and overdue event once and notifies the unit once', async () => {
      clock.set('2026-11-10T02:00:00.000Z');
      const o = await newOrder();
      clock.advance(1.6 * HOUR); // past 75 % of the 2-hour dispatch window
      await t.app.services.sweeper.runOnce();
      await t.app.services.sweeper.runOnce();
      let d = JSON.parse((await detail(t, h.agent as H, o.id)).body);
      expect(d.events.filter((e: { action: string }) => e.action === 'warning')).toHaveLength(1);
      expect(d.ticket.warned).toBe(true);
      clock.advance(HOUR); // past the dispatch deadline
      await t.app.services.sweeper.runOnce();
      await t.app.services.sweeper.runOnce();
      d = JSON.parse((await detail(t, h.agent as H, o.id)).body);
      expect(d.events.filter((e: { action: string }) => e.action === 'overdue')).toHaveLength(1);
      expect(d.ticket.overdue).toBe(true);
      const overdueQueue = JSON.parse(
        (await t.app.inject({ method: 'GET', url: '/api/v1/tickets?queue=overdue', headers: h.agent as H })).body,
      );
      expect(overdueQueue.items.map((x: { id: number }) => x.id)).toContain(o.id);
      const bell = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/v1/notifications', headers: h.leader as H })).body);
      expect(bell.items.filter((n: { ticketId: number; kind: string }) => n.ticketId === o.id && n.kind === 'escalated')).toHaveLength(1);
      const chains = await t.app.services.chain.verify();
      expect(chains.broken).toEqual([]);
    });
  });
});
