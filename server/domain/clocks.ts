import type { Channel, Kind } from '../../core/taxonomy.ts';
import type { ClockName, Duration, TimePolicyRules } from '../../core/time-policy.ts';
import type { ClockEffect } from '../../core/workflow/actions.ts';
import type { WorkCalendar } from './calendar.ts';
import { computeDeadline, type Deadline, ruleFor, shiftDeadline } from './deadlines.ts';

/** One running or finished clock as stored on the order (JSON in `tickets.clocks`). */
export interface ClockState {
  start: string;
  due: string;
  warn: string;
  rule: Duration | null;
  provisional: boolean;
  shiftMs: number;
  metAt: string | null;
  onTime: boolean | null;
  warned: boolean;
  overdue: boolean;
}

export type ClockKey = ClockName | 'external';
export type Clocks = Partial<Record<ClockKey, ClockState>>;
export const CLOCK_KEYS: readonly ClockKey[] = ['dispatch', 'first_contact', 'reply', 'promise', 'revisit', 'external'];

export interface ClockContext {
  cal: WorkCalendar;
  policy: TimePolicyRules;
  kind: Kind;
  channel: Channel;
}

function fromDeadline(d: Deadline): ClockState {
  return {
    start: d.startAt.toISOString(),
    due: d.dueAt.toISOString(),
    warn: d.warnAt.toISOString(),
    rule: d.rule,
    provisional: d.provisional,
    shiftMs: d.shiftMs,
    metAt: null,
    onTime: null,
    warned: false,
    overdue: false,
  };
}

/** Starts (or restarts) a clock at `at` under the policy; clocks the policy does not define are left out. */
export function startClock(ctx: ClockContext, clocks: Clocks, name: ClockName, at: Date): Clocks {
  const rule = ruleFor(ctx.policy, name, ctx.kind, ctx.channel);
  if (!rule) return clocks;
  return { ...clocks, [name]: fromDeadline(computeDeadline(ctx.cal, name, rule, at, ctx.policy)) };
}

/** The dates an order promises its customer: first contact, reply, and the promise (or the forwarding body's deadline). */
export interface OrderDates {
  firstContact: string | null;
  reply: string | null;
  promise: string | null;
}

/**
 * The dates an order of the context's kind and channel gets when taken at `intakeAt` and dispatched at `dispatchAt`,
 * counted by the same clocks intake and dispatch start; a forwarding body's own deadline stands in for a missing promise.
 */
export function projectOrderDates(ctx: ClockContext, intakeAt: Date, dispatchAt: Date, externalDue: Date | null): OrderDates {
  const atIntake = startClock(ctx, {}, 'promise', intakeAt);
  const atDispatch = startClock(ctx, startClock(ctx, {}, 'first_contact', dispatchAt), 'reply', dispatchAt);
  return {
    firstContact: atDispatch.first_contact?.due ?? null,
    reply: atDispatch.reply?.due ?? null,
    promise: atIntake.promise?.due ?? (externalDue ? externalDue.toISOString() : null),
  };
}

/** An externally imposed deadline (12398 / 12345 reference deadline), warned at 75 % of its window. */
export function externalClock(start: Date, due: Date): ClockState {
  const warn = new Date(start.getTime() + Math.max(0, due.getTime() - start.getTime()) * 0.75);
  return {
    start: start.toISOString(),
    due: due.toISOString(),
    warn: warn.toISOString(),
    rule: null,
    provisional: false,
    shiftMs: 0,
    metAt: null,
    onTime: null,
    warned: false,
    overdue: false,
  };
}

/** Marks a started, unmet clock met at `at`, recording whether it was on time. */
export function meetClock(clocks: Clocks, name: ClockKey, at: Date): Clocks {
  const c = clocks[name];
  if (!c || c.metAt) return clocks;
  return { ...clocks, [name]: { ...c, metAt: at.toISOString(), onTime: at.toISOString() <= c.due } };
}

/** The clocks after an action's effects: starts, milestones, and the shift after a suspension. */
export function applyEffects(
  ctx: ClockContext,
  clocks: Clocks,
  effects: readonly ClockEffect[],
  now: Date,
  opts: { redo?: boolean; pausedMs?: number } = {},
): Clocks {
  let out = clocks;
  for (const e of effects) {
    switch (e) {
      case 'meet_dispatch':
        out = meetClock(out, 'dispatch', now);
        break;
      case 'start_handling':
        // A re-dispatch after a return keeps the customer's clocks running from the first dispatch.
        if (!out.first_contact) out = startClock(ctx, out, 'first_contact', now);
        if (!out.reply) out = startClock(ctx, out, 'reply', now);
        break;
      case 'meet_first_contact':
        out = meetClock(out, 'first_contact', now);
        break;
      case 'meet_reply':
        out = meetClock(out, 'reply', now);
        break;
      case 'meet_promise':
        out = meetClock(meetClock(out, 'promise', now), 'external', now);
        break;
      case 'start_revisit':
        out = startClock(ctx, out, 'revisit', now);
        break;
      case 'meet_revisit':
        out = meetClock(out, 'revisit', now);
        break;
      case 'resume':
        out = shiftAll(ctx.cal, ctx.policy, out, opts.pausedMs ?? 0);
        break;
      case 'pause':
      case 'stop_all':
        break;
    }
  }
  if (opts.redo) {
    // 重办: the same unit handles it again, with fresh first-contact and reply clocks.
    out = startClock(ctx, startClock(ctx, out, 'first_contact', now), 'reply', now);
    delete out.revisit;
  }
  return out;
}

function shiftAll(cal: WorkCalendar, policy: TimePolicyRules, clocks: Clocks, pausedMs: number): Clocks {
  if (pausedMs <= 0) return clocks;
  const out: Clocks = { ...clocks };
  for (const key of CLOCK_KEYS) {
    const c = out[key];
    if (!c || c.metAt) continue;
    if (c.rule === null || key === 'external') {
      // The regulator's deadline is theirs: a suspension inside the company does not move it.
      continue;
    }
    const d = shiftDeadline(cal, toDeadline(key as ClockName, c, policy, cal), pausedMs);
    out[key] = { ...c, due: d.dueAt.toISOString(), warn: d.warnAt.toISOString(), shiftMs: d.shiftMs, provisional: d.provisional };
  }
  return out;
}

/** Rebuilds the full deadline (with its explanation) of a stored clock. */
export function toDeadline(name: ClockName, c: ClockState, policy: TimePolicyRules, cal: WorkCalendar): Deadline {
  const base = computeDeadline(cal, name, c.rule as Duration, new Date(c.start), policy, c.shiftMs);
  return { ...base, dueAt: new Date(c.due), warnAt: new Date(c.warn) };
}

export interface ClockSummary {
  dispatch_due_at: string | null;
  first_contact_due_at: string | null;
  reply_due_at: string | null;
  promise_due_at: string | null;
  revisit_due_at: string | null;
  next_due_at: string | null;
  next_check_at: string | null;
  warned: number;
  overdue: number;
}

/** The due-at columns, the next deadline and the sweeper's next check time, derived from the clocks. */
export function summarize(clocks: Clocks, running: boolean): ClockSummary {
  let nextDue: string | null = null;
  let nextCheck: string | null = null;
  let warned = 0;
  let overdue = 0;
  for (const key of CLOCK_KEYS) {
    const c = clocks[key];
    if (!c || c.metAt) continue;
    if (c.warned) warned = 1;
    if (c.overdue) overdue = 1;
    if (nextDue === null || c.due < nextDue) nextDue = c.due;
    const check = !c.warned ? c.warn : !c.overdue ? c.due : null;
    if (check && (nextCheck === null || check < nextCheck)) nextCheck = check;
  }
  const due = (k: ClockKey) => clocks[k]?.due ?? null;
  return {
    dispatch_due_at: due('dispatch'),
    first_contact_due_at: due('first_contact'),
    reply_due_at: due('reply'),
    promise_due_at: due('promise'),
    revisit_due_at: due('revisit'),
    next_due_at: running ? nextDue : null,
    next_check_at: running ? nextCheck : null,
    warned,
    overdue,
  };
}

export interface SweepFinding {
  clock: ClockKey;
  kind: 'warning' | 'overdue';
  due: string;
}

/** What the sweeper must record at `now`: each clock warns once and goes overdue once. */
export function sweepClocks(clocks: Clocks, now: Date): { clocks: Clocks; findings: SweepFinding[] } {
  const t = now.toISOString();
  const out: Clocks = { ...clocks };
  const findings: SweepFinding[] = [];
  for (const key of CLOCK_KEYS) {
    const c = out[key];
    if (!c || c.metAt) continue;
    let next = c;
    if (!c.overdue && c.due <= t) {
      next = { ...next, overdue: true, warned: true };
      findings.push({ clock: key, kind: 'overdue', due: c.due });
    } else if (!c.warned && c.warn <= t) {
      next = { ...next, warned: true };
      findings.push({ clock: key, kind: 'warning', due: c.due });
    }
    out[key] = next;
  }
  return { clocks: out, findings };
}
