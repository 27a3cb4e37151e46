import { Pool } from 'undici';
import { demoPerson, demoText, pickClass } from '../../server/seed/demo-texts.ts';
import { seededRng } from '../../server/seed/demo-tickets.ts';

const STATIONS = ['城关供电所', '东城供电所', '西湖供电所', '南山供电所', '河口供电所'];

/** Realistic phone complaints as the intake screen posts them (customer's words, class, location, contact). */
export function complaintBodies(count: number, seed = 11): string[] {
  const rng = seededRng(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const station = STATIONS[i % STATIONS.length] as string;
    const month = 1 + (i % 12);
    const text = demoText(rng, 'complaint', pickClass(rng, 'complaint', month, i % 2 === 0), station, 'other');
    const person = demoPerson(rng);
    out.push(
      JSON.stringify({
        kind: 'complaint',
        channel: 'phone',
        classCode: text.classCode,
        subject: text.subject,
        description: text.description,
        location: text.location || `${station.replace('供电所', '')}镇`,
        customer: { name: person.name, phone: person.phone, account: person.account },
      }),
    );
  }
  return out;
}

/** Logs in through the API and returns the session cookie header. */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
  return cookie;
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
 * its answer before the next request (closed loop): orders per second and latency per request.
 */
export async function driveIntake(
  url: string,
  cookie: string,
  bodies: readonly string[],
  opts: { concurrency: number; seconds: number; stop?: Promise<unknown>; keepNumbers?: boolean; onCreated?: (n: number) => void },
): Promise<LoadResult> {
  const pool = new Pool(url, { connections: opts.concurrency, pipelining: 1, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const origin = new URL(url).origin;
  const result: LoadResult = { ok: 0, failed: {}, seconds: 0, latencies: [], numbers: [] };
  let stopped = false;
  const end = Date.now() + opts.seconds * 1000;
  void opts.stop?.then(() => {
    stopped = true;
  });
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (!stopped && Date.now() < end) {
      const body = bodies[next++ % bodies.length] as string;
      const t = performance.now();
      try {
        const res = await pool.request({
          method: 'POST',
          path: '/api/v1/tickets',
          headers: { 'content-type': 'application/json', cookie, origin },
          body,
        });
        const text = await res.body.text();
        if (res.statusCode === 201) {
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
  await Promise.all(Array.from({ length: opts.concurrency }, client));
  result.seconds = (performance.now() - started) / 1000;
  await pool.destroy();
  return result;
}
