import type { Kysely } from 'kysely';
import { CLOCK_LABELS } from '../../core/time-policy.ts';
import type { Database, Ticket } from '../db/schema.ts';
import { type Dialect, forUpdateSkipLocked } from '../db/sql/index.ts';
import { type Clocks, summarize, sweepClocks } from '../domain/clocks.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { applyWithEvent } from '../services/event-writer.ts';
import type { NotificationService } from '../services/notification.service.ts';
import type { TicketHooks } from '../services/ticket-hooks.ts';

const BATCH = 200;

/**
 * The deadline sweeper (DESIGN §5): finds orders whose next check time has come (one indexed range query),
 * records each clock's warning and overdue once as events, urges the unit and escalates overdue orders to
 * leaders. Idempotent: the clocks remember what was recorded, and a concurrent change just retries next pass.
 */
export class Sweeper {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly tickets: TicketRepository,
    private readonly notifications: NotificationService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
  ) {}

  /** One pass; returns how many orders it recorded findings on. */
  async runOnce(): Promise<{ orders: number; warnings: number; overdue: number }> {
    const total = { orders: 0, warnings: 0, overdue: 0 };
    for (;;) {
      const r = await this.batch();
      total.orders += r.orders;
      total.warnings += r.warnings;
      total.overdue += r.overdue;
      if (r.scanned < BATCH) return total;
    }
  }

  private async batch() {
    const now = this.clock();
    const at = iso(now);
    return this.db.transaction().execute(async (trx) => {
      // PostgreSQL: rows another node is sweeping are skipped, so two app processes never double-process.
      const ids = await forUpdateSkipLocked(this.dialect, this.tickets.dueForSweep(at, BATCH, trx)).execute();
      const r = { scanned: ids.length, orders: 0, warnings: 0, overdue: 0 };
      for (const { id } of ids) {
        const t = await this.tickets.find(id, trx);
        if (!t) continue;
        const { clocks, findings } = sweepClocks(JSON.parse(t.clocks) as Clocks, now);
        const summary = summarize(clocks, true);
        if (findings.length === 0) {
          await trx.updateTable('tickets').set({ next_check_at: summary.next_check_at }).where('id', '=', id).execute();
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
            await this.notifications.toUnit(current, 'warning', `${what}即将到期（${f.due}）`, trx, { dedupe });
          } else {
            r.overdue++;
            await this.notifications.toUnit(current, 'overdue', `${what}已超期，请立即处理`, trx, { dedupe });
            await this.notifications.toCompanyRoles(current, ['leader'], 'escalated', `${what}超期，升级提醒`, trx, `esc:${dedupe}`);
          }
        }
      }
      return r;
    });
  }
}
