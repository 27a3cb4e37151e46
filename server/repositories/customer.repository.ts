// Customers: matched or created at intake by phone or account number, and each one's recent orders.
import { type Kysely, sql, type Transaction } from 'kysely';
import { prepared, preparedBy, type SlotOf } from '../db/prepared.ts';
import type { Database } from '../db/schema.ts';
import { type Scope, visibleToScope } from './visibility.sql.ts';

type Q = Kysely<Database> | Transaction<Database>;

const RECENT_ORDERS = prepared((db, p: SlotOf<{ customerId: number; since: string }>) =>
  db
    .selectFrom('tickets')
    .select(['id', 'number', 'class_code', 'created_at'])
    .where('customer_id', '=', p('customerId'))
    .where('created_at', '>=', p('since'))
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc'),
);
// The lowest id among the customers with this account or this phone: each arm is one indexed lookup
// (an OR over the two columns made SQLite walk every customer of the company).
const MATCH_CUSTOMER = preparedBy((shape, db, p: SlotOf<{ companyId: number; account: string; phone: string }>) => {
  const by = (column: 'account_no' | 'phone', value: string) =>
    db.selectFrom('customers').select('id').where('company_id', '=', p('companyId')).where(column, '=', value);
  const arms =
    shape === 'ap'
      ? by('account_no', p('account')).unionAll(by('phone', p('phone')))
      : shape === 'a'
        ? by('account_no', p('account'))
        : by('phone', p('phone'));
  return db
    .selectFrom('customers')
    .selectAll()
    .where('id', '=', (eb) => eb.selectFrom(arms.as('m')).select((e) => e.fn.min('m.id').as('id')));
});
const INSERT_CUSTOMER = prepared(
  (db, p: SlotOf<{ company_id: number; name: string | null; phone: string | null; account_no: string | null; created_at: string }>) =>
    db
      .insertInto('customers')
      .values({ company_id: p('company_id'), name: p('name'), phone: p('phone'), account_no: p('account_no'), created_at: p('created_at') })
      .returning('id'),
);

/** Customers of a company and their order history. */
export class CustomerRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The customer's orders since `since`, newest first (repeat detection and escalation risk). */
  async recentTickets(customerId: number, since: string, q: Q) {
    return (await RECENT_ORDERS(q, { customerId, since })).rows;
  }

  /** Finds (the oldest by id) or creates the customer by phone or account number within the company; `created` if new. */
  async match(
    companyId: number,
    c: { name: string | null; phone: string | null; account: string | null },
    at: string,
    q: Q,
  ): Promise<{ id: number; created: boolean } | null> {
    if (!c.phone && !c.account) return null;
    const shape = `${c.account ? 'a' : ''}${c.phone ? 'p' : ''}`;
    const existing = (await MATCH_CUSTOMER(shape, q, { companyId, account: c.account ?? '', phone: c.phone ?? '' })).rows[0];
    if (existing) {
      const set: Partial<{ name: string; phone: string; account_no: string }> = {};
      if (c.name && !existing.name) set.name = c.name;
      if (c.phone && !existing.phone) set.phone = c.phone;
      if (c.account && !existing.account_no) set.account_no = c.account;
      if (Object.keys(set).length) await q.updateTable('customers').set(set).where('id', '=', existing.id).execute();
      return { id: existing.id, created: false };
    }
    const r = await INSERT_CUSTOMER(q, { company_id: companyId, name: c.name, phone: c.phone, account_no: c.account, created_at: at });
    return { id: (r.rows[0] as { id: number }).id, created: true };
  }

  /**
   * The customers and the addresses with two or more orders created in [fromIso, toIso) among those the scope sees
   * (of the given kinds when any), most orders first, at most `limit` of each.
   */
  async repeats(scope: Scope, range: { fromIso: string; toIso: string; kinds?: string[] }, limit: number, q: Q = this.db) {
    const { fromIso, toIso, kinds } = range;
    const base = () =>
      q
        .selectFrom('tickets')
        .where((eb) => visibleToScope(eb, scope))
        .where('tickets.created_at', '>=', fromIso)
        .where('tickets.created_at', '<', toIso)
        .where((eb) => (kinds?.length ? eb('tickets.kind', 'in', kinds) : sql<boolean>`1 = 1`));
    const customers = await base()
      .innerJoin('customers as c', 'c.id', 'tickets.customer_id')
      .select(['c.id', 'c.name', 'c.phone', 'c.account_no', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['c.id', 'c.name', 'c.phone', 'c.account_no'])
      .having((eb) => eb.fn.countAll(), '>=', 2)
      .orderBy('n', 'desc')
      .orderBy('c.id')
      .limit(limit)
      .execute();
    const addresses = await base()
      .select(['tickets.location', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tickets.location', 'is not', null)
      .groupBy('tickets.location')
      .having((eb) => eb.fn.countAll(), '>=', 2)
      .orderBy('n', 'desc')
      .orderBy('tickets.location')
      .limit(limit)
      .execute();
    return { customers, addresses };
  }
}
