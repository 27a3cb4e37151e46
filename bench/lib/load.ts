import { Pool } from 'undici';
import { demoPerson, demoText, pickClass } from '../../server/seed/demo-texts.ts';
import { seededRng } from '../../server/seed/demo-tickets.ts';

const STATIONS = ['城关供电所', '东城供电所', '西湖供电所', '南山供电所', '河口供电所'];

/** Realistic phone complaints as the intake screen posts them (customer's words, class, location, contact). */
export function complaintBodies(count: number, seed = 11): string[] {
  const next = complaintStream({ seed });
  return Array.from({ length: count }, () => next());
}

/**
 * An endless stream of realistic phone complaints in which about `repeatShare` of the callers called before
 * (same name, phone and account; a real centre sees ~10 % repeat complaints), the others are new people with
 * phones never seen (a run stamp keeps them apart from earlier runs and from the generated history).
 */
export function complaintStream(opts: { seed?: number; repeatShare?: number } = {}): () => string {
  const rng = seededRng(opts.seed ?? 11);
  const share = opts.repeatShare ?? 0.1;
  const stamp = String(Date.now() % 1000).padStart(3, '0');
  const seen: Array<{ name: string; phone: string; account: string }> = [];
  let i = 0;
  return () => {
    const station = STATIONS[i % STATIONS.length] as string;
    const month = 1 + (i % 12);
    const text = demoText(rng, 'complaint', pickClass(rng, 'complaint', month, i % 2 === 0), station, 'other');
    let person = seen.length > 0 && rng() < share ? seen[Math.floor(rng() * seen.length)] : undefined;
    if (!person) {
      // 19, the run stamp, a counter: a valid mobile (its second digit 3–9) and an account no earlier caller had.
      const n = String(seen.length).padStart(7, '0');
      person = { name: demoPerson(rng).name, phone: `19${stamp.slice(1)}${n}`, account: `9${stamp}${n}` };
      seen.push(person);
    }
    i++;
    return JSON.stringify({
      kind: 'complaint',
      channel: 'phone',
      classCode: text.classCode,
      subject: text.subject,
      description: text.description,
      location: text.location || `${station.replace('供电所', '')}镇`,
      customer: person,
    });
  };
}

/** Logs in through the API and returns the session cookie header. */
/**
 * Logs in and returns the session cookie. A server that sheds load (503, busy just after its start) is asked
 * again after its Retry-After, as a real client would, for up to half a minute.
 */
export async function login(url: string, username: string, password: string): Promise<string> {
  const until = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: url },
      body: JSON.stringify({ username, password }),
    });
    if (res.status === 503 && Date.now() < until) {
      await res.body?.cancel();
      await new Promise((r) => setTimeout(r, 1000 * Math.min(5, Number(res.headers.get('retry-after') ?? 1) || 1)));
      continue;
    }
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  }
}

export interface LoadResult {
  ok: number;
  failed: Record<string, number>;
  seconds: number;
  latencies: number[];
  /** Numbers the server acknowledged (201), in the order they came back. */
  numbers: string[];
}

/**
 * Posts intakes from `concurrency` clients for `seconds` (or until `stop` resolves), each client waiting for
 * its answer before the next request (closed loop): orders per second and latency per request. `bodies` is a
 * list to cycle through or a stream; with several `url`s (nodes behind no balancer) the clients are spread
 * over them evenly.
 */
export function driveIntake(
  url: string | readonly string[],
  cookie: string,
  bodies: readonly string[] | (() => string),
  opts: { concurrency: number; seconds: number; stop?: Promise<unknown>; keepNumbers?: boolean; onCreated?: (n: number) => void },
): Promise<LoadResult> {
  let next = 0;
  const body = typeof bodies === 'function' ? bodies : () => bodies[next++ % bodies.length] as string;
  return driveLoad(url, cookie, { ...opts, ok: 201, request: () => ({ method: 'POST', path: '/api/v1/tickets', body: body() }) });
}

/** The closed-loop load of driveIntake for any request; `ok` is the status that counts as served. */
export async function driveLoad(
  url: string | readonly string[],
  cookie: string,
  opts: {
    concurrency: number;
    seconds: number;
    ok: number;
    request: () => { method: 'GET' | 'POST'; path: string; body?: string };
    stop?: Promise<unknown>;
    keepNumbers?: boolean;
    onCreated?: (n: number) => void;
  },
): Promise<LoadResult> {
  const urls = typeof url === 'string' ? [url] : url;
  const pools = urls.map(
    (u) =>
      new Pool(u, { connections: Math.ceil(opts.concurrency / urls.length), pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 }),
  );
  const result: LoadResult = { ok: 0, failed: {}, seconds: 0, latencies: [], numbers: [] };
  let stopped = false;
  const end = Date.now() + opts.seconds * 1000;
  void opts.stop?.then(() => {
    stopped = true;
  });
  const started = performance.now();
  const client = async (c: number) => {
    const pool = pools[c % pools.length] as Pool;
    // Each node checks that a write comes from its own origin.
    const origin = new URL(urls[c % urls.length] as string).origin;
    while (!stopped && Date.now() < end) {
      const r = opts.request();
      const t = performance.now();
      try {
        const res = await pool.request({
          method: r.method,
          path: r.path,
          headers: { ...(r.body ? { 'content-type': 'application/json' } : {}), cookie, origin },
          ...(r.body ? { body: r.body } : {}),
        });
        const text = await res.body.text();
        if (res.statusCode === opts.ok) {
          result.ok++;
          opts.onCreated?.(result.ok);
          result.latencies.push(performance.now() - t);
          if (opts.keepNumbers) result.numbers.push((JSON.parse(text) as { ticket: { number: string } }).ticket.number);
        } else {
          result.failed[res.statusCode] = (result.failed[res.statusCode] ?? 0) + 1;
          if (res.statusCode === 503) await new Promise((r) => setTimeout(r, 50));
        }
      } catch (err) {
        const code = (err as { code?: string }).code ?? 'error';
        result.failed[code] = (result.failed[code] ?? 0) + 1;
        if (stopped) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, (_, c) => client(c)));
  result.seconds = (performance.now() - started) / 1000;
  await Promise.all(pools.map((p) => p.destroy()));
  return result;
}
