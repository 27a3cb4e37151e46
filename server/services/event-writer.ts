import type { Transaction } from 'kysely';
import { deferringWrites } from '../db/batch-writes.ts';
import type { Database, Ticket, TicketEvent, TicketUpdate } from '../db/schema.ts';
import type { EventChain } from '../domain/event-chain.ts';
import { AppError } from '../errors.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import type { TicketChange, TicketHooks } from './ticket-hooks.ts';

export interface EventSpec {
  action: string;
  actorId: number | null;
  actorUnitId: number | null;
  to: string;
  input: Record<string, unknown>;
  at: string;
}

/** One change to an order as written: the UPDATE's values, the sealed event, and the row the change leaves. */
export interface SealedChange {
  update: TicketUpdate;
  event: Omit<TicketEvent, 'id'>;
  after: Ticket;
}

/** The row after `set`: what the UPDATE leaves in the database (Kysely skips undefined values). */
function merged(t: Ticket, set: TicketUpdate): Ticket {
  const after: Record<string, unknown> = { ...t };
  for (const [k, v] of Object.entries(set)) if (v !== undefined) after[k] = v;
  return after as Ticket;
}

/**
 * The one place where a change to an order becomes its event (pure; both the single and the batched writes use
 * it): `set` plus the new state, version and time, and the event that commits to the row they produce, digested
 * from the values written (no re-read) and linked to the order's current head.
 */
export function sealChange(chain: EventChain, t: Ticket, set: TicketUpdate, e: EventSpec): SealedChange {
  const seq = t.version + 1;
  const pending = merged(t, { ...set, state: e.to, version: seq, updated_at: e.at });
  const event = chain.seal(
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
  return {
    update: { ...set, state: e.to, version: seq, last_event_hash: event.hash, updated_at: e.at },
    event,
    after: { ...pending, last_event_hash: event.hash },
  };
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
  const c = sealChange(hooks.chain, t, set, e);
  if (!(await repo.updateVersioned(t.id, t.version, c.update, q))) {
    throw new AppError('ticket_changed', undefined, { id: t.id, version: t.version });
  }
  await repo.insertEvent(c.event, q);
  await hooks.run(q, { before: t, after: c.after, action: e.action, input: e.input });
  return c.after;
}

/** The changes to make to one order, in order: each becomes one event. */
export interface OrderChanges {
  ticket: Ticket;
  changes: ReadonlyArray<{ set: TicketUpdate; event: EventSpec }>;
}

/**
 * `applyWithEvent` for many orders at once, with the same outcome: each change sealed as applyWithEvent seals it
 * (each one linked to the one before on the same order), but every order written in a few multi-row versioned
 * UPDATEs, every event in a few multi-row INSERTs, and the listeners given all the changes together, their
 * derived rows merged and written once. All or nothing: if any order is no longer at its loaded version, it
 * throws `ticket_changed` and the caller's transaction must roll back. Returns each order's row after its changes
 * (in the order given).
 */
export async function applyAllWithEvents(
  repo: TicketRepository,
  hooks: TicketHooks,
  q: Transaction<Database>,
  orders: readonly OrderChanges[],
): Promise<Ticket[]> {
  const rows: Array<{ id: number; version: number; set: TicketUpdate }> = [];
  const events: Array<Omit<TicketEvent, 'id'>> = [];
  const changes: TicketChange[] = [];
  const out: Ticket[] = [];
  for (const o of orders) {
    if (o.changes.length === 0) {
      out.push(o.ticket);
      continue;
    }
    let current = o.ticket;
    const columns = new Set<string>();
    for (const c of o.changes) {
      const s = sealChange(hooks.chain, current, c.set, c.event);
      for (const [k, v] of Object.entries(s.update)) if (v !== undefined) columns.add(k);
      events.push(s.event);
      changes.push({ before: current, after: s.after, action: c.event.action, input: c.event.input });
      current = s.after;
    }
    // The last row holds every column the order's changes wrote, at its final value. A column they left as it
    // was is not written again: SQLite rewrites the index entries of every column an UPDATE sets.
    const set: Record<string, unknown> = {};
    for (const k of columns) if (current[k as keyof Ticket] !== o.ticket[k as keyof Ticket]) set[k] = current[k as keyof Ticket];
    rows.push({ id: o.ticket.id, version: o.ticket.version, set: set as TicketUpdate });
    out.push(current);
  }
  if (rows.length === 0) return out;
  const updated = await repo.updateVersionedMany(rows, q);
  if (updated !== rows.length) throw new AppError('ticket_changed', undefined, { ids: rows.map((r) => r.id), updated });
  await repo.insertEvents(events, q);
  await deferringWrites(q, () => hooks.runAll(q, changes));
  return out;
}
