/** Shapes of the GridVoice HTTP API (/api/v1) as the web uses them. */

import type { Static } from 'typebox';
import type { QueueCode } from '../../../core/queues.ts';
import type { QueueCountsResponse, TicketListResponse } from '../../../core/schemas/ticket.schema.ts';
import type { Channel, ClassDef, Grade, Kind } from '../../../core/taxonomy.ts';
import type { TimePolicyRules } from '../../../core/time-policy.ts';
import type { ActionCode, StateCode } from '../../../core/workflow/index.ts';

export type Lang2 = { zh: string; en: string };

export type { Me, Notification } from '../../../core/schemas/auth.schema.ts';
export type { ApiToken, OrgUnit, User } from '../../../core/schemas/org.schema.ts';

export interface TicketFlags {
  repeat: boolean;
  supervised: boolean;
  risk: boolean;
  outage: boolean;
}

export interface Ticket {
  id: number;
  number: string;
  kind: Kind;
  channel: Channel;
  classCode: string | null;
  subject: string;
  description: string;
  location: string | null;
  customer: { id: number | null; name: string | null; phone: string | null; phoneMasked: boolean; account: string | null; masked: boolean };
  anonymous: boolean;
  pseudonym: string | null;
  externalRef: string | null;
  /** Phone intake without the caller's number: why. */
  noPhoneReason?: string | null;
  externalDueAt: string | null;
  grade: Grade;
  state: StateCode;
  version: number;
  unitId: number | null;
  unitName: string | null;
  assigneeName: string | null;
  assigneeId: number | null;
  intakeBy: number | null;
  intakeAt: string;
  flags: TicketFlags;
  counts: { redo: number; return: number; urge: number; reject: number; contact: number; revisitAttempts: number };
  suspendRequest: { reason: string; expectedResumeAt: string; by: number | null } | null;
  suspendedAt: string | null;
  unitApproved: boolean;
  due: Record<'dispatch' | 'firstContact' | 'reply' | 'promise' | 'revisit' | 'external', string | null>;
  nextDueAt: string | null;
  warned: boolean;
  overdue: boolean;
  provisional: boolean;
  outcomes: Record<string, string | boolean | null>;
  verification: string | null;
  rootCause: string | null;
  responsibility: string | null;
  responsiblePerson: string | null;
  replyText: string | null;
  satisfaction: string | null;
  closeReason: string | null;
  duplicateOfId: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface TicketEvent {
  seq: number;
  action: string;
  actorId: number | null;
  actorName: string | null;
  actorUnitName: string | null;
  from: StateCode | null;
  to: StateCode;
  input: Record<string, unknown>;
  at: string;
  hash: string;
}

export interface Deadline {
  clock: string;
  label: Lang2;
  startAt: string;
  dueAt: string;
  warnAt: string | null;
  provisional: boolean;
  shiftMs?: number;
  metAt?: string | null;
  onTime?: boolean | null;
  warned?: boolean;
  overdue?: boolean;
  explanation: Lang2;
}

export interface Attachment {
  id: number;
  name: string;
  mime: string;
  size: number;
  createdAt: string;
}

export interface TicketLink {
  id: number;
  kind: string;
  direction: 'in' | 'out';
  orderId: number;
  number: string;
  state: StateCode;
  subject: string;
}

export interface TicketDetail {
  ticket: Ticket;
  events: TicketEvent[];
  deadlines: Deadline[];
  attachments: Attachment[];
  links: TicketLink[];
  availableActions: ActionCode[];
  /** Actions the user would have now but for a condition they can meet first (reply before contact), with it. */
  blockedActions?: Array<{ action: ActionCode; guards: string[] }>;
  canRevealIdentity: boolean;
  /** Units an integrity report names (sent to those who dispatch). */
  excludedUnitIds?: number[];
}

export type IntakeResponse = TicketDetail & { receiptCode: string | null };

/** A page of a work list: the orders, the next page's cursor and how many orders match in all (see the schema). */
export type TicketPage = Omit<Static<typeof TicketListResponse>, 'items'> & { items: Ticket[] };

export type { QueueCode };
export type QueueCounts = Static<typeof QueueCountsResponse>['queues'];

export interface CustomerHistory {
  orders: Ticket[];
  openOrders: Array<{ id: number; number: string; state: StateCode; subject: string; version: number }>;
  last30Days: number;
}

export interface DeadlinePreview {
  policyId: number;
  effectiveFrom: string;
  at: string;
  deadlines: Deadline[];
}

export type TaxonomyClass = ClassDef & { active: boolean };

export interface Taxonomy {
  classes: TaxonomyClass[];
}

export interface PolicyVersion {
  id: number;
  effectiveFrom: string;
  rules: TimePolicyRules;
  note: string;
}

export interface CalendarData {
  overrides: Array<{ date: string; workday: boolean; note: string }>;
  years: Array<{ year: number; note: string }>;
}
