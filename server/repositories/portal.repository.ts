import type { Kysely, Transaction } from 'kysely';
import type { Database, Ticket } from '../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The lookups of the public portal: orders by number or receipt, query codes, the per-phone filing log. */
export class PortalRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Lists a portal session token (by hash) as ended until it would have expired; drops expired entries. */
  async revokeSession(tokenHash: string, expiresAt: string, now: string, q: Q = this.db): Promise<void> {
    await q.deleteFrom('portal_revoked_sessions').where('expires_at', '<', now).execute();
    await q
      .insertInto('portal_revoked_sessions')
      .values({ token_hash: tokenHash, expires_at: expiresAt })
      .onConflict((oc) => oc.column('token_hash').doNothing())
      .execute();
  }

  /** Whether a portal session token (by hash) was ended by its owner. */
  async sessionRevoked(tokenHash: string, q: Q = this.db): Promise<boolean> {
    const row = await q.selectFrom('portal_revoked_sessions').select('token_hash').where('token_hash', '=', tokenHash).executeTakeFirst();
    return row !== undefined;
  }

  findByNumber(number: string, q: Q = this.db): Promise<Ticket | undefined> {
    return q.selectFrom('tickets').selectAll().where('number', '=', number).executeTakeFirst();
  }

  findByReceiptHash(hash: string, q: Q = this.db): Promise<Ticket | undefined> {
    return q.selectFrom('tickets').selectAll().where('receipt_hash', '=', hash).executeTakeFirst();
  }

  /** The first top-level company, or the company with the code: the one the portal files for. */
  async portalCompany(code: string | null, q: Q = this.db) {
    let query = q.selectFrom('org_units').selectAll().where('kind', '=', 'company').where('active', '=', 1);
    query = code ? query.where('code', '=', code) : query.where('parent_id', 'is', null);
    return query.orderBy('id').executeTakeFirst();
  }

  async setSecrets(ticketId: number, set: { query_hash?: string; receipt_hash?: string }, q: Q): Promise<void> {
    await q.updateTable('tickets').set(set).where('id', '=', ticketId).execute();
  }

  async logSubmission(phoneHash: string, ticketId: number, at: string, q: Q): Promise<void> {
    await q.insertInto('portal_submissions').values({ phone_hash: phoneHash, ticket_id: ticketId, at }).execute();
  }

  /** Filings by the phone (keyed hash) since the time. */
  async submissionsSince(phoneHash: string, since: string, q: Q = this.db): Promise<number> {
    const r = await q
      .selectFrom('portal_submissions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('phone_hash', '=', phoneHash)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  attachmentCount(ticketId: number, q: Q = this.db): Promise<{ n: number } | undefined> {
    return q
      .selectFrom('attachments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ticket_id', '=', ticketId)
      .executeTakeFirst();
  }
}
