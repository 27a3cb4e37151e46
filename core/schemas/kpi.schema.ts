import { Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';
import { Drill, KpiDef, Kpis, NamedRange } from './stats.schema.ts';

const UnitRef = Type.Object({ id: Type.Integer(), name: Type.String() });
const Better = Type.Union([Type.Literal('higher'), Type.Literal('lower')]);
const { code, zh, en, unit, definition } = KpiDef.properties;

/** `GET|PUT /kpi-targets`: the targets in force for a unit and where each comes from (its own or a unit above). */
export const KpiTargets = Type.Object({
  unit: UnitRef,
  items: Type.Array(
    Type.Object({
      code,
      zh,
      en,
      unit,
      definition,
      better: Better,
      target: Nullable(Type.Number()),
      own: Type.Boolean(),
      from: Nullable(UnitRef),
      updatedAt: Nullable(IsoTime),
    }),
  ),
});

/** `GET /kpi-targets/history`: who changed which target when, newest first. */
export const KpiTargetHistory = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.Integer(),
      kpi: Type.String(),
      kpiName: Type.String(),
      unit: UnitRef,
      oldTarget: Nullable(Type.Number()),
      newTarget: Nullable(Type.Number()),
      note: Type.String(),
      changedBy: Type.String(),
      changedAt: IsoTime,
    }),
  ),
});

const FormulaPart = Nullable(Type.Object({ measure: Type.String(), value: Type.Number() }));

/** One KPI of the board: figure, formula parts, previous period, target and whether it is met. */
export const BoardItem = Type.Object({
  code,
  zh,
  en,
  unit,
  definition,
  formula: Type.Object({ zh: Type.String(), en: Type.String(), num: FormulaPart, den: FormulaPart }),
  better: Better,
  value: Nullable(Type.Number()),
  previous: Nullable(Type.Number()),
  target: Nullable(Type.Number()),
  targetFrom: Nullable(UnitRef),
  met: Nullable(Type.Boolean()),
});

/** `GET /stats/kpi-board` (JSON): every KPI of a period and unit. */
export const KpiBoard = Type.Object({
  range: NamedRange,
  previous: NamedRange,
  unit: Type.Object({ id: Type.Integer(), name: Type.String(), customers: Type.Number() }),
  drill: Drill,
  items: Type.Array(BoardItem),
});

const Counted = Type.Object({ n: Type.Number(), drill: Drill });

/** `GET /stats/cockpit`: the leader cockpit for a month; every figure carries its drill-down. */
export const Cockpit = Type.Object({
  month: Type.String(),
  name: Type.String(),
  previous: NamedRange,
  unit: KpiBoard.properties.unit,
  kpis: Type.Array(Type.Object({ ...BoardItem.properties, drill: Drill })),
  orders: Counted,
  trend: Type.Array(
    Type.Object({ month: Type.String(), name: Type.String(), n: Type.Number(), kpis: Nullable(Kpis), drill: Nullable(Drill) }),
  ),
  units: Type.Array(
    Type.Object({
      unit: UnitRef,
      n: Type.Number(),
      complaintsPer10k: Nullable(Type.Number()),
      satisfactionRate: Nullable(Type.Number()),
      drill: Drill,
    }),
  ),
  hotCauses: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), n: Type.Number(), drill: Drill })),
  regulator: Type.Array(Type.Object({ channel: Type.String(), name: Type.String(), n: Type.Number(), drill: Nullable(Drill) })),
  highRisk: Counted,
  overdue: Type.Object({ ...Counted.properties, byUnit: Type.Array(Type.Object({ unit: UnitRef, n: Type.Number(), drill: Drill })) }),
});
