/** A source of the current time; tests inject a frozen or stepping clock. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** The fixed-width ISO form in which every timestamp is stored. */
export function iso(d: Date): string {
  return d.toISOString();
}

/** 0/1 column value for a boolean. */
export function bit(b: boolean): number {
  return b ? 1 : 0;
}
