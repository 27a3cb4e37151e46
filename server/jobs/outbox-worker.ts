import { randomUUID } from 'node:crypto';
import type { OutboxRow } from '../db/schema.ts';
import { backoffMs } from '../domain/message-templates.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OutboxRepository } from '../repositories/outbox.repository.ts';
import { type OutboxChannel, SEND_TIMEOUT_MS, type Transport } from './transports.ts';

const BATCH = 20;
/**
 * How many sends of a batch are in flight at once. A slow receiver (each answer taking a fraction of a second)
 * otherwise holds the whole outbox behind one send at a time.
 */
export const OUTBOX_LANES = 4;
/**
 * How long a claim holds a message; a worker that dies mid-send loses it after this and another resends. The
 * lease is renewed just before each send, so it must outlast one send (a transport gives up after
 * SEND_TIMEOUT_MS), not a whole batch: twenty sends to a receiver that times out take 200 s.
 */
export const LEASE_MS = 60_000;

// Twice the longest send: a renewed lease never runs out while its send is still in flight.
if (LEASE_MS < 2 * SEND_TIMEOUT_MS) throw new Error('the outbox lease must outlast two sends');

export interface OutboxWorkerOptions {
  maxAttempts: number;
  backoffMs: number;
}

/**
 * Delivers the outbox at least once: claim (attempt counted, lease set, committed) → send → settle. A crash
 * between send and settle leaves the claim to expire, and the next pass sends again under the same delivery id,
 * which receivers use to de-duplicate. Failures retry with exponential backoff; after `maxAttempts` the message
 * becomes a dead letter that an admin can put back.
 */
export class OutboxWorker {
  readonly id = randomUUID();

  constructor(
    private readonly repo: OutboxRepository,
    private readonly transports: Record<OutboxChannel, Transport>,
    private readonly clock: Clock,
    private readonly opts: OutboxWorkerOptions,
  ) {}

  /** Claims one batch of due messages (public so tests can stop between claim and send, like a crash). */
  claim(limit = BATCH): Promise<OutboxRow[]> {
    const now = this.clock();
    return this.repo.claim(iso(now), iso(new Date(now.getTime() + LEASE_MS)), limit);
  }

  /**
   * Sends one claimed message and records the outcome; 'skipped' when the claim is no longer ours (taken over
   * after its lease ran out while earlier messages of the batch were sent, or already delivered).
   */
  async deliver(m: OutboxRow): Promise<'sent' | 'retry' | 'dead' | 'skipped'> {
    const transport = this.transports[m.channel as OutboxChannel];
    const at = this.clock();
    if (!(await this.repo.renew(m.id, m.attempts, iso(new Date(at.getTime() + LEASE_MS)), iso(at)))) return 'skipped';
    try {
      if (!transport) throw new Error(`no transport for channel ${m.channel}`);
      await transport.send(m);
    } catch (err) {
      return this.failed(m, err);
    }
    await this.recordSent(m);
    return 'sent';
  }

  /**
   * Records a delivery that went out. While the database is unreachable (a restart, a failover) it tries again
   * within the lease, which nobody else can take meanwhile: a delivery left unrecorded would be sent again.
   */
  private async recordSent(m: OutboxRow): Promise<void> {
    const until = Date.now() + LEASE_MS / 2;
    for (;;) {
      try {
        await this.repo.settle(m.id, m.attempts, { status: 'sent', at: iso(this.clock()) });
        return;
      } catch (err) {
        if (Date.now() >= until) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  /** Records a failed send: retried with backoff, or a dead letter after the last attempt. */
  private async failed(m: OutboxRow, err: unknown): Promise<'retry' | 'dead'> {
    const now = this.clock();
    const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
    if (m.attempts >= this.opts.maxAttempts) {
      await this.repo.settle(m.id, m.attempts, { status: 'dead', at: iso(now), error });
      return 'dead';
    }
    const next = iso(new Date(now.getTime() + backoffMs(m.attempts, this.opts.backoffMs)));
    await this.repo.settle(m.id, m.attempts, { status: 'pending', at: iso(now), nextAttemptAt: next, error });
    return 'retry';
  }

  /**
   * Delivers everything due now, batch after batch; returns the counts. A batch goes out in lanes, each lane
   * taking whole orders, so one order's messages still leave in the order they were written.
   */
  async runOnce(): Promise<{ sent: number; retry: number; dead: number }> {
    const total = { sent: 0, retry: 0, dead: 0 };
    for (;;) {
      const batch = await this.claim();
      await inLanes(byOrder(batch), OUTBOX_LANES, async (messages) => {
        for (const m of messages) {
          const outcome = await this.deliver(m);
          if (outcome !== 'skipped') total[outcome]++;
        }
      });
      if (batch.length < BATCH) return total;
    }
  }
}

/** The batch's messages grouped by order (a message without one is its own group), each group in claim order. */
function byOrder(batch: readonly OutboxRow[]): OutboxRow[][] {
  const groups = new Map<string, OutboxRow[]>();
  for (const m of batch) {
    const key = m.ticket_id === null ? `message ${m.id}` : `order ${m.ticket_id}`;
    const group = groups.get(key);
    if (group) group.push(m);
    else groups.set(key, [m]);
  }
  return [...groups.values()];
}

/** Runs `work` over the items with at most `lanes` of them in flight; rejects with the first failure. */
async function inLanes<T>(items: readonly T[], lanes: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(lanes, items.length) }, lane));
}
