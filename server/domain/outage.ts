import { parseLocalDateTime } from './local-time.ts';

export const OUTAGE_KINDS = [
  { code: 'planned', zh: '计划停电', en: 'Planned' },
  { code: 'fault', zh: '故障停电', en: 'Fault' },
] as const;
export type OutageKind = (typeof OUTAGE_KINDS)[number]['code'];
export const OUTAGE_STATUSES = [
  { code: 'active', zh: '停电中', en: 'Active' },
  { code: 'restored', zh: '已恢复', en: 'Restored' },
  { code: 'cancelled', zh: '已取消', en: 'Cancelled' },
] as const;
export type OutageStatus = (typeof OUTAGE_STATUSES)[number]['code'];

/** What the matcher needs of an outage. */
export interface OutageArea {
  unitIds: readonly number[];
  areas: readonly string[];
  feeders: readonly string[];
}

const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/**
 * Why an outage concerns a caller: their station is among its stations, or their address names one of its villages,
 * streets or feeders (or the short address they gave is part of one). Empty when it does not concern them.
 */
export function outageMatch(o: OutageArea, q: { unitId?: number | null; location?: string | null }): string[] {
  const reasons: string[] = [];
  if (q.unitId && o.unitIds.includes(q.unitId)) reasons.push('unit');
  const loc = q.location ? norm(q.location) : '';
  if (loc.length >= 2) {
    for (const a of o.areas) {
      const n = norm(a);
      if (n.length >= 2 && (loc.includes(n) || n.includes(loc))) reasons.push(`area:${a}`);
    }
    for (const f of o.feeders) {
      const n = norm(f);
      if (n.length >= 2 && (loc.includes(n) || n.includes(loc))) reasons.push(`feeder:${f}`);
    }
  }
  return reasons;
}

/** Splits a list cell: `柳树村;王家庄、人民路` → three names. */
export function splitList(cell: string | undefined): string[] {
  return (cell ?? '')
    .split(/[;；、|\n]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

const HEADINGS: Record<string, readonly string[]> = {
  kind: ['kind', '类型', '停电类型'],
  title: ['title', '标题', '名称', '停电事件'],
  cause: ['cause', '原因', '停电原因', '工作内容'],
  stations: ['stations', 'station', '供电所', '供电单位'],
  areas: ['areas', 'area', '区域', '停电区域', '停电范围', '村/街道'],
  feeders: ['feeders', 'feeder', '线路', '线路/台区', '台区'],
  startAt: ['startat', 'start', '开始时间', '停电开始时间', '停电时间'],
  expectedRestoreAt: ['expectedrestoreat', 'restoreat', '预计恢复时间', '预计送电时间', '恢复时间'],
};

/** A CSV line of the planned-outage import, validated. */
export interface OutageCsvRow {
  kind: OutageKind;
  title: string;
  cause: string;
  stations: string[];
  areas: string[];
  feeders: string[];
  startAt: Date;
  expectedRestoreAt: Date | null;
}

export interface LineProblem {
  line: number;
  field: string;
  problem: string;
}

/** Finds which column holds each field from the header row (English or Chinese headings). */
export function outageColumns(header: readonly string[]): { columns: Record<string, number>; problems: LineProblem[] } {
  const columns: Record<string, number> = {};
  header.forEach((h, i) => {
    const key = h.trim().toLowerCase();
    for (const [field, names] of Object.entries(HEADINGS)) if (names.includes(key) && columns[field] === undefined) columns[field] = i;
  });
  const problems: LineProblem[] = [];
  for (const f of ['title', 'stations', 'startAt'])
    if (columns[f] === undefined) problems.push({ line: 1, field: f, problem: `no column for ${f} (${HEADINGS[f]?.join(' / ')})` });
  return { columns, problems };
}

/** Validates one CSV line; station names or codes are resolved by the caller's `station` lookup. */
export function readOutageLine(
  line: number,
  cells: readonly string[],
  columns: Record<string, number>,
  station: (nameOrCode: string) => number | null,
): { row: (OutageCsvRow & { unitIds: number[] }) | null; problems: LineProblem[] } {
  const get = (f: string) => (columns[f] === undefined ? '' : (cells[columns[f] as number] ?? '').trim());
  const problems: LineProblem[] = [];
  const kindText = get('kind');
  let kind: OutageKind = 'planned';
  if (kindText) {
    if (['planned', '计划', '计划停电', '计划检修'].includes(kindText)) kind = 'planned';
    else if (['fault', '故障', '故障停电'].includes(kindText)) kind = 'fault';
    else problems.push({ line, field: 'kind', problem: `unknown kind "${kindText}" (计划停电 / 故障停电)` });
  }
  const title = get('title');
  if (!title) problems.push({ line, field: 'title', problem: 'is required' });
  if (title.length > 120) problems.push({ line, field: 'title', problem: 'is longer than 120 characters' });
  const stations = splitList(get('stations'));
  const unitIds: number[] = [];
  if (stations.length === 0) problems.push({ line, field: 'stations', problem: 'at least one 供电所 is required' });
  for (const s of stations) {
    const id = station(s);
    if (id === null) problems.push({ line, field: 'stations', problem: `unknown station "${s}"` });
    else unitIds.push(id);
  }
  const startAt = parseLocalDateTime(get('startAt'));
  if (!startAt) problems.push({ line, field: 'startAt', problem: `not a date-time: "${get('startAt')}"` });
  const restoreText = get('expectedRestoreAt');
  const expectedRestoreAt = restoreText ? parseLocalDateTime(restoreText) : null;
  if (restoreText && !expectedRestoreAt) problems.push({ line, field: 'expectedRestoreAt', problem: `not a date-time: "${restoreText}"` });
  if (startAt && expectedRestoreAt && expectedRestoreAt <= startAt)
    problems.push({ line, field: 'expectedRestoreAt', problem: 'must be after the start' });
  if (problems.length || !startAt) return { row: null, problems };
  return {
    row: {
      kind,
      title,
      cause: get('cause') || (kind === 'planned' ? '计划检修' : '故障'),
      stations,
      unitIds,
      areas: splitList(get('areas')),
      feeders: splitList(get('feeders')),
      startAt,
      expectedRestoreAt,
    },
    problems,
  };
}

/** One outage as the statistics see it. */
export interface OutageFact {
  id: number;
  number: string;
  status: string;
  kind: string;
  startAt: string;
  restoredAt: string | null;
  unitIds: readonly number[];
  orders: number;
}

interface Bucket {
  count: number;
  restored: number;
  durationMinutes: number;
  orders: number;
}

const bucket = (): Bucket => ({ count: 0, restored: 0, durationMinutes: 0, orders: 0 });
const SHANGHAI_MS = 8 * 3_600_000;

/**
 * Outage statistics (cancelled outages left out): count, restored count, total and average duration in minutes,
 * linked orders, overall and by station and by Asia/Shanghai month. An outage with two stations counts in both.
 */
export function outageStats(facts: readonly OutageFact[]) {
  const total = bucket();
  const byUnit = new Map<number, Bucket>();
  const byMonth = new Map<string, Bucket>();
  const add = (b: Bucket, f: OutageFact, minutes: number | null) => {
    b.count++;
    b.orders += f.orders;
    if (minutes !== null) {
      b.restored++;
      b.durationMinutes += minutes;
    }
  };
  for (const f of facts) {
    if (f.status === 'cancelled') continue;
    const minutes = f.restoredAt ? Math.max(0, Math.round((Date.parse(f.restoredAt) - Date.parse(f.startAt)) / 60_000)) : null;
    add(total, f, minutes);
    const month = new Date(Date.parse(f.startAt) + SHANGHAI_MS).toISOString().slice(0, 7);
    if (!byMonth.has(month)) byMonth.set(month, bucket());
    add(byMonth.get(month) as Bucket, f, minutes);
    for (const u of f.unitIds) {
      if (!byUnit.has(u)) byUnit.set(u, bucket());
      add(byUnit.get(u) as Bucket, f, minutes);
    }
  }
  const withAvg = (b: Bucket) => ({ ...b, avgDurationMinutes: b.restored ? Math.round(b.durationMinutes / b.restored) : null });
  return {
    total: withAvg(total),
    byUnit: [...byUnit.entries()].map(([unitId, b]) => ({ unitId, ...withAvg(b) })),
    byMonth: [...byMonth.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([month, b]) => ({ month, ...withAvg(b) })),
    perOutage: facts
      .filter((f) => f.status !== 'cancelled')
      .map((f) => ({
        id: f.id,
        number: f.number,
        kind: f.kind,
        status: f.status,
        durationMinutes: f.restoredAt ? Math.round((Date.parse(f.restoredAt) - Date.parse(f.startAt)) / 60_000) : null,
        orders: f.orders,
      })),
  };
}
