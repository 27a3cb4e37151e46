/** Work-order states as data with meaning attached; code asks for the meaning, never the name. */
export const STATE_CODES = [
  'pending_dispatch',
  'dispatched',
  'in_progress',
  'suspended',
  'pending_review',
  'pending_revisit',
  'closed',
] as const;
export type StateCode = (typeof STATE_CODES)[number];

export interface StateDef {
  readonly code: StateCode;
  readonly zh: string;
  readonly en: string;
  readonly open: boolean;
  /** What the deadline clocks do in this state. */
  readonly clocks: 'running' | 'paused' | 'stopped';
}

export const STATES: Readonly<Record<StateCode, StateDef>> = {
  pending_dispatch: { code: 'pending_dispatch', zh: '待派单', en: 'To dispatch', open: true, clocks: 'running' },
  dispatched: { code: 'dispatched', zh: '待接单', en: 'To sign', open: true, clocks: 'running' },
  in_progress: { code: 'in_progress', zh: '处理中', en: 'In progress', open: true, clocks: 'running' },
  suspended: { code: 'suspended', zh: '挂起', en: 'Suspended', open: true, clocks: 'paused' },
  pending_review: { code: 'pending_review', zh: '待审核', en: 'To review', open: true, clocks: 'running' },
  pending_revisit: { code: 'pending_revisit', zh: '待回访', en: 'To call back', open: true, clocks: 'running' },
  closed: { code: 'closed', zh: '已归档', en: 'Closed', open: false, clocks: 'stopped' },
};

/** Whether the state is open (work remains). */
export function isOpen(state: StateCode): boolean {
  return STATES[state].open;
}

/** Codes of every open state. */
export const OPEN_STATES: readonly StateCode[] = STATE_CODES.filter((s) => STATES[s].open);

/** Whether the value is a known state code. */
export function isStateCode(value: string): value is StateCode {
  return (STATE_CODES as readonly string[]).includes(value);
}
