import pino from 'pino';
import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { OutboxWorker } from '../jobs/outbox-worker.ts';
import { PlannerStatistics } from '../jobs/planner-statistics.ts';
import { JobRunner } from '../jobs/runner.ts';
import { Sweeper } from '../jobs/sweeper.ts';
import { transportsFrom } from '../jobs/transports.ts';
import type { Clock } from '../lib/time.ts';
import { NotificationRepository } from '../repositories/notification.repository.ts';
import { Open311Repository } from '../repositories/open311.repository.ts';
import { OrgRepository } from '../repositories/org.repository.ts';
import { OutageRepository } from '../repositories/outage.repository.ts';
import { OutboxRepository } from '../repositories/outbox.repository.ts';
import { PortalRepository } from '../repositories/portal.repository.ts';
import { RectificationRepository } from '../repositories/rectification.repository.ts';
import { ReferenceRepository } from '../repositories/reference.repository.ts';
import { ScriptRepository } from '../repositories/script.repository.ts';
import { StatsRepository } from '../repositories/stats.repository.ts';
import { TextRepository } from '../repositories/text.repository.ts';
import { TicketRepository } from '../repositories/ticket.repository.ts';
import { UserRepository } from '../repositories/user.repository.ts';
import { AttachmentService } from './attachment.service.ts';
import { AuthService } from './auth.service.ts';
import { BulletinService } from './bulletin.service.ts';
import { IntakeService } from './intake.service.ts';
import { NotificationService } from './notification.service.ts';
import { Open311Service } from './open311.service.ts';
import { OrderImportService } from './order-import.service.ts';
import { OrgService } from './org.service.ts';
import { OutageService } from './outage.service.ts';
import { OutboxService } from './outbox.service.ts';
import { PortalService } from './portal.service.ts';
import { RectificationService } from './rectification.service.ts';
import { ReferenceService } from './reference.service.ts';
import { ScriptService } from './script.service.ts';
import { SearchService } from './search.service.ts';
import { StatsService } from './stats.service.ts';
import { StatsReportService } from './stats-reports.service.ts';
import { TextService } from './text.service.ts';
import { TicketHooks } from './ticket-hooks.ts';
import { TicketQueryService } from './ticket-query.service.ts';
import { UserService } from './user.service.ts';
import { WorkflowService } from './workflow.service.ts';

/** Every service, wired once per process (or per test) over one database. */
export function createServices(db: Db, config: Config, clock: Clock) {
  const k = db.kysely;
  const repos = {
    org: new OrgRepository(k),
    users: new UserRepository(k),
    reference: new ReferenceRepository(k),
    tickets: new TicketRepository(k),
    notifications: new NotificationRepository(k),
  };
  // Derived data (search index, statistics) registers here and stays in step inside each transaction.
  const plannerStats = new PlannerStatistics(k, db.dialect, clock);
  const hooks = new TicketHooks();
  // A unit an order leaves keeps seeing it; the mark lets its lists find such orders (ticket.repository listBranches).
  hooks.add(async (trx, { before, after }) => {
    if (before && before.unit_id !== after.unit_id) await repos.tickets.moveUnit(after.id, before.unit_id, after.unit_id, trx);
  });
  const reference = new ReferenceService(repos.reference, clock);
  const notifications = new NotificationService(repos.notifications, repos.org, clock);
  const intake = new IntakeService(k, repos.tickets, repos.org, reference, notifications, hooks, clock, config.secret);
  const tickets = new TicketQueryService(repos.tickets, repos.org, reference, clock, intake.key);
  // Search index and class-model bookkeeping follow every order change (issue 8).
  const textRepo = new TextRepository(k, db.dialect, repos.tickets);
  const search = new SearchService(textRepo, repos.org);
  const text = new TextService(textRepo, repos.org, reference, clock);
  hooks.add(search.indexer);
  hooks.add(text.closeCounter);
  const workflow = new WorkflowService(k, repos.tickets, repos.org, reference, notifications, hooks, clock);
  const sweeper = new Sweeper(k, db.dialect, repos.tickets, notifications, hooks, clock);
  // Customer channels (issue 6): outbox messages are queued inside each order-change transaction.
  const outboxRepo = new OutboxRepository(k, db.dialect);
  const outbox = new OutboxService(k, outboxRepo, repos.org, tickets, config.channels.notify, clock, config.secret);
  hooks.add((trx, change) => outbox.onTicketChange(trx, change));
  // Jobs log through pino like the requests do, at the configured level (JSON lines, never raw console dumps).
  const jobLog = pino({ level: config.logLevel, base: { component: 'jobs' } });
  const outboxWorker = new OutboxWorker(
    outboxRepo,
    transportsFrom(config.channels.notify, { clock, log: jobLog, notifications: repos.notifications }),
    clock,
    config.channels.notify,
  );
  const attachments = new AttachmentService(k, repos.tickets, tickets, hooks, clock, config.dataDir);
  // Statistics aggregates (kept in step by a ticket hook), reports, bulletins and rectification orders (issue 5).
  const statsRepo = new StatsRepository(k, db.dialect);
  const stats = new StatsService(statsRepo, repos.org, reference, clock, hooks);
  const rectifications = new RectificationService(
    k,
    new RectificationRepository(k),
    repos.tickets,
    repos.org,
    statsRepo,
    repos.notifications,
    reference,
    clock,
    config.dataDir,
  );
  const auth = new AuthService(repos.users, config, clock);
  return {
    db,
    config,
    clock,
    repos,
    hooks,
    reference,
    notifications,
    intake,
    tickets,
    sweeper,
    search,
    text,
    jobs: new JobRunner(
      sweeper,
      config.sweeperIntervalMs,
      jobLog,
      [
        { name: 'search backfill', run: () => search.backfillOnce() },
        { name: 'class model retrain', run: () => text.retrainStale() },
        { name: 'rectification deadlines', run: () => rectifications.sweep() },
        { name: 'planner statistics', run: () => plannerStats.runIfDue() },
      ],
      { intervalMs: config.channels.notify.intervalMs, runOnce: () => outboxWorker.runOnce() },
    ),
    auth,
    org: new OrgService(k, repos.org, clock),
    users: new UserService(k, repos.users, repos.org, clock),
    workflow,
    // Reply scripts, outage events and the import of historical orders (issue 8).
    scripts: new ScriptService(new ScriptRepository(k), repos.tickets, repos.org, reference, clock),
    outages: new OutageService(k, new OutageRepository(k, repos.tickets), repos.tickets, repos.org, workflow, reference, hooks, clock),
    orderImport: new OrderImportService(k, repos.tickets, repos.org, reference, hooks, clock),
    attachments,
    stats,
    statsReports: new StatsReportService(stats, repos.tickets, k),
    bulletins: new BulletinService(k, stats, statsRepo, repos.org, rectifications),
    rectifications,
    outbox,
    outboxWorker,
    portal: new PortalService(
      k,
      new PortalRepository(k),
      repos.tickets,
      intake,
      workflow,
      attachments,
      tickets,
      outbox,
      reference,
      hooks,
      config.channels.portal,
      clock,
      config.secret,
    ),
    open311: new Open311Service(new Open311Repository(k, repos.tickets), repos.org, reference, intake, auth, clock, config.secret),
  };
}

export type Services = ReturnType<typeof createServices>;
