import type { Kysely, Transaction } from 'kysely';
import { deferWrite, type WriteSink } from '../db/batch-writes.ts';
import type { Database, Ticket } from '../db/schema.ts';
import type { Dialect } from '../db/sql/index.ts';
import {
  indexedCount,
  matchingIds,
  type OrderedIndex,
  orderedSearchIndex,
  type SearchRow,
  searchCandidates,
  type TextMatch,
  unindexedIds,
  upsertSearchRow,
  upsertSearchRows,
} from '../db/sql/search.ts';
import { type Scope, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The meta key of the index format rewrite's progress (set by the migration that changes the format). */
const REINDEX_KEY = 'search_reindex_after';

/** The columns of an order the index covers. */
export type IndexedText = Pick<Ticket, 'subject' | 'description' | 'reply_text' | 'location'>;

/** An order as the index is written from: its text, its company, and the units it is at or has been dispatched to. */
export type IndexedOrder = IndexedText & Pick<Ticket, 'id' | 'company_id'> & { units: Array<number | null> };

const INDEXED_COLUMNS = ['id', 'company_id', 'unit_id', 'subject', 'description', 'reply_text', 'location'] as const;

export type { TextMatch };

/** The fields an order can be found by, besides its text. */
export type IdentifierField = 'number' | 'phone' | 'account';

/** How many of the newest matches a search ranks (and pages through). */
export const SEARCH_WINDOW = 1000;

/** The full-text index of the orders: writing its rows, searching it, the rewrite of its format, and the synonym groups. */
export class SearchRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Whether PostgreSQL can read the newest matches from a RUM index, looked up once (the index comes with a
   * migration, which runs before the server starts; one built by hand is used after a restart).
   */
  private orderedIndex: Promise<OrderedIndex | null> | null = null;

  private ordered(): Promise<OrderedIndex | null> {
    this.orderedIndex ??= orderedSearchIndex(this.dialect, this.db).catch((err: unknown) => {
      // A failed lookup is asked again by the next search, not remembered.
      this.orderedIndex = null;
      throw err;
    });
    return this.orderedIndex;
  }

  /** Writes the index row of one order (inside the caller's transaction). */
  async index(ticketId: number, companyId: number, words: string, q: Q = this.db): Promise<void> {
    // In a group commit the batch's entries are written by one multi-row statement before its commit.
    if (deferWrite(q, this.searchRows, String(ticketId), { id: ticketId, companyId, words })) return;
    await upsertSearchRow(this.dialect, q, ticketId, companyId, words);
  }

  /** The search entries of a group-commit batch: the last text of each order wins. */
  private readonly searchRows: WriteSink<SearchRow> = {
    name: 'ticket search',
    merge: (_into, later) => later,
    flush: (trx, rows) => upsertSearchRows(this.dialect, trx, rows),
  };

  /**
   * Indexes many orders (distinct ids) in one transaction, a multi-row statement per chunk: FTS5 flushes its pending
   * terms once per commit, not per row, and PostgreSQL gets one round trip per chunk instead of one per order.
   */
  async indexBatch(rows: ReadonlyArray<SearchRow>): Promise<void> {
    if (rows.length === 0) return;
    await this.db.transaction().execute((trx) => upsertSearchRows(this.dialect, trx, rows));
  }

  /**
   * A ranked page of the orders in scope: first the `pinned` ones (found by number, phone or account), then
   * those matching the text query, best first, drawn from the newest `window` matches (see searchCandidates);
   * `total` counts both and `truncated` says there are more text matches than the window holds.
   */
  async search(
    scope: Scope,
    match: TextMatch | null,
    pinned: ReadonlyArray<{ id: number; matchedBy: IdentifierField }>,
    limit: number,
    offset: number,
    window = SEARCH_WINDOW,
    q: Q = this.db,
  ) {
    const found = match
      ? await searchCandidates(this.dialect, q, match, (eb) => visibleToScope(eb, scope), window, await this.ordered())
      : [];
    found.sort((a, b) => b.rank - a.rank || b.id - a.id);
    const pinnedIds = new Set(pinned.map((p) => p.id));
    const candidates: Array<{ id: number; rank: number; matchedBy: IdentifierField | 'text' }> = [
      ...pinned.map((p) => ({ id: p.id, rank: 0, matchedBy: p.matchedBy })),
      ...found.filter((c) => !pinnedIds.has(c.id)).map((c) => ({ ...c, matchedBy: 'text' as const })),
    ];
    const page = candidates.slice(offset, offset + limit);
    const rows = page.length
      ? await q
          .selectFrom('tickets')
          .selectAll()
          .where(
            'id',
            'in',
            page.map((c) => c.id),
          )
          .execute()
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return {
      rows: page.flatMap((c) => {
        const row = byId.get(c.id);
        return row ? [{ ...row, rank: c.rank, matchedBy: c.matchedBy }] : [];
      }),
      total: candidates.length,
      truncated: found.length >= window,
    };
  }

  /**
   * The newest orders in scope whose number, customer phone or account number is `value` (a number may be given
   * down to its day: TS20261127 finds that day's complaints), newest first; each says which field matched.
   */
  async findByIdentifier(scope: Scope, fields: readonly IdentifierField[], value: string, limit: number, q: Q = this.db) {
    if (fields.length === 0) return [];
    const rows = await q
      .selectFrom('tickets')
      .select(['id', 'number', 'customer_phone', 'customer_account'])
      .where((eb) =>
        eb.or(
          fields.map((f) =>
            f === 'number'
              ? // A range on the unique index of the numbers: an exact number or every number that begins with it.
                eb.and([eb('number', '>=', value), eb('number', '<', `${value}~`)])
              : eb(f === 'phone' ? 'customer_phone' : 'customer_account', '=', value),
          ),
        ),
      )
      .where((eb) => visibleToScope(eb, scope))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      matchedBy: (fields.includes('number') && r.number.startsWith(value)
        ? 'number'
        : fields.includes('phone') && r.customer_phone === value
          ? 'phone'
          : 'account') as IdentifierField,
    }));
  }

  /** The ids of every order matching a text query, as a subquery for a work-list filter. */
  matching(match: TextMatch) {
    return matchingIds(this.dialect, match);
  }

  /**
   * Where the rewrite of the index to its current format stands: the id after which orders still carry an
   * older format (a migration sets it to 0), or null when the index is current.
   */
  async reindexCursor(q: Q = this.db): Promise<number | null> {
    const row = await q.selectFrom('meta').select('value').where('key', '=', REINDEX_KEY).executeTakeFirst();
    return row ? Number(row.value) : null;
  }

  /** Records the rewrite's progress (null: done). */
  async setReindexCursor(after: number | null, q: Q = this.db): Promise<void> {
    if (after === null) {
      await q.deleteFrom('meta').where('key', '=', REINDEX_KEY).execute();
      return;
    }
    await q
      .updateTable('meta')
      .set({ value: String(after) })
      .where('key', '=', REINDEX_KEY)
      .execute();
  }

  /**
   * Rewrites the index rows of the next `limit` orders after `afterId` (the format rewrite walks them all);
   * returns the last id done, or null when no order is left.
   */
  async reindexAfter(afterId: number, limit: number, words: (row: IndexedOrder) => string): Promise<number | null> {
    // Read and rewrite in one transaction, the rows locked on PostgreSQL (SQLite has one writer): an order
    // changed meanwhile is indexed by its own transaction's hook after this one, never overwritten with old text.
    return this.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('tickets').select(INDEXED_COLUMNS).where('id', '>', afterId).orderBy('id').limit(limit);
      if (this.dialect === 'postgres') query = query.forUpdate();
      const rows = await this.withUnits(await query.execute(), trx);
      await upsertSearchRows(
        this.dialect,
        trx,
        rows.map((r) => ({ id: r.id, companyId: r.company_id, words: words(r) })),
      );
      return rows.length === limit ? (rows.at(-1)?.id ?? null) : null;
    });
  }

  /** The units an order is at (null: none) or has been dispatched to (a unit keeps seeing an order once dispatched to it). */
  async unitsOf(t: Pick<Ticket, 'id' | 'unit_id'>, q: Q = this.db): Promise<Array<number | null>> {
    return [
      t.unit_id,
      ...(await q.selectFrom('ticket_units').select('unit_id').where('ticket_id', '=', t.id).execute()).map((r) => r.unit_id),
    ];
  }

  /** Orders with the units they are at or have been dispatched to. */
  private async withUnits(rows: ReadonlyArray<Omit<IndexedOrder, 'units'> & { unit_id: number | null }>, q: Q): Promise<IndexedOrder[]> {
    const units = new Map<number, Array<number | null>>(rows.map((r) => [r.id, [r.unit_id]]));
    for (let i = 0; i < rows.length; i += 500) {
      const ids = rows.slice(i, i + 500).map((r) => r.id);
      const found = await q.selectFrom('ticket_units').select(['ticket_id', 'unit_id']).where('ticket_id', 'in', ids).execute();
      for (const f of found) units.get(f.ticket_id)?.push(f.unit_id);
    }
    return rows.map(({ unit_id: _unit, ...r }) => ({ ...r, units: units.get(r.id) ?? [] }));
  }

  /** Whether every order has an index row (cheap: two counts). */
  async fullyIndexed(q: Q = this.db): Promise<boolean> {
    const orders = await q
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst();
    return Number(orders?.n ?? 0) === (await indexedCount(this.dialect, q));
  }

  /** The next orders after `afterId` that have no index row yet, with the text to index (backfill). */
  async unindexed(afterId: number, limit: number, q: Q = this.db) {
    const ids = await unindexedIds(this.dialect, q, afterId, limit);
    const rows = ids.length ? await q.selectFrom('tickets').select(INDEXED_COLUMNS).where('id', 'in', ids).orderBy('id').execute() : [];
    return { rows: await this.withUnits(rows, q), last: ids.length === limit ? (ids.at(-1) as number) : null };
  }

  /** The synonym groups of a company, oldest first. */
  synonyms(companyId: number, q: Q = this.db) {
    return q.selectFrom('search_synonyms').selectAll().where('company_id', '=', companyId).orderBy('id').execute();
  }

  /** Adds a synonym group; returns its id. */
  async addSynonyms(row: { company_id: number; words: string; updated_by: number | null; updated_at: string }): Promise<number> {
    const r = await this.db.insertInto('search_synonyms').values(row).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  /** Replaces the words of a company's synonym group; false when it has no such group. */
  async updateSynonyms(companyId: number, id: number, set: { words: string; updated_by: number | null; updated_at: string }) {
    const r = await this.db
      .updateTable('search_synonyms')
      .set(set)
      .where('id', '=', id)
      .where('company_id', '=', companyId)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteSynonyms(companyId: number, id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('search_synonyms').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
