import { sql, type Transaction } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDb, freshDb } from '../../test/harness.ts';
import { deferWrite, type WriteSink } from './batch-writes.ts';
import type { Db } from './connect.ts';
import { GroupCommit } from './group-commit.ts';
import type { Database } from './schema.ts';

describeEachDb('GroupCommit', (dialect) => {
  let db: Db;
  let drop: () => Promise<void>;

  beforeEach(async () => {
    const f = await freshDb(dialect);
    db = f.db;
    drop = f.drop;
    await sql`create table gc_rows (id integer primary key, v text not null)`.execute(db.kysely);
  });

  afterEach(async () => {
    await db.close();
    await drop();
  });

  const rows = async () => (await sql<{ id: number }>`select id from gc_rows order by id`.execute(db.kysely)).rows.map((r) => Number(r.id));
  const insert = (id: number) => async (trx: Transaction<Database>) => {
    await sql`insert into gc_rows (id, v) values (${id}, ${`row ${id}`})`.execute(trx);
    return id;
  };

  it('runs units that arrive together in one batch, rolls back only the failing one, and answers after the commit', async () => {
    const gc = new GroupCommit(db.kysely);
    const log: string[] = [];
    const unit = (name: string, work: (trx: Transaction<Database>) => Promise<number>) =>
      gc
        .run(async (trx) => {
          log.push(`run ${name}`);
          return work(trx);
        })
        .then(
          async (v) => {
            log.push(`done ${name}: ${(await rows()).join(',')}`);
            return v;
          },
          (e: Error) => {
            log.push(`failed ${name}`);
            return e.message;
          },
        );
    const results = await Promise.all([
      unit('a', insert(1)),
      unit('b', async (trx) => {
        await insert(2)(trx);
        throw new Error('unit b failed');
      }),
      // A duplicate key fails in the database itself (a PostgreSQL transaction then needs the savepoint).
      unit('c', insert(1)),
      unit('d', insert(3)),
    ]);
    expect(results[0]).toBe(1);
    expect(results[1]).toBe('unit b failed');
    expect(typeof results[2]).toBe('string');
    expect(results[3]).toBe(3);
    expect(await rows()).toEqual([1, 3]);
    // The batch ran without savepoints until b failed, then again with one per unit; every unit ran before any
    // caller was answered, and each success saw the whole batch committed.
    expect(log.slice(0, 6)).toEqual(['run a', 'run b', 'run a', 'run b', 'run c', 'run d']);
    expect(log.slice(6).sort()).toEqual(['done a: 1,3', 'done d: 1,3', 'failed b', 'failed c']);
  });

  it('gives a lone unit its own transaction: its failure rolls back all it wrote', async () => {
    const gc = new GroupCommit(db.kysely);
    await expect(
      gc.run(async (trx) => {
        await insert(7)(trx);
        throw new Error('lone unit failed');
      }),
    ).rejects.toThrow('lone unit failed');
    expect(await rows()).toEqual([]);
    expect(await gc.run(insert(8))).toBe(8);
    expect(await rows()).toEqual([8]);
  });

  it('splits a long queue into batches of at most maxBatch units, all committed', async () => {
    const gc = new GroupCommit(db.kysely, 3);
    const ids = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(await Promise.all(ids.map((id) => gc.run(insert(id))))).toEqual(ids);
    expect(await rows()).toEqual(ids);
  });

  it.skipIf(dialect === 'sqlite')('runs batches on several lanes at once, each in its own transaction (PostgreSQL)', async () => {
    // One unit per batch, two lanes: the first unit waits until the second has started, which one lane never allows.
    const gc = new GroupCommit(db.kysely, 1, 2);
    let started = () => {};
    const second = new Promise<void>((resolve) => {
      started = resolve;
    });
    const a = gc.run(async (trx) => {
      await second;
      return insert(1)(trx);
    });
    const b = gc.run(async (trx) => {
      started();
      return insert(2)(trx);
    });
    expect(await Promise.all([a, b])).toEqual([1, 2]);
    expect(await rows()).toEqual([1, 2]);
  });

  it('writes deferred rows once per batch, merged, and drops those of a unit that rolled back', async () => {
    await sql`create table gc_sums (k text primary key, n integer not null)`.execute(db.kysely);
    const sink: WriteSink<{ k: string; n: number }> = {
      name: 'sums',
      merge: (into, later) => ({ k: into.k, n: into.n + later.n }),
      flush: async (trx, values) => {
        for (const v of values) await sql`insert into gc_sums (k, n) values (${v.k}, ${v.n})`.execute(trx);
      },
    };
    const gc = new GroupCommit(db.kysely);
    const unit = (id: number, k: string, fail = false) =>
      gc
        .run(async (trx) => {
          await insert(id)(trx);
          expect(deferWrite(trx, sink, k, { k, n: id })).toBe(true);
          if (fail) throw new Error('unit failed');
          return id;
        })
        .catch(() => null);
    expect(await Promise.all([unit(1, 'x'), unit(2, 'x'), unit(3, 'y', true), unit(4, 'y')])).toEqual([1, 2, null, 4]);
    const sums = await sql<{ k: string; n: number }>`select k, n from gc_sums order by k`.execute(db.kysely);
    expect(sums.rows.map((r) => [r.k, Number(r.n)])).toEqual([
      ['x', 3],
      ['y', 4],
    ]);
    // Outside a group commit nothing is deferred.
    await db.kysely.transaction().execute(async (trx) => expect(deferWrite(trx, sink, 'z', { k: 'z', n: 1 })).toBe(false));
  });
  it('lets units that arrive while a batch runs, or in the turn it finishes, join the next batch together', async () => {
    const gc = new GroupCommit(db.kysely);
    const batchOf = new Map<string, Transaction<Database>>();
    const unit = (name: string, id: number, gate?: Promise<void>) =>
      gc.run(async (trx) => {
        batchOf.set(name, trx);
        if (gate) await gate;
        return insert(id)(trx);
      });
    let open = () => {};
    const gate = new Promise<void>((r) => {
      open = r;
    });
    const first = unit('first', 1, gate);
    // Let the first batch start, then queue two units while it runs.
    await new Promise((r) => setImmediate(r));
    const during = [unit('a', 2), unit('b', 3)];
    open();
    // A request read in the event-loop turn in which the first batch commits.
    const late = new Promise<number>((resolve) => setImmediate(() => resolve(unit('late', 4))));
    await Promise.all([first, ...during, late]);
    expect(batchOf.get('a')).not.toBe(batchOf.get('first'));
    expect(batchOf.get('b')).toBe(batchOf.get('a'));
    expect(batchOf.get('late')).toBe(batchOf.get('a'));
    expect(await rows()).toEqual([1, 2, 3, 4]);
  });
});
