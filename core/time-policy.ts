import { CHANNELS, type Channel, KINDS, type Kind } from './taxonomy.ts';

/** Labels of the clocks (and of a forwarding body's own deadline). */
export const CLOCK_LABELS: Readonly<Record<ClockName | 'external', { zh: string; en: string }>> = {
  dispatch: { zh: '派单', en: 'Dispatch' },
  first_contact: { zh: '首次联系客户', en: 'First contact' },
  reply: { zh: '回单', en: 'Reply' },
  promise: { zh: '答复承诺', en: 'Promise to the customer' },
  revisit: { zh: '回访', en: 'Call-back' },
  external: { zh: '转办单位时限', en: 'Forwarding body deadline' },
};

/** A length of time in one unit: clock hours, working days or natural (calendar) days. */
export type Duration = { unit: 'hours' | 'workdays' | 'days'; n: number };

/** The clocks that run on a work order. */
export type ClockName = 'dispatch' | 'first_contact' | 'reply' | 'promise' | 'revisit';

export const DURATION_UNITS = ['hours', 'workdays', 'days'] as const;
const KIND_CODES: readonly Kind[] = KINDS.map((k) => k.code);
const CHANNEL_CODES: readonly Channel[] = CHANNELS.map((c) => c.code);
export const MAX_DURATION_N = 365;

/** The admin-editable time limits (one version of them). */
export interface TimePolicyRules {
  /** From intake. */
  dispatch: Duration;
  /** From dispatch. */
  firstContact: Duration;
  /** From dispatch; a rule for the channel wins over the rule for the kind. */
  reply: { byKind: Partial<Record<Kind, Duration>>; byChannel: Partial<Record<Channel, Duration>> };
  /** From intake; kinds without a rule have no promise clock. */
  promise: { byKind: Partial<Record<Kind, Duration>> };
  /** From approval. */
  revisit: Duration;
  /** Warn when ≤ fraction of a window is left, and (working-day rules) at least this many working days before. */
  warning: { fraction: number; minWorkdaysBefore: number };
}

const wd = (n: number): Duration => ({ unit: 'workdays', n });

export const DEFAULT_TIME_POLICY: TimePolicyRules = {
  dispatch: { unit: 'hours', n: 2 },
  firstContact: { unit: 'hours', n: 24 },
  reply: {
    byKind: { complaint: wd(4), report: wd(9), opinion: wd(9), suggestion: wd(9), praise: wd(9) },
    byChannel: { regulator_12398: wd(10), gov_12345: { unit: 'days', n: 7 } },
  },
  promise: { byKind: { complaint: wd(5) } },
  revisit: wd(1),
  warning: { fraction: 0.25, minWorkdaysBefore: 1 },
};

const POLICY_KEYS = ['dispatch', 'firstContact', 'reply', 'promise', 'revisit', 'warning'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function checkDuration(x: unknown, path: string, problems: string[]): void {
  if (!isRecord(x)) {
    problems.push(`${path}: expected { unit, n }`);
    return;
  }
  if (!(DURATION_UNITS as readonly unknown[]).includes(x.unit)) {
    problems.push(`${path}.unit: expected one of ${DURATION_UNITS.join(', ')}`);
  }
  const n = x.n;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_DURATION_N) {
    problems.push(`${path}.n: expected an integer from 1 to ${MAX_DURATION_N}`);
  }
}

function checkDurationMap(x: unknown, path: string, keys: readonly string[], problems: string[]): void {
  if (!isRecord(x)) {
    problems.push(`${path}: expected an object`);
    return;
  }
  for (const [key, value] of Object.entries(x)) {
    if (!keys.includes(key)) problems.push(`${path}.${key}: unknown key`);
    else checkDuration(value, `${path}.${key}`, problems);
  }
}

/** Checks an untrusted value against the TimePolicyRules shape, reporting every problem at once. */
export function validateTimePolicy(x: unknown): { ok: true; value: TimePolicyRules } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (!isRecord(x)) return { ok: false, problems: ['policy: expected an object'] };
  for (const key of Object.keys(x)) {
    if (!POLICY_KEYS.includes(key)) problems.push(`${key}: unknown key`);
  }
  checkDuration(x.dispatch, 'dispatch', problems);
  checkDuration(x.firstContact, 'firstContact', problems);
  checkDuration(x.revisit, 'revisit', problems);
  if (isRecord(x.reply)) {
    checkDurationMap(x.reply.byKind, 'reply.byKind', KIND_CODES, problems);
    checkDurationMap(x.reply.byChannel, 'reply.byChannel', CHANNEL_CODES, problems);
  } else problems.push('reply: expected { byKind, byChannel }');
  if (isRecord(x.promise)) checkDurationMap(x.promise.byKind, 'promise.byKind', KIND_CODES, problems);
  else problems.push('promise: expected { byKind }');
  if (isRecord(x.warning)) {
    const { fraction, minWorkdaysBefore: min } = x.warning;
    if (typeof fraction !== 'number' || !(fraction >= 0 && fraction <= 1)) {
      problems.push('warning.fraction: expected a number from 0 to 1');
    }
    if (typeof min !== 'number' || !Number.isInteger(min) || min < 0 || min > 30) {
      problems.push('warning.minWorkdaysBefore: expected an integer from 0 to 30');
    }
  } else problems.push('warning: expected { fraction, minWorkdaysBefore }');
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: x as unknown as TimePolicyRules };
}
