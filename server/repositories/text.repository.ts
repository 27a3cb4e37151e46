import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { type Scope, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** What intake help reads and keeps: the class lexicon edits, the place → unit map, the training set and the customer's recent orders. */
export class TextRepository {
  constructor(private readonly db: Kysely<Database>) {}

  lexiconEdits(companyId: number, q: Q = this.db) {
    return q.selectFrom('text_lexicon').selectAll().where('company_id', '=', companyId).orderBy('class_code').orderBy('word').execute();
  }

  async upsertLexicon(row: {
    company_id: number;
    class_code: string;
    word: string;
    weight: number;
    updated_by: number | null;
    updated_at: string;
  }) {
    await this.db
      .insertInto('text_lexicon')
      .values(row)
      .onConflict((oc) =>
        oc
          .columns(['company_id', 'class_code', 'word'])
          .doUpdateSet({ weight: row.weight, updated_by: row.updated_by, updated_at: row.updated_at }),
      )
      .execute();
  }

  async deleteLexicon(companyId: number, id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('text_lexicon').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  areas(companyId: number, q: Q = this.db) {
    return q
      .selectFrom('area_units as a')
      .innerJoin('org_units as u', 'u.id', 'a.unit_id')
      .select(['a.id', 'a.place', 'a.unit_id', 'u.name as unit_name'])
      .where('a.company_id', '=', companyId)
      .orderBy('a.place')
      .execute();
  }

  async upsertArea(
    row: { company_id: number; place: string; unit_id: number; created_by: number | null; created_at: string },
    q: Q = this.db,
  ) {
    await q
      .insertInto('area_units')
      .values(row)
      .onConflict((oc) => oc.columns(['company_id', 'place']).doUpdateSet({ unit_id: row.unit_id }))
      .execute();
  }

  async deleteArea(companyId: number, id: number): Promise<boolean> {
    const r = await this.db.deleteFrom('area_units').where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** Closed, classified orders of a company, newest first: the training data of the class model. */
  trainingSet(companyId: number, limit: number, q: Q = this.db) {
    return q
      .selectFrom('tickets')
      .select(['kind', 'class_code', 'subject', 'description'])
      .where('company_id', '=', companyId)
      .where('state', '=', 'closed')
      .where('class_code', 'is not', null)
      .where('duplicate_of_id', 'is', null)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Ids of companies that have closed orders (the models to train). */
  async companiesWithClosed(q: Q = this.db): Promise<number[]> {
    const rows = await q.selectFrom('tickets').select('company_id').where('state', '=', 'closed').distinct().execute();
    return rows.map((r) => r.company_id);
  }

  /** Open orders in scope of the same phone or account (offer to urge instead of a new order). */
  openOrdersOf(scope: Scope, companyId: number, who: { phone?: string | null; account?: string | null }, q: Q = this.db) {
    const { phone, account } = who;
    if (!phone && !account) return Promise.resolve([]);
    return q
      .selectFrom('tickets')
      .select(['id', 'number', 'state', 'subject', 'class_code', 'unit_id', 'created_at'])
      .where('company_id', '=', companyId)
      .where('state', '!=', 'closed')
      .where((eb) =>
        eb.or([...(phone ? [eb('customer_phone', '=', phone)] : []), ...(account ? [eb('customer_account', '=', account)] : [])]),
      )
      .where((eb) => visibleToScope(eb, scope))
      .orderBy('created_at', 'desc')
      .limit(10)
      .execute();
  }

  /** How many orders the same phone or account filed since `since` (repeated calls). */
  async countRecent(companyId: number, who: { phone?: string | null; account?: string | null }, since: string, q: Q = this.db) {
    const { phone, account } = who;
    if (!phone && !account) return 0;
    const r = await q
      .selectFrom('tickets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('company_id', '=', companyId)
      .where('created_at', '>=', since)
      .where((eb) =>
        eb.or([...(phone ? [eb('customer_phone', '=', phone)] : []), ...(account ? [eb('customer_account', '=', account)] : [])]),
      )
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** The unit of the customer's latest dispatched order in scope (unit suggestion from the account). */
  lastUnitOf(scope: Scope, companyId: number, who: { phone?: string | null; account?: string | null }, q: Q = this.db) {
    const { phone, account } = who;
    if (!phone && !account) return Promise.resolve(undefined);
    return q
      .selectFrom('tickets')
      .innerJoin('org_units as u', 'u.id', 'tickets.unit_id')
      .select(['u.id', 'u.name', 'tickets.number'])
      .where('tickets.company_id', '=', companyId)
      .where('u.kind', '=', 'station')
      .where((eb) =>
        eb.or([
          ...(account ? [eb('tickets.customer_account', '=', account)] : []),
          ...(phone ? [eb('tickets.customer_phone', '=', phone)] : []),
        ]),
      )
      .where((eb) => visibleToScope(eb, scope))
      .orderBy('tickets.created_at', 'desc')
      .executeTakeFirst();
  }

  /** Recent orders in scope (candidates for similar-text detection). */
  recentInScope(scope: Scope, companyId: number, since: string, limit: number, q: Q = this.db) {
    return q
      .selectFrom('tickets')
      .select(['id', 'number', 'state', 'subject', 'description', 'location', 'unit_id', 'created_at'])
      .where('company_id', '=', companyId)
      .where('created_at', '>=', since)
      .where((eb) => visibleToScope(eb, scope))
      .orderBy('created_at', 'desc')
      .limit(limit)
      .execute();
  }
}

/** How many orders a known customer filed since `since` (repeated calls raise the escalation risk). */
export async function customerOrdersSince(q: Q, customerId: number, since: string): Promise<number> {
  const r = await q
    .selectFrom('tickets')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .where('created_at', '>=', since)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}
