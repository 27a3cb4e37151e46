import { type Kysely, type QueryExecutorProvider, type RawBuilder, sql } from 'kysely';
import type { Dialect } from './index.ts';

/**
 * Full-text search over segmented Chinese (DESIGN §11). The app segments with jieba and stores the words
 * space-joined, so that both engines only split on spaces:
 * - SQLite: a contentless FTS5 table (`unicode61`, rowid = ticket id; contentless_delete so rows can be
 *   replaced). unicode61 alone would treat a run of Chinese as one token, hence the pre-segmentation.
 * - PostgreSQL: a side table with a stored `tsvector('simple')` and a GIN index.
 */
const DDL: Record<Dialect, string[]> = {
  sqlite: [`create virtual table ticket_fts using fts5(words, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`],
  postgres: [
    `create table ticket_search (
       ticket_id integer primary key references tickets(id),
       company_id integer not null,
       words text not null,
       tsv tsvector generated always as (to_tsvector('simple', words)) stored
     )`,
    'create index ticket_search_tsv on ticket_search using gin (tsv)',
  ],
};

/** Creates the search index structures (migration 002). */
export async function createSearchIndex(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  for (const stmt of DDL[dialect]) await sql.raw(stmt).execute(db);
}

// Anything a raw query can run on: the Kysely instance or the caller's transaction.
type Q = QueryExecutorProvider;

const UPSERT: Record<Dialect, (q: Q, ticketId: number, companyId: number, words: string) => Promise<unknown>> = {
  // A contentless table cannot UPDATE; delete-then-insert replaces the row inside the caller's transaction.
  sqlite: async (q, ticketId, _companyId, words) => {
    await sql`delete from ticket_fts where rowid = ${ticketId}`.execute(q);
    await sql`insert into ticket_fts (rowid, words) values (${ticketId}, ${words})`.execute(q);
  },
  postgres: (q, ticketId, companyId, words) =>
    sql`insert into ticket_search (ticket_id, company_id, words) values (${ticketId}, ${companyId}, ${words})
        on conflict (ticket_id) do update set words = excluded.words, company_id = excluded.company_id`.execute(q),
};

/** Writes (or replaces) the index row of one order. */
export function upsertSearchRow(dialect: Dialect, q: Q, ticketId: number, companyId: number, words: string): Promise<unknown> {
  return UPSERT[dialect](q, ticketId, companyId, words);
}

function ftsQuery(terms: string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' AND ');
}

/**
 * A derived table `(ticket_id, rank)` of the orders matching every term, higher rank = better:
 * FTS5 bm25 (negated, as smaller is better there) or ts_rank.
 */
export function matchTable(dialect: Dialect, terms: string[]): RawBuilder<{ ticket_id: number; rank: number }> {
  const m: Record<Dialect, () => RawBuilder<{ ticket_id: number; rank: number }>> = {
    sqlite: () => sql`(select rowid as ticket_id, -bm25(ticket_fts) as rank from ticket_fts where ticket_fts match ${ftsQuery(terms)})`,
    postgres: () =>
      sql`(select s.ticket_id, ts_rank(s.tsv, q.query) as rank
           from ticket_search s, plainto_tsquery('simple', ${terms.join(' ')}) as q(query)
           where s.tsv @@ q.query)`,
  };
  return m[dialect]();
}

/** Ticket ids that have an index row, from a list (to find orders that still need indexing). */
export async function indexedIds(dialect: Dialect, q: Q, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  const list = sql.join(ids.map((i) => sql`${i}`));
  const m: Record<Dialect, () => RawBuilder<{ id: number }>> = {
    // Contentless tables keep the rowids in the %_docsize shadow table.
    sqlite: () => sql`select id from ticket_fts_docsize where id in (${list})`,
    postgres: () => sql`select ticket_id as id from ticket_search where ticket_id in (${list})`,
  };
  const r = await m[dialect]().execute(q);
  return new Set(r.rows.map((x) => Number(x.id)));
}
