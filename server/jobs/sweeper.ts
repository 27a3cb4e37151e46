import type { Kysely } from 'kysely';
import { CLOCK_LABELS } from '../../core/time-policy.ts';
import type { Database, Ticket } from '../db/schema.ts';
import type { Dialect } from '../db/sql/index.ts';
import { type Clocks, summarize, sweepClocks } from '../domain/clocks.ts';
import { formatShanghai } from '../domain/local-time.ts';
import { type Clock, iso } from '../lib/time.ts';
import { SweepRepository } from '../repositories/sweep.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { applyWithEvent } from '../services/event-writer.ts';
import type { NotificationService, Recipients } from '../services/notification.service.ts';
import type { TicketHooks } from '../services/ticket-hooks.ts';

/**
 * Orders per transaction. On SQLite a batch holds the only writer (≈ 150 ms for 200 orders with findings), so
 * intake waits at most that long; 1,000 per transaction saved only ~4 % of a backlog pass (fewer commits) for
 * a five times longer wait.
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

  /** One pass; returns how many orders it recorded findings on. */
  async runOnce(): Promise<{ orders: number; warnings: number; overdue: number }> {
    const total = { orders: 0, warnings: 0, overdue: 0 };
    // Each unit's staff and each company's leaders are looked up once per pass, not once per order.
    const recipients: Recipients = new Map();
    for (;;) {
      const r = await this.batch(recipients);
      total.orders += r.orders;
      total.warnings += r.warnings;
      total.overdue += r.overdue;
      if (r.scanned < this.batchSize) return total;
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
      const notices = this.notifications.batch(recipients);
      for (const t of due) {
        const { clocks, findings } = sweepClocks(JSON.parse(t.clocks) as Clocks, now);
        const summary = summarize(clocks, true);
        if (findings.length === 0) {
          reschedule.push({ id: t.id, next_check_at: summary.next_check_at });
          continue;
        }
        r.orders++;
        let current: Ticket = t;
        for (const [i, f] of findings.entries()) {
          const last = i === findings.length - 1;
          const set = last ? { clocks: JSON.stringify(clocks), ...summary } : {};
          // The row is ours for this transaction (locked on PostgreSQL; SQLite has one writer), so the
          // version check cannot fail here; if it ever did, the whole batch rolls back and retries.
          current = await applyWithEvent(this.tickets, this.hooks, trx, current, set, {
            action: f.kind,
            actorId: null,
            actorUnitId: null,
            to: current.state,
            input: { clock: f.clock, due: f.due },
            at,
          });
          const what = `${CLOCK_LABELS[f.clock].zh}时限`;
          const dedupe = `${f.kind}:${t.id}:${f.clock}:${f.due}`;
          if (f.kind === 'warning') {
            r.warnings++;
            // People read the due time as Shanghai wall time ('2026年12月11日 24:00'), never as a UTC instant.
            await notices.toUnit(current, 'warning', `${what}即将到期（${formatShanghai(new Date(f.due))}）`, trx, { dedupe });
          } else {
            r.overdue++;
            await notices.toUnit(current, 'overdue', `${what}已超期，请立即处理`, trx, { dedupe });
            await notices.toCompanyRoles(current, ['leader'], 'escalated', `${what}超期，升级提醒`, trx, `esc:${dedupe}`);
          }
        }
      }
      await this.sweeps.setNextCheck(reschedule, trx);
      await notices.flush(trx);
      return r;
    });
  }
}
