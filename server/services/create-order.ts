import type { Kysely, Transaction } from 'kysely';
import { type Kind, kindPrefix } from '../../core/taxonomy.ts';
import type { Database, Ticket } from '../db/schema.ts';
import { type ChainedEvent, GENESIS_HASH } from '../domain/event-chain.ts';
import type { NewTicketRow, TicketRepository } from '../repositories/ticket.repository.ts';
import type { TicketHooks } from './ticket-hooks.ts';

/** An order's number: kind prefix, the Shanghai day without dashes and the day's sequence in five digits (TS2026120500001). */
export function orderNumber(kind: Kind, day: string, seq: number): string {
  return `${kindPrefix(kind)}${day.replaceAll('-', '')}${String(seq).padStart(5, '0')}`;
}

/** Takes the next number of the day for a kind, inside the caller's transaction (or in a statement of its own). */
export async function takeOrderNumber(
  repo: TicketRepository,
  kind: Kind,
  day: string,
  q: Transaction<Database> | Kysely<Database>,
): Promise<string> {
  return orderNumber(kind, day, await repo.nextNumber(kind, day, q));
}

/**
 * Takes the number (and on PostgreSQL the id) of a new order, inside the caller's transaction: the id, when given,
 * goes to createOrder, which then writes the order and its first event in one statement.
 */
export async function takeNumberAndId(
  repo: TicketRepository,
  kind: Kind,
  day: string,
  trx: Transaction<Database>,
): Promise<{ number: string; id: number | null }> {
  const { seq, id } = await repo.nextNumberAndId(kind, day, trx);
  return { number: orderNumber(kind, day, seq), id };
}

/** What the first event of a new order says; the chain fields (order id, sequence, previous hash) are filled in. */
export type GenesisEvent = Pick<ChainedEvent, 'action' | 'actor_id' | 'actor_unit_id' | 'to_state' | 'at'> & {
  input: Record<string, unknown>;
};

/** The sealed first event, as stored. */
export type WrittenEvent = ChainedEvent & { hash: string; state_digest: string };

/**
 * Creates an order: inserts `row` (which carries its number), writes its first event sealed over that row, and
 * points the order at it — the one way an order comes into being (intake, and through it the portal and Open311;
 * the historical import). Must run inside the caller's transaction. Returns the order and the event as stored
 * (no re-read). The ticket hooks are the caller's to run, once its other rows (links, identity) are written.
 */
export async function createOrder(
  repo: TicketRepository,
  hooks: TicketHooks,
  trx: Transaction<Database>,
  row: NewTicketRow,
  genesis: GenesisEvent,
  /** The id taken with the number (takeNumberAndId, PostgreSQL); otherwise the insert gives one. */
  presetId: number | null = null,
): Promise<{ ticket: Ticket; event: WrittenEvent }> {
  const seal = (id: number) =>
    hooks.chain.seal(
      {
        ticket_id: id,
        seq: 1,
        action: genesis.action,
        actor_id: genesis.actor_id,
        actor_unit_id: genesis.actor_unit_id,
        from_state: null,
        to_state: genesis.to_state,
        input: JSON.stringify(genesis.input),
        at: genesis.at,
        prev_hash: GENESIS_HASH,
      },
      row,
    );
  if (presetId !== null) {
    // The id is known before the insert, so the event is sealed first and the row written with its head.
    const event = seal(presetId);
    // Object.assign, not a spread: V8 copies a spread that overrides earlier keys one slow step at a time.
    const ticket: Ticket = Object.assign({ id: presetId }, row, { query_hash: null, last_event_hash: event.hash });
    await repo.insertWithFirstEvent(ticket, event, trx);
    return { ticket, event };
  }
  const id = await repo.insert(row, trx);
  const event = seal(id);
  await repo.insertEvent(event, trx);
  await repo.setHead(id, event.hash, trx);
  return { ticket: Object.assign({ id }, row, { query_hash: null, last_event_hash: event.hash }), event };
}
