import { type TInteger, Type } from 'typebox';
import { COUNTED_QUEUES, QUEUE_NAMES, type QueueCode } from '../queues.ts';
import { CHANNELS, GRADES, KINDS } from '../taxonomy.ts';

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

/**
 * `GET /api/v1/tickets`: a page of orders, the cursor of the next page, and how many orders match the filter in
 * all (`totalCapped`: there are more than `total`, the count having stopped there). Each item is an order as the
 * order view shapes it; its own schema comes with the order detail's.
 */
export const TicketListResponse = Type.Object({
  items: Type.Array(Type.Object({ id: Type.Integer(), number: Type.String() }, { additionalProperties: true })),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  total: Type.Integer({ minimum: 0 }),
  totalCapped: Type.Boolean(),
});

/** `POST /api/v1/tickets/:id/actions/:action` — `version` plus the action's fields (see core/workflow). */
export const ActionBody = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: true });

/** `GET /api/v1/tickets/queues`: how many orders the reader's counted queues hold. */
export const QueueCountsResponse = Type.Object({
  queues: Type.Object(Object.fromEntries(COUNTED_QUEUES.map((q) => [q, Type.Integer({ minimum: 0 })])) as Record<QueueCode, TInteger>),
});
