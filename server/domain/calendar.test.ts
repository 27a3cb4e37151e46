import chineseDays from 'chinese-days';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, createCalendar, endOfShanghaiDay, PACKAGE_YEARS, shanghaiDate, startOfShanghaiDay } from './calendar.ts';

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

describe('Shanghai date helpers', () => {
  it('puts 16:00Z on the next Shanghai day and 15:59:59.999Z on the same one', () => {
    expect(shanghaiDate(new Date('2026-09-30T16:00:00.000Z'))).toBe('2026-10-01');
    expect(shanghaiDate(new Date('2026-09-30T15:59:59.999Z'))).toBe('2026-09-30');
  });

  it('ends a Shanghai day at 16:00Z of that date and starts it at 16:00Z of the day before', () => {
    expect(endOfShanghaiDay('2026-10-12').toISOString()).toBe('2026-10-12T16:00:00.000Z');
    expect(startOfShanghaiDay('2026-10-12').toISOString()).toBe('2026-10-11T16:00:00.000Z');
    expect(endOfShanghaiDay('2026-12-31').toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  it('rejects dates that do not exist', () => {
    expect(() => endOfShanghaiDay('2026-02-30')).toThrow(RangeError);
    expect(() => addDays('2026-1-5', 1)).toThrow(RangeError);
    expect(() => createCalendar({ overrides: [{ date: '2026-13-01', workday: false }] })).toThrow(RangeError);
  });

  it('agrees with the Intl time-zone database for any instant', () => {
    const fmt = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' });
    fc.assert(
      fc.property(fc.date({ min: new Date('1992-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }), (t) => {
        const day = shanghaiDate(t);
        expect(day).toBe(fmt.format(t));
        expect(startOfShanghaiDay(day).getTime()).toBeLessThanOrEqual(t.getTime());
        expect(endOfShanghaiDay(day).getTime()).toBeGreaterThan(t.getTime());
      }),
    );
  });
});

describe('WorkCalendar coverage', () => {
  it('takes exactly the years 2004–2026 from the package data', () => {
    expect(PACKAGE_YEARS).toEqual(range(2004, 2026));
    const cal = createCalendar();
    expect(cal.isCovered(2026)).toBe(true);
    expect(cal.isCovered(2003)).toBe(false);
    expect(cal.isCovered(2027)).toBe(false);
  });

  it('counts an admin-entered year as covered', () => {
    expect(createCalendar({ adminYears: [2027] }).isCovered(2027)).toBe(true);
  });

  it('agrees with chinese-days on every day of 2004–2026', () => {
    const cal = createCalendar();
    const disagreements: string[] = [];
    for (let d = '2004-01-01'; d <= '2026-12-31'; d = addDays(d, 1)) {
      if (cal.isWorkday(d) !== chineseDays.isWorkday(d)) disagreements.push(d);
    }
    expect(disagreements).toEqual([]);
  });

  it('finds the same n-th working day as chinese-days findWorkday within covered years', () => {
    const cal = createCalendar();
    const day = fc.integer({ min: 0, max: 8300 }).map((i) => addDays('2004-01-01', i));
    fc.assert(
      fc.property(day, fc.integer({ min: 1, max: 30 }), (d, n) => {
        expect(cal.addWorkdays(d, n).date).toBe(chineseDays.findWorkday(n, d));
      }),
    );
  });
});

describe('WorkCalendar.dayInfo', () => {
  const cal = createCalendar();

  it('names National Day 2026 in Chinese and marks 10-10 as a make-up working day', () => {
    expect(cal.dayInfo('2026-10-01')).toEqual({
      date: '2026-10-01',
      workday: false,
      reason: 'holiday',
      name: '国庆节',
      provisional: false,
    });
    expect(cal.dayInfo('2026-10-03')).toMatchObject({ workday: false, reason: 'holiday' });
    expect(cal.dayInfo('2026-10-10')).toMatchObject({ workday: true, reason: 'makeup_workday', name: '国庆节' });
    expect(cal.dayInfo('2026-10-11')).toMatchObject({ workday: false, reason: 'weekend' });
    expect(cal.dayInfo('2026-10-08')).toMatchObject({ workday: true, reason: 'weekday' });
  });

  it('follows the package for Spring Festival 2026: 02-14 worked, 02-15..02-23 off', () => {
    expect(cal.dayInfo('2026-02-14')).toMatchObject({ workday: true, reason: 'makeup_workday', name: '春节' });
    for (let d = '2026-02-15'; d <= '2026-02-23'; d = addDays(d, 1)) {
      expect(cal.dayInfo(d)).toMatchObject({ workday: false, reason: 'holiday', name: '春节' });
    }
    expect(cal.isWorkday('2026-02-24')).toBe(true);
  });

  it('counts 2027-01-01 (a Friday) as a provisional working day without an admin calendar', () => {
    expect(cal.dayInfo('2027-01-01')).toEqual({
      date: '2027-01-01',
      workday: true,
      reason: 'weekday',
      provisional: true,
    });
    expect(cal.dayInfo('2027-01-02')).toMatchObject({ workday: false, reason: 'weekend', provisional: true });
  });

  it('lets an override win over the package and over weekends', () => {
    const withOverrides = createCalendar({
      overrides: [
        { date: '2026-10-09', workday: false, note: '台风停工' },
        { date: '2026-10-01', workday: true },
        { date: '2027-01-01', workday: false, note: '元旦' },
      ],
      adminYears: [2027],
    });
    expect(withOverrides.dayInfo('2026-10-09')).toMatchObject({
      workday: false,
      reason: 'override_holiday',
      name: '台风停工',
    });
    expect(withOverrides.dayInfo('2026-10-01')).toMatchObject({ workday: true, reason: 'override_workday' });
    expect(withOverrides.dayInfo('2027-01-01')).toMatchObject({ workday: false, name: '元旦', provisional: false });
  });
});

describe('WorkCalendar.addWorkdays', () => {
  const cal = createCalendar();

  it('counts 4 working days from 2026-09-30 to 10-12 across National Day and the 10-10 make-up day', () => {
    expect(cal.addWorkdays('2026-09-30', 4)).toEqual({
      date: '2026-10-12',
      skipped: ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-11'],
      makeupDays: ['2026-10-10'],
      provisional: false,
      uncoveredYears: [],
    });
  });

  it('never counts the start date itself', () => {
    expect(cal.addWorkdays('2026-10-09', 1).date).toBe('2026-10-10');
    expect(cal.addWorkdays('2026-10-08', 1).date).toBe('2026-10-09');
    expect(cal.addWorkdays('2026-10-08', 0).date).toBe('2026-10-08');
  });

  it('marks a count into 2027 provisional and names the year', () => {
    const r = cal.addWorkdays('2026-12-30', 2);
    expect(r).toMatchObject({ date: '2027-01-01', provisional: true, uncoveredYears: [2027] });
    expect(cal.addWorkdays('2026-12-29', 2).provisional).toBe(false);
  });

  it('lists an override working day on a weekend as a make-up day', () => {
    const c = createCalendar({ overrides: [{ date: '2027-01-09', workday: true }], adminYears: [2027] });
    expect(c.addWorkdays('2027-01-08', 1)).toMatchObject({ date: '2027-01-09', makeupDays: ['2027-01-09'], provisional: false });
  });

  it('rejects negative and fractional counts', () => {
    expect(() => cal.addWorkdays('2026-10-08', -1)).toThrow(RangeError);
    expect(() => cal.addWorkdays('2026-10-08', 1.5)).toThrow(RangeError);
  });

  it('finds working days backwards', () => {
    expect(cal.workdayBefore('2026-10-12', 1)).toBe('2026-10-10');
    expect(cal.workdayBefore('2026-10-08', 3)).toBe('2026-09-28');
  });
});
