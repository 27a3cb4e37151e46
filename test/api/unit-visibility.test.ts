import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('work lists of a unit: orders it has now and orders that moved on from it', (dialect) => {
  let t: TestApp;
  let h: Record<string, H>;
  const ids: number[] = [];
  let moved = 0;

  const list = async (user: string, qs: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets?${qs}`, headers: h[user] });
    expect(res.statusCode, res.body).toBe(200);
    return JSON.parse(res.body) as { items: Array<{ id: number }>; nextCursor: string | null };
  };
  /** Every id of a list, page by page. */
  const all = async (user: string, qs: string) => {
    const out: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(user, `${qs}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      out.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  };

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z'), env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080' } });
    h = {};
    for (const u of ['agent', 'handler', 'handler2']) h[u] = await t.login(u);
    const cg = await unitId(t, 'SFX-CG');
    for (let i = 0; i < 5; i++) {
      const res = await intake(
        t,
        h.agent as H,
        complaintBody({ customer: { name: '张三', phone: `1370000${String(i).padStart(4, '0')}` } }),
      );
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().ticket.id as number;
      ids.push(id);
      t.clock.advance(HOUR);
      expect((await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: cg })).statusCode).toBe(200);
    }
    // One order goes back to the centre and on to 东城: 城关 keeps seeing it.
    moved = ids[2] as number;
    const ret = await act(t, h.handler as H, moved, 'return', { version: 2, reason: 'wrong_unit' });
    expect(ret.statusCode, ret.body).toBe(200);
    const again = await act(t, h.agent as H, moved, 'dispatch', { version: 3, unitId: await unitId(t, 'SFX-DC') });
    expect(again.statusCode, again.body).toBe(200);
  });
  afterAll(async () => t?.close());

  it('shows a unit the orders it has and those that moved on, each once, across pages in deadline order', async () => {
    const seen = await all('handler', 'queue=open');
    expect([...seen].sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(seen).size).toBe(seen.length);
    expect(await all('handler2', 'queue=open')).toEqual([moved]);
    // Sorted by creation too.
    expect(await all('handler', 'queue=open&sort=created')).toEqual([...ids].sort((a, b) => b - a));
  });

  it('marks the unit an order left, and clears the mark when it comes back', async () => {
    const marks = async () =>
      (
        await t.db.kysely
          .selectFrom('ticket_units')
          .select(['unit_id', 'moved_on'])
          .where('ticket_id', '=', moved)
          .orderBy('unit_id')
          .execute()
      ).map((r) => [r.unit_id, r.moved_on]);
    const cg = await unitId(t, 'SFX-CG');
    const dc = await unitId(t, 'SFX-DC');
    expect(await marks()).toEqual(
      [
        [cg, 1],
        [dc, 0],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    const back = await act(t, h.handler2 as H, moved, 'return', { version: 4, reason: 'wrong_unit' });
    expect(back.statusCode, back.body).toBe(200);
    const redo = await act(t, h.agent as H, moved, 'dispatch', { version: 5, unitId: cg });
    expect(redo.statusCode, redo.body).toBe(200);
    expect(await marks()).toEqual(
      [
        [cg, 0],
        [dc, 1],
      ].sort((a, b) => (a[0] as number) - (b[0] as number)),
    );
    expect(await all('handler2', 'queue=open')).toEqual([moved]);
  });
});
