import { type RawBuilder, sql } from 'kysely';
import type { Dialect } from './index.ts';

/**
 * The Asia/Shanghai date (YYYY-MM-DD) of `tickets.created_at`, a fixed-width ISO UTC text: statistics count
 * an order on its local intake day. China has had no daylight saving since 1991, so +8 h is exact.
 */
export function shanghaiDayOfCreated(dialect: Dialect): RawBuilder<string> {
  const expr: Record<Dialect, RawBuilder<string>> = {
    sqlite: sql<string>`date(created_at, '+8 hours')`,
    postgres: sql<string>`to_char(created_at::timestamptz at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`,
  };
  return expr[dialect];
}

/** Whole seconds from `created_at` to `closed_at` (both ISO UTC texts). */
export function secondsToClose(dialect: Dialect): RawBuilder<number> {
  const expr: Record<Dialect, RawBuilder<number>> = {
    sqlite: sql<number>`cast(round((julianday(closed_at) - julianday(created_at)) * 86400) as integer)`,
    postgres: sql<number>`round(extract(epoch from (closed_at::timestamptz - created_at::timestamptz)))`,
  };
  return expr[dialect];
}
