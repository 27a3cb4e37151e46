// The order's row: its number, insert, chain head and events, loads in scope, versioned updates, units and idempotency keys.
import { type Kysely, PostgresAdapter, sql, type Transaction } from 'kysely';
import { prepared, preparedBy, type SlotOf } from '../db/prepared.ts';
import type { Database, Ticket, TicketEvent, TicketUpdate } from '../db/schema.ts';
import { type Scope, type ScopeMatch, scopeMatch, scopeShape, slotMatch, visibleTo, visibleToScope } from './visibility.sql.ts';

export type { Scope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Bound values per statement: well under SQLite's (32,766) and PostgreSQL's (65,535) limits. */
const MAX_PARAMS = 30_000;
/** Events per multi-row insert (12 values each). */
const EVENT_CHUNK = 500;

/** The columns an update writes (Kysely skips undefined values). */
function writtenColumns(set: TicketUpdate): string[] {
  return Object.entries(set)
    .filter(([, v]) => v !== undefined)
    .map(([c]) => c);
}

/**
 * Versioned updates of many orders, a few hundred per statement (per column, `case id when … then … else <column>
 * end`: a row keeps what its `set` leaves out); returns how many orders were updated.
 */
async function updateManyByCase(rows: ReadonlyArray<{ id: number; version: number; set: TicketUpdate }>, q: Q): Promise<number> {
  const defined = (r: (typeof rows)[number], c: string) => (r.set as Record<string, unknown>)[c] !== undefined;
  const columns = [...new Set(rows.flatMap((r) => writtenColumns(r.set)))];
  const size = Math.max(1, Math.floor(MAX_PARAMS / (3 + 2 * columns.length)));
  const byId = (chunk: typeof rows, value: (r: (typeof rows)[number]) => unknown) =>
    sql.join(
      chunk.map((r) => sql`when ${r.id} then ${value(r)}`),
      sql` `,
    );
  let updated = 0;
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const set: Record<string, unknown> = {};
    for (const c of columns) {
      const some = chunk.filter((r) => defined(r, c));
      if (some.length)
        set[c] = sql`case ${sql.ref('id')} ${byId(some, (r) => (r.set as Record<string, unknown>)[c])} else ${sql.ref(c)} end`;
    }
    // PostgreSQL types a `case` of bare parameters as text: the cast makes the version comparison an integer one.
    const version = sql<number>`cast(case ${sql.ref('id')} ${byId(chunk, (r) => r.version)} end as integer)`;
    const r = await q
      .updateTable('tickets')
      .set(set as TicketUpdate)
      .where(
        'id',
        'in',
        chunk.map((r) => r.id),
      )
      .where('version', '=', version)
      .executeTakeFirst();
    updated += Number(r.numUpdatedRows);
  }
  return updated;
}

/** Every column of a new order but its id and the portal's query code, which a later step sets. */
export type NewTicketRow = Omit<Ticket, 'id' | 'query_hash'>;

/** How a new order starts: version 1, every counter and flag zero, no suspension, outcome or review yet. */
const NEW_TICKET_DEFAULTS = {
  lat: null,
  lng: null,
  anonymous: 0,
  pseudonym: null,
  external_due_at: null,
  version: 1,
  assignee_id: null,
  flag_repeat: 0,
  flag_supervised: 0,
  flag_risk: 0,
  flag_outage: 0,
  redo_count: 0,
  return_count: 0,
  urge_count: 0,
  reject_count: 0,
  contact_count: 0,
  revisit_attempts: 0,
  suspend_request: null,
  suspended_at: null,
  suspended_ms: 0,
  unit_approved_by: null,
  dispatched_at: null,
  signed_at: null,
  first_contact_at: null,
  first_contact_on_time: null,
  replied_at: null,
  reply_on_time: null,
  approved_at: null,
  promise_on_time: null,
  revisited_at: null,
  revisit_on_time: null,
  closed_at: null,
  verification: null,
  root_cause: null,
  responsibility: null,
  responsible_person: null,
  reply_text: null,
  satisfaction: null,
  close_reason: null,
  duplicate_of_id: null,
  no_phone_reason: null,
  receipt_hash: null,
  // The chain head is written once the first event, whose hash covers the order's id, exists.
  last_event_hash: 'pending',
} satisfies Partial<NewTicketRow>;

/** A new order's row: the defaults above with what this order has (which may override any of them). */
export function newTicketRow(fields: Omit<NewTicketRow, keyof typeof NEW_TICKET_DEFAULTS> & Partial<NewTicketRow>): NewTicketRow {
  // Object.assign, not spreads: V8 copies a spread that overrides earlier keys one slow step at a time (~100 µs here).
  return Object.assign({}, NEW_TICKET_DEFAULTS, fields);
}

// The statements of intake and the order detail, compiled once (see prepared.ts).
const FIND = prepared((db, p: SlotOf<{ id: number }>) => db.selectFrom('tickets').selectAll().where('id', '=', p('id')));
const FIND_SCOPED = preparedBy((shape, db, p: SlotOf<ScopeMatch & { id: number }>) =>
  db
    .selectFrom('tickets')
    .selectAll()
    .where('tickets.id', '=', p('id'))
    .where((eb) => visibleTo(eb, slotMatch(shape, p))),
);
const NEXT_NUMBER = prepared((db, p: SlotOf<{ kind: string; day: string }>) =>
  db
    .insertInto('number_sequences')
    .values({ kind: p('kind'), day: p('day'), last: 1 })
    .onConflict((oc) => oc.columns(['kind', 'day']).doUpdateSet({ last: sql`number_sequences.last + 1` }))
    .returning('last'),
);
// Keyed by the row's columns in order (every caller passes a whole NewTicketRow, so in practice one shape).
const INSERT_TICKET = preparedBy((columns, db, p: SlotOf<Record<string, unknown>>) =>
  db
    .insertInto('tickets')
    .values(Object.fromEntries(columns.split(',').map((c) => [c, p(c)])) as unknown as NewTicketRow)
    .returning('id'),
);
// PostgreSQL: the day's next number and, from the orders' id sequence, the new order's id, in one round trip (ids
// may skip, numbers may not: the counter is in the caller's transaction).
const NEXT_NUMBER_AND_ID = prepared((db, p: SlotOf<{ kind: string; day: string }>) =>
  db
    .insertInto('number_sequences')
    .values({ kind: p('kind'), day: p('day'), last: 1 })
    .onConflict((oc) => oc.columns(['kind', 'day']).doUpdateSet({ last: sql`number_sequences.last + 1` }))
    .returning(['last', sql<number>`nextval(pg_get_serial_sequence('tickets', 'id'))`.as('id')]),
);
// PostgreSQL: an order with its id and chain head, and its first event, in one statement (one round trip).
const EVENT_COLUMNS = [
  'ticket_id',
  'seq',
  'action',
  'actor_id',
  'actor_unit_id',
  'from_state',
  'to_state',
  'input',
  'at',
  'prev_hash',
  'hash',
  'state_digest',
] as const;
const INSERT_TICKET_WITH_EVENT = preparedBy((columns, db, p: SlotOf<Record<string, unknown>>) =>
  db
    .with('new_ticket', (qc) =>
      qc.insertInto('tickets').values(Object.fromEntries(columns.split(',').map((c) => [c, p(`t.${c}`)])) as unknown as Ticket),
    )
    .insertInto('ticket_events')
    .values(Object.fromEntries(EVENT_COLUMNS.map((c) => [c, p(`e.${c}`)])) as unknown as Omit<TicketEvent, 'id'>),
);
/** One order's versioned UPDATE of the named columns (values `set.<column>`, `id`, `version`). */
const UPDATE_VERSIONED = preparedBy((columns, db, p: SlotOf<Record<string, unknown>>) =>
  db
    .updateTable('tickets')
    .set(Object.fromEntries(columns.split(',').map((c) => [c, p(`set.${c}`)])) as TicketUpdate)
    .where('id', '=', p('id') as number)
    .where('version', '=', p('version') as number),
);
const SET_HEAD = prepared((db, p: SlotOf<{ id: number; hash: string }>) =>
  db
    .updateTable('tickets')
    .set({ last_event_hash: p('hash') })
    .where('id', '=', p('id')),
);
const INSERT_EVENT = prepared((db, p: SlotOf<Omit<TicketEvent, 'id'>>) =>
  db.insertInto('ticket_events').values({
    ticket_id: p('ticket_id'),
    seq: p('seq'),
    action: p('action'),
    actor_id: p('actor_id'),
    actor_unit_id: p('actor_unit_id'),
    from_state: p('from_state'),
    to_state: p('to_state'),
    input: p('input'),
    at: p('at'),
    prev_hash: p('prev_hash'),
    hash: p('hash'),
    state_digest: p('state_digest'),
  }),
);
const EVENTS = prepared((db, p: SlotOf<{ id: number }>) =>
  db
    .selectFrom('ticket_events as e')
    .leftJoin('users as u', 'u.id', 'e.actor_id')
    .leftJoin('org_units as o', 'o.id', 'e.actor_unit_id')
    .selectAll('e')
    .select(['u.display_name as actor_name', 'o.name as actor_unit_name'])
    .where('e.ticket_id', '=', p('id'))
    .orderBy('e.seq'),
);
const FIND_IDEMPOTENCY = prepared((db, p: SlotOf<{ actorKey: string; key: string }>) =>
  db.selectFrom('idempotency_keys').selectAll().where('actor_key', '=', p('actorKey')).where('key', '=', p('key')),
);
const INSERT_IDEMPOTENCY = prepared(
  (db, p: SlotOf<{ actor_key: string; key: string; body_hash: string; ticket_id: number; created_at: string }>) =>
    db.insertInto('idempotency_keys').values({
      actor_key: p('actor_key'),
      key: p('key'),
      body_hash: p('body_hash'),
      ticket_id: p('ticket_id'),
      created_at: p('created_at'),
    }),
);

/** Work orders and their events. Scoping is SQL here, never a filter after loading. */
export class TicketRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Marks the unit an order has left as moved on, and the unit it has come to (back) as current. */
  async moveUnit(ticketId: number, from: number | null, to: number | null, q: Q): Promise<void> {
    if (from !== null)
      await q.updateTable('ticket_units').set({ moved_on: 1 }).where('ticket_id', '=', ticketId).where('unit_id', '=', from).execute();
    if (to !== null)
      await q.updateTable('ticket_units').set({ moved_on: 0 }).where('ticket_id', '=', ticketId).where('unit_id', '=', to).execute();
  }

  /** One order if the scope may see it. */
  async findScoped(id: number, scope: Scope, q: Q = this.db): Promise<Ticket | undefined> {
    const m = scopeMatch(scope);
    return (await FIND_SCOPED(scopeShape(m), q, { id, ...m })).rows[0];
  }

  /** Those of the given orders (by id or by number) the scope may see. */
  async visibleAmong(
    ids: readonly number[],
    numbers: readonly string[],
    scope: Scope,
    q: Q = this.db,
  ): Promise<{ ids: Set<number>; numbers: Set<string> }> {
    if (ids.length === 0 && numbers.length === 0) return { ids: new Set(), numbers: new Set() };
    const rows = await q
      .selectFrom('tickets')
      .select(['tickets.id', 'tickets.number'])
      .where((eb) =>
        eb.or([
          ...(ids.length ? [eb('tickets.id', 'in', [...ids])] : []),
          ...(numbers.length ? [eb('tickets.number', 'in', [...numbers])] : []),
        ]),
      )
      .where((eb) => visibleToScope(eb, scope))
      .execute();
    return { ids: new Set(rows.map((r) => r.id)), numbers: new Set(rows.map((r) => r.number)) };
  }

  /** One order regardless of scope (jobs and system use only). */
  async find(id: number, q: Q = this.db): Promise<Ticket | undefined> {
    return (await FIND(q, { id })).rows[0];
  }

  /** Takes the next number of the day for a kind, inside the caller's transaction (gap-free: a rollback undoes it). */
  async nextNumber(kind: string, day: string, q: Q): Promise<number> {
    const r = await NEXT_NUMBER(q, { kind, day });
    return (r.rows[0] as { last: number }).last;
  }

  /**
   * Takes the next number of the day for a kind in the caller's transaction, like nextNumber; on PostgreSQL also
   * the id the new order will have (see insertWithFirstEvent), in the same round trip. SQLite gives no id: its
   * insert returns one at no cost of a round trip.
   */
  async nextNumberAndId(kind: string, day: string, q: Q): Promise<{ seq: number; id: number | null }> {
    if (!(q.getExecutor().adapter instanceof PostgresAdapter)) return { seq: await this.nextNumber(kind, day, q), id: null };
    const r = (await NEXT_NUMBER_AND_ID(q, { kind, day })).rows[0] as { last: number; id: number | string };
    return { seq: r.last, id: Number(r.id) };
  }

  /** Inserts an order under an id taken by nextNumberAndId, pointing at its first event, and that event, in one statement. */
  async insertWithFirstEvent(t: Ticket, e: Omit<TicketEvent, 'id'>, q: Q): Promise<void> {
    const values: Record<string, unknown> = {};
    const columns = Object.keys(t);
    for (const c of columns) values[`t.${c}`] = t[c as keyof Ticket];
    for (const c of EVENT_COLUMNS) values[`e.${c}`] = e[c];
    await INSERT_TICKET_WITH_EVENT(columns.join(','), q, values);
  }

  /**
   * Moves the day's number sequence of a kind up to `last` unless it is there already (creating it when the day has
   * none), so that numbers taken later never collide with one kept from elsewhere (the historical import).
   */
  async raiseNumber(kind: string, day: string, last: number, q: Q): Promise<void> {
    const seq = await q.selectFrom('number_sequences').select('last').where('kind', '=', kind).where('day', '=', day).executeTakeFirst();
    if (!seq) await q.insertInto('number_sequences').values({ kind, day, last }).execute();
    else if (seq.last < last)
      await q.updateTable('number_sequences').set({ last }).where('kind', '=', kind).where('day', '=', day).execute();
  }

  /** Whether an order has this number. */
  async numberTaken(number: string, q: Q): Promise<boolean> {
    return Boolean(await q.selectFrom('tickets').select('id').where('number', '=', number).executeTakeFirst());
  }

  /** Inserts an order; returns its id. */
  async insert(t: NewTicketRow, q: Q): Promise<number> {
    const r = await INSERT_TICKET(Object.keys(t).join(','), q, t);
    return (r.rows[0] as { id: number }).id;
  }

  /** Points the order at the head of its event chain. */
  async setHead(id: number, hash: string, q: Q): Promise<void> {
    await SET_HEAD(q, { id, hash });
  }

  /** Applies changes if the order is still at `version`; false when someone changed it meanwhile. */
  async updateVersioned(id: number, version: number, set: TicketUpdate, q: Q): Promise<boolean> {
    const r = await q.updateTable('tickets').set(set).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * Applies each row's changes if its order is still at `version`. Returns how many orders were updated: fewer
   * than given when some changed meanwhile. SQLite runs in the process, so one cached prepared UPDATE per order
   * costs least (a multi-row statement is prepared anew for each batch's shape, and its `case` is searched once
   * per row); PostgreSQL takes many orders per statement, one round trip for a few hundred.
   */
  async updateVersionedMany(rows: ReadonlyArray<{ id: number; version: number; set: TicketUpdate }>, q: Q): Promise<number> {
    if (q.getExecutor().adapter instanceof PostgresAdapter) return updateManyByCase(rows, q);
    let updated = 0;
    for (const r of rows) {
      const columns = writtenColumns(r.set);
      const values: Record<string, unknown> = { id: r.id, version: r.version };
      for (const c of columns) values[`set.${c}`] = (r.set as Record<string, unknown>)[c];
      const res = await UPDATE_VERSIONED(columns.join(','), q, values);
      updated += Number(res.numAffectedRows ?? 0);
    }
    return updated;
  }

  /** Appends an event (the unique (ticket_id, seq) makes a double append impossible). */
  async insertEvent(e: Omit<TicketEvent, 'id'>, q: Q): Promise<void> {
    await INSERT_EVENT(q, e);
  }

  /** Appends many events, a few hundred per statement. */
  async insertEvents(events: ReadonlyArray<Omit<TicketEvent, 'id'>>, q: Q): Promise<void> {
    for (let i = 0; i < events.length; i += EVENT_CHUNK)
      await q
        .insertInto('ticket_events')
        .values(events.slice(i, i + EVENT_CHUNK))
        .execute();
  }

  /** The order's events in sequence. */
  async events(ticketId: number, q: Q = this.db) {
    return (await EVENTS(q, { id: ticketId })).rows;
  }

  /** Records that the order was dispatched to a unit (unit roles keep seeing orders once dispatched to them). */
  async addUnit(ticketId: number, unitId: number, at: string, q: Q): Promise<void> {
    await q
      .insertInto('ticket_units')
      .values({ ticket_id: ticketId, unit_id: unitId, first_at: at })
      .onConflict((oc) => oc.columns(['ticket_id', 'unit_id']).doNothing())
      .execute();
  }

  async findIdempotency(actorKey: string, key: string, q: Q = this.db) {
    return (await FIND_IDEMPOTENCY(q, { actorKey, key })).rows[0];
  }

  async insertIdempotency(
    row: { actor_key: string; key: string; body_hash: string; ticket_id: number; created_at: string },
    q: Q,
  ): Promise<void> {
    await INSERT_IDEMPOTENCY(q, row);
  }
}
