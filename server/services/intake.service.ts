import type { Kysely } from 'kysely';
import { isValidPhone, normalisePhone, PHONE_RULE } from '../../core/phone.ts';
import { CHANNELS, type Channel, classFitsKind, type Grade, isExternalChannel, KINDS, type Kind } from '../../core/taxonomy.ts';
import { GroupCommit } from '../db/group-commit.ts';
import type { Database, Ticket } from '../db/schema.ts';
import { shanghaiDate } from '../domain/calendar.ts';
import { type Clocks, externalClock, startClock, summarize } from '../domain/clocks.ts';
import { assessRisk } from '../domain/text/risk.ts';
import { AppError, invalidField } from '../errors.ts';
import { deriveKey, randomCode, randomToken, seal, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { CustomerRepository } from '../repositories/customer.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { OutageRepository } from '../repositories/outage.repository.ts';
import { newTicketRow, type TicketRepository } from '../repositories/ticket.repository.ts';
import type { TicketLinkRepository } from '../repositories/ticket-link.repository.ts';
import type { TicketProtectionRepository } from '../repositories/ticket-protection.repository.ts';
import { type Actor, actorKey, requirePermission } from './actor.ts';
import { createOrder, takeNumberAndId, type WrittenEvent } from './create-order.ts';
import type { NotificationService } from './notification.service.ts';
import { linkOrderToOutage } from './outage-link.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketHooks } from './ticket-hooks.ts';

export interface IntakeInput {
  kind: Kind;
  channel: Channel;
  classCode?: string | null;
  subject?: string;
  description: string;
  location?: string | null;
  lat?: number | null;
  lng?: number | null;
  customer?: { name?: string | null; phone?: string | null; account?: string | null };
  anonymous?: boolean;
  /** Reports: who reports, stored encrypted apart from the order. */
  reporter?: { name?: string | null; phone?: string | null; idNumber?: string | null; contact?: string | null };
  /** Reports: units and staff the report names; the order never goes to them. */
  namedUnitIds?: number[];
  namedUserIds?: number[];
  externalRef?: string | null;
  externalDueAt?: string | null;
  grade?: Grade;
  /** An active outage event of the company: the order is linked to it and flagged. */
  outageId?: number | null;
  /** Phone intake with no number: the reason (caller refused); recorded on the order. */
  noPhoneReason?: string | null;
}

export interface IntakeResult {
  ticket: Ticket;
  /** Anonymous filings only: shown once, stored as a hash. */
  receiptCode: string | null;
  replayed: boolean;
  /**
   * The first event as written, when the order has nothing but its row and that event (no links, exclusions,
   * identity or outage): its detail can then be answered from what was written, without reading it back.
   */
  written?: { event: WrittenEvent } | null;
}

/**
 * The input with its (valid) phone numbers in their stored form, so that '138 1234 5678' and '13812345678' are one
 * customer; a number the rule refuses never reaches customer matching (validate() has answered 400 for it).
 */
function withStoredPhones(input: IntakeInput): IntakeInput {
  const out = { ...input };
  if (input.customer) out.customer = { ...input.customer, phone: normalisePhone(input.customer.phone) };
  if (input.reporter) out.reporter = { ...input.reporter, phone: normalisePhone(input.reporter.phone) };
  if (input.noPhoneReason !== undefined) out.noPhoneReason = input.noPhoneReason?.trim() || null;
  return out;
}

const REPEAT_WINDOW_DAYS = 30;
const AUTO_SUPERVISE_AT = 3;

function canonicalBody(input: IntakeInput): string {
  return JSON.stringify(input, Object.keys(input).sort());
}

/** Intake (受理): numbering, customer matching, deadlines, identity protection and repeat detection in one transaction. */
export class IntakeService {
  private readonly identityKey: Buffer;
  // Intakes that arrive together share one transaction and one commit, each in its own savepoint.
  private readonly commits: GroupCommit;

  constructor(
    db: Kysely<Database>,
    private readonly tickets: TicketRepository,
    private readonly customers: CustomerRepository,
    private readonly links: TicketLinkRepository,
    private readonly protection: TicketProtectionRepository,
    private readonly outages: OutageRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly notifications: NotificationService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
    secret: string,
    /** Commit lanes (several on PostgreSQL), from the database. */
    opts: { lanes?: number } = {},
  ) {
    this.identityKey = deriveKey(secret, 'reporter-identity');
    this.commits = new GroupCommit(db, 64, opts.lanes ?? 1);
  }

  /** The key that encrypts reporter identities (AES-256-GCM). */
  get key(): Buffer {
    return this.identityKey;
  }

  private async validate(actor: Actor, input: IntakeInput): Promise<void> {
    if (!KINDS.some((k) => k.code === input.kind)) throw invalidField('kind', 'unknown kind');
    if (!CHANNELS.some((c) => c.code === input.channel)) throw invalidField('channel', 'unknown channel');
    if (input.classCode) {
      const cls = (await this.reference.classes()).find((c) => c.code === input.classCode);
      if (!cls?.active) throw invalidField('classCode', 'unknown or retired class');
      if (!classFitsKind(input.kind, cls)) throw invalidField('classCode', `class ${cls.code} does not fit kind ${input.kind}`);
    }
    const c = input.customer ?? {};
    // One phone rule for staff, the portal and the API: junk such as '-----' or '12345' is no number.
    if (c.phone && !isValidPhone(c.phone)) throw invalidField('customer.phone', PHONE_RULE.en);
    if (input.reporter?.phone && !isValidPhone(input.reporter.phone)) throw invalidField('reporter.phone', PHONE_RULE.en);
    // A customer who calls is called back (回访): a phone intake keeps the number, or says why there is none.
    // Reporters may stay unknown (anonymous or not), so a report needs no number.
    const needsNumber = input.channel === 'phone' && input.kind !== 'report';
    if (needsNumber && !c.phone && !input.noPhoneReason?.trim())
      throw invalidField(
        'customer.phone',
        "a phone intake records the caller's number, or in noPhoneReason why there is none (without it no call-back is possible)",
      );
    if (input.noPhoneReason && (!needsNumber || c.phone))
      throw invalidField('noPhoneReason', 'only for a phone intake of a customer without a number');
    const reachable = Boolean(c.phone || c.account || input.noPhoneReason || input.reporter?.phone || input.reporter?.contact);
    if (input.kind === 'complaint' && !input.anonymous && !reachable) {
      throw invalidField('customer.phone', 'a complaint needs a phone or account number unless it is anonymous');
    }
    if (isExternalChannel(input.channel) && !input.externalRef)
      throw invalidField('externalRef', `orders forwarded by ${input.channel} need the reference number`);
    if (input.externalDueAt && Date.parse(input.externalDueAt) <= this.clock().getTime())
      throw invalidField('externalDueAt', 'must be in the future');
    if ((input.namedUnitIds?.length || input.namedUserIds?.length) && input.kind !== 'report') {
      throw invalidField('namedUnitIds', 'only reports name units or staff');
    }
    if (input.anonymous && input.reporter && Object.values(input.reporter).some(Boolean)) {
      throw invalidField('reporter', 'an anonymous filing carries no reporter identity');
    }
    if (actor.companyId === null) throw new AppError('forbidden', 'Your unit belongs to no company');
  }

  /** Takes in one order; with an Idempotency-Key the same request returns the same order. */
  async intake(actor: Actor, input: IntakeInput, idempotencyKey: string | null): Promise<IntakeResult> {
    requirePermission(actor, 'ticket.intake');
    // Only a request with a key is ever compared with another.
    const bodyHash = idempotencyKey ? sha256(canonicalBody(input)) : '';
    if (idempotencyKey) {
      const replay = await this.replay(actor, idempotencyKey, bodyHash);
      if (replay) return replay;
    }
    await this.validate(actor, input);
    try {
      return await this.insert(actor, withStoredPhones(input), idempotencyKey, bodyHash);
    } catch (err) {
      // Two concurrent requests with one key: the loser's insert violates the key's primary key.
      if (idempotencyKey && !(err instanceof AppError)) {
        const replay = await this.replay(actor, idempotencyKey, bodyHash);
        if (replay) return replay;
      }
      throw err;
    }
  }

  private async replay(actor: Actor, key: string, bodyHash: string): Promise<IntakeResult | null> {
    const prior = await this.tickets.findIdempotency(actorKey(actor), key);
    if (!prior) return null;
    if (prior.body_hash !== bodyHash) throw new AppError('idempotency_conflict', undefined, { field: 'Idempotency-Key' });
    const ticket = await this.tickets.find(prior.ticket_id);
    if (!ticket) throw new Error(`idempotency key points at missing order ${prior.ticket_id}`);
    return { ticket, receiptCode: null, replayed: true };
  }

  private async insert(actor: Actor, input: IntakeInput, idempotencyKey: string | null, bodyHash: string): Promise<IntakeResult> {
    const now = this.clock();
    const at = iso(now);
    const companyId = actor.companyId as number;
    const policy = await this.reference.policyAt(now);
    const cal = await this.reference.calendar();
    const ctx = { cal, policy: policy.rules, kind: input.kind, channel: input.channel };
    let clocks: Clocks = startClock(ctx, {}, 'dispatch', now);
    clocks = startClock(ctx, clocks, 'promise', now);
    if (input.externalDueAt) clocks.external = externalClock(now, new Date(input.externalDueAt));
    const isReport = input.kind === 'report';
    const anonymous = input.anonymous === true;
    const receiptCode = anonymous ? randomCode(20) : null;
    const c = input.customer ?? {};
    const identity = isReport && !anonymous ? { ...c, ...input.reporter } : null;
    const subject = (input.subject?.trim() || input.description.trim().replace(/\s+/g, ' ').slice(0, 30)).slice(0, 120);

    const day = shanghaiDate(now);
    return this.commits.run(async (trx) => {
      for (const unitId of input.namedUnitIds ?? []) {
        if (!(await this.org.find(unitId, trx))) throw invalidField('namedUnitIds', `unit ${unitId} does not exist`);
      }
      // Numbers are gap-free per day and kind: taken inside the order's transaction, so that an intake refused or
      // rolled back later (its savepoint, the batch) gives its number back. The day's counter row stays locked
      // until the batch commits; it is the unit's first write, so a batch waiting for it holds no other row
      // (customers) that the batch holding it could need.
      const { number, id: presetId } = await takeNumberAndId(this.tickets, input.kind, day, trx);
      // Reporters are not customers: their identity never enters the customer table.
      const customer =
        isReport || anonymous
          ? null
          : await this.customers.match(companyId, { name: c.name ?? null, phone: c.phone ?? null, account: c.account ?? null }, at, trx);
      const customerId = customer?.id ?? null;
      // The customer's orders in the window, newest first (a customer created just now has none).
      const inWindow =
        customer && !customer.created
          ? await this.customers.recentTickets(customer.id, iso(new Date(now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000)), trx)
          : [];
      const recent = input.classCode ? inWindow.filter((r) => r.class_code === input.classCode) : [];
      const repeat = recent.length > 0;
      const autoSupervise = recent.length + 1 >= AUTO_SUPERVISE_AT;
      // Escalation risk: media, regulators, lawyers, danger, emotion and repeated calls.
      const risk = assessRisk({ text: `${subject}\n${input.description}`, recentOrders: inWindow.length });
      const summary = summarize(clocks, true);
      const intakeEvent = {
        kind: input.kind,
        channel: input.channel,
        classCode: input.classCode ?? null,
        grade: input.grade ?? 'normal',
        number,
        ...(repeat ? { repeatOf: recent.map((r) => r.number) } : {}),
        ...(autoSupervise ? { autoSupervised: true } : {}),
        ...(input.outageId ? { outageId: input.outageId } : {}),
      };

      const row = newTicketRow({
        company_id: companyId,
        number,
        kind: input.kind,
        channel: input.channel,
        class_code: input.classCode ?? null,
        subject,
        description: input.description,
        location: input.location ?? null,
        lat: input.lat ?? null,
        lng: input.lng ?? null,
        customer_id: customerId,
        customer_name: isReport || anonymous ? null : (c.name ?? null),
        customer_phone: isReport || anonymous ? null : (c.phone ?? null),
        customer_account: isReport || anonymous ? null : (c.account ?? null),
        anonymous: anonymous ? 1 : 0,
        pseudonym: isReport
          ? `举报人-${sha256(`${number}:${randomToken(8)}`)
              .slice(0, 6)
              .toUpperCase()}`
          : null,
        external_ref: input.externalRef ?? null,
        external_due_at: input.externalDueAt ? new Date(input.externalDueAt).toISOString() : null,
        grade: input.grade ?? 'normal',
        state: 'pending_dispatch',
        unit_id: null,
        intake_by: actor.userId,
        intake_at: at,
        policy_id: policy.id,
        flag_repeat: repeat ? 1 : 0,
        flag_supervised: autoSupervise ? 1 : 0,
        flag_risk: risk.flagged ? 1 : 0,
        flag_outage: input.outageId ? 1 : 0,
        clocks: JSON.stringify(clocks),
        ...summary,
        receipt_hash: receiptCode ? sha256(receiptCode) : null,
        no_phone_reason: input.noPhoneReason ?? null,
        created_at: at,
        updated_at: at,
      });
      // The order as stored: nothing below writes its row (the portal's query code is set by the portal later).
      const { ticket, event } = await createOrder(
        this.tickets,
        this.hooks,
        trx,
        row,
        {
          action: 'intake',
          actor_id: actor.userId,
          actor_unit_id: actor.unitId,
          to_state: 'pending_dispatch',
          input: intakeEvent,
          at,
        },
        presetId,
      );
      const id = ticket.id;
      if (identity && Object.values(identity).some(Boolean)) {
        await this.protection.insertIdentity(
          { ticket_id: id, ...seal(this.identityKey, JSON.stringify(identity), `ticket:${id}`), created_by: actor.userId },
          trx,
        );
      }
      await this.protection.addExclusions(
        id,
        [
          ...(input.namedUnitIds ?? []).map((u) => ({ unit_id: u, user_id: null })),
          ...(input.namedUserIds ?? []).map((u) => ({ unit_id: null, user_id: u })),
        ],
        trx,
      );
      if (input.outageId)
        await linkOrderToOutage(this.outages, trx, { outageId: input.outageId, companyId, ticketId: id, by: actor.userId, at });
      const latest = recent[0];
      if (latest)
        await this.links.add({ ticket_id: id, other_id: latest.id, kind: 'repeat_of', created_by: actor.userId, created_at: at }, trx);
      if (idempotencyKey)
        await this.tickets.insertIdempotency(
          { actor_key: actorKey(actor), key: idempotencyKey, body_hash: bodyHash, ticket_id: id, created_at: at },
          trx,
        );
      await this.hooks.run(trx, { before: null, after: ticket, action: 'intake', input: intakeEvent });
      if (ticket.grade === 'major' || ticket.grade === 'special') {
        await this.notifications.toCompanyRoles(ticket, ['leader'], 'major', `重大/特殊工单：${subject}`, trx);
      }
      if (risk.flagged) {
        await this.notifications.toCompanyRoles(
          ticket,
          ['leader'],
          'escalated',
          `升级风险工单：${subject}（${risk.reasons.join('；')}）`,
          trx,
        );
      }
      if (autoSupervise) {
        await this.notifications.toCompanyRoles(
          ticket,
          ['leader'],
          'supervised',
          `同一客户30日内第${recent.length + 1}次同类投诉，已自动督办`,
          trx,
        );
      }
      const plain = !identity && !input.namedUnitIds?.length && !input.namedUserIds?.length && !input.outageId && !latest;
      return { ticket, receiptCode, replayed: false, written: plain ? { event } : null };
    });
  }
}
