import { afterAll, beforeAll, expect, it } from 'vitest';
import { act, complaintBody, HOUR, intake, unitId } from '../factories.ts';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

describeEachDb('the order export takes the list filter: every filter gives the same rows in both', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  let cg = 0;
  let dc = 0;

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z'), env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080' } });
    for (const u of ['agent', 'leader', 'handler']) h[u] = await t.login(u);
    cg = await unitId(t, 'SFX-CG');
    dc = await unitId(t, 'SFX-DC');
    const bodies = [
      complaintBody(),
      complaintBody({ subject: '电压偏低', description: '家里电压偏低，灯光闪烁', classCode: 'quality.voltage', channel: 'wechat' }),
      complaintBody({ customer: { name: '李四', phone: '13800000001', account: '3201000002' }, grade: 'major' }),
      { kind: 'opinion', channel: 'web', classCode: 'general', description: '建议营业厅延长营业时间' },
      complaintBody({ customer: { name: '王五', phone: '13800000002', account: '3201000003' }, location: '西湖村' }),
      { kind: 'report', channel: 'phone', classCode: 'theft', description: '有人私拉乱接窃电', anonymous: true },
    ];
    for (const [i, body] of bodies.entries()) {
      const r = await intake(t, h.agent as H, body);
      expect(r.statusCode, r.body).toBe(201);
      const id = r.json().ticket.id as number;
      if (i % 3 === 1) expect((await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: cg })).statusCode).toBe(200);
      if (i % 3 === 2) expect((await act(t, h.agent as H, id, 'dispatch', { version: 1, unitId: dc })).statusCode).toBe(200);
      t.clock.advance(HOUR);
    }
  });
  afterAll(async () => t?.close());

  const numbersOfList = async (who: string, qs: string) => {
    const out: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.app.inject({
        method: 'GET',
        url: `/api/v1/tickets?${qs}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: h[who],
      });
      expect(res.statusCode, `${qs}: ${res.body}`).toBe(200);
      const body = res.json() as { items: Array<{ number: string }>; nextCursor: string | null };
      out.push(...body.items.map((x) => x.number));
      cursor = body.nextCursor;
    } while (cursor);
    return out.sort();
  };
  const numbersOfExport = async (who: string, qs: string) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/stats/export/tickets?format=csv&${qs}`, headers: h[who] });
    expect(res.statusCode, `${qs}: ${res.body}`).toBe(200);
    return [...res.body.matchAll(/\b(?:TS|JB|YJ|JY|BY)\d{13}\b/g)].map((m) => m[0]).sort();
  };

  it('lists and exports the same orders for each filter of the list, for the centre and for a unit', async () => {
    const filters = [
      '',
      ...['to_dispatch', 'to_sign', 'in_progress', 'to_review', 'to_revisit', 'warned', 'overdue', 'supervised', 'open', 'closed'].map(
        (q) => `queue=${q}`,
      ),
      'state=dispatched,pending_dispatch',
      'kind=complaint',
      'class=business',
      'channel=wechat',
      `unitId=${cg}`,
      'grade=major',
      'flag=repeat',
      'overdue=false',
      'dueBefore=2000-01-01T00:00:00Z',
      `dueBefore=${encodeURIComponent('2026-11-03T02:00:00.000Z')}`,
      `createdFrom=${encodeURIComponent('2026-11-02T03:30:00.000Z')}`,
      `createdTo=${encodeURIComponent('2026-11-02T04:30:00.000Z')}`,
      'phone=13800000001',
      'account=3201000003',
      'q=电压',
      `q=${encodeURIComponent('电费')}`,
      'verification=none',
      'rootCause=none',
      'area=urban',
      `ownUnit=${dc}`,
      'ownUnit=999999',
      'kind=complaint&queue=to_sign',
    ];
    let compared = 0;
    let nonEmpty = 0;
    for (const who of ['agent', 'handler']) {
      for (const f of filters) {
        const list = await numbersOfList(who, f);
        expect(await numbersOfExport(who, f), `${who} ${f}`).toEqual(list);
        compared++;
        if (list.length > 0 && list.length < 6) nonEmpty++;
      }
    }
    // The filters do select: most give a proper subset, so equal rows are not all-or-nothing by accident.
    expect(nonEmpty).toBeGreaterThan(20);
    expect(compared).toBe(filters.length * 2);
  });

  it('answers 400 naming the field for a bad filter in the export as in the list', async () => {
    for (const url of ['/api/v1/tickets?state=nope', '/api/v1/stats/export/tickets?format=csv&state=nope']) {
      const res = await t.app.inject({ method: 'GET', url, headers: h.agent });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.details.field).toBe('state');
    }
  });
});
