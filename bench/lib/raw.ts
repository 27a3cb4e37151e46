/**
 * The hardware's own limit: the same rows written or read straight through the driver (better-sqlite3 / pg),
 * in one process, with none of our layers.
 */
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { GENESIS_HASH } from '../../server/domain/event-chain.ts';
import type { BenchDb } from './setup.ts';

function sqliteFile(b: BenchDb): string {
  return b.url.replace(/^sqlite:/, '');
}

/** A template order row (a generated one) and event, to insert copies of. */
async function template(b: BenchDb) {
  const t = await b.db.kysely.selectFrom('tickets').selectAll().where('state', '=', 'pending_dispatch').limit(1).executeTakeFirstOrThrow();
  const { id: _id, ...row } = t;
  // No customer: the baseline's database has the same organisation but none of the generated customers.
  return { ...row, version: 1, state: 'pending_dispatch', customer_id: null } as Record<string, unknown>;
}

/**
 * Inserts order + intake event into `b`, one transaction per order, for `seconds`: orders/s, and this process's
 * CPU per order (on SQLite all of the work; on PostgreSQL only the client's share). The rows are copies of an
 * order of `from` (the benchmarked database; `b` is the baseline's own, organised alike).
 */
export async function rawIntake(b: BenchDb, from: BenchDb, seconds: number, concurrency = 1): Promise<{ rate: number; cpuMs: number }> {
  const row = await template(from);
  const cols = Object.keys(row);
  const stamp = Date.now().toString(36);
  let n = 0;
  const end = Date.now() + seconds * 1000;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  const done = () => {
    const cpu = process.cpuUsage(cpu0);
    return { rate: n / ((performance.now() - started) / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / n };
  };
  const event = (ticketId: number, at: string) => {
    const e = {
      ticket_id: ticketId,
      seq: 1,
      action: 'intake',
      actor_id: row.intake_by as number,
      actor_unit_id: null,
      from_state: null,
      to_state: 'pending_dispatch',
      input: '{"kind":"complaint"}',
      at,
      prev_hash: GENESIS_HASH,
    };
    // Sealed like our intake seals it (keyed hash over the event and the digest of the row it produced).
    return b.services.hooks.chain.seal(e, { ...row, created_at: at, updated_at: at } as never);
  };
  if (b.dialect === 'sqlite') {
    const db = new SqliteDatabase(sqliteFile(b));
    // The server's own settings (server/db/connect.ts).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const insT = db.prepare(`insert into tickets (${cols.join(',')}) values (${cols.map((c) => `@${c}`).join(',')})`);
    const ev = Object.keys(event(0, ''));
    const insE = db.prepare(`insert into ticket_events (${ev.join(',')}) values (${ev.map((c) => `@${c}`).join(',')})`);
    const head = db.prepare('update tickets set last_event_hash = ? where id = ?');
    // The same three statements as our intake: the event's hash covers the order's id, known after the insert.
    const one = db.transaction((i: number) => {
      const at = new Date().toISOString();
      const id = Number(insT.run({ ...row, number: `RAW${stamp}-${i}`, created_at: at, updated_at: at }).lastInsertRowid);
      const e = event(id, at);
      insE.run(e);
      head.run(e.hash, id);
    });
    while (Date.now() < end) one(n++);
    db.close();
    return done();
  }
  const pool = new pg.Pool({ connectionString: b.url, max: concurrency });
  const ev = Object.keys(event(0, ''));
  const insT = `insert into tickets (${cols.join(',')}) values (${cols.map((_, i) => `$${i + 1}`).join(',')}) returning id`;
  const insE = `insert into ticket_events (${ev.join(',')}) values (${ev.map((_, i) => `$${i + 1}`).join(',')})`;
  const worker = async () => {
    const c = await pool.connect();
    while (Date.now() < end) {
      const i = n++;
      const at = new Date().toISOString();
      await c.query('begin');
      const r = await c.query(insT, Object.values({ ...row, number: `RAW${stamp}-${i}`, created_at: at, updated_at: at }));
      const e = event(r.rows[0].id as number, at);
      await c.query(insE, Object.values(e));
      await c.query('update tickets set last_event_hash = $1 where id = $2', [e.hash, e.ticket_id]);
      await c.query('commit');
    }
    c.release();
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  await pool.end();
  return done();
}

/** A read-only raw connection: `query(sql, params)` → rows. */
export async function rawReader(
  b: BenchDb,
): Promise<{ query(sql: string, params: unknown[]): Promise<unknown[]>; close(): Promise<void> }> {
  if (b.dialect === 'sqlite') {
    const db = new SqliteDatabase(sqliteFile(b), { readonly: true });
    const cache = new Map<string, SqliteDatabase.Statement>();
    return {
      async query(sql, params) {
        let st = cache.get(sql);
        if (!st) {
          st = db.prepare(sql.replace(/\$\d+/g, '?'));
          cache.set(sql, st);
        }
        return st.all(...params);
      },
      async close() {
        db.close();
      },
    };
  }
  const c = new pg.Client({ connectionString: b.url });
  await c.connect();
  const names = new Map<string, string>();
  return {
    async query(sql, params) {
      // Named, so that pg prepares each statement once, as better-sqlite3's cache does.
      let name = names.get(sql);
      if (!name) {
        name = `q${names.size}`;
        names.set(sql, name);
      }
      return (await c.query({ text: sql, values: params, name })).rows;
    },
    async close() {
      await c.end();
    },
  };
}
