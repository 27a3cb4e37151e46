import type { Config } from '../config.ts';
import type { Db } from '../db/connect.ts';
import { JobRunner } from '../jobs/runner.ts';
import { Sweeper } from '../jobs/sweeper.ts';
import type { Clock } from '../lib/time.ts';
import { NotificationRepository } from '../repositories/notification.repository.ts';
import { OrgRepository } from '../repositories/org.repository.ts';
import { ReferenceRepository } from '../repositories/reference.repository.ts';
import { TicketRepository } from '../repositories/ticket.repository.ts';
import { UserRepository } from '../repositories/user.repository.ts';
import { AttachmentService } from './attachment.service.ts';
import { AuthService } from './auth.service.ts';
import { IntakeService } from './intake.service.ts';
import { NotificationService } from './notification.service.ts';
import { OrgService } from './org.service.ts';
import { ReferenceService } from './reference.service.ts';
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
  const hooks = new TicketHooks();
  const reference = new ReferenceService(repos.reference, clock);
  const notifications = new NotificationService(repos.notifications, repos.org, clock);
  const intake = new IntakeService(k, repos.tickets, repos.org, reference, notifications, hooks, clock, config.secret);
  const tickets = new TicketQueryService(repos.tickets, repos.org, reference, clock, intake.key);
  const sweeper = new Sweeper(k, db.dialect, repos.tickets, notifications, hooks, clock);
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
    jobs: new JobRunner(sweeper, config.sweeperIntervalMs, console),
    auth: new AuthService(repos.users, config, clock),
    org: new OrgService(k, repos.org, clock),
    users: new UserService(k, repos.users, repos.org, clock),
    workflow: new WorkflowService(k, repos.tickets, repos.org, reference, notifications, hooks, clock),
    attachments: new AttachmentService(k, repos.tickets, tickets, hooks, clock, config.dataDir),
  };
}

export type Services = ReturnType<typeof createServices>;
