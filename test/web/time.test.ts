import { describe, expect, it } from 'vitest';
import { formatShanghai } from '../../server/domain/local-time.ts';
import { fmtTime, localizeTimes } from '../../web/src/lib/time.ts';

describe('web time formatting', () => {
  it('writes an instant in Asia/Shanghai whatever the zone of the machine', () => {
    expect(fmtTime('2026-12-05T09:53:44.511Z')).toBe('2026-12-05 17:53');
    expect(fmtTime('2026-12-05T09:53:44.511Z', true)).toBe('2026-12-05 17:53:44');
    expect(fmtTime(null)).toBe('—');
  });

  it('writes Shanghai midnight as 24:00 of the day before, as the deadline engine says it', () => {
    // 2026-12-11 24:00 Asia/Shanghai = 2026-12-11T16:00Z: the end of a working-day count.
    expect(fmtTime('2026-12-11T16:00:00.000Z')).toBe('2026-12-11 24:00');
    expect(formatShanghai(new Date('2026-12-11T16:00:00.000Z'))).toBe('2026年12月11日 24:00');
    expect(fmtTime('2026-12-11T16:00:00.001Z', true)).toBe('2026-12-12 00:00:00');
  });

  it('rewrites raw UTC instants inside a text in Shanghai time', () => {
    expect(localizeTimes('派单时限即将到期（2026-12-05T09:53:44.511Z）')).toBe('派单时限即将到期（2026-12-05 17:53）');
    expect(localizeTimes('回单被驳回：请补充材料')).toBe('回单被驳回：请补充材料');
  });
});
