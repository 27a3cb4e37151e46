import type { Kysely } from 'kysely';
import { CHANNELS, type Channel, classFitsKind, type Grade, isExternalChannel, KINDS, type Kind, kindPrefix } from '../../core/taxonomy.ts';
import { GroupCommit } from '../db/group-commit.ts';
import type { Database, Ticket } from '../db/schema.ts';
import { shanghaiDate } from '../domain/calendar.ts';
import { type Clocks, externalClock, startClock, summarize } from '../domain/clocks.ts';
import { GENESIS_HASH, hashEvent } from '../domain/event-chain.ts';
import { assessRisk } from '../domain/text/risk.ts';
import { AppError, invalidField } from '../errors.ts';
import { deriveKey, randomToken, seal, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import { newTicketRow, type TicketRepository } from '../repositories/ticket.repository.ts';
import { type Actor, actorKey, requirePermission } from './actor.ts';
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
  /** Reports: who reports, stored encrypted apart from the order (DESIGN §6). */
  reporter?: { name?: string | null; phone?: string | null; idNumber?: string | null; contact?: string | null };
  /** Reports: units and staff the report names; the order never goes to them. */
  namedUnitIds?: number[];
  namedUserIds?: number[];
  externalRef?: string | null;
  externalDueAt?: string | null;
  grade?: Grade;
  /** An active outage event of the company: the order is linked to it and flagged (DESIGN §10). */
  outageId?: number | null;
}

export interface IntakeResult {
  ticket: Ticket;
  /** Anonymous filings only: shown once, stored as a hash. */
  receiptCode: string | null;
  replayed: boolean;
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
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly notifications: NotificationService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
    secret: string,
  ) {
    this.identityKey = deriveKey(secret, 'reporter-identity');
    this.commits = new GroupCommit(db);
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
    const reachable = Boolean(c.phone || c.account || input.reporter?.phone || input.reporter?.contact);
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
    const bodyHash = sha256(canonicalBody(input));
    if (idempotencyKey) {
      const replay = await this.replay(actor, idempotencyKey, bodyHash);
      if (replay) return replay;
    }
    await this.validate(actor, input);
    try {
      return await this.insert(actor, input, idempotencyKey, bodyHash);
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
    const receiptCode = anonymous ? randomToken(15) : null;
    const c = input.customer ?? {};
    const identity = isReport && !anonymous ? { ...c, ...input.reporter } : null;
    const subject = (input.subject?.trim() || input.description.trim().replace(/\s+/g, ' ').slice(0, 30)).slice(0, 120);

    return this.commits.run(async (trx) => {
      for (const unitId of input.namedUnitIds ?? []) {
        if (!(await this.org.find(unitId, trx))) throw invalidField('namedUnitIds', `unit ${unitId} does not exist`);
      }
      const seq = await this.tickets.nextNumber(input.kind, shanghaiDate(now), trx);
      const number = `${kindPrefix(input.kind)}${shanghaiDate(now).replaceAll('-', '')}${String(seq).padStart(5, '0')}`;
      // Reporters are not customers: their identity never enters the customer table (DESIGN §6).
      const customer =
        isReport || anonymous
          ? null
          : await this.tickets.matchCustomer(
              companyId,
              { name: c.name ?? null, phone: c.phone ?? null, account: c.account ?? null },
              at,
              trx,
            );
      const customerId = customer?.id ?? null;
      // The customer's orders in the window, newest first (a customer created just now has none).
      const inWindow =
        customer && !customer.created
          ? await this.tickets.recentOrders(customer.id, iso(new Date(now.getTime() - REPEAT_WINDOW_DAYS * 86_400_000)), trx)
          : [];
      const recent = input.classCode ? inWindow.filter((r) => r.class_code === input.classCode) : [];
      const repeat = recent.length > 0;
      const autoSupervise = recent.length + 1 >= AUTO_SUPERVISE_AT;
      // Escalation risk (DESIGN §9): media, regulators, lawyers, danger, emotion and repeated calls.
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
      const eventBase = {
        seq: 1,
        action: 'intake',
        actor_id: actor.userId,
        actor_unit_id: actor.unitId,
        from_state: null,
        to_state: 'pending_dispatch',
        input: JSON.stringify(intakeEvent),
        at,
        prev_hash: GENESIS_HASH,
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
        created_at: at,
        updated_at: at,
      });
      const id = await this.tickets.insert(row, trx);
      const hash = hashEvent({ ...eventBase, ticket_id: id });
      await this.tickets.insertEvent({ ...eventBase, ticket_id: id, hash }, trx);
      await this.tickets.setHead(id, hash, trx);
      // The order as stored: nothing below writes its row (the portal's query code is set by the portal later).
      const ticket: Ticket = { id, ...row, query_hash: null, last_event_hash: hash };
      if (identity && Object.values(identity).some(Boolean)) {
        await this.tickets.insertIdentity(
          { ticket_id: id, ...seal(this.identityKey, JSON.stringify(identity), `ticket:${id}`), created_by: actor.userId },
          trx,
        );
      }
      await this.tickets.addExclusions(
        id,
        [
          ...(input.namedUnitIds ?? []).map((u) => ({ unit_id: u, user_id: null })),
          ...(input.namedUserIds ?? []).map((u) => ({ unit_id: null, user_id: u })),
        ],
        trx,
      );
      if (input.outageId) await linkOrderToOutage(trx, { outageId: input.outageId, companyId, ticketId: id, by: actor.userId, at });
      const latest = recent[0];
      if (latest)
        await this.tickets.addLink(
          { ticket_id: id, other_id: latest.id, kind: 'repeat_of', created_by: actor.userId, created_at: at },
          trx,
        );
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
      return { ticket, receiptCode, replayed: false };
    });
  }
}
