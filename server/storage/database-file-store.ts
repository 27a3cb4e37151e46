import { Readable } from 'node:stream';
import { type Clock, iso } from '../lib/time.ts';
import type { FileRepository } from '../repositories/file.repository.ts';
import type { FileStore } from './file-store.ts';

/** 256 KiB: small enough that a download holds one chunk at a time, large enough that a 20 MB file is 80 rows. */
export const CHUNK_BYTES = 256 * 1024;

/** Files in the database as chunks, so that every node reads what any node wrote and `pg_dump` backs them up. */
export class DatabaseFileStore implements FileStore {
  readonly kind = 'database';

  constructor(
    private readonly repo: FileRepository,
    private readonly clock: Clock,
  ) {}

  async put(hash: string, data: Buffer): Promise<void> {
    if (await this.repo.find(hash)) return;
    const chunks: Buffer[] = [];
    for (let at = 0; at < data.length; at += CHUNK_BYTES) chunks.push(data.subarray(at, at + CHUNK_BYTES));
    await this.repo.putOnce(hash, data.length, chunks, iso(this.clock()));
  }

  async open(hash: string): Promise<Readable | null> {
    const blob = await this.repo.find(hash);
    if (!blob) return null;
    const { repo } = this;
    const count = blob.chunks;
    // Chunk by chunk as the client reads: memory stays at one chunk whatever the file's size.
    async function* chunks() {
      for (let seq = 0; seq < count; seq++) {
        const data = await repo.chunk(hash, seq);
        if (!data) throw new Error(`file ${hash} is missing chunk ${seq} of ${count}`);
        yield data;
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }
}
