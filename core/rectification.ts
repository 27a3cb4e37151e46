/**
 * The states of a rectification order (整改单) and the actions between them, as data: the service checks an action
 * against this table and the page offers what it allows.
 */
export const RECTIFICATION_STATE_CODES = ['open', 'submitted', 'verified', 'closed'] as const;
export type RectificationState = (typeof RECTIFICATION_STATE_CODES)[number];

export interface RectificationStateDef {
  readonly zh: string;
  readonly en: string;
  /** Work remains (the deadline sweep and the open lists look at these). */
  readonly open: boolean;
}

export const RECTIFICATION_STATES: Readonly<Record<RectificationState, RectificationStateDef>> = {
  open: { zh: '整改中', en: 'Being rectified', open: true },
  submitted: { zh: '待验证', en: 'Submitted for verification', open: true },
  verified: { zh: '已验收，待成效评估', en: 'Verified, effect check pending', open: true },
  closed: { zh: '已关闭', en: 'Closed', open: false },
};

/** Who takes an action: the responsible unit (its lead, or above it), the centre (rectification.manage), or either. */
export type RectificationActor = 'unit' | 'centre' | 'either';

export interface RectificationActionDef {
  readonly from: readonly RectificationState[];
  /** The state after the action; null: the state stays (evidence is added alongside). */
  readonly to: RectificationState | null;
  readonly by: RectificationActor;
}

/** Every action after raising (raising creates the order in `open`). */
export const RECTIFICATION_ACTIONS = {
  submit: { from: ['open'], to: 'submitted', by: 'unit' },
  pass: { from: ['submitted'], to: 'verified', by: 'centre' },
  send_back: { from: ['submitted'], to: 'open', by: 'centre' },
  effect_check: { from: ['verified'], to: 'closed', by: 'centre' },
  evidence: { from: ['open', 'submitted', 'verified'], to: null, by: 'either' },
} as const satisfies Record<string, RectificationActionDef>;
export type RectificationAction = keyof typeof RECTIFICATION_ACTIONS;

/** The state a rectification is raised in. */
export const RECTIFICATION_START: RectificationState = 'open';

/** The open states (work remains). */
export const OPEN_RECTIFICATION_STATES = RECTIFICATION_STATE_CODES.filter((s) => RECTIFICATION_STATES[s].open);

/** Whether the action may be taken in the state (who may take it is checked beside it). */
export function rectificationAllows(state: string, action: RectificationAction): boolean {
  return (RECTIFICATION_ACTIONS[action].from as readonly string[]).includes(state);
}

/** Whether the actor's standing (the unit's lead, the centre) may take the action. */
export function rectificationActorMay(action: RectificationAction, who: { unit: boolean; centre: boolean }): boolean {
  const by: RectificationActor = RECTIFICATION_ACTIONS[action].by;
  return by === 'unit' ? who.unit : by === 'centre' ? who.centre : who.unit || who.centre;
}
