// Links between orders (duplicate of, related to), read only towards the orders the reader may see.
import type { Kysely, Transaction } from 'kysely';
import { prepared, preparedBy, type SlotOf } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import { type Scope, type ScopeMatch, scopeMatch, scopeShape, slotMatch, type TEB, visibleTo } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

const INSERT_LINK = prepared(
  (db, p: SlotOf<{ ticket_id: number; other_id: number; kind: string; created_by: number | null; created_at: string }>) =>
    db.insertInto('ticket_links').values({
      ticket_id: p('ticket_id'),
      other_id: p('other_id'),
      kind: p('kind'),
      created_by: p('created_by'),
      created_at: p('created_at'),
    }),
);
// The other order of each link, only when the reader may see it (a link never reveals a hidden order).
const LINKS = preparedBy((shape, db, p: SlotOf<ScopeMatch & { id: number }>) =>
  db
    .selectFrom('ticket_links as l')
    .innerJoin('tickets', (j) =>
      j.on((eb) =>
        eb.or([
          eb.and([eb('l.ticket_id', '=', p('id')), eb('tickets.id', '=', eb.ref('l.other_id'))]),
          eb.and([eb('l.other_id', '=', p('id')), eb('tickets.id', '=', eb.ref('l.ticket_id'))]),
        ]),
      ),
    )
    .select([
      'l.id',
      'l.kind',
      'l.ticket_id',
      'l.other_id',
      'l.created_at',
      'tickets.id as order_id',
      'tickets.number',
      'tickets.state',
      'tickets.subject',
    ])
    .where((eb) => eb.or([eb('l.ticket_id', '=', p('id')), eb('l.other_id', '=', p('id'))]))
    .where((eb) => visibleTo(eb as unknown as TEB, slotMatch(shape, p)))
    .orderBy('l.id'),
);

/** The links of an order in both directions. */
export class TicketLinkRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Links two orders (one row; `ofTicket` reads it from either end). */
  async add(
    row: { ticket_id: number; other_id: number; kind: string; created_by: number | null; created_at: string },
    q: Q,
  ): Promise<void> {
    await INSERT_LINK(q, row);
  }

  /** Links in both directions with the other order's number and state, for the orders the scope may see. */
  async ofTicket(ticketId: number, scope: Scope, q: Q = this.db) {
    const m = scopeMatch(scope);
    return (await LINKS(scopeShape(m), q, { id: ticketId, ...m })).rows;
  }
}
