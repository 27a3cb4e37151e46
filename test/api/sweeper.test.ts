import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEASURES } from '../../core/stats.ts';
import { Sweeper } from '../../server/jobs/sweeper.ts';
import { StatsRepository } from '../../server/repositories/stats.repository.ts';
import { applyAllWithEvents } from '../../server/services/event-writer.ts';
import { act, HOUR, intake, unitId, userId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('deadline sweeper', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const clock = testClock('2026-11-10T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    for (const u of ['agent']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  /** A sweeper over the app's services with small batches, so that a handful of orders spans several. */
  function sweeper(batchSize: number): Sweeper {
    const s = t.app.services;
    return new Sweeper(t.db.kysely, t.db.dialect, s.repos.tickets, s.notifications, s.hooks, clock, { batchSize });
  }

  async function dispatched(code: string): Promise<number> {
    const res = await intake(t, h.agent as H);
    expect(res.statusCode, res.body).toBe(201);
    const id = JSON.parse(res.body).ticket.id as number;
    const r = await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: await unitId(t, code) });
    expect(r.statusCode, r.body).toBe(200);
    return id;
  }

  const row = (id: number) =>
    t.db.kysely.selectFrom('tickets').select(['version', 'next_check_at', 'overdue']).where('id', '=', id).executeTakeFirstOrThrow();

  /** Moves an order's next check time, as a change that left it early would. */
  const setCheck = (id: number, at: string) => t.db.kysely.updateTable('tickets').set({ next_check_at: at }).where('id', '=', id).execute();

  async function events(ids: number[]) {
    return t.db.kysely
      .selectFrom('ticket_events')
      .select(['ticket_id', 'action'])
      .where('ticket_id', 'in', ids)
      .where('action', 'in', ['warning', 'overdue'])
      .execute();
  }

  /** The sweeper's notices (warnings, overdue, escalations) about the orders. */
  async function notices(ids: number[]) {
    return t.db.kysely
      .selectFrom('notifications')
      .select(['ticket_id', 'user_id', 'kind', 'dedupe_key'])
      .where('ticket_id', 'in', ids)
      .where('kind', 'in', ['warning', 'overdue', 'escalated'])
      .orderBy('id')
      .execute();
  }

  describe('a pass over batches mixing orders with and without findings', () => {
    it('records each finding once, notifies each unit’s staff once per finding and reschedules the rest', async () => {
      // Four orders at 城关 and one at 东城 go past their 24-hour first-contact deadline.
      const late = [await dispatched('SFX-CG'), await dispatched('SFX-CG'), await dispatched('SFX-DC'), await dispatched('SFX-CG')];
      clock.advance(20 * HOUR);
      // Two recent orders whose next check time is stale (as after a change that left it early): no findings.
      const early = [await dispatched('SFX-CG'), await dispatched('SFX-DC')];
      const before = await Promise.all(early.map(row));
      await setCheck(early[0] as number, '2026-11-10T02:00:00.000Z');
      clock.advance(5 * HOUR);
      const lateCheck = (await row(late[0] as number)).next_check_at as string;
      await setCheck(early[1] as number, lateCheck);

      // Batches of 3 over the 6 due orders, earliest check first: the first batch holds the stale order and two
      // late ones, the second the other late ones and the second stale order (its check time ties with theirs).
      const r = await sweeper(3).runOnce();
      expect(r).toEqual({ orders: 4, warnings: 0, overdue: 4 });

      const ev = await events([...late, ...early]);
      expect(ev.map((e) => e.ticket_id).sort((a, b) => a - b)).toEqual([...late].sort((a, b) => a - b));
      expect(ev.every((e) => e.action === 'overdue')).toBe(true);
      for (const [i, id] of early.entries()) expect(await row(id)).toEqual(before[i]);
      for (const id of late) expect((await row(id)).overdue).toBe(1);

      // 城关: the handler and the unit lead; 东城: its handler; escalations to the company's leader.
      const cg = [await userId(t, 'handler'), await userId(t, 'unitlead')].sort((a, b) => a - b);
      const dc = [await userId(t, 'handler2')];
      const leader = await userId(t, 'leader');
      const n = await notices(late);
      for (const [i, id] of late.entries()) {
        const mine = n.filter((x) => x.ticket_id === id);
        const staff = mine.filter((x) => x.kind === 'overdue').map((x) => x.user_id);
        expect(staff.sort((a, b) => a - b)).toEqual(i === 2 ? dc : cg);
        expect(mine.filter((x) => x.kind === 'escalated').map((x) => x.user_id)).toEqual([leader]);
      }
      expect(new Set(n.map((x) => x.dedupe_key)).size).toBe(n.length);
      expect(await notices(early)).toEqual([]);

      // A second pass finds nothing new: no events, no notices.
      expect(await sweeper(3).runOnce()).toEqual({ orders: 0, warnings: 0, overdue: 0 });
      expect(await events([...late, ...early])).toHaveLength(4);
      expect(await notices(late)).toHaveLength(n.length);
      expect((await t.app.services.chain.verify()).broken).toEqual([]);
    });

    it('records a later finding on an order once its next check time comes', async () => {
      const id = await dispatched('SFX-CG');
      // A stale check time first: nothing to record, the real next check time is restored.
      const { next_check_at: next } = await row(id);
      await setCheck(id, clock().toISOString());
      expect(await sweeper(200).runOnce()).toEqual({ orders: 0, warnings: 0, overdue: 0 });
      expect((await row(id)).next_check_at).toBe(next);
      clock.set(new Date(Date.parse(next as string) + 1000));
      await sweeper(200).runOnce();
      await sweeper(200).runOnce();
      expect(await events([id])).toHaveLength(1);
      expect((await row(id)).next_check_at).not.toBe(next);
    });

    it('writes the due time of a warning in Shanghai wall time, not as a UTC instant', async () => {
      const id = await dispatched('SFX-CG');
      const clocks = await t.db.kysely.selectFrom('tickets').select('first_contact_due_at').where('id', '=', id).executeTakeFirstOrThrow();
      const due = clocks.first_contact_due_at as string;
      // The 24-hour first-contact window warns with a quarter left.
      clock.set(new Date(Date.parse(due) - HOUR));
      await sweeper(200).runOnce();
      const texts = await t.db.kysely
        .selectFrom('notifications')
        .select('text')
        .where('ticket_id', '=', id)
        .where('kind', '=', 'warning')
        .execute();
      expect(texts.length).toBeGreaterThan(0);
      const local = new Date(Date.parse(due) + 8 * HOUR).toISOString();
      for (const x of texts) {
        expect(x.text).toContain(`${local.slice(0, 4)}年${local.slice(5, 7)}月${local.slice(8, 10)}日 ${local.slice(11, 16)}`);
        expect(x.text).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
      }
    });
  });
});

describeEachDb('deadline sweeper, a batch of orders with several findings each', (dialect) => {
  let t: TestApp;
  let agent: H;
  const clock = testClock('2026-11-10T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock,
      env: {
        GRIDVOICE_SESSION_IDLE_MINUTES: '10080',
        GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720',
        // Webhook messages are queued for every change (nothing delivers them here).
        GRIDVOICE_WEBHOOK_URLS: 'http://127.0.0.1:9/hook',
        GRIDVOICE_WEBHOOK_SECRET: 'webhook-secret-webhook-secret',
      },
    });
    agent = await t.login('agent');
  });
  afterAll(async () => t?.close());

  async function taken(): Promise<number> {
    const res = await intake(t, agent);
    expect(res.statusCode, res.body).toBe(201);
    return JSON.parse(res.body).ticket.id as number;
  }

  async function dispatchedTo(code: string): Promise<number> {
    const id = await taken();
    const r = await act(t, agent, id, 'dispatch', { version: 1, unitId: await unitId(t, code) });
    expect(r.statusCode, r.body).toBe(200);
    return id;
  }

  const rows = (ids: number[]) =>
    t.db.kysely
      .selectFrom('tickets')
      .select(['id', 'version', 'clocks', 'overdue', 'unit_id'])
      .where('id', 'in', ids)
      .orderBy('id')
      .execute();

  /** What the database holds about the orders that a pass could add to. */
  async function written(ids: number[]) {
    const [events, notices, outbox] = await Promise.all([
      t.db.kysely
        .selectFrom('ticket_events')
        .select(['ticket_id', 'seq', 'action', 'input'])
        .where('ticket_id', 'in', ids)
        .orderBy('id')
        .execute(),
      t.db.kysely
        .selectFrom('notifications')
        .select(['ticket_id', 'user_id', 'kind', 'dedupe_key'])
        .where('ticket_id', 'in', ids)
        .orderBy('id')
        .execute(),
      t.db.kysely
        .selectFrom('outbox')
        .select(['ticket_id', 'channel', 'recipient', 'template', 'dedupe_key'])
        .where('ticket_id', 'in', ids)
        .orderBy('id')
        .execute(),
    ]);
    return { events, notices, outbox };
  }

  /** The statistics aggregates' non-zero rows, comparable across a rebuild. */
  async function aggregates() {
    const all = await new StatsRepository(t.db.kysely).all();
    return all
      .filter((r) => MEASURES.some((m) => Number(r[m]) !== 0))
      .map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' || v === null ? v : Number(v)])))
      .sort();
  }

  it('writes every finding as its own chained event, notifies once per finding and finds nothing on a second pass', async () => {
    // Staff with phones get SMS through the outbox: 城关's handler and lead, 东城's handler.
    for (const [username, phone] of [
      ['handler', '13700000001'],
      ['unitlead', '13700000002'],
      ['handler2', '13700000003'],
    ] as const)
      await t.db.kysely.updateTable('users').set({ phone }).where('username', '=', username).execute();
    const cg = [await dispatchedTo('SFX-CG'), await dispatchedTo('SFX-CG'), await dispatchedTo('SFX-CG')];
    const dc = [await dispatchedTo('SFX-DC'), await dispatchedTo('SFX-DC')];
    const waiting = await taken();
    const ids = [...cg, ...dc, waiting];
    const before = await rows(ids);
    const had = await written(ids);

    // Sixty days on, every clock still running is past its due time: each order has several overdue findings.
    clock.advance(60 * 24 * HOUR);
    const running = new Map(
      before.map((r) => [
        r.id,
        Object.entries(JSON.parse(r.clocks) as Record<string, { metAt: string | null; overdue: boolean }>)
          .filter(([, c]) => !c.metAt && !c.overdue)
          .map(([k]) => k),
      ]),
    );
    for (const id of ids) expect((running.get(id) ?? []).length, `order ${id}`).toBeGreaterThanOrEqual(2);
    const findings = [...running.values()].reduce((n, c) => n + c.length, 0);

    // Batches of 4: each batch holds several orders, each with several findings.
    const s = t.app.services;
    const sweeper = new Sweeper(t.db.kysely, t.db.dialect, s.repos.tickets, s.notifications, s.hooks, clock, { batchSize: 4 });
    expect(await sweeper.runOnce()).toEqual({ orders: ids.length, warnings: 0, overdue: findings });
    expect(sweeper.lastPass.batches).toBe(2);

    const after = await rows(ids);
    const now = await written(ids);
    const events = now.events.slice(had.events.length);
    for (const [i, r] of after.entries()) {
      const b = before[i] as (typeof before)[number];
      const clocks = running.get(r.id) ?? [];
      // One event per finding, each one more version of the order, all naming the clocks that ran out.
      const mine = events.filter((e) => e.ticket_id === r.id);
      expect(mine.map((e) => e.seq)).toEqual(clocks.map((_, k) => b.version + 1 + k));
      expect(mine.every((e) => e.action === 'overdue')).toBe(true);
      expect(mine.map((e) => JSON.parse(e.input).clock).sort()).toEqual([...clocks].sort());
      expect(r.version).toBe(b.version + clocks.length);
      expect(r.overdue).toBe(1);
      const c = JSON.parse(r.clocks) as Record<string, { overdue: boolean }>;
      for (const k of clocks) expect(c[k]?.overdue, `${r.id} ${k}`).toBe(true);
    }
    // Every chain links each new event to the one before it and ends at the row its last event recorded.
    expect((await s.chain.verify()).broken).toEqual([]);

    // Notices: each finding to the unit's staff (城关 two, 东城 one; an undispatched order has no unit) and
    // escalated to the company's leader, once each.
    const staffOf = (id: number) => (cg.includes(id) ? 2 : dc.includes(id) ? 1 : 0);
    const notices = now.notices.slice(had.notices.length);
    for (const id of ids) {
      const n = running.get(id)?.length ?? 0;
      expect(
        notices.filter((x) => x.ticket_id === id && x.kind === 'overdue'),
        `order ${id}`,
      ).toHaveLength(n * staffOf(id));
      expect(
        notices.filter((x) => x.ticket_id === id && x.kind === 'escalated'),
        `order ${id}`,
      ).toHaveLength(n);
    }
    expect(new Set(notices.map((x) => x.dedupe_key)).size).toBe(notices.length);
    // Outbox: an SMS per finding to each unit staff member with a phone, and a webhook per change.
    const outbox = now.outbox.slice(had.outbox.length);
    for (const id of ids) {
      const n = running.get(id)?.length ?? 0;
      const sms = outbox.filter((m) => m.ticket_id === id && m.channel === 'sms' && m.template === 'overdue');
      expect(sms.map((m) => m.recipient).sort(), `order ${id}`).toEqual(
        Array.from({ length: n }, () => (cg.includes(id) ? ['13700000001', '13700000002'] : dc.includes(id) ? ['13700000003'] : []))
          .flat()
          .sort(),
      );
      expect(
        outbox.filter((m) => m.ticket_id === id && m.channel === 'webhook'),
        `order ${id}`,
      ).toHaveLength(n);
    }
    expect(new Set(outbox.map((m) => m.dedupe_key)).size).toBe(outbox.length);

    // The statistics aggregates, kept per batch, are what a rebuild from the orders gives.
    const kept = await aggregates();
    await s.stats.rebuild();
    expect(await aggregates()).toEqual(kept);

    // A second pass records nothing: no event, notice or message more.
    expect(await sweeper.runOnce()).toEqual({ orders: 0, warnings: 0, overdue: 0 });
    const again = await written(ids);
    expect(again.events).toHaveLength(now.events.length);
    expect(again.notices).toHaveLength(now.notices.length);
    expect(again.outbox).toHaveLength(now.outbox.length);
  });

  it('writes nothing of a batch when one of its orders is no longer at the version it was loaded at', async () => {
    agent = await t.login('agent');
    const ids = [await dispatchedTo('SFX-CG'), await dispatchedTo('SFX-DC')];
    const before = await rows(ids);
    const had = await written(ids);
    const s = t.app.services;
    const loaded = await t.db.kysely.selectFrom('tickets').selectAll().where('id', 'in', ids).orderBy('id').execute();
    const change = (action: string) => ({
      set: {},
      event: { action, actorId: null, actorUnitId: null, to: 'dispatched', input: {}, at: clock().toISOString() },
    });
    // The second order is one version behind what was loaded (someone changed it meanwhile).
    const stale = { ...(loaded[1] as (typeof loaded)[number]), version: (loaded[1]?.version ?? 0) - 1 };
    await expect(
      t.db.kysely.transaction().execute((trx) =>
        applyAllWithEvents(s.repos.tickets, s.hooks, trx, [
          { ticket: loaded[0] as (typeof loaded)[number], changes: [change('warning'), change('overdue')] },
          { ticket: stale, changes: [change('warning')] },
        ]),
      ),
    ).rejects.toMatchObject({ code: 'ticket_changed' });
    expect(await rows(ids)).toEqual(before);
    expect(await written(ids)).toEqual(had);
    expect((await s.chain.verify()).broken).toEqual([]);
  });
});
