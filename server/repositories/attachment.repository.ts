// The attachments of an order: their stored rows (the bytes are the file store's).
import type { Kysely, Transaction } from 'kysely';
import { prepared, type SlotOf } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

const ATTACHMENTS = prepared((db, p: SlotOf<{ id: number }>) =>
  db.selectFrom('attachments').selectAll().where('ticket_id', '=', p('id')).orderBy('id'),
);

/** Attachment rows per order. */
export class AttachmentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records an uploaded file on an order; returns the attachment's id. */
  async insert(
    row: { ticket_id: number; sha256: string; size: number; mime: string; name: string; uploaded_by: number | null; created_at: string },
    q: Q,
  ): Promise<number> {
    const r = await q.insertInto('attachments').values(row).returning('id').executeTakeFirstOrThrow();
    return r.id;
  }

  /** The order's attachments in upload order. */
  async ofTicket(ticketId: number, q: Q = this.db) {
    return (await ATTACHMENTS(q, { id: ticketId })).rows;
  }

  /** One attachment by id, whatever its order (the caller checks the order's scope). */
  find(id: number, q: Q = this.db) {
    return q.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
