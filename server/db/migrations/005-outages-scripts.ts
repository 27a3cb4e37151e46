import type { Kysely } from 'kysely';
import { DEFAULT_REPLY_SCRIPTS } from './005-reply-scripts.data.ts';
import { type Dialect, idColumn } from './frozen.ts';

/**
 * Help for the agent on the phone and bulk history: the reply-script library (话术),
 * outage events (停电事件) with their stations and linked orders, and the import of historical orders.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = idColumn(dialect);
  const s = db.schema;

  await s
    .createTable('reply_scripts')
    .addColumn('id', 'integer', id)
    // A class code (`outage.repair`, `outage`) or '*' for the generic script used when no class matches.
    .addColumn('class_code', 'text', (c) => c.notNull().unique())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('empathy', 'text', (c) => c.notNull())
    .addColumn('explanation', 'text', (c) => c.notNull())
    .addColumn('promise', 'text', (c) => c.notNull())
    .addColumn('deescalation', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('outages')
    .addColumn('id', 'integer', id)
    .addColumn('company_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('cause', 'text', (c) => c.notNull())
    // JSON arrays of text: villages / streets, and feeder / 台区 names.
    .addColumn('areas', 'text', (c) => c.notNull())
    .addColumn('feeders', 'text', (c) => c.notNull())
    .addColumn('start_at', 'text', (c) => c.notNull())
    .addColumn('expected_restore_at', 'text')
    .addColumn('restored_at', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('outages_company_status').on('outages').columns(['company_id', 'status', 'start_at']).execute();

  await s
    .createTable('outage_units')
    .addColumn('outage_id', 'integer', (c) => c.notNull().references('outages.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addPrimaryKeyConstraint('outage_units_pk', ['outage_id', 'unit_id'])
    .execute();
  await s.createIndex('outage_units_unit').on('outage_units').column('unit_id').execute();

  await s
    .createTable('outage_orders')
    .addColumn('outage_id', 'integer', (c) => c.notNull().references('outages.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('linked_by', 'integer')
    .addColumn('linked_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('outage_orders_pk', ['outage_id', 'ticket_id'])
    .execute();
  await s.createIndex('outage_orders_ticket').on('outage_orders').column('ticket_id').execute();

  await s
    .createTable('import_jobs')
    .addColumn('id', 'integer', id)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('dry_run', 'integer', (c) => c.notNull())
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('processed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    // JSON: the validation report, [{ row, field, problem }].
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();

  // The idempotency key of the historical import: a company's original order number maps to one order.
  await s
    .createTable('imported_orders')
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('source_number', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('job_id', 'integer')
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('imported_orders_pk', ['company_id', 'source_number'])
    .execute();

  const at = new Date().toISOString();
  const rows = DEFAULT_REPLY_SCRIPTS.map((r) => ({ ...r, active: 1, updated_by: null, created_at: at, updated_at: at }));
  await (db as Kysely<{ reply_scripts: (typeof rows)[number] }>).insertInto('reply_scripts').values(rows).execute();
}
