import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PlannerStatistics } from '../../server/jobs/planner-statistics.ts';
import { JobLockRepository } from '../../server/repositories/job-lock.repository.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

const MAP = {
  number: '工单编号',
  kind: '业务类型',
  channel: '受理渠道',
  classCode: '业务分类',
  description: '受理内容',
  customerName: '客户姓名',
  customerPhone: '联系电话',
  unit: '处理单位',
  intakeAt: '受理时间',
  closedAt: '归档时间',
  verification: '核实结果',
  rootCause: '问题原因',
  replyText: '答复内容',
  values: { channel: { 电话: 'phone' } },
};

/** A CSV of `n` closed historical orders, spread over a year, with varied words for the search index. */
function history(n: number): Buffer {
  const words = ['电费', '停电', '电压低', '抄表', '表计', '服务态度', '线路', '跳闸', '充电桩', '过户'];
  const lines = [
    Object.values(MAP)
      .filter((v): v is string => typeof v === 'string')
      .join(','),
  ];
  for (let i = 0; i < n; i++) {
    const day = new Date(Date.UTC(2025, 0, 1) + i * 86_400_000 * (365 / n));
    const ymd = day.toISOString().slice(0, 10);
    const text = `${words[i % 10]}问题第${i}号，${words[(i * 7) % 10]}，客户反映${words[(i * 3) % 10]}`;
    lines.push(
      [
        `HIS-${i}`,
        '投诉',
        '电话',
        '电价电费/抄表催费',
        text,
        `客户${i}`,
        `138${String(i).padStart(8, '0')}`,
        'SFX-CG',
        `${ymd} 09:00`,
        `${ymd} 18:00`,
        '属实',
        '抄核收差错',
        '已处理并答复客户',
      ].join(','),
    );
  }
  return Buffer.from(lines.join('\n'));
}

async function ftsSegmentDeletePlan(t: TestApp): Promise<string> {
  // The plan of the segment merge's `DELETE FROM ticket_fts_data WHERE id >= ? AND id <= ?`; SQLite refuses to
  // prepare a write on FTS5's shadow table from outside, and the SELECT with the same WHERE is planned alike.
  const r = await sql<{ detail: string }>`explain query plan select id from ticket_fts_data where id >= ${1} and id <= ${2}`.execute(
    t.db.kysely,
  );
  return r.rows.map((x) => x.detail).join('; ');
}

describeEachDb('planner statistics', (dialect) => {
  let t: TestApp;
  const clock = testClock('2026-11-02T09:00:00.000Z');
  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
  });
  afterAll(async () => t?.close());

  it('are refreshed after an import of history, so that the search index segment merge walks the primary key', async () => {
    if (dialect === 'sqlite') {
      // Analyzed on the empty database: the segment table counts 2 rows, and a range delete is planned as a scan.
      expect(await ftsSegmentDeletePlan(t)).toMatch(/^SCAN ticket_fts_data/);
    }
    const analyzedBefore =
      dialect === 'postgres'
        ? (
            await sql<{
              at: Date | null;
            }>`select last_analyze as at from pg_stat_user_tables where schemaname = current_schema() and relname = 'tickets'`.execute(
              t.db.kysely,
            )
          ).rows[0]?.at
        : null;
    const admin = await t.app.services.auth.actorFor('admin');
    const opts = { dryRun: false, allOrNothing: false };
    const { jobId, mapping } = await t.app.services.orderImport.createJob(admin, 'history.csv', MAP, opts);
    const report = await t.app.services.orderImport.run(admin, jobId, mapping, { name: 'history.csv', data: history(250) }, opts);
    expect(report.problems).toEqual([]);
    expect(report.imported).toBe(250);
    if (dialect === 'sqlite') {
      expect(await ftsSegmentDeletePlan(t)).toMatch(/^SEARCH ticket_fts_data USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)/);
      const stat = await sql<{ stat: string }>`select stat from sqlite_stat1 where tbl = 'tickets' limit 1`.execute(t.db.kysely);
      expect(Number.parseInt(stat.rows[0]?.stat ?? '0', 10)).toBeGreaterThanOrEqual(250);
    } else {
      const r = await sql<{ at: Date | null; n: number }>`select s.last_analyze as at, c.reltuples as n from pg_stat_user_tables s
        join pg_class c on c.oid = s.relid where s.schemaname = current_schema() and s.relname = 'tickets'`.execute(t.db.kysely);
      const row = r.rows[0];
      expect(row?.at).toBeInstanceOf(Date);
      if (analyzedBefore) expect(new Date(row?.at ?? 0).getTime()).toBeGreaterThan(analyzedBefore.getTime());
      expect(Number(row?.n)).toBeGreaterThanOrEqual(250);
    }
  });

  it('are refreshed on a job pass once the orders have doubled since the last analysis, and left alone when not', async () => {
    const job = new PlannerStatistics(t.db.kysely, dialect, clock);
    // Fresh after the import: nothing to do.
    expect(await job.runIfDue()).toBe(0);
    if (dialect === 'sqlite') {
      // As if analyzed when the database held a tenth of its orders (a restart after a bulk load).
      await sql`update sqlite_stat1 set stat = replace(stat, substr(stat, 1, instr(stat || ' ', ' ') - 1), '40') where tbl = 'tickets'`.execute(
        t.db.kysely,
      );
      await sql`update sqlite_stat1 set stat = '2' where tbl = 'ticket_fts_data'`.execute(t.db.kysely);
      await sql`analyze sqlite_schema`.execute(t.db.kysely);
      expect(await ftsSegmentDeletePlan(t)).toMatch(/^SCAN ticket_fts_data/);
      expect(await job.runIfDue()).toBe(1);
      expect(await ftsSegmentDeletePlan(t)).toMatch(/^SEARCH ticket_fts_data USING INTEGER PRIMARY KEY/);
      expect(await job.runIfDue()).toBe(0);
    }
  });

  it.skipIf(dialect === 'postgres')('are refreshed when the search index grew with no new order (a backfill after a load)', async () => {
    const job = new PlannerStatistics(t.db.kysely, dialect, clock);
    expect(await job.runIfDue()).toBe(0);
    // The orders' statistics are current, but the segments were analyzed before the orders were indexed.
    await sql`with recursive n(i) as (select 1 union all select i + 1 from n where i < 20000)
      insert into ticket_fts (rowid, words) select 1000000 + i, '电费' || i || ' 停电' || (i % 97) || ' 抄表' || (i % 13) || ' 线路' || (i * 7 % 1013) from n`.execute(
      t.db.kysely,
    );
    await sql`update sqlite_stat1 set stat = '2' where tbl = 'ticket_fts_data'`.execute(t.db.kysely);
    await sql`analyze sqlite_schema`.execute(t.db.kysely);
    expect(await ftsSegmentDeletePlan(t)).toMatch(/^SCAN ticket_fts_data/);
    expect(await job.runIfDue()).toBe(1);
    expect(await ftsSegmentDeletePlan(t)).toMatch(/^SEARCH ticket_fts_data USING INTEGER PRIMARY KEY/);
    expect(await job.runIfDue()).toBe(0);
    await sql`delete from ticket_fts where rowid > 1000000`.execute(t.db.kysely);
  });

  it('run in full once a night on one node, at the first pass after 02:00 Shanghai, not at a process start', async () => {
    // The night's run is told by its record: a pass may also refresh tables that grew (on PostgreSQL the change
    // counters reach pg_stat_user_tables up to seconds after the writes), which is not the night's run.
    const nightly = () => new JobLockRepository(t.db.kysely).lastRun('planner-statistics');
    clock.set('2026-11-02T09:00:00.000Z');
    const job = new PlannerStatistics(t.db.kysely, dialect, clock);
    if (dialect === 'sqlite') await sql`delete from sqlite_stat1 where tbl = 'org_units'`.execute(t.db.kysely);
    await job.runIfDue();
    expect(await nightly()).toBe('2026-11-02T09:00:00.000Z');
    clock.set('2026-11-02T17:59:00.000Z');
    await job.runIfDue();
    expect(await nightly()).toBe('2026-11-02T09:00:00.000Z');
    clock.set('2026-11-02T18:01:00.000Z');
    expect(await job.runIfDue()).toBe(1);
    expect(await nightly()).toBe('2026-11-02T18:01:00.000Z');
    // Another node over the same database finds the night's refresh done.
    await new PlannerStatistics(t.db.kysely, dialect, clock).runIfDue();
    expect(await nightly()).toBe('2026-11-02T18:01:00.000Z');
    if (dialect === 'sqlite') {
      const rows = await sql<{ n: number }>`select count(*) as n from sqlite_stat1 where tbl = 'org_units'`.execute(t.db.kysely);
      expect(Number(rows.rows[0]?.n)).toBeGreaterThan(0);
    }
    clock.set('2026-11-03T09:00:00.000Z');
    await job.runIfDue();
    expect(await nightly()).toBe('2026-11-02T18:01:00.000Z');
    clock.set('2026-11-03T18:00:00.000Z');
    expect(await job.runIfDue()).toBe(1);
    expect(await nightly()).toBe('2026-11-03T18:00:00.000Z');
  });
});
