import { Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';

/** A message of the notification outbox (SMS, e-mail, webhook) as staff see it: the recipient masked. */
export const OutboxMessage = Type.Object({
  id: Type.Integer(),
  /** Stable across retries: receivers de-duplicate on it. */
  deliveryId: Type.String(),
  channel: Type.String(),
  recipient: Type.String(),
  template: Type.String(),
  subject: Nullable(Type.String()),
  ticketId: Nullable(Type.Integer()),
  /** pending → sending → sent, or dead after the last attempt. */
  status: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(IsoTime),
  lastError: Nullable(Type.String()),
  createdAt: IsoTime,
  sentAt: Nullable(IsoTime),
});

/** `GET /admin/outbox`: newest first, with counts per status and the cursor of the next page. */
export const OutboxPage = Type.Object({
  items: Type.Array(OutboxMessage),
  counts: Type.Record(Type.String(), Type.Integer()),
  nextBeforeId: Nullable(Type.Integer()),
});

export const OutboxRetried = Type.Object({ message: OutboxMessage });

/** `GET /tickets/:id/messages`: the messages sent about an order (webhooks left out). */
export const OutboxMessageList = Type.Object({ items: Type.Array(OutboxMessage) });
