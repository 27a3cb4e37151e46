import type { Kysely } from 'kysely';

/**
 * Search as an agent uses it: orders found by the customer's phone or account number need those columns
 * indexed; and the index now stores the character bigrams of Chinese text beside jieba's words. The rows
 * already indexed are rewritten by the search backfill job, not here (a migration never runs live code):
 * this only records that the rewrite is due, from the first order on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createIndex('tickets_customer_phone').on('tickets').columns(['customer_phone', 'id']).execute();
  await s.createIndex('tickets_customer_account').on('tickets').columns(['customer_account', 'id']).execute();
  const k = db as unknown as Kysely<{ meta: { key: string; value: string } }>;
  await k.insertInto('meta').values({ key: 'search_reindex_after', value: '0' }).execute();
}
