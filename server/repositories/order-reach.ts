import type { Kysely, Transaction } from 'kysely';
import type { Role } from '../../core/taxonomy.ts';
import type { Database } from '../db/schema.ts';
import { canSee, type OrderReach, type Viewer } from '../domain/visibility.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Ids per lookup: well under both databases' parameter limits. */
const CHUNK = 500;

/** What decides who sees each of the orders (see canSee in server/domain/visibility.ts). */
export async function reachOf(q: Q, ticketIds: readonly number[]): Promise<Map<number, OrderReach>> {
  const out = new Map<number, OrderReach>();
  for (let i = 0; i < ticketIds.length; i += CHUNK) {
    const ids = ticketIds.slice(i, i + CHUNK);
    const [orders, units, excluded] = await Promise.all([
      q
        .selectFrom('tickets')
        .innerJoin('org_units as c', 'c.id', 'tickets.company_id')
        .leftJoin('org_units as u', 'u.id', 'tickets.unit_id')
        .select(['tickets.id', 'c.path as company_path', 'u.path as unit_path'])
        .where('tickets.id', 'in', ids)
        .execute(),
      q
        .selectFrom('ticket_units as tu')
        .innerJoin('org_units as u', 'u.id', 'tu.unit_id')
        .select(['tu.ticket_id', 'u.path'])
        .where('tu.ticket_id', 'in', ids)
        .execute(),
      q
        .selectFrom('ticket_exclusions as x')
        .leftJoin('org_units as u', 'u.id', 'x.unit_id')
        .select(['x.ticket_id', 'x.user_id', 'u.path'])
        .where('x.ticket_id', 'in', ids)
        .execute(),
    ]);
    const reach = new Map<number, { companyPath: string; unitPaths: string[]; excludedUnitPaths: string[]; excludedUserIds: number[] }>();
    for (const o of orders)
      reach.set(o.id, {
        companyPath: o.company_path,
        unitPaths: o.unit_path ? [o.unit_path] : [],
        excludedUnitPaths: [],
        excludedUserIds: [],
      });
    for (const u of units) reach.get(u.ticket_id)?.unitPaths.push(u.path);
    for (const x of excluded) {
      const r = reach.get(x.ticket_id);
      if (r && x.user_id !== null) r.excludedUserIds.push(x.user_id);
      if (r && x.path !== null) r.excludedUnitPaths.push(x.path);
    }
    for (const [id, r] of reach) out.set(id, r);
  }
  return out;
}

/** The users as viewers: roles, own unit and company. */
export async function viewersOf(q: Q, userIds: readonly number[]): Promise<Map<number, Viewer>> {
  const out = new Map<number, Viewer>();
  for (let i = 0; i < userIds.length; i += CHUNK) {
    const ids = userIds.slice(i, i + CHUNK);
    const [users, roles] = await Promise.all([
      q
        .selectFrom('users')
        .innerJoin('org_units as u', 'u.id', 'users.unit_id')
        .leftJoin('org_units as c', 'c.id', 'u.company_id')
        .select(['users.id', 'u.path as unit_path', 'c.path as company_path'])
        .where('users.id', 'in', ids)
        .execute(),
      q.selectFrom('user_roles').select(['user_id', 'role']).where('user_id', 'in', ids).execute(),
    ]);
    for (const u of users) out.set(u.id, { userId: u.id, roles: [], unitPath: u.unit_path, companyPath: u.company_path });
    for (const r of roles) (out.get(r.user_id)?.roles as Role[] | undefined)?.push(r.role as Role);
  }
  return out;
}

/**
 * The items (notices, messages) whose recipient may see the order they are about, by the one visibility rule;
 * items about no order or to no known user pass as they are.
 */
export async function seenBy<T>(
  q: Q,
  items: readonly T[],
  orderOf: (x: T) => number | null,
  userOf: (x: T) => number | null,
): Promise<T[]> {
  const about = items.filter((x) => orderOf(x) !== null && userOf(x) !== null);
  if (about.length === 0) return [...items];
  const [reach, viewers] = await Promise.all([
    reachOf(q, [...new Set(about.map((x) => orderOf(x) as number))]),
    viewersOf(q, [...new Set(about.map((x) => userOf(x) as number))]),
  ]);
  return items.filter((x) => {
    const t = orderOf(x);
    const u = userOf(x);
    if (t === null || u === null) return true;
    const o = reach.get(t);
    const v = viewers.get(u);
    return o !== undefined && v !== undefined && canSee(v, o);
  });
}
