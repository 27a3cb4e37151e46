import { CHANNELS, GRADES, KINDS, label, REVISIT_OUTCOMES, ROOT_CAUSES, VERIFICATION_RESULTS } from '../../../core/taxonomy.ts';
import { STATES, type StateCode } from '../../../core/workflow/index.ts';
import { customerAccessOf, orderCustomerData } from '../../domain/customer-data.ts';
import type { OrgRepository } from '../../repositories/org.repository.ts';
import type { Cursor, TicketFilter, TicketListRepository } from '../../repositories/ticket-list.repository.ts';
import { type Actor, requirePermission } from '../actor.ts';
import { requireCustomerLookup } from '../ticket-query.service.ts';
import { scopeOf } from '../workflow.service.ts';
import type { ExportColumn, ExportRow } from './table-writer.ts';

/** The columns of an order-list export (reporter identity is never among them: it lives encrypted elsewhere). */
export const TICKET_COLUMNS: ExportColumn[] = [
  { key: 'number', zh: '工单编号', width: 18 },
  { key: 'kind', zh: '业务类型' },
  { key: 'channel', zh: '受理渠道', width: 14 },
  { key: 'class', zh: '分类', width: 16 },
  { key: 'grade', zh: '等级' },
  { key: 'state', zh: '状态' },
  { key: 'createdAt', zh: '受理时间', type: 'datetime', width: 18 },
  { key: 'unit', zh: '责任单位', width: 16 },
  { key: 'customer', zh: '客户姓名', width: 12 },
  { key: 'phone', zh: '联系电话', width: 16 },
  { key: 'account', zh: '户号', width: 14 },
  { key: 'location', zh: '地址', width: 30 },
  { key: 'subject', zh: '主题', width: 30 },
  { key: 'verification', zh: '核实结果' },
  { key: 'rootCause', zh: '问题原因', width: 16 },
  { key: 'satisfaction', zh: '回访结果' },
  { key: 'replyOnTime', zh: '回单及时' },
  { key: 'overdue', zh: '超期' },
  { key: 'repeat', zh: '重复投诉' },
  { key: 'closedAt', zh: '归档时间', type: 'datetime', width: 18 },
];

const yesNo = (v: number | null) => (v === null ? '' : v === 1 ? '是' : '否');

/**
 * Every order in the actor's scope matching the filter, page by page along the cursor (constant memory, no row
 * cap), with the customer data the actor's roles allow (the one masking policy, as in the list and detail JSON).
 */
export async function* ticketRows(
  actor: Actor,
  tickets: TicketListRepository,
  org: OrgRepository,
  filter: TicketFilter,
  classNames: Map<string, string>,
): AsyncGenerator<ExportRow> {
  requirePermission(actor, 'ticket.read');
  requireCustomerLookup(actor, filter);
  const access = customerAccessOf(actor.roles);
  const units = new Map((await org.list()).map((u) => [u.id, u.name]));
  const scope = scopeOf(actor);
  let cursor: Cursor | null = null;
  do {
    const page = await tickets.list(scope, filter, 'created', 500, cursor);
    for (const t of page.rows) {
      const c = orderCustomerData(access, t);
      yield {
        number: t.number,
        kind: label(KINDS, t.kind),
        channel: label(CHANNELS, t.channel),
        class: t.class_code ? (classNames.get(t.class_code) ?? t.class_code) : '',
        grade: label(GRADES, t.grade),
        state: STATES[t.state as StateCode]?.zh ?? t.state,
        createdAt: t.created_at,
        unit: t.unit_id ? (units.get(t.unit_id) ?? '') : '',
        customer: c.name,
        phone: c.phone,
        account: c.account,
        location: c.address,
        subject: t.subject,
        verification: t.verification ? label(VERIFICATION_RESULTS, t.verification) : '',
        rootCause: t.root_cause ? label(ROOT_CAUSES, t.root_cause) : '',
        satisfaction: t.satisfaction ? label(REVISIT_OUTCOMES, t.satisfaction) : '',
        replyOnTime: yesNo(t.reply_on_time),
        overdue: yesNo(t.overdue),
        repeat: yesNo(t.flag_repeat),
        closedAt: t.closed_at ?? '',
      };
    }
    cursor = page.next;
  } while (cursor);
}

/** The order-list export over the repositories it reads: what the routes call. */
export class TicketExportService {
  constructor(
    private readonly tickets: TicketListRepository,
    private readonly org: OrgRepository,
  ) {}

  /** The export rows of the orders the actor may see that match the filter (see ticketRows). */
  rows(actor: Actor, filter: TicketFilter, classNames: Map<string, string>): AsyncGenerator<ExportRow> {
    return ticketRows(actor, this.tickets, this.org, filter, classNames);
  }
}
