import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Dialect } from '../../server/db/sql/index.ts';
import { DEMO_PASSWORD, describeEachDb } from '../harness.ts';
import { crashRound } from './crash-run.ts';
import { serverEnv } from './server-env.ts';

describeEachDb('intake under SIGKILL', (dialect: Dialect) => {
  let setup: Awaited<ReturnType<typeof serverEnv>>;
  beforeAll(async () => {
    setup = await serverEnv(dialect);
  });
  afterAll(async () => setup?.drop());

  it('keeps every acknowledged order, once, with its event chain intact, after a kill mid-load and a restart', async () => {
    const r = await crashRound(setup.env, { clients: 8, loadMs: 3000, password: DEMO_PASSWORD, minAcknowledged: 100 });
    // The round must really have been under load when it was killed.
    expect(r.acknowledged).toBeGreaterThanOrEqual(100);
    expect(r.missing).toEqual([]);
    expect(r.duplicates).toEqual([]);
    expect(r.broken).toEqual([]);
    // Orders committed but not yet acknowledged when the kill came may exist too; never fewer than acknowledged.
    expect(r.ordersAfter).toBeGreaterThanOrEqual(r.acknowledged);
  }, 120_000);
});
