import { type Kysely, sql } from 'kysely';

/**
 * Statistics measures count only the kinds their definitions name: the handling figures count complaints and
 * reports (cases), the repeat count complaints alone. Every aggregate row holds one kind, so the figures of the
 * other kinds are cleared in place; the lists below are this migration's own, fixed when it was written.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const caseMeasures = [
    'archived',
    'verified',
    'substantiated',
    'fc_due',
    'fc_on_time',
    'reply_due',
    'reply_on_time',
    'revisited',
    'revisit_ok',
    'satisfied',
    'first_time',
    'dispatched',
    'returned',
    'handle_n',
    'handle_seconds',
  ];
  const zero = (cols: string[]) => sql.join(cols.map((c) => sql`${sql.ref(c)} = 0`));
  await sql`update stats_agg set ${zero(caseMeasures)} where kind not in ('complaint', 'report')`.execute(db);
  await sql`update stats_agg set ${zero(['repeat_n'])} where kind <> 'complaint'`.execute(db);
}
