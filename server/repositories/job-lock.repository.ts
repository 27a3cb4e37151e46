import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** When each periodic job last ran, shared by every node so that a once-a-night job runs once, not once per node. */
export class JobLockRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The last run of the job, or null if it never ran. */
  async lastRun(name: string): Promise<string | null> {
    const row = await this.db.selectFrom('job_locks').select('last_run_at').where('name', '=', name).executeTakeFirst();
    return row?.last_run_at ?? null;
  }

  /** Records a run of the job. */
  async setLastRun(name: string, at: string): Promise<void> {
    await this.db
      .insertInto('job_locks')
      .values({ name, owner: null, locked_until: null, last_run_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: at }))
      .execute();
  }
}
