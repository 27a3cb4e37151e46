import { afterAll, beforeAll, expect, it } from 'vitest';
import { formatShanghai } from '../../server/domain/local-time.ts';
import { act, complaintBody, detail, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;
type Rendered = {
  scriptId: number;
  classCode: string;
  title: string;
  sections: Array<{ code: string; zh: string; text: string; missing: string[] }>;
  values: Record<string, string | null>;
};
const section = (r: Rendered, code: string) => r.sections.find((s) => s.code === code)?.text ?? '';

describeEachDb('reply scripts API', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const clock = testClock('2026-11-02T02:00:00.000Z'); // Monday 10:00 Asia/Shanghai

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock });
    for (const u of ['agent', 'admin', 'handler2']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: h[who] });

  it('answers 403 when an agent edits the library, and 409 when the generic script is deleted', async () => {
    const list = (await get('agent', '/api/v1/scripts')).json().items as Array<{ id: number; classCode: string }>;
    expect(list.length).toBeGreaterThanOrEqual(20);
    const generic = list.find((s) => s.classCode === '*') as { id: number };
    const res = await t.app.inject({ method: 'PATCH', url: `/api/v1/scripts/${generic.id}`, headers: h.agent, payload: { title: 'x' } });
    expect(res.statusCode).toBe(403);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/scripts/${generic.id}`, headers: h.admin })).statusCode).toBe(409);
  });

  it('seeds a script for every complaint class family and the main leaves', async () => {
    const codes = ((await get('agent', '/api/v1/scripts')).json().items as Array<{ classCode: string }>).map((s) => s.classCode);
    for (const c of [
      '*',
      'service',
      'business',
      'outage',
      'quality',
      'construction',
      'service.attitude',
      'business.billing',
      'outage.repair',
      'quality.voltage',
    ])
      expect(codes).toContain(c);
  });

  it('renders the script of a class before intake with the dates of an order of the kind taken and dispatched now', async () => {
    const r = (await get('agent', '/api/v1/scripts?class=outage.repair&kind=complaint')).json() as Rendered;
    expect(r.classCode).toBe('outage.repair');
    expect(r.sections.map((s) => s.code)).toEqual(['empathy', 'explanation', 'promise', 'deescalation']);
    // Intake and dispatch Monday 10:00: first contact 24 h later, reply 4 working days (end of Friday), promise 5 (Monday).
    expect(r.values.firstContactDue).toBe('2026年11月03日 10:00');
    expect(r.values.replyDue).toBe('2026年11月06日 24:00');
    expect(r.values.promiseDue).toBe('2026年11月09日 24:00');
    expect(section(r, 'promise')).toContain('2026年11月03日 10:00');
    expect(section(r, 'promise')).not.toContain('{');
    // A leaf without its own script falls back to its family, then to the generic script.
    expect(((await get('agent', '/api/v1/scripts?class=outage.notice')).json() as Rendered).classCode).toBe('outage.notice');
    expect(((await get('agent', '/api/v1/scripts?class=business.change')).json() as Rendered).classCode).toBe('business.change');
    expect(((await get('agent', '/api/v1/scripts?class=general')).json() as Rendered).classCode).toBe('*');
    expect((await get('agent', '/api/v1/scripts?class=nope')).statusCode).toBe(400);
    expect((await get('agent', '/api/v1/scripts?class=*&kind=nope')).statusCode).toBe(400);
    expect(((await get('agent', '/api/v1/scripts?class=*')).json() as Rendered).classCode).toBe('*');
  });

  it('promises no date when no kind is chosen', async () => {
    const r = (await get('agent', '/api/v1/scripts?class=business.billing')).json() as Rendered;
    expect(r.values.firstContactDue).toBeNull();
    expect(r.values.replyDue).toBeNull();
    expect(r.values.promiseDue).toBeNull();
    const text = r.sections.map((s) => s.text).join('');
    expect(text).not.toMatch(/\d{4}年|\{/);
    expect(section(r, 'promise')).toContain('规定时限内');
    for (const s of r.sections) expect(s.missing).toEqual([]);
  });

  it("renders an order's script with its number, unit and its own deadlines", async () => {
    const res = await intake(t, h.agent as H, complaintBody({ classCode: 'business.billing' }));
    const id = res.json().ticket.id as number;
    const number = res.json().ticket.number as string;
    clock.advance(30 * 60_000);
    expect((await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') })).statusCode).toBe(200);
    const r = (await get('agent', `/api/v1/scripts/for-order/${id}`)).json() as Rendered;
    expect(r.classCode).toBe('business.billing');
    const promise = section(r, 'promise');
    expect(promise).toContain(number);
    expect(promise).toContain('城关供电所');
    // Dispatched 10:30 → first contact by 11-03 10:30; reply by the end of Friday 11-06.
    expect(promise).toContain('2026年11月03日 10:30');
    expect(promise).toContain('2026年11月06日 24:00');
    expect(section(r, 'empathy')).toMatch(/^张先生\/女士您好/);
    // Staff of another station cannot read the order, so neither its script.
    expect((await get('handler2', `/api/v1/scripts/for-order/${id}`)).statusCode).toBe(404);
  });

  it('lets an admin add, edit and delete a script', async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/scripts',
      headers: h.admin,
      payload: {
        classCode: 'general',
        title: '意见建议',
        empathy: '您好，感谢您提出宝贵意见。',
        explanation: '您的意见我们会转相关部门研究。',
        promise: '编号{number}，将在{replyDue}前答复。',
        deescalation: '耐心倾听。',
      },
    });
    expect(create.statusCode, create.body).toBe(201);
    const id = create.json().id as number;
    const { id: _id, updatedAt: _at, ...again } = create.json();
    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/scripts', headers: h.admin, payload: again });
    expect(dup.statusCode, dup.body).toBe(409);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/scripts/${id}`, headers: h.admin, payload: { title: '意见/建议' } });
    expect(patch.json().title).toBe('意见/建议');
    expect(((await get('agent', '/api/v1/scripts?class=general')).json() as Rendered).title).toBe('意见/建议');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/scripts/${id}`, headers: h.admin });
    expect([del.statusCode, del.body]).toEqual([204, '']);
    expect(((await get('agent', '/api/v1/scripts?class=general')).json() as Rendered).classCode).toBe('*');
  });
  it('promises the dates the order gets, for every kind and channel, on a Saturday afternoon (runs last: moves the clock)', async () => {
    const at = new Date('2026-12-05T07:27:00.000Z'); // Saturday 15:27 Asia/Shanghai
    const cases: Array<[string, string, string | null]> = [
      ['complaint', 'phone', 'business.billing'],
      ['complaint', 'phone', null],
      ['complaint', 'gov_12345', 'service.attitude'],
      ['report', 'phone', 'theft'],
      ['opinion', 'web', null],
      ['suggestion', 'regulator_12398', null],
      ['praise', 'counter', null],
    ];
    const fmt = (x: string | null | undefined) => (x ? formatShanghai(new Date(x)) : null);
    // A month on, the morning's session has expired: log in again at the new time (this test runs last).
    clock.set(at);
    h.agent = await t.login('agent');
    for (const [kind, channel, cls] of cases) {
      clock.set(at);
      const q = `class=${cls ?? '*'}&kind=${kind}&channel=${channel}`;
      const r = (await get('agent', `/api/v1/scripts?${q}`)).json() as Rendered;
      const body =
        kind === 'report'
          ? { kind, channel, classCode: cls, description: '有人私拉电线窃电，就在村东头。', anonymous: true }
          : complaintBody({ kind, channel, classCode: cls, ...(channel.includes('123') ? { externalRef: 'R-1' } : {}) });
      const res = await intake(t, h.agent as H, body);
      expect(res.statusCode, res.body).toBe(201);
      const id = res.json().ticket.id as number;
      expect((await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: await unitId(t, 'SFX-CG') })).statusCode).toBe(200);
      const due = (await detail(t, h.agent as H, id)).json().ticket.due as Record<string, string | null>;
      expect([kind, channel, r.values.firstContactDue]).toEqual([kind, channel, fmt(due.firstContact)]);
      expect([kind, channel, r.values.replyDue]).toEqual([kind, channel, fmt(due.reply)]);
      expect([kind, channel, r.values.promiseDue]).toEqual([kind, channel, fmt(due.promise)]);
    }
    // The figures the customer hears for a complaint on the phone: contact by Sunday 15:27, reply by Thursday,
    // answer promised by Friday (5 working days from the Saturday of intake).
    clock.set(at);
    const r = (await get('agent', '/api/v1/scripts?class=*&kind=complaint&channel=phone')).json() as Rendered;
    expect(r.values).toMatchObject({
      firstContactDue: '2026年12月06日 15:27',
      replyDue: '2026年12月10日 24:00',
      promiseDue: '2026年12月11日 24:00',
    });
  });
});
