import { afterAll, beforeAll, expect, it } from 'vitest';
import { complaintBody, detail, intake } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('phone numbers at staff intake', (dialect) => {
  let t: TestApp;
  let agent: H;

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z') });
    agent = await t.login('agent');
  });
  afterAll(async () => t?.close());

  const refused = async (body: Record<string, unknown>, field: string) => {
    const r = await intake(t, agent, body);
    expect(r.statusCode, r.body).toBe(400);
    expect(r.json().error).toMatchObject({ code: 'validation_failed', details: { field } });
  };
  const customers = async () =>
    Number(
      (
        await t.db.kysely
          .selectFrom('customers')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('answers 400 with the field for junk numbers, on any channel, and stores no customer', async () => {
    const before = await customers();
    for (const junk of ['-----', '12345', '12812345678', '0000000'])
      await refused(complaintBody({ customer: { name: '张三', phone: junk, account: null } }), 'customer.phone');
    await refused(complaintBody({ channel: 'web', customer: { name: '张三', phone: '-----' } }), 'customer.phone');
    await refused(
      { kind: 'report', channel: 'phone', description: '有人窃电', reporter: { name: '李四', phone: '12345' } },
      'reporter.phone',
    );
    expect(await customers()).toBe(before);
  });

  it('answers 400 for a phone intake without a number unless the reason is given, and records the reason', async () => {
    const noNumber = complaintBody({ customer: { name: '王五', phone: null, account: null } });
    await refused(noNumber, 'customer.phone');
    await refused({ ...noNumber, noPhoneReason: '   ' }, 'customer.phone');
    const ok = await intake(t, agent, { ...noNumber, noPhoneReason: '来电人拒绝留下电话' });
    expect(ok.statusCode, ok.body).toBe(201);
    const id = ok.json().ticket.id as number;
    expect((await detail(t, agent, id)).json().ticket).toMatchObject({ noPhoneReason: '来电人拒绝留下电话', customer: { phone: null } });
    // A reason beside a number, or on a channel that needs none, is a mistake.
    await refused({ ...complaintBody(), noPhoneReason: '来电人拒绝留下电话' }, 'noPhoneReason');
    await refused({ ...noNumber, channel: 'web', noPhoneReason: '来电人拒绝留下电话' }, 'noPhoneReason');
  });

  it('stores a valid number in one form, so the same caller is one customer and a repeat is found', async () => {
    const first = await intake(
      t,
      agent,
      complaintBody({ classCode: 'quality.voltage', customer: { name: '赵六', phone: '+86 135 0000 0003' } }),
    );
    expect(first.statusCode, first.body).toBe(201);
    const second = await intake(
      t,
      agent,
      complaintBody({ classCode: 'quality.voltage', customer: { name: '赵六', phone: '13500000003' } }),
    );
    const a = (await detail(t, agent, first.json().ticket.id)).json().ticket;
    const b = (await detail(t, agent, second.json().ticket.id)).json().ticket;
    expect(a.customer.phone).toBe('13500000003');
    expect(b.customer.id).toBe(a.customer.id);
    expect(b.flags.repeat).toBe(true);
    // Landlines with an area code are numbers too.
    expect((await intake(t, agent, complaintBody({ customer: { name: '钱七', phone: '0991-1234567' } }))).statusCode).toBe(201);
  });

  it('refuses on the portal what staff intake refuses (one rule)', async () => {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/public/portal/submissions',
      payload: { kind: 'complaint', phone: '12812345678', description: '我家上个月电费突然翻倍，要求核查电表。' },
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.details.field).toBe('phone');
  });
});
