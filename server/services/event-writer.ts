import type { Transaction } from 'kysely';
import type { Database, Ticket, TicketUpdate } from '../db/schema.ts';
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

/** The row after `set`: what the UPDATE leaves in the database (Kysely skips undefined values). */
function merged(t: Ticket, set: TicketUpdate): Ticket {
  const after: Record<string, unknown> = { ...t };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) after[k] = v;
  return after as Ticket;
}

/**
 * Applies `set` to the order and appends one event, both only if the order is still at its loaded version.
 * Must run inside the caller's transaction: the version check and the append stand or fall together.
 * The event commits to the row it produces, digested from the values written (no re-read).
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
  const pending = merged(t, { ...set, state: e.to, version: seq, updated_at: e.at });
  const event = hooks.chain.seal(
    {
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
    },
    pending,
  );
  const update: TicketUpdate = { ...set, state: e.to, version: seq, last_event_hash: event.hash, updated_at: e.at };
  if (!(await repo.updateVersioned(t.id, t.version, update, q))) {
    throw new AppError('ticket_changed', undefined, { id: t.id, version: t.version });
  }
  await repo.insertEvent(event, q);
  const after = { ...pending, last_event_hash: event.hash };
  await hooks.run(q, { before: t, after, action: e.action, input: e.input });
  return after;
}
