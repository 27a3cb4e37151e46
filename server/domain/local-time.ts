const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const LOCAL = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T]+(\d{1,2})[:：时](\d{1,2})(?:[:：分](\d{1,2}))?秒?)?$/;

/**
 * Reads a date-time typed by people or exported by other systems: ISO 8601 with a zone is taken as is; a zone-less
 * `2026-11-27 08:30`, `2026/11/27 8:30:00`, `2026年11月27日 08:30` or a bare date is Asia/Shanghai wall time.
 * Returns null when the text is no valid time.
 */
export function parseLocalDateTime(text: string): Date | null {
  const s = text.trim();
  if (/[zZ]$|[+-]\d{2}:?\d{2}$/.test(s) && s.includes('T')) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? new Date(t) : null;
  }
  const m = LOCAL.exec(s);
  if (!m) return null;
  const [y, mo, d, h = '0', mi = '0', se = '0'] = m.slice(1).map((x) => x ?? undefined) as string[];
  const parts = [Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(se)] as const;
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5]);
  const back = new Date(utc);
  // Reject rollovers such as 2026-02-30 or 25:00.
  if (back.getUTCMonth() !== parts[1] - 1 || back.getUTCDate() !== parts[2] || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) return null;
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

/**
 * A spreadsheet cell date: Excel stores wall time without a zone and exceljs hands it over as if it were UTC, so the
 * UTC fields are Asia/Shanghai wall time.
 */
export function excelWallTime(d: Date): Date {
  return new Date(d.getTime() - SHANGHAI_OFFSET_MS);
}

/** Asia/Shanghai display of a deadline: `2026年11月06日 24:00` for end-of-day deadlines, else `… 10:30`. */
export function formatShanghai(d: Date): string {
  const local = new Date(d.getTime() + SHANGHAI_OFFSET_MS);
  let day = local;
  let hm = local.toISOString().slice(11, 16);
  if (hm === '00:00') {
    day = new Date(local.getTime() - 86_400_000);
    hm = '24:00';
  }
  const iso = day.toISOString();
  return `${iso.slice(0, 4)}年${iso.slice(5, 7)}月${iso.slice(8, 10)}日 ${hm}`;
}
