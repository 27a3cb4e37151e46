import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Db } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import { randomToken } from './lib/crypto.ts';
import { DEMO_USERS, seedDemoOrg } from './seed/demo-org.ts';
import { seedDemoTickets } from './seed/demo-tickets.ts';
import type { Services } from './services/index.ts';

export interface StartReport {
  migrations: string[];
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

/**
 * Migrates, installs the reference data, and on the very first start seeds either the demo organisation
 * (users share one password: GRIDVOICE_DEMO_PASSWORD or a random one kept in the data dir) or a bootstrap
 * admin with a one-time password. Later starts seed nothing.
 */
export async function prepare(db: Db, services: Services, config: Config, opts: { demoTickets?: boolean } = {}): Promise<StartReport> {
  const migrations = await migrateToLatest(db);
  await services.reference.ensureDefaults();
  const passwordFile = join(config.dataDir, 'demo-password.txt');
  const initialized = await getMeta(db, 'initialized_at');
  const report: StartReport = { migrations, firstStart: !initialized, logins: [], password: null, passwordFile: null, tickets: 0 };
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
  if ((await getMeta(db, 'mode')) === 'demo') {
    report.logins = DEMO_USERS.map((u) => ({ username: u.username, roles: u.roles }));
    if (!report.password)
      report.password = config.demoPassword ?? (existsSync(passwordFile) ? readFileSync(passwordFile, 'utf8').trim() : null);
    if (!config.demoPassword && existsSync(passwordFile)) report.passwordFile = passwordFile;
  }
  return report;
}
