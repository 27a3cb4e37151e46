import { permissionsOf } from '../../core/permissions.ts';
import type { Channel, Kind } from '../../core/taxonomy.ts';
import { CLOCK_LABELS, type ClockName } from '../../core/time-policy.ts';
import { availableActions, type StateCode } from '../../core/workflow/index.ts';
import type { Ticket } from '../db/schema.ts';
import { shanghaiDateTime } from '../domain/calendar.ts';
import { type ClockKey, type Clocks, startClock, toDeadline } from '../domain/clocks.ts';
import { verifyChain } from '../domain/event-chain.ts';
import { AppError, invalidField } from '../errors.ts';
import { open } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { Cursor, SortKey, TicketFilter, TicketRepository } from '../repositories/ticket.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { ReferenceService } from './reference.service.ts';
import { ticketView } from './ticket-view.ts';
import { orderView, scopeOf } from './workflow.service.ts';

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as Cursor;
    if (typeof c.id === 'number' && (c.p === 0 || c.p === 1)) return c;
  } catch {
    // fall through to the 400 below
  }
  throw invalidField('cursor', 'is not a cursor this API returned');
}

/** Reading orders: lists, queues, detail, deadline explanations, identity reveal, chain verification. */
export class TicketQueryService {
  constructor(
    private readonly tickets: TicketRepository,
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

  /** A page of orders in the actor's scope. */
  async list(actor: Actor, filter: TicketFilter, sort: SortKey, limit: number, cursor: string | null) {
    requirePermission(actor, 'ticket.read');
    const page = await this.tickets.list(scopeOf(actor), filter, sort, limit, cursor ? decodeCursor(cursor) : null);
    const perms = permissionsOf(actor.roles);
    const ids = (pick: (t: (typeof page.rows)[number]) => number | null) => [
      ...new Set(page.rows.map(pick).filter((x): x is number => x !== null)),
    ];
    const names = await this.tickets.names(
      ids((t) => t.unit_id),
      ids((t) => t.assignee_id),
    );
    const nameOf = (m: Map<number, string>, id: number | null) => (id === null ? null : (m.get(id) ?? null));
    return {
      items: page.rows.map((t) =>
        ticketView(t, perms, { unitName: nameOf(names.units, t.unit_id), assigneeName: nameOf(names.users, t.assignee_id) }),
      ),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
  }

  /** Counts of the role queues (待派单 … 督办). */
  async queues(actor: Actor) {
    requirePermission(actor, 'ticket.read');
    const c = await this.tickets.queueCounts(scopeOf(actor));
    const s = (state: StateCode) => c.byState[state] ?? 0;
    return {
      to_dispatch: s('pending_dispatch'),
      to_sign: s('dispatched'),
      in_progress: s('in_progress') + s('suspended'),
      to_review: s('pending_review'),
      to_revisit: s('pending_revisit'),
      warned: c.warned,
      overdue: c.overdue,
      supervised: c.supervised,
    };
  }

  /** The full order: view, events, deadlines, attachments, links and what the actor may do now. */
  async detail(actor: Actor, id: number) {
    const t = await this.load(actor, id);
    const perms = permissionsOf(actor.roles);
    const [events, attachments, links, view, unit, deadlines] = await Promise.all([
      this.tickets.events(t.id),
      this.tickets.attachments(t.id),
      this.tickets.links(t.id),
      orderView(this.tickets, this.org, t),
      t.unit_id ? this.org.find(t.unit_id) : undefined,
      this.deadlinesOf(t),
    ]);
    const [assignee, exclusions] = await Promise.all([
      t.assignee_id ? this.tickets.names([], [t.assignee_id]) : undefined,
      perms.has('ticket.dispatch') ? this.tickets.exclusions(t.id) : [],
    ]);
    return {
      ticket: ticketView(t, perms, {
        unitName: unit?.name ?? null,
        assigneeName: t.assignee_id ? (assignee?.users.get(t.assignee_id) ?? null) : null,
      }),
      /** Units an integrity report names (only for those who dispatch): the unit picker greys them out. */
      excludedUnitIds: exclusions.map((x) => x.unit_id).filter((x): x is number => x !== null),
      events: events.map((e) => ({
        seq: e.seq,
        action: e.action,
        actorId: e.actor_id,
        actorName: e.actor_name ?? (e.actor_id === null ? '系统' : null),
        actorUnitName: e.actor_unit_name,
        from: e.from_state,
        to: e.to_state,
        input: JSON.parse(e.input) as Record<string, unknown>,
        at: e.at,
        hash: e.hash,
      })),
      deadlines,
      attachments: attachments.map((a) => ({ id: a.id, name: a.name, mime: a.mime, size: a.size, createdAt: a.created_at })),
      links: links.map((l) => ({
        id: l.id,
        kind: l.kind,
        direction: l.ticket_id === t.id ? 'out' : 'in',
        orderId: l.order_id,
        number: l.number,
        state: l.state,
        subject: l.subject,
      })),
      availableActions: availableActions(view, { userId: actor.userId, roles: actor.roles, unitPath: actor.unitPath }),
      canRevealIdentity:
        t.kind === 'report' &&
        t.anonymous !== 1 &&
        (perms.has('report.identity.read') || (actor.userId !== null && actor.userId === t.intake_by)),
    };
  }

  /** Each deadline of the order with its explanation in words (DESIGN §5). */
  async deadlines(actor: Actor, id: number) {
    return this.deadlinesOf(await this.load(actor, id));
  }

  private async deadlinesOf(t: Ticket) {
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
  async preview(kind: Kind, channel: Channel, at: Date) {
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
  async revealIdentity(actor: Actor, id: number, reason: string) {
    const t = await this.load(actor, id);
    const allowed = permissionsOf(actor.roles).has('report.identity.read') || (actor.userId !== null && actor.userId === t.intake_by);
    if (!allowed || actor.userId === null)
      throw new AppError('forbidden', 'Only discipline staff or the agent who took the report may see the reporter');
    const row = await this.tickets.identity(t.id);
    if (!row) throw new AppError('not_found', 'This order holds no reporter identity');
    await this.tickets.logReveal({ ticket_id: t.id, user_id: actor.userId, reason, at: iso(this.clock()) });
    return {
      identity: JSON.parse(open(this.identityKey, row, `ticket:${t.id}`)) as Record<string, string | null>,
      reveals: await this.tickets.reveals(t.id),
    };
  }

  /** The customer matched by phone or account number, with their recent orders (for the intake screen). */
  async customerHistory(actor: Actor, q: { phone?: string; account?: string }) {
    requirePermission(actor, 'ticket.read');
    if (!q.phone && !q.account) throw invalidField('phone', 'give a phone or an account number');
    const filter: TicketFilter = q.account ? { customerAccount: q.account } : { customerPhone: q.phone as string };
    const page = await this.tickets.list(scopeOf(actor), filter, 'created', 20, null);
    const perms = permissionsOf(actor.roles);
    const views = page.rows.map((t) => ticketView(t, perms));
    const open = views.filter((v) => v.state !== 'closed');
    const since = Date.parse(iso(this.clock())) - 30 * 86_400_000;
    return {
      orders: views,
      openOrders: open.map((o) => ({ id: o.id, number: o.number, state: o.state, subject: o.subject, version: o.version })),
      last30Days: views.filter((v) => Date.parse(v.createdAt) >= since).length,
    };
  }

  /** Verifies every order's event chain (the `verify-events` command). */
  async verifyAllChains(): Promise<{ checked: number; broken: Array<{ number: string; seq: number; problem: string }> }> {
    let after = 0;
    let checked = 0;
    const broken = [];
    for (;;) {
      const page = await this.tickets.idsAfter(after, 500);
      if (page.length === 0) break;
      for (const t of page) {
        const events = await this.tickets.events(t.id);
        const problem = verifyChain(events, { version: t.version, state: t.state, lastHash: t.last_event_hash });
        if (problem) broken.push({ number: t.number, ...problem });
        checked++;
        after = t.id;
      }
    }
    return { checked, broken };
  }
}
