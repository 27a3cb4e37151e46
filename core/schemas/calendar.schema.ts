import { Type } from 'typebox';
import { Nullable } from './common.schema.ts';

/** Where a year's holiday calendar comes from: shipped with the package, entered by an admin, or not known. */
const CalendarSource = Type.Union([Type.Literal('builtin'), Type.Literal('admin'), Type.Literal('none')]);

/** One day of the official calendar: a holiday (workday false) or a weekend make-up working day. */
export const CalendarDay = Type.Object({ date: Type.String(), workday: Type.Boolean(), name: Type.String() });

/** Which year's calendar is missing today (this year's, or from 1 November next year's). */
export const CalendarStatus = Type.Object({
  today: Type.String(),
  year: Type.Integer(),
  nextYear: Type.Integer(),
  nextYearCovered: Type.Boolean(),
  missing: Nullable(Type.Integer()),
  warn: Type.Boolean(),
});

/** The years with a calendar and the years around today, each with its source and its counts. */
export const CalendarYears = Type.Object({
  status: CalendarStatus,
  years: Type.Array(
    Type.Object({
      year: Type.Integer(),
      source: CalendarSource,
      note: Type.String(),
      holidays: Type.Integer(),
      makeupDays: Type.Integer(),
    }),
  ),
});

/** One year's holidays and make-up working days. */
export const CalendarYear = Type.Object({
  year: Type.Integer(),
  source: CalendarSource,
  note: Type.String(),
  days: Type.Array(CalendarDay),
});
