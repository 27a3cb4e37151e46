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

/** A listener that takes the changes of one batch together (several may be to the same order, in order). */
export type TicketChangesHook = (trx: Transaction<Database>, changes: readonly TicketChange[]) => Promise<void>;

/**
 * What every order change passes through: the keyed event chain that seals its event, and the listeners that
 * must stay consistent with the orders (search index, statistics aggregates). The listeners run inside the
 * same transaction as the change, so a derived row is never out of step with the order it describes.
 */
export class TicketHooks {
  private readonly hooks: TicketChangesHook[] = [];

  constructor(readonly chain: EventChain) {}

  /** Registers a listener called once per change. */
  add(hook: TicketChangeHook): void {
    this.hooks.push(async (trx, changes) => {
      for (const c of changes) await hook(trx, c);
    });
  }

  /**
   * Registers a listener that handles a batch's changes together, so that its look-ups and inserts are made once
   * per batch rather than once per change; it must do for the batch what it would do for each change alone.
   */
  addBatched(hook: TicketChangesHook): void {
    this.hooks.push(hook);
  }

  /** Runs every listener in registration order. */
  run(trx: Transaction<Database>, change: TicketChange): Promise<void> {
    return this.runAll(trx, [change]);
  }

  /** Runs every listener, in registration order, over changes already written (see applyAllWithEvents). */
  async runAll(trx: Transaction<Database>, changes: readonly TicketChange[]): Promise<void> {
    for (const h of this.hooks) await h(trx, changes);
  }
}
