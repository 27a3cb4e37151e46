import type { Static } from 'typebox';
import { QUEUES, type QueueDef } from '../../core/queues.ts';
import type { ListQuery } from '../../core/schemas/ticket.schema.ts';
import { KINDS } from '../../core/taxonomy.ts';
import { isStateCode } from '../../core/workflow/index.ts';
import { invalidField } from '../errors.ts';
import type { OrgRepository } from '../repositories/org.repository.ts';
import type { TicketFilter } from '../repositories/ticket-list.repository.ts';
import type { SearchService } from './search.service.ts';

/** The query string of an order list; the export and the statistics drill-downs take the same. */
export type ListParams = Omit<Static<typeof ListQuery>, 'sort' | 'limit' | 'cursor'>;

/** A work queue as a list filter: its states, and its mark when it has one. */
function queueFilter(def: QueueDef): TicketFilter {
  const f: TicketFilter = { states: [...def.states] };
  if (def.mark === 'warned') f.warned = true;
  if (def.mark === 'overdue') f.overdue = true;
  if (def.mark === 'supervised') f.flags = ['supervised'];
  return f;
}

const FLAGS = ['repeat', 'supervised', 'risk', 'outage'] as const;
const iso = (s: string) => new Date(s).toISOString();

/**
 * The one parser of an order-list query (the list, its export and the statistics drill-downs), 400 with the field
 * for a bad value. The SQL of the result is TicketListRepository's; who may see what is added there, never here.
 */
export async function ticketFilterOf(q: ListParams, deps: { org: OrgRepository; search: SearchService }): Promise<TicketFilter> {
  const f: TicketFilter = q.queue ? queueFilter(QUEUES[q.queue]) : {};
  if (q.state) {
    const states = q.state.split(',');
    for (const st of states) if (!isStateCode(st)) throw invalidField('state', `unknown state "${st}"`);
    f.states = states;
  }
  if (q.flag) {
    const flags = q.flag.split(',');
    for (const x of flags) if (!(FLAGS as readonly string[]).includes(x)) throw invalidField('flag', `unknown flag "${x}"`);
    f.flags = [...(f.flags ?? []), ...(flags as Array<(typeof FLAGS)[number]>)];
  }
  if (q.unitId) {
    const unit = await deps.org.find(q.unitId);
    if (!unit) throw invalidField('unitId', 'no such unit');
    f.unitPath = unit.path;
  }
  if (q.kind) {
    const kinds = q.kind.split(',');
    for (const k of kinds) if (!KINDS.some((x) => x.code === k)) throw invalidField('kind', `unknown kind "${k}"`);
    f.kinds = kinds;
  }
  if (q.class) f.classPrefix = q.class;
  if (q.channel) f.channel = q.channel;
  if (q.grade) f.grade = q.grade;
  if (q.overdue !== undefined) f.overdue = q.overdue;
  if (q.dueBefore) f.dueBefore = iso(q.dueBefore);
  if (q.createdFrom) f.createdFrom = iso(q.createdFrom);
  if (q.createdTo) f.createdTo = iso(q.createdTo);
  if (q.phone) f.customerPhone = q.phone;
  if (q.account) f.customerAccount = q.account;
  if (q.number) f.number = q.number;
  if (q.verification) f.verification = q.verification === 'none' ? null : q.verification;
  if (q.rootCause) f.rootCause = q.rootCause === 'none' ? null : q.rootCause;
  if (q.area) f.areaType = q.area;
  if (q.ownUnit) f.ownUnitId = q.ownUnit;
  if (q.q?.trim()) f.textMatch = deps.search.listFilter(q.q);
  return f;
}

/** The order-list filter parser with its lookups bound: what the routes call. */
export class TicketFilterService {
  constructor(
    private readonly org: OrgRepository,
    private readonly search: SearchService,
  ) {}

  /** The filter of an order-list query; 400 with the field for a bad value. */
  of(q: ListParams): Promise<TicketFilter> {
    return ticketFilterOf(q, { org: this.org, search: this.search });
  }
}
