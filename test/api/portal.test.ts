import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { act, detail, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';
import { multipart, PNG } from '../portal-helpers.ts';

const PORTAL = '/api/public/portal';

const complaint = (over: Record<string, unknown> = {}) => ({
  kind: 'complaint',
  classCode: 'business.billing',
  name: '张建国',
  phone: '13912345678',
  account: '3201000001',
  location: '示范县城关镇人民路18号',
  description: '我家上个月电费突然翻倍，平时只有一百多，这个月三百多，要求核查电表。',
  ...over,
});

type Progress = {
  number: string;
  status: string;
  statusText: string;
  reply: { text: string } | null;
  canRate: boolean;
  rating: { outcome: string; label: string } | null;
  anonymous: boolean;
  questions: Array<{ seq: number; text: string; answers: string[] }>;
  attachments: number;
};

function portalCookie(res: { cookies: Array<{ name: string; value: string }> }): Record<string, string> {
  const c = res.cookies.find((x) => x.name === 'gv_portal');
  if (!c) throw new Error('no portal cookie');
  return { cookie: `gv_portal=${c.value}` };
}

describeEachDb('public portal', (dialect) => {
  let t: TestApp;
  let staff: Record<string, Record<string, string>>;
  const clock = testClock('2026-11-02T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock,
      env: {
        GRIDVOICE_SESSION_IDLE_MINUTES: '10080',
        GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720',
        GRIDVOICE_PUBLIC_URL: 'https://95598.example.cn',
      },
    });
    staff = {};
    for (const u of ['agent', 'handler', 'reviewer', 'discipline']) staff[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  describe('filing', () => {
    it('rejects a complaint without a phone with a Chinese message', async () => {
      const res = await t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, payload: complaint({ phone: '' }) });
      expect(res.statusCode).toBe(400);
      const e = res.json().error;
      expect(e.code).toBe('validation_failed');
      expect(e.message).toContain('联系电话');
      expect(e.details.field).toBe('phone');
    });

    it('rejects a filled honeypot and files nothing', async () => {
      const before = await t.db.kysely
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      const res = await t.app.inject({
        method: 'POST',
        url: `${PORTAL}/submissions`,
        payload: complaint({ website: 'http://spam.example' }),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
      const after = await t.db.kysely
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('rejects a non-image photo by its content, in Chinese', async () => {
      const m = multipart({ kind: 'complaint', phone: '13900000001', description: '电表箱门坏了很久没人修，存在安全隐患。' }, [
        { field: 'photos', name: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('%PDF-1.4 not an image at all') },
      ]);
      const res = await t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, ...m });
      expect(res.statusCode).toBe(415);
      expect(res.json().error.message).toContain('照片');
    });

    it('rejects more than five photos with 413', async () => {
      const photos = Array.from({ length: 6 }, (_, i) => ({ field: 'photos', name: `p${i}.png`, type: 'image/png', data: PNG }));
      const m = multipart({ kind: 'complaint', phone: '13900000002', description: '电表箱门坏了很久没人修，存在安全隐患。' }, photos);
      const res = await t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, ...m });
      expect(res.statusCode).toBe(413);
      expect(res.json().error.code).toBe('payload_too_large');
      expect(res.json().error.message).toContain('5');
    });

    it('files with photos (multipart) and attaches them to the order', async () => {
      const m = multipart(
        {
          kind: 'complaint',
          classCode: 'construction.safety',
          phone: '13900000003',
          location: '南山村二组',
          description: '村口电线杆倾斜严重，下雨天很危险，请尽快处理。',
        },
        [
          { field: 'photos', name: '电杆.png', type: 'image/png', data: PNG },
          { field: 'photos', name: 'pole.png', type: 'image/png', data: PNG },
        ],
      );
      const res = await t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, ...m });
      expect(res.statusCode, res.body).toBe(201);
      const ticket = await t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', res.json().number).executeTakeFirstOrThrow();
      expect(ticket.channel).toBe('web');
      const atts = await t.db.kysely.selectFrom('attachments').selectAll().where('ticket_id', '=', ticket.id).execute();
      expect(atts.map((a) => a.mime)).toEqual(['image/png', 'image/png']);
    });

    it('returns the same order for a retried submission with the same Idempotency-Key, with a fresh query code', async () => {
      const key = 'retry-key-0123456789abcdef';
      const body = complaint({
        phone: '13900000004',
        description: '停电两天了还没恢复，打了电话也没人来，请尽快处理。',
        classCode: 'outage.repair',
      });
      const first = await t.app.inject({
        method: 'POST',
        url: `${PORTAL}/submissions`,
        headers: { 'idempotency-key': key },
        payload: body,
      });
      const second = await t.app.inject({
        method: 'POST',
        url: `${PORTAL}/submissions`,
        headers: { 'idempotency-key': key },
        payload: body,
      });
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(200);
      expect(second.json().number).toBe(first.json().number);
      const oldLogin = await t.app.inject({
        method: 'POST',
        url: `${PORTAL}/session`,
        payload: { number: first.json().number, queryCode: first.json().queryCode },
      });
      expect(oldLogin.statusCode).toBe(401);
      const newLogin = await t.app.inject({
        method: 'POST',
        url: `${PORTAL}/session`,
        payload: { number: first.json().number, queryCode: second.json().queryCode },
      });
      expect(newLogin.statusCode).toBe(200);
    });
  });

  it('walks submit → number + query code → track → reply shown only after approval → online rating closes the call-back', async () => {
    const res = await t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, payload: complaint() });
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json() as { number: string; queryCode: string };
    expect(filed.number).toMatch(/^TS20261102\d{5}$/);
    expect(filed.queryCode).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);

    const ticket = await t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', filed.number).executeTakeFirstOrThrow();
    expect(ticket.query_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(ticket.query_hash).not.toContain(filed.queryCode);
    const sms = await t.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .where('template', '=', 'accepted')
      .execute();
    expect(sms).toHaveLength(1);
    expect(sms[0]?.channel).toBe('sms');
    expect(sms[0]?.recipient).toBe('13912345678');
    expect(sms[0]?.body).toContain(filed.number);
    expect(sms[0]?.body).toContain(filed.queryCode);
    expect(sms[0]?.body).toContain('https://95598.example.cn/portal');

    const wrong = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/session`,
      payload: { number: filed.number, queryCode: 'AAAA-BBBB' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.message).toContain('查询码不正确');

    // Lower case and without the dash, as people type it.
    const login = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/session`,
      payload: { number: filed.number, queryCode: filed.queryCode.replace('-', '').toLowerCase() },
    });
    expect(login.statusCode, login.body).toBe(200);
    const session = portalCookie(login);
    const me = async () => {
      const r = await t.app.inject({ method: 'GET', url: `${PORTAL}/me`, headers: session });
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as Progress;
    };
    let p = await me();
    expect(p.status).toBe('accepted');
    expect(p.statusText).toBe('已受理，正在安排处理单位');
    expect(p.reply).toBeNull();
    expect(p.canRate).toBe(false);

    const agent = staff.agent as Record<string, string>;
    const handler = staff.handler as Record<string, string>;
    const reviewer = staff.reviewer as Record<string, string>;
    const id = ticket.id;
    const station = await unitId(t, 'SFX-CG');
    expect((await act(t, agent, id, 'dispatch', { version: 1, unitId: station })).statusCode).toBe(200);
    expect((await act(t, handler, id, 'sign', { version: 2 })).statusCode).toBe(200);
    expect((await act(t, handler, id, 'contact', { version: 3, note: '已电话联系客户，约定上门核查电表' })).statusCode).toBe(200);
    const replyText = '经核实，抄表员录入示数错误，已更正电费并退还多收的电费，向您致歉。';
    const reply = await act(t, handler, id, 'reply', {
      version: 4,
      verification: 'substantiated',
      rootCause: 'billing_error',
      responsibility: 'company',
      replyText,
    });
    expect(reply.statusCode, reply.body).toBe(200);
    p = await me();
    expect(p.status).toBe('processing');
    expect(p.reply).toBeNull(); // written, but not yet reviewed
    expect(
      (await t.app.inject({ method: 'POST', url: `${PORTAL}/me/rating`, headers: session, payload: { outcome: 'satisfied' } })).statusCode,
    ).toBe(409);

    expect((await act(t, reviewer, id, 'approve', { version: 5 })).statusCode).toBe(200);
    p = await me();
    expect(p.status).toBe('replied');
    expect(p.reply?.text).toBe(replyText);
    expect(p.canRate).toBe(true);
    const ready = await t.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('ticket_id', '=', id)
      .where('template', '=', 'reply_ready')
      .execute();
    expect(ready.map((m) => m.recipient)).toEqual(['13912345678']);

    const bad = await t.app.inject({ method: 'POST', url: `${PORTAL}/me/rating`, headers: session, payload: { outcome: 'great' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('满意');

    const rated = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/me/rating`,
      headers: session,
      payload: { outcome: 'satisfied', comment: '处理及时，态度很好' },
    });
    expect(rated.statusCode, rated.body).toBe(200);
    expect((rated.json() as Progress).status).toBe('closed');
    expect((rated.json() as Progress).rating).toEqual({ outcome: 'satisfied', label: '满意' });

    const d = (await detail(t, agent, id)).json() as {
      ticket: { state: string; satisfaction: string };
      events: Array<{ action: string; input: { outcome?: string; note?: string } }>;
    };
    expect(d.ticket.state).toBe('closed');
    expect(d.ticket.satisfaction).toBe('satisfied');
    const revisit = d.events.at(-1);
    expect(revisit?.action).toBe('revisit');
    expect(revisit?.input.outcome).toBe('satisfied');
    expect(revisit?.input.note).toContain('网上评价');

    const again = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/me/rating`,
      headers: session,
      payload: { outcome: 'dissatisfied' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it('walks an anonymous report: receipt shown once, receipt login, question and answer, evidence, identity never exposed', async () => {
    const contact = 'whistle-7d1@example.org';
    const res = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/submissions`,
      payload: {
        kind: 'report',
        anonymous: true,
        classCode: 'integrity.bribery',
        email: contact,
        location: '西湖供电所营业厅',
        description: '西湖供电所有员工办理新装时暗示要请吃饭才给快办，已经拖了两个月。',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const filed = res.json() as { number: string; queryCode: null; receiptCode: string; receipt: Record<string, unknown> };
    expect(filed.number).toMatch(/^JB/);
    expect(filed.queryCode).toBeNull();
    expect(filed.receiptCode.length).toBeGreaterThanOrEqual(20);
    expect(filed.receipt.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(filed.receipt)).not.toContain(filed.receiptCode);

    const ok = await t.app.inject({ method: 'POST', url: `${PORTAL}/receipts/verify`, payload: filed.receipt });
    expect(ok.json()).toMatchObject({ valid: true, matchesRecord: true, number: filed.number });
    const forged = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/receipts/verify`,
      payload: { ...filed.receipt, filedAt: '2026-10-01T00:00:00.000Z' },
    });
    expect(forged.json().valid).toBe(false);

    const ticket = await t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', filed.number).executeTakeFirstOrThrow();
    expect(ticket.receipt_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(ticket.anonymous).toBe(1);

    const badLogin = await t.app.inject({ method: 'POST', url: `${PORTAL}/session`, payload: { receipt: 'not-the-receipt-code' } });
    expect(badLogin.statusCode).toBe(401);
    expect(badLogin.json().error.message).toContain('回执码');
    const login = await t.app.inject({ method: 'POST', url: `${PORTAL}/session`, payload: { receipt: filed.receiptCode } });
    expect(login.statusCode, login.body).toBe(200);
    const session = portalCookie(login);
    expect((login.json().progress as Progress).anonymous).toBe(true);

    // Logging out ends the token on the server: a copy of it (left on a shared computer) stops working too.
    const second = await t.app.inject({ method: 'POST', url: `${PORTAL}/session`, payload: { receipt: filed.receiptCode } });
    const copy = { 'x-portal-session': second.json().token as string };
    expect((await t.app.inject({ method: 'GET', url: `${PORTAL}/me`, headers: copy })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: `${PORTAL}/session`, headers: portalCookie(second) })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: `${PORTAL}/me`, headers: copy })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: `${PORTAL}/me`, headers: session })).statusCode).toBe(200);

    const agent = staff.agent as Record<string, string>;
    const ask = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/questions`,
      headers: agent,
      payload: { text: '请问是哪一天去营业厅办理的？对方是否留下了联系方式？' },
    });
    expect(ask.statusCode, ask.body).toBe(201);
    const question = await t.db.kysely
      .selectFrom('outbox')
      .selectAll()
      .where('ticket_id', '=', ticket.id)
      .where('template', '=', 'question')
      .execute();
    expect(question.map((m) => [m.channel, m.recipient])).toEqual([['email', contact]]);

    let p = (await t.app.inject({ method: 'GET', url: `${PORTAL}/me`, headers: session })).json() as Progress;
    expect(p.questions).toHaveLength(1);
    expect(p.questions[0]?.text).toContain('哪一天');
    const answer = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/me/answers`,
      headers: session,
      payload: { text: '是11月1日上午，对方没有留联系方式，但工号牌是0231。', questionSeq: p.questions[0]?.seq },
    });
    expect(answer.statusCode, answer.body).toBe(200);
    p = answer.json() as Progress;
    expect(p.questions[0]?.answers).toEqual(['是11月1日上午，对方没有留联系方式，但工号牌是0231。']);

    const evidence = multipart({}, [{ field: 'photos', name: 'receipt.png', type: 'image/png', data: PNG }]);
    const up = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/me/evidence`,
      headers: { ...session, ...evidence.headers },
      payload: evidence.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const notImage = multipart({}, [{ field: 'photos', name: 'x.png', type: 'image/png', data: Buffer.from('plain text pretending') }]);
    const rejected = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/me/evidence`,
      headers: { ...session, ...notImage.headers },
      payload: notImage.payload,
    });
    expect(rejected.statusCode).toBe(415);

    // The staff side: the answer reaches the agent in-app, the evidence is attached, and nobody sees who filed.
    const { outboxWorker } = t.app.services;
    await outboxWorker.runOnce();
    const agentId = (await t.db.kysely.selectFrom('users').select('id').where('username', '=', 'agent').executeTakeFirstOrThrow()).id;
    const inapp = await t.db.kysely
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', agentId)
      .where('ticket_id', '=', ticket.id)
      .execute();
    expect(inapp.map((n) => n.kind)).toContain('reporter_answer');

    for (const who of ['agent', 'discipline']) {
      const d = await detail(t, staff[who] as Record<string, string>, ticket.id);
      expect(d.statusCode).toBe(200);
      const body = d.body;
      expect(body).not.toContain(contact);
      const json = d.json() as {
        ticket: { customer: Record<string, unknown>; anonymous: boolean };
        canRevealIdentity: boolean;
        attachments: unknown[];
        events: Array<{ action: string }>;
      };
      expect(json.ticket.anonymous).toBe(true);
      expect(json.ticket.customer).toMatchObject({ name: null, phone: null, account: null });
      expect(json.canRevealIdentity).toBe(false);
      expect(json.attachments).toHaveLength(1);
      expect(json.events.map((e) => e.action)).toEqual(expect.arrayContaining(['question', 'reporter_answer', 'attach']));
    }
    const reveal = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/reveal-identity`,
      headers: staff.discipline,
      payload: { reason: '核查举报' },
    });
    expect(reveal.statusCode).toBe(404);
    const messages = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers: agent });
    expect(messages.statusCode).toBe(200);
    expect(messages.body).not.toContain(contact);
    expect(
      (messages.json().items as Array<{ template: string; status: string }>).some((m) => m.template === 'question' && m.status === 'sent'),
    ).toBe(true);
    expect(JSON.stringify(p)).not.toContain(contact);
  });

  it('does not let a handler outside the centre ask about an order outside their scope', async () => {
    const res = await t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, payload: complaint({ phone: '13900000009' }) });
    const ticket = await t.db.kysely.selectFrom('tickets').select('id').where('number', '=', res.json().number).executeTakeFirstOrThrow();
    const ask = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticket.id}/questions`,
      headers: staff.handler,
      payload: { text: '请补充电表照片' },
    });
    expect(ask.statusCode).toBe(404);
  });
});

describeEachDb('public portal abuse controls', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp(dialect, { env: { GRIDVOICE_PORTAL_IP_PER_HOUR: '3', GRIDVOICE_PORTAL_PHONE_PER_DAY: '1' } });
  });
  afterAll(async () => t?.close());

  it('answers 429 rate_limited in Chinese per phone, then per IP', async () => {
    const file = (phone: string) => t.app.inject({ method: 'POST', url: `${PORTAL}/submissions`, payload: complaint({ phone }) });
    expect((await file('13911110001')).statusCode).toBe(201);
    const perPhone = await file('13911110001');
    expect(perPhone.statusCode).toBe(429);
    expect(perPhone.json().error.code).toBe('rate_limited');
    expect(perPhone.json().error.message).toContain('电话号码');
    expect((await file('13911110002')).statusCode).toBe(201);
    const perIp = await file('13911110003');
    expect(perIp.statusCode).toBe(429);
    expect(perIp.json().error.code).toBe('rate_limited');
    expect(perIp.json().error.message).toMatch(/频繁.*分钟后再试/);
    expect(perIp.headers['retry-after']).toBeDefined();
  });

  it('answers 413 in Chinese for an oversized body', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/submissions`,
      remoteAddress: '10.0.0.9',
      payload: complaint({ phone: '13911110009', description: '很'.repeat(70_000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
