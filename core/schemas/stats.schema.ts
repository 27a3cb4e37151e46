import { type Static, Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';

/** The query string of `GET /api/v1/tickets` that lists the orders behind a figure (its drill-down). */
export const Drill = Type.Record(Type.String(), Type.String());

const Label = Type.Object({ zh: Type.String(), en: Type.String() });

/** A value of a dimension (a unit id, a class code, a month …) with its display label. */
export const DimValue = Type.Object({ code: Type.String(), label: Type.String() });

/** The measures of a row by name (n, complaints, overdue …; see docs/statistics.md). */
export const Measures = Type.Record(Type.String(), Type.Number());

/** The KPIs of a row by code; null where the figure has no denominator. */
export const Kpis = Type.Record(Type.String(), Nullable(Type.Number()));

/** A KPI with the definition shown beside the figure. */
export const KpiDef = Type.Object({
  code: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  unit: Type.Union([Type.Literal('count'), Type.Literal('percent'), Type.Literal('per10k'), Type.Literal('hours')]),
  definition: Label,
  kinds: Type.Union([Type.Literal('all'), Type.Literal('cases'), Type.Literal('complaints')]),
});

/** The KPI definitions (the server answers its frozen table as it stands). */
export const KpiDefs = Type.Unsafe<ReadonlyArray<Static<typeof KpiDef>>>(Type.Array(KpiDef));

/** A range of Shanghai dates (inclusive). */
export const DateRange = Type.Object({ from: Type.String(), to: Type.String() });
/** A range of Shanghai dates with its name (2026年11月, 2026年第四季度 …). */
export const NamedRange = Type.Object({ ...DateRange.properties, name: Type.String() });

/** One row of a statistics query: its dimension values, measures, KPIs and drill-down. */
export const StatsRow = Type.Object({
  keys: Type.Record(Type.String(), DimValue),
  measures: Measures,
  kpis: Kpis,
  drill: Drill,
});

/** `GET /stats`: the rows grouped by the asked dimensions and the total. */
export const StatsResult = Type.Object({
  range: NamedRange,
  groupBy: Type.Array(Type.String()),
  grain: Nullable(Type.String()),
  dimensions: Type.Array(Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() })),
  kpiDefinitions: KpiDefs,
  rows: Type.Array(StatsRow),
  total: StatsRow,
});

/** `GET /stats/kpis`: the KPI definitions and the built-in reports (code → title). */
export const KpiCatalogue = Type.Object({
  kpis: KpiDefs,
  reports: Type.Record(Type.String(), Type.String()),
});

const CompareSide = Type.Object({ count: Type.Number(), share: Nullable(Type.Number()), kpis: Nullable(Kpis), drill: Nullable(Drill) });

/** `GET /stats/compare`: two periods side by side by one dimension. */
export const StatsComparison = Type.Object({
  by: Type.String(),
  a: Type.Object({ ...NamedRange.properties, total: Type.Number(), kpis: Kpis }),
  b: Type.Object({ ...NamedRange.properties, total: Type.Number(), kpis: Kpis }),
  change: Type.Number(),
  changeRate: Nullable(Type.Number()),
  rows: Type.Array(
    Type.Object({ key: DimValue, a: CompareSide, b: CompareSide, change: Type.Number(), changeRate: Nullable(Type.Number()) }),
  ),
  kpiDefinitions: KpiDefs,
});

/** A cell of a table: text, a number or empty (a cell left undefined is absent from the JSON). */
const Cell = Type.Unsafe<string | number | null | undefined>(Nullable(Type.Union([Type.String(), Type.Number()])));

/** `GET /stats/reports/:code`: a titled table whose rows (and cells) drill down to their orders. */
export const ReportTable = Type.Object({
  code: Type.String(),
  title: Type.String(),
  subtitle: Type.String(),
  columns: Type.Array(
    Type.Object({
      key: Type.String(),
      zh: Type.String(),
      type: Type.Optional(
        Type.Union([Type.Literal('text'), Type.Literal('int'), Type.Literal('percent'), Type.Literal('number'), Type.Literal('datetime')]),
      ),
      width: Type.Optional(Type.Number()),
    }),
  ),
  rows: Type.Array(
    Type.Object({
      cells: Type.Record(Type.String(), Cell),
      drill: Type.Optional(Drill),
      cellDrill: Type.Optional(Type.Record(Type.String(), Drill)),
    }),
  ),
});

/** `GET /stats/bulletin`: a company's monthly bulletin (units ranked, causes, substantiated cases, rectifications). */
export const Bulletin = Type.Object({
  company: Type.Object({ id: Type.Integer(), name: Type.String() }),
  month: Type.String(),
  title: Type.String(),
  range: DateRange,
  /** The month's measures by name, with its KPIs. */
  totals: Type.Object({ kpis: Kpis }, { additionalProperties: Type.Number() }),
  previous: Type.Object({ month: Type.String(), n: Type.Number(), change: Type.Number(), changeRate: Nullable(Type.Number()) }),
  units: Type.Array(
    Type.Object({
      unitId: Type.Integer(),
      unit: Type.String(),
      n: Type.Number(),
      complaints: Type.Number(),
      overdue: Type.Number(),
      returned: Type.Number(),
      replyOnTimeRate: Nullable(Type.Number()),
      satisfactionRate: Nullable(Type.Number()),
      complaintsPer10k: Nullable(Type.Number()),
      rankComplaints: Type.Integer(),
      rankOverdue: Type.Integer(),
      rankSatisfaction: Type.Integer(),
      drill: Drill,
    }),
  ),
  classes: Type.Array(
    Type.Object({
      code: Type.String(),
      label: Type.String(),
      n: Type.Number(),
      share: Nullable(Type.Number()),
      substantiated: Type.Number(),
      drill: Drill,
    }),
  ),
  cases: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      unit: Type.String(),
      class: Type.String(),
      classRoot: Type.String(),
      subject: Type.String(),
      verification: Type.String(),
      rootCause: Type.String(),
      responsibility: Type.String(),
    }),
  ),
  /** The cases the reader may not see, cited by count alone ("1 件举报（已保密）"). */
  withheldCases: Nullable(Label),
  rectifications: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      unit: Type.String(),
      problem: Type.String(),
      dueAt: IsoTime,
      state: Type.String(),
      stateLabel: Type.String(),
      overdue: Type.Boolean(),
      verdict: Nullable(Type.String()),
    }),
  ),
});

/** `GET /api/public/stats`: aggregated monthly figures per company, nothing personal. */
export const PublicFigures = Type.Object({
  month: Type.String(),
  name: Type.String(),
  companies: Type.Array(
    Type.Object({
      name: Type.String(),
      orders: Type.Number(),
      complaints: Type.Number(),
      byClass: Type.Array(Type.Object({ code: Type.String(), label: Type.String(), n: Type.Number() })),
      replyOnTimeRate: Nullable(Type.Number()),
      satisfactionRate: Nullable(Type.Number()),
      complaintsPer10k: Nullable(Type.Number()),
    }),
  ),
});
