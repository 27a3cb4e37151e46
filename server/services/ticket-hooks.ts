import type { Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';

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
 * Listeners that must stay consistent with the orders (search index, statistics aggregates). They run inside
 * the same transaction as the change, so a derived row is never out of step with the order it describes.
 */
export class TicketHooks {
  private readonly hooks: TicketChangeHook[] = [];

  /** Registers a listener. */
  add(hook: TicketChangeHook): void {
    this.hooks.push(hook);
  }

  /** Runs every listener in registration order. */
  async run(trx: Transaction<Database>, change: TicketChange): Promise<void> {
    for (const h of this.hooks) await h(trx, change);
  }
}
