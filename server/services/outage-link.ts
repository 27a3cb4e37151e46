import type { Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';
import { invalidField } from '../errors.ts';
import type { OutageRepository } from '../repositories/outage.repository.ts';

/**
 * Links a new order to an outage of its company inside the intake transaction; only an active outage takes new
 * orders (a restored or cancelled one answers 400 on `outageId`, and the whole intake rolls back).
 */
export async function linkOrderToOutage(
  outages: OutageRepository,
  trx: Transaction<Database>,
  link: { outageId: number; companyId: number; ticketId: number; by: number | null; at: string },
): Promise<void> {
  const outage = await outages.find(link.outageId, link.companyId, trx);
  if (!outage) throw invalidField('outageId', 'no such outage');
  if (outage.status !== 'active') throw invalidField('outageId', `the outage is ${outage.status}; only active outages take new orders`);
  await outages.linkOrder({ outage_id: link.outageId, ticket_id: link.ticketId, linked_by: link.by, linked_at: link.at }, trx);
}
