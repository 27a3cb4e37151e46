import {
  type AliasedSelectQueryBuilder,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type QueryExecutorProvider,
  type RawBuilder,
  type SqlBool,
  sql,
  type Transaction,
} from 'kysely';
import { bm25Scores, estimateDocs, type RankTerm } from '../../domain/text/rank.ts';
import type { Database } from '../schema.ts';
import type { Dialect } from './index.ts';

/**
 * Full-text search over segmented Chinese. The app segments with jieba and stores the words space-joined, so that
 * both engines only split on spaces (the structures are created by migration 002):
 * - SQLite: a contentless FTS5 table (`unicode61`, rowid = ticket id; contentless_delete so rows can be
 *   replaced). unicode61 alone would treat a run of Chinese as one token, hence the pre-segmentation.
 * - PostgreSQL: a side table with a stored `tsvector('simple')` and a GIN index; where the RUM extension is
 *   installed, also a RUM index that returns a word's matches ordered by order id (migration 018).
 */

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

const UPSERT_MANY: Record<Dialect, (q: Q, rows: ReadonlyArray<SearchRow>) => Promise<unknown>> = {
  sqlite: async (q, rows) => {
    await sql`delete from ticket_fts where rowid in (${sql.join(rows.map((r) => r.id))})`.execute(q);
    await sql`insert into ticket_fts (rowid, words) values ${sql.join(rows.map((r) => sql`(${r.id}, ${r.words})`))}`.execute(q);
  },
  postgres: (q, rows) =>
    sql`insert into ticket_search (ticket_id, company_id, words)
        values ${sql.join(rows.map((r) => sql`(${r.id}, ${r.companyId}, ${r.words})`))}
        on conflict (ticket_id) do update set words = excluded.words, company_id = excluded.company_id`.execute(q),
};

/** One order's index row. */
export interface SearchRow {
  id: number;
  companyId: number;
  words: string;
}

/** Writes (or replaces) the index rows of many orders with one statement per chunk (ids must be distinct). */
export async function upsertSearchRows(dialect: Dialect, q: Q, rows: ReadonlyArray<SearchRow>): Promise<void> {
  // Ascending ids: concurrent writers take the index rows' locks in one order.
  const sorted = [...rows].sort((a, b) => a.id - b.id);
  for (let i = 0; i < sorted.length; i += 200) await UPSERT_MANY[dialect](q, sorted.slice(i, i + 200));
}

/**
 * A text query as the index matches it: every term of `all` and none of `none`; a term matches through any
 * of its alternatives (a word and its synonyms); an alternative through all of its token sequences, each a
 * phrase of index tokens (a run of Chinese is the sequence of its character bigrams).
 */
export interface TextMatch {
  all: MatchTerm[];
  none: MatchTerm[];
  /** When given, only orders with one of these index tokens (scope tokens, generated, never user text). */
  within?: readonly string[];
}
/** A term's alternatives, each a list of token sequences. */
export type MatchTerm = string[][][];

/** SQLite: the FTS5 MATCH expression of a text query (every token quoted, so no FTS5 syntax gets through). */
export function ftsMatch(m: TextMatch): string {
  const phrase = (seq: string[]) => `"${seq.join(' ').replaceAll('"', '""')}"`;
  const term = (alts: MatchTerm) => `(${alts.map((seqs) => `(${seqs.map(phrase).join(' AND ')})`).join(' OR ')})`;
  let expr = m.all.map(term).join(' AND ');
  if (m.within?.length) expr = `${expr} AND (${m.within.map((t) => phrase([t])).join(' OR ')})`;
  // FTS5's NOT is binary: each exclusion wraps what is left of the expression.
  for (const t of m.none) expr = `(${expr}) NOT ${term(t)}`;
  return expr;
}

/**
 * PostgreSQL: the tsquery of a text query, built from bound phrases (phraseto_tsquery keeps the bigrams of a
 * Chinese run in sequence with <->), so nothing of the user's text is parsed as tsquery syntax.
 */
export function tsMatch(m: TextMatch): RawBuilder<unknown> {
  const term = (alts: MatchTerm) =>
    sql`(${sql.join(
      alts.map(
        (seqs) =>
          sql`(${sql.join(
            seqs.map((seq) => sql`phraseto_tsquery('simple', ${seq.join(' ')})`),
            sql` && `,
          )})`,
      ),
      sql` || `,
    )})`;
  const parts = [...m.all.map(term), ...m.none.map((t) => sql`!!${term(t)}`)];
  if (m.within?.length) parts.push(sql`to_tsquery('simple', ${m.within.join(' | ')})`);
  return sql`(${sql.join(parts, sql` && `)})`;
}

/**
 * PostgreSQL: the RUM index's form of a text query when it differs from tsMatch's, else null. The RUM index keeps the
 * order id beside each word instead of its positions, so it cannot tell a phrase (the bigrams of 家沟村 in sequence)
 * from its words anywhere, and a phrase made it give up its fast way of intersecting the words' lists (a 供电所's
 * 家沟村 at 200,000 orders: 11–24 ms against 2–4). So the index is asked for the orders with every word of each
 * phrase, and the exact query (phrases, exclusions) is checked on the rows it hands out, in id order still.
 */
export function tsIndexMatch(m: TextMatch): RawBuilder<unknown> | null {
  if (m.none.length === 0 && m.all.every((alts) => alts.every((seqs) => seqs.every((seq) => seq.length === 1)))) return null;
  const term = (alts: MatchTerm) =>
    sql`(${sql.join(
      alts.map((seqs) => sql`plainto_tsquery('simple', ${seqs.flat().join(' ')})`),
      sql` || `,
    )})`;
  const parts = m.all.map(term);
  if (m.within?.length) parts.push(sql`to_tsquery('simple', ${m.within.join(' | ')})`);
  return sql`(${sql.join(parts, sql` && `)})`;
}

type Q2 = Kysely<Database> | Transaction<Database>;

/** One match of a search: the order and its relevance (higher = better: BM25 from the text, or ts_rank). */
export interface Candidate {
  id: number;
  rank: number;
}

/**
 * The newest `window` orders that contain every term and pass `visible` (the actor's scope), each with
 * its relevance. Walking the matches newest first and stopping after `window` keeps a query over millions
 * of orders bounded: ranking every match of a common word (电费 is in a fifth of all orders) would cost
 * hundreds of milliseconds, and nobody pages past the first thousand hits (Zendesk caps search at 1,000).
 * On PostgreSQL `ordered` is the RUM index to read them from (see orderedSearchIndex), null for the GIN index.
 */
export async function searchCandidates(
  dialect: Dialect,
  q: Q2,
  match: TextMatch,
  visible: (eb: ExpressionBuilder<Database, 'tickets'>) => Expression<SqlBool>,
  window: number,
  ordered: OrderedIndex | null = null,
): Promise<Candidate[]> {
  if (dialect === 'sqlite') {
    // FTS5 hands out matches in rowid order itself (ORDER BY rowid DESC is consumed by the virtual table); the
    // matches are ranked from their text (see bm25Scores: SQLite's bm25() would first count every match of each
    // term, a pass over its whole postings on every query).
    const rows = await q
      .selectFrom(sql<{ rowid: number }>`ticket_fts`.as('ticket_fts'))
      .innerJoin('tickets', (j) => j.on(sql<SqlBool>`tickets.id = ticket_fts.rowid`))
      .select(['tickets.id', 'tickets.subject', 'tickets.description', 'tickets.reply_text', 'tickets.location'])
      .where(sql<SqlBool>`ticket_fts match ${ftsMatch(match)}`)
      .where(visible)
      .orderBy(sql`ticket_fts.rowid`, 'desc')
      .limit(window)
      .execute();
    if (rows.length === 0) return [];
    const total = Number((await sql<{ n: number | null }>`select max(id) as n from tickets`.execute(q)).rows[0]?.n ?? 0);
    const terms: RankTerm[] = [];
    for (const term of match.all) {
      // The term's newest matches in the whole index: their count and id range say how common it is.
      const r = await sql<{ n: number; lo: number | null; hi: number | null }>`
        select count(*) as n, min(rowid) as lo, max(rowid) as hi from (
          select rowid from ticket_fts where ticket_fts match ${ftsMatch({ all: [term], none: [] })}
          order by rowid desc limit ${TERM_SAMPLE})`.execute(q);
      const { n, lo, hi } = r.rows[0] ?? { n: 0, lo: null, hi: null };
      terms.push({
        alternatives: term.flatMap((alt) => alt.map(sequenceText)),
        docs: estimateDocs(Number(n), Number(lo ?? 0), Math.max(total, Number(hi ?? 0)), total, TERM_SAMPLE),
      });
    }
    const scores = bm25Scores(
      rows.map((r) => [r.subject, r.description, r.reply_text ?? '', r.location ?? ''].join('\n')),
      terms,
      total,
    );
    return rows.map((r, i) => ({ id: Number(r.id), rank: scores[i] as number }));
  }
  const query = tsMatch(match);
  return ordered ? newestByRum(q, query, tsIndexMatch(match), visible, window, ordered) : newestByGin(q, query, visible, window);
}

type Visible = (eb: ExpressionBuilder<Database, 'tickets'>) => Expression<SqlBool>;
/** An index row as the PostgreSQL candidate queries pick it: ts_rank needs the stored tsvector's positions. */
type Picked = { ticket_id: number; tsv: string };

/** PostgreSQL: the picked rows with their ts_rank, computed for the window only. */
async function ranked(q: Q2, picked: { as(alias: 'c'): AliasedSelectQueryBuilder<Picked, 'c'> }, query: RawBuilder<unknown>) {
  const rows = await q
    .selectFrom(picked.as('c'))
    .select(['c.ticket_id as id', sql<number>`ts_rank(c.tsv, ${query})`.as('rank')])
    .execute();
  return rows.map((r) => ({ id: Number(r.id), rank: Number(r.rank) }));
}

/**
 * PostgreSQL: the first `window` rows of `from` (in `order`) that match and are in scope. Scope is a LATERAL probe
 * per row, LIMIT 1 keeping it one, so that the scan stops when the window is full: joined, the planner hashed
 * every order of a company's scope instead and sorted (a common word: 320 ms at 200,000 orders).
 */
function pickInScope(
  q: Q2,
  from: RawBuilder<Picked>,
  query: RawBuilder<unknown>,
  visible: Visible,
  window: number,
  order: RawBuilder<unknown>,
  indexQuery: RawBuilder<unknown> | null = null,
) {
  return q
    .selectFrom(from.as('s'))
    .innerJoinLateral(
      (eb) =>
        eb.selectFrom('tickets').select(sql<number>`1`.as('x')).whereRef('tickets.id', '=', 's.ticket_id').where(visible).limit(1).as('v'),
      (j) => j.onTrue(),
    )
    .select(['s.ticket_id', 's.tsv'])
    .where(
      indexQuery
        ? // The function form of @@ is no index condition: the exact query is checked on the rows the index hands out.
          sql<SqlBool>`s.tsv @@ ${indexQuery} and ts_match_vq(s.tsv, ${query})`
        : sql<SqlBool>`s.tsv @@ ${query}`,
    )
    .orderBy(order)
    .limit(window);
}

/** PostgreSQL: the candidates among the newest `rows` index rows (a backward scan of the key that stops when the window is full). */
function walk(q: Q2, rows: number, query: RawBuilder<unknown>, visible: Visible, window: number): Promise<Candidate[]> {
  const newest = sql<Picked>`(select ticket_id, tsv from ticket_search order by ticket_id desc limit ${rows})`;
  return ranked(q, pickInScope(q, newest, query, visible, window, sql`s.ticket_id desc`), query);
}

/**
 * PostgreSQL without RUM. A GIN index answers with an unordered bitmap: cheap for a rare word, a second or more
 * for a word in a quarter of all orders, whose every row must be fetched and sorted. So the newest WALK_BUDGET
 * index rows are walked first, which serves the common words; only when they do not fill the window is the GIN
 * index asked (the rarer words).
 */
async function newestByGin(q: Q2, query: RawBuilder<unknown>, visible: Visible, window: number): Promise<Candidate[]> {
  const first = await walk(q, WALK_BUDGET, query, visible, window);
  if (first.length >= window) return first;
  // Common enough in the actor's scope that walking on is cheaper than fetching every match (a station sees
  // a fraction of the company, so its matches are sparser than the word is): walk as far as the density says.
  const density = first.length / WALK_BUDGET;
  if (density >= WALK_ON_DENSITY) {
    const further = await walk(q, Math.ceil((window / density) * 1.5), query, visible, window);
    if (further.length >= window) return further;
  }
  // OFFSET 0 fences the subquery: planned alone, the match goes to the GIN index rather than a backward walk
  // over a million rows that a word with few or no matches would never stop. Joined, not probed: for every match
  // of a middling word, hashing the scope's orders is the cheaper way.
  const matches = sql<Picked>`(select ticket_id, tsv from ticket_search where tsv @@ ${query} offset 0)`;
  return ranked(
    q,
    q
      .selectFrom(matches.as('s'))
      .innerJoin('tickets', 'tickets.id', 's.ticket_id')
      .select(['s.ticket_id', 's.tsv'])
      .where(visible)
      .orderBy('s.ticket_id', 'desc')
      .limit(window),
    query,
  );
}

/** SQLite: how many of a term's newest matches tell how common it is (fewer: the exact count). */
const TERM_SAMPLE = 1000;

/** The text a token sequence stands for: one token, or a chain of character bigrams overlapping by a character. */
function sequenceText(seq: readonly string[]): string {
  return (
    (seq[0] ?? '') +
    seq
      .slice(1)
      .map((bigram) => bigram.slice(1))
      .join('')
  );
}

/**
 * PostgreSQL with RUM. The RUM index hands out a query's matches ordered by their id's distance below the largest
 * id there can be, newest first, and the scan stops as soon as the window is full of orders in scope. It sorts
 * all of the query's matches inside the index first, though: cheap for a word in a few percent of the orders,
 * dearer than walking the newest rows for a token in most of them (电所, a bigram of 供电所). The planner's
 * estimate of the matches picks the cheaper of the two.
 */
async function newestByRum(
  q: Q2,
  query: RawBuilder<unknown>,
  indexQuery: RawBuilder<unknown> | null,
  visible: Visible,
  window: number,
  ix: OrderedIndex,
): Promise<Candidate[]> {
  const [matches, rows] = await Promise.all([
    estimatedRows(q, sql`select 1 from ticket_search where tsv @@ ${query}`),
    estimatedRows(q, sql`select 1 from ticket_search`),
  ]);
  // Walking costs per row walked (in a company's scope, about window × rows / matches of them), the RUM scan per
  // match: walk when matches² > WALK_OVER_RUM × window × rows. A station's scope is sparser, so the walk may go
  // to WALK_BUDGET rows before the RUM scan takes over.
  if (matches * matches > WALK_OVER_RUM * window * rows) {
    const walked = await walk(q, WALK_BUDGET, query, visible, window);
    if (walked.length >= window) return walked;
  }
  // The operator is named with its schema: the extension's schema need not be on the search path.
  const newest = sql`s.ticket_id operator(${sql.id(ix.schema)}.<=|) ${sql.lit(INT4_MAX)}`;
  return withRumPlan(q, (trx) =>
    ranked(trx, pickInScope(trx, sql<Picked>`ticket_search`, query, visible, window, newest, indexQuery), query),
  );
}

/** PostgreSQL: the planner's estimate of the rows a query returns (for a text query, from the tsvector statistics). */
async function estimatedRows(q: Q2, query: RawBuilder<unknown>): Promise<number> {
  const r = await sql<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>`explain (format json) ${query}`.execute(q);
  return Number(r.rows[0]?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0);
}

/**
 * PostgreSQL: runs `fn` with the RUM scan's planner settings, in a transaction of its own or the caller's (SET LOCAL
 * ends with it). Bitmap scans off: the matches of a phrase or of two words that go together are underestimated,
 * and the planner then fetched and sorted every match through the GIN bitmap instead of reading the first ones in
 * order (家沟村 at 200,000 orders: 125 ms against 17). work_mem 16MB: RUM sorts the matches in work_mem, and the
 * default 4MB spills to disk past about 40,000 of them (132,000 matches: 72 ms spilled, 47 ms in memory).
 */
async function withRumPlan<T>(q: Q2, fn: (trx: Q2) => Promise<T>): Promise<T> {
  const set = (trx: Q2, bitmap: string, workMem: string) =>
    sql`select set_config('enable_bitmapscan', ${bitmap}, true), set_config('work_mem', ${workMem}, true)`.execute(trx);
  if (!q.isTransaction) {
    return q.transaction().execute(async (trx) => {
      await set(trx, 'off', RUM_WORK_MEM);
      return fn(trx);
    });
  }
  // The rest of the caller's transaction plans as it did before.
  const was = await sql<{
    b: string;
    w: string;
  }>`select current_setting('enable_bitmapscan') as b, current_setting('work_mem') as w`.execute(q);
  await set(q, 'off', RUM_WORK_MEM);
  try {
    return await fn(q);
  } finally {
    await set(q, was.rows[0]?.b ?? 'on', was.rows[0]?.w ?? '4MB');
  }
}

/** PostgreSQL: the memory the RUM scan sorts a query's matches in (see withRumPlan). */
const RUM_WORK_MEM = '16MB';

/** The largest order id PostgreSQL's integer holds: the RUM scan orders the matches by their distance below it. */
const INT4_MAX = 2_147_483_647;
/**
 * PostgreSQL: how much dearer walking one index row is than the RUM scan's sorting one match (measured at 200,000
 * orders: 3.5–3.7 µs against 0.26–0.33 µs).
 */
const WALK_OVER_RUM = 12;

/** PostgreSQL: the RUM index of the search table, where migration 018 could create it (see orderedSearchIndex). */
export interface OrderedIndex {
  /** The schema of the RUM extension's operators, which need not be on the search path. */
  schema: string;
}

const ORDERED_INDEX: Record<Dialect, (q: Q) => Promise<OrderedIndex | null>> = {
  // FTS5 already hands out matches in rowid order.
  sqlite: async () => null,
  // The index in the search path's schema (where the search table is), and only when it is valid: a CREATE INDEX
  // CONCURRENTLY that failed leaves an invalid one, which the planner never uses.
  postgres: async (q) =>
    (
      await sql<OrderedIndex>`select n.nspname as schema from pg_index x
        join pg_extension e on e.extname = 'rum' join pg_namespace n on n.oid = e.extnamespace
        where x.indexrelid = to_regclass('ticket_search_rum') and x.indisvalid`.execute(q)
    ).rows[0] ?? null,
};

/** The RUM index a PostgreSQL search can read the newest matches from, or null (SQLite, or no RUM: the GIN path). */
export function orderedSearchIndex(dialect: Dialect, q: Q): Promise<OrderedIndex | null> {
  return ORDERED_INDEX[dialect](q);
}

/** PostgreSQL: how many of the newest index rows a search walks before it asks the GIN index. */
const WALK_BUDGET = 20_000;
/** PostgreSQL: the share of walked rows in scope and matching above which walking on beats the GIN index. */
const WALK_ON_DENSITY = 0.01;

/**
 * A subquery of the ids of every order matching a text query, for a work list's text filter (the list
 * keeps its own order and paging; the engines turn `id in (…)` into a semi-join).
 */
export function matchingIds(dialect: Dialect, match: TextMatch): RawBuilder<{ id: number }> {
  return dialect === 'sqlite'
    ? sql`select rowid as id from ticket_fts where ticket_fts match ${ftsMatch(match)}`
    : sql`select ticket_id as id from ticket_search where tsv @@ ${tsMatch(match)}`;
}

/** How many orders have an index row: equal to the number of orders when nothing awaits indexing. */
export async function indexedCount(dialect: Dialect, q: Q): Promise<number> {
  const r = await (dialect === 'sqlite'
    ? // Contentless tables keep one row per indexed rowid in the %_docsize shadow table.
      sql<{ n: number }>`select count(*) as n from ticket_fts_docsize`
    : sql<{ n: number }>`select count(*) as n from ticket_search`
  ).execute(q);
  return Number(r.rows[0]?.n ?? 0);
}

/** Up to `limit` ids of orders after `afterId` that have no index row yet, in id order (an anti-join). */
export async function unindexedIds(dialect: Dialect, q: Q, afterId: number, limit: number): Promise<number[]> {
  const r = await (dialect === 'sqlite'
    ? sql<{ id: number }>`select t.id from tickets t where t.id > ${afterId}
        and not exists (select 1 from ticket_fts_docsize d where d.id = t.id) order by t.id limit ${limit}`
    : sql<{ id: number }>`select t.id from tickets t where t.id > ${afterId}
        and not exists (select 1 from ticket_search s where s.ticket_id = t.id) order by t.id limit ${limit}`
  ).execute(q);
  return r.rows.map((x) => Number(x.id));
}
