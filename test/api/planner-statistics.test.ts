import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PlannerStatistics } from '../../server/jobs/planner-statistics.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

describeEachDb('planner statistics job', (dialect) => {
  let t: TestApp;
  const clock = testClock('2026-11-02T09:00:00.000Z');
  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
  });
  afterAll(async () => t?.close());

  it('refreshes once a night, at the first pass after 02:00 Shanghai, never at start-up', async () => {
    const job = new PlannerStatistics(t.db.kysely, dialect, clock);
    if (dialect === 'sqlite') await sql`delete from sqlite_stat1`.execute(t.db.kysely);
    expect(await job.runIfDue()).toBe(0);
    clock.set('2026-11-02T17:59:00.000Z');
    expect(await job.runIfDue()).toBe(0);
    clock.set('2026-11-02T18:01:00.000Z');
    expect(await job.runIfDue()).toBe(1);
    if (dialect === 'sqlite') {
      const rows = await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'org_units'`.execute(t.db.kysely);
      expect(Number(rows.rows[0]?.n)).toBeGreaterThan(0);
    }
    clock.set('2026-11-03T09:00:00.000Z');
    expect(await job.runIfDue()).toBe(0);
    clock.set('2026-11-03T18:00:00.000Z');
    expect(await job.runIfDue()).toBe(1);
  });
});
