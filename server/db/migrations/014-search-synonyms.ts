import type { ColumnDefinitionBuilder, Kysely } from 'kysely';

/**
 * The synonym list an admin keeps for search (跳闸/断电, 表计/电表 …): one row per group of words that mean
 * the same, per company; a query for one word of a group also finds the others. The words are a JSON array.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  // The id column as it was when this migration shipped, written out so that it never changes meaning.
  const id = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
  await db.schema
    .createTable('search_synonyms')
    .addColumn('id', 'integer', id)
    .addColumn('company_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('words', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('search_synonyms_company').on('search_synonyms').columns(['company_id', 'id']).execute();
}
