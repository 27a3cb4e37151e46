import { describe, expect, it } from 'vitest';
import { loadDeployConfig } from './config-deploy.ts';

function load(env: NodeJS.ProcessEnv) {
  const problems: string[] = [];
  const config = loadDeployConfig(env, '/srv/gridvoice/data', problems);
  return { config, problems };
}

describe('loadDeployConfig', () => {
  it('defaults to no trusted proxy, cookies Secure only over TLS, no Redis, local storage in the data dir', () => {
    const { config, problems } = load({});
    expect(problems).toEqual([]);
    expect(config).toEqual({
      trustProxy: [],
      cookieSecure: false,
      redisUrl: null,
      redisPrefix: 'gridvoice:',
      storage: { kind: 'local', dir: '/srv/gridvoice/data/attachments' },
    });
  });

  it('accepts addresses, CIDR blocks of both families and proxy-addr names', () => {
    const { config, problems } = load({
      GRIDVOICE_TRUST_PROXY: ' 10.0.0.5 ,192.168.0.0/16, ::1, fd00::/8, loopback, uniquelocal',
      GRIDVOICE_COOKIE_SECURE: '1',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      GRIDVOICE_STORAGE: 'database',
      GRIDVOICE_STORAGE_DIR: '/mnt/shared/files',
    });
    expect(problems).toEqual([]);
    expect(config.trustProxy).toEqual(['10.0.0.5', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback', 'uniquelocal']);
    expect(config.cookieSecure).toBe(true);
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379/2');
    expect(config.storage).toEqual({ kind: 'database', dir: '/mnt/shared/files' });
  });

  it('reports every bad entry at once, naming the variable', () => {
    const { problems } = load({
      GRIDVOICE_TRUST_PROXY: '10.0.0.0/33,proxy.example.cn,::1/129,true',
      GRIDVOICE_COOKIE_SECURE: 'yes',
      REDIS_URL: 'http://127.0.0.1:6379',
      GRIDVOICE_STORAGE: 's3',
    });
    expect(problems).toHaveLength(7);
    for (const bad of ['10.0.0.0/33', 'proxy.example.cn', '::1/129', '"true"'])
      expect(problems.some((p) => p.startsWith('GRIDVOICE_TRUST_PROXY') && p.includes(bad))).toBe(true);
    expect(problems).toContain('GRIDVOICE_COOKIE_SECURE must be 0 or 1 (got "yes")');
    expect(problems).toContain('REDIS_URL must use redis: or rediss: (got "http:")');
    expect(problems).toContain('GRIDVOICE_STORAGE must be local or database (got "s3")');
  });

  it('reports a REDIS_URL that is not a URL', () => {
    expect(load({ REDIS_URL: 'localhost:6379' }).problems).toEqual(['REDIS_URL must use redis: or rediss: (got "localhost:")']);
    expect(load({ REDIS_URL: '::nope' }).problems).toEqual(['REDIS_URL is not a URL (got "::nope")']);
  });
});
