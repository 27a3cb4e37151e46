/** Shapes of the GridVoice HTTP API (/api/v1) as the web uses them. */

import type { Static } from 'typebox';
import type { QueueCode } from '../../../core/queues.ts';
import type { QueueCountsResponse, Ticket, TicketListResponse } from '../../../core/schemas/ticket.schema.ts';
import type { ClassDef } from '../../../core/taxonomy.ts';
import type { TimePolicyRules } from '../../../core/time-policy.ts';

export type Lang2 = { zh: string; en: string };

export type { Me, Notification } from '../../../core/schemas/auth.schema.ts';
export type { ApiToken, OrgUnit, User } from '../../../core/schemas/org.schema.ts';

export type {
  Attachment,
  CustomerHistory,
  Deadline,
  DeadlinePlan,
  DeadlinePreview,
  IdentityRevealed,
  IntakeResponse,
  Ticket,
  TicketDetail,
  TicketEvent,
  TicketLink,
} from '../../../core/schemas/ticket.schema.ts';

export type TicketFlags = Ticket['flags'];

/** A page of a work list: the orders, the next page's cursor and how many orders match in all (see the schema). */
export type TicketPage = Static<typeof TicketListResponse>;

export type { QueueCode };
export type QueueCounts = Static<typeof QueueCountsResponse>['queues'];

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
