import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { KINDS, label } from '../../core/taxonomy.ts';
import { CLOCK_LABELS } from '../../core/time-policy.ts';
import type { ChannelsConfig } from '../config-channels.ts';
import type { Database, OrgUnit, OutboxRow, Ticket } from '../db/schema.ts';
import type { ClockKey } from '../domain/clocks.ts';
import { maskPhone } from '../domain/customer-data.ts';
import { type CustomerTemplate, type MessageVars, renderMessage, type StaffTemplate } from '../domain/message-templates.ts';
import { AppError } from '../errors.ts';
import { deriveKey, open, seal } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import { seenBy } from '../repositories/order-reach.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { NewMessage, OutboxRepository } from '../repositories/outbox.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { TicketChange } from './ticket-hooks.ts';
import type { TicketQueryService } from './ticket-query.service.ts';

type Trx = Transaction<Database>;

/** Contact details a customer left for messages (sealed at rest). */
export interface CustomerContact {
  phone?: string | null;
  email?: string | null;
}

function maskRecipient(channel: string, r: string): string {
  if (channel === 'sms') return maskPhone(r) ?? r;
  if (channel === 'email') return r.replace(/^(.).*(@.*)$/, '$1***$2');
  return r;
}

/** A message to the staff of an order's unit that a change calls for. */
interface StaffNotice {
  t: Ticket;
  template: StaffTemplate;
  extra: Partial<MessageVars>;
  dedupe: string;
}

/** A change's messages are keyed by it: a retried transaction enqueues them once. */
function dedupeOf(change: TicketChange): string {
  return `${change.action}:${change.after.id}:${change.after.version}`;
}

/** Org units (an order's unit, its company) read once for all the changes of a batch. */
class UnitLookup {
  private readonly seen = new Map<number, OrgUnit | undefined>();

  constructor(
    private readonly org: OrgRepository,
    private readonly q: Kysely<Database> | Trx,
  ) {}

  async get(id: number): Promise<OrgUnit | undefined> {
    if (!this.seen.has(id)) this.seen.set(id, await this.org.find(id, this.q));
    return this.seen.get(id);
  }
}

/**
 * Notifications through the durable outbox: messages are rows written in the same transaction as the change
 * that causes them (a ticket hook), delivered later by the OutboxWorker. Customers get SMS (and e-mail when they
 * left one); unit staff get SMS on their phone; webhooks get every change; reporters' answers reach staff in-app.
 */
export class OutboxService {
  private readonly contactKey: Buffer;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: OutboxRepository,
    private readonly org: OrgRepository,
    private readonly query: TicketQueryService,
    private readonly cfg: ChannelsConfig['notify'],
    private readonly clock: Clock,
    secret: string,
  ) {
    this.contactKey = deriveKey(secret, 'customer-contact');
  }

  /** Stores where customer messages for an order go (inside the filing's transaction or right after it). */
  async saveContact(ticketId: number, contact: CustomerContact, q: Kysely<Database> | Trx = this.db): Promise<void> {
    if (!contact.phone && !contact.email) return;
    const sealed = seal(this.contactKey, JSON.stringify(contact), `contact:${ticketId}`);
    await this.repo.saveContact(ticketId, sealed, q);
  }

  private async contactOf(t: Ticket, q: Kysely<Database> | Trx): Promise<CustomerContact> {
    const row = await this.repo.contact(t.id, q);
    const saved = row ? (JSON.parse(open(this.contactKey, row, `contact:${t.id}`)) as CustomerContact) : {};
    return { phone: t.customer_phone ?? saved.phone ?? null, email: saved.email ?? null };
  }

  private async vars(t: Ticket, units: UnitLookup, extra: Partial<MessageVars> = {}): Promise<MessageVars> {
    const company = await units.get(t.company_id);
    return {
      company: company?.name ?? '供电公司',
      number: t.number,
      kind: label(KINDS, t.kind),
      subject: t.subject,
      ...(this.cfg.publicUrl ? { url: `${this.cfg.publicUrl.replace(/\/$/, '')}/portal` } : {}),
      ...extra,
    };
  }

  private message(
    channel: string,
    recipient: string,
    template: string,
    r: { subject: string; text: string },
    t: Ticket | null,
    dedupe: string | null,
  ): NewMessage {
    return {
      delivery_id: randomUUID(),
      channel,
      recipient,
      template,
      subject: r.subject,
      body: r.text,
      ticket_id: t?.id ?? null,
      dedupe_key: dedupe ? `${dedupe}:${channel}:${recipient}` : null,
    };
  }

  /** Queues a customer message by SMS and, when the customer left one, e-mail. */
  async toCustomer(
    q: Kysely<Database> | Trx,
    t: Ticket,
    template: CustomerTemplate,
    extra: Partial<MessageVars>,
    dedupe: string | null,
    units = new UnitLookup(this.org, q),
  ): Promise<void> {
    const contact = await this.contactOf(t, q);
    const rendered = renderMessage(template, await this.vars(t, units, extra));
    const rows: NewMessage[] = [];
    if (contact.phone) rows.push(this.message('sms', contact.phone, template, rendered, t, dedupe));
    if (contact.email) rows.push(this.message('email', contact.email, template, rendered, t, dedupe));
    await this.repo.insert(rows, iso(this.clock()), q);
  }

  /** Queues SMS to the staff of each notice's order's unit, looking each unit's staff up once. */
  private async toUnitStaff(trx: Trx, notices: readonly StaffNotice[], units: UnitLookup): Promise<void> {
    const staffOf = new Map<string, Array<{ id: number; phone: string | null }>>();
    const candidates: Array<{ n: StaffNotice; s: { id: number; phone: string | null }; text: { subject: string; text: string } }> = [];
    for (const n of notices) {
      if (n.t.unit_id === null) continue;
      const unit = await units.get(n.t.unit_id);
      if (!unit) continue;
      let staff = staffOf.get(unit.path);
      if (!staff) {
        staff = await this.repo.staffPhones(unit.path, ['handler', 'unit_lead'], trx);
        staffOf.set(unit.path, staff);
      }
      if (staff.length === 0) continue;
      const text = renderMessage(n.template, await this.vars(n.t, units, n.extra));
      for (const s of staff) candidates.push({ n, s, text });
    }
    // Only staff who may see the order hear of it (a report never reaches the staff it names).
    const seen = await seenBy(
      trx,
      candidates,
      (c) => c.n.t.id,
      (c) => c.s.id,
    );
    await this.repo.insert(
      seen.map((c) => this.message('sms', c.s.phone as string, c.n.template, c.text, c.n.t, c.n.dedupe)),
      iso(this.clock()),
      trx,
    );
  }

  /** The ticket hook: queues the messages a change calls for, atomically with the change. */
  onTicketChange(trx: Trx, change: TicketChange): Promise<void> {
    return this.onTicketChanges(trx, [change]);
  }

  /**
   * The same for a batch of changes: what each change calls for, with each unit's staff, each order's visibility
   * and each company looked up once, and the messages inserted together.
   */
  async onTicketChanges(trx: Trx, changes: readonly TicketChange[]): Promise<void> {
    const units = new UnitLookup(this.org, trx);
    const staff: StaffNotice[] = [];
    for (const change of changes) {
      const t = change.after;
      const i = change.input;
      const dedupe = dedupeOf(change);
      switch (change.action) {
        case 'dispatch':
          staff.push({ t, template: 'assigned', extra: {}, dedupe });
          break;
        case 'urge':
          staff.push({ t, template: 'urged', extra: { note: String(i.note ?? '') }, dedupe });
          break;
        case 'supervise':
          staff.push({ t, template: 'supervised', extra: { note: String(i.note ?? '') }, dedupe });
          break;
        case 'warning':
        case 'overdue':
          staff.push({
            t,
            template: change.action,
            extra: { clock: CLOCK_LABELS[String(i.clock) as ClockKey]?.zh ?? String(i.clock), due: String(i.due ?? '') },
            dedupe,
          });
          break;
        case 'approve':
          await this.toCustomer(trx, t, 'reply_ready', {}, dedupe, units);
          break;
        case 'revisit':
          if (i.outcome === 'unreachable') await this.toCustomer(trx, t, 'callback_request', {}, dedupe, units);
          break;
        case 'question':
          await this.toCustomer(trx, t, 'question', {}, dedupe, units);
          break;
        case 'reporter_answer':
        case 'reporter_evidence': {
          const to = typeof i.questionBy === 'number' ? [i.questionBy] : [];
          const rendered = renderMessage('reporter_answer', await this.vars(t, units));
          await this.repo.insert(
            to.map((u) => this.message('inapp', String(u), 'reporter_answer', rendered, t, dedupe)),
            iso(this.clock()),
            trx,
          );
          break;
        }
      }
    }
    await this.toUnitStaff(trx, staff, units);
    await this.webhooks(trx, changes);
  }

  private async webhooks(trx: Trx, changes: readonly TicketChange[]): Promise<void> {
    if (this.cfg.webhookUrls.length === 0) return;
    const at = iso(this.clock());
    const rows = changes.flatMap((change) => {
      const t = change.after;
      const dedupe = dedupeOf(change);
      return this.cfg.webhookUrls.map((url) => {
        const deliveryId = randomUUID();
        // No personal data leaves in webhooks: identifiers, state and timing only.
        const body = JSON.stringify({
          deliveryId,
          event: `ticket.${change.action}`,
          occurredAt: at,
          ticket: {
            id: t.id,
            number: t.number,
            kind: t.kind,
            channel: t.channel,
            classCode: t.class_code,
            state: t.state,
            version: t.version,
            grade: t.grade,
            unitId: t.unit_id,
            nextDueAt: t.next_due_at,
          },
        });
        return {
          delivery_id: deliveryId,
          channel: 'webhook',
          recipient: url,
          template: 'event',
          subject: `ticket.${change.action}`,
          body,
          ticket_id: t.id,
          dedupe_key: `${dedupe}:webhook:${url}`,
        };
      });
    });
    await this.repo.insert(rows, at, trx);
  }

  private view(m: OutboxRow) {
    return {
      id: m.id,
      deliveryId: m.delivery_id,
      channel: m.channel,
      recipient: maskRecipient(m.channel, m.recipient),
      template: m.template,
      subject: m.subject,
      ticketId: m.ticket_id,
      status: m.status,
      attempts: m.attempts,
      nextAttemptAt: m.status === 'pending' ? m.next_attempt_at : null,
      lastError: m.last_error,
      createdAt: m.created_at,
      sentAt: m.sent_at,
    };
  }

  /** The outbox for admins: newest first, filterable by status, with counts per status. */
  async list(actor: Actor, opts: { status?: string; limit: number; beforeId?: number }) {
    requirePermission(actor, 'admin.outbox');
    const [rows, counts] = await Promise.all([this.repo.list(opts), this.repo.counts()]);
    return { items: rows.map((m) => this.view(m)), counts, nextBeforeId: rows.length === opts.limit ? (rows.at(-1)?.id ?? null) : null };
  }

  /** Puts a dead letter back in the queue. */
  async retry(actor: Actor, id: number) {
    requirePermission(actor, 'admin.outbox');
    const m = await this.repo.find(id);
    if (!m) throw new AppError('not_found', `Message ${id} not found`);
    if (!(await this.repo.revive(id, iso(this.clock()))))
      throw new AppError('conflict', 'Only a dead letter can be retried', { status: m.status });
    return this.view((await this.repo.find(id)) as OutboxRow);
  }

  /** The messages about one order the actor may see (the order's timeline shows them). */
  async forTicket(actor: Actor, ticketId: number) {
    const t = await this.query.load(actor, ticketId);
    const rows = await this.repo.list({ ticketId: t.id, limit: 200 });
    return rows.filter((m) => m.channel !== 'webhook').map((m) => this.view(m));
  }
}
