import { type Kysely, sql } from 'kysely';

/**
 * Work queues at a million orders (bench: work queue). A page of a unit's or a company's queue is found by
 * walking (unit or company, state, deadline) in deadline order; with only (unit, deadline) and (state, company)
 * the planner fetched every order of the state and sorted them (0.2–0.9 s at 1,000,000 orders).
 *
 * `ticket_units.moved_on` marks the units an order has left (dispatched elsewhere or returned): a unit keeps
 * seeing those, and the mark lets a queue find them without walking every order the unit ever had.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const s = db.schema;
  await s.createIndex('tickets_unit_state_due').on('tickets').columns(['unit_id', 'state', 'next_due_at']).execute();
  await s.createIndex('tickets_company_state_due').on('tickets').columns(['company_id', 'state', 'next_due_at']).execute();
  await s
    .alterTable('ticket_units')
    .addColumn('moved_on', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`update ticket_units set moved_on = 1
            where not exists (select 1 from tickets t where t.id = ticket_units.ticket_id and t.unit_id = ticket_units.unit_id)`.execute(
    db,
  );
  await s
    .createIndex('ticket_units_moved')
    .on('ticket_units')
    .columns(['unit_id', 'ticket_id'])
    .where(sql.ref('moved_on'), '=', 1)
    .execute();
}
