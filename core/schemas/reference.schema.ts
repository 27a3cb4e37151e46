import { type Static, Type } from 'typebox';
import { IsoTime, ReadonlyList } from './common.schema.ts';

/**
 * An entry of a code list (kinds, channels, grades, root causes …): its code and labels. Some lists carry more
 * (a grade's rank, a role's description …); those fields are sent as they stand in core/taxonomy.ts.
 */
const Labelled = Type.Object({ code: Type.String(), zh: Type.String(), en: Type.String() });

/** A class of the class tree as admins keep it. */
export const TaxonomyClass = Type.Object({
  code: Type.String(),
  parent: Type.Union([Type.String(), Type.Null()]),
  family: Type.String(),
  zh: Type.String(),
  en: Type.String(),
  active: Type.Boolean(),
});

/** `GET /taxonomy`: the code lists, the class tree and the workflow table (states and actions) for the web. */
export const Taxonomy = Type.Object({
  kinds: ReadonlyList(Labelled),
  channels: ReadonlyList(Labelled),
  grades: ReadonlyList(Labelled),
  classes: ReadonlyList(TaxonomyClass),
  rootCauses: ReadonlyList(Labelled),
  verificationResults: ReadonlyList(Labelled),
  returnReasons: ReadonlyList(Labelled),
  revisitOutcomes: ReadonlyList(Labelled),
  invalidReasons: ReadonlyList(Labelled),
  responsibility: ReadonlyList(Labelled),
  orgUnitKinds: ReadonlyList(Labelled),
  areaTypes: ReadonlyList(Labelled),
  roles: ReadonlyList(Labelled),
  states: ReadonlyList(
    Type.Object({
      ...Labelled.properties,
      open: Type.Boolean(),
      clocks: Type.Union([Type.Literal('running'), Type.Literal('paused'), Type.Literal('stopped')]),
    }),
  ),
  /** The workflow actions: from-states ('open': every open state), to-state, permission, fields, guards, clock effects. */
  actions: ReadonlyList(
    Type.Object({
      ...Labelled.properties,
      from: Type.Union([Type.Literal('open'), ReadonlyList(Type.String())]),
      to: Type.String(),
      permission: Type.String(),
      /** The input fields by name with their rules (type, required, list of codes …), as core/workflow/actions.ts has them. */
      fields: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })),
      guards: ReadonlyList(Type.String()),
      effects: ReadonlyList(Type.String()),
      primary: Type.Optional(Type.Boolean()),
    }),
  ),
});

/** A length of time in one unit: clock hours, working days or natural days. */
export const Duration = Type.Object({
  unit: Type.Union([Type.Literal('hours'), Type.Literal('workdays'), Type.Literal('days')]),
  n: Type.Integer(),
});

/** The admin-editable time limits (one version of them). */
export const TimePolicyRules = Type.Object({
  dispatch: Duration,
  firstContact: Duration,
  reply: Type.Object({ byKind: Type.Record(Type.String(), Duration), byChannel: Type.Record(Type.String(), Duration) }),
  promise: Type.Object({ byKind: Type.Record(Type.String(), Duration) }),
  revisit: Duration,
  warning: Type.Object({ fraction: Type.Number(), minWorkdaysBefore: Type.Integer() }),
});

/** A version of the time limits, in force from `effectiveFrom` (id 0: the built-in default). */
export const PolicyVersion = Type.Object({ id: Type.Integer(), effectiveFrom: IsoTime, rules: TimePolicyRules, note: Type.String() });
export type PolicyVersion = Static<typeof PolicyVersion>;

export const PolicyList = Type.Object({ items: Type.Array(PolicyVersion) });
export const PolicyCreated = Type.Object({ policy: PolicyVersion });

/** `GET /calendar`: the admin overrides and the years entered by admins. */
export const CalendarData = Type.Object({
  overrides: Type.Array(Type.Object({ date: Type.String(), workday: Type.Boolean(), note: Type.String() })),
  years: Type.Array(Type.Object({ year: Type.Integer(), note: Type.String() })),
});
