import type { Kysely, Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';
import type { NotificationKind } from '../domain/action-effects.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { NewNotificationRow, NotificationRepository } from '../repositories/notification.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import { scopeOfViewer } from '../repositories/visibility.sql.ts';
import type { Actor } from './actor.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type { NotificationKind };

/** Recipient user ids by org unit and role set, shared by the batches of one job pass. */
export type Recipients = Map<string, number[]>;

/**
 * Notifications about many orders, inserted together: recipients are looked up once per unit (or company) and
 * role set for as long as the `Recipients` map lives, and `flush` writes the collected rows in multi-row inserts.
 */
export class NotificationBatch {
  private rows: NewNotificationRow[] = [];

  constructor(
    private readonly repo: NotificationRepository,
    private readonly org: OrgRepository,
    private readonly clock: Clock,
    private readonly recipients: Recipients,
  ) {}

  /** Adds notices to the staff of the order's unit (handlers and leads), or only its leads. */
  async toUnit(t: Ticket, kind: NotificationKind, text: string, q: Q, opts: { leadsOnly?: boolean; dedupe?: string } = {}): Promise<void> {
    if (t.unit_id === null) return;
    const users = await this.usersOf(t.unit_id, opts.leadsOnly ? ['unit_lead'] : ['handler', 'unit_lead'], q);
    this.add(users, t, kind, text, opts.dedupe);
  }

  /** Adds notices to users of the order's company holding the roles. */
  async toCompanyRoles(t: Ticket, roles: readonly string[], kind: NotificationKind, text: string, q: Q, dedupe?: string): Promise<void> {
    this.add(await this.usersOf(t.company_id, roles, q), t, kind, text, dedupe);
  }

  /** Inserts the collected notices (only to those who may see the order; see NotificationRepository.insert) and starts empty again. */
  async flush(q: Q): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    await this.repo.insert(rows, q);
  }

  private async usersOf(orgId: number, roles: readonly string[], q: Q): Promise<number[]> {
    const key = `${orgId}:${roles.join(',')}`;
    let users = this.recipients.get(key);
    if (!users) {
      const unit = await this.org.find(orgId, q);
      users = unit ? await this.repo.usersWithRoles(unit.path, roles, q) : [];
      this.recipients.set(key, users);
    }
    return users;
  }

  private add(userIds: number[], t: Ticket, kind: NotificationKind, text: string, dedupe?: string): void {
    const at = iso(this.clock());
    for (const user_id of userIds) {
      this.rows.push({
        user_id,
        ticket_id: t.id,
        kind,
        text: `${t.number} ${text}`,
        dedupe_key: dedupe ? `${dedupe}:${user_id}` : null,
        created_at: at,
      });
    }
  }
}

/** In-app notifications to staff (the outbox and external transports come with the customer channels). */
export class NotificationService {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly org: OrgRepository,
    private readonly clock: Clock,
  ) {}

  /**
   * A batch for notifying about many orders in one transaction; pass the same `recipients` to the batches of
   * one job pass to look each unit's staff up once per pass.
   */
  batch(recipients: Recipients = new Map()): NotificationBatch {
    return new NotificationBatch(this.repo, this.org, this.clock, recipients);
  }

  /** Notifies the staff of the order's unit (handlers and leads), or only its leads. */
  async toUnit(t: Ticket, kind: NotificationKind, text: string, q: Q, opts: { leadsOnly?: boolean; dedupe?: string } = {}): Promise<void> {
    const b = this.batch();
    await b.toUnit(t, kind, text, q, opts);
    await b.flush(q);
  }

  /** Notifies users of the order's company holding the roles (leaders for escalations, agents for returns). */
  async toCompanyRoles(t: Ticket, roles: readonly string[], kind: NotificationKind, text: string, q: Q, dedupe?: string): Promise<void> {
    const b = this.batch();
    await b.toCompanyRoles(t, roles, kind, text, q, dedupe);
    await b.flush(q);
  }

  /** The actor's notifications, newest first, with the unread count. */
  async list(actor: Actor, opts: { limit: number; unreadOnly: boolean }) {
    if (actor.userId === null) return { items: [], unread: 0 };
    const [items, unread] = await Promise.all([
      this.repo.list(actor.userId, scopeOfViewer(actor), opts.limit, opts.unreadOnly),
      this.repo.unreadCount(actor.userId, scopeOfViewer(actor)),
    ]);
    return {
      items: items.map((n) => ({
        id: n.id,
        ticketId: n.ticket_id,
        kind: n.kind,
        text: n.text,
        createdAt: n.created_at,
        read: n.read_at !== null,
      })),
      unread,
    };
  }

  /** Marks some or all of the actor's notifications read. */
  async markRead(actor: Actor, ids: number[] | 'all'): Promise<void> {
    if (actor.userId !== null) await this.repo.markRead(actor.userId, ids, iso(this.clock()));
  }
}
