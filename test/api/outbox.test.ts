import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_MS, OutboxWorker } from '../../server/jobs/outbox-worker.ts';
import { transportsFrom, webhookSignature } from '../../server/jobs/transports.ts';
import { OutboxRepository } from '../../server/repositories/outbox.repository.ts';
import { act, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

const SECRET = 'whsec-test-0123456789abcdef';

interface Hook {
  deliveryId: string;
  validSignature: boolean;
  event: string;
  ticketId: number;
}

/** A local webhook receiver that verifies the signature, and an SMS gateway, in one HTTP server. */
class Receiver {
  readonly hooks: Hook[] = [];
  readonly sms: Array<{ deliveryId: string; to: string; text: string; header: string | undefined }> = [];
  mode: 'ok' | 'fail' = 'ok';
  failNext = 0;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req).then((status) => res.writeHead(status).end()));
    const server = this.server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.port = (server.address() as AddressInfo).port;
  }

  private async handle(req: IncomingMessage): Promise<number> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/sms') {
      const m = JSON.parse(body) as { deliveryId: string; to: string; text: string };
      this.sms.push({ ...m, header: req.headers['x-gridvoice-delivery-id'] as string | undefined });
      return 200;
    }
    const ts = req.headers['x-gridvoice-timestamp'] as string;
    const sig = req.headers['x-gridvoice-signature'] as string;
    const payload = JSON.parse(body) as { deliveryId: string; event: string; ticket: { id: number } };
    const validSignature = sig === webhookSignature(SECRET, ts, body);
    this.hooks.push({
      deliveryId: req.headers['x-gridvoice-delivery-id'] as string,
      validSignature,
      event: payload.event,
      ticketId: payload.ticket.id,
    });
    if (!validSignature) return 401;
    if (this.mode === 'fail') return 500;
    if (this.failNext > 0) {
      this.failNext--;
      return 503;
    }
    return 200;
  }

  close(): Promise<void> {
    return new Promise((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

describeEachDb('notification outbox', (dialect) => {
  let t: TestApp;
  let staff: Record<string, Record<string, string>>;
  const clock = testClock('2026-11-02T02:00:00.000Z');
  const receiver = new Receiver();
  const mails: Array<{ to: string[]; raw: string }> = [];
  let smtp: SMTPServer;

  beforeAll(async () => {
    await receiver.start();
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const smtpPort = (smtp.server.address() as AddressInfo).port;
    t = await makeTestApp(dialect, {
      clock,
      env: {
        GRIDVOICE_SESSION_IDLE_MINUTES: '10080',
        GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720',
        GRIDVOICE_SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        GRIDVOICE_MAIL_FROM: 'GridVoice <noreply@gridvoice.test>',
        GRIDVOICE_SMS_URL: `http://127.0.0.1:${receiver.port}/sms`,
        GRIDVOICE_WEBHOOK_URLS: `http://127.0.0.1:${receiver.port}/hook`,
        GRIDVOICE_WEBHOOK_SECRET: SECRET,
        GRIDVOICE_OUTBOX_MAX_ATTEMPTS: '3',
        GRIDVOICE_OUTBOX_BACKOFF_MS: '1000',
        GRIDVOICE_OUTBOX_INTERVAL_MS: '0',
      },
    });
    staff = {};
    for (const u of ['admin', 'agent', 'handler']) staff[u] = await t.login(u);
  });
  afterAll(async () => {
    await t?.close();
    await receiver.close();
    await new Promise<void>((r) => smtp.close(() => r()));
  });

  const worker = () => t.app.services.outboxWorker;
  const rows = (ticketId: number) => t.db.kysely.selectFrom('outbox').selectAll().where('ticket_id', '=', ticketId).orderBy('id').execute();
  async function fileOpinion(email: string | null, phone: string | null = null) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/portal/submissions',
      payload: {
        kind: 'opinion',
        description: '营业厅排队时间太长，希望增加窗口。',
        ...(email ? { email } : {}),
        ...(phone ? { phone } : {}),
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return t.db.kysely.selectFrom('tickets').selectAll().where('number', '=', res.json().number).executeTakeFirstOrThrow();
  }

  it('delivers an e-mail to a local SMTP server, an SMS to the gateway and a signed webhook, each with its delivery id', async () => {
    const ticket = await fileOpinion('kehu@example.cn', '13800001111');
    const queued = await rows(ticket.id);
    expect(queued.map((m) => [m.channel, m.template, m.status]).sort()).toEqual([
      ['email', 'accepted', 'pending'],
      ['sms', 'accepted', 'pending'],
      ['webhook', 'event', 'pending'],
    ]);
    expect(await worker().runOnce()).toMatchObject({ sent: 3, retry: 0, dead: 0 });
    const sent = await rows(ticket.id);
    expect(sent.every((m) => m.status === 'sent' && m.attempts === 1 && m.sent_at !== null)).toBe(true);

    const email = sent.find((m) => m.channel === 'email');
    const mail = mails.find((m) => m.raw.includes(`<${email?.delivery_id}@gridvoice>`));
    expect(mail?.to).toEqual(['kehu@example.cn']);
    expect(mail?.raw).toMatch(new RegExp(`X-GridVoice-Delivery-Id: ${email?.delivery_id}`, 'i'));
    expect(mail?.raw).toMatch(/^Message-ID: </im);

    const sms = sent.find((m) => m.channel === 'sms');
    const gw = receiver.sms.find((s) => s.deliveryId === sms?.delivery_id);
    expect(gw).toMatchObject({ to: '13800001111', header: sms?.delivery_id });
    expect(gw?.text).toContain(ticket.number);

    const hook = sent.find((m) => m.channel === 'webhook');
    const got = receiver.hooks.filter((h) => h.deliveryId === hook?.delivery_id);
    expect(got).toEqual([{ deliveryId: hook?.delivery_id, validSignature: true, event: 'ticket.intake', ticketId: ticket.id }]);
    expect(JSON.parse(hook?.body ?? '{}').ticket).not.toHaveProperty('description');
  });

  it('queues staff SMS on dispatch and shows the order its messages with their delivery state', async () => {
    await t.db.kysely.updateTable('users').set({ phone: '13700002222' }).where('username', '=', 'handler').execute();
    const ticket = await fileOpinion(null, '13800003333');
    const r = await act(t, staff.agent as Record<string, string>, ticket.id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') });
    expect(r.statusCode, r.body).toBe(200);
    const assigned = (await rows(ticket.id)).filter((m) => m.template === 'assigned');
    expect(assigned.map((m) => [m.channel, m.recipient])).toEqual([['sms', '13700002222']]);
    expect(assigned[0]?.body).toContain(ticket.number);
    await worker().runOnce();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}/messages`, headers: staff.agent });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ template: string; status: string; recipient: string }>;
    expect(items.find((m) => m.template === 'assigned')).toMatchObject({ status: 'sent', recipient: '137****2222' });
    expect(items.find((m) => m.template === 'accepted')).toMatchObject({ status: 'sent', recipient: '138****3333' });
  });

  it('retries a failed webhook with exponential backoff under the same delivery id', async () => {
    const ticket = await fileOpinion(null);
    receiver.failNext = 1;
    expect(await worker().runOnce()).toMatchObject({ sent: 0, retry: 1 });
    let [m] = (await rows(ticket.id)).filter((x) => x.channel === 'webhook');
    expect(m).toMatchObject({ status: 'pending', attempts: 1 });
    expect(m?.last_error).toContain('503');
    expect(m?.next_attempt_at).toBe(new Date(clock().getTime() + 1000).toISOString());
    expect(await worker().runOnce()).toMatchObject({ sent: 0, retry: 0 }); // not due yet
    clock.advance(1000);
    expect(await worker().runOnce()).toMatchObject({ sent: 1 });
    [m] = (await rows(ticket.id)).filter((x) => x.channel === 'webhook');
    expect(m).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    const posts = receiver.hooks.filter((h) => h.deliveryId === m?.delivery_id);
    expect(posts).toHaveLength(2);
    expect(posts.every((p) => p.validSignature)).toBe(true);
  });

  it('dead-letters after the last attempt; admins see it and put it back', async () => {
    const ticket = await fileOpinion(null);
    receiver.mode = 'fail';
    await worker().runOnce();
    clock.advance(1000);
    await worker().runOnce();
    clock.advance(2000);
    expect(await worker().runOnce()).toMatchObject({ dead: 1 });
    const [m] = (await rows(ticket.id)).filter((x) => x.channel === 'webhook');
    expect(m).toMatchObject({ status: 'dead', attempts: 3 });
    expect(receiver.hooks.filter((h) => h.deliveryId === m?.delivery_id)).toHaveLength(3);

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/admin/outbox?status=dead', headers: staff.agent })).statusCode).toBe(403);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/admin/outbox?status=dead', headers: staff.admin });
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((x: { id: number }) => x.id)).toContain(m?.id);
    expect(list.json().counts.dead).toBeGreaterThanOrEqual(1);

    receiver.mode = 'ok';
    const retry = await t.app.inject({ method: 'POST', url: `/api/v1/admin/outbox/${m?.id}/retry`, headers: { ...staff.admin } });
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json().message).toMatchObject({ status: 'pending', attempts: 0 });
    expect(await worker().runOnce()).toMatchObject({ sent: 1 });
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/admin/outbox/${m?.id}/retry`, headers: staff.admin });
    expect(again.statusCode).toBe(409);
  });

  it('sends once after a crash between commit and send: the next worker resends under the same delivery id', async () => {
    const cfg = t.config.channels.notify;
    const repo = new OutboxRepository(t.db.kysely, dialect);
    const transports = transportsFrom(cfg, { clock, log: { info() {}, error() {} }, notifications: t.app.services.repos.notifications });
    const doomed = new OutboxWorker(repo, transports, clock, cfg);

    // 1. Claimed and sent, then the worker dies before recording it.
    const first = await fileOpinion(null);
    const claimed = await doomed.claim();
    const m = claimed.find((x) => x.ticket_id === first.id);
    expect(m).toBeDefined();
    await transports.webhook.send(m as NonNullable<typeof m>);
    // 2. Claimed, then the worker dies before sending.
    const second = await fileOpinion(null);
    const claimed2 = await doomed.claim();
    const m2 = claimed2.find((x) => x.ticket_id === second.id);
    expect(m2).toBeDefined();

    expect(await worker().runOnce()).toMatchObject({ sent: 0 }); // the dead worker's leases still hold
    clock.advance(LEASE_MS + 1);
    expect(await worker().runOnce()).toMatchObject({ sent: 2 });

    const a = (await rows(first.id)).find((x) => x.channel === 'webhook');
    const b = (await rows(second.id)).find((x) => x.channel === 'webhook');
    expect(a).toMatchObject({ status: 'sent', attempts: 2, delivery_id: m?.delivery_id });
    expect(b).toMatchObject({ status: 'sent', attempts: 2, delivery_id: m2?.delivery_id });
    const postsA = receiver.hooks.filter((h) => h.deliveryId === m?.delivery_id);
    const postsB = receiver.hooks.filter((h) => h.deliveryId === m2?.delivery_id);
    expect(postsA).toHaveLength(2); // at least once …
    expect(new Set(postsA.map((p) => p.deliveryId)).size).toBe(1); // … and the receiver sees one delivery
    expect(postsB).toHaveLength(1);
  });

  it('never sends a message twice when a slow batch outlasts its lease and another worker takes the rest over', async () => {
    const cfg = t.config.channels.notify;
    const repo = new OutboxRepository(t.db.kysely, dialect);
    const transports = transportsFrom(cfg, { clock, log: { info() {}, error() {} }, notifications: t.app.services.repos.notifications });
    const slow = new OutboxWorker(repo, transports, clock, cfg);
    const orders = [await fileOpinion(null), await fileOpinion(null), await fileOpinion(null)];
    const ids = new Set(orders.map((o) => o.id));
    const batch = (await slow.claim()).filter((m) => m.channel === 'webhook' && ids.has(m.ticket_id as number));
    expect(batch).toHaveLength(3);

    // The first send goes out under a fresh lease; the receiver is so slow that the rest of the batch's leases run out.
    expect(await slow.deliver(batch[0] as (typeof batch)[number])).toBe('sent');
    clock.advance(LEASE_MS + 1);
    // Another node claims what the slow worker still holds on paper, and delivers it.
    expect(await worker().runOnce()).toMatchObject({ sent: 2 });
    // The slow worker reaches the rest of its batch: the claims are no longer its own, so it sends nothing.
    for (const m of batch.slice(1)) expect(await slow.deliver(m)).toBe('skipped');

    for (const m of batch) {
      expect(receiver.hooks.filter((h) => h.deliveryId === m.delivery_id)).toHaveLength(1);
      expect(await repo.find(m.id)).toMatchObject({ status: 'sent' });
    }
  });
});

describe('outbox transports without a gateway', () => {
  it('writes SMS and e-mail to the log so that the embedded setup works anywhere', async () => {
    const logged: Array<Record<string, unknown>> = [];
    const log = { info: (o: object) => logged.push(o as Record<string, unknown>), error() {} };
    const cfg = {
      smsUrl: null,
      smsToken: null,
      smtpUrl: null,
      mailFrom: 'x',
      webhookUrls: [],
      webhookSecret: null,
      maxAttempts: 3,
      backoffMs: 1,
      intervalMs: 0,
      publicUrl: null,
    };
    const tr = transportsFrom(cfg, { clock: testClock(), log, notifications: {} as never });
    const msg = {
      id: 1,
      delivery_id: 'd-1',
      channel: 'sms',
      recipient: '13900000000',
      template: 'accepted',
      subject: 's',
      body: '您的投诉已受理',
      ticket_id: 1,
      dedupe_key: null,
      status: 'sending',
      attempts: 1,
      next_attempt_at: '',
      locked_until: null,
      last_error: null,
      created_at: '',
      updated_at: '',
      sent_at: null,
    };
    await tr.sms.send(msg);
    await tr.email.send({ ...msg, channel: 'email', recipient: 'a@b.cn' });
    expect(logged.map((l) => [l.channel, l.deliveryId, l.text])).toEqual([
      ['sms', 'd-1', '您的投诉已受理'],
      ['email', 'd-1', '您的投诉已受理'],
    ]);
  });
});
