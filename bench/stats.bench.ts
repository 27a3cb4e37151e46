/**
 * Statistics at scale: the half-year unit × class table and the before/after period comparison over the
 * maintained aggregates, against a direct GROUP BY over the raw orders as the baseline.
 *
 *   npx tsx bench/stats.bench.ts [--scale 1000000] [--db sqlite|postgres]
 *
 * `statsBench(b)` can also be called from bench/run.ts on a database that already holds generated orders.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { instantRange, periodRange } from '../server/domain/stats/period.ts';
import { StatsTicketRepository } from '../server/repositories/stats-ticket.repository.ts';
import { generateOrders } from './generate.ts';
import { machine, ms, quantile, timeRuns } from './lib/measure.ts';
import { type BenchDb, openBenchDb } from './lib/setup.ts';

export interface StatsBenchRow {
  bench: string;
  metric: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

const RUNS = 30;

/** Rebuilds the aggregates (generated orders bypass the ticket hook) and times the two statistics queries. */
export async function statsBench(b: BenchDb, log: (s: string) => void = () => {}): Promise<StatsBenchRow[]> {
  const rows: StatsBenchRow[] = [];
  const s = b.services;
  const repo = new StatsTicketRepository(b.db.kysely, b.dialect);
  log('rebuilding statistics aggregates');
  const t0 = performance.now();
  const rebuilt = await s.stats.rebuild();
  const rebuildMs = performance.now() - t0;
  rows.push({
    bench: 'Statistics aggregates rebuild (`gridvoice stats rebuild`)',
    metric: 'orders/s',
    ours: ((rebuilt.orders / rebuildMs) * 1000).toFixed(0),
    baseline: `${rebuilt.orders.toLocaleString('en')} orders → ${rebuilt.rows.toLocaleString('en')} aggregate rows in ${(rebuildMs / 1000).toFixed(1)} s`,
    ratio: '',
    target: '',
    met: '',
  });
  const leader = await s.auth.actorFor('leader');
  // The latest complete half-year with data and the one before it.
  const latest = await b.db.kysely
    .selectFrom('tickets')
    .select((eb) => eb.fn.max('created_at').as('m'))
    .executeTakeFirst();
  const year = Number(String(latest?.m ?? new Date().toISOString()).slice(0, 4));
  const month = Number(String(latest?.m ?? '').slice(5, 7));
  const h = month >= 7 ? `${year}-H1` : `${year - 1}-H2`;
  const prev = month >= 7 ? `${year - 1}-H2` : `${year - 1}-H1`;
  const half = periodRange(h) as NonNullable<ReturnType<typeof periodRange>>;
  const before = periodRange(prev) as NonNullable<ReturnType<typeof periodRange>>;
  const halfIso = instantRange(half);
  const beforeIso = instantRange(before);

  const table = await timeRuns(RUNS, () => s.stats.query(leader, { range: half, groupBy: ['org', 'class'], filter: {} }), 5);
  const tableBase = await timeRuns(
    Math.min(RUNS, 10),
    () => repo.direct({ ...halfIso, groupBy: ['org_unit_id', 'class_code'], where: {} }),
    1,
  );
  const cmp = await timeRuns(RUNS, () => s.stats.compare(leader, before, half, 'class', {}), 5);
  const cmpBase = await timeRuns(
    Math.min(RUNS, 10),
    () =>
      Promise.all([
        repo.direct({ ...beforeIso, groupBy: ['class_code'], where: {} }),
        repo.direct({ ...halfIso, groupBy: ['class_code'], where: {} }),
      ]),
    1,
  );
  const row = (bench: string, ours: number[], base: number[]) => {
    const p50 = quantile(ours, 0.5);
    const b50 = quantile(base, 0.5);
    rows.push({
      bench,
      metric: 'p50 ms (warm)',
      ours: ms(p50),
      baseline: ms(b50),
      ratio: `${(p50 / b50).toFixed(3)}×`,
      target: '≤ 100 ms',
      met: p50 <= 100 ? '✅' : '❌',
    });
    rows.push({
      bench: '',
      metric: 'p95 ms (warm)',
      ours: ms(quantile(ours, 0.95)),
      baseline: ms(quantile(base, 0.95)),
      ratio: '',
      target: '',
      met: '',
    });
  };
  row(`Half-year unit × class table (${h}, all KPIs)`, table, tableBase);
  row(`Period comparison by class (${prev} vs ${h})`, cmp, cmpBase);
  return rows;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const scale = Number((arg('--scale') ?? '1000000').replaceAll('_', ''));
  const dialect = arg('--db') === 'postgres' ? 'postgres' : 'sqlite';
  const log = (x: string) => process.stderr.write(`[stats bench ${new Date().toISOString().slice(11, 19)}] ${x}\n`);
  const b = await openBenchDb(dialect);
  try {
    log(`generating ${scale.toLocaleString('en')} orders`);
    let last = 0;
    await generateOrders(b.db, scale, {
      chain: b.services.hooks.chain,
      onProgress: (done, total) => {
        if (performance.now() - last > 10_000 || done === total) {
          last = performance.now();
          log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
        }
      },
    });
    const rows = await statsBench(b, log);
    const out = [
      `# GridVoice statistics benchmark (${dialect}, ${scale.toLocaleString('en')} orders)`,
      '',
      `Run ${new Date().toISOString()} with \`npx tsx bench/stats.bench.ts ${argv.join(' ')}\`. Baseline: the same figures by a direct GROUP BY over \`tickets\`.`,
      '',
      ...(await machine(b.db)),
      '',
      '| Benchmark | Metric | GridVoice (aggregates) | Baseline (GROUP BY over orders) | Ours ÷ baseline | Target | Met |',
      '|---|---|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.bench} | ${r.metric} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`),
      '',
    ].join('\n');
    process.stdout.write(`${out}\n`);
    mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(join(import.meta.dirname, 'results', `stats-${dialect}.md`), out);
  } finally {
    await b.db.close();
    if (b.dialect === 'sqlite') rmSync(b.dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
