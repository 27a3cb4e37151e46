import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { prepare } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { createServices } from '../../server/container.ts';
import { connect } from '../../server/db/connect.ts';
import type { Dialect } from '../../server/db/sql/index.ts';
import { systemClock } from '../../server/lib/time.ts';
import { DEMO_PASSWORD } from '../harness.ts';

/**
 * The environment for a real `gridvoice serve` child over a fresh, prepared database (demo organisation, no
 * demo orders): a temp SQLite file, or a new PostgreSQL schema selected through the URL's search_path.
 */
export async function serverEnv(dialect: Dialect): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gv-crash-'));
  let url = `sqlite:${join(dataDir, 'gridvoice.sqlite')}`;
  let schema: string | null = null;
  const pgUrl = process.env.TEST_DATABASE_URL as string;
  if (dialect === 'postgres') {
    schema = `c_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    const u = new URL(pgUrl);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
  }
  const env = {
    GRIDVOICE_DATA_DIR: dataDir,
    GRIDVOICE_SECRET: 'crash-secret-crash-secret-crash-secret-01',
    GRIDVOICE_DEMO_PASSWORD: DEMO_PASSWORD,
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    GRIDVOICE_SWEEPER_INTERVAL_MS: '60000',
  };
  const config = loadConfig(env);
  const db = connect(url);
  await prepare(db, createServices(db, config, systemClock), config, { demoTickets: false });
  await db.close();
  return {
    env,
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      if (schema) {
        const c = new pg.Client({ connectionString: pgUrl });
        await c.connect();
        await c.query(`drop schema ${schema} cascade`);
        await c.end();
      }
    },
  };
}
