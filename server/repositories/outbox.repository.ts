import type { Kysely, Transaction } from 'kysely';
import type { Database, OutboxRow, TicketContactTable } from '../db/schema.ts';
import { type Dialect, forUpdateSkipLocked } from '../db/sql/index.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Messages per multi-row insert (17 values each): well under both databases' parameter limits. */
const INSERT_CHUNK = 500;

/** A message to enqueue: what it says and to whom; the delivery state starts fresh. */
export type NewMessage = Pick<
  OutboxRow,
  'delivery_id' | 'channel' | 'recipient' | 'template' | 'subject' | 'body' | 'ticket_id' | 'dedupe_key'
>;

/** The notification outbox: inserts inside the caller's transaction, claims with leases, settles attempts. */
export class OutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** Stores an order's sealed customer contact, replacing the one it had. */
  async saveContact(ticketId: number, sealed: Omit<TicketContactTable, 'ticket_id'>, q: Q = this.db): Promise<void> {
    await q
      .insertInto('ticket_contacts')
      .values({ ticket_id: ticketId, ...sealed })
      .onConflict((oc) => oc.column('ticket_id').doUpdateSet(sealed))
      .execute();
  }

  /** An order's sealed customer contact, if it left one. */
  contact(ticketId: number, q: Q = this.db) {
    return q.selectFrom('ticket_contacts').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  }

  /** Inserts messages due now; a repeated dedupe key is skipped, so a retried transaction enqueues once. */
  async insert(rows: NewMessage[], at: string, q: Q = this.db): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
      await q
        .insertInto('outbox')
        .values(
          rows.slice(i, i + INSERT_CHUNK).map((r) => ({
            ...r,
            status: 'pending',
            attempts: 0,
            next_attempt_at: at,
            locked_until: null,
            last_error: null,
            created_at: at,
            updated_at: at,
            sent_at: null,
          })),
        )
        .onConflict((oc) => oc.column('dedupe_key').doNothing())
        .execute();
    }
  }

  /**
   * Claims up to `limit` messages that are due, or whose previous claim's lease ran out (a worker died after
   * claiming). The claim counts the attempt and sets a lease, all in one transaction; on PostgreSQL the
   * candidate rows are locked with SKIP LOCKED so two workers never claim the same message.
   */
  async claim(now: string, leaseUntil: string, limit: number): Promise<OutboxRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const candidates = await forUpdateSkipLocked(
        this.dialect,
        trx
          .selectFrom('outbox')
          .select('id')
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'pending'), eb('next_attempt_at', '<=', now)]),
              eb.and([eb('status', '=', 'sending'), eb('locked_until', '<=', now)]),
            ]),
          )
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit),
      ).execute();
      if (candidates.length === 0) return [];
      const ids = candidates.map((c) => c.id);
      await trx
        .updateTable('outbox')
        .set((eb) => ({ status: 'sending', locked_until: leaseUntil, attempts: eb('attempts', '+', 1), updated_at: now }))
        .where('id', 'in', ids)
        .execute();
      return trx.selectFrom('outbox').selectAll().where('id', 'in', ids).orderBy('id').execute();
    });
  }

  /**
   * Extends this attempt's lease just before its send, so that the lease covers the send however long the batch
   * before it took. False when the claim is no longer this attempt's (another worker took it over after the lease
   * ran out, or its delivery was recorded meanwhile): the caller must not send.
   */
  async renew(id: number, attempt: number, leaseUntil: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ locked_until: leaseUntil, updated_at: at })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempt)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Settles a claimed attempt. A failure is recorded only while the claim is still this attempt's (a claim taken
   * over meanwhile is left alone); a delivery is recorded whichever attempt holds the claim, so that a message
   * known to be delivered is never sent again.
   */
  async settle(
    id: number,
    attempt: number,
    set: { status: 'sent' | 'pending' | 'dead'; at: string; nextAttemptAt?: string; error?: string | null },
  ): Promise<void> {
    await this.db
      .updateTable('outbox')
      .set({
        status: set.status,
        updated_at: set.at,
        locked_until: null,
        ...(set.status === 'sent' ? { sent_at: set.at, last_error: null } : { last_error: set.error ?? null }),
        ...(set.nextAttemptAt ? { next_attempt_at: set.nextAttemptAt } : {}),
      })
      .where('id', '=', id)
      .where((eb) =>
        set.status === 'sent'
          ? eb('status', 'in', ['sending', 'pending'])
          : eb.and([eb('status', '=', 'sending'), eb('attempts', '=', attempt)]),
      )
      .execute();
  }

  /** A page of messages, newest first, optionally of one status. */
  list(opts: { status?: string; ticketId?: number; limit: number; beforeId?: number }, q: Q = this.db): Promise<OutboxRow[]> {
    let query = q.selectFrom('outbox').selectAll().orderBy('id', 'desc').limit(opts.limit);
    if (opts.status) query = query.where('status', '=', opts.status);
    if (opts.ticketId !== undefined) query = query.where('ticket_id', '=', opts.ticketId);
    if (opts.beforeId !== undefined) query = query.where('id', '<', opts.beforeId);
    return query.execute();
  }

  find(id: number, q: Q = this.db): Promise<OutboxRow | undefined> {
    return q.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Puts a dead letter back in the queue with a fresh attempt budget; false unless it was dead. */
  async revive(id: number, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: at, updated_at: at, locked_until: null })
      .where('id', '=', id)
      .where('status', '=', 'dead')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /** Counts per status, for the admin page. */
  async counts(q: Q = this.db): Promise<Record<string, number>> {
    const rows = await q
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  }

  /** Messages still to deliver and dead letters, with the creation time of the oldest undelivered one (for the metrics). */
  async backlog(): Promise<{ pending: number; sending: number; dead: number; oldestCreatedAt: string | null }> {
    const rows = await this.db
      .selectFrom('outbox')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min<string>('created_at').as('oldest')])
      .where('status', 'in', ['pending', 'sending', 'dead'])
      .groupBy('status')
      .execute();
    const out = { pending: 0, sending: 0, dead: 0, oldestCreatedAt: null as string | null };
    for (const r of rows) {
      out[r.status as 'pending' | 'sending' | 'dead'] = Number(r.n);
      if (r.status !== 'dead' && (out.oldestCreatedAt === null || r.oldest < out.oldestCreatedAt)) out.oldestCreatedAt = r.oldest;
    }
    return out;
  }

  /** Active staff holding one of the roles in the unit subtree who have a phone number. */
  staffPhones(unitPath: string, roles: readonly string[], q: Q = this.db) {
    return q
      .selectFrom('users')
      .innerJoin('org_units as u', 'u.id', 'users.unit_id')
      .innerJoin('user_roles as r', 'r.user_id', 'users.id')
      .select(['users.id', 'users.phone'])
      .distinct()
      .where('users.active', '=', 1)
      .where('users.phone', 'is not', null)
      .where('u.path', 'like', `${unitPath}%`)
      .where('r.role', 'in', roles)
      .execute();
  }
}
