import type { Clock } from './time.ts';

/** A clock that can be set, for seeding history and for tests. */
export interface TestableClock extends Clock {
  set(t: Date): void;
}

/** A settable clock starting at `start`. */
export function steppingClock(start: Date): TestableClock {
  let now = start.getTime();
  const clock = (() => new Date(now)) as TestableClock;
  clock.set = (t: Date) => {
    now = t.getTime();
  };
  return clock;
}
