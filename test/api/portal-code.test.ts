import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

const PORTAL = '/api/public/portal';

describeEachDb('portal tracking with one code field', (dialect) => {
  let t: TestApp;
  let receipt = '';
  let complaint: { number: string; queryCode: string };

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z') });
    const anon = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/submissions`,
      payload: { kind: 'report', anonymous: true, classCode: 'theft', description: '村东头有人私拉电线窃电，已经好几个月了。' },
    });
    expect(anon.statusCode, anon.body).toBe(201);
    receipt = anon.json().receiptCode as string;
    const c = await t.app.inject({
      method: 'POST',
      url: `${PORTAL}/submissions`,
      payload: { kind: 'complaint', phone: '13912345678', description: '这个月电费比平时多了三倍，请核实抄表。' },
    });
    complaint = c.json() as { number: string; queryCode: string };
  });
  afterAll(async () => t?.close());

  const login = (payload: Record<string, string>) => t.app.inject({ method: 'POST', url: `${PORTAL}/session`, payload });

  it('issues receipt codes of 20 capitals and digits, as the receipt says', () => {
    expect(receipt).toMatch(/^[A-HJKMNP-Z2-9]{20}$/);
  });

  it('accepts the receipt code in the one field, trimmed and in any case', async () => {
    expect((await login({ code: receipt })).statusCode).toBe(200);
    expect((await login({ code: `  ${receipt.toLowerCase()} ` })).statusCode).toBe(200);
    const bad = await login({ code: 'AAAABBBBCCCCDDDDEEEE' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.details.field).toBe('code');
  });

  it('reads the same field as the query code when a number is given', async () => {
    expect((await login({ number: complaint.number.toLowerCase(), code: complaint.queryCode.toLowerCase() })).statusCode).toBe(200);
    expect((await login({ number: complaint.number, code: receipt })).statusCode).toBe(401);
  });
});
