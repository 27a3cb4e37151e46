import { can } from '../../core/permissions.ts';
import type { Channel, Kind } from '../../core/taxonomy.ts';
import type { Ticket } from '../db/schema.ts';
import { type ClockContext, type OrderDates, projectOrderDates } from '../domain/clocks.ts';
import { formatShanghai } from '../domain/local-time.ts';
import { renderPlaceholders, SCRIPT_SECTIONS, scriptLookupOrder } from '../domain/reply-script.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { ReplyScriptRow, ScriptRepository } from '../repositories/script.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { ReferenceService } from './reference.service.ts';
import { scopeOf } from './workflow.service.ts';

export interface ScriptInput {
  classCode: string;
  title: string;
  empathy: string;
  explanation: string;
  promise: string;
  deescalation: string;
  active?: boolean;
}

function raw(r: ReplyScriptRow) {
  return {
    id: r.id,
    classCode: r.class_code,
    title: r.title,
    empathy: r.empathy,
    explanation: r.explanation,
    promise: r.promise,
    deescalation: r.deescalation,
    active: r.active === 1,
    updatedAt: r.updated_at,
  };
}

/** The reply-script library (话术): admin-maintained, rendered with an order's number, unit and deadlines. */
export class ScriptService {
  constructor(
    private readonly scripts: ScriptRepository,
    private readonly tickets: TicketRepository,
    private readonly org: OrgRepository,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
  ) {}

  private requireRead(actor: Actor): void {
    if (!can(actor.roles, 'ticket.read') && !can(actor.roles, 'admin.taxonomy'))
      throw new AppError('forbidden', 'Missing permission ticket.read', { permission: 'ticket.read' });
  }

  /** Every script as written (placeholders unfilled). */
  async list(actor: Actor) {
    this.requireRead(actor);
    return { items: (await this.scripts.list()).map(raw) };
  }

  /** One script as written. */
  async get(actor: Actor, id: number) {
    this.requireRead(actor);
    const r = await this.scripts.find(id);
    if (!r) throw new AppError('not_found', `Script ${id} not found`);
    return raw(r);
  }

  private async checkClass(code: string): Promise<void> {
    if (code === '*') return;
    if (!(await this.reference.classes()).some((c) => c.code === code)) throw invalidField('classCode', 'no such class');
  }

  /** Adds a script for a class that has none (admin). */
  async create(actor: Actor, input: ScriptInput) {
    requirePermission(actor, 'admin.taxonomy');
    await this.checkClass(input.classCode);
    if ((await this.scripts.list()).some((s) => s.class_code === input.classCode))
      throw new AppError('conflict', `Class ${input.classCode} already has a script; edit it instead`);
    const at = iso(this.clock());
    const id = await this.scripts.insert({
      class_code: input.classCode,
      title: input.title,
      empathy: input.empathy,
      explanation: input.explanation,
      promise: input.promise,
      deescalation: input.deescalation,
      active: input.active === false ? 0 : 1,
      updated_by: actor.userId,
      created_at: at,
      updated_at: at,
    });
    return this.get(actor, id);
  }

  /** Edits a script (admin); the class it belongs to does not change. */
  async update(actor: Actor, id: number, patch: Partial<Omit<ScriptInput, 'classCode'>>) {
    requirePermission(actor, 'admin.taxonomy');
    const r = await this.scripts.find(id);
    if (!r) throw new AppError('not_found', `Script ${id} not found`);
    if (r.class_code === '*' && patch.active === false) throw invalidField('active', 'the generic script cannot be retired');
    const { active, ...text } = patch;
    await this.scripts.update(id, {
      ...text,
      ...(active !== undefined ? { active: active ? 1 : 0 } : {}),
      updated_by: actor.userId,
      updated_at: iso(this.clock()),
    });
    return this.get(actor, id);
  }

  /** Deletes a script (admin); the generic one stays. */
  async remove(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'admin.taxonomy');
    const r = await this.scripts.find(id);
    if (!r) throw new AppError('not_found', `Script ${id} not found`);
    if (r.class_code === '*') throw new AppError('conflict', 'The generic script cannot be deleted');
    await this.scripts.delete(id);
  }

  private async pick(classCode: string | null): Promise<ReplyScriptRow> {
    const order = scriptLookupOrder(classCode);
    const rows = await this.scripts.forCodes(order);
    for (const code of order) {
      const r = rows.find((x) => x.class_code === code);
      if (r) return r;
    }
    throw new Error('the generic reply script (*) is missing');
  }

  private render(script: ReplyScriptRow, vars: Record<string, string | null>) {
    const sections = SCRIPT_SECTIONS.map((s) => {
      const r = renderPlaceholders(script[s.code], vars);
      return { code: s.code, zh: s.zh, en: s.en, text: r.text, missing: r.missing };
    });
    return {
      scriptId: script.id,
      classCode: script.class_code,
      title: script.title,
      sections,
      values: vars,
    };
  }

  private fmt(isoText: string | null | undefined): string | null {
    return isoText ? formatShanghai(new Date(isoText)) : null;
  }

  /**
   * The script before the order exists (intake screen). Its dates are the ones the deadline engine gives an order of
   * this kind and channel taken now and dispatched now (the time at hand): the promise from intake, first contact and
   * reply from dispatch, or the forwarding body's own deadline. With no kind chosen there is no rule to count by, so
   * the script promises no date at all.
   */
  async forClass(actor: Actor, q: { classCode: string | null; kind?: Kind; unitId?: number; channel?: Channel; externalDueAt?: string }) {
    this.requireRead(actor);
    const now = this.clock();
    const classes = await this.reference.classes();
    const cls = q.classCode ? classes.find((c) => c.code === q.classCode) : undefined;
    if (q.classCode && !cls) throw invalidField('class', 'no such class');
    let dates: OrderDates = { firstContact: null, reply: null, promise: null };
    if (q.kind) {
      const policy = await this.reference.policyAt(now);
      const ctx: ClockContext = { cal: await this.reference.calendar(), policy: policy.rules, kind: q.kind, channel: q.channel ?? 'phone' };
      dates = projectOrderDates(ctx, now, now, q.externalDueAt ? new Date(q.externalDueAt) : null);
    }
    const unit = q.unitId ? await this.org.find(q.unitId) : undefined;
    return this.render(await this.pick(q.classCode), {
      number: '（受理后生成）',
      customerName: '',
      unitName: unit?.name ?? '属地供电单位',
      firstContactDue: this.fmt(dates.firstContact),
      replyDue: this.fmt(dates.reply),
      promiseDue: this.fmt(dates.promise),
      className: cls?.zh ?? null,
    });
  }

  /** The script for an order the actor can see, filled with its number, unit and deadlines (Asia/Shanghai). */
  async forOrder(actor: Actor, id: number) {
    this.requireRead(actor);
    const t = await this.tickets.findScoped(id, scopeOf(actor));
    if (!t) throw new AppError('not_found', `Order ${id} not found`);
    return { ticketId: t.id, ...this.render(await this.pick(t.class_code), await this.orderValues(t)) };
  }

  private async orderValues(t: Ticket): Promise<Record<string, string | null>> {
    let firstContact = t.first_contact_due_at;
    let reply = t.reply_due_at;
    if (!firstContact || !reply) {
      // Not dispatched yet: the dates it gets if dispatched now, from the policy stamped on the order.
      const policy = await this.reference.policy(t.policy_id);
      const ctx: ClockContext = {
        cal: await this.reference.calendar(),
        policy: policy.rules,
        kind: t.kind as Kind,
        channel: t.channel as Channel,
      };
      const now = this.clock();
      const p = projectOrderDates(ctx, new Date(t.intake_at), t.dispatched_at ? new Date(t.dispatched_at) : now, null);
      firstContact ??= p.firstContact;
      reply ??= p.reply;
    }
    const unit = t.unit_id ? await this.org.find(t.unit_id) : undefined;
    const cls = t.class_code ? (await this.reference.classes()).find((c) => c.code === t.class_code) : undefined;
    const name = t.customer_name?.trim();
    return {
      number: t.number,
      customerName: name ? `${name.slice(0, 1)}先生/女士` : '',
      unitName: unit?.name ?? '属地供电单位',
      firstContactDue: this.fmt(firstContact),
      replyDue: this.fmt(reply),
      promiseDue: this.fmt(t.promise_due_at ?? t.external_due_at),
      className: cls?.zh ?? null,
    };
  }
}
