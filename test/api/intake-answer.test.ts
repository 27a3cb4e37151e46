import { afterAll, beforeAll, expect, it } from 'vitest';
import { complaintBody, detail, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

// Intake answers a plain new order from what it wrote instead of reading the order back; the answer must be the
// very detail a later GET returns, whoever files it and however many intakes share one commit.
describeEachDb('POST /tickets answer', (dialect) => {
  let t: TestApp;
  let h: Record<string, Record<string, string>>;
  const clock = testClock('2026-11-02T02:00:00.000Z');

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
    h = {};
    for (const u of ['agent', 'admin']) h[u] = await t.login(u);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-tokens',
      headers: h.admin,
      payload: { name: 'answer-test', roles: ['agent'], unitId: await unitId(t, 'SFX') },
    });
    expect(res.statusCode, res.body).toBe(201);
    h.token = { authorization: `Bearer ${res.json().token}` };
  });
  afterAll(async () => t?.close());

  const bodies: Array<[string, Record<string, unknown>]> = [
    ['a plain complaint', complaintBody({ customer: { name: '李四', phone: '13900000001' } })],
    ['a repeat of it (linked to the first)', complaintBody({ customer: { name: '李四', phone: '13900000001' } })],
    ['a consultation without class', complaintBody({ kind: 'opinion', classCode: null, customer: { phone: '13900000002' } })],
    ['an anonymous report', { kind: 'report', channel: 'phone', description: '某供电所员工收受好处费，要求调查处理。', anonymous: true }],
    [
      'a named report',
      { kind: 'report', channel: 'letter', description: '抄表员多次估抄电量。', reporter: { name: '王五', phone: '13900000003' } },
    ],
    [
      'a forwarded order with its own deadline',
      complaintBody({
        channel: 'gov_12345',
        externalRef: 'GOV-1',
        externalDueAt: '2026-11-05T08:00:00.000Z',
        customer: { phone: '13900000004' },
      }),
    ],
  ];

  it('returns the detail that a GET returns, for users and API tokens, one at a time and in one batch', async () => {
    const check = async (who: string, res: { statusCode: number; body: string }) => {
      expect(res.statusCode, res.body).toBe(201);
      const { receiptCode: _r, ...answer } = JSON.parse(res.body) as Record<string, unknown> & { ticket: { id: number } };
      const read = await detail(t, h[who] as Record<string, string>, answer.ticket.id);
      expect(read.statusCode, read.body).toBe(200);
      // Later intakes of the same customer link to this order ("in" links): not part of what this intake wrote.
      const own = (d: Record<string, unknown>) => ({
        ...d,
        links: (d.links as Array<{ direction: string }>).filter((l) => l.direction !== 'in'),
      });
      expect(own(answer)).toEqual(own(JSON.parse(read.body)));
    };
    for (const who of ['agent', 'token']) {
      for (const [, body] of bodies) await check(who, await intake(t, h[who] as Record<string, string>, body));
      // Arriving together, these share one group commit.
      const together = await Promise.all(bodies.map(([, body]) => intake(t, h[who] as Record<string, string>, body)));
      for (const res of together) await check(who, res);
    }
  });
});
