import type { Kysely } from 'kysely';

/**
 * Indexes found by the benchmarks (bench/README.md). A work queue sorted by deadline walks the open orders in
 * next_due_at order and stops after one page; without this index both databases fetched every open order of
 * the state and sorted them (120–200 ms at 100,000 orders, growing with the table).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('tickets_due').on('tickets').columns(['next_due_at', 'id']).execute();
}
