import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
import { attachBatch, BatchWrites } from './batch-writes.ts';
import type { Database } from './schema.ts';

type Work<T> = (trx: Transaction<Database>) => Promise<T>;

interface Pending {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const SAVEPOINT = CompiledQuery.raw('savepoint group_unit');
const RELEASE = CompiledQuery.raw('release savepoint group_unit');
const ROLLBACK_TO = CompiledQuery.raw('rollback to savepoint group_unit');

/**
 * Group commit: units of work that arrive together run in one transaction, and each caller is answered only after
 * that transaction commits. A unit that fails is undone alone and its caller gets its error; the others commit
 * (the batch then runs again with a savepoint per unit, see commitRetrying: a unit may run twice, so it must do
 * nothing but database work through its `trx` and pure computation). A commit is the dearest statement of a short write
 * (SQLite appends every page the transaction changed to the WAL; PostgreSQL flushes its log), so one commit
 * for many units instead of one each is where a busy intake gains most.
 *
 * A unit must do all its database work through the `trx` it is given: it runs while the batch holds the
 * connection (SQLite has only one), so a query on the root instance would wait for ever.
 *
 * Derived rows that many units touch (statistics deltas, search entries) are deferred through `deferWrite` and
 * written once per batch, merged, just before the commit (see batch-writes.ts): per-order statements become
 * per-batch ones, and the same hot statistics row is updated once instead of once per order.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  private running = 0;

  /**
   * `lanes`: how many batches may run at once, each in its own transaction on its own connection (PostgreSQL; on
   * SQLite, with its one connection, one). Several lanes keep the server busy while one batch waits for the
   * database's round trips and its commit.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 64,
    private readonly lanes = 1,
  ) {}

  /** Runs `work` in the next batch; resolves with its result once the batch has committed. */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * Starts the next batch after the requests read in this turn of the event loop have queued their units too. A lane
   * that finishes also waits that one turn: the requests that arrived while its batch ran join the next batch
   * instead of the one after it (bigger batches, fewer commits, no longer wait).
   */
  private schedule(): void {
    if (this.scheduled || this.running >= this.lanes || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  /** Starts batches while lanes are free. */
  private drain(): void {
    while (this.queue.length > 0 && this.running < this.lanes) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.running++;
      void this.commitRetrying(batch).finally(() => {
        this.running--;
        this.schedule();
      });
    }
  }

  /**
   * A batch first runs its units one after another with no savepoints (two statements fewer per unit); should one
   * of them fail, the whole transaction is rolled back and the batch runs again with a savepoint per unit, so that
   * only the failing unit's work is undone. Batches on parallel lanes (or other nodes) can also deadlock on a shared
   * row: PostgreSQL aborts the transaction, nothing of it is written, and the batch runs once more.
   */
  private async commitRetrying(batch: Pending[]): Promise<void> {
    let r = await this.commit(batch, false, true);
    if (r === 'unit_failed') r = await this.commit(batch, true, true);
    if (r === 'conflict') await this.commit(batch, true, false);
  }

  /** Runs and commits one batch and answers its callers, unless it says why it should run again. */
  private async commit(batch: Pending[], savepoints: boolean, mayRetry: boolean): Promise<'done' | 'unit_failed' | 'conflict'> {
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        const writes = new BatchWrites();
        attachBatch(trx, writes);
        if (!savepoints || batch.length === 1) {
          // Alone in its batch, a unit's transaction is its own, as without grouping: its failure is its caller's.
          for (const p of batch) {
            writes.beginUnit();
            try {
              outcomes.push({ ok: true, value: await p.work(trx) });
            } catch (error) {
              if (batch.length === 1) throw error;
              throw new UnitFailed();
            }
            writes.keepUnit();
          }
        } else {
          for (const p of batch) {
            // A unit chosen as a deadlock's victim is rolled back to its savepoint and run once more.
            for (let attempt = 0; ; attempt++) {
              await trx.executeQuery(SAVEPOINT);
              writes.beginUnit();
              try {
                const value = await p.work(trx);
                await trx.executeQuery(RELEASE);
                writes.keepUnit();
                outcomes.push({ ok: true, value });
                break;
              } catch (error) {
                writes.dropUnit();
                await trx.executeQuery(ROLLBACK_TO);
                await trx.executeQuery(RELEASE);
                if (attempt === 0 && isConflict(error)) continue;
                outcomes.push({ ok: false, error });
                break;
              }
            }
          }
        }
        // Still inside the transaction: the orders and their derived rows commit together or not at all.
        await writes.flush(trx);
      });
    } catch (error) {
      // Nothing of this batch was written.
      if (error instanceof UnitFailed) return 'unit_failed';
      if (mayRetry && isConflict(error)) return 'conflict';
      for (const p of batch) p.reject(error);
      return 'done';
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
    return 'done';
  }
}

/** A unit of a batch run without savepoints failed: the batch is rolled back and run again with them. */
class UnitFailed extends Error {}

/** PostgreSQL's deadlock_detected and serialization_failure: the transaction was aborted and may simply run again. */
function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
