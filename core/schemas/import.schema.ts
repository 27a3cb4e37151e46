import { Type } from 'typebox';
import { IsoTime, Nullable } from './common.schema.ts';

/** `POST /import/orders` (202): the job runs after the answer; `GET /import/jobs/:id` shows it. */
export const ImportStarted = Type.Object({ jobId: Type.Integer(), status: Type.Literal('running') });

/** A problem of one row of the file (row 1 is the header). */
export const RowProblem = Type.Object({ row: Type.Integer(), field: Type.String(), problem: Type.String() });

/** `GET /import/jobs/:id`: progress, and once finished the rows imported and the problems found. */
export const ImportJob = Type.Object({
  id: Type.Integer(),
  fileName: Type.String(),
  /** running, done or failed. */
  status: Type.String(),
  dryRun: Type.Boolean(),
  total: Type.Integer(),
  processed: Type.Integer(),
  imported: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  percent: Type.Integer(),
  createdAt: IsoTime,
  finishedAt: Nullable(IsoTime),
  /** Imported rows: the row, the original number and the number the order has now. */
  rows: Type.Optional(
    Type.Array(
      Type.Object({
        row: Type.Integer(),
        sourceNumber: Type.String(),
        number: Nullable(Type.String()),
        outcome: Type.Union([Type.Literal('imported'), Type.Literal('skipped'), Type.Literal('would_import')]),
      }),
    ),
  ),
  problems: Type.Optional(Type.Array(RowProblem)),
});
