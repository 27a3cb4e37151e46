import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, flagsToEnv, loadConfig } from './config.ts';

const SECRET = 'a-secret-of-at-least-32-characters!!';

describe('loadConfig', () => {
  const dirs: string[] = [];
  const tempDir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'gv-config-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    throw new Error('expected a ConfigError');
  };

  it('reports every problem at once when several settings are invalid', () => {
    const env = {
      GRIDVOICE_DATA_DIR: tempDir(),
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root@localhost/gridvoice',
      GRIDVOICE_SECRET: 'too-short',
      GRIDVOICE_DEMO: 'maybe',
      GRIDVOICE_DEMO_PASSWORD: 'abc',
    };
    expect(() => loadConfig(env)).toThrow(ConfigError);
    const problems = problemsOf(env);
    expect(problems).toHaveLength(5);
    for (const key of ['PORT', 'DATABASE_URL', 'GRIDVOICE_SECRET', 'GRIDVOICE_DEMO ', 'GRIDVOICE_DEMO_PASSWORD']) {
      expect(
        problems.some((p) => p.startsWith(key)),
        `${key} in ${problems.join(' | ')}`,
      ).toBe(true);
    }
    let message = '';
    try {
      loadConfig(env);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const p of problems) expect(message).toContain(p);
  });

  it('rejects a port out of range and a non-integer port', () => {
    const dir = tempDir();
    expect(problemsOf({ GRIDVOICE_DATA_DIR: dir, GRIDVOICE_SECRET: SECRET, PORT: '70000' })).toEqual([
      'PORT must be an integer between 0 and 65535 (got "70000")',
    ]);
    expect(problemsOf({ GRIDVOICE_DATA_DIR: dir, GRIDVOICE_SECRET: SECRET, PORT: '80.5' })).toHaveLength(1);
  });

  it('does not write a secret file when the configuration is invalid', () => {
    const dir = join(tempDir(), 'data');
    expect(() => loadConfig({ GRIDVOICE_DATA_DIR: dir, PORT: 'x' })).toThrow(ConfigError);
    expect(() => statSync(join(dir, 'secret.key'))).toThrow();
  });

  it('returns the documented defaults when only a secret is given', () => {
    const config = loadConfig({ GRIDVOICE_SECRET: SECRET });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: resolve('./data'),
      databaseUrl: `sqlite:${join(resolve('./data'), 'gridvoice.sqlite')}`,
      dialect: 'sqlite',
      secret: SECRET,
      secretGenerated: false,
      demo: true,
      demoPassword: null,
      logLevel: 'info',
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('selects PostgreSQL when DATABASE_URL is a postgres:// URL', () => {
    const config = loadConfig({ GRIDVOICE_SECRET: SECRET, DATABASE_URL: 'postgres://gv@db.internal:5432/gridvoice' });
    expect(config.dialect).toBe('postgres');
    expect(config.databaseUrl).toBe('postgres://gv@db.internal:5432/gridvoice');
  });

  it('requires GRIDVOICE_SECRET on PostgreSQL and says why, and migrates at start only on SQLite unless asked', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://gv@db.internal:5432/gridvoice', GRIDVOICE_DATA_DIR: tempDir() });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^GRIDVOICE_SECRET is required when DATABASE_URL is PostgreSQL: every node must share one secret/);
    expect(loadConfig({ GRIDVOICE_SECRET: SECRET, DATABASE_URL: 'postgres://gv@db/gv' }).autoMigrate).toBe(false);
    expect(loadConfig({ GRIDVOICE_SECRET: SECRET, DATABASE_URL: 'postgres://gv@db/gv', GRIDVOICE_AUTO_MIGRATE: '1' }).autoMigrate).toBe(
      true,
    );
    expect(loadConfig({ GRIDVOICE_SECRET: SECRET }).autoMigrate).toBe(true);
  });

  it('starts clean when GRIDVOICE_DEMO is 0', () => {
    const config = loadConfig({ GRIDVOICE_SECRET: SECRET, GRIDVOICE_DEMO: '0', GRIDVOICE_DEMO_PASSWORD: 'long-enough-1' });
    expect(config.demo).toBe(false);
    expect(config.demoPassword).toBe('long-enough-1');
  });

  it('generates the secret into the data dir with mode 0600 and reuses it on the next load', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const first = loadConfig({ GRIDVOICE_DATA_DIR: dir });
    expect(first.secretGenerated).toBe(true);
    expect(first.secret.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, 'secret.key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret);

    const second = loadConfig({ GRIDVOICE_DATA_DIR: dir });
    expect(second.secretGenerated).toBe(false);
    expect(second.secret).toBe(first.secret);
  });

  it('refuses to start when the secret is missing and the data dir may not be created', () => {
    const dir = join(tempDir(), 'data');
    expect(() => loadConfig({ GRIDVOICE_DATA_DIR: dir }, { createDataDir: false })).toThrow(ConfigError);
  });
});

describe('flagsToEnv', () => {
  it('lets flags override the environment and leaves other arguments alone', () => {
    const { env, rest } = flagsToEnv(['serve', '--port', '9000', '--demo=0', '--host', '0.0.0.0', 'extra'], {
      PORT: '8000',
      GRIDVOICE_DEMO: '1',
      HOST: '127.0.0.1',
      GRIDVOICE_SECRET: SECRET,
    });
    expect(rest).toEqual(['serve', 'extra']);
    const config = loadConfig(env);
    expect(config.port).toBe(9000);
    expect(config.demo).toBe(false);
    expect(config.host).toBe('0.0.0.0');
  });

  it('does not change the environment object it was given', () => {
    const original = { PORT: '8000' };
    flagsToEnv(['--port', '9000'], original);
    expect(original.PORT).toBe('8000');
  });

  it('keeps every "=" of an inline flag value', () => {
    const { env } = flagsToEnv(['--database-url=postgres://gv@db/gridvoice?sslmode=require', '--demo-password=pa=ss=word'], {});
    expect(env.DATABASE_URL).toBe('postgres://gv@db/gridvoice?sslmode=require');
    expect(env.GRIDVOICE_DEMO_PASSWORD).toBe('pa=ss=word');
  });
});
