import type { Kysely } from 'kysely';
import { type Dialect, idColumn } from './frozen.ts';

/** The initial schema: organisation, accounts, reference data, work orders and their history. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = idColumn(dialect);
  const s = db.schema;

  await s
    .createTable('org_units')
    .addColumn('id', 'integer', id)
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('parent_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('company_id', 'integer')
    .addColumn('area_type', 'text', (c) => c.notNull())
    .addColumn('customer_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('org_units_path').on('org_units').column('path').execute();

  await s
    .createTable('users')
    .addColumn('id', 'integer', id)
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('phone', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('password_changed_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('users_unit').on('users').column('unit_id').execute();

  await s
    .createTable('user_roles')
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_roles_pk', ['user_id', 'role'])
    .execute();

  await s
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await s.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await s
    .createTable('api_tokens')
    .addColumn('id', 'integer', id)
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('roles', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('created_by', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  await s
    .createTable('classes')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('parent_code', 'text')
    .addColumn('family', 'text', (c) => c.notNull())
    .addColumn('zh', 'text', (c) => c.notNull())
    .addColumn('en', 'text', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('sort', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await s
    .createTable('calendar_overrides')
    .addColumn('date', 'text', (c) => c.primaryKey())
    .addColumn('workday', 'integer', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s
    .createTable('calendar_years')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('time_policies')
    .addColumn('id', 'integer', id)
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('customers')
    .addColumn('id', 'integer', id)
    .addColumn('company_id', 'integer', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('phone', 'text')
    .addColumn('account_no', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('customers_phone').on('customers').columns(['company_id', 'phone']).execute();
  await s.createIndex('customers_account').on('customers').columns(['company_id', 'account_no']).execute();

  let t = s
    .createTable('tickets')
    .addColumn('id', 'integer', id)
    .addColumn('company_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('number', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('class_code', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('location', 'text')
    .addColumn('lat', 'double precision')
    .addColumn('lng', 'double precision')
    .addColumn('customer_id', 'integer')
    .addColumn('customer_name', 'text')
    .addColumn('customer_phone', 'text')
    .addColumn('customer_account', 'text')
    .addColumn('anonymous', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pseudonym', 'text')
    .addColumn('external_ref', 'text')
    .addColumn('external_due_at', 'text')
    .addColumn('grade', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('assignee_id', 'integer')
    .addColumn('intake_by', 'integer')
    .addColumn('intake_at', 'text', (c) => c.notNull())
    .addColumn('policy_id', 'integer', (c) => c.notNull());
  for (const col of [
    'flag_repeat',
    'flag_supervised',
    'flag_risk',
    'flag_outage',
    'redo_count',
    'return_count',
    'urge_count',
    'reject_count',
    'contact_count',
    'revisit_attempts',
    'warned',
    'overdue',
  ]) {
    t = t.addColumn(col, 'integer', (c) => c.notNull().defaultTo(0));
  }
  t = t
    .addColumn('suspend_request', 'text')
    .addColumn('suspended_at', 'text')
    .addColumn('suspended_ms', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('unit_approved_by', 'integer')
    .addColumn('clocks', 'text', (c) => c.notNull());
  for (const col of [
    'dispatch_due_at',
    'first_contact_due_at',
    'reply_due_at',
    'promise_due_at',
    'revisit_due_at',
    'next_due_at',
    'next_check_at',
    'dispatched_at',
    'signed_at',
    'first_contact_at',
    'replied_at',
    'approved_at',
    'revisited_at',
    'closed_at',
  ]) {
    t = t.addColumn(col, 'text');
  }
  for (const col of ['first_contact_on_time', 'reply_on_time', 'promise_on_time', 'revisit_on_time']) {
    t = t.addColumn(col, 'integer');
  }
  for (const col of ['verification', 'root_cause', 'responsibility', 'responsible_person', 'reply_text', 'satisfaction', 'close_reason']) {
    t = t.addColumn(col, 'text');
  }
  await t
    .addColumn('duplicate_of_id', 'integer')
    .addColumn('receipt_hash', 'text')
    .addColumn('last_event_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // The work lists: one unit's (or company's) open orders by next deadline; the sweeper: next_check_at.
  await s.createIndex('tickets_unit_due').on('tickets').columns(['unit_id', 'next_due_at']).execute();
  await s.createIndex('tickets_company_due').on('tickets').columns(['company_id', 'next_due_at']).execute();
  await s.createIndex('tickets_company_created').on('tickets').columns(['company_id', 'created_at']).execute();
  await s.createIndex('tickets_state').on('tickets').columns(['state', 'company_id']).execute();
  await s.createIndex('tickets_check').on('tickets').column('next_check_at').execute();
  await s.createIndex('tickets_customer').on('tickets').columns(['customer_id', 'created_at']).execute();
  await s.createIndex('tickets_receipt').on('tickets').column('receipt_hash').execute();

  await s
    .createTable('ticket_events')
    .addColumn('id', 'integer', id)
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'integer')
    .addColumn('actor_unit_id', 'integer')
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('input', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addUniqueConstraint('ticket_events_seq', ['ticket_id', 'seq'])
    .execute();

  await s
    .createTable('ticket_units')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('first_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ticket_units_pk', ['ticket_id', 'unit_id'])
    .execute();
  await s.createIndex('ticket_units_unit').on('ticket_units').columns(['unit_id', 'ticket_id']).execute();

  await s
    .createTable('ticket_exclusions')
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('unit_id', 'integer')
    .addColumn('user_id', 'integer')
    .execute();
  await s.createIndex('ticket_exclusions_ticket').on('ticket_exclusions').column('ticket_id').execute();
  await s.createIndex('ticket_exclusions_user').on('ticket_exclusions').columns(['user_id', 'ticket_id']).execute();

  await s
    .createTable('ticket_identities')
    .addColumn('ticket_id', 'integer', (c) => c.primaryKey().references('tickets.id'))
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .execute();
  await s
    .createTable('identity_reveals')
    .addColumn('id', 'integer', id)
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();

  await s
    .createTable('ticket_links')
    .addColumn('id', 'integer', id)
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('other_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('ticket_links_ticket').on('ticket_links').column('ticket_id').execute();
  await s.createIndex('ticket_links_other').on('ticket_links').column('other_id').execute();

  await s
    .createTable('attachments')
    .addColumn('id', 'integer', id)
    .addColumn('ticket_id', 'integer', (c) => c.notNull().references('tickets.id'))
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await s.createIndex('attachments_ticket').on('attachments').column('ticket_id').execute();

  await s
    .createTable('number_sequences')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('number_sequences_pk', ['kind', 'day'])
    .execute();

  await s
    .createTable('idempotency_keys')
    .addColumn('actor_key', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('body_hash', 'text', (c) => c.notNull())
    .addColumn('ticket_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_keys_pk', ['actor_key', 'key'])
    .execute();

  await s
    .createTable('notifications')
    .addColumn('id', 'integer', id)
    .addColumn('user_id', 'integer', (c) => c.notNull())
    .addColumn('ticket_id', 'integer')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await s.createIndex('notifications_user').on('notifications').columns(['user_id', 'id']).execute();

  await s
    .createTable('job_locks')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_run_at', 'text')
    .execute();

  await s
    .createTable('meta')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .execute();
}
