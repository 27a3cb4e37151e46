import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEASURES, type Measures } from '../../core/stats.ts';
import { KEY_COLUMNS } from '../../server/domain/stats/contribution.ts';
import { StatsRepository } from '../../server/repositories/stats.repository.ts';
import { StatsTicketRepository } from '../../server/repositories/stats-ticket.repository.ts';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/** A small deterministic PRNG (mulberry32) so a failure can be replayed. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CLASSES = ['business.billing', 'business.fees', 'service.attitude', 'outage.repair', 'quality.voltage', null];
const CHANNELS = ['phone', 'web', 'wechat', 'counter'];
const OUTCOMES = ['satisfied', 'basically', 'dissatisfied', 'unreachable'];
const VERIFY = ['substantiated', 'partly', 'unsubstantiated'];
const CAUSES = ['billing_error', 'weak_grid', 'staff_conduct', 'customer_misunderstanding'];

const keyOf = (r: Record<string, unknown>, bucket: string) => [bucket, ...KEY_COLUMNS.map((c) => String(r[c]))].join('|');

describeEachDb('statistics aggregates', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-06-28T15:00:00.000Z'),
      env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720', GRIDVOICE_MAX_EVENT_LOOP_DELAY_MS: '0' },
    });
    for (const u of ['agent', 'handler', 'handler2', 'reviewer', 'leader', 'unitlead']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  /** Logs in from a distinct address each time, so the login rate limit (per address) stays out of the way. */
  async function login(username: string, n: number): Promise<H> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username, password: DEMO_PASSWORD },
      remoteAddress: `10.0.${n % 250}.${username.length}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'gv_session');
    return { cookie: `gv_session=${cookie?.value}`, origin: 'http://localhost:80', host: 'localhost:80' };
  }

  async function randomMix(seed: number, orders: number) {
    const r = rng(seed);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)] as T;
    const units = { 'SFX-CG': await unitId(t, 'SFX-CG'), 'SFX-DC': await unitId(t, 'SFX-DC') };
    const handlerOf = (c: 'SFX-CG' | 'SFX-DC') => (c === 'SFX-CG' ? h.handler : h.handler2) as H;
    for (let i = 0; i < orders; i++) {
      // The clock runs days ahead per order; fresh sessions keep idle timeouts out of the way.
      if (i % 3 === 0) for (const u of Object.keys(h)) h[u] = await login(u, i);
      // Spread intake over a Shanghai midnight and a half-year boundary so day and month buckets both matter.
      t.clock.advance(r() * 3 * HOUR);
      const cls = pick(CLASSES);
      const body = complaintBody({
        channel: pick(CHANNELS),
        ...(cls ? { classCode: cls } : { classCode: null }),
        customer: { name: '客户', phone: `1380000${String(Math.floor(r() * 40)).padStart(4, '0')}` },
      });
      const res = await intake(t, h.agent as H, body);
      expect(res.statusCode, res.body).toBe(201);
      const id = JSON.parse(res.body).ticket.id as number;
      let v = 1;
      const step = async (who: H, action: string, input: Record<string, unknown> = {}) => {
        const x = await act(t, who, id, action, { version: v, ...input });
        expect(x.statusCode, `${action}: ${x.body}`).toBe(200);
        v = JSON.parse(x.body).ticket.version;
        return JSON.parse(x.body).ticket.state as string;
      };
      const depth = r();
      if (depth < 0.1) {
        await step(h.agent as H, 'invalidate', { reason: 'test' });
        continue;
      }
      if (depth < 0.2) continue;
      if (r() < 0.3) await step(h.agent as H, 'grade', { grade: pick(['important', 'major']) });
      const code = pick(['SFX-CG', 'SFX-DC'] as const);
      await step(h.agent as H, 'dispatch', { unitId: units[code] });
      if (depth < 0.3) continue;
      if (r() < 0.25) {
        await step(handlerOf(code), 'return', { reason: 'wrong_unit' });
        await step(h.agent as H, 'dispatch', { unitId: units[code] });
      }
      await step(handlerOf(code), 'sign');
      t.clock.advance(r() * 30 * HOUR);
      await step(handlerOf(code), 'contact', { note: '已联系客户', method: 'phone' });
      if (depth < 0.45) continue;
      t.clock.advance(r() * 80 * HOUR);
      const reply = {
        verification: pick(VERIFY),
        rootCause: pick(CAUSES),
        responsibility: 'company',
        replyText: '经核实已处理完毕并答复客户。',
      };
      await step(handlerOf(code), 'reply', reply);
      if (r() < 0.3) {
        await step(h.reviewer as H, 'reject', { reason: '请补充' });
        await step(handlerOf(code), 'reply', reply);
      }
      await step(h.reviewer as H, 'approve');
      if (depth < 0.6) continue;
      let state = await step(h.agent as H, 'revisit', { outcome: pick(OUTCOMES), note: '回访' });
      if (state === 'dispatched') {
        await step(handlerOf(code), 'sign');
        await step(handlerOf(code), 'contact', { note: '再次联系', method: 'phone' });
        await step(handlerOf(code), 'reply', reply);
        await step(h.reviewer as H, 'approve');
        state = await step(h.agent as H, 'revisit', { outcome: 'satisfied', note: '回访' });
      }
      if (state === 'closed' && code === 'SFX-CG' && r() < 0.3) await step(h.unitlead as H, 'appeal', { grounds: '申诉理由' });
      if (r() < 0.3) await t.app.services.sweeper.runOnce();
    }
    t.clock.advance(200 * HOUR);
    await t.app.services.sweeper.runOnce();
  }

  async function compareAll() {
    const agg = await new StatsRepository(t.db.kysely).all();
    const direct = await new StatsTicketRepository(t.db.kysely, t.db.dialect).direct({
      fromIso: '2000-01-01T00:00:00.000Z',
      toIso: '2100-01-01T00:00:00.000Z',
      groupBy: ['day', ...KEY_COLUMNS],
      where: {},
    });
    const want = { d: new Map<string, Measures>(), m: new Map<string, Measures>(), c: new Map<string, Measures>() };
    const coarse = { channel: '*', grade: '*', verification: '*', root_cause: '*' };
    for (const row of direct) {
      const day = String(row.day);
      for (const [grain, bucket, r] of [
        ['d', day, row],
        ['m', day.slice(0, 7), row],
        ['c', day.slice(0, 7), { ...row, ...coarse }],
      ] as const) {
        const k = keyOf(r, bucket);
        const cur = want[grain].get(k);
        if (cur) for (const m of MEASURES) cur[m] += row.m[m];
        else want[grain].set(k, { ...row.m });
      }
    }
    let figures = 0;
    for (const grain of ['d', 'm', 'c'] as const) {
      const got = new Map<string, Measures>();
      for (const row of agg.filter((x) => x.grain === grain)) {
        const m = Object.fromEntries(MEASURES.map((k) => [k, Number(row[k])])) as Measures;
        // Rows whose orders all moved elsewhere stay behind as zeros; they hold no figure.
        if (MEASURES.every((k) => m[k] === 0)) continue;
        got.set(keyOf(row as unknown as Record<string, unknown>, row.bucket), m);
      }
      expect([...got.keys()].sort()).toEqual([...want[grain].keys()].sort());
      for (const [k, m] of want[grain]) {
        expect(got.get(k), k).toEqual(m);
        figures += MEASURES.length;
      }
    }
    return figures;
  }

  describe('kept by the ticket hook', () => {
    it('matches a direct count over the orders in every figure after a random mix of actions', async () => {
      await randomMix(20261127, 40);
      const figures = await compareAll();
      expect(figures).toBeGreaterThan(100);
    }, 120_000);

    it('is rebuilt from the orders to the same figures (gridvoice stats rebuild)', async () => {
      const before = await t.app.services.stats.rebuild();
      expect(before.orders).toBe(40);
      await compareAll();
    });
  });
});
