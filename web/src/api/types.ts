/** Shapes of the GridVoice HTTP API (/api/v1) as the web uses them. */
import type { Channel, ClassDef, Grade, Kind, Role } from '../../../core/taxonomy.ts';
import type { TimePolicyRules } from '../../../core/time-policy.ts';
import type { ActionCode, StateCode } from '../../../core/workflow/index.ts';

export type Lang2 = { zh: string; en: string };

export interface Me {
  id: number | null;
  username: string;
  displayName: string;
  roles: Role[];
  permissions: string[];
  unitId: number;
  companyId: number | null;
}

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
  customer: { id: number | null; name: string | null; phone: string | null; phoneMasked: boolean; account: string | null };
  anonymous: boolean;
  pseudonym: string | null;
  externalRef: string | null;
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
  canRevealIdentity: boolean;
  /** Units an integrity report names (sent to those who dispatch). */
  excludedUnitIds?: number[];
}

export type IntakeResponse = TicketDetail & { receiptCode: string | null };

export interface TicketPage {
  items: Ticket[];
  nextCursor: string | null;
}

export type QueueCode = 'to_dispatch' | 'to_sign' | 'in_progress' | 'to_review' | 'to_revisit' | 'warned' | 'overdue' | 'supervised';
export type QueueCounts = Record<QueueCode, number>;

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

export interface OrgUnit {
  id: number;
  code: string;
  name: string;
  kind: 'company' | 'department' | 'station';
  parentId: number | null;
  path: string;
  companyId: number | null;
  areaType: 'urban' | 'rural';
  customerCount: number | null;
  active: boolean;
}

export interface User {
  id: number;
  username: string;
  displayName: string;
  unitId: number;
  unitName: string | null;
  phone: string | null;
  roles: Role[];
  active: boolean;
  mustChangePassword: boolean;
  lockedUntil: string | null;
}

export interface ApiToken {
  id: number;
  name: string;
  prefix: string;
  roles: string[];
  unit_id: number;
  created_by: number | null;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
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

export interface Notification {
  id: number;
  ticketId: number | null;
  kind: string;
  text: string;
  createdAt: string;
  read: boolean;
}
