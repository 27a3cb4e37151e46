import { can } from '../permissions.ts';
import type { Kind, Role } from '../taxonomy.ts';
import {
  ACTIONS,
  type ActionCode,
  type ActionDef,
  type ClockEffect,
  type FieldSpec,
  type GuardId,
  MAX_REVISIT_ATTEMPTS,
} from './actions.ts';
import { STATES, type StateCode } from './states.ts';

/** What the planner needs to know of an order. */
export interface OrderView {
  readonly state: StateCode;
  readonly kind: Kind;
  readonly anonymous: boolean;
  /** Whether the handler must contact the customer before replying (not for anonymous or identity-protected reports). */
  readonly contactRequired: boolean;
  /** Path of the unit the order is dispatched to (null before dispatch). */
  readonly unitPath: string | null;
  readonly companyPath: string;
  readonly contactCount: number;
  readonly suspendRequested: boolean;
  readonly unitApproved: boolean;
  readonly revisitAttempts: number;
  /** Integrity reports: units (paths) the report names; never dispatched into their subtree. */
  readonly excludedUnitPaths: readonly string[];
}

/** What the planner needs to know of the actor. */
export interface ActorView {
  readonly userId: number | null;
  readonly roles: readonly Role[];
  readonly unitPath: string;
}

/** Records the service resolved from ids in the input (dispatch target, duplicate). */
export interface PlanRefs {
  readonly targetUnit?: { id: number; path: string; kind: string; active: boolean } | null;
  readonly duplicateOf?: { id: number; companyPath: string; state: StateCode } | null;
  readonly orderId?: number;
}

export type Input = Record<string, unknown>;

export interface Plan {
  readonly action: ActionCode;
  readonly from: StateCode;
  readonly to: StateCode;
  /** The validated, normalised input (only declared fields). */
  readonly input: Input;
  readonly effects: readonly ClockEffect[];
  /** Dissatisfied revisit: the order goes back to the same unit and counts a redo. */
  readonly redo: boolean;
}

export type PlanError =
  | { code: 'forbidden'; message: string }
  | { code: 'transition_not_allowed'; message: string; state: StateCode }
  | { code: 'validation_failed'; message: string; field: string }
  | { code: 'routing_excluded'; message: string; field: string }
  | { code: 'guard_failed'; message: string; guard: GuardId };

export type PlanResult = { ok: true; plan: Plan } | { ok: false; error: PlanError };

const GUARDS: Record<GuardId, (o: OrderView, a: ActorView, input: Input, refs: PlanRefs, now: Date) => PlanError | null> = {
  actor_in_order_unit: (o, a) =>
    o.unitPath?.startsWith(a.unitPath) ? null : { code: 'forbidden', message: 'Only the unit the order is dispatched to may do this' },
  target_unit_valid: (o, _a, _i, r) => {
    const t = r.targetUnit;
    if (!t?.active) return { code: 'validation_failed', message: 'unitId: no such active unit', field: 'unitId' };
    if (t.kind === 'company') return { code: 'validation_failed', message: 'unitId: dispatch to a department or station', field: 'unitId' };
    if (!t.path.startsWith(o.companyPath))
      return { code: 'validation_failed', message: 'unitId: the unit is outside this company', field: 'unitId' };
    return null;
  },
  target_not_excluded: (o, _a, _i, r) =>
    r.targetUnit && o.excludedUnitPaths.some((p) => r.targetUnit?.path.startsWith(p))
      ? {
          code: 'routing_excluded',
          message: 'unitId: this report names that unit; it cannot be dispatched there or below',
          field: 'unitId',
        }
      : null,
  customer_contacted: (o) =>
    !o.contactRequired || o.contactCount > 0
      ? null
      : { code: 'guard_failed', message: 'Contact the customer before replying', guard: 'customer_contacted' },
  suspend_requested: (o) =>
    o.suspendRequested ? null : { code: 'guard_failed', message: 'No suspension was requested', guard: 'suspend_requested' },
  no_suspend_request: (o) =>
    o.suspendRequested ? { code: 'guard_failed', message: 'A suspension request is already pending', guard: 'no_suspend_request' } : null,
  not_unit_approved: (o) =>
    o.unitApproved ? { code: 'guard_failed', message: 'The unit already approved this reply', guard: 'not_unit_approved' } : null,
  duplicate_valid: (o, _a, _i, r) => {
    const d = r.duplicateOf;
    if (!d || d.id === r.orderId || !d.companyPath.startsWith(o.companyPath)) {
      return { code: 'validation_failed', message: 'duplicateOfId: no such order to merge into', field: 'duplicateOfId' };
    }
    return null;
  },
  resume_after_now: (_o, _a, input, _r, now) =>
    typeof input.expectedResumeAt === 'string' && Date.parse(input.expectedResumeAt) > now.getTime()
      ? null
      : { code: 'validation_failed', message: 'expectedResumeAt: must be in the future', field: 'expectedResumeAt' },
};

function checkField(name: string, spec: FieldSpec, value: unknown, kind: Kind): { error: string } | { value: unknown } {
  if (value === undefined || value === null || value === '') {
    return spec.required && !spec.optionalFor?.includes(kind) ? { error: `${name}: is required` } : { value: undefined };
  }
  switch (spec.type) {
    case 'text': {
      if (typeof value !== 'string') return { error: `${name}: must be a string` };
      const v = value.trim();
      if (v.length === 0 && spec.required) return { error: `${name}: is required` };
      if (spec.min !== undefined && v.length < spec.min) return { error: `${name}: must have at least ${spec.min} characters` };
      if (v.length > spec.max) return { error: `${name}: must have at most ${spec.max} characters` };
      return { value: v };
    }
    case 'enum':
      return typeof value === 'string' && spec.values.includes(value)
        ? { value }
        : { error: `${name}: must be one of ${spec.values.join(', ')}` };
    case 'int':
      return Number.isSafeInteger(value) && (value as number) > 0 ? { value } : { error: `${name}: must be a positive integer` };
    case 'datetime':
      return typeof value === 'string' &&
        /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
        !Number.isNaN(Date.parse(value))
        ? { value: new Date(value).toISOString() }
        : { error: `${name}: must be an ISO date-time with offset` };
  }
}

function fromAllowed(def: ActionDef, state: StateCode): boolean {
  return def.from === 'open' ? STATES[state].open : def.from.includes(state);
}

function targetState(def: ActionDef, order: OrderView, input: Input): { to: StateCode; redo: boolean } {
  if (def.to === 'same') return { to: order.state, redo: false };
  if (def.to !== 'by_input') return { to: def.to, redo: false };
  // Only `revisit` decides by input: dissatisfied → redo by the same unit; unreachable closes after N tries.
  switch (input.outcome) {
    case 'dissatisfied':
      return { to: 'dispatched', redo: true };
    case 'unreachable':
      return { to: order.anonymous || order.revisitAttempts + 1 >= MAX_REVISIT_ATTEMPTS ? 'closed' : 'pending_revisit', redo: false };
    default:
      return { to: 'closed', redo: false };
  }
}

/**
 * Plans one action: permission, from-state, fields and guards, in that order. Pure: the caller resolves the
 * references and applies the plan in a transaction with a version check.
 */
export function planTransition(order: OrderView, action: string, actor: ActorView, rawInput: Input, refs: PlanRefs, now: Date): PlanResult {
  const def = (ACTIONS as Record<string, ActionDef | undefined>)[action];
  if (!def) return { ok: false, error: { code: 'validation_failed', message: `action: unknown action "${action}"`, field: 'action' } };
  if (!can(actor.roles, def.permission))
    return { ok: false, error: { code: 'forbidden', message: `Your roles may not ${def.en.toLowerCase()}` } };
  if (!fromAllowed(def, order.state)) {
    return {
      ok: false,
      error: {
        code: 'transition_not_allowed',
        message: `${def.en} is not allowed while the order is ${STATES[order.state].en.toLowerCase()} (${order.state})`,
        state: order.state,
      },
    };
  }
  const input: Input = {};
  for (const [name, spec] of Object.entries(def.fields)) {
    const r = checkField(name, spec, rawInput[name], order.kind);
    if ('error' in r) return { ok: false, error: { code: 'validation_failed', message: r.error, field: name } };
    if (r.value !== undefined) input[name] = r.value;
  }
  for (const g of def.guards) {
    const err = GUARDS[g](order, actor, input, refs, now);
    if (err) return { ok: false, error: err };
  }
  const { to, redo } = targetState(def, order, input);
  return { ok: true, plan: { action: def.code, from: order.state, to, input, effects: def.effects, redo } };
}

/** The actions the actor may take on the order now (guards that need input are checked when submitted). */
/**
 * Conditions the user can meet by doing something first (contact the customer before replying): an action they
 * block is shown disabled with the reason, instead of missing with no hint why.
 */
export const HINTED_GUARDS: readonly GuardId[] = ['customer_contacted'];

/**
 * The actions the actor would have now but for a hinted condition, with the condition: allowed by role and
 * state, passing every other guard, and blocked only by guards in HINTED_GUARDS.
 */
export function blockedActions(order: OrderView, actor: ActorView): Array<{ action: ActionCode; guards: GuardId[] }> {
  const out: Array<{ action: ActionCode; guards: GuardId[] }> = [];
  for (const def of Object.values(ACTIONS)) {
    if (!can(actor.roles, def.permission) || !fromAllowed(def, order.state)) continue;
    const failing = def.guards.filter((g) => {
      if (g === 'target_unit_valid' || g === 'target_not_excluded' || g === 'duplicate_valid' || g === 'resume_after_now') return false;
      return GUARDS[g](order, actor, {}, {}, new Date(0)) !== null;
    });
    if (failing.length > 0 && failing.every((g) => HINTED_GUARDS.includes(g))) out.push({ action: def.code, guards: failing });
  }
  return out;
}

export function availableActions(order: OrderView, actor: ActorView): ActionCode[] {
  const out: ActionCode[] = [];
  for (const def of Object.values(ACTIONS)) {
    if (!can(actor.roles, def.permission) || !fromAllowed(def, order.state)) continue;
    const blocked = def.guards.some((g) => {
      if (g === 'target_unit_valid' || g === 'target_not_excluded' || g === 'duplicate_valid' || g === 'resume_after_now') return false;
      return GUARDS[g](order, actor, {}, {}, new Date(0)) !== null;
    });
    if (!blocked) out.push(def.code);
  }
  return out;
}
