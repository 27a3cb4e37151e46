import type { Compilable, CompiledQuery, DialectAdapter, Kysely, QueryResult, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Stands in for a value while a prepared query is built; replaced by the real value at each run. */
class Slot {
  constructor(readonly name: string) {}
}

// The SQL of every prepared query, with the statement name PostgreSQL knows it by on each connection that ran it.
const statementNames = new Map<string, string>();

/**
 * The name to run `sql` under as a PostgreSQL prepared statement, if it is the text of a prepared query (see
 * connect.ts): such a statement is parsed and planned once per connection instead of at every run. The set is
 * bounded (one text per query shape and dialect); any other SQL runs unnamed.
 */
export function statementName(sql: string): string | undefined {
  return statementNames.get(sql);
}

/** Gives the slot for a named value, typed as that value. */
export type SlotOf<P> = <K extends keyof P & string>(name: K) => P[K];

/**
 * A query that Kysely builds and compiles once per database (per dialect adapter), then runs with new values.
 * Building a query costs more CPU than SQLite takes to run a short keyed statement, and the hot paths (intake,
 * the order detail, the statistics hook) run the same few shapes over and over.
 *
 * `build` gets `p(name)`, a slot typed as the value it stands for. Pass a slot only where Kysely binds a value
 * as one parameter (`values({ col: p('x') })`, `where('col', '=', p('x'))`): it is not the value yet, so it must
 * not be concatenated, spread into a list or tested.
 */
export function prepared<P extends object, R>(
  build: (db: Kysely<Database>, p: SlotOf<P>) => Compilable<R>,
): (q: Q, values: P) => Promise<QueryResult<R>> {
  // Keyed by adapter: SQL text and placeholders differ by dialect, and tests run both in one process.
  const compiled = new WeakMap<DialectAdapter, CompiledQuery<R>>();
  return (q, values) => {
    const adapter = q.getExecutor().adapter;
    let c = compiled.get(adapter);
    if (!c) {
      c = build(q, (name) => new Slot(name) as never).compile();
      compiled.set(adapter, c);
      if (!statementNames.has(c.sql)) statementNames.set(c.sql, `gv_prepared_${statementNames.size + 1}`);
    }
    const parameters = c.parameters.map((v) => (v instanceof Slot ? (values as Record<string, unknown>)[v.name] : v));
    return q.executeQuery<R>({ ...c, parameters });
  };
}

/** `prepared` per shape: one compiled query for each key (a row count, a set of columns, which filters apply). */
export function preparedBy<P extends object, R>(
  build: (key: string, db: Kysely<Database>, p: SlotOf<P>) => Compilable<R>,
): (key: string, q: Q, values: P) => Promise<QueryResult<R>> {
  const byKey = new Map<string, (q: Q, values: P) => Promise<QueryResult<R>>>();
  return (key, q, values) => {
    let run = byKey.get(key);
    if (!run) {
      run = prepared<P, R>((db, p) => build(key, db, p));
      byKey.set(key, run);
    }
    return run(q, values);
  };
}
