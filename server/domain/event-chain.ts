import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedEvent {
  ticket_id: number;
  seq: number;
  action: string;
  actor_id: number | null;
  actor_unit_id: number | null;
  from_state: string | null;
  to_state: string;
  input: string;
  at: string;
  prev_hash: string;
}

/** The hash of an event over its content and the previous event's hash (a per-order hash chain). */
export function hashEvent(e: ChainedEvent): string {
  const canonical = JSON.stringify([
    e.ticket_id,
    e.seq,
    e.action,
    e.actor_id,
    e.actor_unit_id,
    e.from_state,
    e.to_state,
    e.input,
    e.at,
    e.prev_hash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/** Checks an order's events: consecutive seqs from 1, each linked to and hashing as recorded; and the head. */
export function verifyChain(
  events: ReadonlyArray<ChainedEvent & { hash: string }>,
  head: { version: number; state: string; lastHash: string },
): ChainProblem | null {
  let prev = GENESIS_HASH;
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1) return { seq: e.seq, problem: `expected seq ${i + 1}` };
    if (e.prev_hash !== prev) return { seq: e.seq, problem: 'link to the previous event broken' };
    if (hashEvent(e) !== e.hash) return { seq: e.seq, problem: 'content does not match its hash' };
    prev = e.hash;
  }
  const last = events.at(-1);
  if (events.length !== head.version) return { seq: events.length, problem: `order version ${head.version} but ${events.length} events` };
  if (last && last.to_state !== head.state)
    return { seq: last.seq, problem: `order state ${head.state} differs from the last event's ${last.to_state}` };
  if (prev !== head.lastHash) return { seq: events.length, problem: "order's last hash differs from the chain" };
  return null;
}
