import { type Static, Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';

/** Planned (计划停电) or fault (故障停电). */
export const OutageKindCode = Type.Union([Type.Literal('planned'), Type.Literal('fault')]);
/** Active until restored or cancelled. */
export const OutageStatusCode = Type.Union([Type.Literal('active'), Type.Literal('restored'), Type.Literal('cancelled')]);

/** An outage event (停电事件) with its stations and the number of linked orders the reader can see. */
export const Outage = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  kind: OutageKindCode,
  title: Type.String(),
  cause: Type.String(),
  areas: Type.Array(Type.String()),
  feeders: Type.Array(Type.String()),
  units: Type.Array(Type.Object({ id: Type.Integer(), code: Type.String(), name: Type.String() })),
  startAt: IsoTime,
  expectedRestoreAt: Nullable(IsoTime),
  restoredAt: Nullable(IsoTime),
  status: OutageStatusCode,
  note: Nullable(Type.String()),
  orderCount: Type.Integer(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type Outage = Static<typeof Outage>;

/** An order linked to an outage, as its reader may see it (the address masked by their customer access). */
export const LinkedOrder = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  kind: Type.String(),
  class_code: Nullable(Type.String()),
  subject: Type.String(),
  state: Type.String(),
  version: Type.Integer(),
  unit_id: Nullable(Type.Integer()),
  location: Nullable(Type.String()),
  intake_at: IsoTime,
  next_due_at: Nullable(IsoTime),
  reply_due_at: Nullable(IsoTime),
});

/** One outage with its linked orders (`GET /outages/:id`, create, change, link). */
export const OutageDetail = Type.Object({ outage: Outage, orders: Type.Array(LinkedOrder) });

export const OutageList = Type.Object({ items: Type.Array(Outage) });

/** The active outages that concern a caller: why (`unit`, `area:…`, `feeder:…`, `company`) and whether begun. */
export const ActiveOutageList = Type.Object({
  items: Type.Array(Type.Object({ ...Outage.properties, started: Type.Boolean(), matchedBy: Type.Array(Type.String()) })),
});

/** The outages an order is linked to (order detail). */
export const OrderOutageList = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      title: Type.String(),
      kind: OutageKindCode,
      status: OutageStatusCode,
      startAt: IsoTime,
      expectedRestoreAt: Nullable(IsoTime),
      restoredAt: Nullable(IsoTime),
    }),
  ),
});

/** What the bulk answer did to one linked order. */
export const OrderAnswer = Type.Object({
  ticketId: Type.Integer(),
  number: Type.String(),
  from: Type.String(),
  to: Type.String(),
  actions: Type.Array(Type.String()),
  outcome: Type.Union([Type.Literal('answered'), Type.Literal('advanced'), Type.Literal('skipped'), Type.Literal('failed')]),
  reason: Nullable(Type.String()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String() })),
});

/** The bulk answer's results; linked orders outside the actor's scope are only counted. */
export const OutageAnswerResult = Type.Object({ results: Type.Array(OrderAnswer), notVisible: Type.Integer() });

/** `POST /outages/:id/restore`: the restored outage and what the bulk answer did. */
export const OutageRestored = Type.Object({ ...OutageDetail.properties, ...OutageAnswerResult.properties });

const Bucket = {
  count: Type.Integer(),
  restored: Type.Integer(),
  durationMinutes: Type.Integer(),
  orders: Type.Integer(),
  avgDurationMinutes: Nullable(Type.Integer()),
};

/** Outage statistics over a start period (cancelled ones left out): overall, by station, by month, per outage. */
export const OutageStats = Type.Object({
  total: Type.Object(Bucket),
  byUnit: Type.Array(Type.Object({ unitId: Type.Integer(), unitName: Nullable(Type.String()), ...Bucket })),
  byMonth: Type.Array(Type.Object({ month: Type.String(), ...Bucket })),
  perOutage: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      kind: Type.String(),
      status: Type.String(),
      durationMinutes: Nullable(Type.Integer()),
      orders: Type.Integer(),
    }),
  ),
});

/** A CSV import of planned outages: the lines recorded (none on a dry run) and the problems per line. */
export const OutageImport = Type.Object({
  dryRun: Type.Boolean(),
  lines: Type.Integer(),
  created: Type.Array(
    Type.Object({ line: Type.Integer(), id: Nullable(Type.Integer()), number: Nullable(Type.String()), title: Type.String() }),
  ),
  errors: Type.Array(Type.Object({ line: Type.Integer(), field: Type.String(), problem: Type.String() })),
});
