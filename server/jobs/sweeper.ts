import type { Kysely } from 'kysely';
import { CLOCK_LABELS } from '../../core/time-policy.ts';
import type { Database } from '../db/schema.ts';
import type { Dialect } from '../db/sql/index.ts';
import { type Clocks, type SweepFinding, summarize, sweepClocks } from '../domain/clocks.ts';
import { formatShanghai } from '../domain/local-time.ts';
import { type Clock, iso } from '../lib/time.ts';
import { SweepRepository } from '../repositories/sweep.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { applyAllWithEvents, type OrderChanges } from '../services/event-writer.ts';
import type { NotificationService, Recipients } from '../services/notification.service.ts';
import type { TicketHooks } from '../services/ticket-hooks.ts';

/**
 * Orders per transaction. On SQLite a batch holds the only writer (up to ≈ 180 ms for 200 orders with findings
 * at 1M orders), so intake waits at most that long; 1,000 per transaction saved only ~4 % of a backlog pass
 * (fewer commits) for a five times longer wait.
 */
const BATCH = 200;

/**
 * The deadline sweeper: finds orders whose next check time has come (one indexed range query),
 * records each clock's warning and overdue once as events, urges the unit and escalates overdue orders to
 * leaders. Idempotent: the clocks remember what was recorded, and a concurrent change just retries next pass.
 */
export class Sweeper {
  private readonly sweeps: SweepRepository;
  private readonly batchSize: number;

  constructor(
    private readonly db: Kysely<Database>,
    dialect: Dialect,
    private readonly tickets: TicketRepository,
    private readonly notifications: NotificationService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
    opts: { batchSize?: number } = {},
  ) {
    this.sweeps = new SweepRepository(db, dialect);
    this.batchSize = opts.batchSize ?? BATCH;
  }

  /** How the last pass went: its batches (transactions) and the longest one, which intake waited behind on SQLite. */
  lastPass = { batches: 0, longestBatchMs: 0 };

  /** One pass; returns how many orders it recorded findings on. */
  async runOnce(): Promise<{ orders: number; warnings: number; overdue: number }> {
    const total = { orders: 0, warnings: 0, overdue: 0 };
    const pass = { batches: 0, longestBatchMs: 0 };
    // Each unit's staff and each company's leaders are looked up once per pass, not once per order.
    const recipients: Recipients = new Map();
    try {
      for (;;) {
        const started = performance.now();
        const r = await this.batch(recipients);
        pass.batches++;
        pass.longestBatchMs = Math.max(pass.longestBatchMs, performance.now() - started);
        total.orders += r.orders;
        total.warnings += r.warnings;
        total.overdue += r.overdue;
        if (r.scanned < this.batchSize) return total;
      }
    } finally {
      this.lastPass = pass;
    }
  }

  private async batch(recipients: Recipients) {
    const now = this.clock();
    const at = iso(now);
    // One transaction per batch: the findings, their events, the hooks' derived rows and the notices stand or
    // fall together.
    return this.db.transaction().execute(async (trx) => {
      // PostgreSQL: rows another node is sweeping are skipped, so two app processes never double-process.
      const due = await this.sweeps.due(at, this.batchSize, trx);
      const r = { scanned: due.length, orders: 0, warnings: 0, overdue: 0 };
      const reschedule: Array<{ id: number; next_check_at: string | null }> = [];
      const orders: OrderChanges[] = [];
      const found: SweepFinding[][] = [];
      for (const t of due) {
        const { clocks, findings } = sweepClocks(JSON.parse(t.clocks) as Clocks, now);
        const summary = summarize(clocks, true);
        if (findings.length === 0) {
          reschedule.push({ id: t.id, next_check_at: summary.next_check_at });
          continue;
        }
        // One event per finding; the last one also writes the clocks that remember them.
        const last = findings.length - 1;
        orders.push({
          ticket: t,
          changes: findings.map((f, i) => ({
            set: i === last ? { clocks: JSON.stringify(clocks), ...summary } : {},
            event: { action: f.kind, actorId: null, actorUnitId: null, to: t.state, input: { clock: f.clock, due: f.due }, at },
          })),
        });
        found.push(findings);
      }
      // Every finding of the batch sealed in code and written in a few statements. The rows are ours for this
      // transaction (locked on PostgreSQL; SQLite has one writer), so the version check cannot fail here; if it
      // ever did, the whole batch rolls back and its orders are swept again next pass.
      const after = await applyAllWithEvents(this.tickets, this.hooks, trx, orders);
      const notices = this.notifications.batch(recipients);
      for (const [i, t] of after.entries()) {
        r.orders++;
        for (const f of found[i] as SweepFinding[]) {
          const what = `${CLOCK_LABELS[f.clock].zh}时限`;
          const dedupe = `${f.kind}:${t.id}:${f.clock}:${f.due}`;
          if (f.kind === 'warning') {
            r.warnings++;
            // People read the due time as Shanghai wall time ('2026年12月11日 24:00'), never as a UTC instant.
            await notices.toUnit(t, 'warning', `${what}即将到期（${formatShanghai(new Date(f.due))}）`, trx, { dedupe });
          } else {
            r.overdue++;
            await notices.toUnit(t, 'overdue', `${what}已超期，请立即处理`, trx, { dedupe });
            await notices.toCompanyRoles(t, ['leader'], 'escalated', `${what}超期，升级提醒`, trx, `esc:${dedupe}`);
          }
        }
      }
      await this.sweeps.setNextCheck(reschedule, trx);
      await notices.flush(trx);
      return r;
    });
  }
}
