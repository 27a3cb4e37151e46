import type { Kysely } from 'kysely';

/** A phone intake without the caller's number records why (the caller refused, a withheld number …). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('tickets').addColumn('no_phone_reason', 'text').execute();
}
