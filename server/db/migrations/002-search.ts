import { type Kysely, sql } from 'kysely';
import { type Dialect, idColumn } from './frozen.ts';

/**
 * The full-text index over segmented Chinese: SQLite a contentless FTS5 table (rowid = order id), PostgreSQL a side
 * table with a stored tsvector and a GIN index.
 */
const SEARCH_DDL: Record<Dialect, string[]> = {
  sqlite: [`create virtual table ticket_fts using fts5(words, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`],
  postgres: [
    `create table ticket_search (
       ticket_id integer primary key references tickets(id),
       company_id integer not null,
       words text not null,
       tsv tsvector generated always as (to_tsvector('simple', words)) stored
     )`,
    'create index ticket_search_tsv on ticket_search using gin (tsv)',
  ],
};

/** Chinese text intelligence: the full-text index, the admin-edited class lexicon and the place → 供电所 map. */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const id = idColumn(dialect);
  const s = db.schema;

  for (const stmt of SEARCH_DDL[dialect]) await sql.raw(stmt).execute(db);

  // Admin edits to the default lexicon, word by word; weight 0 switches a default word off.
  await s
    .createTable('text_lexicon')
    .addColumn('id', 'integer', id)
    .addColumn('company_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('class_code', 'text', (c) => c.notNull())
    .addColumn('word', 'text', (c) => c.notNull())
    .addColumn('weight', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('text_lexicon_word', ['company_id', 'class_code', 'word'])
    .execute();

  // Villages, streets and towns → the 供电所 that serves them (unit suggestion at intake).
  await s
    .createTable('area_units')
    .addColumn('id', 'integer', id)
    .addColumn('company_id', 'integer', (c) => c.notNull().references('org_units.id'))
    .addColumn('place', 'text', (c) => c.notNull())
    // A deleted unit takes its place mappings with it (they would point nowhere).
    .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id').onDelete('cascade'))
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('area_units_place', ['company_id', 'place'])
    .execute();
}
