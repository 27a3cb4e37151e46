import { type Kysely, sql } from 'kysely';
import type { Dialect } from './frozen.ts';

/**
 * The search index now also stores, for each order, tokens of the company and the units whose view it is in,
 * so that a 供电所's search is narrowed by the index. Rows already indexed are rewritten by the search
 * backfill job (a migration never runs live code); until it has finished, searches do not rely on the tokens.
 * An empty index needs no rewrite: every row will be written in the new form.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const indexed = await sql<{
    n: number;
  }>`select count(*) as n from ${sql.raw(dialect === 'sqlite' ? 'ticket_fts_docsize' : 'ticket_search')}`.execute(db);
  const k = db as unknown as Kysely<{ meta: { key: string; value: string } }>;
  await k.deleteFrom('meta').where('key', '=', 'search_reindex_after').execute();
  if (Number(indexed.rows[0]?.n ?? 0) > 0) await k.insertInto('meta').values({ key: 'search_reindex_after', value: '0' }).execute();
}
