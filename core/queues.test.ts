import { describe, expect, it } from 'vitest';
import { en } from '../web/src/i18n/en.ts';
import { zh } from '../web/src/i18n/zh.ts';
import { COUNTED_QUEUES, QUEUE_NAMES, QUEUES, queueCounts, ROLE_QUEUES } from './queues.ts';
import { OPEN_STATES } from './workflow/states.ts';

describe('work queues', () => {
  it('put every open state in exactly one counted queue of states (a queue without a mark)', () => {
    for (const s of OPEN_STATES) {
      const holding = COUNTED_QUEUES.filter((q) => !('mark' in QUEUES[q]) && (QUEUES[q].states as readonly string[]).includes(s));
      expect(holding, s).toHaveLength(1);
    }
  });

  it('give each role only counted queues', () => {
    for (const qs of Object.values(ROLE_QUEUES)) for (const q of qs) expect(COUNTED_QUEUES).toContain(q);
  });

  it('have a zh and an en label each', () => {
    expect(Object.keys(zh.queue).sort()).toEqual([...QUEUE_NAMES].sort());
    expect(Object.keys(en.queue).sort()).toEqual([...QUEUE_NAMES].sort());
  });

  it('count a queue of states as the sum of its states, and a marked queue as its mark', () => {
    const c = queueCounts({ pending_dispatch: 2, in_progress: 3, suspended: 4, closed: 9 }, { warned: 5, overdue: 6, supervised: 7 });
    expect(c).toEqual({ to_dispatch: 2, to_sign: 0, in_progress: 7, to_review: 0, to_revisit: 0, warned: 5, overdue: 6, supervised: 7 });
  });
});
