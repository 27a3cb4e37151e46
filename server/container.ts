import pino from 'pino';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import { withAdvisoryLock } from './db/sql/advisory-lock.ts';
import { EventChain } from './domain/event-chain.ts';
import { OutboxWorker } from './jobs/outbox-worker.ts';
import { PlannerStatistics } from './jobs/planner-statistics.ts';
import { JobRunner } from './jobs/runner.ts';
import { Sweeper } from './jobs/sweeper.ts';
import { transportsFrom } from './jobs/transports.ts';
import { loggerOptions } from './lib/log-redact.ts';
import type { Clock } from './lib/time.ts';
import { AttachmentRepository } from './repositories/attachment.repository.ts';
import { ChainRepository } from './repositories/chain.repository.ts';
import { CustomerRepository } from './repositories/customer.repository.ts';
import { ImportJobRepository } from './repositories/import-job.repository.ts';
import { KpiTargetRepository } from './repositories/kpi-target.repository.ts';
import { NotificationRepository } from './repositories/notification.repository.ts';
import { Open311Repository } from './repositories/open311.repository.ts';
import { OrgRepository } from './repositories/org.repository.ts';
import { OutageRepository } from './repositories/outage.repository.ts';
import { OutboxRepository } from './repositories/outbox.repository.ts';
import { PortalRepository } from './repositories/portal.repository.ts';
import { RectificationRepository } from './repositories/rectification.repository.ts';
import { ReferenceRepository } from './repositories/reference.repository.ts';
import { RetentionRepository } from './repositories/retention.repository.ts';
import { ScriptRepository } from './repositories/script.repository.ts';
import { SearchRepository } from './repositories/search.repository.ts';
import { StatsRepository } from './repositories/stats.repository.ts';
import { StatsTicketRepository } from './repositories/stats-ticket.repository.ts';
import { TextRepository } from './repositories/text.repository.ts';
import { TicketRepository } from './repositories/ticket.repository.ts';
import { TicketLinkRepository } from './repositories/ticket-link.repository.ts';
import { TicketListRepository } from './repositories/ticket-list.repository.ts';
import { TicketProtectionRepository } from './repositories/ticket-protection.repository.ts';
import { UserRepository } from './repositories/user.repository.ts';
import { AttachmentService } from './services/attachment.service.ts';
import { AuthService } from './services/auth.service.ts';
import { BulletinService } from './services/bulletin.service.ts';
import { ChainService } from './services/chain.service.ts';
import { TicketExportService } from './services/export/ticket-export.ts';
import { HealthService } from './services/health.service.ts';
import { IntakeService } from './services/intake.service.ts';
import { KpiService } from './services/kpi.service.ts';
import { NotificationService } from './services/notification.service.ts';
import { Open311Service } from './services/open311.service.ts';
import { OrderImportService } from './services/order-import.service.ts';
import { OrgService } from './services/org.service.ts';
import { OutageService } from './services/outage.service.ts';
import { OutboxService } from './services/outbox.service.ts';
import { PortalService } from './services/portal.service.ts';
import { RectificationService } from './services/rectification.service.ts';
import { ReferenceService } from './services/reference.service.ts';
import { RetentionService } from './services/retention.service.ts';
import { ScriptService } from './services/script.service.ts';
import { SearchService } from './services/search.service.ts';
import { StatsService } from './services/stats.service.ts';
import { StatsReportService } from './services/stats-reports.service.ts';
import { TextService } from './services/text.service.ts';
import { TicketFilterService } from './services/ticket-filter.ts';
import { TicketHooks } from './services/ticket-hooks.ts';
import { TicketQueryService } from './services/ticket-query.service.ts';
import { UserService } from './services/user.service.ts';
import { WorkflowService } from './services/workflow.service.ts';
import { createFileStore } from './storage/index.ts';

/** How many intake batches commit at once on PostgreSQL (of the pool's 10 connections). */
const INTAKE_LANES = 4;

/**
 * The composition root: every repository, service and job, wired once per process (or per test) over one database.
 * Services never build each other or the jobs; they receive what they use here, and so do the jobs and the routes.
 */
export function createServices(db: Db, config: Config, clock: Clock) {
  const k = db.kysely;
  const repos = {
    org: new OrgRepository(k),
    users: new UserRepository(k),
    reference: new ReferenceRepository(k),
    tickets: new TicketRepository(k),
    ticketLists: new TicketListRepository(k),
    ticketLinks: new TicketLinkRepository(k),
    ticketProtection: new TicketProtectionRepository(k),
    customers: new CustomerRepository(k),
    outages: new OutageRepository(k),
    attachments: new AttachmentRepository(k),
    notifications: new NotificationRepository(k),
  };
  // Derived data (search index, statistics) registers here and stays in step inside each transaction.
  const plannerStats = new PlannerStatistics(k, db.dialect, clock);
  // Every order change is sealed into its keyed event chain (HMAC, key derived from the secret).
  const hooks = new TicketHooks(EventChain.fromSecret(config.secret));
  // A unit an order leaves keeps seeing it; the mark lets its lists find such orders (ticket-list.repository listBranches).
  hooks.add(async (trx, { before, after }) => {
    if (before && before.unit_id !== after.unit_id) await repos.tickets.moveUnit(after.id, before.unit_id, after.unit_id, trx);
  });
  const reference = new ReferenceService(repos.reference, clock, k);
  const notifications = new NotificationService(repos.notifications, repos.org, clock);
  // PostgreSQL: intakes commit on several lanes (connections) at once.
  const intake = new IntakeService(
    k,
    repos.tickets,
    repos.customers,
    repos.ticketLinks,
    repos.ticketProtection,
    repos.outages,
    repos.org,
    reference,
    notifications,
    hooks,
    clock,
    config.secret,
    { lanes: db.dialect === 'postgres' ? INTAKE_LANES : 1 },
  );
  const tickets = new TicketQueryService(
    repos.tickets,
    repos.ticketLists,
    repos.ticketLinks,
    repos.ticketProtection,
    repos.attachments,
    repos.org,
    reference,
    clock,
    intake.key,
  );
  // Search index and class-model bookkeeping follow every order change.
  const search = new SearchService(new SearchRepository(k, db.dialect), repos.org, undefined, clock);
  const text = new TextService(new TextRepository(k), repos.org, reference, clock);
  hooks.add(search.indexer);
  hooks.add(text.closeCounter);
  const workflow = new WorkflowService(
    k,
    repos.tickets,
    repos.ticketLinks,
    repos.ticketProtection,
    repos.org,
    reference,
    notifications,
    hooks,
    clock,
  );
  const sweeper = new Sweeper(k, db.dialect, repos.tickets, notifications, hooks, clock);
  // Customer channels: outbox messages are queued inside each order-change transaction.
  const outboxRepo = new OutboxRepository(k, db.dialect);
  const outbox = new OutboxService(k, outboxRepo, repos.org, tickets, config.channels.notify, clock, config.secret);
  hooks.addBatched((trx, changes) => outbox.onTicketChanges(trx, changes));
  // Jobs log through pino like the requests do, at the configured level (JSON lines, never raw console dumps).
  const jobLog = pino({ ...loggerOptions(config.logLevel), base: { component: 'jobs' } });
  const outboxWorker = new OutboxWorker(
    outboxRepo,
    transportsFrom(config.channels.notify, { clock, log: jobLog, notifications: repos.notifications }),
    clock,
    config.channels.notify,
  );
  // One file store for attachments, portal photos and rectification evidence (GRIDVOICE_STORAGE).
  const files = createFileStore(config.deploy.storage, k, clock);
  const attachments = new AttachmentService(k, repos.tickets, repos.attachments, tickets, hooks, clock, files);
  // Statistics aggregates (kept in step by a ticket hook), reports, bulletins and rectification orders.
  const statsRepo = new StatsRepository(k);
  const statsTickets = new StatsTicketRepository(k, db.dialect);
  const stats = new StatsService(statsRepo, statsTickets, repos.org, reference, clock, hooks);
  const rectifications = new RectificationService(
    k,
    new RectificationRepository(k),
    repos.tickets,
    repos.org,
    statsRepo,
    repos.notifications,
    reference,
    clock,
    files,
  );
  const auth = new AuthService(repos.users, config, clock);
  const retention = new RetentionService(new RetentionRepository(k), config.retention, clock);
  const chain = new ChainService(k, db.dialect, new ChainRepository(k, db.dialect), hooks.chain, clock, config.checkpointMinutes);
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
    ticketFilters: new TicketFilterService(repos.org, search),
    ticketExport: new TicketExportService(repos.ticketLists, repos.org),
    health: new HealthService(db),
    chain,
    retention,
    sweeper,
    search,
    text,
    plannerStats,
    jobs: new JobRunner(
      sweeper,
      config.sweeperIntervalMs,
      jobLog,
      [
        { name: 'search backfill', singleton: true, run: () => search.backfill() },
        // Each node classifies with the models in its own memory, so each keeps its own fresh.
        { name: 'class model retrain', run: () => text.retrainStale() },
        { name: 'rectification deadlines', singleton: true, run: () => rectifications.sweep() },
        { name: 'planner statistics', singleton: true, run: () => plannerStats.runIfDue() },
        { name: 'event chain checkpoint', singleton: true, run: () => chain.runIfDue() },
        { name: 'retention clean-up', singleton: true, run: () => retention.runIfDue() },
      ],
      { intervalMs: config.channels.notify.intervalMs, runOnce: () => outboxWorker.runOnce() },
      (name, fn) => withAdvisoryLock(k, db.dialect, name, fn),
    ),
    auth,
    org: new OrgService(k, repos.org, clock),
    users: new UserService(k, repos.users, repos.org, clock),
    workflow,
    // Reply scripts, outage events and the import of historical orders.
    scripts: new ScriptService(new ScriptRepository(k), repos.tickets, repos.org, reference, clock),
    outages: new OutageService(k, repos.outages, repos.tickets, repos.org, workflow, reference, hooks, clock),
    orderImport: new OrderImportService(
      k,
      repos.tickets,
      repos.customers,
      new ImportJobRepository(k),
      repos.org,
      reference,
      hooks,
      clock,
      plannerStats,
    ),
    files,
    attachments,
    stats,
    statsReports: new StatsReportService(stats, repos.ticketLists, repos.customers, repos.org),
    bulletins: new BulletinService(stats, statsRepo, statsTickets, repos.org, rectifications),
    // KPI targets set by administrators, the KPI page and the leader cockpit.
    kpi: new KpiService(k, new KpiTargetRepository(k), repos.org, repos.ticketLists, search, stats, clock),
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
    open311: new Open311Service(new Open311Repository(k), repos.org, reference, intake, auth, clock, config.secret),
  };
}

export type Services = ReturnType<typeof createServices>;
