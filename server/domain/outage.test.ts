import { describe, expect, it } from 'vitest';
import { parseCsv } from '../lib/csv.ts';
import { formatShanghai, parseLocalDateTime } from './local-time.ts';
import { keepableNumber } from './order-import.ts';
import { outageMatch, outageStats, splitList } from './outage.ts';
import { renderPlaceholders, scriptLookupOrder } from './reply-script.ts';

describe('outageMatch', () => {
  const o = { unitIds: [7], areas: ['人民路', '北关村'], feeders: ['10kV城北线'] };
  it('matches by station, by a village or street in the address, and by a short address inside an area', () => {
    expect(outageMatch(o, { unitId: 7 })).toEqual(['unit']);
    expect(outageMatch(o, { location: '示范县城关镇人民路 18 号' })).toEqual(['area:人民路']);
    expect(outageMatch(o, { location: '北关' })).toEqual(['area:北关村']);
    expect(outageMatch(o, { location: '10KV城北线' })).toEqual(['feeder:10kV城北线']);
  });
  it('does not match another station, a one-character address or an unrelated street', () => {
    expect(outageMatch(o, { unitId: 8, location: '解放路' })).toEqual([]);
    expect(outageMatch(o, { location: '路' })).toEqual([]);
  });
});

describe('parseCsv', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, a BOM and CRLF, and keeps line numbers', () => {
    const rows = parseCsv('\ufeffa,b\r\n"x, y","say ""hi"""\r\n\r\n"multi\nline",z\n');
    expect(rows).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['multi\nline', 'z'] },
    ]);
  });
});

describe('parseLocalDateTime and formatShanghai', () => {
  it('reads zone-less times as Asia/Shanghai and rejects impossible dates', () => {
    expect(parseLocalDateTime('2026-11-05 08:00')?.toISOString()).toBe('2026-11-05T00:00:00.000Z');
    expect(parseLocalDateTime('2026/11/5 8:30:15')?.toISOString()).toBe('2026-11-05T00:30:15.000Z');
    expect(parseLocalDateTime('2026年11月05日')?.toISOString()).toBe('2026-11-04T16:00:00.000Z');
    expect(parseLocalDateTime('2026-11-05T08:00:00Z')?.toISOString()).toBe('2026-11-05T08:00:00.000Z');
    expect(parseLocalDateTime('2026-02-30 08:00')).toBeNull();
    expect(parseLocalDateTime('yesterday')).toBeNull();
  });
  it('shows end-of-day deadlines as 24:00 of the day', () => {
    expect(formatShanghai(new Date('2026-11-06T16:00:00.000Z'))).toBe('2026年11月06日 24:00');
    expect(formatShanghai(new Date('2026-11-03T02:30:00.000Z'))).toBe('2026年11月03日 10:30');
  });
});

describe('keepableNumber', () => {
  it('keeps a number of our format with the prefix of its kind only', () => {
    expect(keepableNumber('TS2025031500012', 'complaint')).toEqual({ day: '2025-03-15', seq: 12 });
    expect(keepableNumber('TS2025031500012', 'report')).toBeNull();
    expect(keepableNumber('TS2025023000001', 'complaint')).toBeNull();
    expect(keepableNumber('TS2025031500000', 'complaint')).toBeNull();
    expect(keepableNumber('HIS-2025-0002', 'complaint')).toBeNull();
  });
});

describe('reply scripts', () => {
  it('looks a class up from the leaf to its family to the generic script', () => {
    expect(scriptLookupOrder('outage.repair')).toEqual(['outage.repair', 'outage', '*']);
    expect(scriptLookupOrder(null)).toEqual(['*']);
  });
  it('fills placeholders and lists the ones it could not fill', () => {
    expect(renderPlaceholders('{a}您好，编号{b}{c}', { a: '', b: 'TS1' })).toEqual({ text: '您好，编号TS1{c}', missing: ['c'] });
  });
});

describe('outageStats', () => {
  it('leaves cancelled outages out and counts a two-station outage for both stations', () => {
    const s = outageStats([
      {
        id: 1,
        number: 'A',
        status: 'restored',
        kind: 'fault',
        startAt: '2026-10-31T16:30:00.000Z',
        restoredAt: '2026-10-31T18:30:00.000Z',
        unitIds: [1, 2],
        orders: 5,
      },
      {
        id: 2,
        number: 'B',
        status: 'cancelled',
        kind: 'planned',
        startAt: '2026-11-02T00:00:00.000Z',
        restoredAt: null,
        unitIds: [1],
        orders: 0,
      },
      {
        id: 3,
        number: 'C',
        status: 'active',
        kind: 'planned',
        startAt: '2026-11-02T00:00:00.000Z',
        restoredAt: null,
        unitIds: [1],
        orders: 1,
      },
    ]);
    expect(s.total).toEqual({ count: 2, restored: 1, durationMinutes: 120, orders: 6, avgDurationMinutes: 120 });
    // 2026-10-31T16:30Z is already November in Asia/Shanghai.
    expect(s.byMonth.map((m) => [m.month, m.count])).toEqual([['2026-11', 2]]);
    expect(s.byUnit.find((u) => u.unitId === 2)?.count).toBe(1);
    expect(splitList('柳树村;王家庄、人民路 | 南街')).toEqual(['柳树村', '王家庄', '人民路', '南街']);
  });
});
