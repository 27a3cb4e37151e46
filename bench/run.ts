/**
 * `npm run bench -- [--scale N] [--db sqlite|postgres] [--nodes 1|2] [--only NAME] [--reuse DIR]`: GridVoice
 * against the hardware's own limit, on freshly generated orders unless `--reuse`. Prints a Markdown table and
 * writes it to bench/results/latest.md with the machine on top, records the scale's key figures for the growth
 * table (bench/results/growth-<db>.json) and regenerates the latest figures in bench/README.md.
 * Benchmarks: generate, queue, detail, search, suggest, stats, sweeper, intake (with memory; with `--nodes 2` also on
 * two server processes over one database, with the work queue over HTTP), crash.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { shippedCorpus } from '../server/domain/text/corpus.ts';
import { SearchRepository } from '../server/repositories/search.repository.ts';
import { crashRound } from '../test/crash/crash-run.ts';
import { generateOrders } from './generate.ts';
import { complaintStream, driveIntake, driveLoad, type LoadResult, login } from './lib/load.ts';
import { machine, ms, quantile, type ServerProcess, startServer, timeRuns } from './lib/measure.ts';
import { rawIntake, rawReader } from './lib/raw.ts';
import { SEARCH_QUERIES } from './lib/search-queries.ts';
import { BENCH_PASSWORD, type BenchDb, openBaselineDb, openBenchDb } from './lib/setup.ts';
import { type StatsBenchRow, statsBench } from './stats.bench.ts';

interface Args {
  scale: number;
  db: 'sqlite' | 'postgres';
  only: string | null;
  /** Data dir of an earlier run to reuse instead of generating (keeps its orders). */
  reuse: string | null;
  /** Server processes for the multi-node intake and work-queue runs (1: one node only). */
  nodes: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scale: 1_000_000, db: 'sqlite', only: null, reuse: null, nodes: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--scale') args.scale = Number(String(v).replaceAll('_', ''));
    else if (a === '--db') args.db = v === 'postgres' ? 'postgres' : 'sqlite';
    else if (a === '--only') args.only = v ?? null;
    else if (a === '--reuse') args.reuse = v ?? null;
    else if (a === '--nodes') args.nodes = Number(v);
    else continue;
    i++;
  }
  if (!Number.isInteger(args.scale) || args.scale < 1000) throw new Error('--scale must be an integer ≥ 1000');
  if (![1, 2].includes(args.nodes)) throw new Error('--nodes must be 1 or 2');
  if (args.nodes > 1 && args.db !== 'postgres') throw new Error('--nodes 2 needs --db postgres (SQLite has one writer process)');
  return args;
}

interface Row extends Omit<StatsBenchRow, 'met'> {
  met: '✅' | '❌' | '';
}

const rows: Row[] = [];
/** This run's key figures for the growth table (bench/results/growth-<db>.json, by scale). */
const growth: Record<string, number> = {};
const notes: string[] = [];
const log = (s: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${s}\n`);

function add(r: Partial<Row> & { bench: string; metric: string; ours: string }): void {
  rows.push({ baseline: '', ratio: '', target: '', met: '', ...r });
}
const check = (ok: boolean): '✅' | '❌' => (ok ? '✅' : '❌');

/** Two rows (p50, p95) of a latency benchmark beside its same-run baseline, with the p95 target. */
function addLatency(bench: string, scale: number, ours: number[], base: number[], targetMs: number): void {
  const n = `${(scale / 1e6).toLocaleString('en')}M`;
  const ratio = (q: number) => `${(quantile(ours, q) / quantile(base, q)).toFixed(1)}×`;
  add({ bench, metric: `p50 ms @ ${n}`, ours: ms(quantile(ours, 0.5)), baseline: ms(quantile(base, 0.5)), ratio: ratio(0.5) });
  const p95 = quantile(ours, 0.95);
  add({
    bench: '',
    metric: `p95 ms @ ${n}`,
    ours: ms(p95),
    baseline: ms(quantile(base, 0.95)),
    ratio: ratio(0.95),
    target: `≤ ${targetMs} ms`,
    met: check(p95 <= targetMs),
  });
}

async function queueBench(b: BenchDb, scale: number): Promise<void> {
  const handler = await b.services.auth.actorFor('handler');
  const open = ['pending_dispatch', 'dispatched', 'in_progress', 'suspended', 'pending_review', 'pending_revisit'];
  const runs = 300;
  const ours = await timeRuns(runs, () => b.services.tickets.list(handler, { states: open }, 'due', 50, null));
  const raw = await rawReader(b);
  const q = 'select * from tickets where unit_id = $1 and state <> $2 and next_due_at is not null order by next_due_at, id limit 51';
  const base = await timeRuns(runs, () => raw.query(q, [handler.unitId, 'closed']));
  await raw.close();
  addLatency('Work queue (handler, first page of 50 by deadline)', scale, ours, base, 10);
  growth.queueP95 = quantile(ours, 0.95);
}

async function detailBench(b: BenchDb, scale: number): Promise<void> {
  const agent = await b.services.auth.actorFor('agent');
  // Spread over the whole id range, but only ids that exist: a reused database has gaps (a crash round's
  // uncommitted orders, deleted test data).
  const max = Number(
    (
      await b.db.kysely
        .selectFrom('tickets')
        .select((eb) => eb.fn.max<number>('id').as('m'))
        .executeTakeFirst()
    )?.m,
  );
  const candidates = Array.from({ length: 800 }, (_, i) => 1 + ((i * 2_654_435_761) % max));
  const found = await b.db.kysely.selectFrom('tickets').select('id').where('id', 'in', candidates).execute();
  const ids = found.map((r) => r.id).slice(0, 400);
  if (ids.length === 0) throw new Error('detail: no orders to read');
  const ours = await timeRuns(300, (i) => b.services.tickets.detail(agent, ids[i % ids.length] as number));
  const raw = await rawReader(b);
  const base = await timeRuns(300, async (i) => {
    const id = ids[i % ids.length];
    await raw.query('select * from tickets where id = $1', [id]);
    await raw.query('select * from ticket_events where ticket_id = $1 order by seq', [id]);
  });
  await raw.close();
  addLatency('Order detail (events, deadlines explained, actions)', scale, ours, base, 10);
  growth.detailP95 = quantile(ours, 0.95);
}

async function searchBench(b: BenchDb, scale: number): Promise<void> {
  // Generated orders bypass the services, so the index is built here (the same code as `gridvoice search-reindex`).
  const t0 = performance.now();
  // A bulk index on PostgreSQL goes as the operator guide says for an import: the text indexes (RUM written row by row
  // costs milliseconds an order, GIN's pending list a large part of one) are dropped first and built again once every
  // row is in, each with its own definition.
  const defs =
    b.dialect === 'postgres' && !(await new SearchRepository(b.db.kysely, 'postgres').fullyIndexed())
      ? (
          await sql<{ name: string; def: string }>`select c.relname as name, pg_get_indexdef(c.oid) as def
            from pg_index x join pg_class c on c.oid = x.indexrelid
            where x.indrelid = to_regclass('ticket_search') and c.relname in ('ticket_search_rum', 'ticket_search_tsv')`.execute(
            b.db.kysely,
          )
        ).rows
      : [];
  for (const d of defs) await sql`drop index ${sql.id(d.name)}`.execute(b.db.kysely);
  // A reused database may hold rows of an older index format: rewritten here as the backfill job would.
  const indexed = (await b.services.search.reindexMissing()) + (await b.services.search.upgradeIndex());
  const rowsS = (performance.now() - t0) / 1000;
  let rumS = 0;
  if (defs.length > 0) {
    log(`search index rows written in ${rowsS.toFixed(0)} s; building ${defs.map((d) => d.name).join(', ')}`);
    const t1 = performance.now();
    for (const d of defs) await sql.raw(d.def).execute(b.db.kysely);
    await sql`analyze ticket_search`.execute(b.db.kysely);
    rumS = (performance.now() - t1) / 1000;
    notes.push(
      `Search index build: rows written in ${rowsS.toFixed(0)} s, then ${defs.map((d) => d.name).join(' and ')} built in ${rumS.toFixed(0)} s.`,
    );
  }
  const secs = rowsS + rumS;
  add({
    bench: 'Search index build (jieba words + character bigrams, FTS)',
    metric: 'orders/s',
    ours: indexed ? Math.round(indexed / secs).toLocaleString('en') : 'already built',
    baseline: `${indexed.toLocaleString('en')} orders in ${secs.toFixed(0)} s`,
  });
  const handler = await b.services.auth.actorFor('handler');
  const agent = await b.services.auth.actorFor('agent');
  const runs = 200;
  const searches = () =>
    timeRuns(runs, (i) => b.services.search.search(i % 2 ? handler : agent, SEARCH_QUERIES[i % SEARCH_QUERIES.length] as string, 20, null));
  // First as while a rewrite of the index's format is pending (the search does not use the scope tokens and
  // the visibility rule alone narrows the matches), then as it runs: the gain of the scope tokens, same data.
  const pending = sql`insert into meta (key, value) values ('search_reindex_after', ${String(Number.MAX_SAFE_INTEGER)})`;
  await pending.execute(b.db.kysely);
  const unnarrowed = await searches();
  await sql`delete from meta where key = 'search_reindex_after'`.execute(b.db.kysely);
  const ours = await searches();
  const byRole = (xs: number[], odd: boolean) => xs.filter((_, i) => i % 2 === (odd ? 1 : 0));
  notes.push(
    `Search p95 by role: agent ${ms(quantile(byRole(ours, false), 0.95))} ms, station handler ${ms(quantile(byRole(ours, true), 0.95))} ms;` +
      ` without the scope tokens (visibility rule alone): p50 ${ms(quantile(unnarrowed, 0.5))} / p95 ${ms(quantile(unnarrowed, 0.95))} ms` +
      ` (agent ${ms(quantile(byRole(unnarrowed, false), 0.95))}, station handler ${ms(quantile(byRole(unnarrowed, true), 0.95))}).`,
  );
  const raw = await rawReader(b);
  const words = (q: string) => q.split(' ');
  const base = await timeRuns(runs, (i) => {
    const q = SEARCH_QUERIES[i % SEARCH_QUERIES.length] as string;
    return b.dialect === 'sqlite'
      ? raw.query('select rowid from ticket_fts where ticket_fts match $1 limit 21', [
          words(q)
            .map((w) => `"${w}"`)
            .join(' AND '),
        ])
      : raw.query("select ticket_id from ticket_search where tsv @@ plainto_tsquery('simple', $1) limit 21", [q]);
  });
  await raw.close();
  addLatency('Chinese full-text search (ranked, scoped, snippets; words, substrings, exclusions)', scale, ours, base, 50);
  growth.searchP95 = quantile(ours, 0.95);
  notes.push('Search baseline: the bare index lookup (first 21 matches, unranked, unscoped) through the driver.');
}

/**
 * Intake help as the agent types: class, kind, unit, risk and duplicate suggestions for corpus texts (the
 * shipped train and dev texts, never the test split), against the classification alone as the baseline.
 */
async function suggestBench(b: BenchDb, scale: number): Promise<void> {
  const agent = await b.services.auth.actorFor('agent');
  const texts = shippedCorpus();
  b.services.text.warm();
  const runs = 300;
  const pick = (i: number) => texts[(i * 7919) % texts.length] as (typeof texts)[number];
  const ours = await timeRuns(runs, (i) =>
    b.services.text.suggest(agent, {
      kind: pick(i).kind,
      description: pick(i).text,
      location: '示范县城关镇人民路18号',
      phone: `1380000${String(i % 1000).padStart(4, '0')}`,
    }),
  );
  const base = await timeRuns(runs, async (i) => {
    await b.services.text.classify(null, pick(i).text, pick(i).kind);
    b.services.text.suggestKind(pick(i).text);
  });
  addLatency('Intake suggestion (class, kind, unit, risk, duplicates; baseline: the models alone)', scale, ours, base, 20);
  growth.suggestP95 = quantile(ours, 0.95);
}

async function sweeperBench(b: BenchDb, scale: number, open: number): Promise<void> {
  const t = performance.now();
  const r = await b.services.sweeper.runOnce();
  const s = (performance.now() - t) / 1000;
  growth.sweeperS = s;
  const n = `${(scale / 1e6).toLocaleString('en')}M`;
  add({
    bench: `Sweeper pass (${open.toLocaleString('en')} open, last pass ≥ 1 h ago)`,
    metric: `seconds @ ${n}`,
    ours: s.toFixed(2),
    // The longest batch is how long intake waits behind the sweeper on SQLite (one writer).
    baseline: `${r.orders} orders (${r.orders ? ((s * 1000) / r.orders).toFixed(2) : '–'} ms each), ${r.warnings} warnings, ${r.overdue} overdue; ${b.services.sweeper.lastPass.batches} batches, longest ${b.services.sweeper.lastPass.longestBatchMs.toFixed(0)} ms`,
    target: '≤ 5 s',
    met: check(s <= 5),
  });
  const t2 = performance.now();
  const again = await b.services.sweeper.runOnce();
  add({
    bench: 'Sweeper pass, nothing due',
    metric: 'seconds',
    ours: ((performance.now() - t2) / 1000).toFixed(3),
    baseline: `${again.orders} orders`,
  });
}

/** CPU milliseconds (user + system) a process has used so far, from /proc (Linux; NaN elsewhere). */
function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * (1000 / 100);
  } catch {
    return Number.NaN;
  }
}

interface IntakeRun extends LoadResult {
  cpuMs: number;
}

/** Drives intake at concurrency `c` over the servers; the servers' CPU per order is summed over them. */
async function intakeRun(servers: ServerProcess[], cookie: string, body: () => string, c: number, seconds: number): Promise<IntakeRun> {
  // The server's CPU per order: unlike orders/s, it barely moves when other work shares the machine.
  const cpu0 = servers.map((x) => cpuMsOf(x.pid));
  const r = await driveIntake(
    servers.map((x) => x.url),
    cookie,
    body,
    { concurrency: c, seconds },
  );
  const cpu = servers.reduce((sum, x, i) => sum + cpuMsOf(x.pid) - (cpu0[i] as number), 0);
  return { ...r, cpuMs: cpu / Math.max(1, r.ok) };
}

/** A handler's work queue over HTTP (session, scoping, JSON) at concurrency 16 on the servers: req/s and latencies. */
async function queueOverHttp(servers: ServerProcess[], cookie: string): Promise<LoadResult> {
  return driveLoad(
    servers.map((x) => x.url),
    cookie,
    { concurrency: 16, seconds: 8, ok: 200, request: () => ({ method: 'GET', path: '/api/v1/tickets?queue=open&sort=due&limit=50' }) },
  );
}

async function intakeBench(b: BenchDb, scale: number, nodes: number): Promise<void> {
  log('intake: starting the server');
  const env = { ...b.env, GRIDVOICE_SWEEPER_INTERVAL_MS: '60000' };
  const server = await startServer(env);
  await new Promise((r) => setTimeout(r, 3000));
  const idle = server.rssMb();
  const cookie = await login(server.url, 'agent', BENCH_PASSWORD);
  // New callers with ~10 % repeats, as in a real centre (cycling a fixed list would make every call a repeat).
  const body = complaintStream();
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 250);
  const results: Array<{ c: number; nodes: number; r: IntakeRun }> = [];
  await driveIntake(server.url, cookie, body, { concurrency: 8, seconds: 3 });
  for (const c of [1, 32, 128]) {
    log(`intake: concurrency ${c}`);
    results.push({ c, nodes: 1, r: await intakeRun([server], cookie, body, c, c === 1 ? 8 : 15) });
  }
  clearInterval(sampler);
  const queue: Array<{ nodes: number; r: LoadResult }> = [];
  if (nodes > 1) {
    log('intake: starting a second node on the same database');
    const second = await startServer(env);
    await driveIntake(second.url, cookie, body, { concurrency: 8, seconds: 3 });
    for (const c of [32, 128]) {
      log(`intake: concurrency ${c} over two nodes`);
      results.push({ c, nodes: 2, r: await intakeRun([server, second], cookie, body, c, 15) });
    }
    const handler = await login(server.url, 'handler', BENCH_PASSWORD);
    log('work queue over HTTP: one node, then two');
    queue.push({ nodes: 1, r: await queueOverHttp([server], handler) });
    queue.push({ nodes: 2, r: await queueOverHttp([server, second], handler) });
    second.kill('SIGTERM');
    await second.exited;
  }
  server.kill('SIGTERM');
  await server.exited;
  log('intake: raw driver baseline, in its own database');
  const base = await openBaselineDb(b.dialect);
  const raw1 = await rawIntake(base, b, 8, 1);
  const raw32 = b.dialect === 'postgres' ? await rawIntake(base, b, 8, 32) : raw1;
  await base.db.close();
  if (base.dialect === 'sqlite') rmSync(base.dataDir, { recursive: true, force: true });
  const n = `${(scale / 1e6).toLocaleString('en')}M`;
  let first = true;
  for (const { c, nodes: k, r } of results) {
    const rate = r.ok / r.seconds;
    const { rate: raw, cpuMs: rawCpu } = c === 1 ? raw1 : raw32;
    const p99 = quantile(r.latencies, 0.99);
    const failed = Object.entries(r.failed)
      .map(([code, v]) => `${v}×${code}`)
      .join(', ');
    const tag = k > 1 ? `c${c} (2 nodes)` : `c${c}`;
    if (c === 32 && k === 1) Object.assign(growth, { intakeC32: rate, intakeC32Ratio: rate / raw, intakeCpuMs: r.cpuMs, intakeP99: p99 });
    const oneNode = results.find((x) => x.c === c && x.nodes === 1)?.r;
    add({
      bench: first ? `Intake over HTTP (real server, session cookie, on ${n} orders)` : '',
      metric: `${tag} orders/s`,
      ours: rate.toFixed(0),
      baseline: `${raw.toFixed(0)} raw${b.dialect === 'postgres' && c > 1 ? ' (32 conns)' : ''}`,
      ratio: `${((rate / raw) * 100).toFixed(1)} %`,
      ...(c === 32 && k === 1 ? { target: '≥ 50 % of raw', met: check(rate >= raw / 2) } : {}),
      ...(k > 1 && oneNode
        ? {
            target: `≥ 1.6× one node (${(rate / (oneNode.ok / oneNode.seconds)).toFixed(2)}×)`,
            met: check(rate >= 1.6 * (oneNode.ok / oneNode.seconds)),
          }
        : {}),
    });
    first = false;
    add({
      bench: '',
      metric: `${tag} p50 / p99 ms`,
      ours: `${ms(quantile(r.latencies, 0.5))} / ${ms(p99)}`,
      ...(c === 32 ? { target: 'p99 ≤ 50 ms', met: check(p99 <= 50) } : {}),
      ...(c === 128 ? { target: 'no 503', met: check(!r.failed[503]) } : {}),
      baseline: failed ? `non-201: ${failed}` : '',
    });
    add({
      bench: '',
      metric: `${tag} server CPU ms/order`,
      ours: r.cpuMs.toFixed(2),
      ...(b.dialect === 'sqlite' ? { baseline: `${rawCpu.toFixed(3)} raw`, ratio: `${(r.cpuMs / rawCpu).toFixed(1)}×` } : {}),
    });
  }
  for (const { nodes: k, r } of queue) {
    const rate = r.ok / r.seconds;
    const one = queue[0]?.r;
    add({
      bench: k === 1 ? 'Work queue over HTTP (handler, c16, first page of 50)' : '',
      metric: `${k} node${k > 1 ? 's' : ''}: req/s, p50 / p95 ms`,
      ours: `${rate.toFixed(0)}, ${ms(quantile(r.latencies, 0.5))} / ${ms(quantile(r.latencies, 0.95))}`,
      ...(k > 1 && one ? { ratio: `${(rate / (one.ok / one.seconds)).toFixed(2)}× one node` } : {}),
    });
  }
  add({ bench: 'Server memory (RSS)', metric: 'idle MB', ours: idle.toFixed(0), target: '≤ 400 MB', met: check(idle <= 400) });
  add({ bench: '', metric: 'peak under intake MB', ours: peak.toFixed(0), target: '≤ 400 MB', met: check(peak <= 400) });
}

async function crashBench(b: BenchDb): Promise<void> {
  const rounds = 3;
  let ack = 0;
  const bad: string[] = [];
  for (let i = 0; i < rounds; i++) {
    log(`crash: round ${i + 1}/${rounds}`);
    const r = await crashRound(
      { ...b.env, GRIDVOICE_SWEEPER_INTERVAL_MS: '60000' },
      { clients: 32, loadMs: 10_000, password: BENCH_PASSWORD },
    );
    ack += r.acknowledged;
    if (r.missing.length || r.duplicates.length || r.broken.length)
      bad.push(`round ${i + 1}: ${r.missing.length} missing, ${r.duplicates.length} duplicated, ${r.broken.length} broken chains`);
  }
  add({
    bench: `Crash safety (${rounds} × SIGKILL after 10 s of c32 intake)`,
    metric: 'acknowledged orders lost',
    ours: bad.length ? bad.join('; ') : '0',
    baseline: `${ack.toLocaleString('en')} acknowledged`,
    target: '0',
    met: check(bad.length === 0),
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const only = args.only?.split(',') ?? null;
  const want = (name: string) => only === null || only.includes(name);
  log(args.reuse ? `reusing ${args.reuse}` : `preparing a fresh ${args.db} database`);
  const b = await openBenchDb(args.db, args.reuse);
  const header = await machine(b.db);
  try {
    const needsData = ['generate', 'queue', 'detail', 'search', 'suggest', 'stats', 'sweeper', 'intake', 'memory'].some(want);
    let open = 0;
    if (needsData && args.reuse) {
      const n = await b.db.kysely
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      args.scale = Number(n.n);
      notes.push(`Reused the ${args.scale.toLocaleString('en')} orders generated by an earlier run in ${args.reuse}.`);
    } else if (needsData) {
      log(`generating ${args.scale.toLocaleString('en')} orders`);
      let lastLog = 0;
      const g = await generateOrders(b.db, args.scale, {
        chain: b.services.hooks.chain,
        onProgress: (done, total) => {
          if (performance.now() - lastLog > 10_000 || done === total) {
            lastLog = performance.now();
            log(`  ${done.toLocaleString('en')} / ${total.toLocaleString('en')}`);
          }
        },
      });
      add({
        bench: 'Generator (batched multi-row inserts, hash-chained events)',
        metric: 'orders/s',
        ours: ((g.orders / g.ms) * 1000).toFixed(0),
        baseline: `${g.orders.toLocaleString('en')} orders, ${g.events.toLocaleString('en')} events in ${(g.ms / 1000).toFixed(0)} s`,
      });
    }
    if (want('sweeper')) {
      const r = await b.db.kysely
        .selectFrom('tickets')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('state', '<>', 'closed')
        .executeTakeFirstOrThrow();
      open = Number(r.n);
    }
    if (want('queue')) await queueBench(b, args.scale);
    if (want('detail')) await detailBench(b, args.scale);
    if (want('search')) await searchBench(b, args.scale);
    if (want('suggest')) await suggestBench(b, args.scale);
    if (want('stats')) for (const r of await statsBench(b, log)) add({ ...r, met: r.met === '✅' ? '✅' : r.met === '❌' ? '❌' : '' });
    if (want('sweeper')) await sweeperBench(b, args.scale, open);
    if (want('intake') || want('memory')) await intakeBench(b, args.scale, args.nodes);
    if (want('crash')) await crashBench(b);
  } finally {
    await b.db.close();
    if (b.dialect === 'sqlite' && !args.reuse && existsSync(b.dataDir) && !process.env.BENCH_KEEP)
      rmSync(b.dataDir, { recursive: true, force: true });
  }
  const table = [
    '| Benchmark | Metric | GridVoice | Baseline (raw driver) | Ours ÷ raw | Target | Met |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.bench} | ${r.metric} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met} |`),
  ].join('\n');
  const out = [
    `# GridVoice benchmarks (${args.db}, ${args.scale.toLocaleString('en')} orders${args.only ? `, only ${args.only}` : ''})`,
    '',
    `Run ${new Date().toISOString()} with \`npm run bench -- ${process.argv.slice(2).join(' ')}\`.`,
    '',
    ...header,
    '',
    table,
    '',
    ...notes.map((n) => `- ${n}`),
    '',
  ].join('\n');
  process.stdout.write(`${out}\n`);
  const dir = join(import.meta.dirname, 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.md'), out);
  writeFileSync(join(dir, `latest-${args.db}.md`), out);
  if (Object.keys(growth).length) recordGrowth(dir, args, header);
  regenerateReadme(dir);
}

type GrowthEntry = Record<string, number | string>;

/** Merges this run's key figures into the growth record of its database, under its scale. */
function recordGrowth(dir: string, args: Args, header: string[]): void {
  const file = join(dir, `growth-${args.db}.json`);
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, GrowthEntry>) : {};
  const load = header.find((h) => h.startsWith('- Load average'))?.replace(/^- Load average at start: /, '') ?? '';
  all[String(args.scale)] = {
    ...all[String(args.scale)],
    ...growth,
    run: `${new Date().toISOString().slice(0, 16)}Z${args.reuse ? ' (reused data)' : ''}`,
    load,
  };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

const BEGIN = '<!-- latest figures: generated by npm run bench, do not edit by hand -->';
const END = '<!-- end of generated figures -->';

/** The growth table of one database from its record: a row per scale. */
function growthTable(dir: string, db: string): string[] {
  const file = join(dir, `growth-${db}.json`);
  if (!existsSync(file)) return [];
  const all = JSON.parse(readFileSync(file, 'utf8')) as Record<string, GrowthEntry>;
  const f = (v: unknown, d = 1) => (typeof v === 'number' ? v.toFixed(d) : '–');
  return [
    `Growth, ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (fresh data at each scale unless marked):`,
    '',
    '| Orders | Intake c32 orders/s | % of raw | Server CPU ms/order | c32 p99 ms | Queue p95 ms | Search p95 ms | Detail p95 ms | Sweeper s | Run (load avg) |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...Object.entries(all)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(
        ([scale, g]) =>
          `| ${Number(scale).toLocaleString('en')} | ${f(g.intakeC32, 0)} | ${typeof g.intakeC32Ratio === 'number' ? `${(g.intakeC32Ratio * 100).toFixed(1)} %` : '–'} | ${f(g.intakeCpuMs, 2)} | ${f(g.intakeP99)} | ${f(g.queueP95)} | ${f(g.searchP95)} | ${f(g.detailP95)} | ${f(g.sweeperS, 2)} | ${g.run} (${g.load}) |`,
      ),
    '',
  ];
}

/** Rewrites the generated block of bench/README.md from the latest results of each database and the growth tables. */
function regenerateReadme(dir: string): void {
  const readme = join(import.meta.dirname, 'README.md');
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  if (from < 0 || to < from) return;
  const body: string[] = [];
  for (const db of ['sqlite', 'postgres']) {
    const latest = join(dir, `latest-${db}.md`);
    if (existsSync(latest)) body.push(readFileSync(latest, 'utf8').replace(/^# /, '#### ').trim(), '');
    body.push(...growthTable(dir, db));
  }
  writeFileSync(readme, `${text.slice(0, from + BEGIN.length)}\n\n${body.join('\n')}\n${text.slice(to)}`);
  // The repository's formatter lays the tables out, so that a regenerated README passes the lint.
  try {
    execFileSync('npx', ['biome', 'format', '--write', readme], { cwd: join(import.meta.dirname, '..'), stdio: 'ignore' });
  } catch {
    log('bench/README.md written but not formatted: run npx biome format --write bench/README.md');
  }
}

await main();
