import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type ChannelsConfig, loadChannelsConfig } from './config-channels.ts';
import { type DeployConfig, loadDeployConfig } from './config-deploy.ts';
import { intIn } from './lib/env.ts';

/** Validated, frozen configuration; a pure function of the environment (plus the generated secret file). */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly dialect: 'sqlite' | 'postgres';
  readonly secret: string;
  readonly secretGenerated: boolean;
  readonly demo: boolean;
  readonly demoPassword: string | null;
  readonly logLevel: string;
  readonly sessionIdleMinutes: number;
  readonly sessionAbsoluteHours: number;
  readonly sweeperIntervalMs: number;
  /** Whether start-up migrates the schema (GRIDVOICE_AUTO_MIGRATE; default on for SQLite, off for PostgreSQL). */
  readonly autoMigrate: boolean;
  /** Days to keep delivered outbox rows, read notifications and idempotency keys (0: for ever). */
  readonly retention: { readonly outboxDays: number; readonly notificationDays: number; readonly idempotencyDays: number };
  /** Minutes between signed checkpoints of every event chain head (0: only `gridvoice checkpoint`). */
  readonly checkpointMinutes: number;
  /** Bearer token a Prometheus scraper sends to GET /metrics; null: only scrapers on the same host are answered. */
  readonly metricsToken: string | null;
  /** Portal, Open311 and notification outbox settings (config-channels.ts). */
  readonly channels: ChannelsConfig;
  /** Trusted proxies, Secure cookies, the shared rate-limit store and the file storage (config-deploy.ts). */
  readonly deploy: DeployConfig;
  /** Load shedding (@fastify/under-pressure): 503 + Retry-After past these; 0 turns a check off. */
  readonly pressure: {
    readonly maxEventLoopDelayMs: number;
    readonly maxHeapUsedBytes: number;
    readonly maxRssBytes: number;
    readonly retryAfterSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const FLAG_TO_ENV: Record<string, string> = {
  '--port': 'PORT',
  '--host': 'HOST',
  '--data-dir': 'GRIDVOICE_DATA_DIR',
  '--database-url': 'DATABASE_URL',
  '--demo': 'GRIDVOICE_DEMO',
  '--demo-password': 'GRIDVOICE_DEMO_PASSWORD',
  '--log-level': 'LOG_LEVEL',
};

/** Turns `--port 9000` style flags into environment entries; flags win over the environment. */
export function flagsToEnv(argv: readonly string[], env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; rest: string[] } {
  const out: NodeJS.ProcessEnv = { ...env };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const key = FLAG_TO_ENV[flag];
    if (key === undefined) {
      rest.push(arg);
      continue;
    }
    out[key] = inline ?? argv[++i];
  }
  return { env: out, rest };
}

/**
 * Reads and checks the whole configuration, reporting every problem at once.
 * The secret is generated into the data dir (mode 0600) when neither GRIDVOICE_SECRET nor the file exists.
 */
export function loadConfig(env: NodeJS.ProcessEnv, opts: { createDataDir?: boolean } = {}): Config {
  const problems: string[] = [];
  const port = intIn(env, 'PORT', 8080, 0, 65535, problems);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.GRIDVOICE_DATA_DIR || './data');
  const demoRaw = env.GRIDVOICE_DEMO ?? '1';
  if (!['0', '1', 'true', 'false'].includes(demoRaw)) problems.push(`GRIDVOICE_DEMO must be 0 or 1 (got "${demoRaw}")`);
  const demo = demoRaw === '1' || demoRaw === 'true';
  const demoPassword = env.GRIDVOICE_DEMO_PASSWORD || null;
  if (demoPassword !== null && demoPassword.length < 8) problems.push('GRIDVOICE_DEMO_PASSWORD must have at least 8 characters');
  const databaseUrl = env.DATABASE_URL || `sqlite:${join(dataDir, 'gridvoice.sqlite')}`;
  let dialect: Config['dialect'] = 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) dialect = 'postgres';
  else if (!databaseUrl.startsWith('sqlite:')) problems.push(`DATABASE_URL must start with postgres:// or sqlite: (got "${databaseUrl}")`);
  const autoMigrateRaw = env.GRIDVOICE_AUTO_MIGRATE ?? (dialect === 'sqlite' ? '1' : '0');
  if (!['0', '1'].includes(autoMigrateRaw)) problems.push(`GRIDVOICE_AUTO_MIGRATE must be 0 or 1 (got "${autoMigrateRaw}")`);
  const autoMigrate = autoMigrateRaw === '1';
  const logLevel = env.LOG_LEVEL || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel))
    problems.push(`LOG_LEVEL must be a pino level (got "${logLevel}")`);
  const sessionIdleMinutes = intIn(env, 'GRIDVOICE_SESSION_IDLE_MINUTES', 30, 1, 7 * 24 * 60, problems);
  const sessionAbsoluteHours = intIn(env, 'GRIDVOICE_SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 365, problems);
  const sweeperIntervalMs = intIn(env, 'GRIDVOICE_SWEEPER_INTERVAL_MS', 60_000, 0, 3_600_000, problems);
  const checkpointMinutes = intIn(env, 'GRIDVOICE_CHECKPOINT_MINUTES', 60, 0, 7 * 24 * 60, problems);
  const retention = Object.freeze({
    outboxDays: intIn(env, 'GRIDVOICE_RETAIN_OUTBOX_DAYS', 30, 0, 36_500, problems),
    notificationDays: intIn(env, 'GRIDVOICE_RETAIN_NOTIFICATIONS_DAYS', 90, 0, 36_500, problems),
    idempotencyDays: intIn(env, 'GRIDVOICE_RETAIN_IDEMPOTENCY_DAYS', 7, 0, 36_500, problems),
  });
  const channels = loadChannelsConfig(env, problems);
  const metricsToken = env.GRIDVOICE_METRICS_TOKEN || null;
  if (metricsToken !== null && metricsToken.length < 16) problems.push('GRIDVOICE_METRICS_TOKEN must have at least 16 characters');
  const deploy = loadDeployConfig(env, dataDir, problems);
  const pressure = Object.freeze({
    maxEventLoopDelayMs: intIn(env, 'GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS', 1000, 0, 60_000, problems),
    maxHeapUsedBytes: intIn(env, 'GRIDVOICE_MAX_HEAP_MB', 0, 0, 1_048_576, problems) * 1024 * 1024,
    maxRssBytes: intIn(env, 'GRIDVOICE_MAX_RSS_MB', 0, 0, 1_048_576, problems) * 1024 * 1024,
    retryAfterSeconds: intIn(env, 'GRIDVOICE_RETRY_AFTER_SECONDS', 10, 1, 3600, problems),
  });

  let secret = env.GRIDVOICE_SECRET ?? '';
  let secretGenerated = false;
  if (secret !== '' && secret.length < 32) problems.push('GRIDVOICE_SECRET must have at least 32 characters');
  if (secret === '' && dialect === 'postgres')
    problems.push(
      'GRIDVOICE_SECRET is required when DATABASE_URL is PostgreSQL: every node must share one secret (sessions, ' +
        'portal and Open311 tokens, reporter identities and the event chain are keyed with it), and a secret.key ' +
        'generated per node would make each node reject the others\' (docs/operator-guide.md, "密钥 Keys")',
    );
  if (problems.length > 0) throw new ConfigError(problems);

  if (secret === '') {
    const file = join(dataDir, 'secret.key');
    if (existsSync(file)) {
      secret = readFileSync(file, 'utf8').trim();
    } else if (opts.createDataDir !== false) {
      // The data dir holds the database and the key: only the service account may enter it.
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      secret = randomBytes(32).toString('base64url');
      writeFileSync(file, `${secret}\n`, { mode: 0o600 });
      chmodSync(file, 0o600);
      secretGenerated = true;
    } else {
      throw new ConfigError([`GRIDVOICE_SECRET is not set and ${file} does not exist`]);
    }
  }
  return Object.freeze({
    port,
    host,
    dataDir,
    databaseUrl,
    dialect,
    secret,
    secretGenerated,
    demo,
    demoPassword,
    logLevel,
    sessionIdleMinutes,
    sessionAbsoluteHours,
    sweeperIntervalMs,
    autoMigrate,
    checkpointMinutes,
    retention,
    metricsToken,
    channels,
    deploy,
    pressure,
  });
}
