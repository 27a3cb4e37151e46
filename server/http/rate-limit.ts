import rateLimit, { type FastifyRateLimitStore, type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyBaseLogger, RouteOptions } from 'fastify';
import type { Kysely } from 'kysely';
import type { App } from '../app.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/schema.ts';
import { iso } from '../lib/time.ts';
import { RateLimitRepository } from '../repositories/rate-limit.repository.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Where this app's rate limits count hits (registerRateLimit passes it to every limited plugin). */
    rateLimitStore: SharedRateLimitStore;
  }
}

/** The counter store of every rate limit of the app: in-process, in the database or in Redis. */
export interface SharedRateLimitStore {
  readonly kind: 'memory' | 'database' | 'redis';
  /** The @fastify/rate-limit options that select it. */
  readonly options: Pick<RateLimitPluginOptions, 'store' | 'redis' | 'nameSpace' | 'skipOnError'>;
  close(): Promise<void>;
}

/** How often a node deletes expired counters (at most; only while requests are being limited). */
const PURGE_EVERY_MS = 60_000;

/**
 * A @fastify/rate-limit store class over the database: each limited route counts under `METHOD/url|client`.
 * Windows run on the wall clock, as in-process and Redis counters do: a limit protects the server in real time.
 */
function databaseStoreClass(repo: RateLimitRepository, log: FastifyBaseLogger) {
  const clock = () => new Date();
  let lastPurge = 0;
  const purge = (now: Date) => {
    if (now.getTime() - lastPurge < PURGE_EVERY_MS) return;
    lastPurge = now.getTime();
    repo.purgeExpired(iso(now)).catch((err: unknown) => log.warn({ err }, 'rate-limit counters: purge failed'));
  };
  return class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly prefix = '',
    ) {}

    incr(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = clock();
      purge(now);
      repo.hit(this.prefix + key, iso(now), iso(new Date(now.getTime() + timeWindow))).then(
        (r) => cb(null, { current: r.hits, ttl: Math.max(0, Date.parse(r.expiresAt) - now.getTime()) }),
        (err: Error) => cb(err),
      );
    }

    read(key: string, cb: (err: Error | null, res?: { current: number; ttl: number }) => void): void {
      const now = clock();
      repo.peek(this.prefix + key, iso(now)).then(
        (r) => cb(null, r ? { current: r.hits, ttl: Math.max(0, Date.parse(r.expiresAt) - now.getTime()) } : { current: 0, ttl: 0 }),
        (err: Error) => cb(err),
      );
    }

    child(routeOptions: RouteOptions & { routeInfo?: RouteOptions }): FastifyRateLimitStore {
      const route = routeOptions.routeInfo ?? routeOptions;
      return new DatabaseRateLimitStore(null, `${String(route.method)}${route.url ?? ''}|`);
    }
  };
}

/**
 * Picks where rate limits count, so that a province behind several nodes gets one limit, not one per node:
 * Redis when REDIS_URL is set, else the database when it is PostgreSQL, else in-process (SQLite runs as one process).
 */
export async function createRateLimitStore(config: Config, db: Kysely<Database>, log: FastifyBaseLogger): Promise<SharedRateLimitStore> {
  if (config.deploy.redisUrl) {
    // Loaded only when configured: most installations never use Redis and need not load its client.
    const { Redis } = await import('ioredis');
    // No offline queue and one retry: while Redis is away a request fails over at once instead of waiting.
    const redis = new Redis(config.deploy.redisUrl, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    redis.on('error', (err: Error) =>
      log.warn({ err: err.message }, 'redis (rate limits): connection problem; limits are not enforced meanwhile'),
    );
    await redis.connect().catch(() => undefined);
    return {
      kind: 'redis',
      // Fail open while Redis is unreachable: the limits guard against floods, they must not stop the service.
      options: { redis, nameSpace: `${config.deploy.redisPrefix}rl:`, skipOnError: true },
      close: async () => redis.disconnect(),
    };
  }
  if (config.dialect === 'postgres') {
    return {
      kind: 'database',
      options: { store: databaseStoreClass(new RateLimitRepository(db), log) },
      close: async () => undefined,
    };
  }
  return { kind: 'memory', options: {}, close: async () => undefined };
}

/** Registers @fastify/rate-limit for the routes of one plugin (limits set per route), counting in the app's store. */
export async function registerRateLimit(app: App, opts: RateLimitPluginOptions = {}): Promise<void> {
  await app.register(rateLimit, { global: false, ...app.rateLimitStore.options, ...opts });
}
