import { type Kysely, type RawBuilder, sql } from 'kysely';

/**
 * PostgreSQL with the RUM extension (Debian: postgresql-15-rum): a second index on the search table that keeps
 * each word's matches with their order id, so that "the newest matches" is read from the index in id order
 * instead of fetching every match of a common word from the table and sorting it. Without the extension, or
 * without the right to create it, nothing changes and search keeps to the GIN index; SQLite has FTS5 and needs
 * nothing. The index can be built beforehand with CREATE INDEX CONCURRENTLY under the same name (the operator
 * guide has the statement); this migration then leaves it as it is.
 */
export async function up(db: Kysely<unknown>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return;
  const first = async <R>(query: RawBuilder<R>) => (await query.execute(db)).rows[0];
  if (!(await first(sql`select 1 from pg_available_extensions where name = 'rum'`))) return;
  // Extensions belong to the database, not to a schema: schemas migrating side by side (tests, several
  // installations in one database) take turns, so that the second finds the extension the first created.
  await sql`select pg_advisory_xact_lock(hashtext('gridvoice.extension.rum'))`.execute(db);
  const installed = await first(
    sql<{ s: string }>`select n.nspname as s from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'rum'`,
  );
  let schema = installed?.s;
  if (schema === undefined) {
    // RUM is not a trusted extension: only a superuser creates it. Anyone else goes on without (the operator
    // guide says how a superuser adds it later).
    const role = await first(sql<{ su: boolean }>`select rolsuper as su from pg_roles where rolname = current_user`);
    if (!role?.su) return;
    // In public (where a database has one), not in the first schema of the search path: an extension installed
    // in a schema is dropped with it, and every other schema's index with it.
    const home = await first(
      sql<{ s: string }>`select coalesce((select 'public' from pg_namespace where nspname = 'public'), current_schema()) as s`,
    );
    schema = home?.s ?? 'public';
    await sql`create extension if not exists rum schema ${sql.id(schema)}`.execute(db);
  }
  // attach/to: each entry of a word carries the order id, which the scan returns the matches ordered by.
  await sql`create index if not exists ticket_search_rum on ticket_search
      using rum (tsv ${sql.id(schema, 'rum_tsvector_addon_ops')}, ticket_id) with (attach = 'ticket_id', to = 'tsv')`.execute(db);
}
