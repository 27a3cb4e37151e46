// An integrity report's protections: the units and users it excludes, the reporter's sealed identity and who revealed it.
import type { Kysely, Transaction } from 'kysely';
import { prepared, type SlotOf } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

const EXCLUDED_UNIT_PATHS = prepared((db, p: SlotOf<{ id: number }>) =>
  db
    .selectFrom('ticket_exclusions as x')
    .innerJoin('org_units as u', 'u.id', 'x.unit_id')
    .select('u.path')
    .where('x.ticket_id', '=', p('id')),
);
const EXCLUSIONS = prepared((db, p: SlotOf<{ id: number }>) =>
  db.selectFrom('ticket_exclusions').select(['unit_id', 'user_id']).where('ticket_id', '=', p('id')),
);

/** Exclusions, sealed identities and the log of their reveals, per order. */
export class TicketProtectionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async addExclusions(ticketId: number, rows: Array<{ unit_id: number | null; user_id: number | null }>, q: Q): Promise<void> {
    if (rows.length)
      await q
        .insertInto('ticket_exclusions')
        .values(rows.map((r) => ({ ...r, ticket_id: ticketId })))
        .execute();
  }

  /** Paths of the units an integrity report names. */
  async excludedUnitPaths(ticketId: number, q: Q = this.db): Promise<string[]> {
    return (await EXCLUDED_UNIT_PATHS(q, { id: ticketId })).rows.map((r) => r.path);
  }

  async exclusions(ticketId: number, q: Q = this.db) {
    return (await EXCLUSIONS(q, { id: ticketId })).rows;
  }

  async insertIdentity(
    row: { ticket_id: number; ciphertext: string; iv: string; tag: string; created_by: number | null },
    q: Q,
  ): Promise<void> {
    await q.insertInto('ticket_identities').values(row).execute();
  }

  identity(ticketId: number, q: Q = this.db) {
    return q.selectFrom('ticket_identities').selectAll().where('ticket_id', '=', ticketId).executeTakeFirst();
  }

  async logReveal(row: { ticket_id: number; user_id: number; reason: string; at: string }, q: Q = this.db): Promise<void> {
    await q.insertInto('identity_reveals').values(row).execute();
  }

  reveals(ticketId: number, q: Q = this.db) {
    return q
      .selectFrom('identity_reveals as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['r.id', 'r.user_id', 'u.display_name', 'r.reason', 'r.at'])
      .where('r.ticket_id', '=', ticketId)
      .orderBy('r.id')
      .execute();
  }
}
