import { createHmac } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { Config } from './config.ts';
import type { Services } from './container.ts';
import type { Db } from './db/connect.ts';
import { migrateToLatest, SCHEMA_RELEASE, schemaStatus, withSchemaLock } from './db/migrate.ts';
import { deriveKey, randomToken } from './lib/crypto.ts';
import { runPostMigrateTasks } from './post-migrate.ts';
import { DEMO_USERS, seedDemoOrg } from './seed/demo-org.ts';
import { seedDemoTickets } from './seed/demo-tickets.ts';

/** A start-up check failed: the message says what is wrong and what to do; nothing was changed. */
export class StartupError extends Error {}

export interface StartReport {
  migrations: string[];
  /** Set when the node runs on a schema one release newer than its own (a rolling upgrade in progress). */
  schemaNote: string | null;
  firstStart: boolean;
  logins: Array<{ username: string; roles: string[] }>;
  password: string | null;
  passwordFile: string | null;
  tickets: number;
}

async function getMeta(db: Db, key: string): Promise<string | undefined> {
  const row = await db.kysely.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

async function setMeta(db: Db, key: string, value: string): Promise<void> {
  await db.kysely
    .insertInto('meta')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute();
}

const GUIDE = 'docs/operator-guide.md';

/**
 * PostgreSQL must store UTF-8 with a UTF-8 collation: in SQL_ASCII or a C collation Chinese search finds
 * nothing and sorting is by bytes, without any error.
 */
export async function checkDatabaseEncoding(db: Db): Promise<void> {
  if (db.dialect !== 'postgres') return;
  const r = await sql<{ name: string; encoding: string; collate: string; ctype: string; provider: string | null }>`
    select datname as name, pg_encoding_to_char(encoding) as encoding, datcollate as collate, datctype as ctype,
           to_jsonb(d) ->> 'datlocprovider' as provider
    from pg_database d where datname = current_database()`.execute(db.kysely);
  const d = r.rows[0];
  if (!d) return;
  const utf8Locale = (l: string) => /utf-?8/i.test(l);
  // An ICU database (PostgreSQL 15+) collates by ICU; the libc locale then only matters for ctype.
  const ok = d.encoding === 'UTF8' && (d.provider === 'i' || (utf8Locale(d.collate) && utf8Locale(d.ctype)));
  if (ok) return;
  throw new StartupError(
    [
      `database "${d.name}" has encoding ${d.encoding} and collation ${d.collate} (ctype ${d.ctype});`,
      'GridVoice needs UTF8 with a UTF-8 collation, or Chinese search finds nothing and sorting is by bytes.',
      'Create the database like this and restore into it (pg_dump / pg_restore):',
      `  CREATE DATABASE ${d.name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8';`,
      `See ${GUIDE}, "数据库 Database".`,
    ].join('\n'),
  );
}

/** A fingerprint of the secret (an HMAC of a constant under a key derived from it; never the key itself). */
export function keyFingerprint(secret: string): string {
  return createHmac('sha256', deriveKey(secret, 'key-fingerprint')).update('gridvoice-key-fingerprint-v1').digest('hex');
}

/**
 * The secret must be the one the database was set up with: reporter identities are sealed and the event chain
 * is keyed with keys derived from it. The first start (or the first after upgrading) records its fingerprint.
 */
async function checkKey(db: Db, config: Config): Promise<void> {
  const mine = keyFingerprint(config.secret);
  const stored = await getMeta(db, 'key_fingerprint');
  if (stored === undefined) return setMeta(db, 'key_fingerprint', mine);
  if (stored === mine) return;
  const source = process.env.GRIDVOICE_SECRET ? 'GRIDVOICE_SECRET' : join(config.dataDir, 'secret.key');
  throw new StartupError(
    [
      `the secret key does not belong to this database: it expects the key with fingerprint ${stored.slice(0, 12)}…,`,
      `but ${source} has fingerprint ${mine.slice(0, 12)}…${config.secretGenerated ? ' (a new secret.key was just generated: none was found)' : ''}.`,
      'Reporter identities and the event history are sealed with the expected key. Restore the secret.key (or set',
      `GRIDVOICE_SECRET) that was backed up with this database; nothing was changed. See ${GUIDE}, "密钥 Keys".`,
    ].join('\n'),
  );
}

/**
 * Brings the schema to this code's release when `migrate` (else refuses a schema behind it), accepts a schema
 * up to one release newer (rolling upgrade, expand/contract) without touching it, and checks the secret key.
 * Call inside `withSchemaLock`.
 */
export async function ensureSchema(
  db: Db,
  config: Config,
  opts: { migrate: boolean },
): Promise<{ applied: string[]; note: string | null }> {
  const status = await schemaStatus(db);
  let applied: string[] = [];
  let note: string | null = null;
  if (status.release > SCHEMA_RELEASE || status.unknown.length > 0) {
    if (status.release !== SCHEMA_RELEASE + 1)
      throw new StartupError(
        `the database schema is release ${status.release} (migrations this node does not know: ${status.unknown.join(', ') || 'none'}), ` +
          `this node is release ${SCHEMA_RELEASE}: a node runs on a schema at most one release newer. Upgrade this node; see ${GUIDE}, "升级 Upgrades".`,
      );
    note = `database schema is release ${status.release}, one newer than this node (${SCHEMA_RELEASE}): running on it unchanged (rolling upgrade)`;
  } else if (status.pending.length > 0) {
    if (!opts.migrate)
      throw new StartupError(
        `the database schema is behind this node (release ${status.release}, ${status.pending.length} migrations pending: ${status.pending.join(', ')}). ` +
          `Run \`gridvoice migrate\` once (or set GRIDVOICE_AUTO_MIGRATE=1); see ${GUIDE}, "升级 Upgrades".`,
      );
    applied = await migrateToLatest(db);
  }
  // Backfills a migration marked (also those a crash interrupted): only on a schema of this release, not a newer one.
  if (!note) await runPostMigrateTasks(db);
  await checkKey(db, config);
  return { applied, note };
}

/**
 * Checks the database and the key, migrates (when `migrate`, the default; `serve` passes the configured
 * GRIDVOICE_AUTO_MIGRATE), re-keys events written without the key, installs the reference data, and on the very
 * first start seeds either the demo organisation (users share one password: GRIDVOICE_DEMO_PASSWORD or a random
 * one kept in the data dir) or a bootstrap admin with a one-time password. Later starts seed nothing.
 * PostgreSQL: under the schema's advisory lock, so nodes starting together on an empty database do it once.
 */
export async function prepare(
  db: Db,
  services: Services,
  config: Config,
  opts: { demoTickets?: boolean; migrate?: boolean } = {},
): Promise<StartReport> {
  await checkDatabaseEncoding(db);
  return withSchemaLock(db, async () => {
    const schema = await ensureSchema(db, config, { migrate: opts.migrate ?? true });
    await services.chain.rekey();
    return seed(db, services, config, schema, opts);
  });
}

async function seed(
  db: Db,
  services: Services,
  config: Config,
  schema: { applied: string[]; note: string | null },
  opts: { demoTickets?: boolean },
): Promise<StartReport> {
  const migrations = schema.applied;
  await services.reference.ensureDefaults();
  const passwordFile = join(config.dataDir, 'demo-password.txt');
  const initialized = await getMeta(db, 'initialized_at');
  const report: StartReport = {
    migrations,
    schemaNote: schema.note,
    firstStart: !initialized,
    logins: [],
    password: null,
    passwordFile: null,
    tickets: 0,
  };
  if (!initialized) {
    if (config.demo) {
      const password = config.demoPassword ?? randomToken(9);
      await seedDemoOrg(services, password);
      if (opts.demoTickets !== false) report.tickets = await seedDemoTickets(services, { now: services.clock() });
      if (!config.demoPassword) {
        writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
        chmodSync(passwordFile, 0o600);
      }
      report.password = password;
    } else {
      const password = randomToken(12);
      const company = await services.org.create(null, {
        code: 'ROOT',
        name: '供电公司',
        kind: 'company',
        parentId: null,
        areaType: 'urban',
      });
      await services.users.create(null, {
        username: 'admin',
        displayName: '系统管理员',
        unitId: company.id,
        roles: ['admin'],
        password,
        mustChangePassword: true,
      });
      report.password = password;
      report.logins = [{ username: 'admin', roles: ['admin'] }];
    }
    await setMeta(db, 'initialized_at', services.clock().toISOString());
    await setMeta(db, 'mode', config.demo ? 'demo' : 'clean');
  }
  // Tables that grew since their last analysis (a bulk load, a restore) would be planned as if still small.
  await services.plannerStats.refreshIfGrown();
  if ((await getMeta(db, 'mode')) === 'demo') {
    report.logins = DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles }));
    if (!report.password)
      report.password = config.demoPassword ?? (existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : null);
    if (!config.demoPassword && existsSync(passwordFile)) report.passwordFile = passwordFile;
  }
  return report;
}
