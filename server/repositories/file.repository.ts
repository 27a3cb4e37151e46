import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';

/** Files of the `database` storage: one row per content hash, the bytes in numbered chunks. */
export class FileRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores the chunks of a content hash unless it is stored already, in one transaction so that a file is
   * either whole or absent. Two nodes storing the same content at once: the second insert waits for the
   * first's key lock, then finds the row and stores nothing.
   */
  async putOnce(sha256: string, size: number, chunks: Buffer[], at: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('file_blobs')
        .values({ sha256, size, chunks: chunks.length, created_at: at })
        .onConflict((oc) => oc.column('sha256').doNothing())
        .returning('sha256')
        .executeTakeFirst();
      if (!inserted) return;
      for (const [seq, data] of chunks.entries()) await trx.insertInto('file_chunks').values({ sha256, seq, data }).execute();
    });
  }

  /** The stored file's size and chunk count, or undefined. */
  find(sha256: string): Promise<{ size: number; chunks: number } | undefined> {
    return this.db.selectFrom('file_blobs').select(['size', 'chunks']).where('sha256', '=', sha256).executeTakeFirst();
  }

  /** One chunk's bytes, or undefined when it is missing. */
  async chunk(sha256: string, seq: number): Promise<Buffer | undefined> {
    const r = await this.db.selectFrom('file_chunks').select('data').where('sha256', '=', sha256).where('seq', '=', seq).executeTakeFirst();
    return r?.data;
  }
}
