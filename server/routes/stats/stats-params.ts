import { Type } from 'typebox';
import { ListQuery } from '../../../core/schemas/ticket.schema.ts';
import { DIMENSIONS, type Dimension, GRAINS, KPIS } from '../../../core/stats.ts';
import { periodRange } from '../../domain/stats/period.ts';
import { invalidField } from '../../errors.ts';
import type { ExportColumn, ExportFormat } from '../../services/export/table-writer.ts';
import { resolveRange, type StatsFilter, type StatsResult } from '../../services/stats.service.ts';

const list = Type.Optional(Type.String({ maxLength: 400 }));
const Format = Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xlsx'), Type.Literal('csv')]));

/** Filters on every dimension (comma lists) and the period, shared by the statistics routes. */
export const FilterProps = {
  period: Type.Optional(Type.String({ maxLength: 12 })),
  from: Type.Optional(Type.String({ maxLength: 10 })),
  to: Type.Optional(Type.String({ maxLength: 10 })),
  orgId: Type.Optional(Type.Integer({ minimum: 1 })),
  kind: list,
  class: list,
  channel: list,
  area: list,
  verification: list,
  rootCause: list,
  grade: list,
  classLevel: Type.Optional(Type.Union([Type.Literal('root'), Type.Literal('leaf')])),
  format: Format,
};

export const StatsQuery = Type.Object({
  ...FilterProps,
  groupBy: Type.Optional(Type.String({ maxLength: 64 })),
  grain: Type.Optional(Type.Union(GRAINS.map((g) => Type.Literal(g)))),
  orgParent: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const CompareQuery = Type.Object({
  ...FilterProps,
  a: Type.String({ maxLength: 12 }),
  b: Type.String({ maxLength: 12 }),
  by: Type.Optional(Type.Union(DIMENSIONS.filter((d) => d !== 'period').map((d) => Type.Literal(d)))),
});

export const ReportQuery = Type.Object({
  ...FilterProps,
  before: Type.Optional(Type.String({ maxLength: 12 })),
  by: Type.Optional(Type.Union([Type.Literal('class'), Type.Literal('root_cause')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20000 })),
});

export const TicketExportQuery = Type.Object({ ...ListQuery.properties, format: Type.Union([Type.Literal('xlsx'), Type.Literal('csv')]) });

type FilterQuery = { [K in keyof typeof FilterProps]?: unknown } & {
  orgId?: number;
  kind?: string;
  class?: string;
  channel?: string;
  area?: string;
  verification?: string;
  rootCause?: string;
  grade?: string;
};

const split = (v: string | undefined) => (v ? v.split(',').filter(Boolean) : undefined);

/** The statistics filter of a query string. */
export function filterOf(q: FilterQuery): StatsFilter {
  const f: StatsFilter = {};
  if (q.orgId !== undefined) f.orgId = q.orgId;
  const set = <K extends keyof StatsFilter>(k: K, v: StatsFilter[K] | undefined) => {
    if (v !== undefined) f[k] = v;
  };
  set('kinds', split(q.kind));
  set('classes', split(q.class));
  set('channels', split(q.channel));
  set('areas', split(q.area));
  set('verifications', split(q.verification));
  set('rootCauses', split(q.rootCause));
  set('grades', split(q.grade));
  return f;
}

/** The dimensions of `groupBy=period,org`. */
export function dimensionsOf(s: string | undefined): Dimension[] {
  const out = split(s) ?? [];
  for (const d of out) if (!(DIMENSIONS as readonly string[]).includes(d)) throw invalidField('groupBy', `unknown dimension "${d}"`);
  return out as Dimension[];
}

/** A period label or from/to as a range (`name` is the parameter reported on error). */
export function rangeOf(q: { period?: string; from?: string; to?: string }, now: Date) {
  return resolveRange(q, now);
}

/** A period label as a range, or a 400 naming the field. */
export function labelRange(label: string, field: string) {
  const r = periodRange(label);
  if (!r) throw invalidField(field, 'use 2026, 2026-H1, 2026-Q2, 2026-05 or 2026-05-04');
  return r;
}

/** The export columns of a statistics result: its dimensions, then every KPI. */
export function statsColumns(r: StatsResult): ExportColumn[] {
  const type = (u: string) => (u === 'percent' ? 'percent' : u === 'count' ? 'int' : 'number') as ExportColumn['type'];
  return [
    ...r.dimensions.map((d) => ({ key: `d:${d.code}`, zh: d.zh, width: 18 })),
    ...KPIS.map((k) => ({ key: k.code, zh: k.zh, type: type(k.unit) })),
  ];
}

/** The export rows of a statistics result, with a total line. */
export function statsRows(r: StatsResult) {
  const row = (x: StatsResult['rows'][number], total: boolean) => ({
    ...Object.fromEntries(r.dimensions.map((d, i) => [`d:${d.code}`, total ? (i === 0 ? '合计' : '') : (x.keys[d.code]?.label ?? '')])),
    ...x.kpis,
  });
  return [...r.rows.map((x) => row(x, false)), row(r.total, true)];
}

export type { ExportFormat };
