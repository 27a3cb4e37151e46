import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, type FreshDb, freshDb } from '../../test/harness.ts';
import { prepared, type SlotOf, statementName } from './prepared.ts';

// A throwaway table of this test's own, so the statement's text is not one the application compiles.
const READ = prepared((db, p: SlotOf<{ id: number }>) =>
  db
    .withTables<{ prepared_probe: { id: number; label: string } }>()
    .selectFrom('prepared_probe')
    .select(['id', 'label'])
    .where('id', '=', p('id')),
);

describeEachDb('prepared queries', (dialect) => {
  let f: FreshDb;

  beforeAll(async () => {
    f = await freshDb(dialect);
    await sql`create table prepared_probe (id integer primary key, label text not null)`.execute(f.db.kysely);
    await sql`insert into prepared_probe (id, label) values (1, 'one'), (2, 'two'), (3, 'three')`.execute(f.db.kysely);
  });
  afterAll(async () => {
    await f?.db.close();
    await f?.drop();
  });

  it('runs the query compiled once with each call’s own values', async () => {
    const labels = [];
    for (const id of [1, 2, 3, 2, 9]) labels.push((await READ(f.db.kysely, { id })).rows[0]?.label ?? null);
    expect(labels).toEqual(['one', 'two', 'three', 'two', null]);
  });

  it('names the compiled text as a statement, and PostgreSQL keeps it prepared on the connection that ran it', async () => {
    const text = await f.db.kysely.connection().execute(async (conn) => {
      await READ(conn, { id: 1 });
      await READ(conn, { id: 2 });
      if (dialect !== 'postgres') return null;
      const r = await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(conn);
      return r.rows;
    });
    if (dialect === 'postgres') {
      const mine = text?.find((s) => s.statement.includes('prepared_probe'));
      expect(mine, JSON.stringify(text)).toBeDefined();
      expect(statementName(mine?.statement as string)).toBe(mine?.name);
    } else {
      expect(text).toBeNull();
    }
  });
});
