import type { Kysely, Transaction } from 'kysely';
import type { ChainCheckpointTable, Database, Ticket, TicketEvent } from '../db/schema.ts';
import { type Dialect, forUpdate } from '../db/sql/index.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The event chain's own reads and writes: heads, whole chains in pages, re-keying and signed checkpoints. */
export class ChainRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Chain heads of the orders after `afterId`, in id order (one index range; no event is read). */
  heads(afterId: number, limit: number) {
    return this.db
      .selectFrom('tickets')
      .select(['id', 'number', 'version', 'last_event_hash'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /** Whole order rows after `afterId`, in id order. */
  orders(afterId: number, limit: number): Promise<Ticket[]> {
    return this.db.selectFrom('tickets').selectAll().where('id', '>', afterId).orderBy('id').limit(limit).execute();
  }

  /** The events of the given orders, by order and sequence. */
  async events(ticketIds: number[], q: Q = this.db): Promise<TicketEvent[]> {
    if (ticketIds.length === 0) return [];
    return q.selectFrom('ticket_events').selectAll().where('ticket_id', 'in', ticketIds).orderBy('ticket_id').orderBy('seq').execute();
  }

  /** Up to `limit` orders after `afterId` that have an event not yet sealed with the key (partial index). */
  async unsealed(afterId: number, limit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('ticket_events')
      .select('ticket_id')
      .distinct()
      .where('state_digest', 'is', null)
      .where('ticket_id', '>', afterId)
      .orderBy('ticket_id')
      .limit(limit)
      .execute();
    return rows.map((r) => r.ticket_id);
  }

  /** The order row, locked for the transaction on PostgreSQL (SQLite has one writer at a time). */
  lockOrder(id: number, q: Transaction<Database>): Promise<Ticket | undefined> {
    return forUpdate(this.dialect, q.selectFrom('tickets').selectAll().where('id', '=', id)).executeTakeFirst();
  }

  /** Rewrites one event's link, digest and hash (re-keying). */
  async resealEvent(id: number, set: { prev_hash: string; state_digest: string; hash: string }, q: Q): Promise<void> {
    await q.updateTable('ticket_events').set(set).where('id', '=', id).execute();
  }

  /** Points the order at its (re-keyed) head. */
  async setHead(id: number, hash: string, q: Q): Promise<void> {
    await q.updateTable('tickets').set({ last_event_hash: hash }).where('id', '=', id).execute();
  }

  /** Every checkpoint's figures and signature, oldest first (the heads only of the latest, when kept). */
  async checkpoints() {
    return this.db
      .selectFrom('chain_checkpoints')
      .select(['id', 'at', 'orders', 'events', 'root', 'heads_digest', 'signature'])
      .orderBy('id')
      .execute();
  }

  /** The heads of a checkpoint (null once pruned). */
  async checkpointHeads(id: number): Promise<string | null> {
    const r = await this.db.selectFrom('chain_checkpoints').select('heads').where('id', '=', id).executeTakeFirst();
    return r?.heads ?? null;
  }

  /** Stores a checkpoint; the heads of all but the newest `keepHeads` are dropped (figures and signature stay). */
  async insertCheckpoint(c: Omit<ChainCheckpointTable, 'id'>, keepHeads: number): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const r = await trx.insertInto('chain_checkpoints').values(c).returning('id').executeTakeFirstOrThrow();
      await trx
        .updateTable('chain_checkpoints')
        .set({ heads: null })
        .where('id', '<=', r.id - keepHeads)
        .where('heads', 'is not', null)
        .execute();
      return r.id;
    });
  }
}
