import { inScope, MEASURE_SCOPE, MEASURES, type Measure, type Measures, zeroMeasures } from '../../../core/stats.ts';
import type { Ticket } from '../../db/schema.ts';
import type { StatsAggTable } from '../../db/stats-schema.ts';
import { shanghaiDate } from '../calendar.ts';

/** The dimension values an order is counted under (null codes stored as ''): the aggregate row's key and its day. */
export type AggKey = Omit<StatsAggTable, 'grain' | 'bucket' | Measure> & { day: string };

export const KEY_COLUMNS = [
  'company_id',
  'org_unit_id',
  'class_code',
  'kind',
  'channel',
  'grade',
  'verification',
  'root_cause',
] as const satisfies ReadonlyArray<keyof AggKey>;

/** The order columns a contribution depends on (all a rebuild needs to read). */
export const CONTRIBUTION_COLUMNS = [
  'created_at',
  'company_id',
  'unit_id',
  'class_code',
  'kind',
  'channel',
  'grade',
  'verification',
  'root_cause',
  'state',
  'close_reason',
  'first_contact_on_time',
  'reply_on_time',
  'satisfaction',
  'flag_repeat',
  'redo_count',
  'reject_count',
  'dispatched_at',
  'return_count',
  'closed_at',
  'overdue',
] as const satisfies ReadonlyArray<keyof Ticket>;

export type ContributingTicket = Pick<Ticket, (typeof CONTRIBUTION_COLUMNS)[number]>;

const REACHED = new Set(['satisfied', 'basically', 'dissatisfied']);
const SATISFIED = new Set(['satisfied', 'basically']);
const FOUND_TRUE = new Set(['substantiated', 'partly']);

/**
 * Where an order counts and what it adds to each measure (the KPI definitions in core/stats.ts made exact).
 * The org unit is the unit the order is with now, or its company while it has none.
 */
export function contributionOf(t: ContributingTicket): { key: AggKey; m: Measures } {
  const key: AggKey = {
    day: shanghaiDate(new Date(t.created_at)),
    company_id: t.company_id,
    org_unit_id: t.unit_id ?? t.company_id,
    class_code: t.class_code ?? '',
    kind: t.kind,
    channel: t.channel,
    grade: t.grade,
    verification: t.verification ?? '',
    root_cause: t.root_cause ?? '',
  };
  const m = zeroMeasures();
  const closed = t.state === 'closed';
  const archived = closed && t.close_reason === 'completed';
  m.n = 1;
  m.complaints = t.kind === 'complaint' ? 1 : 0;
  m.open_n = closed ? 0 : 1;
  m.closed = closed ? 1 : 0;
  m.archived = archived ? 1 : 0;
  m.verified = t.verification ? 1 : 0;
  m.substantiated = t.verification && FOUND_TRUE.has(t.verification) ? 1 : 0;
  m.fc_due = t.first_contact_on_time === null ? 0 : 1;
  m.fc_on_time = t.first_contact_on_time === 1 ? 1 : 0;
  m.reply_due = t.reply_on_time === null ? 0 : 1;
  m.reply_on_time = t.reply_on_time === 1 ? 1 : 0;
  m.revisited = t.satisfaction ? 1 : 0;
  m.revisit_ok = t.satisfaction && REACHED.has(t.satisfaction) ? 1 : 0;
  m.satisfied = t.satisfaction && SATISFIED.has(t.satisfaction) ? 1 : 0;
  m.repeat_n = t.flag_repeat === 1 ? 1 : 0;
  m.first_time = archived && t.redo_count === 0 && t.reject_count === 0 && t.flag_repeat === 0 ? 1 : 0;
  m.dispatched = t.dispatched_at ? 1 : 0;
  m.returned = t.return_count > 0 ? 1 : 0;
  m.handle_n = archived && t.closed_at ? 1 : 0;
  m.handle_seconds = archived && t.closed_at ? Math.round((Date.parse(t.closed_at) - Date.parse(t.created_at)) / 1000) : 0;
  m.overdue = t.overdue === 1 ? 1 : 0;
  // Each measure counts only the kinds its definition names (a praise is never found true, returned or late).
  for (const x of MEASURES) if (!inScope(MEASURE_SCOPE[x], t.kind)) m[x] = 0;
  return { key, m };
}

/** A stable string of a key (for maps and for comparing before/after). */
export function keyString(k: AggKey): string {
  return [k.day, ...KEY_COLUMNS.map((c) => k[c])].join('|');
}
