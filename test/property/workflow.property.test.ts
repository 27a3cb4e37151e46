import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { permissionsOf } from '../../core/permissions.ts';
import type { Role } from '../../core/taxonomy.ts';
import { ACTION_CODES, ACTIONS, type ActionCode, type FieldSpec } from '../../core/workflow/index.ts';
import type { Clocks } from '../../server/domain/clocks.ts';
import { DEMO_USERS } from '../../server/seed/demo-org.ts';
import { act, complaintBody, HOUR, intake } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/** One step of a random walk: which action, by whom, with which body, after how long. */
interface Step {
  plausible: number;
  action: number;
  actor: number;
  stale: number;
  omit: number;
  pick: number;
  advanceH: number;
  sweep: boolean;
}

const step: fc.Arbitrary<Step> = fc.record({
  plausible: fc.integer({ min: 0, max: 99 }),
  action: fc.nat(),
  actor: fc.nat(),
  stale: fc.integer({ min: 0, max: 99 }),
  omit: fc.integer({ min: 0, max: 99 }),
  pick: fc.nat(),
  advanceH: fc.integer({ min: 0, max: 60 }),
  sweep: fc.boolean(),
});

const TEXTS = ['已电话联系客户，说明处理进度', '经核实，抄表员录入示数错误，已更正电费并致歉。', '请补充材料', '<b>x</b>'];

describeEachDb('workflow invariants under random action sequences', (dialect) => {
  let t: TestApp;
  const clock = testClock('2026-11-02T02:00:00.000Z');
  const h: Record<string, H> = {};
  const units: number[] = [];
  const orders: number[] = [];

  beforeAll(async () => {
    // A walk spans up to 40 simulated days, longer than the longest idle window a session may have:
    // `as` logs a user in again when the simulated time has outlived their session.
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '8760' } });
    for (const u of DEMO_USERS) h[u.username] = await t.login(u.username);
    units.push(...(await t.db.kysely.selectFrom('org_units').select('id').execute()).map((u) => u.id));
  });
  afterAll(async () => t?.close());

  /** Sends a request as a demo user, logging in again once if the session expired in simulated time. */
  async function as<R extends { statusCode: number }>(username: string, send: (headers: H) => Promise<R>): Promise<R> {
    const first = await send(h[username] as H);
    if (first.statusCode !== 401) return first;
    h[username] = await t.login(username);
    return send(h[username] as H);
  }

  function body(action: ActionCode, s: Step, version: number): Record<string, unknown> {
    const out: Record<string, unknown> = { version: s.stale < 8 ? Math.max(1, version - 1) : version };
    for (const [name, spec] of Object.entries(ACTIONS[action].fields) as Array<[string, FieldSpec]>) {
      if ((spec.required ? s.omit < 5 : s.omit < 50) && name !== 'version') continue;
      const i = s.pick + name.length;
      if (spec.type === 'enum') out[name] = spec.values[i % spec.values.length];
      else if (spec.type === 'int') out[name] = name === 'unitId' ? units[i % units.length] : (orders[i % orders.length] ?? 1);
      else if (spec.type === 'datetime') out[name] = new Date(clock().getTime() + (1 + (i % 72)) * HOUR).toISOString();
      else out[name] = TEXTS[i % TEXTS.length];
    }
    return out;
  }

  async function invariants(id: number): Promise<void> {
    const ticket = await t.db.kysely.selectFrom('tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const events = await t.app.services.repos.tickets.events(id);
    const last = events.at(-1);
    expect(last?.to_state).toBe(ticket.state);
    expect(events).toHaveLength(ticket.version);
    if (ticket.state === 'closed') expect(ticket.satisfaction ?? ticket.close_reason).not.toBeNull();
    for (const [name, c] of Object.entries(JSON.parse(ticket.clocks) as Clocks)) {
      expect(c.due >= c.start, `${name} due ${c.due} before start ${c.start}`).toBe(true);
      expect(c.warn <= c.due, `${name} warns after it is due`).toBe(true);
    }
    if (ticket.next_due_at !== null) expect(ticket.next_due_at >= ticket.intake_at).toBe(true);
    expect(t.app.services.hooks.chain.verify(events, ticket)).toBeNull();
  }

  it('keeps state, version, outcome, deadlines and the hash chain consistent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 16 }), async (steps) => {
        // Each walk starts on the same day.
        clock.set('2026-11-02T02:00:00.000Z');
        const phone = `139${String(orders.length).padStart(8, '0')}`;
        const created = await as('agent', (headers) => intake(t, headers, complaintBody({ customer: { name: '张三', phone } })));
        expect(created.statusCode, created.body).toBe(201);
        const id = created.json().ticket.id as number;
        orders.push(id);
        let state = created.json().ticket.state as string;
        let version = created.json().ticket.version as number;
        for (const s of steps) {
          clock.advance(s.advanceH * HOUR);
          if (s.sweep) await t.app.services.sweeper.runOnce();
          const fitting = ACTION_CODES.filter((a) => {
            const from = ACTIONS[a].from;
            return from === 'open' ? state !== 'closed' : from.includes(state as never);
          });
          const plausible = s.plausible < 80 && fitting.length > 0;
          const action = plausible
            ? (fitting[s.action % fitting.length] as ActionCode)
            : (ACTION_CODES[s.action % ACTION_CODES.length] as ActionCode);
          const able = DEMO_USERS.filter((u) => permissionsOf(u.roles as Role[]).has(ACTIONS[action].permission));
          const users = plausible && able.length > 0 ? able : DEMO_USERS;
          const user = users[s.actor % users.length] as (typeof DEMO_USERS)[number];
          const res = await as(user.username, (headers) => act(t, headers, id, action, body(action, s, version)));
          expect(res.statusCode, `${action} by ${user.username}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode === 200) {
            state = res.json().ticket.state;
            version = res.json().ticket.version;
          } else {
            const now = await t.db.kysely.selectFrom('tickets').select(['state', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
            state = now.state;
            version = now.version;
          }
        }
        await invariants(id);
      }),
      { numRuns: 40 },
    );
    // The walks must get past intake, or the invariants were only checked on fresh orders.
    const states = await t.db.kysely.selectFrom('tickets').select('state').where('id', 'in', orders).execute();
    expect(new Set(states.map((r) => r.state)).size).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
