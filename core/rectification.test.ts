import { describe, expect, it } from 'vitest';
import {
  RECTIFICATION_ACTIONS,
  RECTIFICATION_START,
  RECTIFICATION_STATE_CODES,
  RECTIFICATION_STATES,
  type RectificationAction,
  type RectificationState,
  rectificationActorMay,
  rectificationAllows,
} from './rectification.ts';

const ACTIONS = Object.keys(RECTIFICATION_ACTIONS) as RectificationAction[];
const next = (s: RectificationState) =>
  ACTIONS.filter((a) => rectificationAllows(s, a)).flatMap((a) => (RECTIFICATION_ACTIONS[a].to ? [RECTIFICATION_ACTIONS[a].to] : []));

describe('the rectification table', () => {
  it('reaches every state from the start, and closed from every open state', () => {
    const seen = new Set<RectificationState>([RECTIFICATION_START]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const s of [...seen]) for (const t of next(s)) if (!seen.has(t)) grew = Boolean(seen.add(t));
    }
    expect([...seen].sort()).toEqual([...RECTIFICATION_STATE_CODES].sort());
    for (const s of RECTIFICATION_STATE_CODES.filter((x) => RECTIFICATION_STATES[x].open)) {
      const reach = new Set<RectificationState>([s]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const x of [...reach]) for (const t of next(x)) if (!reach.has(t)) grew = Boolean(reach.add(t));
      }
      expect(reach.has('closed'), s).toBe(true);
    }
  });

  it('allows no action on a closed rectification', () => {
    expect(ACTIONS.filter((a) => rectificationAllows('closed', a))).toEqual([]);
  });

  it('lets the unit submit and the centre verify, and either add evidence', () => {
    expect(rectificationActorMay('submit', { unit: true, centre: false })).toBe(true);
    expect(rectificationActorMay('submit', { unit: false, centre: true })).toBe(false);
    expect(rectificationActorMay('pass', { unit: true, centre: false })).toBe(false);
    expect(rectificationActorMay('evidence', { unit: false, centre: true })).toBe(true);
  });
});
