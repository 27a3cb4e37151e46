import type { Kysely, Transaction } from 'kysely';
import type { OrderAnswer } from '../../core/outage.ts';
import { can, type Permission } from '../../core/permissions.ts';
import { label, RESPONSIBILITY, ROOT_CAUSES, VERIFICATION_RESULTS } from '../../core/taxonomy.ts';
import type { Database, OrgUnit, Ticket } from '../db/schema.ts';
import { shanghaiDate } from '../domain/calendar.ts';
import { addressFor, customerAccessOf } from '../domain/customer-data.ts';
import { formatShanghai } from '../domain/local-time.ts';
import {
  type LineProblem,
  OUTAGE_KINDS,
  type OutageKind,
  type OutageStatus,
  outageColumns,
  outageMatch,
  outageStats,
  readOutageLine,
} from '../domain/outage.ts';
import { renderPlaceholders } from '../domain/reply-script.ts';
import { AppError, invalidField } from '../errors.ts';
import { parseCsv } from '../lib/csv.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { OutageRepository, OutageRow } from '../repositories/outage.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { type Actor, requirePermission } from './actor.ts';
import { applyWithEvent } from './event-writer.ts';
import type { ReferenceService } from './reference.service.ts';
import type { TicketHooks } from './ticket-hooks.ts';
import { scopeOf, type WorkflowService } from './workflow.service.ts';

type Trx = Transaction<Database>;

export interface OutageInput {
  kind: OutageKind;
  title: string;
  cause: string;
  unitIds: number[];
  areas?: string[];
  feeders?: string[];
  startAt: string;
  expectedRestoreAt?: string | null;
  note?: string | null;
}

/** What the bulk answer writes into each linked order's reply (回单). */
export interface AnswerInput {
  verification?: string;
  rootCause: string;
  responsibility?: string;
  /** A template; placeholders {number} {location} {outageNumber} {outageTitle} {cause} {areas} {restoredAt}. */
  replyText?: string;
  /** When given, orders without a customer contact first get a `contact` (method sms) with this note. */
  contactNote?: string | null;
}

export const DEFAULT_OUTAGE_REPLY =
  '您好，您反映的{location}停电问题，经核实系{kindLabel}（{cause}）所致，停电事件编号{outageNumber}，影响范围：{areas}。' +
  '该区域已于{restoredAt}恢复供电。停电给您的生产生活带来不便，我们深表歉意，今后将加强设备巡视维护和停电信息告知。如仍有问题，请拨打95598。';

function parseList(json: string): string[] {
  const v = JSON.parse(json) as unknown;
  return Array.isArray(v) ? v.map(String) : [];
}

/** Outage events (停电事件): records, matching at intake, linked orders, the bulk answer on restore. */
export class OutageService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly outages: OutageRepository,
    private readonly tickets: TicketRepository,
    private readonly org: OrgRepository,
    private readonly workflow: WorkflowService,
    private readonly reference: ReferenceService,
    private readonly hooks: TicketHooks,
    private readonly clock: Clock,
  ) {}

  private company(actor: Actor): number {
    if (actor.companyId === null) throw new AppError('forbidden', 'Your unit belongs to no company');
    return actor.companyId;
  }

  private requireRead(actor: Actor): void {
    const ok: Permission[] = ['ticket.read', 'outage.manage'];
    if (!ok.some((p) => can(actor.roles, p)))
      throw new AppError('forbidden', 'Missing permission ticket.read', { permission: 'ticket.read' });
  }

  private async view(o: OutageRow, units: number[], orders: number) {
    const names = await Promise.all(units.map((id) => this.org.find(id)));
    return {
      id: o.id,
      number: o.number,
      kind: o.kind as OutageKind,
      title: o.title,
      cause: o.cause,
      areas: parseList(o.areas),
      feeders: parseList(o.feeders),
      units: names.filter((u): u is OrgUnit => Boolean(u)).map((u) => ({ id: u.id, code: u.code, name: u.name })),
      startAt: o.start_at,
      expectedRestoreAt: o.expected_restore_at,
      restoredAt: o.restored_at,
      status: o.status as OutageStatus,
      note: o.note,
      orderCount: orders,
      createdAt: o.created_at,
      updatedAt: o.updated_at,
    };
  }

  private async views(actor: Actor, rows: OutageRow[]) {
    const ids = rows.map((r) => r.id);
    const [units, counts] = await Promise.all([this.outages.unitsOf(ids), this.outages.orderCounts(ids, scopeOf(actor))]);
    return Promise.all(rows.map((r) => this.view(r, units.get(r.id) ?? [], counts.get(r.id) ?? 0)));
  }

  private async load(actor: Actor, id: number, q?: Trx): Promise<OutageRow> {
    const o = await this.outages.find(id, this.company(actor), q);
    if (!o) throw new AppError('not_found', `Outage ${id} not found`);
    return o;
  }

  private async checkUnits(actor: Actor, unitIds: readonly number[], q: Trx): Promise<void> {
    if (unitIds.length === 0) throw invalidField('unitIds', 'at least one 供电所 is required');
    const company = await this.org.find(this.company(actor), q);
    for (const id of unitIds) {
      const u = await this.org.find(id, q);
      if (!u || !company || !u.path.startsWith(company.path) || u.kind === 'company' || u.active !== 1)
        throw invalidField('unitIds', `unit ${id} is no active station or department of your company`);
    }
  }

  private checkTimes(startAt: string, restoreAt: string | null | undefined): void {
    if (restoreAt && Date.parse(restoreAt) <= Date.parse(startAt)) throw invalidField('expectedRestoreAt', 'must be after the start');
  }

  private async insert(actor: Actor, input: OutageInput, trx: Trx): Promise<number> {
    const at = iso(this.clock());
    const day = shanghaiDate(new Date(input.startAt));
    const seq = await this.tickets.nextNumber('outage', day, trx);
    return this.outages.insert(
      {
        company_id: this.company(actor),
        number: `TD${day.replaceAll('-', '')}${String(seq).padStart(4, '0')}`,
        kind: input.kind,
        title: input.title.trim(),
        cause: input.cause.trim(),
        areas: JSON.stringify(input.areas ?? []),
        feeders: JSON.stringify(input.feeders ?? []),
        start_at: new Date(input.startAt).toISOString(),
        expected_restore_at: input.expectedRestoreAt ? new Date(input.expectedRestoreAt).toISOString() : null,
        restored_at: null,
        status: 'active',
        note: input.note ?? null,
        created_by: actor.userId,
        created_at: at,
        updated_at: at,
      },
      input.unitIds,
      trx,
    );
  }

  /** Records an outage (active until restored or cancelled). */
  async create(actor: Actor, input: OutageInput) {
    requirePermission(actor, 'outage.manage');
    this.checkTimes(input.startAt, input.expectedRestoreAt);
    const id = await this.db.transaction().execute(async (trx) => {
      await this.checkUnits(actor, input.unitIds, trx);
      return this.insert(actor, input, trx);
    });
    return this.get(actor, id);
  }

  /** Changes an active outage; `status: 'cancelled'` cancels it (a restored or cancelled one no longer changes). */
  async update(actor: Actor, id: number, patch: Partial<OutageInput> & { status?: 'cancelled' }) {
    requirePermission(actor, 'outage.manage');
    await this.db.transaction().execute(async (trx) => {
      const o = await this.load(actor, id, trx);
      if (o.status !== 'active') throw new AppError('conflict', `The outage is ${o.status} and can no longer change`);
      const startAt = patch.startAt ? new Date(patch.startAt).toISOString() : o.start_at;
      const restoreAt = patch.expectedRestoreAt !== undefined ? patch.expectedRestoreAt : o.expected_restore_at;
      this.checkTimes(startAt, restoreAt);
      if (patch.unitIds) {
        await this.checkUnits(actor, patch.unitIds, trx);
        await this.outages.setUnits(id, patch.unitIds, trx);
      }
      await this.outages.update(
        id,
        {
          ...(patch.kind ? { kind: patch.kind } : {}),
          ...(patch.title ? { title: patch.title.trim() } : {}),
          ...(patch.cause ? { cause: patch.cause.trim() } : {}),
          ...(patch.areas ? { areas: JSON.stringify(patch.areas) } : {}),
          ...(patch.feeders ? { feeders: JSON.stringify(patch.feeders) } : {}),
          ...(patch.note !== undefined ? { note: patch.note } : {}),
          ...(patch.status ? { status: patch.status } : {}),
          start_at: startAt,
          expected_restore_at: restoreAt ? new Date(restoreAt).toISOString() : null,
          updated_at: iso(this.clock()),
        },
        trx,
      );
    });
    return this.get(actor, id);
  }

  /** One outage with the linked orders the actor may see. */
  async get(actor: Actor, id: number) {
    this.requireRead(actor);
    const o = await this.load(actor, id);
    const [view] = await this.views(actor, [o]);
    if (!view) throw new AppError('not_found', `Outage ${id} not found`);
    const orders = await this.outages.linkedOrders(id, scopeOf(actor));
    // The address is customer data: shown as the one masking policy allows the reader.
    const access = customerAccessOf(actor.roles);
    return { outage: view, orders: orders.map((o) => ({ ...o, location: addressFor(access, o.location) })) };
  }

  /** The company's outages, newest first. */
  async list(actor: Actor, f: { status?: string; unitId?: number; from?: string; to?: string; limit?: number }) {
    this.requireRead(actor);
    const rows = await this.outages.list(this.company(actor), { ...f, statuses: f.status ? f.status.split(',') : undefined });
    return { items: await this.views(actor, rows) };
  }

  /**
   * The active outages that concern a caller, shown to the agent at intake: by their station and by village, street
   * or feeder text in the address. Planned outages starting within the next 24 hours count as active too.
   */
  async active(actor: Actor, q: { location?: string; unitId?: number }) {
    this.requireRead(actor);
    const soon = iso(new Date(this.clock().getTime() + 24 * 3_600_000));
    const rows = (await this.outages.list(this.company(actor), { statuses: ['active'] })).filter((o) => o.start_at <= soon);
    const units = await this.outages.unitsOf(rows.map((r) => r.id));
    const matched: Array<{ row: OutageRow; matchedBy: string[] }> = [];
    for (const row of rows) {
      const area = { unitIds: units.get(row.id) ?? [], areas: parseList(row.areas), feeders: parseList(row.feeders) };
      const matchedBy = q.location || q.unitId ? outageMatch(area, q) : ['company'];
      if (matchedBy.length) matched.push({ row, matchedBy });
    }
    const views = await this.views(
      actor,
      matched.map((m) => m.row),
    );
    const now = this.clock().toISOString();
    return {
      items: views.map((v, i) => ({ ...v, started: v.startAt <= now, matchedBy: matched[i]?.matchedBy ?? [] })),
    };
  }

  /**
   * Links an order taken earlier to an active outage (the agent recognises it later): flags the order and writes a
   * `link_outage` event on it, in one transaction.
   */
  async linkOrder(actor: Actor, id: number, ticketId: number) {
    requirePermission(actor, 'outage.manage');
    const at = iso(this.clock());
    await this.db.transaction().execute(async (trx) => {
      const o = await this.load(actor, id, trx);
      if (o.status !== 'active') throw new AppError('conflict', `The outage is ${o.status}; only active outages take orders`);
      const t = await this.tickets.findScoped(ticketId, scopeOf(actor), trx);
      if (!t) throw invalidField('ticketId', 'no such order');
      if ((await this.outages.outagesOfOrder(ticketId, trx)).some((x) => x.id === id))
        throw new AppError('conflict', 'The order is already linked');
      await this.outages.linkOrder({ outage_id: id, ticket_id: ticketId, linked_by: actor.userId, linked_at: at }, trx);
      await applyWithEvent(
        this.tickets,
        this.hooks,
        trx,
        t,
        { flag_outage: 1 },
        {
          action: 'link_outage',
          actorId: actor.userId,
          actorUnitId: actor.unitId,
          to: t.state,
          input: { outageId: id, number: o.number },
          at,
        },
      );
    });
    return this.get(actor, id);
  }

  /** The outages an order the actor can see is linked to (order detail). */
  async ofOrder(actor: Actor, ticketId: number) {
    this.requireRead(actor);
    const t = await this.tickets.findScoped(ticketId, scopeOf(actor));
    if (!t) throw new AppError('not_found', `Order ${ticketId} not found`);
    const rows = await this.outages.outagesOfOrder(ticketId);
    return {
      items: rows.map((r) => ({
        id: r.id,
        number: r.number,
        title: r.title,
        kind: r.kind as OutageKind,
        status: r.status as OutageStatus,
        startAt: r.start_at,
        expectedRestoreAt: r.expected_restore_at,
        restoredAt: r.restored_at,
      })),
    };
  }

  /** Marks the outage restored and answers its linked orders (see `answer`). */
  async restore(actor: Actor, id: number, input: { restoredAt?: string; answer?: AnswerInput }) {
    requirePermission(actor, 'outage.manage');
    const restoredAt = input.restoredAt ? new Date(input.restoredAt) : this.clock();
    if (restoredAt.getTime() > this.clock().getTime() + 60_000) throw invalidField('restoredAt', 'cannot be in the future');
    await this.db.transaction().execute(async (trx) => {
      const o = await this.load(actor, id, trx);
      if (o.status !== 'active') throw new AppError('conflict', `The outage is already ${o.status}`);
      if (restoredAt.toISOString() < o.start_at) throw invalidField('restoredAt', 'is before the outage started');
      await this.outages.update(id, { status: 'restored', restored_at: restoredAt.toISOString(), updated_at: iso(this.clock()) }, trx);
    });
    const answered = input.answer ? await this.answerOrders(actor, id, input.answer) : { results: [], notVisible: 0 };
    return { ...(await this.get(actor, id)), ...answered };
  }

  /** Answers the linked orders of a restored outage again (e.g. the station after the centre dispatched them). */
  async answer(actor: Actor, id: number, input: AnswerInput) {
    requirePermission(actor, 'outage.manage');
    const o = await this.load(actor, id);
    if (o.status !== 'restored') throw new AppError('conflict', 'Only a restored outage answers its orders');
    return this.answerOrders(actor, id, input);
  }

  /**
   * The bulk answer: every linked open order the actor can see is taken as far as the actor may through the normal
   * workflow actions (dispatch to the outage's station, sign, contact, reply), each order in its own transaction so
   * that an order is either advanced through all its planned steps or left untouched; each keeps its own clocks and
   * then goes to review and call-back like any other order. Orders the actor cannot see are only counted.
   */
  private async answerOrders(actor: Actor, id: number, input: AnswerInput): Promise<{ results: OrderAnswer[]; notVisible: number }> {
    if (!ROOT_CAUSES.some((r) => r.code === input.rootCause)) throw invalidField('answer.rootCause', 'unknown root cause');
    const verification = input.verification ?? 'substantiated';
    if (!VERIFICATION_RESULTS.some((v) => v.code === verification)) throw invalidField('answer.verification', 'unknown result');
    const responsibility = input.responsibility ?? 'company';
    if (!RESPONSIBILITY.some((v) => v.code === responsibility)) throw invalidField('answer.responsibility', 'unknown responsibility');
    const o = await this.load(actor, id);
    const units = (await this.outages.unitsOf([id])).get(id) ?? [];
    const station = units.length === 1 ? (units[0] as number) : null;
    const kindLabel = label(OUTAGE_KINDS, o.kind);
    const vars = {
      outageNumber: o.number,
      outageTitle: o.title,
      cause: o.cause,
      kindLabel,
      areas: [...parseList(o.areas), ...parseList(o.feeders)].join('、') || o.title,
      restoredAt: o.restored_at ? formatShanghai(new Date(o.restored_at)) : '',
    };
    const unitPaths = new Map<number, string | null>();
    const pathOf = async (unitId: number | null) => {
      if (unitId === null) return null;
      if (!unitPaths.has(unitId)) unitPaths.set(unitId, (await this.org.find(unitId))?.path ?? null);
      return unitPaths.get(unitId) ?? null;
    };
    const linked = await this.outages.linkedOrders(id, scopeOf(actor));
    const results: OrderAnswer[] = [];
    for (const row of linked) {
      const t = (await this.tickets.find(row.id)) as Ticket;
      const replyText = renderPlaceholders(input.replyText ?? DEFAULT_OUTAGE_REPLY, {
        ...vars,
        number: t.number,
        location: t.location ?? '您所在区域',
      }).text;
      const plan = await this.planAnswer(actor, t, station, pathOf, {
        verification,
        rootCause: input.rootCause,
        responsibility,
        replyText,
        contactNote: input.contactNote ?? null,
        note: `停电事件${o.number}：${o.title}`,
      });
      const base = { ticketId: t.id, number: t.number, from: t.state };
      if (plan.steps.length === 0) {
        results.push({ ...base, to: t.state, actions: [], outcome: 'skipped', reason: plan.stop, error: null });
        continue;
      }
      // Warm what the workflow reads outside its transaction: SQLite's one connection is held by the transaction.
      await this.reference.calendar();
      await this.reference.policy(t.policy_id);
      try {
        // One transaction per order: its steps stand or fall together; other orders are unaffected.
        const after = await this.db.transaction().execute(async (trx) => {
          let version = t.version;
          let current: Ticket = t;
          for (const [action, body] of plan.steps) {
            current = await this.workflow.act(actor, t.id, action, { ...body, version }, trx);
            version = current.version;
          }
          return current;
        });
        const replied = plan.steps.some(([a]) => a === 'reply');
        results.push({
          ...base,
          to: after.state,
          actions: plan.steps.map(([a]) => a),
          outcome: replied ? 'answered' : 'advanced',
          reason: plan.stop,
          error: null,
        });
      } catch (err) {
        const e = err instanceof AppError ? { code: err.code, message: err.message } : { code: 'internal_error', message: String(err) };
        results.push({ ...base, to: t.state, actions: [], outcome: 'failed', reason: null, error: e });
      }
    }
    // Linked orders outside the actor's scope are neither touched nor named, only counted.
    const total = (await this.outages.orderCounts([id], null)).get(id) ?? 0;
    return { results, notVisible: total - linked.length };
  }

  /** The workflow steps the actor may take on one order towards a reply, and why it stops short, if it does. */
  private async planAnswer(
    actor: Actor,
    t: Ticket,
    station: number | null,
    pathOf: (unitId: number | null) => Promise<string | null>,
    a: { verification: string; rootCause: string; responsibility: string; replyText: string; contactNote: string | null; note: string },
  ): Promise<{ steps: Array<[string, Record<string, unknown>]>; stop: string | null }> {
    const steps: Array<[string, Record<string, unknown>]> = [];
    let state = t.state;
    let unitId = t.unit_id;
    const mine = async () => Boolean((await pathOf(unitId))?.startsWith(actor.unitPath));
    if (state === 'pending_dispatch') {
      if (!can(actor.roles, 'ticket.dispatch')) return { steps, stop: 'dispatch_not_permitted' };
      if (station === null) return { steps, stop: 'outage_has_several_stations' };
      steps.push(['dispatch', { unitId: station, note: a.note }]);
      state = 'dispatched';
      unitId = station;
    }
    if (state === 'dispatched') {
      if (!can(actor.roles, 'ticket.sign') || !(await mine())) return { steps, stop: 'awaiting_sign_by_unit' };
      steps.push(['sign', {}]);
      state = 'in_progress';
    }
    if (state === 'in_progress') {
      if (!can(actor.roles, 'ticket.reply') || !(await mine())) return { steps, stop: 'reply_not_permitted' };
      const contactNeeded = t.anonymous !== 1 && t.kind !== 'report' && t.contact_count === 0;
      if (contactNeeded) {
        if (!a.contactNote || !can(actor.roles, 'ticket.contact')) return { steps, stop: 'customer_not_contacted' };
        steps.push(['contact', { note: a.contactNote, method: 'sms' }]);
      }
      steps.push([
        'reply',
        { verification: a.verification, rootCause: a.rootCause, responsibility: a.responsibility, replyText: a.replyText },
      ]);
      return { steps, stop: null };
    }
    const why: Record<string, string> = {
      suspended: 'suspended',
      pending_review: 'already_answered',
      pending_revisit: 'already_answered',
      closed: 'closed',
    };
    return { steps, stop: why[state] ?? `state_${state}` };
  }

  /**
   * Imports planned outages from CSV (header row; English or Chinese headings). Every line is checked; the valid
   * lines are recorded unless `dryRun`, each in its own transaction, and the problems are reported per line.
   */
  async importCsv(actor: Actor, text: string, opts: { dryRun: boolean }) {
    requirePermission(actor, 'outage.manage');
    const rows = parseCsv(text);
    const header = rows[0];
    if (!header) throw invalidField('body', 'the CSV is empty');
    const { columns, problems: headerProblems } = outageColumns(header.cells);
    if (headerProblems.length) return { dryRun: opts.dryRun, lines: rows.length - 1, created: [], errors: headerProblems };
    const company = await this.org.find(this.company(actor));
    const units = (await this.org.list()).filter(
      (u) => company && u.path.startsWith(company.path) && u.kind !== 'company' && u.active === 1,
    );
    const station = (s: string) => units.find((u) => u.code === s || u.name === s)?.id ?? null;
    const errors: LineProblem[] = [];
    const created: Array<{ line: number; id: number | null; number: string | null; title: string }> = [];
    for (const r of rows.slice(1)) {
      const { row, problems } = readOutageLine(r.line, r.cells, columns, station);
      if (!row) {
        errors.push(...problems);
        continue;
      }
      if (opts.dryRun) {
        created.push({ line: r.line, id: null, number: null, title: row.title });
        continue;
      }
      const input: OutageInput = {
        kind: row.kind,
        title: row.title,
        cause: row.cause,
        unitIds: row.unitIds,
        areas: row.areas,
        feeders: row.feeders,
        startAt: row.startAt.toISOString(),
        expectedRestoreAt: row.expectedRestoreAt?.toISOString() ?? null,
      };
      const id = await this.db.transaction().execute((trx) => this.insert(actor, input, trx));
      const o = await this.load(actor, id);
      created.push({ line: r.line, id, number: o.number, title: row.title });
    }
    return { dryRun: opts.dryRun, lines: rows.length - 1, created, errors };
  }

  /** Outage statistics over a start period: count, duration, linked orders per outage, by station and month. */
  async stats(actor: Actor, period: { from?: string; to?: string }) {
    this.requireRead(actor);
    const rows = await this.outages.list(this.company(actor), { from: period.from, to: period.to, limit: 100_000 });
    const ids = rows.map((r) => r.id);
    const [units, counts] = await Promise.all([this.outages.unitsOf(ids), this.outages.orderCounts(ids, scopeOf(actor))]);
    const stats = outageStats(
      rows.map((r) => ({
        id: r.id,
        number: r.number,
        status: r.status,
        kind: r.kind,
        startAt: r.start_at,
        restoredAt: r.restored_at,
        unitIds: units.get(r.id) ?? [],
        orders: counts.get(r.id) ?? 0,
      })),
    );
    const names = new Map((await this.org.list()).map((u) => [u.id, u.name]));
    return { ...stats, byUnit: stats.byUnit.map((b) => ({ ...b, unitName: names.get(b.unitId) ?? null })) };
  }
}
