// Statistics read straight from the orders: the direct count, the orders a viewer's figures take out or add, a bulletin's cases.
import { type ExpressionBuilder, type Kysely, type RawBuilder, sql, type Transaction } from 'kysely';
import { CASE_KINDS, MEASURE_SCOPE, MEASURES, type MeasureScope, type Measures } from '../../core/stats.ts';
import type { Database } from '../db/schema.ts';
import type { Dialect } from '../db/sql/index.ts';
import { secondsToClose, shanghaiDayOfCreated } from '../db/sql/stats.ts';
import { CONTRIBUTION_COLUMNS, type ContributingTicket } from '../domain/stats/contribution.ts';
import { type AggWhere, type KeyColumn, measuresRow, whereClauses } from './stats.repository.ts';
import { type Scope, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The SQL of each measure over raw `tickets` rows: the definitions of contribution.ts, written independently. */
function directMeasures(dialect: Dialect): RawBuilder<unknown>[] {
  const archived = sql`(state = 'closed' and close_reason = 'completed')`;
  const when = (cond: RawBuilder<unknown>) => sql`case when ${cond} then 1 else 0 end`;
  // What one order adds to each measure, before its kind is checked against the measure's scope.
  const perOrder: Record<(typeof MEASURES)[number], RawBuilder<unknown>> = {
    n: sql`1`,
    complaints: sql`1`,
    open_n: when(sql`state <> 'closed'`),
    closed: when(sql`state = 'closed'`),
    archived: when(archived),
    verified: when(sql`verification is not null`),
    substantiated: when(sql`verification in ('substantiated', 'partly')`),
    fc_due: when(sql`first_contact_on_time is not null`),
    fc_on_time: when(sql`first_contact_on_time = 1`),
    reply_due: when(sql`reply_on_time is not null`),
    reply_on_time: when(sql`reply_on_time = 1`),
    revisited: when(sql`satisfaction is not null`),
    revisit_ok: when(sql`satisfaction in ('satisfied', 'basically', 'dissatisfied')`),
    satisfied: when(sql`satisfaction in ('satisfied', 'basically')`),
    repeat_n: when(sql`flag_repeat = 1`),
    first_time: when(sql`${archived} and redo_count = 0 and reject_count = 0 and flag_repeat = 0`),
    dispatched: when(sql`dispatched_at is not null`),
    returned: when(sql`return_count > 0`),
    handle_n: when(sql`${archived} and closed_at is not null`),
    handle_seconds: sql`case when ${archived} and closed_at is not null then ${secondsToClose(dialect)} else 0 end`,
    overdue: when(sql`overdue = 1`),
  };
  const scopeSql: Record<MeasureScope, RawBuilder<unknown> | null> = {
    all: null,
    cases: sql`kind in (${sql.join(CASE_KINDS)})`,
    complaints: sql`kind = 'complaint'`,
  };
  return MEASURES.map((m) => {
    const scope = scopeSql[MEASURE_SCOPE[m]];
    const value = scope ? sql`case when ${scope} then ${perOrder[m]} else 0 end` : perOrder[m];
    return sql`sum(${value}) as ${sql.id(m)}`;
  });
}

const DIRECT_COLUMN: Record<KeyColumn, RawBuilder<unknown>> = {
  company_id: sql`company_id`,
  org_unit_id: sql`coalesce(unit_id, company_id)`,
  class_code: sql`coalesce(class_code, '')`,
  kind: sql`kind`,
  channel: sql`channel`,
  grade: sql`grade`,
  verification: sql`coalesce(verification, '')`,
  root_cause: sql`coalesce(root_cause, '')`,
};

/** The statistics queries over `tickets` itself rather than the aggregates. */
export class StatsTicketRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * The same figures counted directly over the orders (a GROUP BY over `tickets`): the audit check and the
   * benchmark baseline. `from`/`to` are UTC instants here ([from, to)).
   */
  async direct(
    qy: { fromIso: string; toIso: string; groupBy: Array<'day' | KeyColumn>; where: AggWhere },
    q: Q = this.db,
  ): Promise<Array<Partial<Record<'day' | KeyColumn, string | number>> & { m: Measures }>> {
    const day = shanghaiDayOfCreated(this.dialect);
    const exprOf = (g: 'day' | KeyColumn) => (g === 'day' ? day : DIRECT_COLUMN[g]);
    const groups = qy.groupBy.map((g) => sql`${exprOf(g)} as ${sql.id(g)}`);
    const where = [sql`created_at >= ${qy.fromIso}`, sql`created_at < ${qy.toIso}`, ...whereClauses(qy.where, (c) => DIRECT_COLUMN[c])];
    const r = await sql<
      Record<string, unknown>
    >`select ${sql.join([...groups, ...directMeasures(this.dialect)])} from tickets where ${sql.join(
      where,
      sql` and `,
    )}${qy.groupBy.length ? sql` group by ${sql.join(qy.groupBy.map(exprOf))}` : sql``}`.execute(q);
    return r.rows.map((row) => measuresRow(row, qy.groupBy));
  }

  /**
   * The orders hidden from a viewer by an integrity report that names them, their unit or a unit above it (the
   * exclusions of the one visibility rule), with the columns their contribution to the aggregates depends on.
   * They are few per viewer, so statistics can take them back out of the pre-summed figures.
   */
  async excludedTickets(viewer: { userId: number | null; homePath: string | null }, q: Q = this.db): Promise<ContributingTicket[]> {
    const { userId, homePath } = viewer;
    if (userId === null && homePath === null) return [];
    return q
      .selectFrom('tickets')
      .select([...CONTRIBUTION_COLUMNS])
      .where('tickets.id', 'in', (eb) =>
        eb
          .selectFrom('ticket_exclusions as x')
          .select('x.ticket_id')
          .where((e) =>
            e.or([
              e('x.user_id', '=', userId ?? -1),
              e(
                'x.unit_id',
                'in',
                // The named unit is the viewer's own or above it when the viewer's path starts with the unit's path.
                e
                  .selectFrom('org_units as xu')
                  .select('xu.id')
                  .where(sql<boolean>`cast(${homePath ?? ''} as text) like (xu.path || '%')`),
              ),
            ]),
          ),
      )
      .execute();
  }

  /**
   * The orders a scope sees (the one visibility rule) that the aggregates of `inAggregate` do not hold: for a unit
   * role, those that moved on from its subtree or belong to a company above. Few, and read only for unit scopes.
   */
  visibleBeyond(
    scope: Scope,
    inAggregate: { companyIds?: number[]; orgUnitIds?: number[] },
    q: Q = this.db,
  ): Promise<ContributingTicket[]> {
    const { companyIds, orgUnitIds } = inAggregate;
    return q
      .selectFrom('tickets')
      .select([...CONTRIBUTION_COLUMNS])
      .where((eb) => visibleToScope(eb, scope))
      .where((eb) => {
        const held = [
          ...(companyIds ? [companyIds.length ? eb('tickets.company_id', 'in', companyIds) : sql<boolean>`1 = 0`] : []),
          ...(orgUnitIds
            ? [orgUnitIds.length ? eb(eb.fn.coalesce('tickets.unit_id', 'tickets.company_id'), 'in', orgUnitIds) : sql<boolean>`1 = 0`]
            : []),
        ];
        return held.length ? eb.not(eb.and(held)) : sql<boolean>`1 = 0`;
      })
      .execute();
  }

  /**
   * The substantiated complaints and reports of a company created in [fromIso, toIso): the first 100 the scope
   * may cite (it sees them and they name no one), oldest first, and how many of each kind it may not.
   */
  async substantiatedCases(companyId: number, range: { fromIso: string; toIso: string }, scope: Scope, q: Q = this.db) {
    const { fromIso, toIso } = range;
    const matching = q
      .selectFrom('tickets')
      .where('tickets.company_id', '=', companyId)
      .where('tickets.created_at', '>=', fromIso)
      .where('tickets.created_at', '<', toIso)
      .where('tickets.kind', 'in', [...CASE_KINDS])
      .where('tickets.verification', 'in', ['substantiated', 'partly']);
    const citable = (eb: ExpressionBuilder<Database, 'tickets'>) =>
      eb.and([
        visibleToScope(eb, scope),
        eb.not(eb.exists(eb.selectFrom('ticket_exclusions as x').select('x.ticket_id').whereRef('x.ticket_id', '=', 'tickets.id'))),
      ]);
    const [cases, hidden] = await Promise.all([
      matching
        .leftJoin('org_units as u', 'u.id', 'tickets.unit_id')
        .select([
          'tickets.id',
          'tickets.number',
          'tickets.kind',
          'tickets.class_code',
          'tickets.subject',
          'tickets.verification',
          'tickets.root_cause',
          'tickets.responsibility',
          'u.name as unit_name',
        ])
        .where((eb) => citable(eb as unknown as ExpressionBuilder<Database, 'tickets'>))
        .orderBy('tickets.created_at')
        .limit(100)
        .execute(),
      matching
        .select(['tickets.kind', (eb) => eb.fn.countAll<number>().as('n')])
        .where((eb) => eb.not(citable(eb)))
        .groupBy('tickets.kind')
        .execute(),
    ]);
    return { cases, hidden };
  }
}
