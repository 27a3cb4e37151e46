import { describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS } from '../permissions.ts';
import { ROLES, type Role } from '../taxonomy.ts';
import { ACTIONS, type ActionDef } from './actions.ts';
import { type ActorView, availableActions, blockedActions, type OrderView, planTransition } from './planner.ts';
import { STATE_CODES, STATES, type StateCode } from './states.ts';

const NOW = new Date('2026-11-02T02:00:00.000Z');

function order(state: StateCode, over: Partial<OrderView> = {}): OrderView {
  return {
    state,
    kind: 'complaint',
    anonymous: false,
    contactRequired: true,
    unitPath: '/1/7/',
    companyPath: '/1/',
    contactCount: 1,
    suspendRequested: state === 'in_progress',
    unitApproved: false,
    revisitAttempts: 0,
    excludedUnitPaths: [],
    ...over,
  };
}
const actor = (roles: Role[], unitPath = '/1/7/'): ActorView => ({ userId: 5, roles, unitPath });
const fromStates = (d: ActionDef): readonly StateCode[] => (d.from === 'open' ? STATE_CODES.filter((s) => STATES[s].open) : d.from);
const validInput: Record<string, Record<string, unknown>> = {
  grade: { grade: 'important' },
  dispatch: { unitId: 7 },
  return: { reason: 'wrong_unit' },
  contact: { note: '已联系' },
  note: { text: '备注' },
  request_suspend: { reason: '等待', expectedResumeAt: '2026-12-01T00:00:00Z' },
  deny_suspend: { note: '不同意' },
  reply: { verification: 'substantiated', rootCause: 'billing_error', responsibility: 'company', replyText: '经核实已处理完毕并致歉。' },
  reject: { reason: '不完整' },
  revisit: { outcome: 'satisfied' },
  urge: { note: '请尽快' },
  supervise: { note: '领导督办' },
  merge: { duplicateOfId: 9 },
  invalidate: { reason: 'test' },
  appeal: { grounds: '责任认定有误' },
};
const refs = {
  targetUnit: { id: 7, path: '/1/7/', kind: 'station', active: true },
  duplicateOf: { id: 9, companyPath: '/1/', state: 'in_progress' as StateCode },
  orderId: 3,
};

describe('workflow table', () => {
  it('reaches every state from intake and can close from every open state', () => {
    const edges = new Map<StateCode, Set<StateCode>>();
    for (const d of Object.values(ACTIONS)) {
      for (const f of fromStates(d)) {
        const targets = d.to === 'same' ? [f] : d.to === 'by_input' ? (['closed', 'dispatched', 'pending_revisit'] as StateCode[]) : [d.to];
        for (const to of targets) edges.set(f, new Set([...(edges.get(f) ?? []), to]));
      }
    }
    const reach = (start: StateCode) => {
      const seen = new Set<StateCode>([start]);
      const queue = [start];
      while (queue.length) {
        for (const n of edges.get(queue.shift() as StateCode) ?? []) {
          if (seen.has(n)) continue;
          seen.add(n);
          queue.push(n);
        }
      }
      return seen;
    };
    expect([...reach('pending_dispatch')].sort()).toEqual([...STATE_CODES].sort());
    for (const s of STATE_CODES.filter((x) => STATES[x].open)) expect(reach(s).has('closed'), s).toBe(true);
  });

  it('names only permissions and states that exist', () => {
    const perms = new Set(Object.values(ROLE_PERMISSIONS).flat());
    for (const d of Object.values(ACTIONS)) {
      expect(perms.has(d.permission), d.code).toBe(true);
      for (const f of fromStates(d)) expect(STATE_CODES).toContain(f);
    }
  });

  it('allows each action exactly to the roles holding its permission (the permission matrix)', () => {
    for (const d of Object.values(ACTIONS)) {
      const from = fromStates(d)[0] as StateCode;
      for (const role of ROLES.map((r) => r.code)) {
        const r = planTransition(
          order(from, { suspendRequested: d.code !== 'request_suspend' }),
          d.code,
          actor([role]),
          validInput[d.code] ?? {},
          refs,
          NOW,
        );
        const permitted = ROLE_PERMISSIONS[role].includes(d.permission);
        if (!permitted) expect(r.ok ? 'ok' : r.error.code, `${role} ${d.code}`).toBe('forbidden');
        else expect(r.ok ? 'ok' : r.error.code, `${role} ${d.code}`).toBe('ok');
      }
    }
  });

  it('refuses every action from a state not in its from-list, naming the state', () => {
    for (const d of Object.values(ACTIONS)) {
      const role = (Object.keys(ROLE_PERMISSIONS) as Role[]).find((r) => ROLE_PERMISSIONS[r].includes(d.permission)) as Role;
      for (const s of STATE_CODES.filter((x) => !fromStates(d).includes(x))) {
        const r = planTransition(order(s), d.code, actor([role]), validInput[d.code] ?? {}, refs, NOW);
        expect(r.ok ? null : r.error, `${d.code} from ${s}`).toMatchObject({ code: 'transition_not_allowed', state: s });
      }
    }
  });

  it('requires each required field', () => {
    for (const d of Object.values(ACTIONS)) {
      const role = (Object.keys(ROLE_PERMISSIONS) as Role[]).find((r) => ROLE_PERMISSIONS[r].includes(d.permission)) as Role;
      for (const [name, spec] of Object.entries(d.fields)) {
        if (!spec.required) continue;
        const input = { ...validInput[d.code] };
        delete input[name];
        const r = planTransition(order(fromStates(d)[0] as StateCode), d.code, actor([role]), input, refs, NOW);
        expect(r.ok ? null : r.error, `${d.code}.${name}`).toMatchObject({ code: 'validation_failed', field: name });
      }
    }
  });

  it('keeps handlers of other units out and sends dissatisfied call-backs back as a redo', () => {
    const sign = planTransition(order('dispatched'), 'sign', actor(['handler'], '/1/8/'), {}, {}, NOW);
    expect(sign.ok ? null : sign.error.code).toBe('forbidden');
    const redo = planTransition(order('pending_revisit'), 'revisit', actor(['agent']), { outcome: 'dissatisfied' }, {}, NOW);
    expect(redo.ok && redo.plan).toMatchObject({ to: 'dispatched', redo: true });
    const third = planTransition(
      order('pending_revisit', { revisitAttempts: 2 }),
      'revisit',
      actor(['agent']),
      { outcome: 'unreachable' },
      {},
      NOW,
    );
    expect(third.ok && third.plan.to).toBe('closed');
    const first = planTransition(order('pending_revisit'), 'revisit', actor(['agent']), { outcome: 'unreachable' }, {}, NOW);
    expect(first.ok && first.plan.to).toBe('pending_revisit');
  });

  it('lists as available only what the actor may do now', () => {
    expect(availableActions(order('dispatched'), actor(['handler']))).toEqual(expect.arrayContaining(['sign', 'return', 'note']));
    expect(availableActions(order('dispatched'), actor(['handler'], '/1/8/'))).not.toContain('sign');
    expect(availableActions(order('pending_review'), actor(['reviewer']))).toEqual(expect.arrayContaining(['approve', 'reject']));
    expect(availableActions(order('closed'), actor(['agent']))).toEqual([]);
    expect(availableActions(order('in_progress', { contactCount: 0, suspendRequested: false }), actor(['handler']))).not.toContain('reply');
  });

  it('lists the reply as blocked, with its reason, until the customer is contacted; never what the actor may not do', () => {
    const fresh = order('in_progress', { contactCount: 0, suspendRequested: false });
    expect(blockedActions(fresh, actor(['handler']))).toEqual([{ action: 'reply', guards: ['customer_contacted'] }]);
    expect(blockedActions(order('in_progress', { contactCount: 1, suspendRequested: false }), actor(['handler']))).toEqual([]);
    // Staff of another unit, or roles without the reply permission, are not told about it.
    expect(blockedActions(fresh, actor(['handler'], '/1/8/'))).toEqual([]);
    expect(blockedActions(fresh, actor(['reviewer']))).toEqual([]);
  });
});
