import { isIP } from 'node:net';
import { join, resolve } from 'node:path';

/** How the node sits among others: the proxies it trusts, where rate limits are counted, where files are kept. */
export interface DeployConfig {
  /** Addresses, CIDRs or proxy-addr names (loopback, linklocal, uniquelocal) whose X-Forwarded-* headers are believed. */
  readonly trustProxy: readonly string[];
  /** Mark cookies Secure on every request, not only on those that arrived over TLS. */
  readonly cookieSecure: boolean;
  /** redis://… for rate-limit counters shared by every node; unset → PostgreSQL (or in-process on SQLite). */
  readonly redisUrl: string | null;
  /** Prefix of every Redis key, so that several installations can share one Redis. */
  readonly redisPrefix: string;
  readonly storage: {
    /** `local`: files in a directory (a shared volume for several nodes); `database`: chunks in the database. */
    readonly kind: 'local' | 'database';
    /** The directory of the `local` backend. */
    readonly dir: string;
  };
}

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** True when the entry is an IP address, a CIDR block or one of proxy-addr's named ranges. */
function isProxyEntry(entry: string): boolean {
  if (PROXY_NAMES.has(entry) || isIP(entry) !== 0) return true;
  const slash = entry.indexOf('/');
  if (slash === -1) return false;
  const version = isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  if (version === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (version === 4 ? 32 : 128);
}

function flag(env: NodeJS.ProcessEnv, key: string, problems: string[]): boolean {
  const raw = env[key] ?? '0';
  if (!['0', '1', 'true', 'false'].includes(raw)) problems.push(`${key} must be 0 or 1 (got "${raw}")`);
  return raw === '1' || raw === 'true';
}

/** Reads the deployment settings, adding every problem to `problems` (loadConfig reports them all at once). */
export function loadDeployConfig(env: NodeJS.ProcessEnv, dataDir: string, problems: string[]): DeployConfig {
  const trustProxy = (env.GRIDVOICE_TRUST_PROXY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const entry of trustProxy) {
    if (!isProxyEntry(entry))
      problems.push(`GRIDVOICE_TRUST_PROXY entries must be IP addresses, CIDR blocks or loopback/linklocal/uniquelocal (got "${entry}")`);
  }
  const redisUrl = env.REDIS_URL || null;
  if (redisUrl !== null) {
    let protocol = '';
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      problems.push(`REDIS_URL is not a URL (got "${redisUrl}")`);
    }
    if (protocol !== '' && protocol !== 'redis:' && protocol !== 'rediss:')
      problems.push(`REDIS_URL must use redis: or rediss: (got "${protocol}")`);
  }
  const kind = env.GRIDVOICE_STORAGE || 'local';
  if (kind !== 'local' && kind !== 'database') problems.push(`GRIDVOICE_STORAGE must be local or database (got "${kind}")`);
  return Object.freeze({
    trustProxy: Object.freeze(trustProxy),
    cookieSecure: flag(env, 'GRIDVOICE_COOKIE_SECURE', problems),
    redisUrl,
    redisPrefix: env.GRIDVOICE_REDIS_PREFIX || 'gridvoice:',
    storage: Object.freeze({
      kind: kind === 'database' ? 'database' : 'local',
      // Attachments have always lived here; the default keeps existing installations' files where they are.
      dir: resolve(env.GRIDVOICE_STORAGE_DIR || join(dataDir, 'attachments')),
    }),
  });
}
