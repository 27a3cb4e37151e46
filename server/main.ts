import { join } from 'node:path';
import { buildApp } from './app.ts';
import { prepare, StartupError } from './bootstrap.ts';
import { type Config, ConfigError, flagsToEnv, loadConfig } from './config.ts';
import { connect } from './db/connect.ts';
import { SCHEMA_RELEASE } from './db/migrate.ts';

function printBanner(config: Config, url: string, report: Awaited<ReturnType<typeof prepare>>): void {
  const lines = [
    '',
    '  GridVoice 电力客户投诉举报处理平台',
    `  URL:       ${url}`,
    `  Database:  ${config.dialect === 'sqlite' ? config.databaseUrl.replace(/^sqlite:/, '') : config.databaseUrl.replace(/\/\/[^@]*@/, '//***@')}`,
  ];
  if (report.firstStart && report.tickets > 0) lines.push(`  Demo data: ${report.tickets} work orders generated`);
  if (report.logins.length > 0) {
    lines.push(
      '',
      report.logins.length === 1 && !report.passwordFile
        ? '  Bootstrap login (shown once; change it after login):'
        : '  Demo logins 演示账号:',
    );
    for (const l of report.logins) lines.push(`    ${l.username.padEnd(11)} ${l.roles.join(',')}`);
    if (report.password) lines.push(`  Password 密码: ${report.password}`);
    if (report.passwordFile) lines.push(`  (kept in ${report.passwordFile})`);
  }
  // stdout carries only JSON log lines (for log shippers); the banner is for the person at the terminal.
  process.stderr.write(`${lines.join('\n')}\n\n`);
}

/** Loads the configuration, prepares the database, serves, and shuts down cleanly on SIGTERM/SIGINT. */
export async function serve(argv: readonly string[]): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(flagsToEnv(argv, process.env).env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const db = connect(config.databaseUrl);
  const app = await buildApp(config, { db, webDist: join(import.meta.dirname, '..', 'web', 'dist') });
  let report: Awaited<ReturnType<typeof prepare>>;
  try {
    report = await prepare(db, app.services, config, { migrate: config.autoMigrate });
  } catch (err) {
    if (!(err instanceof StartupError)) throw err;
    process.stderr.write(`gridvoice cannot start: ${err.message}\n`);
    await app.close();
    await db.close();
    process.exit(2);
  }
  if (report.schemaNote) app.log.warn({ schemaRelease: SCHEMA_RELEASE }, report.schemaNote);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.lifecycle.draining = true;
    app.log.info({ signal }, 'shutting down: draining requests and jobs');
    await app.services.jobs.stop();
    // A keep-alive connection whose request finishes during the drain goes idle and would hold close() open
    // for the whole keep-alive timeout: close such connections as they become idle.
    const idle = setInterval(() => app.server.closeIdleConnections(), 100);
    await app.close();
    clearInterval(idle);
    await db.close();
    process.exit(0);
  };
  // Before listening: a signal that arrives the moment the port opens must still drain, not kill.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  app.services.jobs.start();
  const address = await app.listen({ port: config.port, host: config.host });
  printBanner(config, address, report);
}
