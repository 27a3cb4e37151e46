import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import type { Kysely } from 'kysely';
import { can } from '../../core/permissions.ts';
import type { Database, OrgUnit, Ticket } from '../db/schema.ts';
import { addDays, endOfShanghaiDay, shanghaiDate } from '../domain/calendar.ts';
import { AppError, invalidField } from '../errors.ts';
import { randomToken, sha256 } from '../lib/crypto.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { NotificationRepository } from '../repositories/notification.repository.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { Rectification, RectificationRepository } from '../repositories/rectification.repository.ts';
import type { StatsRepository } from '../repositories/stats.repository.ts';
import type { TicketRepository } from '../repositories/ticket.repository.ts';
import type { Actor } from './actor.ts';
import type { ReferenceService } from './reference.service.ts';
import { customersOf } from './stats.service.ts';
import { scopeOf } from './workflow.service.ts';

export const RECTIFICATION_STATES = {
  open: { zh: '整改中', en: 'Being rectified' },
  submitted: { zh: '待验证', en: 'Submitted for verification' },
  verified: { zh: '已验收，待成效评估', en: 'Verified, effect check pending' },
  closed: { zh: '已关闭', en: 'Closed' },
} as const;

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

const EVIDENCE_TYPES = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
]);

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
 * Rectification orders 整改单 (DESIGN §8): raised from an order, a group of orders or a report figure; the unit
 * submits its measures with evidence; the centre verifies (pass or send back); after N months an effectiveness
 * check compares the cause's complaint rate before and after.
 */
export class RectificationService {
  private readonly root: string;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: RectificationRepository,
    private readonly tickets: TicketRepository,
    private readonly org: OrgRepository,
    private readonly stats: StatsRepository,
    private readonly notifications: NotificationRepository,
    private readonly reference: ReferenceService,
    private readonly clock: Clock,
    dataDir: string,
  ) {
    this.root = join(dataDir, 'attachments');
  }

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
    if (!this.manager(actor))
      throw new AppError('forbidden', 'Missing permission rectification.manage', { permission: 'rectification.manage' });
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
          state: 'open',
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
      throw new AppError('forbidden', 'Only the unit lead of the responsible unit may submit');
    if (r.state !== 'open') throw new AppError('transition_not_allowed', `Cannot submit in state ${r.state}`, { state: r.state });
    await this.transition(
      r,
      input.version,
      { state: 'submitted', response: input.response, submitted_at: iso(this.clock()) },
      actor,
      'submit',
      input.response,
    );
  }

  /** The centre verifies: pass starts the effect clock; send back reopens it. */
  async verify(actor: Actor, id: number, input: { version: number; result: 'pass' | 'send_back'; note?: string }) {
    const r = await this.load(actor, id);
    if (!this.manager(actor))
      throw new AppError('forbidden', 'Missing permission rectification.manage', { permission: 'rectification.manage' });
    if (r.state !== 'submitted') throw new AppError('transition_not_allowed', `Cannot verify in state ${r.state}`, { state: r.state });
    const now = this.clock();
    if (input.result === 'pass') {
      const effectDue = endOfShanghaiDay(addMonths(shanghaiDate(now), r.effect_months));
      await this.transition(
        r,
        input.version,
        { state: 'verified', verified_at: iso(now), verified_by: actor.userId, effect_due_at: iso(effectDue) },
        actor,
        'pass',
        input.note ?? null,
      );
    } else {
      await this.transition(r, input.version, { state: 'open' }, actor, 'send_back', input.note ?? null);
      await this.notifyUnit(r.unit, `整改单 ${r.number} 被退回：${input.note ?? ''}`, `rect:${id}:back:${r.version}`);
    }
  }

  /**
   * Compares the cause's complaint rate (orders per 10,000 customers per month, same unit subtree and class or
   * root cause) in the N months before raising with the N months after verification; closes the rectification.
   */
  async effectCheck(actor: Actor | null, id: number) {
    const r = actor ? await this.load(actor, id) : await this.loadSystem(id);
    if (actor && !this.manager(actor)) throw new AppError('forbidden', 'Missing permission rectification.manage');
    if (r.state !== 'verified' || !r.verified_at)
      throw new AppError('transition_not_allowed', `Cannot check in state ${r.state}`, { state: r.state });
    const units = new Map((await this.org.list()).map((u) => [u.id, u]));
    const subtree = [...units.values()].filter((u) => u.path.startsWith(r.unit.path)).map((u) => u.id);
    const where = {
      orgUnitIds: subtree,
      ...(r.class_code ? { classPrefixes: [r.class_code] } : {}),
      ...(r.root_cause ? { rootCauses: [r.root_cause] } : {}),
    };
    const raised = shanghaiDate(new Date(r.created_at));
    const verified = shanghaiDate(new Date(r.verified_at));
    const before = { from: addMonths(raised, -r.effect_months), to: addDays(raised, -1) };
    const after = { from: addDays(verified, 1), to: addMonths(verified, r.effect_months) };
    const count = async (range: { from: string; to: string }) => {
      const rows = await this.stats.query({ grain: 'd', from: range.from, to: range.to, groupBy: [], where });
      return rows[0]?.m.n ?? 0;
    };
    const [nb, na] = await Promise.all([count(before), count(after)]);
    const customers = customersOf(r.unit, units);
    const rate = (n: number) => (customers > 0 ? Math.round((n / customers / r.effect_months) * 10_000 * 10_000) / 10_000 : null);
    const verdict = na < nb ? 'effective' : 'ineffective';
    const result = {
      before: { ...before, count: nb, ratePer10kPerMonth: rate(nb) },
      after: { ...after, count: na, ratePer10kPerMonth: rate(na) },
      customers,
      verdict,
    };
    const now = iso(this.clock());
    await this.transition(
      r,
      r.version,
      { state: 'closed', effect_result: JSON.stringify(result), effect_verdict: verdict, closed_at: now },
      actor,
      'effect_check',
      verdict === 'effective' ? `整改有效：${nb} → ${na} 件` : `整改未见成效：${nb} → ${na} 件`,
    );
    return result;
  }

  /** Stores an evidence file (photo, scan, document) on a rectification the actor may see. */
  async addEvidence(actor: Actor, id: number, file: { name: string; data: Buffer }) {
    const r = await this.load(actor, id);
    if (!this.manager(actor) && !can(actor.roles, 'rectification.respond')) throw new AppError('forbidden', 'You may not add evidence');
    if (r.state === 'closed') throw new AppError('transition_not_allowed', 'The rectification is closed', { state: r.state });
    if (file.data.length === 0) throw invalidField('file', 'is empty');
    const type = await fileTypeFromBuffer(file.data);
    if (!type || !EVIDENCE_TYPES.has(type.mime))
      throw new AppError('unsupported_media_type', `File content is ${type?.mime ?? 'unknown'}; accepted: images, PDF, Word, Excel`, {
        field: 'file',
      });
    const hash = sha256(file.data);
    const dir = join(this.root, hash.slice(0, 2), hash.slice(2, 4));
    const path = join(dir, hash);
    if (!existsSync(path)) {
      mkdirSync(dir, { recursive: true });
      // Temp name then rename: a crash never leaves a half file under the final name.
      const tmp = `${path}.${randomToken(6)}.tmp`;
      writeFileSync(tmp, file.data);
      renameSync(tmp, path);
    }
    const at = iso(this.clock());
    const name = file.name.replace(/[/\\\p{Cc}]/gu, '_').slice(0, 200) || `evidence.${type.ext}`;
    const fileId = await this.repo.addFile({
      rectification_id: id,
      sha256: hash,
      size: file.data.length,
      mime: type.mime,
      name,
      uploaded_by: actor.userId,
      created_at: at,
    });
    await this.repo.addEvent({ rectification_id: id, action: 'evidence', actor_id: actor.userId, note: name, at }, this.db);
    return { id: fileId, name, mime: type.mime, size: file.data.length, createdAt: at };
  }

  /** Path and metadata of an evidence file, if its rectification is visible. */
  async evidenceFile(actor: Actor, fileId: number) {
    const f = await this.repo.findFile(fileId);
    if (!f) throw new AppError('not_found', 'File not found');
    await this.load(actor, f.rectification_id);
    return { ...f, path: join(this.root, f.sha256.slice(0, 2), f.sha256.slice(2, 4), f.sha256) };
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
    const [orders, events, files] = await Promise.all([this.repo.orders(id), this.repo.events(id), this.repo.files(id)]);
    return {
      rectification: this.view(r, r.unit.name),
      orders,
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

  private view(r: Rectification, unitName: string) {
    return {
      id: r.id,
      number: r.number,
      unitId: r.unit_id,
      unitName,
      source: r.source,
      sourceFilter: r.source_filter ? (JSON.parse(r.source_filter) as Record<string, unknown>) : null,
      classCode: r.class_code,
      rootCause: r.root_cause,
      problem: r.problem,
      measures: r.measures,
      deadlineDays: r.deadline_days,
      dueAt: r.due_at,
      state: r.state,
      stateLabel: RECTIFICATION_STATES[r.state as keyof typeof RECTIFICATION_STATES],
      response: r.response,
      effectMonths: r.effect_months,
      effectDueAt: r.effect_due_at,
      effect: r.effect_result ? (JSON.parse(r.effect_result) as Record<string, unknown>) : null,
      effectVerdict: r.effect_verdict,
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
