import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import type { ChannelsConfig } from '../config-channels.ts';
import type { OutboxRow } from '../db/schema.ts';
import type { Clock } from '../lib/time.ts';
import type { NotificationRepository } from '../repositories/notification.repository.ts';
import type { JobLog } from './runner.ts';

/** Delivers one message; throws on failure (the worker retries). Receivers de-duplicate on the delivery id. */
export interface Transport {
  send(msg: OutboxRow): Promise<void>;
}

export type OutboxChannel = 'sms' | 'email' | 'webhook' | 'inapp';

export const DELIVERY_HEADER = 'X-GridVoice-Delivery-Id';
export const TIMESTAMP_HEADER = 'X-GridVoice-Timestamp';
export const SIGNATURE_HEADER = 'X-GridVoice-Signature';
/** The longest one send may take; the outbox lease (outbox-worker.ts) is sized from it. */
export const SEND_TIMEOUT_MS = 10_000;

/** `sha256=<hex>` HMAC-SHA256 over `<timestamp>.<body>`: what a webhook receiver recomputes to verify. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

async function postOk(url: string, body: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${new URL(url).host}`);
}

/** The embedded default: no gateway, the message goes to the log so that `npm start` works anywhere. */
export class LogTransport implements Transport {
  constructor(
    private readonly channel: string,
    private readonly log: JobLog,
  ) {}
  async send(m: OutboxRow): Promise<void> {
    this.log.info(
      { deliveryId: m.delivery_id, channel: this.channel, to: m.recipient, subject: m.subject, text: m.body },
      'outbox message (no gateway configured: logged)',
    );
  }
}

/** SMS through an HTTP gateway: POST {deliveryId, to, text}; the gateway de-duplicates on the delivery id. */
export class SmsHttpTransport implements Transport {
  constructor(
    private readonly url: string,
    private readonly token: string | null,
  ) {}
  async send(m: OutboxRow): Promise<void> {
    await postOk(this.url, JSON.stringify({ deliveryId: m.delivery_id, to: m.recipient, text: m.body }), {
      [DELIVERY_HEADER]: m.delivery_id,
      'Idempotency-Key': m.delivery_id,
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
    });
  }
}

/** E-mail over SMTP; the Message-ID is derived from the delivery id, so a resend is recognisably the same mail. */
export class SmtpTransport implements Transport {
  private readonly transporter: Transporter;
  constructor(
    url: string,
    private readonly from: string,
  ) {
    // Bounded like the HTTP transports, so that one send never outlasts the outbox lease.
    this.transporter = nodemailer.createTransport({
      url,
      connectionTimeout: SEND_TIMEOUT_MS / 2,
      greetingTimeout: SEND_TIMEOUT_MS / 4,
      socketTimeout: SEND_TIMEOUT_MS / 4,
    });
  }
  async send(m: OutboxRow): Promise<void> {
    await this.transporter.sendMail({
      from: this.from,
      to: m.recipient,
      subject: m.subject ?? 'GridVoice',
      text: m.body,
      messageId: `<${m.delivery_id}@gridvoice>`,
      headers: { [DELIVERY_HEADER]: m.delivery_id },
    });
  }
  close(): void {
    this.transporter.close();
  }
}

/** Signed webhooks: HMAC-SHA256 over `<timestamp>.<body>`, with the delivery id and timestamp headers. */
export class WebhookTransport implements Transport {
  constructor(
    private readonly secret: string,
    private readonly clock: Clock,
  ) {}
  async send(m: OutboxRow): Promise<void> {
    const ts = String(Math.floor(this.clock().getTime() / 1000));
    await postOk(m.recipient, m.body, {
      [DELIVERY_HEADER]: m.delivery_id,
      [TIMESTAMP_HEADER]: ts,
      [SIGNATURE_HEADER]: webhookSignature(this.secret, ts, m.body),
    });
  }
}

/** In-app: a notification row per delivery id (a repeated delivery is skipped by the dedupe key). */
export class InAppTransport implements Transport {
  constructor(private readonly notifications: NotificationRepository) {}
  async send(m: OutboxRow): Promise<void> {
    await this.notifications.insert([
      {
        user_id: Number(m.recipient),
        ticket_id: m.ticket_id,
        kind: m.template,
        text: m.body,
        dedupe_key: `outbox:${m.delivery_id}`,
        created_at: m.created_at,
      },
    ]);
  }
}

/** The transports the configuration asks for; SMS and e-mail fall back to the log when no gateway is set. */
export function transportsFrom(
  cfg: ChannelsConfig['notify'],
  deps: { clock: Clock; log: JobLog; notifications: NotificationRepository },
): Record<OutboxChannel, Transport> {
  return {
    sms: cfg.smsUrl ? new SmsHttpTransport(cfg.smsUrl, cfg.smsToken) : new LogTransport('sms', deps.log),
    email: cfg.smtpUrl ? new SmtpTransport(cfg.smtpUrl, cfg.mailFrom) : new LogTransport('email', deps.log),
    webhook: cfg.webhookSecret ? new WebhookTransport(cfg.webhookSecret, deps.clock) : new LogTransport('webhook', deps.log),
    inapp: new InAppTransport(deps.notifications),
  };
}
