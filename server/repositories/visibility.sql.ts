import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Viewer, viewerScope } from '../domain/visibility.ts';

/** An expression builder over a query that has the `tickets` table in it. */
export type TEB = ExpressionBuilder<Database, 'tickets'>;

/** What scopes an actor's view of the orders (the SQL side of `canSee` in server/domain/visibility.ts). */
export interface Scope {
  /** The user exclusions apply to; null for API tokens. */
  userId: number | null;
  /** Path of the actor's company for centre roles, else null. */
  companyPath: string | null;
  /** Path of the actor's unit for unit roles, else null. */
  unitPath: string | null;
  /** Path of the actor's own unit, whatever the roles: a report naming it or a unit above it stays hidden. */
  homePath: string | null;
}

/** The scope of a viewer (a logged-in user or a token). */
export function scopeOfViewer(v: Viewer): Scope {
  return { ...viewerScope(v), userId: v.userId, homePath: v.unitPath };
}

/** The bound values of a scope: LIKE patterns of the visible subtrees, and whom exclusions apply to. */
export interface ScopeMatch {
  companyLike: string | null;
  unitLike: string | null;
  /** -1 when there is no user (no user has that id). */
  userId: number | null;
  homePath: string | null;
}

export function scopeMatch(scope: Scope): ScopeMatch {
  return {
    companyLike: scope.companyPath === null ? null : `${scope.companyPath}%`,
    unitLike: scope.unitPath === null ? null : `${scope.unitPath}%`,
    userId: scope.userId === null && scope.homePath === null ? null : (scope.userId ?? -1),
    homePath: scope.userId === null && scope.homePath === null ? null : (scope.homePath ?? ''),
  };
}

/** Which clauses a scope has: the shape its prepared query is compiled for. */
export function scopeShape(m: ScopeMatch): string {
  return `${m.companyLike === null ? '-' : 'c'}${m.unitLike === null ? '-' : 'u'}${m.userId === null ? '-' : 'x'}`;
}

/** The slots of a prepared query standing for a scope's values, present as the shape says. */
export function slotMatch(shape: string, p: <K extends keyof ScopeMatch & string>(k: K) => ScopeMatch[K]): ScopeMatch {
  const x = shape.includes('x');
  return {
    companyLike: shape.includes('c') ? p('companyLike') : null,
    unitLike: shape.includes('u') ? p('unitLike') : null,
    userId: x ? p('userId') : null,
    homePath: x ? p('homePath') : null,
  };
}

/**
 * A LIKE pattern as an expression, not a bare parameter: SQLite re-prepares a statement at every run when a
 * parameter is the pattern of a LIKE (it might allow an index), which tripled the cost of a scoped order lookup.
 */
export const pattern = (p: string) => sql<string>`${p} || ''`;

/**
 * Integrity reports that name the actor, the actor's unit or a unit above it: never shown to them. The few
 * exclusions are read once per statement rather than probed for every candidate row.
 */
export function notExcluded(eb: TEB, m: ScopeMatch): Expression<SqlBool> {
  if (m.userId === null) return sql<boolean>`1 = 1`;
  const home = m.homePath as string;
  return eb(
    'tickets.id',
    'not in',
    eb
      .selectFrom('ticket_exclusions as x')
      .select('x.ticket_id')
      .where((e) =>
        e.or([
          e('x.user_id', '=', m.userId as number),
          e(
            'x.unit_id',
            'in',
            // The named unit is the actor's own or above it when the actor's path starts with the unit's path.
            e.selectFrom('org_units as xu').select('xu.id').where(sql<boolean>`cast(${home} as text) like (xu.path || '%')`),
          ),
        ]),
      ),
  );
}

/** The visibility predicate over `tickets`: `m`'s values may be slots of a prepared query, so only their presence is tested. */
export function visibleTo(eb: TEB, m: ScopeMatch): Expression<SqlBool> {
  const clauses: Expression<SqlBool>[] = [];
  if (m.companyLike !== null) {
    clauses.push(
      eb(
        'tickets.company_id',
        'in',
        eb
          .selectFrom('org_units')
          .select('org_units.id')
          .where('org_units.kind', '=', 'company')
          .where('org_units.path', 'like', pattern(m.companyLike)),
      ),
    );
  }
  if (m.unitLike !== null) {
    const units = eb.selectFrom('org_units').select('org_units.id').where('org_units.path', 'like', pattern(m.unitLike));
    clauses.push(eb('tickets.unit_id', 'in', units));
    clauses.push(
      eb.exists(
        eb
          .selectFrom('ticket_units as tu')
          .select('tu.ticket_id')
          .whereRef('tu.ticket_id', '=', 'tickets.id')
          .where('tu.unit_id', 'in', units),
      ),
    );
  }
  if (clauses.length === 0) return sql<boolean>`1 = 0`;
  const visible = eb.or(clauses);
  return m.userId === null ? visible : eb.and([visible, notExcluded(eb, m)]);
}

/** The visibility predicate of a scope (for queries built at run time). */
export function visibleToScope(eb: TEB, scope: Scope): Expression<SqlBool> {
  return visibleTo(eb, scopeMatch(scope));
}
