import type { ColumnDefinitionBuilder } from 'kysely';

/**
 * What the migrations share, frozen: a migration, once shipped, must build the same schema forever, so nothing here
 * ever changes and nothing here imports the application. A migration that needs something else writes it out
 * itself, or adds a helper under a new name.
 */
export type Dialect = 'sqlite' | 'postgres';

type ColumnBuilder = (col: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;

const ID_COLUMN: Record<Dialect, ColumnBuilder> = {
  sqlite: (col) => col.primaryKey().autoIncrement(),
  postgres: (col) => col.primaryKey().generatedByDefaultAsIdentity(),
};

/** An auto-incrementing integer primary key. */
export function idColumn(dialect: Dialect): ColumnBuilder {
  return ID_COLUMN[dialect];
}
