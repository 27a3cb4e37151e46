import { type Static, type TInteger, Type } from 'typebox';
import { COUNTED_QUEUES, QUEUE_NAMES, type QueueCode } from '../queues.ts';
import { CHANNELS, GRADES, KINDS } from '../taxonomy.ts';
import { CLOCK_LABELS, type ClockName } from '../time-policy.ts';
import { ACTION_CODES, STATE_CODES } from '../workflow/index.ts';
import { codesOf, IsoTime, Label, literalsOf, Nullable } from './common.schema.ts';
import { Duration } from './reference.schema.ts';

const literals = (list: ReadonlyArray<{ code: string }>) => Type.Union(list.map((x) => Type.Literal(x.code)));
const optText = (max: number) => Type.Optional(Type.Union([Type.String({ maxLength: max }), Type.Null()]));
const Phone = Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+\\- ]{5,20}$' }), Type.Null()]));

/** Limits the web forms share with the API. */
export const LIMITS = { subject: 120, description: 4000, location: 200, name: 64, account: 32, externalRef: 64 } as const;

/** `POST /api/v1/tickets` — intake (受理). */
export const IntakeBody = Type.Object({
  kind: literals(KINDS),
  channel: literals(CHANNELS),
  classCode: optText(64),
  subject: Type.Optional(Type.String({ maxLength: LIMITS.subject })),
  description: Type.String({ minLength: 2, maxLength: LIMITS.description }),
  location: optText(LIMITS.location),
  lat: Type.Optional(Type.Union([Type.Number({ minimum: -90, maximum: 90 }), Type.Null()])),
  lng: Type.Optional(Type.Union([Type.Number({ minimum: -180, maximum: 180 }), Type.Null()])),
  customer: Type.Optional(
    Type.Object({
      name: optText(LIMITS.name),
      phone: Phone,
      account: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9A-Za-z-]{4,32}$' }), Type.Null()])),
    }),
  ),
  anonymous: Type.Optional(Type.Boolean()),
  reporter: Type.Optional(
    Type.Object({
      name: optText(LIMITS.name),
      phone: Phone,
      idNumber: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9Xx]{15,18}$' }), Type.Null()])),
      contact: optText(200),
    }),
  ),
  namedUnitIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  namedUserIds: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  externalRef: optText(LIMITS.externalRef),
  /** Phone intake: why the caller left no number (required then, so that a call-back is known to be impossible). */
  noPhoneReason: Type.Optional(Type.Union([Type.String({ minLength: 2, maxLength: 200 }), Type.Null()])),
  externalDueAt: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  grade: Type.Optional(literals(GRADES)),
  /** An active outage event (停电事件) the agent links the order to at intake. */
  outageId: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
});

/** `GET /api/v1/tickets` query. */
export const ListQuery = Type.Object({
  queue: Type.Optional(Type.Union(QUEUE_NAMES.map((q) => Type.Literal(q)))),
  state: Type.Optional(Type.String({ maxLength: 200 })),
  /** One kind or a comma list of kinds (`complaint,report`: the cases a statistics figure counts). */
  kind: Type.Optional(Type.String({ maxLength: 64 })),
  class: Type.Optional(Type.String({ maxLength: 64 })),
  channel: Type.Optional(literals(CHANNELS)),
  unitId: Type.Optional(Type.Integer({ minimum: 1 })),
  grade: Type.Optional(literals(GRADES)),
  flag: Type.Optional(Type.String({ maxLength: 64 })),
  overdue: Type.Optional(Type.Boolean()),
  dueBefore: Type.Optional(Type.String({ format: 'date-time' })),
  createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
  createdTo: Type.Optional(Type.String({ format: 'date-time' })),
  phone: Type.Optional(Type.String({ maxLength: 20 })),
  account: Type.Optional(Type.String({ maxLength: 32 })),
  number: Type.Optional(Type.String({ maxLength: 32 })),
  /** Words the order's subject, description, reply or address must all contain (full-text search). */
  q: Type.Optional(Type.String({ maxLength: 200 })),
  /** Statistics drill-down: verification result, root cause ('none' = not yet set) and the unit's area type. */
  verification: Type.Optional(Type.String({ maxLength: 32 })),
  rootCause: Type.Optional(Type.String({ maxLength: 64 })),
  area: Type.Optional(Type.Union([Type.Literal('urban'), Type.Literal('rural')])),
  /** Statistics drill-down of a unit's own row: orders with exactly this unit (or none yet, for a company). */
  ownUnit: Type.Optional(Type.Integer({ minimum: 1 })),
  sort: Type.Optional(Type.Union([Type.Literal('due'), Type.Literal('created')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

const State = literalsOf(STATE_CODES);
const TextOrNull = Nullable(Type.String());
const TimeOrNull = Nullable(IsoTime);

/** An order as the API shows it, its customer data as the reader's access allows (the one masking policy). */
export const Ticket = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  kind: codesOf(KINDS),
  channel: codesOf(CHANNELS),
  classCode: TextOrNull,
  subject: Type.String(),
  description: Type.String(),
  /** The address, masked (or null) when the reader may not see it whole; so are the coordinates. */
  location: TextOrNull,
  lat: Nullable(Type.Number()),
  lng: Nullable(Type.Number()),
  customer: Type.Object({
    id: Nullable(Type.Integer()),
    name: TextOrNull,
    phone: TextOrNull,
    phoneMasked: Type.Boolean(),
    account: TextOrNull,
    /** Whether the name, phone, account or address were masked for this reader. */
    masked: Type.Boolean(),
  }),
  anonymous: Type.Boolean(),
  pseudonym: TextOrNull,
  externalRef: TextOrNull,
  /** Phone intake without the caller's number: why there is none. */
  noPhoneReason: TextOrNull,
  externalDueAt: TimeOrNull,
  grade: codesOf(GRADES),
  state: State,
  version: Type.Integer(),
  unitId: Nullable(Type.Integer()),
  unitName: TextOrNull,
  assigneeId: Nullable(Type.Integer()),
  assigneeName: TextOrNull,
  intakeBy: Nullable(Type.Integer()),
  intakeAt: IsoTime,
  policyId: Type.Integer(),
  flags: Type.Object({ repeat: Type.Boolean(), supervised: Type.Boolean(), risk: Type.Boolean(), outage: Type.Boolean() }),
  counts: Type.Object({
    redo: Type.Integer(),
    return: Type.Integer(),
    urge: Type.Integer(),
    reject: Type.Integer(),
    contact: Type.Integer(),
    revisitAttempts: Type.Integer(),
  }),
  suspendRequest: Nullable(Type.Object({ reason: Type.String(), expectedResumeAt: IsoTime, by: Nullable(Type.Integer()) })),
  suspendedAt: TimeOrNull,
  suspendedMs: Type.Integer(),
  unitApproved: Type.Boolean(),
  /** When each clock falls due (a forwarding body's own deadline as `external`). */
  due: Type.Object({
    dispatch: TimeOrNull,
    firstContact: TimeOrNull,
    reply: TimeOrNull,
    promise: TimeOrNull,
    revisit: TimeOrNull,
    external: TimeOrNull,
  }),
  nextDueAt: TimeOrNull,
  warned: Type.Boolean(),
  overdue: Type.Boolean(),
  provisional: Type.Boolean(),
  /** The milestones reached and whether each was on time (null until known). */
  outcomes: Type.Object({
    dispatchedAt: TimeOrNull,
    signedAt: TimeOrNull,
    firstContactAt: TimeOrNull,
    firstContactOnTime: Nullable(Type.Boolean()),
    repliedAt: TimeOrNull,
    replyOnTime: Nullable(Type.Boolean()),
    approvedAt: TimeOrNull,
    promiseOnTime: Nullable(Type.Boolean()),
    revisitedAt: TimeOrNull,
    revisitOnTime: Nullable(Type.Boolean()),
    closedAt: TimeOrNull,
  }),
  verification: TextOrNull,
  rootCause: TextOrNull,
  responsibility: TextOrNull,
  responsiblePerson: TextOrNull,
  replyText: TextOrNull,
  satisfaction: TextOrNull,
  closeReason: TextOrNull,
  /** The order this one repeats; in a detail, null when the reader may not see that order. */
  duplicateOfId: Nullable(Type.Integer()),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Ticket = Static<typeof Ticket>;

/**
 * `GET /api/v1/tickets`: a page of orders, the cursor of the next page, and how many orders match the filter in
 * all (`totalCapped`: there are more than `total`, the count having stopped there).
 */
export const TicketListResponse = Type.Object({
  items: Type.Array(Ticket),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer({ minimum: 0 }),
  totalCapped: Type.Boolean(),
});

/** One event of an order's history; its input without what it says of orders the reader may not see. */
export const TicketEvent = Type.Object({
  seq: Type.Integer(),
  action: Type.String(),
  actorId: Nullable(Type.Integer()),
  actorName: TextOrNull,
  actorUnitName: TextOrNull,
  from: Nullable(State),
  to: State,
  input: Type.Record(Type.String(), Type.Unknown()),
  at: IsoTime,
  hash: Type.String(),
});
export type TicketEvent = Static<typeof TicketEvent>;

/** A deadline as planned: the clock, when it started, warns and falls due, the rule, and why in words. */
export const DeadlinePlan = Type.Object({
  clock: literalsOf(Object.keys(CLOCK_LABELS) as Array<ClockName | 'external'>),
  label: Label,
  startAt: IsoTime,
  dueAt: IsoTime,
  warnAt: IsoTime,
  /** Null for a forwarding body's own deadline. */
  rule: Nullable(Duration),
  provisional: Type.Boolean(),
  explanation: Label,
});
export type DeadlinePlan = Static<typeof DeadlinePlan>;

/** A deadline of an order: the plan, the time it was shifted by pauses, and how it went. */
export const Deadline = Type.Object({
  ...DeadlinePlan.properties,
  shiftMs: Type.Integer(),
  metAt: TimeOrNull,
  onTime: Nullable(Type.Boolean()),
  warned: Type.Boolean(),
  overdue: Type.Boolean(),
});
export type Deadline = Static<typeof Deadline>;

/** An attachment as listed (its bytes come from `GET /attachments/:id`). */
export const Attachment = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  createdAt: IsoTime,
});
export type Attachment = Static<typeof Attachment>;

/** A link to another order the reader may see: `out` when this order made it. */
export const TicketLink = Type.Object({
  id: Type.Integer(),
  kind: Type.String(),
  direction: Type.Union([Type.Literal('in'), Type.Literal('out')]),
  orderId: Type.Integer(),
  number: Type.String(),
  state: State,
  subject: Type.String(),
});
export type TicketLink = Static<typeof TicketLink>;

/**
 * `GET /api/v1/tickets/:id` (and the answer of an action): the order, its history, deadlines, attachments and
 * links, and what the reader may do now.
 */
export const TicketDetail = Type.Object({
  ticket: Ticket,
  /** Units an integrity report names (only for those who dispatch): the unit picker greys them out. */
  excludedUnitIds: Type.Array(Type.Integer()),
  events: Type.Array(TicketEvent),
  deadlines: Type.Array(Deadline),
  attachments: Type.Array(Attachment),
  links: Type.Array(TicketLink),
  availableActions: Type.Array(literalsOf(ACTION_CODES)),
  /** Actions the reader would have now but for a condition they can meet first (reply before contact), with it. */
  blockedActions: Type.Array(Type.Object({ action: literalsOf(ACTION_CODES), guards: Type.Array(Type.String()) })),
  canRevealIdentity: Type.Boolean(),
});
export type TicketDetail = Static<typeof TicketDetail>;

/** `POST /api/v1/tickets`: the new order's detail and, for an anonymous report, its receipt code (shown once). */
export const IntakeResponse = Type.Object({ ...TicketDetail.properties, receiptCode: TextOrNull });
export type IntakeResponse = Static<typeof IntakeResponse>;

/** `GET /api/v1/tickets/:id/deadlines`. */
export const DeadlinesResponse = Type.Object({ deadlines: Type.Array(Deadline) });

/** `GET /api/v1/deadlines/preview`: the deadlines an order would get under the policy in force at `at`. */
export const DeadlinePreviewResponse = Type.Object({
  policyId: Type.Integer(),
  effectiveFrom: IsoTime,
  at: IsoTime,
  deadlines: Type.Array(DeadlinePlan),
});
export type DeadlinePreview = Static<typeof DeadlinePreviewResponse>;

/** `GET /api/v1/customers/lookup`: the customer's recent orders, the open ones, and how many in the last 30 days. */
export const CustomerHistoryResponse = Type.Object({
  orders: Type.Array(Ticket),
  openOrders: Type.Array(
    Type.Object({ id: Type.Integer(), number: Type.String(), state: State, subject: Type.String(), version: Type.Integer() }),
  ),
  last30Days: Type.Integer({ minimum: 0 }),
});
export type CustomerHistory = Static<typeof CustomerHistoryResponse>;

/** `POST /api/v1/tickets/:id/reveal-identity`: the reporter's identity as taken in, and every reveal so far. */
export const IdentityRevealed = Type.Object({
  identity: Type.Record(Type.String(), TextOrNull),
  reveals: Type.Array(
    Type.Object({ id: Type.Integer(), user_id: Type.Integer(), display_name: Type.String(), reason: Type.String(), at: IsoTime }),
  ),
});
export type IdentityRevealed = Static<typeof IdentityRevealed>;

/** `POST /api/v1/tickets/:id/attachments`. */
export const AttachmentAdded = Type.Object({ attachment: Attachment });

/** `POST /api/v1/tickets/:id/actions/:action` — `version` plus the action's fields (see core/workflow). */
export const ActionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: true });

/** `GET /api/v1/tickets/queues`: how many orders the reader's counted queues hold. */
export const QueueCountsResponse = Type.Object({
  queues: Type.Object(Object.fromEntries(COUNTED_QUEUES.map((q) => [q, Type.Integer({ minimum: 0 })])) as Record<QueueCode, TInteger>),
});
