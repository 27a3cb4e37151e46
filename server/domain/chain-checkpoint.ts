import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/** One order's chain head as a checkpoint records it. */
export interface Head {
  id: number;
  seq: number;
  number: string;
}

/**
 * Builds a checkpoint over chain heads given in id order: the count of orders and events, a root hash over
 * every (id, seq, number, head hash), and the heads without their hashes (deflated; they name a missing order).
 */
export class CheckpointBuilder {
  private readonly root = createHash('sha256');
  private readonly lines: string[] = [];
  orders = 0;
  events = 0;

  /** Adds the next head; `hash` is the hash of its event `seq`, or null when that event is gone. */
  add(h: Head, hash: string | null): void {
    this.root.update(`${h.id}\t${h.seq}\t${h.number}\t${hash ?? 'missing'}\n`);
    this.lines.push(`${h.id}\t${h.seq}\t${h.number}`);
    this.orders++;
    this.events += h.seq;
  }

  /** The root, the encoded heads and the digest of that encoding (what the signature covers). */
  finish(): { orders: number; events: number; root: string; heads: string; headsDigest: string } {
    const heads = deflateRawSync(this.lines.join('\n')).toString('base64');
    return {
      orders: this.orders,
      events: this.events,
      root: this.root.digest('hex'),
      heads,
      headsDigest: createHash('sha256').update(heads).digest('hex'),
    };
  }
}

/** The heads a checkpoint recorded, in id order. */
export function decodeHeads(heads: string): Head[] {
  const text = inflateRawSync(Buffer.from(heads, 'base64')).toString('utf8');
  if (text === '') return [];
  return text.split('\n').map((line) => {
    const [id, seq, number] = line.split('\t');
    return { id: Number(id), seq: Number(seq), number: number ?? '' };
  });
}

/** What a checkpoint's signature covers: its figures and the previous checkpoint's signature (a chain). */
export function checkpointPayload(
  c: { at: string; orders: number; events: number; root: string; heads_digest: string },
  previousSignature: string | null,
): unknown[] {
  return ['gridvoice-checkpoint-v1', c.at, c.orders, Number(c.events), c.root, c.heads_digest, previousSignature];
}
