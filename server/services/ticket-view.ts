import type { Ticket as TicketView } from '../../core/schemas/ticket.schema.ts';
import type { Channel, Grade, Kind } from '../../core/taxonomy.ts';
import type { StateCode } from '../../core/workflow/index.ts';
import type { Ticket } from '../db/schema.ts';
import type { Clocks } from '../domain/clocks.ts';
import { type CustomerAccess, orderCustomerData } from '../domain/customer-data.ts';

/**
 * The API shape of an order, its customer data as the viewer's access allows (the one masking policy). Typed by
 * the schema the routes answer with, so a field added here must be added to the contract too.
 */
export function ticketView(
  t: Ticket,
  access: CustomerAccess,
  names: { unitName?: string | null; assigneeName?: string | null } = {},
): TicketView {
  const c = orderCustomerData(access, t);
  const clocks = JSON.parse(t.clocks) as Clocks;
  return {
    id: t.id,
    number: t.number,
    // The stored codes are those of the taxonomy and the workflow table (intake and the planner write no others).
    kind: t.kind as Kind,
    channel: t.channel as Channel,
    classCode: t.class_code,
    subject: t.subject,
    description: t.description,
    location: c.address,
    lat: c.lat,
    lng: c.lng,
    customer: {
      id: t.customer_id,
      name: c.name,
      phone: c.phone,
      phoneMasked: c.masked && t.customer_phone !== null,
      account: c.account,
      /** Whether the name, phone, account or address were masked for this reader. */
      masked: c.masked,
    },
    anonymous: t.anonymous === 1,
    pseudonym: t.pseudonym,
    externalRef: t.external_ref,
    noPhoneReason: t.no_phone_reason,
    externalDueAt: t.external_due_at,
    grade: t.grade as Grade,
    state: t.state as StateCode,
    version: t.version,
    unitId: t.unit_id,
    unitName: names.unitName ?? null,
    assigneeId: t.assignee_id,
    assigneeName: names.assigneeName ?? null,
    intakeBy: t.intake_by,
    intakeAt: t.intake_at,
    policyId: t.policy_id,
    flags: { repeat: t.flag_repeat === 1, supervised: t.flag_supervised === 1, risk: t.flag_risk === 1, outage: t.flag_outage === 1 },
    counts: {
      redo: t.redo_count,
      return: t.return_count,
      urge: t.urge_count,
      reject: t.reject_count,
      contact: t.contact_count,
      revisitAttempts: t.revisit_attempts,
    },
    suspendRequest: t.suspend_request
      ? (JSON.parse(t.suspend_request) as { reason: string; expectedResumeAt: string; by: number | null })
      : null,
    suspendedAt: t.suspended_at,
    suspendedMs: Number(t.suspended_ms),
    unitApproved: t.unit_approved_by !== null,
    due: {
      dispatch: t.dispatch_due_at,
      firstContact: t.first_contact_due_at,
      reply: t.reply_due_at,
      promise: t.promise_due_at,
      revisit: t.revisit_due_at,
      external: clocks.external?.due ?? null,
    },
    nextDueAt: t.next_due_at,
    warned: t.warned === 1,
    overdue: t.overdue === 1,
    provisional: Object.values(clocks).some((c) => c?.provisional),
    outcomes: {
      dispatchedAt: t.dispatched_at,
      signedAt: t.signed_at,
      firstContactAt: t.first_contact_at,
      firstContactOnTime: t.first_contact_on_time === null ? null : t.first_contact_on_time === 1,
      repliedAt: t.replied_at,
      replyOnTime: t.reply_on_time === null ? null : t.reply_on_time === 1,
      approvedAt: t.approved_at,
      promiseOnTime: t.promise_on_time === null ? null : t.promise_on_time === 1,
      revisitedAt: t.revisited_at,
      revisitOnTime: t.revisit_on_time === null ? null : t.revisit_on_time === 1,
      closedAt: t.closed_at,
    },
    verification: t.verification,
    rootCause: t.root_cause,
    responsibility: t.responsibility,
    responsiblePerson: t.responsible_person,
    replyText: t.reply_text,
    satisfaction: t.satisfaction,
    closeReason: t.close_reason,
    duplicateOfId: t.duplicate_of_id,
    createdAt: t.created_at,
    updatedAt: t.updated_at,
  };
}
