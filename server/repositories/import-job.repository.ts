// Import jobs of historical orders: each job's progress and report, and the original numbers already brought in.
import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database, ImportedOrderTable, ImportJobTable } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Import jobs and the orders each one imported, keyed by company and original number. */
export class ImportJobRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a job; returns its id. */
  async insert(row: Insertable<ImportJobTable>, q: Q = this.db): Promise<number> {
    const job = await q.insertInto('import_jobs').values(row).returning('id').executeTakeFirstOrThrow();
    return job.id;
  }

  /** One job of a company. */
  find(id: number, companyId: number, q: Q = this.db) {
    return q.selectFrom('import_jobs').selectAll().where('id', '=', id).where('company_id', '=', companyId).executeTakeFirst();
  }

  /** Writes a job's counters (and, when it ends, its status, report and end time). */
  async update(id: number, set: Updateable<ImportJobTable>, q: Q = this.db): Promise<void> {
    await q.updateTable('import_jobs').set(set).where('id', '=', id).execute();
  }

  /** The order an original number of the company was imported as, if it was. */
  imported(companyId: number, sourceNumber: string, q: Q) {
    return q
      .selectFrom('imported_orders')
      .select('ticket_id')
      .where('company_id', '=', companyId)
      .where('source_number', '=', sourceNumber)
      .executeTakeFirst();
  }

  /** Records that an original number was imported as an order. */
  async recordImported(row: Insertable<ImportedOrderTable>, q: Q): Promise<void> {
    await q.insertInto('imported_orders').values(row).execute();
  }
}
