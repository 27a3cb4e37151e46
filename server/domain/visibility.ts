import type { Role } from '../../core/taxonomy.ts';

/**
 * Whether an actor may see an order: the one visibility rule. Its SQL form is `visibleTo` in
 * server/repositories/visibility.sql.ts; both must say the same (test/property/visibility.property.test.ts).
 *
 * - Centre roles see the orders of their company and every company below it.
 * - Unit roles see the orders that are, or once were, dispatched to their unit or a unit below it.
 * - Nobody sees an integrity report that names them, or that names their unit or a unit above it.
 */

/** Roles that see their company's orders; the other order-reading roles see their unit's. */
export const CENTRE_ROLES: readonly Role[] = ['agent', 'reviewer', 'leader', 'discipline', 'analyst'];
export const UNIT_ROLES: readonly Role[] = ['handler', 'unit_lead'];

/** What decides what an actor sees. */
export interface Viewer {
  userId: number | null;
  roles: readonly Role[];
  /** Path of the actor's own unit (`/1/4/`). */
  unitPath: string;
  /** Path of the company the actor's unit belongs to, if any. */
  companyPath: string | null;
}

/** What of an order decides who sees it. */
export interface OrderReach {
  companyPath: string;
  /** Paths of the unit the order has now and of every unit it was dispatched to before. */
  unitPaths: readonly string[];
  /** Paths of the units an integrity report names. */
  excludedUnitPaths: readonly string[];
  /** Staff an integrity report names. */
  excludedUserIds: readonly number[];
}

/** The subtrees an actor's roles open: a company for centre roles, the own unit for unit roles. */
export function viewerScope(v: Viewer): { companyPath: string | null; unitPath: string | null } {
  const centre = v.roles.some((r) => CENTRE_ROLES.includes(r));
  const unit = v.roles.some((r) => UNIT_ROLES.includes(r));
  return { companyPath: centre ? v.companyPath : null, unitPath: unit ? v.unitPath : null };
}

/** True when the report names the actor, or the actor's unit or a unit above it. */
export function isExcluded(v: Viewer, o: OrderReach): boolean {
  if (v.userId !== null && o.excludedUserIds.includes(v.userId)) return true;
  return o.excludedUnitPaths.some((p) => v.unitPath.startsWith(p));
}

/** The visibility rule: in scope and not named by the report. */
export function canSee(v: Viewer, o: OrderReach): boolean {
  const s = viewerScope(v);
  const inScope =
    (s.companyPath !== null && o.companyPath.startsWith(s.companyPath)) ||
    (s.unitPath !== null && o.unitPaths.some((p) => p.startsWith(s.unitPath as string)));
  return inScope && !isExcluded(v, o);
}

/** The citation of orders a reader may not see, by count only: "1 件举报（已保密）". */
export function withheldLabel(reports: number, others: number): { zh: string; en: string } | null {
  const zh: string[] = [];
  const en: string[] = [];
  if (reports > 0) {
    zh.push(`${reports} 件举报（已保密）`);
    en.push(`${reports} report${reports === 1 ? '' : 's'} (confidential)`);
  }
  if (others > 0) {
    zh.push(`${others} 件工单（不在您的查看范围）`);
    en.push(`${others} order${others === 1 ? '' : 's'} (outside your scope)`);
  }
  return zh.length ? { zh: zh.join('，'), en: en.join(', ') } : null;
}
