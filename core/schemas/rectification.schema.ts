import { type Static, Type } from 'typebox';
import { RECTIFICATION_STATE_CODES } from '../rectification.ts';
import { IsoTime, literalsOf, Nullable } from './common.schema.ts';

const Label = Type.Object({ zh: Type.String(), en: Type.String() });
const Verdict = Type.Union([Type.Literal('effective'), Type.Literal('ineffective')]);

/** One period of the effect check (Shanghai dates) with its complaint count and rate per 10,000 customers a month. */
export const EffectPeriod = Type.Object({
  from: Type.String(),
  to: Type.String(),
  count: Type.Integer(),
  ratePer10kPerMonth: Nullable(Type.Number()),
});

/** The cause's complaints before raising and after verification, and the verdict (fewer after: effective). */
export const EffectFigures = Type.Object({
  before: EffectPeriod,
  after: EffectPeriod,
  customers: Type.Number(),
  verdict: Verdict,
});
export type EffectFigures = Static<typeof EffectFigures>;

/** A rectification order (整改单). */
export const Rectification = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  unitId: Type.Integer(),
  unitName: Type.String(),
  source: Type.Union([Type.Literal('order'), Type.Literal('orders'), Type.Literal('figure')]),
  /** The statistics filter behind a figure it was raised from: open, as the statistics page wrote it. */
  sourceFilter: Nullable(Type.Record(Type.String(), Type.Unknown())),
  classCode: Nullable(Type.String()),
  rootCause: Nullable(Type.String()),
  problem: Type.String(),
  measures: Type.String(),
  deadlineDays: Type.Integer(),
  dueAt: IsoTime,
  state: literalsOf(RECTIFICATION_STATE_CODES),
  stateLabel: Label,
  response: Nullable(Type.String()),
  effectMonths: Type.Integer(),
  effectDueAt: Nullable(IsoTime),
  effect: Nullable(EffectFigures),
  effectVerdict: Nullable(Verdict),
  warned: Type.Boolean(),
  overdue: Type.Boolean(),
  version: Type.Integer(),
  createdAt: IsoTime,
  submittedAt: Nullable(IsoTime),
  verifiedAt: Nullable(IsoTime),
  closedAt: Nullable(IsoTime),
});
export type Rectification = Static<typeof Rectification>;

export const RectificationList = Type.Object({ items: Type.Array(Rectification) });

/** An evidence file as listed (its bytes come from `GET /rectification-files/:id`). */
export const EvidenceFile = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  mime: Type.String(),
  size: Type.Integer(),
  createdAt: IsoTime,
});

/** One rectification with what the reader may do now, its orders (those hidden only counted), history and files. */
export const RectificationDetail = Type.Object({
  rectification: Rectification,
  can: Type.Object({ submit: Type.Boolean(), evidence: Type.Boolean(), verify: Type.Boolean(), effectCheck: Type.Boolean() }),
  orders: Type.Array(
    Type.Object({
      id: Type.Integer(),
      number: Type.String(),
      subject: Type.String(),
      state: Type.String(),
      class_code: Nullable(Type.String()),
      verification: Nullable(Type.String()),
    }),
  ),
  withheld: Type.Object({ count: Type.Integer(), label: Nullable(Label) }),
  events: Type.Array(Type.Object({ action: Type.String(), note: Nullable(Type.String()), at: IsoTime, actorName: Type.String() })),
  files: Type.Array(EvidenceFile),
});

/** The effect figures so far (`final: false`) or the recorded result of a closed rectification (`final: true`). */
export const EffectPreview = Type.Object({ effect: Type.Object({ final: Type.Boolean(), ...EffectFigures.properties }) });

/** `POST /rectifications/:id/effect-check`: the recorded result and the closed rectification. */
export const EffectChecked = Type.Object({ result: EffectFigures, ...RectificationDetail.properties });

export const EvidenceAdded = Type.Object({ file: EvidenceFile });
