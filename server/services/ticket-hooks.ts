import type { Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';
import type { EventChain } from '../domain/event-chain.ts';

/** One change to an order, as seen inside the transaction that made it. */
export interface TicketChange {
  /** The order before the change; null at intake. */
  before: Ticket | null;
  after: Ticket;
  action: string;
  input: Record<string, unknown>;
}

export type TicketChangeHook = (trx: Transaction<Database>, change: TicketChange) => Promise<void>;

/**
 * What every order change passes through: the keyed event chain that seals its event, and the listeners that
 * must stay consistent with the orders (search index, statistics aggregates). The listeners run inside the
 * same transaction as the change, so a derived row is never out of step with the order it describes.
 */
export class TicketHooks {
  private readonly hooks: TicketChangeHook[] = [];

  constructor(readonly chain: EventChain) {}

  /** Registers a listener. */
  add(hook: TicketChangeHook): void {
    this.hooks.push(hook);
  }

  /** Runs every listener in registration order. */
  async run(trx: Transaction<Database>, change: TicketChange): Promise<void> {
    for (const h of this.hooks) await h(trx, change);
  }
}
