import type { Kysely, Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { NotificationRepository } from '../repositories/notification.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { Actor } from './actor.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type NotificationKind =
  | 'assigned'
  | 'urged'
  | 'supervised'
  | 'warning'
  | 'overdue'
  | 'escalated'
  | 'major'
  | 'returned'
  | 'rejected'
  | 'review';

/** In-app notifications to staff (the outbox and external transports come with the customer channels). */
export class NotificationService {
  constructor(
    private readonly repo: NotificationRepository,
    private readonly org: OrgRepository,
    private readonly clock: Clock,
  ) {}

  /** Notifies the staff of the order's unit (handlers and leads), or only its leads. */
  async toUnit(t: Ticket, kind: NotificationKind, text: string, q: Q, opts: { leadsOnly?: boolean; dedupe?: string } = {}): Promise<void> {
    if (t.unit_id === null) return;
    const unit = await this.org.find(t.unit_id, q);
    if (!unit) return;
    const users = await this.repo.usersWithRoles(unit.path, opts.leadsOnly ? ['unit_lead'] : ['handler', 'unit_lead'], q);
    await this.send(users, t, kind, text, q, opts.dedupe);
  }

  /** Notifies users of the order's company holding the roles (leaders for escalations, agents for returns). */
  async toCompanyRoles(t: Ticket, roles: readonly string[], kind: NotificationKind, text: string, q: Q, dedupe?: string): Promise<void> {
    const company = await this.org.find(t.company_id, q);
    if (!company) return;
    const users = await this.repo.usersWithRoles(company.path, roles, q);
    await this.send(users, t, kind, text, q, dedupe);
  }

  private async send(userIds: number[], t: Ticket, kind: NotificationKind, text: string, q: Q, dedupe?: string): Promise<void> {
    const at = iso(this.clock());
    await this.repo.insert(
      userIds.map((user_id) => ({
        user_id,
        ticket_id: t.id,
        kind,
        text: `${t.number} ${text}`,
        dedupe_key: dedupe ? `${dedupe}:${user_id}` : null,
        created_at: at,
      })),
      q,
    );
  }

  /** The actor's notifications, newest first, with the unread count. */
  async list(actor: Actor, opts: { limit: number; unreadOnly: boolean }) {
    if (actor.userId === null) return { items: [], unread: 0 };
    const [items, unread] = await Promise.all([
      this.repo.list(actor.userId, opts.limit, opts.unreadOnly),
      this.repo.unreadCount(actor.userId),
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
