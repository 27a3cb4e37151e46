import type { Db } from './db/connect.ts';
import { StatsRepository } from './repositories/stats.repository.ts';

/**
 * Backfills that follow a migration. A migration only changes the schema (and installs fixed rows as they were when
 * it shipped), so it means the same thing forever; filling derived data from the orders needs the code of the day,
 * so the migration marks a task here pending (`meta` key `post_migrate:<name>`) and this runs it afterwards.
 */
export const POST_MIGRATE_TASKS: Record<string, (db: Db) => Promise<unknown>> = {
  // The statistics aggregates of a database that held orders before they existed (`gridvoice stats rebuild` does the same).
  'stats-aggregates': (db) => new StatsRepository(db.kysely).rebuild(),
};

const PREFIX = 'post_migrate:';

/**
 * Runs every task a migration marked pending and marks it done; returns the names run. A task this code does not
 * know (marked by a newer release) stays pending. Call under the schema lock, after migrating.
 */
export async function runPostMigrateTasks(db: Db): Promise<string[]> {
  const pending = await db.kysely
    .selectFrom('meta')
    .select('key')
    .where('key', 'like', `${PREFIX}%`)
    .where('value', '=', 'pending')
    .execute();
  const ran: string[] = [];
  for (const { key } of pending) {
    const name = key.slice(PREFIX.length);
    const task = POST_MIGRATE_TASKS[name];
    if (!task) continue;
    await task(db);
    await db.kysely.updateTable('meta').set({ value: 'done' }).where('key', '=', key).execute();
    ran.push(name);
  }
  return ran;
}
