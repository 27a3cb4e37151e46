import { type Static, Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';

/** A reply script (话术) as written, its placeholders unfilled; class `*` is the generic one. */
export const Script = Type.Object({
  id: Type.Integer(),
  classCode: Type.String(),
  title: Type.String(),
  empathy: Type.String(),
  explanation: Type.String(),
  promise: Type.String(),
  deescalation: Type.String(),
  active: Type.Boolean(),
  updatedAt: IsoTime,
});
export type Script = Static<typeof Script>;

export const ScriptList = Type.Object({ items: Type.Array(Script) });

/** A script rendered for a class or an order: four sections with the values filled in and those that were missing. */
export const RenderedScript = Type.Object({
  scriptId: Type.Integer(),
  classCode: Type.String(),
  title: Type.String(),
  sections: Type.Array(
    Type.Object({
      code: Type.Union([Type.Literal('empathy'), Type.Literal('explanation'), Type.Literal('promise'), Type.Literal('deescalation')]),
      zh: Type.String(),
      en: Type.String(),
      text: Type.String(),
      missing: Type.Array(Type.String()),
    }),
  ),
  /** The placeholder values used (number, customerName, unitName, the due dates, className); null when unknown. */
  values: Type.Record(Type.String(), Nullable(Type.String())),
});

/** The script of an order the reader can see. */
export const OrderScript = Type.Object({ ticketId: Type.Integer(), ...RenderedScript.properties });

/** `GET /scripts`: the library, or with `class` the script rendered for that class. */
export const ScriptsAnswer = Type.Union([ScriptList, RenderedScript]);
