import type { Kysely, Transaction } from 'kysely';
import type { Database, OrgUnit } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface NewOrgUnit {
  code: string;
  name: string;
  kind: string;
  parentId: number | null;
  areaType: string;
  customerCount: number;
  at: string;
}

/** Org-unit tree queries; paths are materialised (`/1/4/`) so subtrees are prefix matches. */
export class OrgRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** All units, ordered by path (a depth-first walk of the tree). */
  list(q: Q = this.db): Promise<OrgUnit[]> {
    return q.selectFrom('org_units').selectAll().orderBy('path').execute();
  }

  /** One unit by id, or undefined. */
  find(id: number, q: Q = this.db): Promise<OrgUnit | undefined> {
    return q.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** One unit by its code, or undefined. */
  findByCode(code: string, q: Q = this.db): Promise<OrgUnit | undefined> {
    return q.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
  }

  /** Inserts a unit under its parent and fills in its path and company. */
  async insert(u: NewOrgUnit, parent: OrgUnit | undefined, q: Q): Promise<OrgUnit> {
    const row = await q
      .insertInto('org_units')
      .values({
        code: u.code,
        name: u.name,
        kind: u.kind,
        parent_id: u.parentId,
        path: '/',
        company_id: null,
        area_type: u.areaType,
        customer_count: u.customerCount,
        active: 1,
        created_at: u.at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parent?.path ?? '/'}${row.id}/`;
    const companyId = u.kind === 'company' ? row.id : (parent?.company_id ?? null);
    await q.updateTable('org_units').set({ path, company_id: companyId }).where('id', '=', row.id).execute();
    return (await this.find(row.id, q)) as OrgUnit;
  }

  /** Changes name, area type, customer count or active flag. */
  async update(id: number, set: Partial<Pick<OrgUnit, 'name' | 'area_type' | 'customer_count' | 'active'>>, q: Q): Promise<void> {
    await q.updateTable('org_units').set(set).where('id', '=', id).execute();
  }

  /** Moves a unit (and its subtree) under a new parent, rewriting paths and company ids of the subtree. */
  async move(unit: OrgUnit, parent: OrgUnit, q: Q): Promise<void> {
    const newPath = `${parent.path}${unit.id}/`;
    const subtree = await q.selectFrom('org_units').selectAll().where('path', 'like', `${unit.path}%`).orderBy('path').execute();
    const companyOf = new Map<number, number | null>();
    for (const u of subtree) {
      const path = newPath + u.path.slice(unit.path.length);
      const parentCompany = u.id === unit.id ? parent.company_id : (companyOf.get(u.parent_id as number) ?? null);
      const companyId = u.kind === 'company' ? u.id : parentCompany;
      companyOf.set(u.id, companyId);
      await q
        .updateTable('org_units')
        .set({ path, company_id: companyId, parent_id: u.id === unit.id ? parent.id : u.parent_id })
        .where('id', '=', u.id)
        .execute();
    }
  }

  /** Deletes a unit row (callers check that nothing refers to it). */
  async delete(id: number, q: Q): Promise<void> {
    await q.deleteFrom('org_units').where('id', '=', id).execute();
  }

  /** Whether anything (children, users, orders) refers to the unit. */
  async usage(id: number, q: Q = this.db): Promise<{ children: number; users: number; tokens: number; tickets: number }> {
    const n = (r: { n: number | string }) => Number(r.n);
    const children = await q
      .selectFrom('org_units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('parent_id', '=', id)
      .executeTakeFirstOrThrow();
    const users = await q
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('unit_id', '=', id)
      .executeTakeFirstOrThrow();
    const dispatched = await q
      .selectFrom('ticket_units')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('unit_id', '=', id)
      .executeTakeFirstOrThrow();
    const direct = await q
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => eb.or([eb('unit_id', '=', id), eb('company_id', '=', id)]))
      .executeTakeFirstOrThrow();
    const tokens = await q
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('unit_id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { children: n(children), users: n(users), tokens: n(tokens), tickets: n(dispatched) + n(direct) };
  }
}
