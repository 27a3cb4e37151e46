import { createHash, createHmac } from 'node:crypto';
import { deriveKey } from '../lib/crypto.ts';

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
  /** Digest of the order row as this event left it (`stateDigest`); null only on events older than the keyed chain. */
  state_digest: string | null;
}

/**
 * The order-row columns an event commits to: everything a person or a rule decided. Left out, because they
 * are written without an event or are the chain itself: `id` (the event names it), `last_event_hash` (the
 * head of the chain), `next_check_at` (the sweeper's schedule, moved on every pass without a finding), and
 * `receipt_hash` / `query_hash` (hashes of the portal codes given to the customer, reissued on request).
 * A column added later is not covered until it is added here together with a re-keying of old chains.
 */
export const STATE_COLUMNS = [
  'company_id',
  'number',
  'kind',
  'channel',
  'class_code',
  'subject',
  'description',
  'location',
  'lat',
  'lng',
  'customer_id',
  'customer_name',
  'customer_phone',
  'customer_account',
  'anonymous',
  'pseudonym',
  'external_ref',
  'external_due_at',
  'grade',
  'state',
  'version',
  'unit_id',
  'assignee_id',
  'intake_by',
  'intake_at',
  'policy_id',
  'flag_repeat',
  'flag_supervised',
  'flag_risk',
  'flag_outage',
  'redo_count',
  'return_count',
  'urge_count',
  'reject_count',
  'contact_count',
  'revisit_attempts',
  'suspend_request',
  'suspended_at',
  'suspended_ms',
  'unit_approved_by',
  'clocks',
  'dispatch_due_at',
  'first_contact_due_at',
  'reply_due_at',
  'promise_due_at',
  'revisit_due_at',
  'next_due_at',
  'warned',
  'overdue',
  'dispatched_at',
  'signed_at',
  'first_contact_at',
  'first_contact_on_time',
  'replied_at',
  'reply_on_time',
  'approved_at',
  'promise_on_time',
  'revisited_at',
  'revisit_on_time',
  'closed_at',
  'verification',
  'root_cause',
  'responsibility',
  'responsible_person',
  'reply_text',
  'satisfaction',
  'close_reason',
  'duplicate_of_id',
  'created_at',
  'updated_at',
] as const;

export type StateColumn = (typeof STATE_COLUMNS)[number];

/**
 * A text as the database returns it: both databases store UTF-8, so a lone surrogate comes back as U+FFFD.
 * Digesting the stored form keeps a digest computed from the written values equal to one of the read row.
 */
function stored(v: unknown): unknown {
  if (typeof v !== 'string' || !/[\uD800-\uDFFF]/.test(v)) return v ?? null;
  return Buffer.from(v, 'utf8').toString('utf8');
}

/** SHA-256 over the order row's committed columns (STATE_COLUMNS), in a fixed order. */
export function stateDigest(row: Readonly<Record<StateColumn, unknown>>): string {
  let json = JSON.stringify(STATE_COLUMNS.map((c) => row[c] ?? null));
  // JSON.stringify writes a lone surrogate as a lowercase `\udXXX` escape: only then convert the texts (rare).
  if (/\\ud[89a-f]/.test(json)) json = JSON.stringify(STATE_COLUMNS.map((c) => stored(row[c])));
  return createHash('sha256').update(json).digest('hex');
}

function canonical(e: Omit<ChainedEvent, 'state_digest'>): unknown[] {
  return [e.ticket_id, e.seq, e.action, e.actor_id, e.actor_unit_id, e.from_state, e.to_state, e.input, e.at, e.prev_hash];
}

/** The unkeyed SHA-256 of an event written before the chain was keyed; only the re-keying reads it. */
export function legacyHash(e: Omit<ChainedEvent, 'state_digest'>): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(e)))
    .digest('hex');
}

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * The keyed event chain: each event's hash is an HMAC-SHA256 (key derived from the installation's secret)
 * over its content, the previous event's hash and the digest of the order state it produced, so that an
 * edit cannot be hidden by recomputing hashes without the key.
 */
export class EventChain {
  constructor(private readonly key: Buffer) {}

  /** The installation's chain: its key derived from GRIDVOICE_SECRET (or the data dir's secret.key). */
  static fromSecret(secret: string): EventChain {
    return new EventChain(deriveKey(secret, 'event-chain'));
  }

  /** The keyed hash of an event. */
  hash(e: ChainedEvent): string {
    return createHmac('sha256', this.key)
      .update(JSON.stringify([...canonical(e), e.state_digest]))
      .digest('hex');
  }

  /** Seals an event: the digest of the row it produced and its keyed hash. */
  seal<E extends Omit<ChainedEvent, 'state_digest'>>(
    e: E,
    rowAfter: Readonly<Record<StateColumn, unknown>>,
  ): E & { state_digest: string; hash: string } {
    const sealed = { ...e, state_digest: stateDigest(rowAfter) };
    return { ...sealed, hash: this.hash(sealed) };
  }

  /** A keyed signature over any JSON value (the chain checkpoints). */
  sign(value: unknown): string {
    return createHmac('sha256', this.key).update(JSON.stringify(value)).digest('hex');
  }

  /**
   * Checks an order's events (consecutive seqs from 1, each linked to the previous one and matching its keyed
   * hash) and its row (version, state and head agree with the last event; the row is the state it recorded).
   */
  verify(
    events: ReadonlyArray<ChainedEvent & { hash: string }>,
    row: Readonly<Record<StateColumn, unknown>> & { version: number; state: string; last_event_hash: string },
  ): ChainProblem | null {
    let prev = GENESIS_HASH;
    for (const [i, e] of events.entries()) {
      if (e.seq !== i + 1) return { seq: e.seq, problem: `expected event ${i + 1} (an event is missing)` };
      if (e.prev_hash !== prev) return { seq: e.seq, problem: 'link to the previous event broken' };
      if (e.state_digest === null) return { seq: e.seq, problem: 'written without the key and not re-keyed (run `gridvoice migrate`)' };
      if (this.hash(e) !== e.hash)
        return { seq: e.seq, problem: 'content does not match its keyed hash (edited, or written without the key)' };
      prev = e.hash;
    }
    const last = events.at(-1);
    if (!last) return { seq: 0, problem: 'the order has no events' };
    if (events.length !== row.version)
      return {
        seq: events.length,
        problem: `order version ${row.version} but ${events.length} events (events dropped, or the row rewound)`,
      };
    if (last.to_state !== row.state)
      return { seq: last.seq, problem: `order state ${row.state} differs from the last event's ${last.to_state}` };
    if (prev !== row.last_event_hash) return { seq: last.seq, problem: "order's last hash differs from the chain" };
    if (last.state_digest !== stateDigest(row))
      return { seq: last.seq, problem: 'order row differs from the state its last event recorded (edited outside the workflow)' };
    return null;
  }
}

/** The new link, digest and hash of one event whose chain is re-keyed. */
export interface Reseal {
  id: number;
  prev_hash: string;
  state_digest: string;
  hash: string;
}

/**
 * Plans the re-keying of an order whose chain has events written without the key (before the keyed chain, or
 * by a node one release older during a rolling upgrade). Keyed events must verify with the key, unkeyed ones
 * with the old unkeyed hash, all linked and ending at the row's head; then every unkeyed event is hashed with
 * the key (its successors relinked), the last one committing to the current row and earlier ones to ''
 * (their row states were never recorded). Returns null when there is nothing provable to re-key.
 */
export function planReseal(
  chain: EventChain,
  events: ReadonlyArray<ChainedEvent & { id: number; hash: string }>,
  row: Readonly<Record<StateColumn, unknown>> & { version: number; state: string; last_event_hash: string },
): { reseal: Reseal[]; head: string } | { problem: string } {
  let prevOld = GENESIS_HASH;
  let prevNew = GENESIS_HASH;
  const reseal: Reseal[] = [];
  for (const [i, e] of events.entries()) {
    if (e.seq !== i + 1 || e.prev_hash !== prevOld) return { problem: `event ${e.seq}: chain not contiguous` };
    if (e.state_digest !== null) {
      if (chain.hash(e) !== e.hash || prevNew !== prevOld) return { problem: `event ${e.seq}: keyed hash does not match` };
      prevOld = prevNew = e.hash;
      continue;
    }
    if (legacyHash(e) !== e.hash) return { problem: `event ${e.seq}: unkeyed hash does not match` };
    const state_digest = i === events.length - 1 ? stateDigest(row) : '';
    const hash = chain.hash({ ...e, prev_hash: prevNew, state_digest });
    reseal.push({ id: e.id, prev_hash: prevNew, state_digest, hash });
    prevOld = e.hash;
    prevNew = hash;
  }
  if (events.length !== row.version || prevOld !== row.last_event_hash || events.at(-1)?.to_state !== row.state)
    return { problem: 'the order row does not match the end of its chain' };
  return { reseal, head: prevNew };
}
