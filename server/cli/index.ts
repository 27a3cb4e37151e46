import { buildApp } from '../app.ts';
import { prepare } from '../bootstrap.ts';
import { ConfigError, flagsToEnv, loadConfig } from '../config.ts';
import { connect } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { serve } from '../main.ts';
import { seedDemoOrg } from '../seed/demo-org.ts';
import { seedDemoTickets } from '../seed/demo-tickets.ts';
import { backup } from './backup.ts';
import { classifyCommand } from './classify.ts';
import { importCommand } from './import.ts';

const HELP = `gridvoice — 电力客户投诉举报处理平台

Usage: gridvoice <command> [options]

Commands:
  serve                              run the server (default)
  migrate                            bring the database schema up to date
  seed-demo                          add the demo organisation, users and orders to an empty database
  user create <username> --unit CODE --role ROLE[,ROLE] [--name NAME] [--password PW]
  user reset-password <username> [--password PW]
  verify-events                      check every order's hash-chained history
  import orders FILE --map MAP.json [--dry-run] [--all-or-nothing] [--company CODE]
                                     import closed historical orders from .xlsx/.csv (re-runs skip imported rows)
  stats rebuild                      recompute the statistics aggregates from the orders
  classify "文本" [--kind K]          suggest classes for a text (JSON)
  classify --eval FILE.jsonl         top-1/top-3 accuracy over lines {"text","kind","class"}
  search-reindex                     index orders that have no full-text index row yet
  backup <file>                      online backup of the SQLite database (PostgreSQL: use pg_dump)

Options (also as environment variables):
  --port PORT  --host HOST  --data-dir DIR (GRIDVOICE_DATA_DIR)  --database-url URL (DATABASE_URL)
  --demo 0|1 (GRIDVOICE_DEMO)  --demo-password PW (GRIDVOICE_DEMO_PASSWORD)  --log-level LEVEL
`;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
}

function flag(args: string[], name: string): boolean {
  const i = args.indexOf(name);
  if (i !== -1) args.splice(i, 1);
  return i !== -1;
}

async function withServices<T>(env: NodeJS.ProcessEnv, fn: (ctx: Awaited<ReturnType<typeof open>>) => Promise<T>): Promise<T> {
  const ctx = await open(env);
  try {
    return await fn(ctx);
  } finally {
    await ctx.app.close();
    await ctx.db.close();
  }
}

async function open(env: NodeJS.ProcessEnv) {
  const config = loadConfig({ LOG_LEVEL: 'warn', ...env });
  const db = connect(config.databaseUrl);
  await migrateToLatest(db);
  const app = await buildApp(config, { db, logger: false });
  await app.services.reference.ensureDefaults();
  return { config, db, app, services: app.services };
}

async function main(): Promise<number> {
  const { env, rest } = flagsToEnv(process.argv.slice(2), process.env);
  const [command = 'serve', ...args] = rest;
  switch (command) {
    case 'serve':
      await serve(process.argv.slice(3));
      return -1;
    case 'migrate': {
      const config = loadConfig(env);
      const db = connect(config.databaseUrl);
      const applied = await migrateToLatest(db);
      await db.close();
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
      return 0;
    }
    case 'seed-demo':
      return withServices(env, async ({ services, config, db }) => {
        const report = await prepare(db, services, { ...config, demo: true });
        if (!report.firstStart) {
          const units = await services.org.list();
          if (units.length > 0) {
            process.stderr.write('the database is already initialised; seed-demo only fills an empty database\n');
            return 1;
          }
          await seedDemoOrg(services, config.demoPassword ?? 'gridvoice-demo');
          await seedDemoTickets(services, { now: new Date() });
        }
        process.stdout.write(`demo data created (${report.tickets} orders); password: ${report.password}\n`);
        return 0;
      });
    case 'user':
      return withServices(env, async ({ services }) => {
        const [sub, username] = args;
        const password = option(args, '--password');
        if (!username) throw new Error('a username is required');
        if (sub === 'create') {
          const unitCode = option(args, '--unit');
          const roles = (option(args, '--role') ?? '').split(',').filter(Boolean);
          const name = option(args, '--name') ?? username;
          const unit = unitCode ? (await services.org.list()).find((u) => u.code === unitCode) : undefined;
          if (!unit) throw new Error(`--unit ${unitCode ?? ''}: no such unit code`);
          const pw = password ?? (await import('../lib/crypto.ts')).randomToken(12);
          await services.users.create(null, {
            username,
            displayName: name,
            unitId: unit.id,
            roles,
            password: pw,
            mustChangePassword: !password,
          });
          process.stdout.write(`created ${username}${password ? '' : `; one-time password: ${pw}`}\n`);
          return 0;
        }
        if (sub === 'reset-password') {
          const pw = password ?? (await import('../lib/crypto.ts')).randomToken(12);
          await services.users.resetPassword(null, { username }, pw);
          process.stdout.write(`password of ${username} reset${password ? '' : `; new password: ${pw}`}\n`);
          return 0;
        }
        throw new Error(`unknown user command "${sub}"`);
      });
    case 'stats':
      return withServices(env, async ({ services }) => {
        if (args[0] !== 'rebuild') throw new Error('usage: gridvoice stats rebuild');
        const r = await services.stats.rebuild();
        process.stdout.write(`statistics aggregates rebuilt from ${r.orders} orders (${r.rows} rows)\n`);
        return 0;
      });
    case 'import':
      return withServices(env, async ({ services }) => {
        const opts = {
          map: option(args, '--map'),
          company: option(args, '--company'),
          dryRun: flag(args, '--dry-run'),
          allOrNothing: flag(args, '--all-or-nothing'),
        };
        return importCommand(services, args, opts, { progress: (s) => process.stderr.write(s), report: (s) => process.stdout.write(s) });
      });
    case 'verify-events':
      return withServices(env, async ({ services }) => {
        const r = await services.tickets.verifyAllChains();
        process.stdout.write(`${r.checked} orders checked, ${r.broken.length} broken chains\n`);
        for (const b of r.broken) process.stdout.write(`  ${b.number}: event ${b.seq} — ${b.problem}\n`);
        return r.broken.length === 0 ? 0 : 1;
      });
    case 'classify':
      return withServices(env, async ({ services }) => {
        const opts = { kind: option(args, '--kind'), company: option(args, '--company'), evalFile: option(args, '--eval') };
        process.stdout.write(`${JSON.stringify(await classifyCommand(services, args, opts), null, 2)}\n`);
        return 0;
      });
    case 'search-reindex':
      return withServices(env, async ({ services }) => {
        process.stdout.write(`${await services.search.reindexMissing()} orders indexed\n`);
        return 0;
      });
    case 'backup': {
      const file = args[0];
      if (!file) throw new Error('backup needs a target file');
      const config = loadConfig(env);
      process.stdout.write(`${await backup(config, file)}\n`);
      return 0;
    }
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return 0;
    default:
      process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
