import type { Role } from './taxonomy.ts';
import { OPEN_STATES, type StateCode } from './workflow/states.ts';

/** A marker a queue can select open orders by: warned or overdue by a deadline, or under supervision (督办). */
export type QueueMark = 'warned' | 'overdue' | 'supervised';

/** A work queue: the orders in some states, or the open orders carrying a mark. */
export interface QueueDef {
  readonly states: readonly StateCode[];
  readonly mark?: QueueMark;
  /** Counted on the home page (the lists also offer all open and all closed orders, which are not counted). */
  readonly counted: boolean;
}

/** Every queue the lists filter by, in the order the home page and the filter bar show them. Labels: web i18n `queue.*`. */
export const QUEUES = {
  open: { states: OPEN_STATES, counted: false },
  to_dispatch: { states: ['pending_dispatch'], counted: true },
  to_sign: { states: ['dispatched'], counted: true },
  in_progress: { states: ['in_progress', 'suspended'], counted: true },
  to_review: { states: ['pending_review'], counted: true },
  to_revisit: { states: ['pending_revisit'], counted: true },
  warned: { states: OPEN_STATES, mark: 'warned', counted: true },
  overdue: { states: OPEN_STATES, mark: 'overdue', counted: true },
  supervised: { states: OPEN_STATES, mark: 'supervised', counted: true },
  closed: { states: ['closed'], counted: false },
} as const satisfies Record<string, QueueDef>;

export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

type Counted = { [K in QueueName]: (typeof QUEUES)[K]['counted'] extends true ? K : never }[QueueName];
/** A queue the server counts (GET /tickets/queues). */
export type QueueCode = Counted;
export const COUNTED_QUEUES = QUEUE_NAMES.filter((q): q is QueueCode => QUEUES[q].counted);

/** The queues whose orders need attention now (shown as alerts). */
export const ALERT_QUEUES: ReadonlySet<QueueCode> = new Set(COUNTED_QUEUES.filter((q) => 'mark' in QUEUES[q]));

/** The queues each role works; a user sees the union over their roles. */
export const ROLE_QUEUES: Readonly<Record<Role, readonly QueueCode[]>> = {
  agent: ['to_dispatch', 'to_revisit', 'warned', 'overdue', 'supervised'],
  handler: ['to_sign', 'in_progress', 'warned', 'overdue', 'supervised'],
  unit_lead: ['to_sign', 'in_progress', 'to_review', 'warned', 'overdue', 'supervised'],
  reviewer: ['to_review', 'warned', 'overdue'],
  leader: COUNTED_QUEUES,
  discipline: COUNTED_QUEUES,
  analyst: COUNTED_QUEUES,
  admin: [],
};

/** The counts of the counted queues from the open orders per state and per mark (one rule for the server and tests). */
export function queueCounts(byState: Partial<Record<string, number>>, marks: Record<QueueMark, number>): Record<QueueCode, number> {
  const out = {} as Record<QueueCode, number>;
  for (const q of COUNTED_QUEUES) {
    const def: QueueDef = QUEUES[q];
    out[q] = def.mark ? marks[def.mark] : def.states.reduce((n, s) => n + (byState[s] ?? 0), 0);
  }
  return out;
}
