import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Services } from '../container.ts';
import { iso } from '../lib/time.ts';
import { OutboxRepository } from '../repositories/outbox.repository.ts';
import { SweepRepository } from '../repositories/sweep.repository.ts';

let processRegistry: Registry | null = null;

/**
 * Process metrics (CPU, memory, heap, GC, event-loop lag, handles) are one set per process, however many apps a
 * test builds: the event-loop monitor starts once.
 */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}

/** Seconds; a request past 10 s is in +Inf. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The route label: the route's pattern (bounded), never the raw URL; every built asset counts as one route. */
function routeLabel(req: FastifyRequest): string {
  const url = req.routeOptions.url;
  if (!url) return 'unmatched';
  return url.startsWith('/assets/') ? '/assets/*' : url;
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.'));
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Prometheus metrics at `GET /metrics`. With a token configured the scraper sends `Authorization: Bearer <token>`;
 * without one only a scraper on the same host (a loopback peer, not a forwarded address) is answered, so that a
 * node reached through the balancer never shows its figures to the public.
 */
export function registerMetrics(app: FastifyInstance, services: Services, token: string | null): void {
  const registry = new Registry();
  const requests = new Counter({
    name: 'gridvoice_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'gridvoice_http_request_duration_seconds',
    help: 'Time from request to response, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    const labels = { method: req.method, route: routeLabel(req), status: String(reply.statusCode) };
    requests.inc(labels);
    latency.observe(labels, reply.elapsedTime / 1000);
  });

  // Counted where the change is written (inside its transaction), so every channel and every path (HTTP, import,
  // sweeper) is seen; a transaction that fails after writing (a lost connection) has been counted too.
  const intake = new Counter({
    name: 'gridvoice_intake_total',
    help: 'Orders taken in, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const actions = new Counter({
    name: 'gridvoice_workflow_actions_total',
    help: 'Workflow actions applied to orders (system ones such as warnings and escalations included), by action',
    labelNames: ['action'] as const,
    registers: [registry],
  });
  services.hooks.add(async (_trx, change) => {
    if (change.before === null) intake.inc({ channel: change.after.channel });
    else actions.inc({ action: change.action });
  });

  const { db, clock } = services;
  new Gauge({
    name: 'gridvoice_db_pool_connections',
    help: 'Database pool connections by state (total, idle) and requests waiting for one (PostgreSQL)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const s = db.poolStats();
      if (!s) return;
      this.set({ state: 'total' }, s.total);
      this.set({ state: 'idle' }, s.idle);
      this.set({ state: 'waiting' }, s.waiting);
    },
  });

  // Figures read from the database at scrape time; while it is unreachable they keep their last value and
  // gridvoice_database_up says 0.
  const outboxRepo = new OutboxRepository(db.kysely, db.dialect);
  const sweeps = new SweepRepository(db.kysely, db.dialect);
  const up = new Gauge({ name: 'gridvoice_database_up', help: '1 when the last scrape could read the database', registers: [registry] });
  const backlog = new Gauge({
    name: 'gridvoice_outbox_backlog',
    help: 'Outbox messages not yet delivered (pending or being sent), and dead letters',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const oldest = new Gauge({
    name: 'gridvoice_outbox_oldest_age_seconds',
    help: 'Age of the oldest undelivered outbox message (0 when none waits)',
    registers: [registry],
  });
  const sweeperLag = new Gauge({
    name: 'gridvoice_sweeper_lag_seconds',
    help: 'How long the earliest due deadline check has been waiting for the sweeper (0 when none is due)',
    registers: [registry],
  });
  async function readDatabase(): Promise<void> {
    const now = clock();
    try {
      const [b, due] = await Promise.all([outboxRepo.backlog(), sweeps.earliestDue(iso(now))]);
      for (const status of ['pending', 'sending', 'dead'] as const) backlog.set({ status }, b[status]);
      oldest.set(b.oldestCreatedAt ? Math.max(0, (now.getTime() - Date.parse(b.oldestCreatedAt)) / 1000) : 0);
      sweeperLag.set(due ? Math.max(0, (now.getTime() - Date.parse(due)) / 1000) : 0);
      up.set(1);
    } catch {
      up.set(0);
    }
  }

  const guard = async (req: FastifyRequest, reply: FastifyReply) => {
    const header = req.headers.authorization ?? '';
    const allowed = token ? header.startsWith('Bearer ') && sameToken(header.slice(7).trim(), token) : isLoopback(req.socket.remoteAddress);
    if (!allowed) {
      return reply.status(403).send({ error: { code: 'forbidden', message: 'Metrics need the metrics token', details: {} } });
    }
  };
  app.get('/metrics', { schema: { hide: true }, config: { ownAuth: true }, onRequest: guard }, async (_req, reply) => {
    await readDatabase();
    const text = `${await processMetrics().metrics()}\n${await registry.metrics()}`;
    return reply.header('Cache-Control', 'no-store').type(registry.contentType).send(text);
  });
}
