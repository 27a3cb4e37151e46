import type { Kysely } from 'kysely';
import { can } from '../../core/permissions.ts';
import {
  RECTIFICATION_ACTIONS,
  RECTIFICATION_START,
  RECTIFICATION_STATES,
  type RectificationAction,
  type RectificationState,
  rectificationActorMay,
  rectificationAllows,
} from '../../core/rectification.ts';
import type { EffectFigures, Rectification as RectificationView } from '../../core/schemas/rectification.schema.ts';
import type { Database, OrgUnit, Ticket } from '../db/schema.ts';
import { addDays, endOfShanghaiDay, shanghaiDate } from '../domain/calendar.ts';
import { withheldLabel } from '../domain/visibility.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { NotificationRepository } from '../repositories/notification.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { Rectification, RectificationRepository } from '../repositories/rectification.repository.ts';
import type { StatsRepository } from '../repositories/stats.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import { type FileDownload, type FileStore, openStored, storeUpload, type Upload, type UploadRule } from '../storage/file-store.ts';
import { type Actor, requirePermission } from './actor.ts';
import type { ReferenceService } from './reference.service.ts';
import { customersOf } from './stats.service.ts';
import { scopeOf } from './workflow.service.ts';

/** The zh/en label of a state. */
function labelOf(state: RectificationState): { zh: string; en: string } {
  const d = RECTIFICATION_STATES[state];
  return { zh: d.zh, en: d.en };
}

/** 409 unless the rectification table allows the action in the state. */
function allowIn(state: string, action: RectificationAction): void {
  if (!rectificationAllows(state, action))
    throw new AppError('transition_not_allowed', `The rectification is ${state}: ${action} is not possible now`, { state, action });
}

export interface RaiseInput {
  unitId: number;
  problem: string;
  measures: string;
  deadlineDays?: number;
  effectMonths?: number;
  ticketIds?: number[];
  classCode?: string | null;
  rootCause?: string | null;
  /** The statistics query behind a report figure, kept as raised. */
  sourceFilter?: Record<string, unknown> | null;
}

const EVIDENCE: UploadRule = {
  accepted: new Set([
    'image/jpeg',
    'image/png',
    'image/webp',
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ]),
  acceptedText: 'images, PDF, Word, Excel',
  fallbackName: 'evidence',
};

/** Months after a Shanghai date, clamped to the month's last day. */
function addMonths(date: string, n: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + n;
  const ty = y + Math.floor(m / 12);
  const tm = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  return `${ty}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(Number(date.slice(8, 10)), last)).padStart(2, '0')}`;
}

/**
 * Rectification orders 整改单: raised from an order, a group of orders or a report figure; the unit
 * submits its measures with evidence; the centre verifies (pass or send back); after N months an effectiveness
 * check compares the cause's complaint rate before and after.
 */
export class RectificationService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: RectificationRepository,
    private readonly tickets: TicketRepository,
    private readonly org: OrgRepository,
    private readonly stats: StatsRepository,
    private readonly notifications: NotificationRepository,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    private readonly files: FileStore,
  ) {}

  private manager(actor: Actor): boolean {
    return can(actor.roles, 'rectification.manage');
  }

  private visiblePaths(actor: Actor): string[] {
    const s = scopeOf(actor);
    const out: string[] = [];
    if (s.companyPath && (this.manager(actor) || can(actor.roles, 'stats.read'))) out.push(s.companyPath);
    // Staff of a unit see the rectifications of their unit; only its lead submits (rectification.respond).
    if (s.unitPath) out.push(s.unitPath);
    return out;
  }

  /** One rectification the actor may see, or 404. */
  async load(actor: Actor, id: number): Promise<Rectification & { unit: OrgUnit }> {
    const r = await this.repo.find(id);
    const unit = r ? await this.org.find(r.unit_id) : undefined;
    if (!r || !unit || !this.visiblePaths(actor).some((p) => unit.path.startsWith(p)))
      throw new AppError('not_found', `Rectification ${id} not found`);
    return { ...r, unit };
  }

  /** Raises a rectification for a unit in the actor's company, linked to the orders it comes from. */
  async raise(actor: Actor, input: RaiseInput) {
    requirePermission(actor, 'rectification.manage');
    const unit = await this.org.find(input.unitId);
    if (!unit || !actor.companyPath || !unit.path.startsWith(actor.companyPath))
      throw invalidField('unitId', 'no such unit in your company');
    const scope = scopeOf(actor);
    const orders: Ticket[] = [];
    for (const id of new Set(input.ticketIds ?? [])) {
      const t = await this.tickets.findScoped(id, scope);
      if (!t) throw invalidField('ticketIds', `order ${id} not found`);
      orders.push(t);
    }
    const common = (vals: Array<string | null>) => (vals.length && vals.every((v) => v === vals[0]) ? vals[0] : null);
    const classCode = input.classCode ?? common(orders.map((o) => o.class_code));
    const rootCause = input.rootCause ?? common(orders.map((o) => o.root_cause));
    const days = input.deadlineDays ?? 10;
    const now = this.clock();
    const today = shanghaiDate(now);
    const cal = await this.reference.calendar();
    const due = endOfShanghaiDay(cal.addWorkdays(today, days).date);
    const at = iso(now);
    const source = input.sourceFilter ? 'figure' : orders.length > 1 ? 'orders' : orders.length === 1 ? 'order' : 'figure';
    return this.db.transaction().execute(async (trx) => {
      const seq = await this.tickets.nextNumber('rectification', today, trx);
      const number = `ZG${today.replaceAll('-', '')}${String(seq).padStart(4, '0')}`;
      const id = await this.repo.insert(
        {
          number,
          company_id: unit.company_id ?? unit.id,
          unit_id: unit.id,
          source,
          source_filter: input.sourceFilter ? JSON.stringify(input.sourceFilter) : null,
          class_code: classCode,
          root_cause: rootCause,
          problem: input.problem,
          measures: input.measures,
          deadline_days: days,
          due_at: iso(due),
          state: RECTIFICATION_START,
          response: null,
          effect_months: input.effectMonths ?? 3,
          effect_due_at: null,
          effect_result: null,
          effect_verdict: null,
          warned: 0,
          overdue: 0,
          version: 1,
          created_by: actor.userId,
          created_at: at,
          submitted_at: null,
          verified_at: null,
          verified_by: null,
          closed_at: null,
          updated_at: at,
        },
        trx,
      );
      await this.repo.addOrders(
        id,
        orders.map((o) => o.id),
        trx,
      );
      await this.repo.addEvent({ rectification_id: id, action: 'raise', actor_id: actor.userId, note: input.problem, at }, trx);
      await this.notifyUnit(unit, `整改单 ${number} 已下达，请于 ${shanghaiDate(due)} 前完成整改`, `rect:${id}:raised`, trx);
      return id;
    });
  }

  /** The unit submits what it did (unit lead of the unit or above it). */
  async submit(actor: Actor, id: number, input: { version: number; response: string }) {
    const r = await this.load(actor, id);
    if (!can(actor.roles, 'rectification.respond') || !r.unit.path.startsWith(actor.unitPath))
      throw new AppError('forbidden', 'Only the unit lead of the responsible unit may submit', {
        permission: 'rectification.respond',
      });
    allowIn(r.state, 'submit');
    await this.transition(
      r,
      input.version,
      { state: RECTIFICATION_ACTIONS.submit.to, response: input.response, submitted_at: iso(this.clock()) },
      actor,
      'submit',
      input.response,
    );
  }

  /** The centre verifies: pass starts the effect clock; send back reopens it. */
  async verify(actor: Actor, id: number, input: { version: number; result: 'pass' | 'send_back'; note?: string }) {
    const r = await this.load(actor, id);
    requirePermission(actor, 'rectification.manage');
    allowIn(r.state, input.result);
    const now = this.clock();
    if (input.result === 'pass') {
      const effectDue = endOfShanghaiDay(addMonths(shanghaiDate(now), r.effect_months));
      await this.transition(
        r,
        input.version,
        { state: RECTIFICATION_ACTIONS.pass.to, verified_at: iso(now), verified_by: actor.userId, effect_due_at: iso(effectDue) },
        actor,
        'pass',
        input.note ?? null,
      );
    } else {
      await this.transition(r, input.version, { state: RECTIFICATION_ACTIONS.send_back.to }, actor, 'send_back', input.note ?? null);
      await this.notifyUnit(r.unit, `整改单 ${r.number} 被退回：${input.note ?? ''}`, `rect:${id}:back:${r.version}`);
    }
  }

  /**
   * The cause's complaints (same unit subtree and class or root cause) in the N months before raising and in
   * the N months after verification, per 10,000 customers per month; `until` cuts the after-period short
   * (a preview while it runs). Fewer complaints after than before is "effective".
   */
  private async effectFigures(r: Rectification & { unit: OrgUnit }, verifiedAt: string, until?: string) {
    const units = new Map((await this.org.list()).map((u) => [u.id, u]));
    const subtree = [...units.values()].filter((u) => u.path.startsWith(r.unit.path)).map((u) => u.id);
    const where = {
      orgUnitIds: subtree,
      ...(r.class_code ? { classPrefixes: [r.class_code] } : {}),
      ...(r.root_cause ? { rootCauses: [r.root_cause] } : {}),
    };
    const raised = shanghaiDate(new Date(r.created_at));
    const verified = shanghaiDate(new Date(verifiedAt));
    const before = { from: addMonths(raised, -r.effect_months), to: addDays(raised, -1) };
    const afterEnd = addMonths(verified, r.effect_months);
    const after = { from: addDays(verified, 1), to: until && until < afterEnd ? until : afterEnd };
    const count = async (range: { from: string; to: string }) => {
      if (range.to < range.from) return 0;
      const rows = await this.stats.query({ grain: 'd', from: range.from, to: range.to, groupBy: [], where });
      return rows[0]?.m.n ?? 0;
    };
    const [nb, na] = await Promise.all([count(before), count(after)]);
    const customers = customersOf(r.unit, units);
    const rate = (n: number) => (customers > 0 ? Math.round((n / customers / r.effect_months) * 10_000 * 10_000) / 10_000 : null);
    const verdict: 'effective' | 'ineffective' = na < nb ? 'effective' : 'ineffective';
    return {
      before: { ...before, count: nb, ratePer10kPerMonth: rate(nb) },
      after: { ...after, count: na, ratePer10kPerMonth: rate(na) },
      customers,
      verdict,
    };
  }

  /**
   * The effectiveness figures so far, without closing: before raising vs. from verification until today (for a
   * rectification not yet verified, until today as if verified now). Closed ones answer their recorded result.
   */
  async effectPreview(actor: Actor, id: number) {
    const r = await this.load(actor, id);
    if (r.effect_result) return { final: true, ...(JSON.parse(r.effect_result) as EffectFigures) };
    const now = this.clock();
    const figures = await this.effectFigures(r, r.verified_at ?? iso(now), shanghaiDate(now));
    return { final: false, ...figures };
  }

  /**
   * Compares the cause's complaint rate in the N months before raising with the N months after verification,
   * records the result and closes the rectification.
   */
  async effectCheck(actor: Actor | null, id: number) {
    const r = actor ? await this.load(actor, id) : await this.loadSystem(id);
    if (actor) requirePermission(actor, 'rectification.manage');
    allowIn(r.state, 'effect_check');
    if (!r.verified_at) throw new AppError('transition_not_allowed', `Cannot check in state ${r.state}`, { state: r.state });
    // A verdict needs the whole period after verification; until then the page shows the figures so far.
    if (actor && r.effect_due_at && iso(this.clock()) < r.effect_due_at)
      throw new AppError('transition_not_allowed', `The effect check is due at ${r.effect_due_at}`, {
        state: r.state,
        effectDueAt: r.effect_due_at,
      });
    const result = await this.effectFigures(r, r.verified_at);
    const { before, after, verdict } = result;
    const now = iso(this.clock());
    await this.transition(
      r,
      r.version,
      { state: RECTIFICATION_ACTIONS.effect_check.to, effect_result: JSON.stringify(result), effect_verdict: verdict, closed_at: now },
      actor,
      'effect_check',
      verdict === 'effective' ? `整改有效：${before.count} → ${after.count} 件` : `整改未见成效：${before.count} → ${after.count} 件`,
    );
    return result;
  }

  /** Stores an evidence file (photo, scan, document) on a rectification the actor may see. */
  async addEvidence(actor: Actor, id: number, file: Upload) {
    const r = await this.load(actor, id);
    if (!this.manager(actor) && !can(actor.roles, 'rectification.respond'))
      throw new AppError('forbidden', 'You may not add evidence', { permission: 'rectification.respond' });
    allowIn(r.state, 'evidence');
    const f = await storeUpload(this.files, file, EVIDENCE);
    const at = iso(this.clock());
    const fileId = await this.repo.addFile({
      rectification_id: id,
      sha256: f.sha256,
      size: f.size,
      mime: f.mime,
      name: f.name,
      uploaded_by: actor.userId,
      created_at: at,
    });
    await this.repo.addEvent({ rectification_id: id, action: 'evidence', actor_id: actor.userId, note: f.name, at }, this.db);
    return { id: fileId, name: f.name, mime: f.mime, size: f.size, createdAt: at };
  }

  /** Opens an evidence file for download, if its rectification is visible (404 otherwise). */
  async evidenceFile(actor: Actor, fileId: number): Promise<FileDownload> {
    const f = await this.repo.findFile(fileId);
    if (!f) throw new AppError('not_found', 'File not found');
    await this.load(actor, f.rectification_id);
    return openStored(this.files, f);
  }

  /** The list in the actor's scope. */
  async list(actor: Actor, f: { state?: string; overdue?: boolean }) {
    const paths = this.visiblePaths(actor);
    if (paths.length === 0) return [];
    const rows = await this.repo.list(paths, f, 500);
    return rows.map((r) => this.view(r, r.unit_name));
  }

  /** Detail: the rectification, its orders, history and evidence. */
  async detail(actor: Actor, id: number) {
    const r = await this.load(actor, id);
    const [orders, all, events, files] = await Promise.all([
      this.repo.orders(id, scopeOf(actor)),
      this.repo.orderKinds(id),
      this.repo.events(id),
      this.repo.files(id),
    ]);
    // Orders the reader may not see are absent and cited by count alone ("1 件举报（已保密）").
    const shown = new Set(orders.map((o) => o.id));
    const hidden = all.filter((o) => !shown.has(o.id));
    const reports = hidden.filter((o) => o.kind === 'report').length;
    const manage = this.manager(actor);
    const respond = can(actor.roles, 'rectification.respond') && r.unit.path.startsWith(actor.unitPath);
    const may = (a: RectificationAction) => rectificationAllows(r.state, a) && rectificationActorMay(a, { unit: respond, centre: manage });
    return {
      rectification: this.view(r, r.unit.name),
      // What this reader may do now (the same checks the actions make), so that the page offers only those.
      can: {
        submit: may('submit'),
        evidence: may('evidence'),
        verify: may('pass'),
        effectCheck: may('effect_check') && !!r.effect_due_at && iso(this.clock()) >= r.effect_due_at,
      },
      orders,
      withheld: { count: hidden.length, label: withheldLabel(reports, hidden.length - reports) },
      events: events.map((e) => ({ action: e.action, note: e.note, at: e.at, actorName: e.actor_name ?? '系统' })),
      files: files.map((f) => ({ id: f.id, name: f.name, mime: f.mime, size: f.size, createdAt: f.created_at })),
    };
  }

  /** Rectifications of a company for a bulletin month: raised in the month or still open. */
  forBulletin(companyPath: string, companyId: number, month: { fromIso: string; toIso: string }) {
    return this.repo.list([companyPath], { companyId, month }, 200);
  }

  /** Sweeper task: warns a day before the deadline, flags overdue ones, runs due effect checks. */
  async sweep(): Promise<{ warned: number; overdue: number; checked: number }> {
    const now = this.clock();
    const at = iso(now);
    const due = await this.repo.dueForSweep(at);
    const out = { warned: 0, overdue: 0, checked: 0 };
    const cal = await this.reference.calendar();
    const warnFrom = iso(endOfShanghaiDay(cal.addWorkdays(shanghaiDate(now), 1).date));
    for (const r of due.open) {
      if (r.due_at > warnFrom || r.due_at <= at) continue;
      const unit = await this.org.find(r.unit_id);
      if (unit && (await this.repo.updateVersioned(r.id, r.version, { warned: 1 }, this.db))) {
        await this.notifyUnit(unit, `整改单 ${r.number} 即将到期（${r.due_at.slice(0, 10)}），请抓紧整改`, `rect:${r.id}:warn`);
        out.warned++;
      }
    }
    for (const r of due.overdue) {
      const unit = await this.org.find(r.unit_id);
      if (unit && (await this.repo.updateVersioned(r.id, r.version, { overdue: 1, warned: 1 }, this.db))) {
        await this.repo.addEvent({ rectification_id: r.id, action: 'overdue', actor_id: null, note: null, at }, this.db);
        await this.notifyUnit(unit, `整改单 ${r.number} 已超期`, `rect:${r.id}:overdue`);
        out.overdue++;
      }
    }
    for (const r of due.effect) {
      await this.effectCheck(null, r.id);
      out.checked++;
    }
    return out;
  }

  private async loadSystem(id: number) {
    const r = await this.repo.find(id);
    const unit = r ? await this.org.find(r.unit_id) : undefined;
    if (!r || !unit) throw new AppError('not_found', `Rectification ${id} not found`);
    return { ...r, unit };
  }

  private async transition(
    r: Rectification,
    version: number,
    set: Parameters<RectificationRepository['updateVersioned']>[2],
    actor: Actor | null,
    action: string,
    note: string | null,
  ) {
    const at = iso(this.clock());
    await this.db.transaction().execute(async (trx) => {
      if (!(await this.repo.updateVersioned(r.id, version, { ...set, updated_at: at }, trx)))
        throw new AppError('conflict', 'The rectification was changed meanwhile; reload it', { id: r.id, version });
      await this.repo.addEvent({ rectification_id: r.id, action, actor_id: actor?.userId ?? null, note, at }, trx);
    });
  }

  private async notifyUnit(unit: OrgUnit, text: string, dedupe: string, q: Kysely<Database> = this.db) {
    const users = await this.notifications.usersWithRoles(unit.path, ['unit_lead'], q);
    await this.notifications.insert(
      users.map((u) => ({
        user_id: u,
        ticket_id: null,
        kind: 'rectification',
        text,
        dedupe_key: `${dedupe}:${u}`,
        created_at: iso(this.clock()),
      })),
      q,
    );
  }

  private view(r: Rectification, unitName: string): RectificationView {
    const state = r.state as RectificationState;
    return {
      id: r.id,
      number: r.number,
      unitId: r.unit_id,
      unitName,
      source: r.source as RectificationView['source'],
      sourceFilter: r.source_filter ? (JSON.parse(r.source_filter) as Record<string, unknown>) : null,
      classCode: r.class_code,
      rootCause: r.root_cause,
      problem: r.problem,
      measures: r.measures,
      deadlineDays: r.deadline_days,
      dueAt: r.due_at,
      state,
      stateLabel: labelOf(state),
      response: r.response,
      effectMonths: r.effect_months,
      effectDueAt: r.effect_due_at,
      effect: r.effect_result ? (JSON.parse(r.effect_result) as EffectFigures) : null,
      effectVerdict: r.effect_verdict as RectificationView['effectVerdict'],
      warned: r.warned === 1,
      overdue: r.overdue === 1,
      version: r.version,
      createdAt: r.created_at,
      submittedAt: r.submitted_at,
      verifiedAt: r.verified_at,
      closedAt: r.closed_at,
    };
  }
}
