import { afterAll, beforeAll, expect, it } from 'vitest';
import { scopeOf } from '../../server/services/workflow.service.ts';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;
interface ListPage {
  items: Array<{ number: string }>;
  nextCursor: string | null;
  total: number;
  totalCapped: boolean;
}

describeEachDb('GET /api/v1/tickets total: the orders the filter matches for the reader, as the pages list them', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let cg = 0;
  let dc = 0;

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z'), env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080' } });
    for (const u of ['agent', 'leader', 'handler', 'handler2']) h[u] = await t.login(u);
    cg = await unitId(t, 'SFX-CG');
    dc = await unitId(t, 'SFX-DC');
    // Seven orders: three dispatched to 城关所 (one of them about voltage), two to 东城所, two not yet dispatched.
    const plan: Array<[Record<string, unknown>, number | null]> = [
      [complaintBody(), cg],
      [complaintBody({ description: '家里电压偏低，灯光闪烁', classCode: 'quality.voltage', channel: 'wechat' }), cg],
      [complaintBody({ grade: 'major' }), cg],
      [complaintBody(), dc],
      [{ kind: 'opinion', channel: 'web', classCode: 'general', description: '建议营业厅延长营业时间' }, dc],
      [complaintBody({ customer: { name: '王五', phone: '13800000002', account: '3201000003' } }), null],
      [{ kind: 'report', channel: 'phone', classCode: 'theft', description: '有人私拉乱接窃电', anonymous: true }, null],
    ];
    for (const [body, unit] of plan) {
      const r = await intake(t, h.agent as H, body);
      expect(r.statusCode, r.body).toBe(201);
      if (unit !== null)
        expect((await act(t, h.agent as H, r.json().ticket.id, 'dispatch', { version: 1, unitId: unit })).statusCode).toBe(200);
      t.clock.advance(HOUR);
    }
  });
  afterAll(async () => t?.close());

  const page = async (who: string, qs: string, cursor: string | null = null): Promise<ListPage> => {
    const url = `/api/v1/tickets?${qs}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
    const res = await t.app.inject({ method: 'GET', url, headers: h[who] });
    expect(res.statusCode, `${who} ${qs}: ${res.body}`).toBe(200);
    return res.json() as ListPage;
  };
  /** Every page of a list: the numbers listed and the total each page said. */
  const walk = async (who: string, qs: string) => {
    const numbers: string[] = [];
    const totals: number[] = [];
    let cursor: string | null = null;
    do {
      const p = await page(who, qs, cursor);
      expect(p.totalCapped, `${who} ${qs}`).toBe(false);
      numbers.push(...p.items.map((x) => x.number));
      totals.push(p.total);
      cursor = p.nextCursor;
    } while (cursor);
    return { numbers, totals };
  };

  it('answers 400 naming the field for a bad filter, with no total', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?kind=nope', headers: h.agent });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('kind');
  });

  it('says on every page as many orders as all the pages list, for each filter and sort', async () => {
    const filters = [
      '',
      'sort=created',
      'queue=to_dispatch',
      'queue=to_sign',
      'kind=complaint',
      'kind=complaint&sort=created',
      'class=quality',
      'channel=wechat',
      `unitId=${cg}`,
      `unitId=${dc}&kind=complaint`,
      'grade=major',
      'account=3201000003',
      'q=电压',
      'dueBefore=2000-01-01T00:00:00Z',
    ];
    const seen = new Set<number>();
    for (const who of ['agent', 'handler', 'handler2']) {
      for (const f of filters) {
        const { numbers, totals } = await walk(who, f);
        expect(new Set(numbers).size, `${who} ${f}`).toBe(numbers.length);
        expect(
          totals.every((n) => n === numbers.length),
          `${who} ${f}: ${totals} vs ${numbers.length}`,
        ).toBe(true);
        seen.add(numbers.length);
      }
    }
    // The filters select different numbers of orders (0, 1, … 7), so an equal total is no accident of one figure.
    expect(seen.size).toBeGreaterThan(4);
  });

  it('counts for a handler only the orders of his unit, and for the centre those of the company', async () => {
    expect((await page('agent', '')).total).toBe(7);
    expect((await page('leader', '')).total).toBe(7);
    expect((await page('handler', '')).total).toBe(3);
    expect((await page('handler2', '')).total).toBe(2);
    expect((await page('agent', `unitId=${cg}`)).total).toBe(3);
    // A filter naming another unit does not widen what a handler sees.
    expect((await page('handler', `unitId=${dc}`)).total).toBe(0);
    expect((await page('handler', 'kind=complaint&grade=major')).total).toBe(1);
    expect((await page('handler2', 'kind=complaint')).total).toBe(1);
  });

  it('stops counting at the cap and says the count was capped', async () => {
    const agent = await t.app.services.auth.actorFor('agent');
    const tickets = t.app.services.repos.ticketLists;
    expect(await tickets.countMatching(scopeOf(agent), {}, 3)).toEqual({ n: 3, capped: true });
    expect(await tickets.countMatching(scopeOf(agent), {}, 7)).toEqual({ n: 7, capped: false });
    expect(await tickets.countMatching(scopeOf(agent), { kinds: ['complaint'] }, 4)).toEqual({ n: 4, capped: true });
    expect(await tickets.countMatching(scopeOf(agent), { kinds: ['complaint'] }, 5)).toEqual({ n: 5, capped: false });
  });
});
