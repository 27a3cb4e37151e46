import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, intake, unitId, userId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/** The demo staff who read orders, with their unit and whether their roles see the whole company. */
const ACTORS = [
  { user: 'agent', unit: 'SFX-KFZX', centre: true },
  { user: 'reviewer', unit: 'SFX-KFZX', centre: true },
  { user: 'leader', unit: 'SFX', centre: true },
  { user: 'discipline', unit: 'SFX-JJJC', centre: true },
  { user: 'analyst', unit: 'SFX-YXB', centre: true },
  { user: 'unitlead', unit: 'SFX-CG', centre: false },
  { user: 'handler', unit: 'SFX-CG', centre: false },
  { user: 'handler2', unit: 'SFX-DC', centre: false },
] as const;

const NAMED_USERS = ['handler', 'unitlead', 'handler2', 'analyst', 'reviewer'] as const;
const NAMED_UNITS = ['SFX-CG', 'SFX-DC', 'SFX-YXB'] as const;
const TARGETS = ['SFX-CG', 'SFX-DC', 'SFX-XH', 'SFX-JJJC'] as const;

/** One order of the model: what marks it in a response, and what decides who may see it. */
interface Order {
  id: number;
  number: string;
  tag: string;
  phone: string | null;
  namedUsers: Set<string>;
  namedUnits: Set<string>;
  unitsEver: Set<string>;
}

/**
 * The rule, written independently of the server: centre roles see the company (all of the demo orders), unit
 * roles the orders ever dispatched to their unit (the demo stations have no units below them); nobody sees a
 * report that names them or their unit (every named unit sits directly under the company).
 */
function maySee(a: (typeof ACTORS)[number], o: Order): boolean {
  if (o.namedUsers.has(a.user) || o.namedUnits.has(a.unit)) return false;
  return a.centre || o.unitsEver.has(a.unit);
}

const orderArb = fc.record({
  report: fc.boolean(),
  namedUsers: fc.subarray([...NAMED_USERS], { maxLength: 2 }),
  namedUnits: fc.subarray([...NAMED_UNITS], { maxLength: 2 }),
  targets: fc.array(fc.constantFrom(...TARGETS), { maxLength: 2 }),
});
const scenarioArb = fc.record({
  orders: fc.array(orderArb, { minLength: 3, maxLength: 6 }),
  links: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
  merges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 1 }),
  urges: fc.array(fc.nat(), { maxLength: 3 }),
  rectUnit: fc.constantFrom('SFX-CG', 'SFX-DC'),
  rectOrders: fc.array(fc.nat(), { maxLength: 4 }),
  outageOrders: fc.array(fc.nat(), { maxLength: 3 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

describeEachDb('visibility: nothing of an order an actor may not see reaches them by any read path', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const units: Record<string, number> = {};
  const users: Record<string, number> = {};
  const orders: Order[] = [];
  const rects: number[] = [];
  const outages: number[] = [];
  const tally = { runs: 0, requests: 0, checks: 0, leaks: [] as string[] };

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z'), env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080' } });
    for (const a of ACTORS) {
      h[a.user] = await t.login(a.user);
      users[a.user] = await userId(t, a.user);
    }
    for (const code of new Set<string>([...NAMED_UNITS, ...TARGETS, 'SFX-CG', 'SFX-DC'])) units[code] = await unitId(t, code);
  });
  afterAll(async () => {
    console.log(
      `[visibility ${dialect}] runs=${tally.runs} orders=${orders.length} actors=${ACTORS.length} requests=${tally.requests} ` +
        `order×response checks=${tally.checks} leaks=${tally.leaks.length}`,
    );
    await t?.close();
  });

  const get = async (who: string, url: string) => {
    tally.requests++;
    const res = await t.app.inject({ method: 'GET', url, headers: h[who] });
    expect(res.statusCode, `${who} GET ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    return res;
  };
  const post = (who: string, url: string, payload: Record<string, unknown>) =>
    t.app.inject({ method: 'POST', url, headers: h[who], payload });

  /** Builds one random scenario on top of what earlier runs left. */
  async function build(s: Scenario) {
    const run = tally.runs;
    const mine: Order[] = [];
    for (const [i, spec] of s.orders.entries()) {
      const tag = `Zq${run}n${i}X`;
      const phone = spec.report ? null : `139${String(run * 100 + i).padStart(8, '0')}`;
      const body: Record<string, unknown> = spec.report
        ? {
            kind: 'report',
            channel: 'phone',
            classCode: 'integrity.bribery',
            subject: `机密举报${tag}`,
            description: `机密举报内容${tag}，有人收取好处费`,
            reporter: { name: `举报人${tag}`, phone: '13600002222' },
            namedUnitIds: spec.namedUnits.map((u) => units[u]),
            namedUserIds: spec.namedUsers.map((u) => users[u]),
          }
        : {
            kind: 'complaint',
            channel: 'phone',
            classCode: 'business.billing',
            subject: `机密投诉${tag}`,
            description: `机密投诉内容${tag}，电费翻倍`,
            location: `城关镇人民路${tag}号`,
            customer: { name: `客户${tag}`, phone, account: `32${String(run * 100 + i).padStart(8, '0')}` },
          };
      const res = await intake(t, h.agent as H, body);
      expect(res.statusCode, res.body).toBe(201);
      const tk = res.json().ticket as { id: number; number: string };
      const o: Order = {
        id: tk.id,
        number: tk.number,
        tag,
        phone,
        namedUsers: new Set(spec.report ? spec.namedUsers : []),
        namedUnits: new Set(spec.report ? spec.namedUnits : []),
        unitsEver: new Set(),
      };
      const [first, second] = spec.targets;
      if (first && !o.namedUnits.has(first)) {
        const d = await act(t, h.agent as H, o.id, 'dispatch', { version: 1, unitId: units[first] });
        if (d.statusCode === 200) o.unitsEver.add(first);
        // 城关 sends it back and the centre dispatches it on: 城关 keeps seeing it (it moved on from there).
        if (d.statusCode === 200 && first === 'SFX-CG' && second && second !== first && !o.namedUnits.has(second)) {
          const back = await act(t, h.handler as H, o.id, 'return', { version: 2, reason: 'wrong_unit' });
          if (back.statusCode === 200) {
            const again = await act(t, h.agent as H, o.id, 'dispatch', { version: 3, unitId: units[second] });
            if (again.statusCode === 200) o.unitsEver.add(second);
          }
        }
      }
      mine.push(o);
      orders.push(o);
    }
    const pick = (n: number) => mine[n % mine.length] as Order;
    for (const [a, b] of s.links)
      if (pick(a) !== pick(b)) await post('agent', `/api/v1/tickets/${pick(a).id}/links`, { otherId: pick(b).id });
    for (const [a, b] of s.merges)
      if (pick(a) !== pick(b) && pick(a).unitsEver.size === 0)
        await act(t, h.agent as H, pick(a).id, 'merge', { version: 1, duplicateOfId: pick(b).id });
    for (const n of s.urges) {
      const o = pick(n);
      const cur = await get('agent', `/api/v1/tickets/${o.id}`);
      if (cur.statusCode === 200) await act(t, h.agent as H, o.id, 'urge', { version: cur.json().ticket.version, note: `催办${o.tag}` });
    }
    const rect = await post('leader', '/api/v1/rectifications', {
      unitId: units[s.rectUnit],
      problem: '举报反映收费问题，限期整改',
      measures: '开展自查自纠',
      ticketIds: [...new Set(s.rectOrders.map((n) => pick(n).id))],
    });
    if (rect.statusCode === 201) rects.push(rect.json().rectification.id);
    const outage = await post('agent', '/api/v1/outages', {
      kind: 'fault',
      title: `故障停电${run}`,
      cause: '线路故障',
      unitIds: [units['SFX-CG']],
      startAt: '2026-11-02T01:00:00.000Z',
    });
    if (outage.statusCode === 201) {
      const oid = outage.json().outage?.id ?? outage.json().id;
      outages.push(oid);
      for (const n of s.outageOrders) await post('agent', `/api/v1/outages/${oid}/orders`, { ticketId: pick(n).id });
    }
    t.clock.advance(60_000);
  }

  /** Every read path of every actor: nothing of a hidden order (number, text, customer) in any response. */
  async function check() {
    for (const a of ACTORS) {
      const hidden = orders.filter((o) => !maySee(a, o));
      const bodies: Array<[string, string]> = [];
      const read = async (url: string) => bodies.push([url, (await get(a.user, url)).body]);
      await read('/api/v1/tickets?limit=200&sort=created');
      await read('/api/v1/search?q=机密&limit=100');
      await read('/api/v1/notifications/?limit=200');
      await read('/api/v1/rectifications');
      for (const r of rects) await read(`/api/v1/rectifications/${r}`);
      await read('/api/v1/outages');
      for (const o of outages) await read(`/api/v1/outages/${o}`);
      for (const o of orders) await read(`/api/v1/tickets/${o.id}`);
      await read('/api/v1/stats/export/tickets?format=csv');
      await read('/api/v1/stats/bulletin?month=2026-11');
      for (const o of hidden.filter((x) => x.phone).slice(0, 3)) await read(`/api/v1/customers/lookup?phone=${o.phone}`);
      for (const [url, body] of bodies)
        for (const o of hidden) {
          tally.checks++;
          for (const mark of [o.number, o.tag, ...(o.phone ? [o.phone] : [])])
            if (body.includes(mark)) tally.leaks.push(`${a.user} GET ${url} shows ${mark}`);
        }
      // And what may be seen is there: the list holds every visible order.
      const list = JSON.parse(bodies[0]?.[1] ?? '{}') as { items: Array<{ id: number }> };
      const listed = new Set(list.items.map((i) => i.id));
      for (const o of orders) if (maySee(a, o)) expect(listed.has(o.id), `${a.user} should list ${o.number}`).toBe(true);
    }
  }

  it('leaks nothing over random orders, named reports, links, merges, rectifications, outages and notifications', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        await build(s);
        tally.runs++;
        await check();
        expect(tally.leaks.slice(0, 10)).toEqual([]);
      }),
      { numRuns: 5, endOnFailure: true },
    );
  }, 180_000);
});
