// The statistics aggregates (stats_agg): the delta upsert of every order change, reads grouped by any key, the rebuild.
import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { MEASURES, type Measures, zeroMeasures } from '../../core/stats.ts';
import { deferWrite, type WriteSink } from '../db/batch-writes.ts';
import { preparedBy, type SlotOf } from '../db/prepared.ts';
import type { Database, Ticket } from '../db/schema.ts';
import type { StatsTables } from '../db/stats-schema.ts';
import {
  type AggKey,
  CONTRIBUTION_COLUMNS,
  type ContributingTicket,
  contributionOf,
  KEY_COLUMNS,
  keyString,
} from '../domain/stats/contribution.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type KeyColumn = (typeof KEY_COLUMNS)[number];
/** What a query may group by: the period bucket or a key column. */
export type GroupColumn = 'bucket' | KeyColumn;

/** Filters in SQL terms: value lists per key column, class prefixes, a bucket range. */
export interface AggWhere {
  companyIds?: number[];
  orgUnitIds?: number[];
  classPrefixes?: string[];
  kinds?: string[];
  channels?: string[];
  grades?: string[];
  verifications?: string[];
  rootCauses?: string[];
}

/**
 * Grains: `d` day × every key column; `m` month × every key column; `c` month × company, unit, class and kind
 * only (channel, grade, verification and root cause stored as '*'), a small cube that answers the common
 * half-year and year tables from a few thousand rows however many orders there are.
 */
export type Grain = 'd' | 'm' | 'c';
export const COARSE_FREE: ReadonlyArray<KeyColumn> = ['channel', 'grade', 'verification', 'root_cause'];

export interface AggQuery {
  grain: Grain;
  from: string;
  to: string;
  groupBy: GroupColumn[];
  where: AggWhere;
}

export type AggRow = Partial<Record<GroupColumn, string | number>> & { m: Measures };

const UPSERT_CHUNK = 200;

function toMeasures(r: Record<string, unknown>): Measures {
  const m = zeroMeasures();
  for (const k of MEASURES) m[k] = Number(r[k] ?? 0);
  return m;
}

/** The filter clauses shared by the aggregate query and the direct count; `col` maps a key column to SQL. */
export function whereClauses(w: AggWhere, col: (c: KeyColumn) => RawBuilder<unknown>): RawBuilder<unknown>[] {
  const out: RawBuilder<unknown>[] = [];
  const list = (c: KeyColumn, v: ReadonlyArray<string | number> | undefined) => {
    if (v === undefined) return;
    out.push(v.length === 0 ? sql`1 = 0` : sql`${col(c)} in (${sql.join(v)})`);
  };
  list('company_id', w.companyIds);
  list('org_unit_id', w.orgUnitIds);
  list('kind', w.kinds);
  list('channel', w.channels);
  list('grade', w.grades);
  list('verification', w.verifications);
  list('root_cause', w.rootCauses);
  if (w.classPrefixes)
    out.push(
      w.classPrefixes.length === 0
        ? sql`1 = 0`
        : sql`(${sql.join(
            w.classPrefixes.map((p) => sql`(${col('class_code')} = ${p} or ${col('class_code')} like ${`${p}.%`})`),
            sql` or `,
          )})`,
    );
  return out;
}

/** Statistics aggregates: the delta upsert the ticket hook runs, reads grouped by any key and the rebuild. */
export class StatsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Moves an order's contribution from `before` to `after`, in the caller's transaction. */
  async applyChange(q: Q, before: Ticket | null, after: Ticket): Promise<void> {
    const b = before ? contributionOf(before) : null;
    const a = contributionOf(after);
    if (b && keyString(b.key) === keyString(a.key) && MEASURES.every((m) => b.m[m] === a.m[m])) return;
    // Net delta per aggregate row: one upsert statement must not touch the same row twice (PostgreSQL).
    const net = new Map<string, AggInsert>();
    const add = (key: AggKey, m: Measures, sign: number) => {
      for (const row of expand(key, m)) {
        const k = rowKey(row);
        const cur = net.get(k);
        if (cur) for (const x of MEASURES) cur[x] += sign * row[x];
        else {
          if (sign < 0) for (const x of MEASURES) row[x] = -row[x];
          net.set(k, row);
        }
      }
    };
    if (b) add(b.key, b.m, -1);
    add(a.key, a.m, 1);
    const rows = [...net.values()].filter((r) => MEASURES.some((x) => r[x] !== 0));
    // In a group commit the deltas of the whole batch are summed per aggregate row and upserted once.
    const now = rows.filter((r) => !deferWrite(q, STATS_DELTAS, rowKey(r), r));
    if (now.length) await upsertRows(q, now);
  }

  /** Sums of the measures grouped by the given columns, from the aggregate table. */
  async query(qy: AggQuery, q: Q = this.db): Promise<AggRow[]> {
    const col = (c: KeyColumn) => sql.ref(c);
    const groups = qy.groupBy.map((g) => sql.ref(g));
    const where = [sql`grain = ${qy.grain}`, sql`bucket >= ${qy.from}`, sql`bucket <= ${qy.to}`, ...whereClauses(qy.where, col)];
    const sums = MEASURES.map((m) => sql`sum(${sql.ref(m)}) as ${sql.id(m)}`);
    const r = await sql<
      Record<string, unknown>
    >`select ${sql.join([...groups, ...sums])} from stats_agg where ${sql.join(where, sql` and `)}${
      groups.length ? sql` group by ${sql.join(groups)}` : sql``
    }`.execute(q);
    return r.rows.map((row) => measuresRow(row, qy.groupBy));
  }

  /** Every aggregate row (the consistency test reads them all). */
  async all(q: Q = this.db) {
    return (q as Kysely<Database>).withTables<StatsTables>().selectFrom('stats_agg').selectAll().execute();
  }

  /** Empties and refills the aggregates from the orders (`gridvoice stats rebuild`). */
  rebuild(): Promise<{ orders: number; rows: number }> {
    return this.db.transaction().execute((trx) => rebuildAggregates(trx));
  }
}

function normalise(g: string, v: unknown): string | number {
  return g === 'company_id' || g === 'org_unit_id' ? Number(v) : String(v ?? '');
}

/** A result row as its measures and the values of the columns it is grouped by. */
export function measuresRow<G extends string>(
  row: Record<string, unknown>,
  groupBy: readonly G[],
): Partial<Record<G, string | number>> & { m: Measures } {
  const out: Record<string, unknown> = { m: toMeasures(row) };
  for (const g of groupBy) out[g] = normalise(g, row[g]);
  return out as Partial<Record<G, string | number>> & { m: Measures };
}

type AggInsert = AggKey & { grain: string; bucket: string } & Measures;

/**
 * What some orders add to a query's rows, times `sign`: with -1 the rows of `query` plus these are the figures
 * without them, with +1 with them. The query's filters are applied to each order's key as the aggregate query
 * applies them in SQL.
 */
export function ordersAsRows(orders: readonly ContributingTicket[], qy: AggQuery, sign: 1 | -1): AggRow[] {
  const w = qy.where;
  const has = <T>(list: readonly T[] | undefined, v: T) => list === undefined || list.includes(v);
  const out: AggRow[] = [];
  for (const t of orders) {
    const { key, m } = contributionOf(t);
    const bucket = qy.grain === 'd' ? key.day : key.day.slice(0, 7);
    if (bucket < qy.from || bucket > qy.to) continue;
    if (!has(w.companyIds, key.company_id) || !has(w.orgUnitIds, key.org_unit_id) || !has(w.kinds, key.kind)) continue;
    if (!has(w.channels, key.channel) || !has(w.grades, key.grade)) continue;
    if (!has(w.verifications, key.verification) || !has(w.rootCauses, key.root_cause)) continue;
    if (w.classPrefixes && !w.classPrefixes.some((p) => key.class_code === p || key.class_code.startsWith(`${p}.`))) continue;
    const row: AggRow = { m: zeroMeasures() };
    for (const x of MEASURES) row.m[x] = sign * m[x];
    for (const g of qy.groupBy) row[g] = g === 'bucket' ? bucket : key[g];
    out.push(row);
  }
  return out;
}

/** The day row, the month row and the coarse month row an order counts in. */
function expand(key: AggKey, m: Measures): AggInsert[] {
  const month = key.day.slice(0, 7);
  // Object.assign, not spreads: V8 builds these spread literals key by key (~70 µs a call against ~4 µs).
  return [
    Object.assign({}, key, m, { grain: 'd', bucket: key.day }),
    Object.assign({}, key, m, { grain: 'm', bucket: month }),
    Object.assign({}, key, m, { channel: '*', grade: '*', verification: '*', root_cause: '*', grain: 'c', bucket: month }),
  ];
}

function rowKey(r: AggInsert): string {
  return [r.grain, r.bucket, ...KEY_COLUMNS.map((c) => r[c])].join('|');
}

// An aggregate row's columns in insert order; the upsert is compiled once per row count (see prepared.ts).
const AGG_COLUMNS = ['grain', 'bucket', ...KEY_COLUMNS, ...MEASURES] as const;
const UPSERT = preparedBy((count, db, p: SlotOf<Record<string, unknown>>) =>
  db
    .withTables<StatsTables>()
    .insertInto('stats_agg')
    .values(Array.from({ length: Number(count) }, (_, i) => Object.fromEntries(AGG_COLUMNS.map((c) => [c, p(`${i}.${c}`)]))) as never)
    .onConflict((oc) =>
      oc
        .columns(['grain', 'bucket', ...KEY_COLUMNS])
        .doUpdateSet(Object.fromEntries(MEASURES.map((m) => [m, sql`stats_agg.${sql.ref(m)} + excluded.${sql.ref(m)}`])) as never),
    ),
);

/** Statistics deltas of a group-commit batch, summed per aggregate row. */
const STATS_DELTAS: WriteSink<AggInsert> = {
  name: 'stats_agg',
  merge(into, later) {
    for (const x of MEASURES) into[x] += later[x];
    return into;
  },
  async flush(trx, values) {
    // In key order: concurrent batches (PostgreSQL's commit lanes, other nodes) then lock shared rows in one order.
    const rows = values
      .filter((r) => MEASURES.some((x) => r[x] !== 0))
      .map((r) => ({ k: rowKey(r), r }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map((x) => x.r);
    if (rows.length) await upsertRows(trx, rows);
  },
};

async function upsertRows(q: Q, rows: AggInsert[]): Promise<void> {
  for (let i = 0; i < rows.length; i += UPSERT_CHUNK) {
    const chunk = rows.slice(i, i + UPSERT_CHUNK);
    const values: Record<string, unknown> = {};
    chunk.forEach((r, j) => {
      for (const c of AGG_COLUMNS) values[`${j}.${c}`] = r[c];
    });
    await UPSERT(String(chunk.length), q, values);
  }
}

/** Recomputes every aggregate row from the orders, paging by id (constant memory per page, one map of keys). */
export async function rebuildAggregates(q: Q): Promise<{ orders: number; rows: number }> {
  const db = (q as Kysely<Database>).withTables<StatsTables>();
  await db.deleteFrom('stats_agg').execute();
  const acc = new Map<string, AggInsert>();
  let after = 0;
  let orders = 0;
  for (;;) {
    // Only the columns a contribution reads: the texts would triple what a million-order rebuild moves.
    const page = await q
      .selectFrom('tickets')
      .select(['id', ...CONTRIBUTION_COLUMNS])
      .where('id', '>', after)
      .orderBy('id')
      .limit(5000)
      .execute();
    if (page.length === 0) break;
    for (const t of page) {
      const c = contributionOf(t);
      for (const row of expand(c.key, c.m)) {
        const k = rowKey(row);
        const cur = acc.get(k);
        if (cur) for (const m of MEASURES) cur[m] += row[m];
        else acc.set(k, row);
      }
      after = t.id;
      orders++;
    }
  }
  // The table is empty inside this transaction and the keys are unique: plain multi-row inserts suffice.
  // The stored columns only (`day` is the key's, not the table's); a picked copy, as object rest is slow in V8.
  const all = [...acc.values()].map((r) => Object.fromEntries(AGG_COLUMNS.map((c) => [c, r[c]])) as Omit<AggInsert, 'day'>);
  for (let i = 0; i < all.length; i += 500)
    await db
      .insertInto('stats_agg')
      .values(all.slice(i, i + 500))
      .execute();
  return { orders, rows: acc.size };
}
