import { intIn } from './lib/env.ts';

/** Settings of the customer channels (portal, Open311) and the notification outbox, read from the environment. */
export interface ChannelsConfig {
  readonly notify: {
    /** HTTP SMS gateway; unset → SMS are written to the log (the embedded default). */
    readonly smsUrl: string | null;
    readonly smsToken: string | null;
    /** smtp://user:pass@host:port or smtps://…; unset → e-mails are written to the log. */
    readonly smtpUrl: string | null;
    readonly mailFrom: string;
    readonly webhookUrls: readonly string[];
    readonly webhookSecret: string | null;
    readonly maxAttempts: number;
    readonly backoffMs: number;
    /** How often the outbox worker polls; 0 disables it (tests drive it by hand). */
    readonly intervalMs: number;
    /** Public base URL put into customer messages, e.g. https://95598.example.cn. */
    readonly publicUrl: string | null;
  };
  readonly portal: {
    readonly ipPerHour: number;
    readonly phonePerDay: number;
    /** Code of the company the portal files for; default: the first top-level company. */
    readonly companyCode: string | null;
  };
}

function url(env: NodeJS.ProcessEnv, key: string, protocols: string[], problems: string[]): string | null {
  const raw = env[key];
  if (!raw) return null;
  try {
    const u = new URL(raw);
    if (!protocols.includes(u.protocol)) problems.push(`${key} must use ${protocols.join(' or ')} (got "${u.protocol}")`);
  } catch {
    problems.push(`${key} is not a URL (got "${raw}")`);
  }
  return raw;
}

/** Reads the channel settings, adding every problem to `problems` (loadConfig reports them all at once). */
export function loadChannelsConfig(env: NodeJS.ProcessEnv, problems: string[]): ChannelsConfig {
  const webhookUrls = (env.GRIDVOICE_WEBHOOK_URLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const [i, u] of webhookUrls.entries())
    url({ [`GRIDVOICE_WEBHOOK_URLS[${i}]`]: u }, `GRIDVOICE_WEBHOOK_URLS[${i}]`, ['http:', 'https:'], problems);
  const webhookSecret = env.GRIDVOICE_WEBHOOK_SECRET || null;
  if (webhookUrls.length > 0 && (!webhookSecret || webhookSecret.length < 16))
    problems.push('GRIDVOICE_WEBHOOK_SECRET must be set (at least 16 characters) when GRIDVOICE_WEBHOOK_URLS is set');
  return Object.freeze({
    notify: Object.freeze({
      smsUrl: url(env, 'GRIDVOICE_SMS_URL', ['http:', 'https:'], problems),
      smsToken: env.GRIDVOICE_SMS_TOKEN || null,
      smtpUrl: url(env, 'GRIDVOICE_SMTP_URL', ['smtp:', 'smtps:'], problems),
      mailFrom: env.GRIDVOICE_MAIL_FROM || 'GridVoice <noreply@gridvoice.local>',
      webhookUrls: Object.freeze(webhookUrls),
      webhookSecret,
      maxAttempts: intIn(env, 'GRIDVOICE_OUTBOX_MAX_ATTEMPTS', 8, 1, 50, problems),
      backoffMs: intIn(env, 'GRIDVOICE_OUTBOX_BACKOFF_MS', 30_000, 0, 3_600_000, problems),
      intervalMs: intIn(env, 'GRIDVOICE_OUTBOX_INTERVAL_MS', 5_000, 0, 3_600_000, problems),
      publicUrl: url(env, 'GRIDVOICE_PUBLIC_URL', ['http:', 'https:'], problems),
    }),
    portal: Object.freeze({
      ipPerHour: intIn(env, 'GRIDVOICE_PORTAL_IP_PER_HOUR', 20, 1, 100_000, problems),
      phonePerDay: intIn(env, 'GRIDVOICE_PORTAL_PHONE_PER_DAY', 5, 1, 10_000, problems),
      companyCode: env.GRIDVOICE_PORTAL_COMPANY || null,
    }),
  });
}
