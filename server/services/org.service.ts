import type { Kysely } from 'kysely';
import type { Database, OrgUnit } from '../db/schema.ts';
import { isForeignKeyViolation } from '../db/sql/index.ts';
import { AppError, invalidField } from '../errors.ts';
import { type Clock, iso } from '../lib/time.ts';
import type { NewOrgUnit, OrgRepository } from '../repositories/org.repository.ts';
import { type Actor, requirePermission } from './actor.ts';

export interface OrgUnitInput {
  code: string;
  name: string;
  kind: 'company' | 'department' | 'station';
  parentId: number | null;
  areaType: 'urban' | 'rural';
  customerCount?: number;
}

/** Public shape of a unit. */
export function orgUnitView(u: OrgUnit) {
  return {
    id: u.id,
    code: u.code,
    name: u.name,
    kind: u.kind as 'company' | 'department' | 'station',
    parentId: u.parent_id,
    path: u.path,
    companyId: u.company_id,
    areaType: u.area_type as 'urban' | 'rural',
    customerCount: u.customer_count,
    active: u.active === 1,
  };
}

/** The organisation tree: create, rename, move, deactivate, delete (only when unused). */
export class OrgService {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly org: OrgRepository,
    private readonly clock: Clock,
  ) {}

  /** Every unit (any logged-in user may read the tree: dispatch pickers need it). */
  list(): Promise<OrgUnit[]> {
    return this.org.list();
  }

  /** One unit or 404. */
  async get(id: number): Promise<OrgUnit> {
    const u = await this.org.find(id);
    if (!u) throw new AppError('not_found', `Org unit ${id} not found`);
    return u;
  }

  /** Creates a unit (admin); the top of the tree must be a company. */
  async create(actor: Actor | null, input: OrgUnitInput): Promise<OrgUnit> {
    if (actor) requirePermission(actor, 'admin.org');
    return this.db.transaction().execute(async (trx) => {
      if (await this.org.findByCode(input.code, trx)) throw invalidField('code', 'is already used');
      let parent: OrgUnit | undefined;
      if (input.parentId !== null) {
        parent = await this.org.find(input.parentId, trx);
        if (!parent) throw invalidField('parentId', 'does not exist');
        if (parent.kind === 'station') throw invalidField('parentId', 'a station cannot have sub-units');
      } else if (input.kind !== 'company') {
        throw invalidField('parentId', 'only a company can be at the top of the tree');
      }
      const u: NewOrgUnit = { ...input, customerCount: input.customerCount ?? 0, at: iso(this.clock()) };
      return this.org.insert(u, parent, trx);
    });
  }

  /** Renames, re-types the area, changes the customer count, (de)activates or moves a unit (admin). */
  async update(
    actor: Actor,
    id: number,
    input: { name?: string; areaType?: 'urban' | 'rural'; customerCount?: number; active?: boolean; parentId?: number },
  ): Promise<OrgUnit> {
    requirePermission(actor, 'admin.org');
    return this.db.transaction().execute(async (trx) => {
      const unit = await this.org.find(id, trx);
      if (!unit) throw new AppError('not_found', `Org unit ${id} not found`);
      const set: Partial<OrgUnit> = {};
      if (input.name !== undefined) set.name = input.name;
      if (input.areaType !== undefined) set.area_type = input.areaType;
      if (input.customerCount !== undefined) set.customer_count = input.customerCount;
      if (input.active !== undefined) set.active = input.active ? 1 : 0;
      if (Object.keys(set).length > 0) await this.org.update(id, set, trx);
      if (input.parentId !== undefined && input.parentId !== unit.parent_id) {
        const parent = await this.org.find(input.parentId, trx);
        if (!parent) throw invalidField('parentId', 'does not exist');
        if (parent.path.startsWith(unit.path)) throw invalidField('parentId', 'cannot move a unit into its own subtree');
        if (parent.kind === 'station') throw invalidField('parentId', 'a station cannot have sub-units');
        await this.org.move(unit, parent, trx);
      }
      return (await this.org.find(id, trx)) as OrgUnit;
    });
  }

  /** Deletes a unit that nothing refers to; one with work orders must be deactivated instead. */
  async delete(actor: Actor, id: number): Promise<void> {
    requirePermission(actor, 'admin.org');
    await this.db.transaction().execute(async (trx) => {
      const unit = await this.org.find(id, trx);
      if (!unit) throw new AppError('not_found', `Org unit ${id} not found`);
      const usage = await this.org.usage(id, trx);
      if (usage.tickets > 0) throw new AppError('unit_has_orders', undefined, { tickets: usage.tickets });
      if (usage.children > 0) throw new AppError('unit_has_children', undefined, { children: usage.children });
      if (usage.users > 0 || usage.tokens > 0) {
        throw new AppError('conflict', 'The unit still has users or API tokens', { users: usage.users, tokens: usage.tokens });
      }
      try {
        await this.org.delete(id, trx);
      } catch (err) {
        // Anything else that refers to the unit (revoked tokens, outages, rectifications) keeps it too.
        if (isForeignKeyViolation(err)) throw new AppError('conflict', 'Other records still refer to the unit; deactivate it instead');
        throw err;
      }
    });
  }
}
