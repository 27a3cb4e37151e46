/**
 * `npm run bench -- [--scale N] [--db sqlite|postgres] [--only NAME]`: GridVoice against the hardware's own
 * limit. Prints a Markdown table and writes it to bench/results/latest.md with the machine on top.
 * Benchmarks: generate, queue, detail, search, stats, sweeper, intake (with memory), crash.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crashRound } from '../test/crash/crash-run.ts';
import { generateOrders } from './generate.ts';
import { complaintBodies, driveIntake, login } from './lib/load.ts';
import { machine, ms, quantile, startServer, timeRuns } from './lib/measure.ts';
import { rawIntake, rawReader } from './lib/raw.ts';
import { BENCH_PASSWORD, type BenchDb, openBenchDb } from './lib/setup.ts';
import { type StatsBenchRow, statsBench } from './stats.bench.ts';

interface Args {
  scale: number;
  db: 'sqlite' | 'postgres';
  only: string | null;
  /** Data dir of an earlier run to reuse instead of generating (keeps its orders). */
  reuse: string | null;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { scale: 1_000_000, db: 'sqlite', only: null, reuse: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = argv[i + 1];
    if (a === '--scale') args.scale = Number(String(v).replaceAll('_', ''));
    else if (a === '--db') args.db = v === 'postgres' ? 'postgres' : 'sqlite';
    else if (a === '--only') args.only = v ?? null;
    else if (a === '--reuse') args.reuse = v ?? null;
    else continue;
    i++;
  }
  if (!Number.isInteger(args.scale) || args.scale < 1000) throw new Error('--scale must be an integer ≥ 1000');
  return args;
}

interface Row extends Omit<StatsBenchRow, 'met'> {
  met: '✅' | '❌' | '';
}

const rows: Row[] = [];
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
}

async function detailBench(b: BenchDb, scale: number): Promise<void> {
  const agent = await b.services.auth.actorFor('agent');
  const max = Number(
    (
      await b.db.kysely
        .selectFrom('tickets')
        .select((eb) => eb.fn.max<number>('id').as('m'))
        .executeTakeFirst()
    )?.m,
  );
  const ids = Array.from({ length: 400 }, (_, i) => 1 + ((i * 2_654_435_761) % max));
  const ours = await timeRuns(300, (i) => b.services.tickets.detail(agent, ids[i % ids.length] as number));
  const raw = await rawReader(b);
  const base = await timeRuns(300, async (i) => {
    const id = ids[i % ids.length];
    await raw.query('select * from tickets where id = $1', [id]);
    await raw.query('select * from ticket_events where ticket_id = $1 order by seq', [id]);
  });
  await raw.close();
  addLatency('Order detail (events, deadlines explained, actions)', scale, ours, base, 10);
}

const SEARCH_QUERIES = ['抢修', '电费', '停电 抢修', '电表 计量', '低电压', '乱收费', '台区经理', '供电所 态度', '窃电', '业扩报装'];

async function searchBench(b: BenchDb, scale: number): Promise<void> {
  // Generated orders bypass the services, so the index is built here (the same code as `gridvoice search-reindex`).
  const t0 = performance.now();
  const indexed = await b.services.search.reindexMissing();
  const secs = (performance.now() - t0) / 1000;
  add({
    bench: 'Search index build (jieba + FTS)',
    metric: 'orders/s',
    ours: indexed ? Math.round(indexed / secs).toLocaleString('en') : 'already built',
    baseline: `${indexed.toLocaleString('en')} orders in ${secs.toFixed(0)} s`,
  });
  const handler = await b.services.auth.actorFor('handler');
  const agent = await b.services.auth.actorFor('agent');
  const runs = 200;
  const ours = await timeRuns(runs, (i) =>
    b.services.search.search(i % 2 ? handler : agent, SEARCH_QUERIES[i % SEARCH_QUERIES.length] as string, 20, null),
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
  addLatency('Chinese full-text search (ranked, scoped, snippets; 2-char and multi-word)', scale, ours, base, 50);
  notes.push('Search baseline: the bare index lookup (first 21 matches, unranked, unscoped) through the driver.');
}

async function sweeperBench(b: BenchDb, scale: number, open: number): Promise<void> {
  const t = performance.now();
  const r = await b.services.sweeper.runOnce();
  const s = (performance.now() - t) / 1000;
  const n = `${(scale / 1e6).toLocaleString('en')}M`;
  add({
    bench: `Sweeper pass (${open.toLocaleString('en')} open, last pass ≥ 1 h ago)`,
    metric: `seconds @ ${n}`,
    ours: s.toFixed(2),
    baseline: `${r.orders} orders (${r.orders ? ((s * 1000) / r.orders).toFixed(2) : '–'} ms each), ${r.warnings} warnings, ${r.overdue} overdue`,
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

async function intakeBench(b: BenchDb, scale: number): Promise<void> {
  log('intake: starting the server');
  const server = await startServer({ ...b.env, GRIDVOICE_SWEEPER_INTERVAL_MS: '60000' });
  await new Promise((r) => setTimeout(r, 3000));
  const idle = server.rssMb();
  const cookie = await login(server.url, 'agent', BENCH_PASSWORD);
  const bodies = complaintBodies(1000);
  let peak = idle;
  const sampler = setInterval(() => {
    peak = Math.max(peak, server.rssMb());
  }, 250);
  const results = new Map<number, Awaited<ReturnType<typeof driveIntake>> & { cpuMs: number }>();
  await driveIntake(server.url, cookie, bodies, { concurrency: 8, seconds: 3 });
  for (const c of [1, 32, 128]) {
    log(`intake: concurrency ${c}`);
    // The server's CPU per order: unlike orders/s, it barely moves when other work shares the machine.
    const cpu0 = cpuMsOf(server.pid);
    const r = await driveIntake(server.url, cookie, bodies, { concurrency: c, seconds: c === 1 ? 8 : 15 });
    results.set(c, { ...r, cpuMs: (cpuMsOf(server.pid) - cpu0) / r.ok });
  }
  clearInterval(sampler);
  server.kill('SIGTERM');
  await server.exited;
  log('intake: raw driver baseline');
  const raw1 = await rawIntake(b, 8, 1);
  const raw32 = b.dialect === 'postgres' ? await rawIntake(b, 8, 32) : raw1;
  const n = `${(scale / 1e6).toLocaleString('en')}M`;
  for (const [c, r] of results) {
    const rate = r.ok / r.seconds;
    const { rate: raw, cpuMs: rawCpu } = c === 1 ? raw1 : raw32;
    const p99 = quantile(r.latencies, 0.99);
    const failed = Object.entries(r.failed)
      .map(([k, v]) => `${v}×${k}`)
      .join(', ');
    add({
      bench: c === 1 ? `Intake over HTTP (real server, session cookie, on ${n} orders)` : '',
      metric: `c${c} orders/s`,
      ours: rate.toFixed(0),
      baseline: `${raw.toFixed(0)} raw${b.dialect === 'postgres' && c > 1 ? ' (32 conns)' : ''}`,
      ratio: `${((rate / raw) * 100).toFixed(1)} %`,
      ...(c === 32 ? { target: '≥ 2,000/s', met: check(rate >= 2000) } : {}),
    });
    add({
      bench: '',
      metric: `c${c} p50 / p99 ms`,
      ours: `${ms(quantile(r.latencies, 0.5))} / ${ms(p99)}`,
      ...(c === 32 ? { target: 'p99 ≤ 50 ms', met: check(p99 <= 50) } : {}),
      baseline: failed ? `non-201: ${failed}` : '',
    });
    add({
      bench: '',
      metric: `c${c} server CPU ms/order`,
      ours: r.cpuMs.toFixed(2),
      ...(b.dialect === 'sqlite' ? { baseline: `${rawCpu.toFixed(3)} raw`, ratio: `${(r.cpuMs / rawCpu).toFixed(1)}×` } : {}),
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
    const needsData = ['generate', 'queue', 'detail', 'search', 'stats', 'sweeper', 'intake', 'memory'].some(want);
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
    if (want('stats')) for (const r of await statsBench(b, log)) add({ ...r, met: r.met === '✅' ? '✅' : r.met === '❌' ? '❌' : '' });
    if (want('sweeper')) await sweeperBench(b, args.scale, open);
    if (want('intake') || want('memory')) await intakeBench(b, args.scale);
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
  mkdirSync(join(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(join(import.meta.dirname, 'results', 'latest.md'), out);
  writeFileSync(join(import.meta.dirname, 'results', `latest-${args.db}.md`), out);
}

await main();
