import { type Kysely, sql } from 'kysely';
import type { Dialect } from './frozen.ts';

/**
 * PostgreSQL keeps an order's tsvector in the search table's row instead of in the TOAST table. At about 2 KB it
 * was just past the size at which PostgreSQL moves a value out of the row, so every search that read a tsvector
 * (checking the newest rows for a common word, ranking the matches, re-checking a phrase) paid an index lookup
 * and two or three more page reads for each row: walking the newest orders for 电费 read 13,500 pages for 3,700
 * rows at 200,000 orders, 1,700 once the tsvectors were in their rows (31 ms against 5). The words the tsvector
 * is made from go out of the row instead (nothing searches them). Rows written from now on are laid out so; rows
 * written before stay as they are until they are written again (the operator guide says how to rewrite them all).
 * SQLite's FTS5 has no such column.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  if (dialect !== 'postgres') return;
  // MAIN: compressed in the row if need be, moved out only when the row would still exceed a page's worth.
  await sql`alter table ticket_search alter column tsv set storage main`.execute(db);
}
