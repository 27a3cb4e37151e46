import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Config } from '../config.ts';

/** Online backup of the SQLite database (safe while the server runs); PostgreSQL installations use pg_dump. */
export async function backup(config: Config, target: string): Promise<string> {
  if (config.dialect === 'postgres') {
    throw new Error('backup works on the embedded SQLite database; for PostgreSQL use: pg_dump -Fc "$DATABASE_URL" > gridvoice.dump');
  }
  const source = new SqliteDatabase(config.databaseUrl.replace(/^sqlite:/, ''), { readonly: true, fileMustExist: true });
  const file = resolve(target);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    // A backup holds what the database holds: readable by its owner only, also when it replaces a file.
    if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600 });
    chmodSync(file, 0o600);
    const r = await source.backup(file);
    return `backup written to ${file} (${r.totalPages} pages)`;
  } finally {
    source.close();
  }
}
