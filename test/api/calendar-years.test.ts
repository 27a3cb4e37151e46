import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb, makeTestApp, type TestApp, testClock } from '../harness.ts';

type H = Record<string, string>;

/** 2027 as an administrator would enter it: 元旦 1–3 Jan, 春节 with two make-up Saturdays/Sundays, 国庆. */
const Y2027 = [
  { date: '2027-01-01', workday: false, name: '元旦' },
  { date: '2027-01-02', workday: false, name: '元旦' },
  { date: '2027-01-03', workday: false, name: '元旦' },
  { date: '2027-02-06', workday: true, name: '春节' },
  ...['2027-02-07', '2027-02-08', '2027-02-09', '2027-02-10', '2027-02-11', '2027-02-12', '2027-02-13'].map((date) => ({
    date,
    workday: false,
    name: '春节',
  })),
  { date: '2027-02-20', workday: true, name: '春节' },
  { date: '2027-10-01', workday: false, name: '国庆节' },
];

describeEachDb('calendar years: built-in, entered by an admin, and the warning while next year is missing', (dialect) => {
  let t: TestApp;
  const h: Record<string, H> = {};
  const get = async (who: string, url: string) => {
    const r = await t.app.inject({ method: 'GET', url, headers: h[who] as H });
    return { status: r.statusCode, body: JSON.parse(r.body) };
  };
  const put = async (who: string, year: number | string, payload: unknown) => {
    const r = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/calendar/years/${year}`,
      headers: h[who] as H,
      payload: payload as object,
    });
    return { status: r.statusCode, body: JSON.parse(r.body) };
  };
  /** The reply deadline of a phone complaint taken in and dispatched at the Shanghai time given. */
  const replyDue = async (at: string) => {
    const r = await get('agent', `/api/v1/deadlines/preview?kind=complaint&channel=phone&at=${encodeURIComponent(at)}`);
    expect(r.status).toBe(200);
    return r.body.deadlines.find((d: { clock: string }) => d.clock === 'reply') as { dueAt: string; provisional: boolean };
  };

  beforeAll(async () => {
    t = await makeTestApp(dialect, {
      clock: testClock('2026-10-20T02:00:00.000Z'),
      env: { GRIDVOICE_SESSION_IDLE_MINUTES: '10080', GRIDVOICE_SESSION_ABSOLUTE_HOURS: '720' },
    });
    for (const u of ['admin', 'agent', 'leader']) h[u] = await t.login(u);
  });
  afterAll(async () => t?.close());

  describe('GET /api/v1/calendar/years/:year', () => {
    it('shows a built-in year read-only with its holidays and make-up working days', async () => {
      const r = await get('leader', '/api/v1/calendar/years/2026');
      expect(r.status).toBe(200);
      expect(r.body.source).toBe('builtin');
      expect(r.body.days).toContainEqual({ date: '2026-10-01', workday: false, name: '国庆节' });
      expect(r.body.days.filter((d: { workday: boolean }) => d.workday).length).toBeGreaterThan(0);
      expect(r.body.days.filter((d: { workday: boolean }) => !d.workday).length).toBeGreaterThan(20);
    });

    it('lists every year with its source, next year as missing', async () => {
      const r = await get('admin', '/api/v1/calendar/years');
      expect(r.status).toBe(200);
      expect(r.body.years.find((y: { year: number }) => y.year === 2026)).toMatchObject({ source: 'builtin' });
      expect(r.body.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({ source: 'none', holidays: 0 });
    });
  });

  describe('GET /api/v1/calendar/status', () => {
    it('warns from 1 November while next year is missing, not before', async () => {
      expect((await get('leader', '/api/v1/calendar/status')).body).toMatchObject({ warn: false, missing: null, year: 2026 });
      t.clock.set('2026-10-31T16:00:00.000Z'); // 1 November 00:00 in Shanghai
      for (const u of Object.keys(h)) h[u] = await t.login(u);
      expect((await get('leader', '/api/v1/calendar/status')).body).toMatchObject({ warn: true, missing: 2027, nextYearCovered: false });
    });
  });

  describe('PUT /api/v1/calendar/years/:year', () => {
    it('returns 403 for roles other than admin', async () => {
      expect((await put('leader', 2027, { note: '国办发明电', days: Y2027 })).status).toBe(403);
    });

    it('returns 400 with the field for a built-in year, a day of another year, a weekday make-up day, a repeat or no holiday', async () => {
      const cases: Array<[number | string, unknown, string]> = [
        [2026, { note: '', days: Y2027 }, 'year'],
        [2027, { note: '', days: [...Y2027, { date: '2028-01-01', workday: false, name: '元旦' }] }, `days[${Y2027.length}].date`],
        [2027, { note: '', days: [...Y2027, { date: '2027-02-30', workday: false, name: '春节' }] }, `days[${Y2027.length}].date`],
        // 2027-02-22 is a Monday: a make-up working day is always a weekend day.
        [2027, { note: '', days: [...Y2027, { date: '2027-02-22', workday: true, name: '春节' }] }, `days[${Y2027.length}].date`],
        [2027, { note: '', days: [...Y2027, { date: '2027-01-01', workday: false, name: '元旦' }] }, `days[${Y2027.length}].date`],
        [2027, { note: '', days: [{ date: '2027-02-06', workday: true, name: '春节' }] }, 'days'],
        [2027, { note: '', days: [...Y2027, { date: '2027-05-01', workday: false, name: '   ' }] }, `days[${Y2027.length}].name`],
      ];
      for (const [year, body, field] of cases) {
        const r = await put('admin', year, body);
        expect(r.status, JSON.stringify(body).slice(-80)).toBe(400);
        expect(r.body.error.code).toBe('validation_failed');
        expect(r.body.error.details.field).toBe(field);
      }
      expect((await put('admin', 1999, { note: '', days: Y2027 })).status).toBe(400);
      expect((await put('admin', 2027, { note: '', days: [], extra: 1 })).status).toBe(400);
      // Nothing was stored by a refused entry.
      expect((await get('admin', '/api/v1/calendar/years/2027')).body).toMatchObject({ source: 'none', days: [] });
    });

    it('deadlines reaching into a missing year are provisional; entered, the year counts its holidays and make-up days', async () => {
      // Wed 30 Dec 2026: without 2027, Fri 1 Jan counts as a working day (weekends only): 31 Dec, 1, 4, 5 Jan, provisional.
      const before = await replyDue('2026-12-30T10:00:00+08:00');
      expect(before).toMatchObject({ dueAt: '2027-01-05T16:00:00.000Z', provisional: true });

      const r = await put('admin', 2027, { note: '国办发明电〔2026〕7号', days: Y2027 });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ year: 2027, source: 'admin', note: '国办发明电〔2026〕7号' });
      expect(r.body.days).toHaveLength(Y2027.length);

      // 31 Dec, then 1–3 Jan off: 31 Dec, 4, 5, 6 Jan — due Wed 6 Jan 24:00, and no longer provisional.
      expect(await replyDue('2026-12-30T10:00:00+08:00')).toMatchObject({ dueAt: '2027-01-06T16:00:00.000Z', provisional: false });
      // Fri 5 Feb: Sat 6 Feb is a make-up working day, 7–13 Feb off, then Mon 15 … → 6 Feb, 15, 16, 17 Feb.
      expect(await replyDue('2027-02-05T10:00:00+08:00')).toMatchObject({ dueAt: '2027-02-17T16:00:00.000Z', provisional: false });

      const status = await get('leader', '/api/v1/calendar/status');
      expect(status.body).toMatchObject({ warn: false, missing: null, nextYearCovered: true });
      const years = await get('admin', '/api/v1/calendar/years');
      expect(years.body.years.find((y: { year: number }) => y.year === 2027)).toMatchObject({
        source: 'admin',
        holidays: 11,
        makeupDays: 2,
      });
    });

    it('a correction replaces the whole year', async () => {
      const fewer = Y2027.filter((d) => d.name !== '国庆节');
      expect((await put('admin', 2027, { note: '更正', days: fewer })).status).toBe(200);
      const r = await get('agent', '/api/v1/calendar/years/2027');
      expect(r.body.days).toHaveLength(fewer.length);
      expect(r.body.note).toBe('更正');
    });
  });
});
