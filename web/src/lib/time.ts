import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone.js';
import utc from 'dayjs/plugin/utc.js';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every time on screen is Asia/Shanghai, whatever the browser's zone. */
export const ZONE = 'Asia/Shanghai';

/**
 * The one way a time is written on screen: UTC ISO → `2026-11-27 15:20` in Asia/Shanghai. An instant at exactly
 * Shanghai midnight is the end of the day before, written `2026-12-11 24:00` — how deadlines counted in days end
 * and how their explanations read — never `2026-12-12 00:00`.
 */
export function fmtTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const d = dayjs(iso).tz(ZONE);
  if (d.hour() === 0 && d.minute() === 0 && d.second() === 0 && d.millisecond() === 0)
    return `${d.subtract(1, 'day').format('YYYY-MM-DD')} ${withSeconds ? '24:00:00' : '24:00'}`;
  return d.format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
}

const ISO_INSTANT = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})/g;

/** Text that may carry raw ISO instants (notifications written before times were formatted) with each in Shanghai time. */
export function localizeTimes(text: string): string {
  return text.replace(ISO_INSTANT, (m) => fmtTime(m));
}

export function fmtDate(iso: string | null | undefined): string {
  return iso ? dayjs(iso).tz(ZONE).format('YYYY-MM-DD') : '—';
}

/** A dayjs value (from a picker) → ISO with the +08:00 offset the API accepts. */
export function toApiTime(d: dayjs.Dayjs): string {
  return d.tz(ZONE, true).format('YYYY-MM-DDTHH:mm:ssZ');
}

export interface Span {
  d: number;
  h: number;
  m: number;
}

/** Splits a millisecond span into days, hours and minutes (absolute value). */
export function span(ms: number): Span {
  const total = Math.floor(Math.abs(ms) / 60_000);
  return { d: Math.floor(total / 1440), h: Math.floor((total % 1440) / 60), m: total % 60 };
}

export { dayjs };
