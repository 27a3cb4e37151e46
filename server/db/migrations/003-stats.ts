import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from './frozen.ts';

/** The measure columns of an aggregate row, as this migration created them. */
const MEASURES = [
  'n',
  'complaints',
  'open_n',
  'closed',
  'archived',
  'verified',
  'substantiated',
  'fc_due',
  'fc_on_time',
  'reply_due',
  'reply_on_time',
  'revisited',
  'revisit_ok',
  'satisfied',
  'repeat_n',
  'first_time',
  'dispatched',
  'returned',
  'handle_n',
  'handle_seconds',
  'overdue',
];

/** Statistics aggregates (kept in step by a ticket hook) and rectification orders (整改单). */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = idColumn(dialect);
  const s = db.schema;

  let agg = s
    .createTable('stats_agg')
    .addColumn('grain', 'text', (c) => c.notNull())
    .addColumn('bucket', 'text', (c) => c.notNull())
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('verification', 'text', (c) => c.notNull())
    .addColumn('root_cause', 'text', (c) => c.notNull());
  for (const m of MEASURES) agg = agg.addColumn(m, m === 'handle_seconds' ? 'bigint' : 'integer', (c) => c.notNull().defaultTo(0));
  await agg.execute();
  // The upsert target; grain and bucket lead so a period is one index range.
  await s
    .createIndex('stats_agg_key')
    .unique()
    .on('stats_agg')
    .columns(['grain', 'bucket', 'company_id', 'org_unit_id', 'class_code', 'kind', 'channel', 'grade', 'verification', 'root_cause'])
    .execute();

  await s
    .createTable('rectifications')
    .addColumn('id', 'integer', id)
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('source_filter', 'text')
    .addColumn('class_code', 'text')
    .addColumn('root_cause', 'text')
    .addColumn('problem', 'text', (c) => c.notNull())
    .addColumn('measures', 'text', (c) => c.notNull())
    .addColumn('deadline_days', 'integer', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('response', 'text')
    .addColumn('effect_months', 'integer', (c) => c.notNull())
    .addColumn('effect_due_at', 'text')
    .addColumn('effect_result', 'text')
    .addColumn('effect_verdict', 'text')
    .addColumn('warned', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text')
    .addColumn('verified_at', 'text')
    .addColumn('verified_by', 'integer')
    .addColumn('closed_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('rectifications_company_state').on('rectifications').columns(['company_id', 'state']).execute();
  await s.createIndex('rectifications_due').on('rectifications').columns(['state', 'due_at']).execute();

  await s
    .createTable('rectification_orders')
    .addColumn('rectification_id', 'integer', (c) => c.notNull().references('rectifications.id'))
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addPrimaryKeyConstraint('rectification_orders_pk', ['rectification_id', 'ticket_id'])
    .execute();
  await s.createIndex('rectification_orders_ticket').on('rectification_orders').column('ticket_id').execute();

  await s
    .createTable('rectification_events')
    .addColumn('id', 'integer', id)
    .addColumn('rectification_id', 'integer', (c) => c.notNull().references('rectifications.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('note', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('rectification_events_r').on('rectification_events').column('rectification_id').execute();

  await s
    .createTable('rectification_files')
    .addColumn('id', 'integer', id)
    .addColumn('rectification_id', 'integer', (c) => c.notNull().references('rectifications.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  // A database that already holds orders gets its aggregates filled after migrating, by the code of the day.
  await (db as Kysely<{ meta: { key: string; value: string } }>)
    .insertInto('meta')
    .values({ key: 'post_migrate:stats-aggregates', value: 'pending' })
    .execute();
}
