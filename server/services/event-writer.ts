import type { Transaction } from 'kysely';
import type { Database, Ticket, TicketUpdate } from '../db/schema.ts';
import { hashEvent } from '../domain/event-chain.ts';
import { AppError } from '../errors.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import type { TicketHooks } from './ticket-hooks.ts';

export interface EventSpec {
  action: string;
  actorId: number | null;
  actorUnitId: number | null;
  to: string;
  input: Record<string, unknown>;
  at: string;
}

/**
 * Applies `set` to the order and appends one event, both only if the order is still at its loaded version.
 * Must run inside the caller's transaction: the version check and the append stand or fall together.
 */
export async function applyWithEvent(
  repo: TicketRepository,
  hooks: TicketHooks,
  q: Transaction<Database>,
  t: Ticket,
  set: TicketUpdate,
  e: EventSpec,
): Promise<Ticket> {
  const seq = t.version + 1;
  const event = {
    ticket_id: t.id,
    seq,
    action: e.action,
    actor_id: e.actorId,
    actor_unit_id: e.actorUnitId,
    from_state: t.state,
    to_state: e.to,
    input: JSON.stringify(e.input),
    at: e.at,
    prev_hash: t.last_event_hash,
  };
  const hash = hashEvent(event);
  const update: TicketUpdate = { ...set, state: e.to, version: seq, last_event_hash: hash, updated_at: e.at };
  if (!(await repo.updateVersioned(t.id, t.version, update, q))) {
    throw new AppError('ticket_changed', undefined, { id: t.id, version: t.version });
  }
  await repo.insertEvent({ ...event, hash }, q);
  const after = { ...t, ...update } as Ticket;
  await hooks.run(q, { before: t, after, action: e.action, input: e.input });
  return after;
}
