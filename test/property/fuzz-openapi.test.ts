import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

type Op = { parameters?: Array<{ name: string; in: string }>; requestBody?: unknown };
type Doc = { paths: Record<string, Record<string, Op>> };

const BIG = 'x'.repeat(1024 * 1024);
const HOSTILE_STRINGS = ['', '\u0000', '\uD800', '"', '*', 'NEAR(', '-', 'OR', 'a" OR "b', '%', '\\', '1e309', BIG.slice(0, 70_000)];
const HOSTILE_VALUES: unknown[] = [...HOSTILE_STRINGS, -1, 0, 1e308, Number.MIN_SAFE_INTEGER * 4, 1.5, true, null, [], {}, ['\u0000']];
const PATH_GARBAGE = ['0', '-1', '99999999999999999999', 'abc', '%00', '%22%2A', 'NEAR(', '..%2F..'];
// Ending one's own session or changing the password would stop the walk; both are tested elsewhere.
const SKIP = new Set(['POST /api/v1/auth/logout', 'POST /api/v1/auth/password', 'DELETE /api/public/portal/session']);

function bodiesFor(props: string[]): Array<string | Record<string, unknown> | unknown[]> {
  const out: Array<string | Record<string, unknown> | unknown[]> = ['{"a":', '[1,2', '\u0000', `"${BIG}"`, [], {}, { a: 1 }, { id: 9999 }];
  for (const v of HOSTILE_VALUES) out.push(Object.fromEntries(props.map((p) => [p, v])));
  return out;
}

describeEachDb('every OpenAPI operation under hostile input', (dialect) => {
  let t: TestApp;
  let actors: Array<[string, Record<string, string>]>;
  beforeAll(async () => {
    t = await makeTestApp(dialect, { demoTickets: false });
    actors = [
      ['anonymous', {}],
      ['agent', await t.login('agent')],
      ['admin', await t.login('admin')],
    ];
  });
  afterAll(async () => t?.close());

  it('answers no request with a 5xx', { timeout: 240_000 }, async () => {
    const doc = JSON.parse((await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).body) as Doc;
    let sent = 0;
    const failures: string[] = [];
    const byClass: Record<string, number> = {};
    const send = async (method: string, url: string, headers: Record<string, string>, payload?: unknown) => {
      sent++;
      const isText = typeof payload === 'string';
      const res = await t.app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
        ...(payload === undefined ? {} : { payload: isText ? payload : JSON.stringify(payload) }),
      });
      const c = `${Math.floor(res.statusCode / 100)}xx`;
      byClass[c] = (byClass[c] ?? 0) + 1;
      if (res.statusCode >= 500) failures.push(`${res.statusCode} ${method.toUpperCase()} ${url.slice(0, 120)} ${res.body.slice(0, 160)}`);
    };
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        if (SKIP.has(`${method.toUpperCase()} ${path}`)) continue;
        const params = op.parameters ?? [];
        const queryNames = params.filter((p) => p.in === 'query').map((p) => p.name);
        const body = (op.requestBody as { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> })?.content;
        const bodyProps = Object.keys(body?.['application/json']?.schema?.properties ?? {});
        for (const [, headers] of actors) {
          for (const g of PATH_GARBAGE) {
            const url = path.replace(/\{[^}]+\}/g, g).replace(/:([a-zA-Z]+)/g, g);
            await send(method, url, headers);
          }
          const base = path.replace(/\{[^}]+\}/g, '1');
          for (const v of HOSTILE_STRINGS.slice(0, 12)) {
            if (queryNames.length === 0) break;
            const qs = queryNames.map((n) => `${encodeURIComponent(n)}=${v === '\uD800' ? '%ED%A0%80' : encodeURIComponent(v)}`).join('&');
            await send(method, `${base}?${qs}`, headers);
          }
          if (method !== 'get' && method !== 'head') {
            for (const b of bodiesFor(bodyProps.length ? bodyProps : ['id', 'text'])) await send(method, base, headers, b);
          }
        }
      }
    }
    process.stdout.write(`[fuzz ${dialect}] ${sent} requests, ${failures.length} answered 5xx (${JSON.stringify(byClass)})\n`);
    // The walk must reach the handlers, not stop at the login wall.
    expect(byClass['2xx'] ?? 0).toBeGreaterThan(50);
    expect(failures).toEqual([]);
  });
});
