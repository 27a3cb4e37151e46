import type { Generated } from 'kysely';
import type { Measure } from '../../core/stats.ts';

/**
 * Tables of migration 003 (statistics aggregates, rectification orders). Repositories add them to the main
 * `Database` with `withTables<StatsTables>()`, so the shared schema file stays untouched.
 */
export type StatsTables = {
  stats_agg: StatsAggTable;
  rectifications: RectificationTable;
  rectification_orders: RectificationOrderTable;
  rectification_events: RectificationEventTable;
  rectification_files: RectificationFileTable;
};

/** One aggregate row: grain `d` (bucket = Shanghai date) or `m` (bucket = YYYY-MM) × the dimension key. */
export type StatsAggTable = {
  grain: string;
  bucket: string;
  company_id: number;
  org_unit_id: number;
  class_code: string;
  kind: string;
  channel: string;
  grade: string;
  verification: string;
  root_cause: string;
} & Record<Measure, number>;

export type RectificationTable = {
  id: Generated<number>;
  number: string;
  company_id: number;
  unit_id: number;
  /** order | orders | figure */
  source: string;
  /** JSON: the statistics filter behind a figure, when raised from one. */
  source_filter: string | null;
  class_code: string | null;
  root_cause: string | null;
  problem: string;
  measures: string;
  deadline_days: number;
  due_at: string;
  /** open | submitted | verified | closed */
  state: string;
  response: string | null;
  effect_months: number;
  effect_due_at: string | null;
  /** JSON of the effectiveness check: before/after rates and the verdict. */
  effect_result: string | null;
  /** effective | ineffective, once checked. */
  effect_verdict: string | null;
  warned: number;
  overdue: number;
  version: number;
  created_by: number | null;
  created_at: string;
  submitted_at: string | null;
  verified_at: string | null;
  verified_by: number | null;
  closed_at: string | null;
  updated_at: string;
};

export type RectificationOrderTable = {
  rectification_id: number;
  ticket_id: number;
};

export type RectificationEventTable = {
  id: Generated<number>;
  rectification_id: number;
  action: string;
  actor_id: number | null;
  note: string | null;
  at: string;
};

export type RectificationFileTable = {
  id: Generated<number>;
  rectification_id: number;
  sha256: string;
  size: number;
  mime: string;
  name: string;
  uploaded_by: number | null;
  created_at: string;
};
