import dayjs from 'dayjs';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/zh-cn';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Every time on screen is Asia/Shanghai, whatever the browser's zone. */
export const ZONE = 'Asia/Shanghai';

/** UTC ISO → `2026-11-27 15:20` in Asia/Shanghai. */
export function fmtTime(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  return dayjs(iso)
    .tz(ZONE)
    .format(withSeconds ? 'YYYY-MM-DD HH:mm:ss' : 'YYYY-MM-DD HH:mm');
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
