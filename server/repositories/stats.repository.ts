import { type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { MEASURES, type Measures, zeroMeasures } from '../../core/stats.ts';
import { preparedBy, type SlotOf } from '../db/prepared.ts';
import type { Database, Ticket } from '../db/schema.ts';
import type { Dialect } from '../db/sql/index.ts';
import { secondsToClose, shanghaiDayOfCreated } from '../db/sql/stats.ts';
import type { StatsTables } from '../db/stats-schema.ts';
import { type AggKey, CONTRIBUTION_COLUMNS, contributionOf, KEY_COLUMNS, keyString } from '../domain/stats/contribution.ts';

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
function whereClauses(w: AggWhere, col: (c: KeyColumn) => RawBuilder<unknown>): RawBuilder<unknown>[] {
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

/** The SQL of each measure over raw `tickets` rows: the definitions of contribution.ts, written independently. */
function directMeasures(dialect: Dialect): RawBuilder<unknown>[] {
  const archived = sql`(state = 'closed' and close_reason = 'completed')`;
  const defs: Record<(typeof MEASURES)[number], RawBuilder<unknown>> = {
    n: sql`count(*)`,
    complaints: sql`sum(case when kind = 'complaint' then 1 else 0 end)`,
    open_n: sql`sum(case when state <> 'closed' then 1 else 0 end)`,
    closed: sql`sum(case when state = 'closed' then 1 else 0 end)`,
    archived: sql`sum(case when ${archived} then 1 else 0 end)`,
    verified: sql`sum(case when verification is not null then 1 else 0 end)`,
    substantiated: sql`sum(case when verification in ('substantiated', 'partly') then 1 else 0 end)`,
    fc_due: sql`sum(case when first_contact_on_time is not null then 1 else 0 end)`,
    fc_on_time: sql`sum(case when first_contact_on_time = 1 then 1 else 0 end)`,
    reply_due: sql`sum(case when reply_on_time is not null then 1 else 0 end)`,
    reply_on_time: sql`sum(case when reply_on_time = 1 then 1 else 0 end)`,
    revisited: sql`sum(case when satisfaction is not null then 1 else 0 end)`,
    revisit_ok: sql`sum(case when satisfaction in ('satisfied', 'basically', 'dissatisfied') then 1 else 0 end)`,
    satisfied: sql`sum(case when satisfaction in ('satisfied', 'basically') then 1 else 0 end)`,
    repeat_n: sql`sum(case when flag_repeat = 1 then 1 else 0 end)`,
    first_time: sql`sum(case when ${archived} and redo_count = 0 and reject_count = 0 and flag_repeat = 0 then 1 else 0 end)`,
    dispatched: sql`sum(case when dispatched_at is not null then 1 else 0 end)`,
    returned: sql`sum(case when return_count > 0 then 1 else 0 end)`,
    handle_n: sql`sum(case when ${archived} and closed_at is not null then 1 else 0 end)`,
    handle_seconds: sql`sum(case when ${archived} and closed_at is not null then ${secondsToClose(dialect)} else 0 end)`,
    overdue: sql`sum(case when overdue = 1 then 1 else 0 end)`,
  };
  return MEASURES.map((m) => sql`${defs[m]} as ${sql.id(m)}`);
}

const DIRECT_COLUMN: Record<KeyColumn, RawBuilder<unknown>> = {
  company_id: sql`company_id`,
  org_unit_id: sql`coalesce(unit_id, company_id)`,
  class_code: sql`coalesce(class_code, '')`,
  kind: sql`kind`,
  channel: sql`channel`,
  grade: sql`grade`,
  verification: sql`coalesce(verification, '')`,
  root_cause: sql`coalesce(root_cause, '')`,
};

/** Statistics aggregates: the delta upsert the ticket hook runs, reads grouped by any key, the rebuild and a direct count. */
export class StatsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

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
    if (rows.length) await upsertRows(q, rows);
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
    return r.rows.map((row) => rowOf(row, qy.groupBy));
  }

  /**
   * The same figures counted directly over the orders (a GROUP BY over `tickets`): the audit check and the
   * benchmark baseline. `from`/`to` are UTC instants here ([from, to)).
   */
  async direct(
    qy: { fromIso: string; toIso: string; groupBy: Array<'day' | KeyColumn>; where: AggWhere },
    q: Q = this.db,
  ): Promise<Array<Partial<Record<'day' | KeyColumn, string | number>> & { m: Measures }>> {
    const day = shanghaiDayOfCreated(this.dialect);
    const exprOf = (g: 'day' | KeyColumn) => (g === 'day' ? day : DIRECT_COLUMN[g]);
    const groups = qy.groupBy.map((g) => sql`${exprOf(g)} as ${sql.id(g)}`);
    const where = [sql`created_at >= ${qy.fromIso}`, sql`created_at < ${qy.toIso}`, ...whereClauses(qy.where, (c) => DIRECT_COLUMN[c])];
    const r = await sql<
      Record<string, unknown>
    >`select ${sql.join([...groups, ...directMeasures(this.dialect)])} from tickets where ${sql.join(
      where,
      sql` and `,
    )}${qy.groupBy.length ? sql` group by ${sql.join(qy.groupBy.map(exprOf))}` : sql``}`.execute(q);
    return r.rows.map((row) => {
      const out: Partial<Record<'day' | KeyColumn, string | number>> & { m: Measures } = { m: toMeasures(row) };
      for (const g of qy.groupBy) out[g] = normalise(g, row[g]);
      return out;
    });
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

function rowOf(row: Record<string, unknown>, groupBy: GroupColumn[]): AggRow {
  const out: AggRow = { m: toMeasures(row) };
  for (const g of groupBy) out[g] = normalise(g, row[g]);
  return out;
}

type AggInsert = AggKey & { grain: string; bucket: string } & Measures;

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
