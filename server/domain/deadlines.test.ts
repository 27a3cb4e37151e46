import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Duration, DEFAULT_TIME_POLICY as P, type TimePolicyRules, validateTimePolicy } from '../../core/time-policy.ts';
import { addDays, type CalendarOverride, createCalendar, shanghaiDate } from './calendar.ts';
import { computeDeadline, ruleFor, shiftDeadline } from './deadlines.ts';

const cal = createCalendar();
const sh = (local: string) => new Date(`${local}:00+08:00`);
const wd = (n: number): Duration => ({ unit: 'workdays', n });
const MIN = 60_000;
const HOUR = 60 * MIN;

describe('computeDeadline on the real 2026 calendar', () => {
  const dispatched = sh('2026-09-30T10:12');

  it('gives a complaint dispatched 2026-09-30 10:12 until the end of 10-12 to reply', () => {
    const rule = ruleFor(P, 'reply', 'complaint', 'phone');
    expect(rule).toEqual(wd(4));
    const d = computeDeadline(cal, 'reply', wd(4), dispatched, P);
    expect(d.dueAt.toISOString()).toBe('2026-10-12T16:00:00.000Z');
    expect(d.makeupDays).toEqual(['2026-10-10']);
    expect(d.provisional).toBe(false);
  });

  it('explains the 09-30 complaint deadline in Chinese and English', () => {
    const d = computeDeadline(cal, 'reply', wd(4), dispatched, P);
    expect(d.explanation.zh).toBe('2026-10-12 24:00 截止：自 2026-09-30 10:12 起 4 个工作日；跳过 10-01..10-07 假日；10-10 为调休工作日');
    expect(d.explanation.en).toBe(
      'due 2026-10-12 24:00: 4 working days from 2026-09-30 10:12; 10-01..10-07 holiday; 10-10 make-up working day',
    );
  });

  it('gives a report 9 working days, to the end of 10-19', () => {
    const d = computeDeadline(cal, 'reply', ruleFor(P, 'reply', 'report', 'web') ?? wd(0), dispatched, P);
    expect(d.dueAt.toISOString()).toBe('2026-10-19T16:00:00.000Z');
  });

  it('gives first contact 24 clock hours, to 2026-10-01 10:12 Shanghai', () => {
    const d = computeDeadline(cal, 'first_contact', P.firstContact, dispatched, P);
    expect(d.dueAt.getTime()).toBe(sh('2026-10-01T10:12').getTime());
    expect(d.explanation.zh).toBe('2026-10-01 10:12 截止：自 2026-09-30 10:12 起 24 小时');
  });

  it('gives a 12345 order 7 natural days, to the end of 10-07, holidays included', () => {
    const rule = ruleFor(P, 'reply', 'complaint', 'gov_12345');
    expect(rule).toEqual({ unit: 'days', n: 7 });
    const d = computeDeadline(cal, 'reply', rule ?? wd(0), dispatched, P);
    expect(d.dueAt.toISOString()).toBe('2026-10-07T16:00:00.000Z');
    expect(d.skipped).toEqual([]);
    expect(d.explanation.en).toBe('due 2026-10-07 24:00: 7 natural days from 2026-09-30 10:12');
  });

  it('counts Saturday 02-14 and skips 02-15..02-23 over Spring Festival 2026', () => {
    const d = computeDeadline(cal, 'reply', wd(4), sh('2026-02-13T09:00'), P);
    expect(d.dueAt.toISOString()).toBe('2026-02-26T16:00:00.000Z');
    expect(d.makeupDays).toEqual(['2026-02-14']);
    expect(d.explanation.zh).toContain('跳过 02-15..02-23 假日；02-14 为调休工作日');
  });

  it('moves the due date one working day later when an override makes a weekday a holiday', () => {
    const typhoon = createCalendar({ overrides: [{ date: '2026-10-09', workday: false, note: '台风' }] });
    const d = computeDeadline(typhoon, 'reply', wd(4), dispatched, P);
    expect(d.dueAt.toISOString()).toBe('2026-10-13T16:00:00.000Z');
    expect(d.explanation.zh).toContain('跳过 10-01..10-07、10-09 假日');
  });
});

describe('computeDeadline into 2027 (no package data)', () => {
  const start = sh('2026-12-30T10:00');

  it('counts Friday 2027-01-01 as a working day and marks the deadline provisional', () => {
    const d = computeDeadline(cal, 'reply', wd(4), start, P);
    expect(d.dueAt.toISOString()).toBe('2027-01-05T16:00:00.000Z');
    expect(d.provisional).toBe(true);
    expect(d.explanation.zh).toContain('（2027 年节假日安排未录入，暂按周末计算）');
    expect(d.explanation.en).toContain('(no official calendar for 2027 yet: counted on weekends only, provisional)');
  });

  it('moves one working day later with a 2027-01-01 holiday override, still provisional without the admin year', () => {
    const overrides: CalendarOverride[] = [{ date: '2027-01-01', workday: false, note: '元旦' }];
    const d = computeDeadline(createCalendar({ overrides }), 'reply', wd(4), start, P);
    expect(d.dueAt.toISOString()).toBe('2027-01-06T16:00:00.000Z');
    expect(d.provisional).toBe(true);
  });

  it('is no longer provisional once 2027 is an admin-entered year', () => {
    const overrides: CalendarOverride[] = [{ date: '2027-01-01', workday: false, note: '元旦' }];
    const d = computeDeadline(createCalendar({ overrides, adminYears: [2027] }), 'reply', wd(4), start, P);
    expect(d.dueAt.toISOString()).toBe('2027-01-06T16:00:00.000Z');
    expect(d.provisional).toBe(false);
    expect(d.explanation.zh).toBe('2027-01-06 24:00 截止：自 2026-12-30 10:00 起 4 个工作日；跳过 2027-01-01 假日');
  });
});

describe('warnAt', () => {
  it('warns when a quarter of the window is left if that is earlier', () => {
    const d = computeDeadline(cal, 'reply', wd(4), sh('2026-09-30T10:12'), P);
    expect(d.warnAt.toISOString()).toBe('2026-10-09T12:33:00.000Z');
  });

  it('warns at the start of the last working day if that is earlier than the quarter mark', () => {
    const d = computeDeadline(cal, 'revisit', P.revisit, sh('2026-10-12T09:00'), P);
    expect(d.dueAt.toISOString()).toBe('2026-10-13T16:00:00.000Z');
    expect(d.warnAt.toISOString()).toBe('2026-10-12T16:00:00.000Z');
  });

  it('never warns before the clock started', () => {
    const policy: TimePolicyRules = { ...P, warning: { fraction: 0.25, minWorkdaysBefore: 3 } };
    const start = sh('2026-10-12T09:00');
    expect(computeDeadline(cal, 'revisit', wd(1), start, policy).warnAt).toEqual(start);
  });
});

describe('shiftDeadline', () => {
  it('adds the paused time and says so', () => {
    const d = computeDeadline(cal, 'reply', wd(4), sh('2026-09-30T10:12'), P);
    const s = shiftDeadline(cal, d, 2 * HOUR + 13 * MIN);
    expect(s.dueAt.getTime()).toBe(d.dueAt.getTime() + 2 * HOUR + 13 * MIN);
    expect(s.warnAt.getTime()).toBe(d.warnAt.getTime() + 2 * HOUR + 13 * MIN);
    expect(s.shiftMs).toBe(2 * HOUR + 13 * MIN);
    expect(s.explanation.zh).toContain('；挂起 2小时13分，顺延');
    expect(s.explanation.zh.startsWith('2026-10-13 02:13 截止')).toBe(true);
  });

  it('moves a due that lands on a day off to 24:00 of the next working day', () => {
    const d = computeDeadline(cal, 'reply', wd(4), sh('2026-10-12T09:00'), P);
    expect(d.dueAt.toISOString()).toBe('2026-10-16T16:00:00.000Z');
    const s = shiftDeadline(cal, d, 3 * HOUR);
    expect(s.dueAt.toISOString()).toBe('2026-10-19T16:00:00.000Z');
    expect(s.skipped).toEqual(expect.arrayContaining(['2026-10-17', '2026-10-18']));
  });

  it('gives the same deadline for two pauses as computeDeadline with their sum when no day off intervenes', () => {
    const start = sh('2026-09-30T10:12');
    const twice = shiftDeadline(cal, shiftDeadline(cal, computeDeadline(cal, 'reply', wd(4), start, P), HOUR), 2 * HOUR);
    expect(twice).toEqual(computeDeadline(cal, 'reply', wd(4), start, P, 3 * HOUR));
    expect(twice.explanation.en).toContain('; suspended 3 h, extended');
  });

  it('still extends by a second pause after a move over the weekend', () => {
    const d = shiftDeadline(cal, computeDeadline(cal, 'reply', wd(4), sh('2026-10-12T09:00'), P), 3 * HOUR);
    const s = shiftDeadline(cal, d, 5 * HOUR);
    expect(s.dueAt.toISOString()).toBe('2026-10-19T21:00:00.000Z');
    expect(s.explanation.zh).toContain('挂起 8小时，顺延');
  });

  it('keeps a deadline pushed into 2027 provisional', () => {
    const d = computeDeadline(cal, 'reply', wd(1), sh('2026-12-30T09:00'), P);
    expect(d.provisional).toBe(false);
    expect(shiftDeadline(cal, d, 2 * 24 * HOUR).provisional).toBe(true);
  });

  it('rejects a negative pause', () => {
    const d = computeDeadline(cal, 'dispatch', P.dispatch, sh('2026-10-12T09:00'), P);
    expect(() => shiftDeadline(cal, d, -1)).toThrow(RangeError);
  });
});

describe('ruleFor', () => {
  it('lets the channel rule win over the kind rule', () => {
    expect(ruleFor(P, 'reply', 'report', 'regulator_12398')).toEqual(wd(10));
    expect(ruleFor(P, 'reply', 'opinion', 'phone')).toEqual(wd(9));
  });

  it('returns null for a promise clock on a kind without one', () => {
    expect(ruleFor(P, 'promise', 'report', 'phone')).toBeNull();
    expect(ruleFor(P, 'promise', 'complaint', 'phone')).toEqual(wd(5));
  });
});

describe('validateTimePolicy', () => {
  it('rejects unknown units, out-of-range n and unknown kinds, reporting all problems', () => {
    const bad = {
      ...P,
      dispatch: { unit: 'minutes', n: 20 },
      revisit: { unit: 'workdays', n: 366 },
      promise: { byKind: { complaint: wd(0), grievance: wd(5) } },
    };
    const r = validateTimePolicy(bad);
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.problems).toEqual([
      'dispatch.unit: expected one of hours, workdays, days',
      'revisit.n: expected an integer from 1 to 365',
      'promise.byKind.complaint.n: expected an integer from 1 to 365',
      'promise.byKind.grievance: unknown key',
    ]);
  });

  it('accepts the default policy', () => {
    expect(validateTimePolicy(JSON.parse(JSON.stringify(P)))).toEqual({ ok: true, value: P });
  });
});

describe('deadline properties', () => {
  const day = fc.integer({ min: 0, max: 9 * 366 }).map((i) => addDays('2020-01-01', i));
  const override = fc.record({ date: day, workday: fc.boolean() });
  const calendar = fc
    .record({ overrides: fc.array(override, { maxLength: 30 }), adminYears: fc.subarray([2027, 2028]) })
    .map((o) => createCalendar(o));
  const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2027-12-31T23:59:59Z'), noInvalidDate: true });
  const unit = fc.constantFrom<Duration['unit']>('hours', 'workdays', 'days');
  const n = fc.integer({ min: 1, max: 30 });

  it('never ends a working-day deadline on a day off, even after pauses', () => {
    const pause = fc.integer({ min: 0, max: 10 * 24 * HOUR });
    fc.assert(
      fc.property(calendar, instant, n, fc.array(pause, { maxLength: 3 }), (c, t, k, pauses) => {
        let d = computeDeadline(c, 'reply', wd(k), t, P);
        expect(c.isWorkday(shanghaiDate(new Date(d.dueAt.getTime() - 1)))).toBe(true);
        for (const p of pauses) {
          d = shiftDeadline(c, d, p);
          expect(c.isWorkday(shanghaiDate(new Date(d.dueAt.getTime() - 1)))).toBe(true);
        }
      }),
    );
  });

  it('never gives an earlier deadline for more days', () => {
    fc.assert(
      fc.property(calendar, instant, unit, n, n, (c, t, u, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const early = computeDeadline(c, 'reply', { unit: u, n: lo }, t, P);
        const late = computeDeadline(c, 'reply', { unit: u, n: hi }, t, P);
        expect(late.dueAt.getTime()).toBeGreaterThanOrEqual(early.dueAt.getTime());
        if (hi > lo) expect(late.dueAt.getTime()).toBeGreaterThan(early.dueAt.getTime());
      }),
    );
  });

  it('never shortens a deadline by a pause and keeps warnAt within [startAt, dueAt]', () => {
    const pause = fc.integer({ min: 0, max: 30 * 24 * HOUR });
    const warning = fc.record({
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      minWorkdaysBefore: fc.integer({ min: 0, max: 5 }),
    });
    const smallN = fc.oneof(fc.integer({ min: 1, max: 4 }), n);
    fc.assert(
      fc.property(calendar, instant, unit, smallN, warning, fc.array(pause, { maxLength: 4 }), (c, t, u, k, w, pauses) => {
        let d = computeDeadline(c, 'reply', { unit: u, n: k }, t, { ...P, warning: w });
        const inWindow = () => {
          expect(d.warnAt.getTime()).toBeGreaterThanOrEqual(d.startAt.getTime());
          expect(d.warnAt.getTime()).toBeLessThanOrEqual(d.dueAt.getTime());
        };
        inWindow();
        for (const p of pauses) {
          const next = shiftDeadline(c, d, p);
          expect(next.dueAt.getTime()).toBeGreaterThanOrEqual(d.dueAt.getTime() + (u === 'workdays' ? 0 : p));
          expect(next.dueAt.getTime() - d.dueAt.getTime()).toBeGreaterThanOrEqual(p);
          d = next;
          inWindow();
        }
      }),
      { numRuns: 300 },
    );
  });
});
