import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Dialect, refreshPlannerStatistics, refreshStalePlannerStatistics } from '../db/sql/index.ts';
import { type Clock, iso } from '../lib/time.ts';
import { JobLockRepository } from '../repositories/job-lock.repository.ts';

const DAY_MS = 24 * 3_600_000;
const NIGHTLY = 'planner-statistics';

/**
 * Keeps the query planner's statistics fresh as the orders grow. Statistics that lag the data are a cliff, not
 * a slope: a plan chosen for a two-row table runs as a full scan over a million rows. So they are refreshed
 * - whenever the tables have grown since their last analysis (see refreshStalePlannerStatistics): on every job
 *   pass, at start-up (server/bootstrap.ts) and after a bulk load (an import, the demo seed, bench generation);
 * - and in full once a day, at the first job pass after 02:00 Asia/Shanghai (18:00 UTC), when the centre is
 *   quiet, for changes in the data's shape that no growth shows (SQLite's full pass holds the writer for a few
 *   seconds at a million orders). The night's run is recorded in the database, so that with several nodes it
 *   runs once (the job runner holds the job's lock while it checks).
 */
export class PlannerStatistics {
  private readonly runs: JobLockRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly clock: Clock,
  ) {
    this.runs = new JobLockRepository(db);
  }

  /** The job pass: the nightly refresh when its window has come, else a refresh if the tables grew. 1 if it ran. */
  async runIfDue(): Promise<number> {
    const now = this.clock().getTime();
    // The start of the latest 02:00 Shanghai (18:00 UTC) window at or before now.
    const window = Math.floor((now - 18 * 3_600_000) / DAY_MS) * DAY_MS + 18 * 3_600_000;
    const last = await this.runs.lastRun(NIGHTLY);
    // A fresh installation waits for the next night for the full pass; start-up refreshed what had grown.
    if (last === null) await this.runs.setLastRun(NIGHTLY, iso(new Date(now)));
    else if (Date.parse(last) < window) {
      await refreshPlannerStatistics(this.db as Kysely<unknown>, this.dialect);
      await this.runs.setLastRun(NIGHTLY, iso(new Date(now)));
      return 1;
    }
    return (await this.refreshIfGrown()) ? 1 : 0;
  }

  /** Refreshes the statistics of the tables that grew since their last analysis; whether it did. */
  refreshIfGrown(): Promise<boolean> {
    return refreshStalePlannerStatistics(this.db as Kysely<unknown>, this.dialect);
  }

  /**
   * After a bulk load (an import, a seed): SQLite refreshes when the tables grew (a full pass at a million orders
   * would hold the writer for seconds after a ten-row import); PostgreSQL's ANALYZE samples, so it always runs
   * (its change counters reach pg_stat_user_tables up to seconds late).
   */
  async afterBulkLoad(): Promise<void> {
    if (this.dialect === 'postgres') await refreshPlannerStatistics(this.db as Kysely<unknown>, this.dialect);
    else await this.refreshIfGrown();
  }
}
