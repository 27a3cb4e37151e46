import { permissionsOf } from '../../core/permissions.ts';
import { queueCounts } from '../../core/queues.ts';
import type { CustomerHistory, Deadline, DeadlinePreview, IdentityRevealed, TicketDetail } from '../../core/schemas/ticket.schema.ts';
import type { Channel, Kind } from '../../core/taxonomy.ts';
import { CLOCK_LABELS, type ClockName } from '../../core/time-policy.ts';
import { availableActions, blockedActions, type OrderView, type StateCode } from '../../core/workflow/index.ts';
import type { Ticket } from '../db/schema.ts';
import { shanghaiDateTime } from '../domain/calendar.ts';
import { type ClockKey, type Clocks, startClock, toDeadline } from '../domain/clocks.ts';
import { customerAccessOf, mayLookUpCustomers } from '../domain/customer-data.ts';
import { canSee } from '../domain/visibility.ts';
import { AppError, invalidField } from '../errors.ts';
import { open } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { AttachmentRepository } from '../repositories/attachment.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import type { TicketLinkRepository } from '../repositories/ticket-link.repository.ts';
import type { Cursor, SortKey, TicketFilter, TicketListRepository } from '../repositories/ticket-list.repository.ts';
import type { TicketProtectionRepository } from '../repositories/ticket-protection.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { WrittenEvent } from './create-order.ts';
import type { ReferenceService } from './reference.service.ts';
import { ticketView } from './ticket-view.ts';
import { orderView, scopeOf } from './workflow.service.ts';

/** A list counts its matching orders up to this many and then says "more" (the count stays fast on any filter). */
export const LIST_TOTAL_CAP = 10_000;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    // A forged cursor must not reach the SQL: a safe integer id and a short string (or null) value only.
    const value = c?.v === null || (typeof c?.v === 'string' && c.v.length <= 64);
    if (Number.isSafeInteger(c?.id) && (c.p === 0 || c.p === 1) && value) return { p: c.p, v: c.v, id: c.id };
  } catch {
    // fall through to the 400 below
  }
  throw invalidField('cursor', 'is not a cursor this API returned');
}

/**
 * 403 when the filter looks orders up by a customer's phone or account number and the actor sees customer data
 * masked: typing a number and getting its orders back would unmask it (a reverse lookup).
 */
export function requireCustomerLookup(actor: Actor, filter: Pick<TicketFilter, 'customerPhone' | 'customerAccount'>): void {
  if (!filter.customerPhone && !filter.customerAccount) return;
  if (!mayLookUpCustomers(customerAccessOf(actor.roles)))
    throw new AppError('customer_lookup_forbidden', undefined, { field: filter.customerPhone ? 'phone' : 'account' });
}

/** The other orders an order's events cite: links, merges and the repeats found at intake. */
function citedOrders(inputs: ReadonlyArray<Record<string, unknown>>, duplicateOf: number | null) {
  const ids = new Set<number>(duplicateOf === null ? [] : [duplicateOf]);
  const numbers = new Set<string>();
  for (const i of inputs) {
    for (const k of ['otherId', 'duplicateOfId'] as const) if (typeof i[k] === 'number') ids.add(i[k] as number);
    if (Array.isArray(i.repeatOf)) for (const n of i.repeatOf) if (typeof n === 'string') numbers.add(n);
  }
  return { ids: [...ids], numbers: [...numbers] };
}

/** An event's input without what it says of orders the reader may not see (absent, not masked). */
function withoutHidden(input: Record<string, unknown>, visible: { ids: Set<number>; numbers: Set<string> }) {
  const out = { ...input };
  if (typeof out.otherId === 'number' && !visible.ids.has(out.otherId)) {
    delete out.otherId;
    delete out.number;
  }
  if (typeof out.duplicateOfId === 'number' && !visible.ids.has(out.duplicateOfId)) delete out.duplicateOfId;
  if (Array.isArray(out.repeatOf)) {
    const shown = out.repeatOf.filter((n) => typeof n === 'string' && visible.numbers.has(n));
    if (shown.length) out.repeatOf = shown;
    else delete out.repeatOf;
  }
  return out;
}

/** Reading orders: lists, queues, detail, deadline explanations, identity reveal, chain verification. */
export class TicketQueryService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly lists: TicketListRepository,
    private readonly links: TicketLinkRepository,
    private readonly protection: TicketProtectionRepository,
    private readonly attachments: AttachmentRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    private readonly identityKey: Buffer,
  ) {}

  /** One order the actor may see, or 404. */
  async load(actor: Actor, id: number): Promise<Ticket> {
    requirePermission(actor, 'ticket.read');
    const t = await this.tickets.findScoped(id, scopeOf(actor));
    if (!t) throw new AppError('not_found', `Order ${id} not found`);
    return t;
  }

  /**
   * A page of orders in the actor's scope, with how many orders the filter matches in all (the same filter and
   * visibility as the items, so a figure drilled to the list can be checked against it), counted up to a cap.
   */
  async list(actor: Actor, filter: TicketFilter, sort: SortKey, limit: number, cursor: string | null) {
    requirePermission(actor, 'ticket.read');
    requireCustomerLookup(actor, filter);
    const scope = scopeOf(actor);
    const [page, total] = await Promise.all([
      this.lists.list(scope, filter, sort, limit, cursor ? decodeCursor(cursor) : null),
      this.lists.countMatching(scope, filter, LIST_TOTAL_CAP),
    ]);
    const access = customerAccessOf(actor.roles);
    const ids = (pick: (t: (typeof page.rows)[number]) => number | null) => [
      ...new Set(page.rows.map(pick).filter((x): x is number => x !== null)),
    ];
    const names = await this.lists.names(
      ids((t) => t.unit_id),
      ids((t) => t.assignee_id),
    );
    const nameOf = (m: Map<number, string>, id: number | null) => (id === null ? null : (m.get(id) ?? null));
    return {
      items: page.rows.map((t) =>
        ticketView(t, access, { unitName: nameOf(names.units, t.unit_id), assigneeName: nameOf(names.users, t.assignee_id) }),
      ),
      nextCursor: page.next ? encodeCursor(page.next) : null,
      total: total.n,
      totalCapped: total.capped,
    };
  }

  /** Counts of the role queues (待派单 … 督办). */
  async queues(actor: Actor) {
    requirePermission(actor, 'ticket.read');
    const c = await this.lists.queueCounts(scopeOf(actor));
    return queueCounts(c.byState, c);
  }

  /** The full order: view, events, deadlines, attachments, links and what the actor may do now. */
  async detail(actor: Actor, id: number) {
    const t = await this.load(actor, id);
    const scope = scopeOf(actor);
    const [events, attachments, links, view, unit, deadlines] = await Promise.all([
      this.tickets.events(t.id),
      this.attachments.ofTicket(t.id),
      this.links.ofTicket(t.id, scope),
      orderView(this.protection, this.org, t),
      t.unit_id ? this.org.find(t.unit_id) : undefined,
      this.deadlinesOf(t),
    ]);
    return this.compose(actor, t, { events, attachments, links, view, unitName: unit?.name ?? null, deadlines });
  }

  /**
   * The detail of an order the actor has just created, from what was written: the row and its first event, with
   * no links, exclusions, attachments or unit yet (intake says when that holds). Equal to `detail` read back;
   * an actor who may not see the order gets `detail`'s 404.
   */
  async detailOfNew(actor: Actor, t: Ticket, event: WrittenEvent) {
    requirePermission(actor, 'ticket.read');
    const reach = { companyPath: actor.companyPath ?? '', unitPaths: [], excludedUnitPaths: [], excludedUserIds: [] };
    if (t.company_id !== actor.companyId || actor.companyPath === null || !canSee(actor, reach)) return this.detail(actor, t.id);
    const [actorUnit, deadlines] = await Promise.all([
      event.actor_unit_id === null
        ? undefined
        : event.actor_unit_id === actor.unitId && actor.unitName !== undefined
          ? { name: actor.unitName }
          : this.org.find(event.actor_unit_id),
      this.deadlinesOf(t),
    ]);
    const view: OrderView = {
      state: t.state as StateCode,
      kind: t.kind as Kind,
      anonymous: t.anonymous === 1,
      contactRequired: t.anonymous !== 1 && t.kind !== 'report',
      unitPath: null,
      companyPath: actor.companyPath,
      contactCount: t.contact_count,
      suspendRequested: t.suspend_request !== null,
      unitApproved: t.unit_approved_by !== null,
      revisitAttempts: t.revisit_attempts,
      excludedUnitPaths: [],
    };
    // The names the event read joins in: the acting user's (a token acts as no user) and the acting unit's.
    const written = {
      ...event,
      id: 0,
      actor_name: event.actor_id !== null && event.actor_id === actor.userId ? actor.displayName : null,
      actor_unit_name: actorUnit?.name ?? null,
    };
    return this.compose(actor, t, { events: [written], attachments: [], links: [], exclusions: [], view, unitName: null, deadlines });
  }

  private async compose(
    actor: Actor,
    t: Ticket,
    parts: {
      events: Awaited<ReturnType<TicketRepository['events']>>;
      attachments: Awaited<ReturnType<AttachmentRepository['ofTicket']>>;
      links: Awaited<ReturnType<TicketLinkRepository['ofTicket']>>;
      /** Known when the order was just written (none); read otherwise. */
      exclusions?: Awaited<ReturnType<TicketProtectionRepository['exclusions']>>;
      view: OrderView;
      unitName: string | null;
      deadlines: Deadline[];
    },
  ): Promise<TicketDetail> {
    const { events, attachments, links, view, deadlines } = parts;
    const perms = permissionsOf(actor.roles);
    const scope = scopeOf(actor);
    const inputs = events.map((e) => JSON.parse(e.input) as Record<string, unknown>);
    const cited = citedOrders(inputs, t.duplicate_of_id);
    const [assignee, exclusions, visible] = await Promise.all([
      t.assignee_id ? this.lists.names([], [t.assignee_id]) : undefined,
      perms.has('ticket.dispatch') ? (parts.exclusions ?? this.protection.exclusions(t.id)) : [],
      this.tickets.visibleAmong(cited.ids, cited.numbers, scope),
    ]);
    const view0 = ticketView(t, customerAccessOf(actor.roles), {
      unitName: parts.unitName,
      assigneeName: t.assignee_id ? (assignee?.users.get(t.assignee_id) ?? null) : null,
    });
    return {
      ticket: { ...view0, duplicateOfId: t.duplicate_of_id !== null && visible.ids.has(t.duplicate_of_id) ? t.duplicate_of_id : null },
      /** Units an integrity report names (only for those who dispatch): the unit picker greys them out. */
      excludedUnitIds: exclusions.map((x) => x.unit_id).filter((x): x is number => x !== null),
      events: events.map((e, i) => ({
        seq: e.seq,
        action: e.action,
        actorId: e.actor_id,
        actorName: e.actor_name ?? (e.actor_id === null ? '系统' : null),
        actorUnitName: e.actor_unit_name,
        from: e.from_state as StateCode | null,
        to: e.to_state as StateCode,
        input: withoutHidden(inputs[i] as Record<string, unknown>, visible),
        at: e.at,
        hash: e.hash,
      })),
      deadlines,
      attachments: attachments.map((a) => ({ id: a.id, name: a.name, mime: a.mime, size: a.size, createdAt: a.created_at })),
      links: links.map((l) => ({
        id: l.id,
        kind: l.kind,
        direction: l.ticket_id === t.id ? ('out' as const) : ('in' as const),
        orderId: l.order_id,
        number: l.number,
        state: l.state as StateCode,
        subject: l.subject,
      })),
      availableActions: availableActions(view, { userId: actor.userId, roles: actor.roles, unitPath: actor.unitPath }),
      blockedActions: blockedActions(view, { userId: actor.userId, roles: actor.roles, unitPath: actor.unitPath }),
      canRevealIdentity:
        t.kind === 'report' &&
        t.anonymous !== 1 &&
        (perms.has('report.identity.read') || (actor.userId !== null && actor.userId === t.intake_by)),
    };
  }

  /** Each deadline of the order with its explanation in words. */
  async deadlines(actor: Actor, id: number): Promise<Deadline[]> {
    return this.deadlinesOf(await this.load(actor, id));
  }

  private async deadlinesOf(t: Ticket): Promise<Deadline[]> {
    const clocks = JSON.parse(t.clocks) as Clocks;
    const policy = await this.reference.policy(t.policy_id);
    const cal = await this.reference.calendar();
    const out = [];
    for (const key of Object.keys(CLOCK_LABELS) as ClockKey[]) {
      const c = clocks[key];
      if (!c) continue;
      const explanation =
        key === 'external' || c.rule === null
          ? {
              zh: `${shanghaiDateTime(new Date(c.due))} 截止：转办单位规定的时限`,
              en: `due ${shanghaiDateTime(new Date(c.due))}: deadline set by the forwarding body`,
            }
          : toDeadline(key as ClockName, c, policy.rules, cal).explanation;
      out.push({
        clock: key,
        label: CLOCK_LABELS[key],
        startAt: c.start,
        dueAt: c.due,
        warnAt: c.warn,
        rule: c.rule,
        provisional: c.provisional,
        shiftMs: c.shiftMs,
        metAt: c.metAt,
        onTime: c.onTime,
        warned: c.warned,
        overdue: c.overdue,
        explanation,
      });
    }
    return out;
  }

  /** The deadlines an order of this kind and channel would get if taken in and dispatched at `at`. */
  async preview(kind: Kind, channel: Channel, at: Date): Promise<DeadlinePreview> {
    const policy = await this.reference.policyAt(at);
    const cal = await this.reference.calendar();
    const ctx = { cal, policy: policy.rules, kind, channel };
    let clocks: Clocks = {};
    for (const name of ['dispatch', 'first_contact', 'reply', 'promise'] as ClockName[]) clocks = startClock(ctx, clocks, name, at);
    const out = [];
    for (const [key, c] of Object.entries(clocks) as Array<[ClockName, NonNullable<Clocks[ClockName]>]>) {
      const d = toDeadline(key, c, policy.rules, cal);
      out.push({
        clock: key,
        label: CLOCK_LABELS[key],
        startAt: c.start,
        dueAt: c.due,
        warnAt: c.warn,
        rule: c.rule,
        provisional: c.provisional,
        explanation: d.explanation,
      });
    }
    return { policyId: policy.id, effectiveFrom: policy.effectiveFrom, at: iso(at), deadlines: out };
  }

  /** Decrypts a reporter's identity for discipline staff or the agent who took the report; every reveal is logged. */
  async revealIdentity(actor: Actor, id: number, reason: string): Promise<IdentityRevealed> {
    const t = await this.load(actor, id);
    const allowed = permissionsOf(actor.roles).has('report.identity.read') || (actor.userId !== null && actor.userId === t.intake_by);
    if (!allowed || actor.userId === null)
      throw new AppError('forbidden', 'Only discipline staff or the agent who took the report may see the reporter');
    const row = await this.protection.identity(t.id);
    if (!row) throw new AppError('not_found', 'This order holds no reporter identity');
    await this.protection.logReveal({ ticket_id: t.id, user_id: actor.userId, reason, at: iso(this.clock()) });
    return {
      identity: JSON.parse(open(this.identityKey, row, `ticket:${t.id}`)) as Record<string, string | null>,
      reveals: await this.protection.reveals(t.id),
    };
  }

  /** The customer matched by phone or account number, with their recent orders (for the intake screen). */
  async customerHistory(actor: Actor, q: { phone?: string; account?: string }): Promise<CustomerHistory> {
    requirePermission(actor, 'ticket.read');
    if (!q.phone && !q.account) throw invalidField('phone', 'give a phone or an account number');
    const filter: TicketFilter = q.account ? { customerAccount: q.account } : { customerPhone: q.phone as string };
    requireCustomerLookup(actor, filter);
    const page = await this.lists.list(scopeOf(actor), filter, 'created', 20, null);
    const access = customerAccessOf(actor.roles);
    const views = page.rows.map((t) => ticketView(t, access));
    const open = views.filter((v) => v.state !== 'closed');
    const since = Date.parse(iso(this.clock())) - 30 * 86_400_000;
    return {
      orders: views,
      openOrders: open.map((o) => ({ id: o.id, number: o.number, state: o.state, subject: o.subject, version: o.version })),
      last30Days: views.filter((v) => Date.parse(v.createdAt) >= since).length,
    };
  }
}
