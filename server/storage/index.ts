import type { Kysely } from 'kysely';
import type { DeployConfig } from '../config-deploy.ts';
import type { Database } from '../db/schema.ts';
import type { Clock } from '../lib/time.ts';
import { FileRepository } from '../repositories/file.repository.ts';
import { DatabaseFileStore } from './database-file-store.ts';
import type { FileStore } from './file-store.ts';
import { LocalFileStore } from './local-file-store.ts';

/** The file store the configuration names (GRIDVOICE_STORAGE). */
export function createFileStore(storage: DeployConfig['storage'], db: Kysely<Database>, clock: Clock): FileStore {
  return storage.kind === 'database' ? new DatabaseFileStore(new FileRepository(db), clock) : new LocalFileStore(storage.dir);
}
