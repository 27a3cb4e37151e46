import { execFileSync, spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Db } from '../../server/db/connect.ts';
import { serverVersion } from '../../server/db/sql/index.ts';

export const ROOT = join(import.meta.dirname, '..', '..');

/** The q-quantile (0..1) of a sample, nearest rank. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
}

/** Runs `fn` `runs` times after `warmup` untimed runs; returns each run's milliseconds. */
export async function timeRuns(runs: number, fn: (i: number) => Promise<unknown>, warmup = 20): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

export const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Cores, memory, Node and database version: the header of every result. */
export async function machine(db: Db): Promise<string[]> {
  let load = '';
  try {
    load = execFileSync('cat', ['/proc/loadavg']).toString().split(' ').slice(0, 3).join(' ');
  } catch {
    load = 'n/a';
  }
  const cpu = cpus();
  return [
    `- CPU: ${cpu.length} × ${cpu[0]?.model ?? 'unknown'}`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version}, ${await serverVersion(db.kysely as never, db.dialect)}`,
    `- Load average at start: ${load}`,
  ];
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident set size in MB, read from /proc. */
  rssMb(): number;
  kill(signal: NodeJS.Signals): void;
  exited: Promise<number | null>;
  stderr(): string;
}

/** Starts `node bin/gridvoice.js serve` with the environment and resolves once it prints its URL. */
/**
 * The Node flags `npm start` runs the server with (package.json): a 4 MB young generation keeps a busy server's
 * RSS ~60–120 MB lower (1M orders, intake at c32: idle 401 → 275 MB, peak 422 → 360 MB) for a few % of throughput.
 */
export const SERVER_NODE_ARGS = ['--max-semi-space-size=4'];

/**
 * With `BENCH_CPU_PROF=<dir>` every server the bench starts writes a V8 CPU profile there when it exits (open it in
 * Chrome's DevTools or summarise it with `node bench/lib/profile-summary.mjs <file>`).
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

export function startServer(env: Record<string, string>, opts: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const args = [...(opts.nodeArgs ?? SERVER_NODE_ARGS), ...profileArgs(), join(ROOT, 'bin', 'gridvoice.js'), 'serve'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-20_000);
  });
  // The JSON request log is not read here, but must be drained or a full pipe would stall the server.
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 120 s:\n${err}`)), 120_000);
    void exited.then((code) => reject(new Error(`server exited with ${code} before it started:\n${err}`)));
    // The start banner (with the URL) goes to stderr; stdout carries the JSON log.
    createInterface({ input: child.stderr }).on('line', (line) => {
      const m = /URL:\s+(\S+)/.exec(line);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1] as string,
        pid: child.pid as number,
        rssMb() {
          try {
            const status = execFileSync('cat', [`/proc/${child.pid}/status`]).toString();
            const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
            return kb / 1024;
          } catch {
            return Number.NaN;
          }
        },
        kill: (signal) => child.kill(signal),
        exited,
        stderr: () => err,
      });
    });
  });
}
