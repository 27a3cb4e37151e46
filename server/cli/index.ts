import { buildApp } from '../app.ts';
import { checkDatabaseEncoding, ensureSchema, prepare, StartupError } from '../bootstrap.ts';
import { ConfigError, flagsToEnv, loadConfig } from '../config.ts';
import { createServices } from '../container.ts';
import { connect } from '../db/connect.ts';
import { withSchemaLock } from '../db/migrate.ts';
import { systemClock } from '../lib/time.ts';
import { serve } from '../main.ts';
import { seedDemoOrg } from '../seed/demo-org.ts';
import { seedDemoTickets } from '../seed/demo-tickets.ts';
import { backup } from './backup.ts';
import { classifyCommand } from './classify.ts';
import { importCommand } from './import.ts';

/** Each command's usage and what it does: the help text, whole and per command (`gridvoice <cmd> --help`). */
const COMMANDS: Record<string, { usage: string; does: string }> = {
  serve: { usage: 'serve', does: 'run the server (default)' },
  migrate: {
    usage: 'migrate',
    does: 'bring the database schema up to date and re-key old event chains (the one step that changes the schema)',
  },
  'seed-demo': { usage: 'seed-demo', does: 'add the demo organisation, users and orders to an empty database' },
  user: {
    usage:
      'user create <username> --unit CODE --role ROLE[,ROLE] [--name NAME] [--password PW]\n  user reset-password <username> [--password PW]',
    does: 'create a user, or reset a password',
  },
  'verify-events': {
    usage: 'verify-events',
    does: "check every order's keyed event chain and row, and the orders against the latest signed checkpoint",
  },
  checkpoint: { usage: 'checkpoint', does: 'write a signed checkpoint of every event chain head now' },
  import: {
    usage: 'import orders FILE --map MAP.json [--dry-run] [--all-or-nothing] [--company CODE]',
    does: 'import closed historical orders from .xlsx/.csv (re-runs skip imported rows)',
  },
  stats: { usage: 'stats rebuild', does: 'recompute the statistics aggregates from the orders' },
  classify: {
    usage: 'classify "文本" [--kind K]\n  classify --eval FILE [--train-splits train] [--json]\n  classify --cv [--json]',
    does: 'suggest classes and the kind for a text (JSON); or, over a corpus .txt or .jsonl, per-class precision/recall, top-1/top-3 and the worst confusions, cold and with a simulated history, and kind accuracy',
  },
  'search-reindex': {
    usage: 'search-reindex',
    does: 'index orders that have no full-text index row yet and rewrite rows of an older index format',
  },
  backup: { usage: 'backup <file>', does: 'online backup of the SQLite database, written 0600 (PostgreSQL: use pg_dump)' },
};

const OPTIONS = `Options (also as environment variables):
  --port PORT  --host HOST  --data-dir DIR (GRIDVOICE_DATA_DIR)  --database-url URL (DATABASE_URL)
  --demo 0|1 (GRIDVOICE_DEMO)  --demo-password PW (GRIDVOICE_DEMO_PASSWORD)  --log-level LEVEL
  --help, -h  print help and run nothing (also after a command: gridvoice migrate --help)
`;

const HELP = `gridvoice — 电力客户投诉举报处理平台

Usage: gridvoice <command> [options]

Commands:
${Object.values(COMMANDS)
  .map((c) => `  ${c.usage}\n      ${c.does}`)
  .join('\n')}

${OPTIONS}`;

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
  await checkDatabaseEncoding(db);
  await withSchemaLock(db, () => ensureSchema(db, config, { migrate: config.autoMigrate }));
  const app = await buildApp(config, { db, logger: false });
  await app.services.reference.ensureDefaults();
  return { config, db, app, services: app.services };
}

async function main(): Promise<number> {
  const { env, rest } = flagsToEnv(process.argv.slice(2), process.env);
  const [command = 'serve', ...args] = rest;
  // Help never runs the command, wherever the flag stands.
  if (args.includes('--help') || args.includes('-h')) {
    const c = COMMANDS[command];
    if (!c) {
      process.stderr.write(`unknown command "${command}"\n\n${HELP}`);
      return 2;
    }
    process.stdout.write(`Usage: gridvoice ${c.usage}\n\n  ${c.does}\n\n${OPTIONS}`);
    return 0;
  }
  switch (command) {
    case 'serve':
      await serve(process.argv.slice(3));
      return -1;
    case 'migrate': {
      const config = loadConfig(env);
      const db = connect(config.databaseUrl);
      try {
        await checkDatabaseEncoding(db);
        const { applied, note } = await withSchemaLock(db, () => ensureSchema(db, config, { migrate: true }));
        // Events written without the key (before the keyed chain, or by older nodes) are re-keyed here.
        const rekeyed = await createServices(db, config, systemClock).chain.rekey();
        if (note) process.stdout.write(`${note}\n`);
        process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'schema is up to date\n');
        process.stdout.write(`event chains re-keyed: ${rekeyed.orders} orders, ${rekeyed.events} events\n`);
        for (const s of rekeyed.skipped) process.stdout.write(`  not re-keyed (verify-events reports it): ${s}\n`);
        return 0;
      } finally {
        await db.close();
      }
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
        const r = await services.chain.verify();
        const cp = r.checkpoint;
        process.stdout.write(`${r.checked} orders checked, ${r.broken.length} problems\n`);
        process.stdout.write(
          cp
            ? `compared with checkpoint #${cp.id} of ${cp.at} (${cp.orders} orders, ${cp.events} events)\n`
            : 'no checkpoint yet: a deleted or truncated order is found only once a checkpoint recorded it\n',
        );
        for (const b of r.broken) process.stdout.write(`  ${b.number}: event ${b.seq} — ${b.problem}\n`);
        return r.broken.length === 0 ? 0 : 1;
      });
    case 'checkpoint':
      return withServices(env, async ({ services }) => {
        const r = await services.chain.checkpoint();
        if ('refused' in r) {
          process.stdout.write('checkpoint refused: orders the previous checkpoint recorded are gone or shorter\n');
          for (const b of r.refused) process.stdout.write(`  ${b.number}: event ${b.seq} — ${b.problem}\n`);
          return 1;
        }
        process.stdout.write(`checkpoint #${r.id}: ${r.orders} orders, ${r.events} events, root ${r.root}\n`);
        return 0;
      });
    case 'classify': {
      const opts = {
        kind: option(args, '--kind'),
        company: option(args, '--company'),
        evalFile: option(args, '--eval'),
        trainSplits: option(args, '--train-splits'),
        json: flag(args, '--json'),
        cv: flag(args, '--cv'),
      };
      const print = (r: unknown) => process.stdout.write(`${typeof r === 'string' ? r : JSON.stringify(r, null, 2)}\n`);
      // An evaluation needs no database: the models train on the corpus, the history is simulated.
      if (opts.evalFile || opts.cv) {
        print(await classifyCommand(null, args, opts));
        return 0;
      }
      return withServices(env, async ({ services }) => {
        print(await classifyCommand(services, args, opts));
        return 0;
      });
    }
    case 'search-reindex':
      return withServices(env, async ({ services }) => {
        process.stdout.write(`${(await services.search.reindexMissing()) + (await services.search.upgradeIndex())} orders indexed\n`);
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
    if (err instanceof ConfigError || err instanceof StartupError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
