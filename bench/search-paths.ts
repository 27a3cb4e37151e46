/**
 * `BENCH_DATABASE_URL=postgres://… npx tsx bench/search-paths.ts [--runs N]`: PostgreSQL search along both of
 * its paths over the same orders, those an earlier `npm run bench -- --db postgres --only search` left in the
 * database: first with the RUM index, then with the GIN index only (the RUM index dropped for it and rebuilt
 * afterwards). The mix is bench/run.ts's search benchmark (agent and 供电所 handler in turn over the same
 * queries); prints p50/p95 of each path and each query's median, and writes nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { orderedSearchIndex } from '../server/db/sql/search.ts';
import { SearchRepository } from '../server/repositories/search.repository.ts';
import { SearchService } from '../server/services/search.service.ts';
import { ms, quantile, timeRuns } from './lib/measure.ts';
import { SEARCH_QUERIES } from './lib/search-queries.ts';
import { openBenchDb } from './lib/setup.ts';

const RUM_INDEX = sql`create index ticket_search_rum on ticket_search
  using rum (tsv rum_tsvector_addon_ops, ticket_id) with (attach = 'ticket_id', to = 'tsv')`;

const runsArg = process.argv.indexOf('--runs');
const runs = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;
const dir = mkdtempSync(join(tmpdir(), 'gv-search-paths-'));
const b = await openBenchDb('postgres', dir);
const k = b.db.kysely;
const log = (s: string) => process.stderr.write(`[search-paths] ${s}\n`);

try {
  const orders = Number((await sql<{ n: number }>`select count(*) as n from ticket_search`.execute(k)).rows[0]?.n);
  if (orders === 0) throw new Error('no indexed orders: run `npm run bench -- --db postgres --only search` first');
  if (!(await orderedSearchIndex('postgres', k))) {
    log('building the RUM index');
    await RUM_INDEX.execute(k);
  }
  const handler = await b.services.auth.actorFor('handler');
  const agent = await b.services.auth.actorFor('agent');
  const mix = (search: SearchService) => (i: number) =>
    search.search(i % 2 ? handler : agent, SEARCH_QUERIES[i % SEARCH_QUERIES.length] as string, 20, null);
  const path = async (name: string) => {
    // A new repository looks the index up afresh.
    const search = new SearchService(new SearchRepository(k, 'postgres'), b.services.repos.org);
    log(`${name}: ${runs} searches`);
    const all = await timeRuns(runs, mix(search));
    const each = new Map<string, number>();
    for (const [who, actor] of [
      ['agent', agent],
      ['handler', handler],
    ] as const)
      for (const q of SEARCH_QUERIES) each.set(`${who} ${q}`, quantile(await timeRuns(5, () => search.search(actor, q, 20, null), 1), 0.5));
    return { all, each };
  };
  const rum = await path('RUM');
  await sql`drop index ticket_search_rum`.execute(k);
  const gin = await path('GIN');
  log('rebuilding the RUM index');
  const t0 = performance.now();
  await RUM_INDEX.execute(k);
  const buildS = (performance.now() - t0) / 1000;

  const out = [
    `PostgreSQL search paths over ${orders.toLocaleString('en')} orders, ${runs} searches each (${new Date().toISOString()})`,
    '',
    '| Path | p50 ms | p95 ms |',
    '|---|---|---|',
    `| GIN (newest rows walked, then GIN) | ${ms(quantile(gin.all, 0.5))} | ${ms(quantile(gin.all, 0.95))} |`,
    `| RUM (ordered index scan) | ${ms(quantile(rum.all, 0.5))} | ${ms(quantile(rum.all, 0.95))} |`,
    '',
    `RUM index rebuilt in ${buildS.toFixed(1)} s.`,
    '',
    '| Actor and query | GIN median ms | RUM median ms |',
    '|---|---|---|',
    ...[...gin.each.keys()].map((key) => `| ${key} | ${ms(gin.each.get(key) as number)} | ${ms(rum.each.get(key) as number)} |`),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
} finally {
  await b.db.close();
  rmSync(dir, { recursive: true, force: true });
}
