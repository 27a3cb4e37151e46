import { sql } from 'kysely';
import type { Db } from '../db/connect.ts';

/** Readiness: whether the database answers, and which one it is. */
export class HealthService {
  constructor(private readonly db: Db) {}

  get dialect(): Db['dialect'] {
    return this.db.dialect;
  }

  /** Resolves when the database answers a trivial query, rejects otherwise. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db.kysely);
  }
}
