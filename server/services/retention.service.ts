import { type Clock, iso } from '../lib/time.ts';
import type { RetentionRepository } from '../repositories/retention.repository.ts';

/** Days to keep each kind of row (0: keep for ever). Events and orders are never cleaned. */
export interface RetentionConfig {
  readonly outboxDays: number;
  readonly notificationDays: number;
  readonly idempotencyDays: number;
}

const DAY = 86_400_000;
/** A pass at most this often: the deletes are indexed but need not run on every job tick. */
const EVERY_MS = 3_600_000;

/** The periodic clean-up of delivered outbox rows, read notifications and idempotency keys. */
export class RetentionService {
  private lastRun = 0;

  constructor(
    private readonly repo: RetentionRepository,
    private readonly config: RetentionConfig,
    private readonly clock: Clock,
  ) {}

  /** Deletes what is past its retention now; returns the counts. */
  async run(): Promise<{ outbox: number; notifications: number; idempotencyKeys: number }> {
    const now = this.clock().getTime();
    const before = (days: number) => iso(new Date(now - days * DAY));
    const c = this.config;
    return {
      outbox: c.outboxDays > 0 ? await this.repo.deliveredOutbox(before(c.outboxDays)) : 0,
      notifications: c.notificationDays > 0 ? await this.repo.readNotifications(before(c.notificationDays)) : 0,
      idempotencyKeys: c.idempotencyDays > 0 ? await this.repo.idempotencyKeys(before(c.idempotencyDays)) : 0,
    };
  }

  /** The job: a pass when an hour has gone by since the last one. */
  async runIfDue(): Promise<unknown> {
    const now = this.clock().getTime();
    if (now - this.lastRun < EVERY_MS) return null;
    this.lastRun = now;
    return this.run();
  }
}
