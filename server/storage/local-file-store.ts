import { mkdir, open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { randomToken } from '../lib/crypto.ts';
import type { FileStore } from './file-store.ts';

/** Files in a directory, fanned out by hash (`ab/cd/abcd…`); several nodes may share it as a volume. */
export class LocalFileStore implements FileStore {
  readonly kind = 'local';

  constructor(private readonly root: string) {}

  private pathOf(hash: string): string {
    return join(this.root, hash.slice(0, 2), hash.slice(2, 4), hash);
  }

  async put(hash: string, data: Buffer): Promise<void> {
    const path = this.pathOf(hash);
    await mkdir(join(this.root, hash.slice(0, 2), hash.slice(2, 4)), { recursive: true });
    // Write a temp name, flush it to disk, then rename: a crash never leaves a half file under the final name,
    // and the file is on disk before the upload is acknowledged. Renaming over the same content is harmless.
    const tmp = `${path}.${randomToken(6)}.tmp`;
    const fh = await open(tmp, 'wx', 0o600);
    try {
      await fh.writeFile(data);
      await fh.sync();
    } catch (err) {
      await fh.close();
      await rm(tmp, { force: true });
      throw err;
    }
    await fh.close();
    await rename(tmp, path);
  }

  async open(hash: string): Promise<Readable | null> {
    if (!/^[0-9a-f]{64}$/.test(hash)) return null;
    try {
      // Opened here rather than by the stream, so that a missing file is a null (→ 404) before any header is sent.
      const fh = await open(this.pathOf(hash), 'r');
      return fh.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }
}
