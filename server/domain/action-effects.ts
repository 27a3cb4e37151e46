import type { ActionCode, Plan } from '../../core/workflow/index.ts';
import type { Ticket, TicketUpdate } from '../db/schema.ts';

/** What a notification is about (the bell's categories). */
export type NotificationKind =
  | 'assigned'
  | 'urged'
  | 'supervised'
  | 'warning'
  | 'overdue'
  | 'escalated'
  | 'major'
  | 'returned'
  | 'rejected'
  | 'review';

/** Who hears of an action: the order's unit (its handlers and leads, or the leads only), or roles of its company. */
export type Notice =
  | { to: 'unit'; kind: NotificationKind; text: string; leadsOnly?: boolean }
  | { to: 'company_roles'; roles: readonly string[]; kind: NotificationKind; text: string };

/** What an action is applied to: the plan, the order before it, who acts and when (ISO). */
export interface EffectInput {
  readonly plan: Plan;
  readonly before: Ticket;
  readonly actorId: number | null;
  readonly now: string;
}

/** An action's effects on the order row, besides state, clocks and version, and the notice it sends. */
export interface ActionEffect {
  /** The columns the action writes. */
  readonly changes: (x: EffectInput) => TicketUpdate;
  /** The notice, from the plan and the order after the change; null when the action notifies nobody. */
  readonly notice?: (plan: Plan, after: Ticket) => Notice | null;
}

const none = (): TicketUpdate => ({});

/** Every action's column changes and notice: one row an action, so a new action cannot be forgotten here. */
export const ACTION_EFFECTS: Readonly<Record<ActionCode, ActionEffect>> = {
  grade: {
    changes: ({ plan }) => ({ grade: plan.input.grade as string }),
    notice: (plan, t) =>
      plan.input.grade === 'major' || plan.input.grade === 'special'
        ? { to: 'company_roles', roles: ['leader'], kind: 'major', text: `升级为重大/特殊工单：${t.subject}` }
        : null,
  },
  dispatch: {
    changes: ({ plan, before, now }) => ({
      unit_id: plan.input.unitId as number,
      assignee_id: null,
      dispatched_at: before.dispatched_at ?? now,
      signed_at: null,
    }),
    notice: (_plan, t) => ({ to: 'unit', kind: 'assigned', text: `新派工单：${t.subject}` }),
  },
  sign: { changes: ({ actorId, now }) => ({ signed_at: now, assignee_id: actorId }) },
  return: {
    changes: ({ before }) => ({ unit_id: null, assignee_id: null, return_count: before.return_count + 1, suspend_request: null }),
    notice: () => ({ to: 'company_roles', roles: ['agent'], kind: 'returned', text: '工单被退回，需重新派单' }),
  },
  contact: {
    changes: ({ before, now }) => ({ contact_count: before.contact_count + 1, first_contact_at: before.first_contact_at ?? now }),
  },
  request_suspend: {
    changes: ({ plan, actorId }) => ({
      suspend_request: JSON.stringify({ reason: plan.input.reason, expectedResumeAt: plan.input.expectedResumeAt, by: actorId }),
    }),
  },
  approve_suspend: { changes: ({ now }) => ({ suspend_request: null, suspended_at: now }) },
  deny_suspend: { changes: () => ({ suspend_request: null }) },
  resume: {
    changes: ({ before, now }) => ({
      suspended_at: null,
      suspended_ms: Number(before.suspended_ms) + (Date.parse(now) - Date.parse(before.suspended_at ?? now)),
    }),
  },
  reply: {
    changes: ({ plan, now }) => ({
      verification: plan.input.verification as string,
      root_cause: (plan.input.rootCause as string | undefined) ?? null,
      responsibility: plan.input.responsibility as string,
      responsible_person: (plan.input.responsiblePerson as string | undefined) ?? null,
      reply_text: plan.input.replyText as string,
      replied_at: now,
      unit_approved_by: null,
    }),
    notice: (_plan, t) => ({ to: 'company_roles', roles: ['reviewer'], kind: 'review', text: `待审核：${t.subject}` }),
  },
  unit_approve: { changes: ({ actorId }) => ({ unit_approved_by: actorId }) },
  approve: { changes: ({ now }) => ({ approved_at: now }) },
  reject: {
    changes: ({ before }) => ({ reject_count: before.reject_count + 1, unit_approved_by: null }),
    notice: (plan) => ({ to: 'unit', kind: 'rejected', text: `回单被驳回：${plan.input.reason as string}` }),
  },
  revisit: {
    changes: ({ plan, before, now }) => {
      const outcome = plan.input.outcome as string;
      const base: TicketUpdate = {
        revisited_at: now,
        revisit_attempts: outcome === 'unreachable' ? before.revisit_attempts + 1 : before.revisit_attempts,
      };
      if (plan.redo)
        return {
          ...base,
          satisfaction: outcome,
          redo_count: before.redo_count + 1,
          assignee_id: null,
          signed_at: null,
          revisit_attempts: 0,
        };
      if (plan.to === 'closed') return { ...base, satisfaction: outcome, closed_at: now, close_reason: 'completed' };
      return base;
    },
    notice: (plan, t) => (plan.redo ? { to: 'unit', kind: 'assigned', text: `客户不满意，工单重办：${t.subject}` } : null),
  },
  urge: {
    changes: ({ before }) => ({ urge_count: before.urge_count + 1 }),
    notice: (plan) => ({ to: 'unit', kind: 'urged', text: `催办：${plan.input.note as string}` }),
  },
  supervise: {
    changes: () => ({ flag_supervised: 1 }),
    notice: (plan) => ({ to: 'unit', kind: 'supervised', text: `督办：${plan.input.note as string}`, leadsOnly: false }),
  },
  merge: { changes: ({ plan, now }) => ({ duplicate_of_id: plan.input.duplicateOfId as number, closed_at: now, close_reason: 'merged' }) },
  invalidate: { changes: ({ plan, now }) => ({ closed_at: now, close_reason: plan.input.reason as string }) },
  appeal: { changes: () => ({ closed_at: null, close_reason: null, unit_approved_by: null }) },
  note: { changes: none },
};
