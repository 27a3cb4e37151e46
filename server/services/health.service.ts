import type { Db } from '../db/connect.ts';
import { ping } from '../db/sql/index.ts';

/** Readiness: whether the database answers, and which one it is. */
export class HealthService {
  constructor(private readonly db: Db) {}

  get dialect(): Db['dialect'] {
    return this.db.dialect;
  }

  /** Resolves when the database answers a trivial query, rejects otherwise. */
  async ping(): Promise<void> {
    await ping(this.db.kysely);
  }
}
