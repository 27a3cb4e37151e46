import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Role } from '../../core/taxonomy.ts';
import { act, intake } from '../factories.ts';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

/**
 * The visibility rule over random organisations: random company trees (sub-companies, departments with stations
 * below them, stations), random staff (centre and unit roles, some holding both), random orders of every kind
 * (integrity reports naming units and staff), dispatches and returns, links, merges, urges, rectification orders,
 * outages and the notifications they raise. For every actor and every read path, nothing of an order the actor may
 * not see (number, subject, text, customer) is in the response, and every order they may see is in their list.
 *
 * Seeded: `VIS_SEED=<n>` replays a failing run (the seed is printed with the counts).
 */

type H = Record<string, string>;

const SEED = Number(process.env.VIS_SEED ?? 20261205);
const ROUNDS = 2;
const CENTRE: readonly Role[] = ['agent', 'reviewer', 'leader', 'discipline', 'analyst'];
const UNIT: readonly Role[] = ['handler', 'unit_lead'];

/** mulberry32: a small PRNG whose runs a seed reproduces. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    chance: (p: number) => next() < p,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T,
    /** Exactly min(n, xs.length) of the items. */
    sample: <T>(xs: readonly T[], n: number): T[] => {
      const pool = [...xs];
      const out: T[] = [];
      while (out.length < n && pool.length) out.push(pool.splice(int(pool.length), 1)[0] as T);
      return out;
    },
    some: <T>(xs: readonly T[], max: number): T[] => {
      const pool = [...xs];
      const out: T[] = [];
      for (let n = int(max + 1); n > 0 && pool.length; n--) out.push(pool.splice(int(pool.length), 1)[0] as T);
      return out;
    },
  };
}

interface Unit {
  id: number;
  code: string;
  kind: 'company' | 'department' | 'station';
  parent: Unit | null;
}
interface Staff {
  user: string;
  id: number;
  unit: Unit;
  roles: Role[];
  h: H;
}
interface Order {
  id: number;
  number: string;
  tag: string;
  phone: string | null;
  company: Unit;
  kind: string;
  namedUsers: Set<number>;
  namedUnits: Set<number>;
  unitsEver: Set<number>;
}

/** Whether `u` is `anc` or below it, by the parents the test built (not by the server's paths). */
function within(u: Unit, anc: Unit): boolean {
  for (let x: Unit | null = u; x; x = x.parent) if (x.id === anc.id) return true;
  return false;
}
const companyOf = (u: Unit): Unit => {
  let x: Unit | null = u;
  while (x && x.kind !== 'company') x = x.parent;
  return x as Unit;
};

/**
 * The rule written independently of the server: centre roles see the orders of their company and the companies
 * below it; unit roles the orders that were ever dispatched to their unit or below; nobody sees a report that names
 * them, their unit or a unit above it.
 */
function maySee(a: Staff, o: Order, units: Map<number, Unit>): boolean {
  if (o.namedUsers.has(a.id)) return false;
  for (const n of o.namedUnits) if (within(a.unit, units.get(n) as Unit)) return false;
  const centre = a.roles.some((r) => CENTRE.includes(r)) && within(o.company, companyOf(a.unit));
  const unit = a.roles.some((r) => UNIT.includes(r)) && [...o.unitsEver].some((u) => within(units.get(u) as Unit, a.unit));
  return centre || unit;
}

describeEachDb('visibility over random organisations: no read path shows an actor an order they may not see', (dialect) => {
  let t: TestApp;
  let admin: H;
  const rnd = prng(SEED + (dialect === 'postgres' ? 1 : 0));
  const units = new Map<number, Unit>();
  const staff: Staff[] = [];
  const orders: Order[] = [];
  const rects: number[] = [];
  const outages: number[] = [];
  const tally = {
    buildMs: 0,
    checkMs: 0,
    figures: 0,
    requests: 0,
    responses: 0,
    checks: 0,
    leaks: [] as string[],
    missing: [] as string[],
  };
  let loginNo = 0;
  const started = Date.now();

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-11-02T02:00:00.000Z'),
      env: {
        GRIDVOICE_SESSION_IDLE_MINUTES: '10080',
        // Password hashing for dozens of staff stalls the event loop; load shedding would answer 503 meanwhile.
        GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: '0',
      },
    });
    admin = await t.login('admin');
  });
  afterAll(async () => {
    const actorsChecked = staff.length + 1;
    console.log(
      `[visibility-orgs ${dialect}] seed=${SEED} companies=${[...units.values()].filter((u) => u.kind === 'company').length} ` +
        `units=${units.size} actors=${actorsChecked} orders=${orders.length} (reports ${orders.filter((o) => o.kind === 'report').length}, ` +
        `naming someone ${orders.filter((o) => o.namedUnits.size + o.namedUsers.size > 0).length}) rectifications=${rects.length} ` +
        `outages=${outages.length} requests=${tally.requests} actor×response×hidden-order checks=${tally.checks} ` +
        `leaks=${tally.leaks.length} figures=${tally.figures} missing=${tally.missing.length} in ${Math.round((Date.now() - started) / 1000)} s ` +
        `(building ${Math.round(tally.buildMs / 1000)} s, reading ${Math.round(tally.checkMs / 1000)} s)`,
    );
    await t?.close();
  });

  const get = async (h: H, url: string) => {
    tally.requests++;
    const res = await t.app.inject({ method: 'GET', url, headers: h });
    expect(res.statusCode, `GET ${url}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
    return res;
  };
  const post = (h: H, url: string, payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url, headers: h, payload });

  async function addUnit(round: number, kind: Unit['kind'], parent: Unit | null): Promise<Unit> {
    const code = `R${round}${kind[0]}${units.size}`;
    const res = await post(admin, '/api/v1/org-units', {
      code,
      name: `${kind === 'company' ? '公司' : kind === 'station' ? '供电所' : '部门'}${code}`,
      kind,
      parentId: parent?.id ?? null,
      areaType: rnd.chance(0.5) ? 'urban' : 'rural',
      customerCount: 10_000,
    });
    expect(res.statusCode, res.body).toBe(201);
    const u: Unit = { id: res.json().unit?.id ?? res.json().id, code, kind, parent };
    units.set(u.id, u);
    return u;
  }

  async function addStaff(unit: Unit, roles: Role[]): Promise<Staff> {
    const user = `v${staff.length}_${roles.join('_')}`.slice(0, 32);
    const u = await t.app.services.users.create(null, {
      username: user,
      displayName: `员工${user}`,
      unitId: unit.id,
      roles,
      password: DEMO_PASSWORD,
      mustChangePassword: false,
    });
    // Each login from its own address: the login rate limit is per address.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: user, password: DEMO_PASSWORD },
      remoteAddress: `10.9.${Math.floor(loginNo / 200)}.${loginNo++ % 200}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gv_session');
    const s: Staff = {
      user,
      id: u.id,
      unit,
      roles,
      h: { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' },
    };
    staff.push(s);
    return s;
  }

  /** One company with its centre, departments with stations below them, stations, and their staff. */
  async function addCompany(round: number, parent: Unit | null) {
    const company = await addUnit(round, 'company', parent);
    const centre = await addUnit(round, 'department', company);
    const targets: Unit[] = [];
    for (let i = 1 + rnd.int(2); i > 0; i--) {
      const dept = await addUnit(round, 'department', company);
      targets.push(dept);
      for (let j = rnd.int(3); j > 0; j--) targets.push(await addUnit(round, 'station', dept));
    }
    for (let i = 1 + rnd.int(2); i > 0; i--) targets.push(await addUnit(round, 'station', company));
    const agent = await addStaff(centre, ['agent']);
    const leader = await addStaff(company, ['leader']);
    for (const r of rnd.some(['reviewer', 'discipline', 'analyst'] as Role[], 2)) await addStaff(centre, [r]);
    for (const u of targets) {
      await addStaff(u, [rnd.chance(0.5) ? 'handler' : 'unit_lead']);
      if (rnd.chance(0.3)) await addStaff(u, rnd.chance(0.5) ? ['handler', 'analyst'] : ['unit_lead', 'handler']);
    }
    return { company, targets, agent, leader };
  }

  async function round(r: number) {
    const top = await addCompany(r, null);
    const companies = [top];
    if (rnd.chance(0.7)) companies.push(await addCompany(r, top.company));
    const mine: Order[] = [];
    for (const c of companies) {
      const colleagues = staff.filter((s) => within(s.unit, c.company) && s.id !== c.agent.id);
      const nameable = [...c.targets, ...companies.filter((x) => x !== c && within(x.company, c.company)).map((x) => x.company)];
      for (let i = 5 + rnd.int(3); i > 0; i--) {
        const tag = `Vq${r}o${orders.length}X`;
        const roll = rnd.next();
        const kind = roll < 0.4 ? 'complaint' : roll < 0.75 ? 'integrity' : roll < 0.85 ? 'theft' : 'opinion';
        const phone = kind === 'complaint' ? `137${String(orders.length).padStart(8, '0')}` : null;
        const namedUnits = kind === 'integrity' ? rnd.some(nameable, 2) : [];
        const namedUsers = kind === 'integrity' ? rnd.some(colleagues, 2) : [];
        const body: Record<string, unknown> =
          kind === 'integrity'
            ? {
                kind: 'report',
                channel: 'phone',
                classCode: 'integrity.bribery',
                subject: `机密举报${tag}`,
                description: `机密举报内容${tag}，有人收取好处费`,
                reporter: { name: `举报人${tag}`, phone: '13600002222' },
                namedUnitIds: namedUnits.map((u) => u.id),
                namedUserIds: namedUsers.map((u) => u.id),
              }
            : kind === 'theft'
              ? {
                  kind: 'report',
                  channel: 'phone',
                  classCode: 'theft',
                  subject: `机密窃电${tag}`,
                  description: `机密窃电${tag}，私拉乱接`,
                  anonymous: true,
                }
              : kind === 'opinion'
                ? {
                    kind: 'opinion',
                    channel: 'web',
                    classCode: 'general',
                    subject: `机密意见${tag}`,
                    description: `机密意见${tag}，延长营业时间`,
                  }
                : {
                    kind: 'complaint',
                    channel: 'phone',
                    classCode: 'business.billing',
                    subject: `机密投诉${tag}`,
                    description: `机密投诉内容${tag}，电费翻倍`,
                    location: `城关镇人民路${tag}号`,
                    customer: { name: `客户${tag}`, phone, account: `33${String(orders.length).padStart(8, '0')}` },
                  };
        const res = await intake(t, c.agent.h, body);
        expect(res.statusCode, res.body).toBe(201);
        const tk = res.json().ticket as { id: number; number: string };
        const o: Order = {
          id: tk.id,
          number: tk.number,
          tag,
          phone,
          company: c.company,
          kind: kind === 'integrity' || kind === 'theft' ? 'report' : kind,
          namedUsers: new Set(namedUsers.map((u) => u.id)),
          namedUnits: new Set(namedUnits.map((u) => u.id)),
          unitsEver: new Set(),
        };
        // Dispatch (the server refuses a named unit or one above it), sometimes returned and dispatched on.
        let version = 1;
        const sub = companies.filter((x) => within(x.company, c.company)).flatMap((x) => x.targets);
        for (let hop = rnd.chance(0.3) ? 2 : rnd.chance(0.85) ? 1 : 0; hop > 0; hop--) {
          const target = rnd.pick(sub);
          const d = await act(t, c.agent.h, o.id, 'dispatch', { version, unitId: target.id });
          if (d.statusCode !== 200) break;
          version++;
          o.unitsEver.add(target.id);
          if (hop === 1) break;
          const back = staff.find((s) => s.unit === target && s.roles.includes('handler') && !o.namedUsers.has(s.id));
          if (!back) break;
          const ret = await act(t, back.h, o.id, 'return', { version, reason: 'wrong_unit' });
          if (ret.statusCode !== 200) break;
          version++;
        }
        mine.push(o);
        orders.push(o);
        t.clock.advance(60_000);
      }
      // Links, merges and urges by the company's agent.
      const ofCompany = mine.filter((o) => within(o.company, c.company));
      for (let i = rnd.int(4); i > 0; i--) {
        const [a, b] = [rnd.pick(ofCompany), rnd.pick(ofCompany)];
        if (a !== b) await post(c.agent.h, `/api/v1/tickets/${a.id}/links`, { otherId: b.id });
      }
      const undispatched = ofCompany.filter((o) => o.unitsEver.size === 0);
      if (undispatched.length && rnd.chance(0.6)) {
        const a = rnd.pick(undispatched);
        const b = rnd.pick(ofCompany);
        if (a !== b) await act(t, c.agent.h, a.id, 'merge', { version: 1, duplicateOfId: b.id });
      }
      for (const o of rnd.some(ofCompany, 3)) {
        const cur = await get(c.agent.h, `/api/v1/tickets/${o.id}`);
        if (cur.statusCode === 200) await act(t, c.agent.h, o.id, 'urge', { version: cur.json().ticket.version, note: `催办${o.tag}` });
      }
      // A rectification order for a random unit citing random orders of the company, and an outage linking some.
      const rect = await post(c.leader.h, '/api/v1/rectifications', {
        unitId: rnd.pick(c.targets).id,
        problem: '群众反映的问题，限期整改',
        measures: '开展自查自纠',
        ticketIds: rnd.some(ofCompany, 4).map((o) => o.id),
      });
      if (rect.statusCode === 201) rects.push(rect.json().rectification.id);
      const stations = c.targets.filter((u) => u.kind === 'station');
      if (stations.length) {
        const outage = await post(c.agent.h, '/api/v1/outages', {
          kind: 'fault',
          title: `故障停电${c.company.code}`,
          cause: '线路故障',
          unitIds: rnd
            .some(stations, 2)
            .concat(stations.slice(0, 1))
            .map((u) => u.id)
            .filter((x, i, all) => all.indexOf(x) === i),
          startAt: '2026-11-02T01:00:00.000Z',
        });
        expect(outage.statusCode, outage.body).toBe(201);
        const oid = outage.json().outage?.id ?? outage.json().id;
        outages.push(oid);
        for (const o of rnd.some(ofCompany, 3)) await post(c.agent.h, `/api/v1/outages/${oid}/orders`, { ticketId: o.id });
      }
    }
  }

  /** Every read path of every actor; a hidden order's marks in any response is a leak. */
  async function check() {
    const anonymous = { user: '(anonymous)', h: {} as H };
    for (const a of [...staff, anonymous]) {
      const hidden = 'id' in a ? orders.filter((o) => !maySee(a as Staff, o, units)) : orders;
      const stats = 'roles' in a && (a as Staff).roles.some((r) => r === 'leader' || r === 'analyst');
      const bodies: Array<[string, string]> = [];
      const read = async (url: string) => bodies.push([url, (await get(a.h, url)).body]);
      if ('id' in a) {
        const listed = new Set<number>();
        let cursor: string | null = null;
        do {
          const res = await get(a.h, `/api/v1/tickets?limit=200&sort=created${cursor ? `&cursor=${cursor}` : ''}`);
          bodies.push(['/api/v1/tickets', res.body]);
          const page = res.json() as { items: Array<{ id: number }>; nextCursor: string | null };
          for (const i of page.items) listed.add(i.id);
          cursor = page.nextCursor;
        } while (cursor);
        for (const o of orders)
          if (maySee(a as Staff, o, units) && !listed.has(o.id))
            tally.missing.push(
              `${a.user} (unit ${(a as Staff).unit.code}) misses ${o.number} (company ${o.company.code}, units ever ${[...o.unitsEver]
                .map((u) => units.get(u)?.code)
                .join('/')}, names ${[...o.namedUnits].map((u) => units.get(u)?.code).join('/')} and users ${[...o.namedUsers].join('/')})`,
            );
        await read('/api/v1/tickets?queue=open&limit=200');
        await read('/api/v1/search?q=机密&limit=100');
        await read('/api/v1/notifications/?limit=200');
        await read('/api/v1/rectifications');
        for (const r of rects) await read(`/api/v1/rectifications/${r}`);
        await read('/api/v1/outages');
        for (const o of outages) await read(`/api/v1/outages/${o}`);
        // A sample of the hidden orders' details and a few visible ones (the list above holds all of those); every
        // hidden order is looked for in all the other responses.
        const visible = orders.filter((o) => maySee(a as Staff, o, units));
        for (const o of [...rnd.sample(hidden, 10), ...rnd.sample(visible, 3)]) {
          const res = await get(a.h, `/api/v1/tickets/${o.id}`);
          bodies.push([`/api/v1/tickets/${o.id}`, res.body]);
          const may = maySee(a as Staff, o, units);
          if (may !== (res.statusCode === 200)) tally.missing.push(`${a.user} GET ${o.number} answers ${res.statusCode}, may see: ${may}`);
        }
        for (const o of hidden.slice(0, 3)) {
          await read(`/api/v1/tickets/${o.id}/deadlines`);
          await read(`/api/v1/outages/for-order/${o.id}`);
          await read(`/api/v1/scripts/for-order/${o.id}`);
        }
        await read('/api/v1/stats/export/tickets?format=csv');
        await read('/api/v1/stats/bulletin?month=2026-11');
        for (const o of hidden.filter((x) => x.phone).slice(0, 2)) await read(`/api/v1/customers/lookup?phone=${o.phone}`);
        if (stats) {
          await read('/api/v1/stats/reports/words?period=2026-11');
          await read('/api/v1/stats/reports/repeats?period=2026-11');
          await read('/api/v1/stats/cockpit?month=2026-11');
          // Every figure counts exactly the orders it drills to: none hidden from the reader.
          const fig = (await get(a.h, '/api/v1/stats?period=2026-11&groupBy=kind')).json() as {
            rows: Array<{ measures: { n: number }; drill: Record<string, string> }>;
            total: { measures: { n: number }; drill: Record<string, string> };
          };
          for (const row of [...fig.rows, fig.total]) {
            tally.figures++;
            const q = new URLSearchParams({ ...row.drill, limit: '200' });
            const n = ((await get(a.h, `/api/v1/tickets?${q}`)).json() as { items: unknown[] }).items.length;
            if (n !== row.measures.n) tally.missing.push(`${a.user} counts ${row.measures.n} but drills to ${n}: ${q}`);
          }
        }
      } else {
        await read('/open311/v2/requests.json');
        await read('/api/public/stats');
      }
      tally.responses += bodies.length;
      for (const [url, body] of bodies)
        for (const o of hidden) {
          tally.checks++;
          for (const mark of [o.number, o.tag, ...(o.phone ? [o.phone] : [])])
            if (body.includes(mark)) tally.leaks.push(`${a.user} GET ${url} shows ${mark}`);
        }
    }
  }

  it('leaks nothing and hides nothing visible, over random organisations, orders and the records citing them', async () => {
    for (let r = 0; r < ROUNDS; r++) {
      const t0 = Date.now();
      await round(r);
      const t1 = Date.now();
      await check();
      tally.buildMs += t1 - t0;
      tally.checkMs += Date.now() - t1;
      expect(tally.leaks.slice(0, 10), `seed ${SEED}`).toEqual([]);
      expect(tally.missing.slice(0, 10), `seed ${SEED}`).toEqual([]);
    }
    // The scenarios are not vacuous: reports named someone, and some actors could not see some orders.
    expect(orders.filter((o) => o.namedUnits.size + o.namedUsers.size > 0).length).toBeGreaterThan(2);
    expect(tally.checks).toBeGreaterThan(1000);
  }, 240_000);
});
