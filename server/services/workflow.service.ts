import type { Kysely, Transaction } from 'kysely';
import type { Channel, Kind } from '../../core/taxonomy.ts';
import {
  ACTIONS,
  type ActionCode,
  type OrderView,
  type PlanRefs,
  planTransition,
  STATES,
  type StateCode,
} from '../../core/workflow/index.ts';
import type { Database, Ticket, TicketUpdate } from '../db/schema.ts';
import { ACTION_EFFECTS, type Notice } from '../domain/action-effects.ts';
import { applyEffects, type ClockContext, type Clocks, summarize } from '../domain/clocks.ts';
import { AppError } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { Scope, TicketRepository } from '../repositories/ticket.repository.ts';
import type { TicketLinkRepository } from '../repositories/ticket-link.repository.ts';
import type { TicketProtectionRepository } from '../repositories/ticket-protection.repository.ts';
import { scopeOfViewer } from '../repositories/visibility.sql.ts';
import { type Actor, requirePermission } from './actor.ts';
import { applyWithEvent } from './event-writer.ts';
import type { NotificationService } from './notification.service.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketHooks } from './ticket-hooks.ts';

type Trx = Transaction<Database>;

/** The scope of what an actor may see, from their roles. */
export function scopeOf(actor: Actor): Scope {
  return scopeOfViewer(actor);
}

/** What the planner sees of a stored order. */
export async function orderView(protection: TicketProtectionRepository, org: OrgRepository, t: Ticket, q?: Trx): Promise<OrderView> {
  const [unit, company, excluded] = await Promise.all([
    t.unit_id ? org.find(t.unit_id, q) : undefined,
    org.find(t.company_id, q),
    protection.excludedUnitPaths(t.id, q),
  ]);
  return {
    state: t.state as StateCode,
    kind: t.kind as Kind,
    anonymous: t.anonymous === 1,
    contactRequired: t.anonymous !== 1 && t.kind !== 'report',
    unitPath: unit?.path ?? null,
    companyPath: company?.path ?? '/',
    contactCount: t.contact_count,
    suspendRequested: t.suspend_request !== null,
    unitApproved: t.unit_approved_by !== null,
    revisitAttempts: t.revisit_attempts,
    excludedUnitPaths: excluded,
  };
}

function planError(e: Extract<ReturnType<typeof planTransition>, { ok: false }>['error']): AppError {
  switch (e.code) {
    case 'forbidden':
      return new AppError('forbidden', e.message);
    case 'transition_not_allowed':
      return new AppError('transition_not_allowed', e.message, { state: e.state });
    case 'validation_failed':
      return new AppError('validation_failed', e.message, { field: e.field });
    case 'routing_excluded':
      return new AppError('routing_excluded', e.message, { field: e.field });
    case 'guard_failed':
      return new AppError('guard_failed', e.message, { guard: e.guard });
  }
}

/** The outcome columns that mirror the clocks' milestones, so statistics are plain GROUP BY. */
function outcomeColumns(clocks: Clocks): TicketUpdate {
  const onTime = (v: boolean | null | undefined) => (v === null || v === undefined ? null : v ? 1 : 0);
  return {
    first_contact_on_time: onTime(clocks.first_contact?.onTime),
    reply_on_time: onTime(clocks.reply?.onTime),
    promise_on_time: onTime(clocks.promise?.onTime ?? clocks.external?.onTime),
    revisit_on_time: onTime(clocks.revisit?.onTime),
  };
}

/** Every state change after intake: plan with the workflow table, apply with a version check, notify. */
export class WorkflowService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly tickets: TicketRepository,
    private readonly links: TicketLinkRepository,
    private readonly protection: TicketProtectionRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly notifications: NotificationService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
  ) {}

  /**
   * Runs one action on an order the actor can see; 404 outside scope, 409 on a stale version. With `outer`,
   * runs inside the caller's transaction, so that several actions on one order stand or fall together.
   */
  async act(actor: Actor, id: number, action: string, body: Record<string, unknown>, outer?: Trx): Promise<Ticket> {
    const version = body.version;
    if (!Number.isSafeInteger(version))
      throw new AppError('validation_failed', 'version: is required (the version you loaded)', { field: 'version' });
    if (!(action in ACTIONS)) throw new AppError('not_found', `Unknown action ${action}`);
    const now = this.clock();
    const at = iso(now);
    const run = async (trx: Trx): Promise<Ticket> => {
      const t = await this.tickets.findScoped(id, scopeOf(actor), trx);
      if (!t) throw new AppError('not_found', `Order ${id} not found`);
      if (t.version !== version) throw new AppError('ticket_changed', undefined, { id, version: t.version });
      const refs = await this.resolveRefs(actor, t, action as ActionCode, body, trx);
      const view = await orderView(this.protection, this.org, t, trx);
      const result = planTransition(view, action, { userId: actor.userId, roles: actor.roles, unitPath: actor.unitPath }, body, refs, now);
      if (!result.ok) throw planError(result.error);
      const plan = result.plan;
      const effect = ACTION_EFFECTS[plan.action];
      const set = effect.changes({ plan, before: t, actorId: actor.userId, now: at });
      // Pass the transaction: on SQLite a read through the root connection here would wait on ourselves.
      const policy = await this.reference.policy(t.policy_id, trx);
      const ctx: ClockContext = {
        cal: await this.reference.calendar(trx),
        policy: policy.rules,
        kind: t.kind as Kind,
        channel: t.channel as Channel,
      };
      const pausedMs = plan.action === 'resume' ? Date.parse(at) - Date.parse(t.suspended_at ?? at) : 0;
      const clocks = applyEffects(ctx, JSON.parse(t.clocks) as Clocks, plan.effects, now, { redo: plan.redo, pausedMs });
      const running = STATES[plan.to].clocks === 'running';
      const updated = await applyWithEvent(
        this.tickets,
        this.hooks,
        trx,
        t,
        { ...set, clocks: JSON.stringify(clocks), ...summarize(clocks, running), ...outcomeColumns(clocks) },
        { action: plan.action, actorId: actor.userId, actorUnitId: actor.unitId, to: plan.to, input: plan.input, at },
      );
      if (plan.action === 'dispatch') await this.tickets.addUnit(t.id, plan.input.unitId as number, at, trx);
      if (plan.action === 'merge') {
        await this.links.add(
          { ticket_id: t.id, other_id: plan.input.duplicateOfId as number, kind: 'duplicate_of', created_by: actor.userId, created_at: at },
          trx,
        );
      }
      const notice = effect.notice?.(plan, updated);
      if (notice) await this.notify(notice, updated, trx);
      return updated;
    };
    return outer ? run(outer) : this.db.transaction().execute(run);
  }

  /** Links two orders the actor can see as related (both directions show it); writes a `link` event. */
  async link(actor: Actor, id: number, otherId: number): Promise<void> {
    requirePermission(actor, 'ticket.link');
    if (id === otherId) throw new AppError('validation_failed', 'otherId: an order cannot be linked to itself', { field: 'otherId' });
    const at = iso(this.clock());
    await this.db.transaction().execute(async (trx) => {
      const scope = scopeOf(actor);
      const [t, other] = await Promise.all([this.tickets.findScoped(id, scope, trx), this.tickets.findScoped(otherId, scope, trx)]);
      if (!t) throw new AppError('not_found', `Order ${id} not found`);
      if (!other) throw new AppError('validation_failed', 'otherId: no such order', { field: 'otherId' });
      const existing = await this.links.ofTicket(id, scope, trx);
      if (existing.some((l) => l.order_id === otherId)) throw new AppError('conflict', 'The orders are already linked');
      await this.links.add({ ticket_id: id, other_id: otherId, kind: 'related', created_by: actor.userId, created_at: at }, trx);
      await applyWithEvent(
        this.tickets,
        this.hooks,
        trx,
        t,
        {},
        { action: 'link', actorId: actor.userId, actorUnitId: actor.unitId, to: t.state, input: { otherId, number: other.number }, at },
      );
    });
  }

  private async resolveRefs(actor: Actor, t: Ticket, action: ActionCode, body: Record<string, unknown>, trx: Trx): Promise<PlanRefs> {
    if (action === 'dispatch' && Number.isSafeInteger(body.unitId)) {
      const u = await this.org.find(body.unitId as number, trx);
      return { targetUnit: u ? { id: u.id, path: u.path, kind: u.kind, active: u.active === 1 } : null };
    }
    if (action === 'merge' && Number.isSafeInteger(body.duplicateOfId)) {
      const d = await this.tickets.findScoped(body.duplicateOfId as number, scopeOf(actor), trx);
      const company = d ? await this.org.find(d.company_id, trx) : undefined;
      return { orderId: t.id, duplicateOf: d && company ? { id: d.id, companyPath: company.path, state: d.state as StateCode } : null };
    }
    return {};
  }

  private notify(n: Notice, t: Ticket, trx: Trx): Promise<void> {
    if (n.to === 'unit')
      return this.notifications.toUnit(t, n.kind, n.text, trx, n.leadsOnly === undefined ? {} : { leadsOnly: n.leadsOnly });
    return this.notifications.toCompanyRoles(t, n.roles, n.kind, n.text, trx);
  }
}
