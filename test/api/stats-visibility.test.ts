import { afterAll, beforeAll, expect, it } from 'vitest';
import { complaintBody, intake, unitId, userId } from '../factories.ts';
import { DEMO_PASSWORD, describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;
type Row = { keys: Record<string, { code: string }>; measures: { n: number }; drill: Record<string, string> };

/**
 * Figures drill down to orders: a report hidden from the reader (it names them or their unit) is neither listed nor
 * counted, whether the figure comes from the pre-summed aggregates or not.
 */
describeEachDb('statistics count only the orders the reader may see', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};

  beforeAll(async () => {
    t = await makeTestApp(dialect, { clock: testClock('2026-11-02T02:00:00.000Z') });
    const cg = await unitId(t, 'SFX-CG');
    // A 城关 unit lead who also analyses: the report naming 城关 must not reach their figures.
    await t.app.services.users.create(null, {
      username: 'cgstats',
      displayName: '城关所长兼统计',
      unitId: cg,
      roles: ['unit_lead', 'analyst'],
      password: DEMO_PASSWORD,
      mustChangePassword: false,
    });
    for (const u of ['agent', 'leader', 'analyst', 'cgstats']) h[u] = await t.login(u);
    const report = (extra: Record<string, unknown>) =>
      intake(t, h.agent as H, {
        kind: 'report',
        channel: 'phone',
        classCode: 'integrity.bribery',
        description: '有人收取好处费两百元',
        reporter: { name: '王举报', phone: '13600002222' },
        ...extra,
      });
    for (const r of [
      await intake(t, h.agent as H, complaintBody()),
      await report({ namedUnitIds: [cg] }),
      await report({ namedUserIds: [await userId(t, 'analyst')] }),
    ])
      expect(r.statusCode, r.body).toBe(201);
    await t.app.services.stats.rebuild();
  });
  afterAll(async () => t?.close());

  const get = async (who: string, url: string) => {
    const res = await t.app.inject({ method: 'GET', url, headers: h[who] });
    expect(res.statusCode, `${who} ${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  const drilled = async (who: string, drill: Record<string, string>) =>
    (await get(who, `/api/v1/tickets?${new URLSearchParams({ ...drill, limit: '200' })}`)).items.length as number;

  it('counts for each reader exactly the orders each figure drills to, by kind and by unit', async () => {
    const expected: Record<string, number> = { leader: 2, analyst: 1, cgstats: 1 };
    for (const who of ['leader', 'analyst', 'cgstats']) {
      for (const groupBy of ['kind', 'org', 'class']) {
        const r = await get(who, `/api/v1/stats?period=2026-11&groupBy=${groupBy}`);
        for (const row of [...(r.rows as Row[]), r.total as Row])
          expect(row.measures.n, `${who} by ${groupBy} ${JSON.stringify(row.keys)}`).toBe(await drilled(who, row.drill));
        const reports = (r.rows as Row[])
          .filter((x) => groupBy !== 'kind' || x.keys.kind?.code === 'report')
          .reduce((n, x) => n + (groupBy === 'kind' ? x.measures.n : 0), 0);
        if (groupBy === 'kind') expect(reports, `${who} reports`).toBe(expected[who]);
        expect(r.total.measures.n, `${who} total by ${groupBy}`).toBe((expected[who] as number) + 1);
      }
    }
  });

  it('leaves the hidden report out of the day grain and the compare table as well', async () => {
    const day = await get('analyst', '/api/v1/stats?from=2026-11-02&to=2026-11-02&groupBy=channel');
    expect(day.total.measures.n).toBe(2);
    expect(day.total.measures.n).toBe(await drilled('analyst', day.total.drill));
    const cmp = await get('cgstats', '/api/v1/stats/compare?a=2026-10&b=2026-11&by=kind');
    expect(cmp.b.total).toBe(2);
  });
});
