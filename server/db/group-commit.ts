import { CompiledQuery, type Kysely, type Transaction } from 'kysely';
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
 * Group commit: units of work that arrive together run in one transaction, each inside its own savepoint, and
 * each caller is answered only after that transaction commits. A unit that fails rolls back to its savepoint
 * alone and its caller gets its error; the others commit. A commit is the dearest statement of a short write
 * (SQLite appends every page the transaction changed to the WAL; PostgreSQL flushes its log), so one commit
 * for many units instead of one each is where a busy intake gains most.
 *
 * A unit must do all its database work through the `trx` it is given: it runs while the batch holds the
 * connection (SQLite has only one), so a query on the root instance would wait for ever.
 */
export class GroupCommit {
  private queue: Pending[] = [];
  private flushing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 64,
  ) {}

  /** Runs `work` in the next batch; resolves with its result once the batch has committed. */
  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Start after the requests read in this turn of the event loop have queued their units too.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) await this.commit(this.queue.splice(0, this.maxBatch));
    this.flushing = false;
  }

  private async commit(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        if (batch.length === 1) {
          // Alone in its batch: the transaction is the unit's own, as without grouping.
          outcomes.push({ ok: true, value: await (batch[0] as Pending).work(trx) });
          return;
        }
        for (const p of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            const value = await p.work(trx);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      // The commit failed, or the lone unit did: nothing of this batch was written.
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as Outcome;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}
