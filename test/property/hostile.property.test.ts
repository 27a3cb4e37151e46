import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { complaintBody } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp } from '../harness.ts';

type H = Record<string, string>;

const SQL = ["' or 1=1 --", "'); drop table tickets; --", '" union select * from users --', '%', '_', '\\', '1; select pg_sleep(1)'];
const HTML = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '"><svg/onload=alert(1)>', '&lt;&#x3C;'];
const CONTROL = ['\u0000', '\u0001\u0002\u001f', '\u202e反转', '\ud800', '\ufeff', '\r\n\t', '\u2028\u2029'];

/** Strings an attacker or a broken client sends: control characters, SQL and HTML fragments, huge and odd Unicode. */
const hostileString = fc.oneof(
  fc.constantFrom(...SQL, ...HTML, ...CONTROL),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 1000, max: 300_000 }).map((n) => '投'.repeat(n)),
  fc.tuple(fc.constantFrom(...SQL, ...HTML), fc.constantFrom(...CONTROL)).map(([a, b]) => `${a}${b}电费`),
);

/** Any JSON value, with hostile strings and odd numbers mixed in. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, [], {}),
  fc.anything({ maxDepth: 3, maxKeys: 4 }),
  fc.integer({ min: 50, max: 3000 }).map((depth) => {
    let v: unknown = '深';
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  }),
);

/** A valid body with one field replaced by something hostile, or a wholly hostile body. */
function around(valid: Record<string, unknown>): fc.Arbitrary<unknown> {
  const keys = [...Object.keys(valid), '__proto__', 'constructor', 'version', 'extra'];
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => {
      const out: Record<string, unknown> = { ...valid };
      Object.defineProperty(out, k, { value: v, enumerable: true, configurable: true, writable: true });
      return out;
    }),
    hostileValue,
  );
}

/** Percent-encodes anything, lone surrogates included (as raw bytes), so that broken encodings reach the server. */
function enc(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
  }
}

type Payload = { kind: 'json'; value: unknown } | { kind: 'raw'; bytes: Buffer; type: string };

const rawBytes: fc.Arbitrary<Payload> = fc.oneof(
  // Invalid UTF-8 inside what claims to be JSON.
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((b) => ({
    kind: 'raw' as const,
    bytes: Buffer.concat([Buffer.from('{"description":"'), Buffer.from([0xff, 0xfe, 0xc3, ...b]), Buffer.from('"}')]),
    type: 'application/json',
  })),
  fc.uint8Array({ maxLength: 128 }).map((b) => ({ kind: 'raw' as const, bytes: Buffer.from(b), type: 'application/json' })),
  fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data', 'application/json; charset=latin1').map((type) => ({
    kind: 'raw' as const,
    bytes: Buffer.from('{"kind":"complaint"}'),
    type,
  })),
  fc.constant({ kind: 'raw' as const, bytes: Buffer.from(`${'['.repeat(20_000)}${']'.repeat(20_000)}`), type: 'application/json' }),
);

function payload(valid: Record<string, unknown>): fc.Arbitrary<Payload> {
  return fc.oneof(
    { weight: 4, arbitrary: around(valid).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: rawBytes },
  );
}

describeEachDb('hostile requests on the public endpoints', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let orderId = 0;

  beforeAll(async () => {
    t = await makeTestApp(dialect);
    for (const u of ['agent', 'admin', 'handler']) h[u] = await t.login(u);
    const r = await t.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: h.agent, payload: complaintBody() });
    orderId = r.json().ticket.id;
  });
  afterAll(async () => t?.close());

  const TABLES = ['tickets', 'ticket_events', 'customers', 'org_units', 'users', 'user_roles', 'api_tokens', 'ticket_links'] as const;
  async function counts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of TABLES) {
      const r = await t.db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      out[table] = Number(r.n);
    }
    return out;
  }

  /** Sends the payload; asserts no 500 and, on rejection, that nothing was stored. */
  async function send(method: 'POST' | 'PATCH', url: string, headers: H, p: Payload): Promise<void> {
    const before = await counts();
    const res =
      p.kind === 'json'
        ? await t.app.inject({
            method,
            url,
            headers: { ...headers, 'content-type': 'application/json' },
            payload: JSON.stringify(p.value ?? null),
          })
        : await t.app.inject({ method, url, headers: { ...headers, 'content-type': p.type }, payload: p.bytes });
    expect(res.statusCode, `${method} ${url} → ${res.body.slice(0, 300)}`).toBeLessThan(500);
    if (res.statusCode >= 400) {
      expect(res.json().error.code, res.body.slice(0, 200)).toMatch(/^[a-z_]+$/);
      expect(await counts()).toEqual(before);
    }
  }

  const runs = { numRuns: 60 };

  it('login never fails with a 500 and stores nothing on rejection', async () => {
    // Login is rate limited (20 a minute): a 429 is a fine answer to a flood of hostile logins.
    await fc.assert(
      fc.asyncProperty(payload({ username: 'agent', password: 'wrong-password' }), (p) => send('POST', '/api/v1/auth/login', {}, p)),
      runs,
    );
  }, 120_000);

  it('intake never fails with a 500 and stores nothing on rejection', async () => {
    await fc.assert(
      fc.asyncProperty(payload(complaintBody()), (p) => send('POST', '/api/v1/tickets', h.agent as H, p)),
      runs,
    );
  }, 120_000);

  it('actions never fail with a 500, whatever the action name and body', async () => {
    const action = fc.oneof(
      fc.constantFrom('dispatch', 'sign', 'reply', 'note', 'merge', 'revisit', 'grade'),
      hostileString.map((s) => enc(s.slice(0, 40))),
      fc.constantFrom('%ff%fe', '%E0%A4%A', '..%2f..%2fetc'),
    );
    await fc.assert(
      fc.asyncProperty(
        action,
        payload({ version: 1, unitId: 2, note: '请处理', grade: 'major' }),
        fc.constantFrom('agent', 'handler'),
        (a, p, who) => send('POST', `/api/v1/tickets/${orderId}/actions/${a}`, h[who] as H, p),
      ),
      runs,
    );
  }, 120_000);

  it('lists and lookups never fail with a 500 on hostile query strings', async () => {
    const keys = [
      'queue',
      'state',
      'flag',
      'unitId',
      'kind',
      'class',
      'channel',
      'grade',
      'overdue',
      'dueBefore',
      'createdFrom',
      'createdTo',
      'phone',
      'account',
      'number',
      'sort',
      'limit',
      'cursor',
      'q',
    ];
    const query = fc.array(
      fc.tuple(
        fc.constantFrom(...keys),
        fc.oneof(
          hostileString.map((s) => s.slice(0, 2000)),
          fc.constantFrom('-1', '0', '1e99', 'NaN', 'true', 'open', 'due', 'eyJwIjoxLCJpZCI6Ik5hTiJ9', '%raw'),
        ),
      ),
      { maxLength: 5 },
    );
    const path = fc.constantFrom(
      '/api/v1/tickets',
      '/api/v1/customers/lookup',
      '/api/v1/tickets/queues',
      `/api/v1/tickets/${orderId}`,
      '/api/v1/tickets/0',
      '/api/v1/tickets/abc',
      '/api/v1/tickets/99999999999999999999',
    );
    await fc.assert(
      fc.asyncProperty(path, query, async (p, q) => {
        const qs = q.map(([k, v]) => `${enc(k)}=${v === '%raw' ? '%ff%fe%' : enc(v)}`).join('&');
        const res = await t.app.inject({ method: 'GET', url: `${p}${qs ? `?${qs}` : ''}`, headers: h.agent });
        expect(res.statusCode, res.body.slice(0, 300)).toBeLessThan(500);
      }),
      runs,
    );
  }, 120_000);

  it('organisation and user administration never fail with a 500 and store nothing on rejection', async () => {
    const target = fc.constantFrom(
      {
        method: 'POST' as const,
        url: '/api/v1/org-units',
        valid: { code: 'HX-1', name: '新站', kind: 'station', parentId: 1, areaType: 'rural' },
      },
      { method: 'PATCH' as const, url: '/api/v1/org-units/2', valid: { name: '改名', customerCount: 10 } },
      {
        method: 'POST' as const,
        url: '/api/v1/users',
        valid: { username: 'newbie', displayName: '新人', unitId: 2, roles: ['agent'], password: 'long-password-1' },
      },
      { method: 'PATCH' as const, url: '/api/v1/users/2', valid: { displayName: '改名', roles: ['agent'] } },
      { method: 'POST' as const, url: '/api/v1/api-tokens', valid: { name: 'robot', roles: ['agent'], unitId: 2 } },
    );
    await fc.assert(
      fc.asyncProperty(
        target.chain((x) => payload(x.valid).map((p) => ({ ...x, p }))),
        ({ method, url, p }) => send(method, url, h.admin as H, p),
      ),
      runs,
    );
  }, 120_000);
});
