import { permissionsOf } from '../../../core/permissions.ts';
import { CHANNELS, GRADES, KINDS, label, REVISIT_OUTCOMES, ROOT_CAUSES, VERIFICATION_RESULTS } from '../../../core/taxonomy.ts';
import { STATES, type StateCode } from '../../../core/workflow/index.ts';
import { shanghaiDateTime } from '../../domain/calendar.ts';
import type { OrgRepository } from '../../repositories/org.repository.ts';
import type { Cursor, TicketFilter, TicketRepository } from '../../repositories/ticket.repository.ts';
import { type Actor, requirePermission } from '../actor.ts';
import { maskAddress, maskName } from '../stats-reports.service.ts';
import { maskPhone } from '../ticket-view.ts';
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
  { key: 'createdAt', zh: '受理时间', width: 18 },
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
  { key: 'closedAt', zh: '归档时间', width: 18 },
];

const yesNo = (v: number | null) => (v === null ? '' : v === 1 ? '是' : '否');

/**
 * Every order in the actor's scope matching the filter, page by page along the cursor (constant memory, no row
 * cap), as export rows masked for the role: without `customer.phone.read` the phone, name, account and address
 * are masked.
 */
export async function* ticketRows(
  actor: Actor,
  tickets: TicketRepository,
  org: OrgRepository,
  filter: TicketFilter,
  classNames: Map<string, string>,
): AsyncGenerator<ExportRow> {
  requirePermission(actor, 'ticket.read');
  const personal = permissionsOf(actor.roles).has('customer.phone.read');
  const units = new Map((await org.list()).map((u) => [u.id, u.name]));
  const scope = scopeOf(actor);
  let cursor: Cursor | null = null;
  do {
    const page = await tickets.list(scope, filter, 'created', 500, cursor);
    for (const t of page.rows)
      yield {
        number: t.number,
        kind: label(KINDS, t.kind),
        channel: label(CHANNELS, t.channel),
        class: t.class_code ? (classNames.get(t.class_code) ?? t.class_code) : '',
        grade: label(GRADES, t.grade),
        state: STATES[t.state as StateCode]?.zh ?? t.state,
        createdAt: shanghaiDateTime(new Date(t.created_at)),
        unit: t.unit_id ? (units.get(t.unit_id) ?? '') : '',
        customer: personal ? t.customer_name : maskName(t.customer_name),
        phone: personal ? t.customer_phone : maskPhone(t.customer_phone),
        account: personal ? t.customer_account : t.customer_account ? `****${t.customer_account.slice(-4)}` : null,
        location: personal ? t.location : maskAddress(t.location),
        subject: t.subject,
        verification: t.verification ? label(VERIFICATION_RESULTS, t.verification) : '',
        rootCause: t.root_cause ? label(ROOT_CAUSES, t.root_cause) : '',
        satisfaction: t.satisfaction ? label(REVISIT_OUTCOMES, t.satisfaction) : '',
        replyOnTime: yesNo(t.reply_on_time),
        overdue: yesNo(t.overdue),
        repeat: yesNo(t.flag_repeat),
        closedAt: t.closed_at ? shanghaiDateTime(new Date(t.closed_at)) : '',
      };
    cursor = page.next;
  } while (cursor);
}
