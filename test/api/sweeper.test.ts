import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sweeper } from '../../server/jobs/sweeper.ts';
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
