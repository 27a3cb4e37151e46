import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complaintBody, intake } from '../factories.ts';
import { describeEachDb, loginTo, makeTestApp, type SecondNode, secondNode, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

// The numbering rule: prefix + Shanghai day + a five-digit daily sequence, unique, gap-free per day and kind,
// assigned inside the intake transaction (so an intake that is refused or rolled back uses no number).
describeEachDb('order numbers', (dialect) => {
  let t: TestApp;
  let second: SecondNode;
  let agent: H;
  let agentOnSecond: H;
  const clock = testClock('2026-11-09T01:00:00.000Z');

  beforeAll(async () => {
    // Sessions that outlive the clock's jumps between the tests' days.
    t = await makeTestApp(dialect, { clock, env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' } });
    agent = await t.login('agent');
    second = await secondNode(t);
    agentOnSecond = await loginTo(second.app, 'agent');
  });
  afterAll(async () => {
    await second?.close();
    await t?.close();
  });

  const numberOf = (body: string): string => JSON.parse(body).ticket.number;

  it('leaves no gap when an intake is refused inside its transaction', async () => {
    clock.set('2026-11-09T01:00:00.000Z');
    const first = await intake(t, agent, complaintBody({ customer: { name: '甲', phone: '13900000001' } }));
    expect(first.statusCode, first.body).toBe(201);
    // Refused after the order was numbered and written: the outage does not exist (400 outageId).
    const refused = await intake(t, agent, complaintBody({ outageId: 999_999, customer: { name: '乙', phone: '13900000002' } }));
    expect(refused.statusCode, refused.body).toBe(400);
    expect(JSON.parse(refused.body).error.details.field).toBe('outageId');
    const next = await intake(t, agent, complaintBody({ customer: { name: '丙', phone: '13900000003' } }));
    expect(next.statusCode, next.body).toBe(201);
    expect([numberOf(first.body), numberOf(next.body)]).toEqual(['TS2026110900001', 'TS2026110900002']);
  });

  it('numbers concurrent intakes on two nodes uniquely and without gaps, refused ones among them', async () => {
    clock.set('2026-11-10T01:00:00.000Z');
    const requests = Array.from({ length: 24 }, (_, i) => {
      const bad = i % 6 === 5;
      const body = complaintBody({
        customer: { name: `客户${i}`, phone: `1390000${String(100 + i).padStart(4, '0')}` },
        ...(bad ? { outageId: 999_999 } : {}),
      });
      return i % 2 === 0
        ? intake(t, agent, body)
        : second.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: agentOnSecond, payload: body });
    });
    const answers = await Promise.all(requests);
    const created = answers.filter((r) => r.statusCode === 201);
    expect(answers.filter((r) => r.statusCode === 400)).toHaveLength(4);
    expect(created).toHaveLength(20);
    const numbers = created.map((r) => numberOf(r.body)).sort();
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => `TS20261110${String(i + 1).padStart(5, '0')}`));
  });

  describe('a report on the same day', () => {
    it('counts its own kind from 1', async () => {
      clock.set('2026-11-10T02:00:00.000Z');
      const r = await intake(t, agent, { kind: 'report', channel: 'phone', classCode: 'theft', description: '有人私拉电线窃电' });
      expect(r.statusCode, r.body).toBe(201);
      expect(numberOf(r.body)).toBe('JB2026111000001');
    });
  });
});
