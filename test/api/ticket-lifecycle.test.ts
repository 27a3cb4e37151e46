import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, detail, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type Detail = {
  ticket: Record<string, unknown> & {
    state: string;
    version: number;
    outcomes: Record<string, unknown>;
    due: Record<string, string | null>;
    counts: Record<string, number>;
  };
  events: Array<{ seq: number; action: string; from: string | null; to: string }>;
  deadlines: Array<{ clock: string; dueAt: string; metAt: string | null; onTime: boolean | null; explanation: { zh: string; en: string } }>;
  availableActions: string[];
};

describeEachDb('phone complaint life cycle', (dialect) => {
  let t: TestApp;
  let h: Record<string, Record<string, string>>;
  const clock = testClock('2026-11-02T02:00:00.000Z'); // Monday 10:00 Asia/Shanghai

  beforeAll(async () => {
    // The walk spans days of simulated time; sessions must outlive it.
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    h = {};
    for (const u of ['agent', 'handler', 'reviewer']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  it('walks intake → dispatch → sign → contact → reply → reject → reply → approve → revisit (dissatisfied) → redo → closed', async () => {
    const expectStep = async (res: { statusCode: number; body: string }, state: string, version: number): Promise<Detail> => {
      expect(res.statusCode, res.body).toBeLessThan(300);
      const d = JSON.parse(res.body) as Detail;
      expect(d.ticket.state).toBe(state);
      expect(d.ticket.version).toBe(version);
      expect(d.events).toHaveLength(version);
      expect(d.events.at(-1)?.to).toBe(state);
      return d;
    };
    const station = await unitId(t, 'SFX-CG');

    let d = await expectStep(await intake(t, h.agent as Record<string, string>), 'pending_dispatch', 1);
    const id = d.ticket.id as number;
    expect(d.ticket.number).toBe('TS2026110200001');
    expect(d.ticket.due.dispatch).toBe('2026-11-02T04:00:00.000Z'); // 2 hours
    expect(d.ticket.due.promise).toBe('2026-11-09T16:00:00.000Z'); // 5 working days, end of 11-09
    expect(d.availableActions).toContain('dispatch');

    clock.advance(0.5 * HOUR);
    d = await expectStep(await act(t, h.agent as Record<string, string>, id, 'dispatch', { version: 1, unitId: station }), 'dispatched', 2);
    expect(d.ticket.outcomes.dispatchedAt).toBe('2026-11-02T02:30:00.000Z');
    expect(d.ticket.due.firstContact).toBe('2026-11-03T02:30:00.000Z'); // 24 hours
    expect(d.ticket.due.reply).toBe('2026-11-06T16:00:00.000Z'); // 4 working days, end of Friday 11-06
    expect(d.deadlines.find((x) => x.clock === 'dispatch')?.onTime).toBe(true);

    clock.advance(HOUR);
    d = await expectStep(await act(t, h.handler as Record<string, string>, id, 'sign', { version: 2 }), 'in_progress', 3);
    expect(d.ticket.outcomes.signedAt).toBe('2026-11-02T03:30:00.000Z');

    const reply = {
      verification: 'substantiated',
      rootCause: 'billing_error',
      responsibility: 'company',
      replyText: '经核实，抄表员录入示数错误，已更正电费并向客户致歉。',
    };
    const early = await act(t, h.handler as Record<string, string>, id, 'reply', { version: 3, ...reply });
    expect(early.statusCode).toBe(409);
    expect(JSON.parse(early.body).error.code).toBe('guard_failed');

    clock.advance(2 * HOUR);
    d = await expectStep(
      await act(t, h.handler as Record<string, string>, id, 'contact', {
        version: 3,
        note: '已电话联系客户，约定明日上门核查电表',
        method: 'phone',
      }),
      'in_progress',
      4,
    );
    expect(d.ticket.outcomes.firstContactAt).toBe('2026-11-02T05:30:00.000Z');
    expect(d.ticket.outcomes.firstContactOnTime).toBe(true);

    clock.advance(24 * HOUR);
    d = await expectStep(await act(t, h.handler as Record<string, string>, id, 'reply', { version: 4, ...reply }), 'pending_review', 5);
    expect(d.ticket.outcomes.replyOnTime).toBe(true);
    expect(d.ticket.verification).toBe('substantiated');

    clock.advance(2 * HOUR);
    d = await expectStep(
      await act(t, h.reviewer as Record<string, string>, id, 'reject', { version: 5, reason: '请补充退费金额和时间' }),
      'in_progress',
      6,
    );
    expect(d.ticket.counts.reject).toBe(1);

    clock.advance(3 * HOUR);
    d = await expectStep(
      await act(t, h.handler as Record<string, string>, id, 'reply', {
        version: 6,
        ...reply,
        replyText: `${reply.replyText}多收电费186.40元已于11月3日退还。`,
      }),
      'pending_review',
      7,
    );

    clock.advance(HOUR);
    d = await expectStep(await act(t, h.reviewer as Record<string, string>, id, 'approve', { version: 7 }), 'pending_revisit', 8);
    expect(d.ticket.outcomes.approvedAt).toBe('2026-11-03T11:30:00.000Z');
    expect(d.ticket.outcomes.promiseOnTime).toBe(true);
    expect(d.ticket.due.revisit).toBe('2026-11-04T16:00:00.000Z'); // 1 working day after 11-03 (Shanghai)

    clock.advance(2 * HOUR);
    d = await expectStep(
      await act(t, h.agent as Record<string, string>, id, 'revisit', { version: 8, outcome: 'dissatisfied', note: '客户认为退费金额不对' }),
      'dispatched',
      9,
    );
    expect(d.ticket.counts.redo).toBe(1);
    expect(d.ticket.satisfaction).toBe('dissatisfied');
    expect(d.ticket.unitId).toBe(station);
    // The redo gets a fresh reply clock from now (2026-11-03 21:30 Shanghai): 4 working days → end of 11-09.
    expect(d.ticket.due.reply).toBe('2026-11-09T16:00:00.000Z');

    clock.advance(HOUR);
    d = await expectStep(await act(t, h.handler as Record<string, string>, id, 'sign', { version: 9 }), 'in_progress', 10);
    d = await expectStep(
      await act(t, h.handler as Record<string, string>, id, 'contact', { version: 10, note: '上门重新核对电表示数', method: 'visit' }),
      'in_progress',
      11,
    );
    clock.advance(5 * HOUR);
    d = await expectStep(
      await act(t, h.handler as Record<string, string>, id, 'reply', {
        version: 11,
        ...reply,
        replyText: '重新核算后补退电费23.10元，已当面向客户说明。',
      }),
      'pending_review',
      12,
    );
    d = await expectStep(await act(t, h.reviewer as Record<string, string>, id, 'approve', { version: 12 }), 'pending_revisit', 13);
    clock.advance(3 * HOUR);
    d = await expectStep(
      await act(t, h.agent as Record<string, string>, id, 'revisit', { version: 13, outcome: 'satisfied', note: '客户满意' }),
      'closed',
      14,
    );

    expect(d.ticket.satisfaction).toBe('satisfied');
    expect(d.ticket.closeReason).toBe('completed');
    expect(d.ticket.outcomes.closedAt).toBe(clock().toISOString());
    expect(d.ticket.outcomes.revisitOnTime).toBe(true);
    expect(d.ticket.nextDueAt).toBeNull();
    expect(d.availableActions).not.toContain('revisit');
    expect(d.events.map((e) => e.action)).toEqual([
      'intake',
      'dispatch',
      'sign',
      'contact',
      'reply',
      'reject',
      'reply',
      'approve',
      'revisit',
      'sign',
      'contact',
      'reply',
      'approve',
      'revisit',
    ]);
    for (const [i, e] of d.events.entries()) expect(e.from).toBe(i === 0 ? null : d.events[i - 1]?.to);

    const chains = await t.app.services.chain.verify();
    expect(chains).toMatchObject({ checked: 1, broken: [] });
    const row = await detail(t, h.agent as Record<string, string>, id);
    expect(row.statusCode).toBe(200);
  });
});
