import type { Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * A kind of derived row that the units of one group commit add up and write once, just before the batch
 * commits (statistics deltas merged by aggregate key, search entries in one multi-row insert). `merge` folds a
 * later value for the same key into the earlier one (which it may change in place).
 */
export interface WriteSink<V> {
  readonly name: string;
  merge(into: V, later: V): V;
  flush(trx: Transaction<Database>, values: V[]): Promise<void>;
}

type Buffers = Map<WriteSink<unknown>, Map<string, unknown>>;

function put(into: Buffers, sink: WriteSink<unknown>, key: string, value: unknown): void {
  let m = into.get(sink);
  if (!m) {
    m = new Map();
    into.set(sink, m);
  }
  const cur = m.get(key);
  m.set(key, cur === undefined ? value : sink.merge(cur, value));
}

/** The deferred writes of one batch: the running unit's own, and those of the units that succeeded before it. */
export class BatchWrites {
  private readonly done: Buffers = new Map();
  private unit: Buffers = new Map();

  /** Starts a unit: what it defers is kept apart until it succeeds. */
  beginUnit(): void {
    this.unit = new Map();
  }

  /** The unit succeeded (its savepoint was released): its writes join the batch's. */
  keepUnit(): void {
    for (const [sink, m] of this.unit) for (const [k, v] of m) put(this.done, sink, k, v);
    this.unit = new Map();
  }

  /** The unit rolled back to its savepoint: its writes are dropped with it. */
  dropUnit(): void {
    this.unit = new Map();
  }

  add<V>(sink: WriteSink<V>, key: string, value: V): void {
    put(this.unit, sink as WriteSink<unknown>, key, value);
  }

  /** Writes every sink's merged rows in the batch's transaction; called once, before the commit. */
  async flush(trx: Transaction<Database>): Promise<void> {
    for (const [sink, m] of this.done) if (m.size) await sink.flush(trx, [...m.values()]);
    this.done.clear();
  }
}

// The batch a group-commit transaction is running; absent for every other transaction.
const active = new WeakMap<Transaction<Database>, BatchWrites>();

/** Marks `trx` as a transaction whose derived rows wait for `writes.flush` (a group commit's batch). */
export function attachBatch(trx: Transaction<Database>, writes: BatchWrites): void {
  active.set(trx, writes);
}

/**
 * Runs `work` (many order changes in `trx`, such as one sweeper batch) with the derived rows it defers merged and
 * written once when it is done, still inside `trx`. Inside a group commit's batch the rows simply join the
 * batch's, which writes them before its commit.
 */
export async function deferringWrites<T>(trx: Transaction<Database>, work: () => Promise<T>): Promise<T> {
  if (active.has(trx)) return work();
  const writes = new BatchWrites();
  attachBatch(trx, writes);
  try {
    writes.beginUnit();
    const value = await work();
    writes.keepUnit();
    await writes.flush(trx);
    return value;
  } finally {
    active.delete(trx);
  }
}

/**
 * Defers a derived row to the end of the batch that `trx` runs (a group commit's, or a `deferringWrites` block),
 * if it runs one; returns false otherwise (the caller writes at once). Deferred rows are written inside the same
 * transaction before its commit, so an order and what derives from it still commit together; only reads of those
 * rows later in the same batch would miss them, and no unit of a batch reads them.
 */
export function deferWrite<V>(trx: unknown, sink: WriteSink<V>, key: string, value: V): boolean {
  const w = active.get(trx as Transaction<Database>);
  if (!w) return false;
  w.add(sink, key, value);
  return true;
}
