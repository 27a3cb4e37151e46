import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Dialect, refreshPlannerStatistics } from '../db/sql/index.ts';
import type { Clock } from '../lib/time.ts';

const DAY_MS = 24 * 3_600_000;

/**
 * Keeps the query planner's statistics fresh as the orders grow: once a day, at the first job pass after
 * 02:00 Asia/Shanghai (18:00 UTC), when the centre is quiet, as the statistics pass holds SQLite's writer for
 * a few seconds at a million orders. Migrations refresh them too (server/db/migrate.ts).
 */
export class PlannerStatistics {
  private lastRun: number | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {}

  /** Runs the refresh when the night's window has come and it has not run in it; returns 1 if it ran. */
  async runIfDue(): Promise<number> {
    const now = this.clock().getTime();
    // The start of the latest 02:00 Shanghai (18:00 UTC) window at or before now.
    const window = Math.floor((now - 18 * 3_600_000) / DAY_MS) * DAY_MS + 18 * 3_600_000;
    if (this.lastRun !== null && this.lastRun >= window) return 0;
    if (this.lastRun === null) {
      // A fresh process waits for the night rather than stalling a busy day; migrations covered start-up.
      this.lastRun = now;
      return 0;
    }
    await refreshPlannerStatistics(this.db as Kysely<unknown>, this.dialect);
    this.lastRun = now;
    return 1;
  }
}
