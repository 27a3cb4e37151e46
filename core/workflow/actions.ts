import type { Permission } from '../permissions.ts';
import type { Kind } from '../taxonomy.ts';
import {
  GRADES,
  INVALID_REASONS,
  RESPONSIBILITY,
  RETURN_REASONS,
  REVISIT_OUTCOMES,
  ROOT_CAUSES,
  VERIFICATION_RESULTS,
} from '../taxonomy.ts';
import type { StateCode } from './states.ts';

/** A field an action takes; the web builds its forms from these, the planner validates against them. */
export type FieldSpec = (
  | { readonly type: 'text'; readonly required: boolean; readonly max: number; readonly min?: number }
  | { readonly type: 'enum'; readonly required: boolean; readonly values: readonly string[] }
  | { readonly type: 'int'; readonly required: boolean }
  | { readonly type: 'datetime'; readonly required: boolean }
) & {
  /** Kinds for which a required field may be left out (praise has no root cause). */
  readonly optionalFor?: readonly Kind[];
};

/** Named conditions the planner checks (each is a function in the GUARDS table of planner.ts). */
export type GuardId =
  | 'actor_in_order_unit'
  | 'target_unit_valid'
  | 'target_not_excluded'
  | 'customer_contacted'
  | 'suspend_requested'
  | 'no_suspend_request'
  | 'not_unit_approved'
  | 'duplicate_valid'
  | 'resume_after_now';

/** What an action does to the deadline clocks; the server applies these with the calendar. */
export type ClockEffect =
  | 'meet_dispatch'
  | 'start_handling'
  | 'meet_first_contact'
  | 'pause'
  | 'resume'
  | 'meet_reply'
  | 'meet_promise'
  | 'start_revisit'
  | 'meet_revisit'
  | 'stop_all';

export interface ActionDef {
  readonly code: ActionCode;
  readonly zh: string;
  readonly en: string;
  /** States it may start from; 'open' = every open state. */
  readonly from: readonly StateCode[] | 'open';
  /** The state after; 'same' keeps the state; 'by_input' is decided by the planner from the input. */
  readonly to: StateCode | 'same' | 'by_input';
  readonly permission: Permission;
  readonly fields: Readonly<Record<string, FieldSpec>>;
  readonly guards: readonly GuardId[];
  readonly effects: readonly ClockEffect[];
  /** Shown as the main button in lists and detail pages. */
  readonly primary?: boolean;
}

const codes = (list: ReadonlyArray<{ code: string }>) => list.map((x) => x.code);
const note = (required: boolean, max = 2000): FieldSpec => ({ type: 'text', required, max });

export const ACTION_CODES = [
  'grade',
  'dispatch',
  'sign',
  'return',
  'contact',
  'note',
  'request_suspend',
  'approve_suspend',
  'deny_suspend',
  'resume',
  'reply',
  'unit_approve',
  'approve',
  'reject',
  'revisit',
  'urge',
  'supervise',
  'merge',
  'invalidate',
  'appeal',
] as const;
export type ActionCode = (typeof ACTION_CODES)[number];

/** Every action on an order after intake (intake creates the order and has its own endpoint). */
export const ACTIONS: Readonly<Record<ActionCode, ActionDef>> = {
  grade: {
    code: 'grade',
    zh: '定级',
    en: 'Grade',
    from: 'open',
    to: 'same',
    permission: 'ticket.grade',
    fields: { grade: { type: 'enum', required: true, values: codes(GRADES) }, note: note(false) },
    guards: [],
    effects: [],
  },
  dispatch: {
    code: 'dispatch',
    zh: '派单',
    en: 'Dispatch',
    from: ['pending_dispatch'],
    to: 'dispatched',
    permission: 'ticket.dispatch',
    fields: { unitId: { type: 'int', required: true }, note: note(false) },
    guards: ['target_unit_valid', 'target_not_excluded'],
    effects: ['meet_dispatch', 'start_handling'],
    primary: true,
  },
  sign: {
    code: 'sign',
    zh: '接单',
    en: 'Sign for',
    from: ['dispatched'],
    to: 'in_progress',
    permission: 'ticket.sign',
    fields: {},
    guards: ['actor_in_order_unit'],
    effects: [],
    primary: true,
  },
  return: {
    code: 'return',
    zh: '退单',
    en: 'Return',
    from: ['dispatched', 'in_progress'],
    to: 'pending_dispatch',
    permission: 'ticket.return',
    fields: { reason: { type: 'enum', required: true, values: codes(RETURN_REASONS) }, note: note(false) },
    guards: ['actor_in_order_unit'],
    effects: [],
  },
  contact: {
    code: 'contact',
    zh: '联系客户',
    en: 'Contact customer',
    from: ['in_progress'],
    to: 'same',
    permission: 'ticket.contact',
    fields: { note: note(true), method: { type: 'enum', required: false, values: ['phone', 'visit', 'sms', 'other'] } },
    guards: ['actor_in_order_unit'],
    effects: ['meet_first_contact'],
  },
  note: {
    code: 'note',
    zh: '备注',
    en: 'Note',
    from: 'open',
    to: 'same',
    permission: 'ticket.note',
    fields: { text: note(true, 4000) },
    guards: [],
    effects: [],
  },
  request_suspend: {
    code: 'request_suspend',
    zh: '申请挂起',
    en: 'Request suspension',
    from: ['in_progress'],
    to: 'same',
    permission: 'ticket.suspend.request',
    fields: { reason: note(true, 1000), expectedResumeAt: { type: 'datetime', required: true } },
    guards: ['actor_in_order_unit', 'no_suspend_request', 'resume_after_now'],
    effects: [],
  },
  approve_suspend: {
    code: 'approve_suspend',
    zh: '批准挂起',
    en: 'Approve suspension',
    from: ['in_progress'],
    to: 'suspended',
    permission: 'ticket.suspend.approve',
    fields: { note: note(false) },
    guards: ['actor_in_order_unit', 'suspend_requested'],
    effects: ['pause'],
  },
  deny_suspend: {
    code: 'deny_suspend',
    zh: '不批准挂起',
    en: 'Deny suspension',
    from: ['in_progress'],
    to: 'same',
    permission: 'ticket.suspend.approve',
    fields: { note: note(true) },
    guards: ['actor_in_order_unit', 'suspend_requested'],
    effects: [],
  },
  resume: {
    code: 'resume',
    zh: '恢复处理',
    en: 'Resume',
    from: ['suspended'],
    to: 'in_progress',
    permission: 'ticket.resume',
    fields: { note: note(false) },
    guards: ['actor_in_order_unit'],
    effects: ['resume'],
    primary: true,
  },
  reply: {
    code: 'reply',
    zh: '回单',
    en: 'Reply',
    from: ['in_progress'],
    to: 'pending_review',
    permission: 'ticket.reply',
    fields: {
      verification: { type: 'enum', required: true, values: codes(VERIFICATION_RESULTS) },
      rootCause: { type: 'enum', required: true, values: codes(ROOT_CAUSES), optionalFor: ['praise', 'suggestion'] },
      responsibility: { type: 'enum', required: true, values: codes(RESPONSIBILITY) },
      responsiblePerson: { type: 'text', required: false, max: 64 },
      replyText: { type: 'text', required: true, min: 10, max: 4000 },
    },
    guards: ['actor_in_order_unit', 'customer_contacted'],
    effects: ['meet_reply'],
    primary: true,
  },
  unit_approve: {
    code: 'unit_approve',
    zh: '单位初审',
    en: 'Unit approval',
    from: ['pending_review'],
    to: 'same',
    permission: 'ticket.approve.unit',
    fields: { note: note(false) },
    guards: ['actor_in_order_unit', 'not_unit_approved'],
    effects: [],
  },
  approve: {
    code: 'approve',
    zh: '审核通过',
    en: 'Approve',
    from: ['pending_review'],
    to: 'pending_revisit',
    permission: 'ticket.approve',
    fields: { note: note(false) },
    guards: [],
    effects: ['meet_promise', 'start_revisit'],
    primary: true,
  },
  reject: {
    code: 'reject',
    zh: '驳回',
    en: 'Reject',
    from: ['pending_review'],
    to: 'in_progress',
    permission: 'ticket.reject',
    fields: { reason: note(true) },
    guards: [],
    effects: [],
  },
  revisit: {
    code: 'revisit',
    zh: '回访',
    en: 'Call back',
    from: ['pending_revisit'],
    to: 'by_input',
    permission: 'ticket.revisit',
    fields: { outcome: { type: 'enum', required: true, values: codes(REVISIT_OUTCOMES) }, note: note(false) },
    guards: [],
    effects: ['meet_revisit'],
    primary: true,
  },
  urge: {
    code: 'urge',
    zh: '催办',
    en: 'Urge',
    from: 'open',
    to: 'same',
    permission: 'ticket.urge',
    fields: { note: note(true) },
    guards: [],
    effects: [],
  },
  supervise: {
    code: 'supervise',
    zh: '督办',
    en: 'Supervise',
    from: 'open',
    to: 'same',
    permission: 'ticket.supervise',
    fields: { note: note(true) },
    guards: [],
    effects: [],
  },
  merge: {
    code: 'merge',
    zh: '合并',
    en: 'Merge',
    from: ['pending_dispatch'],
    to: 'closed',
    permission: 'ticket.merge',
    fields: { duplicateOfId: { type: 'int', required: true }, note: note(false) },
    guards: ['duplicate_valid'],
    effects: ['stop_all'],
  },
  invalidate: {
    code: 'invalidate',
    zh: '无效工单',
    en: 'Invalidate',
    from: ['pending_dispatch'],
    to: 'closed',
    permission: 'ticket.invalidate',
    fields: { reason: { type: 'enum', required: true, values: codes(INVALID_REASONS) }, note: note(false) },
    guards: [],
    effects: ['stop_all'],
  },
  appeal: {
    code: 'appeal',
    zh: '申诉',
    en: 'Appeal',
    from: ['closed'],
    to: 'pending_review',
    permission: 'ticket.appeal',
    fields: { grounds: note(true) },
    guards: ['actor_in_order_unit'],
    effects: [],
  },
};

/** Revisit attempts after which an unreachable customer closes the order. */
export const MAX_REVISIT_ATTEMPTS = 3;
