import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Rows per DELETE: each statement stays short, so it never holds a writer (SQLite) or locks (PostgreSQL) for long. */
const BATCH = 1000;

/** Deletes of rows past their retention: delivered outbox messages, read notifications, idempotency keys. */
export class RetentionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Delivered outbox messages sent before `before`; returns how many. */
  deliveredOutbox(before: string): Promise<number> {
    return this.drain((k) =>
      k
        .deleteFrom('outbox')
        .where('id', 'in', (s) =>
          s.selectFrom('outbox').select('id').where('status', '=', 'sent').where('sent_at', '<', before).limit(BATCH),
        )
        .executeTakeFirst(),
    );
  }

  /** Notifications read before `before`. */
  readNotifications(before: string): Promise<number> {
    return this.drain((k) =>
      k
        .deleteFrom('notifications')
        .where('id', 'in', (s) => s.selectFrom('notifications').select('id').where('read_at', '<', before).limit(BATCH))
        .executeTakeFirst(),
    );
  }

  /** Idempotency keys recorded before `before`. */
  idempotencyKeys(before: string): Promise<number> {
    return this.drain((k) =>
      k
        .deleteFrom('idempotency_keys')
        .where((eb) =>
          eb(
            eb.refTuple('actor_key', 'key'),
            'in',
            eb
              .selectFrom('idempotency_keys')
              .select(['actor_key', 'key'])
              .where('created_at', '<', before)
              .limit(BATCH)
              .$asTuple('actor_key', 'key'),
          ),
        )
        .executeTakeFirst(),
    );
  }

  private async drain(step: (k: Kysely<Database>) => Promise<{ numDeletedRows: bigint }>): Promise<number> {
    let total = 0;
    for (;;) {
      const n = Number((await step(this.db)).numDeletedRows);
      total += n;
      if (n < BATCH) return total;
    }
  }
}
