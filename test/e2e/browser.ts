/**
 * Browser-test helpers: the real server in-process over a fresh SQLite database with the demo organisation,
 * serving the built web app, and Debian's Chromium driven by playwright-core. Builds nothing: the test run
 * builds the web first (`npm run build:web`).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';
import { type App, buildApp } from '../../server/app.ts';
import { prepare } from '../../server/bootstrap.ts';
import { loadConfig } from '../../server/config.ts';
import { connect } from '../../server/db/connect.ts';
import { WEB_DIST } from './bundle.ts';

export { WEB_DIST };
export const ARTIFACTS = resolve(import.meta.dirname, 'artifacts');
export const CHROMIUM = process.env.GRIDVOICE_CHROMIUM ?? '/usr/bin/chromium';
export const E2E_PASSWORD = 'demo-pass-2026';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let noticePrinted = false;

/** Whether browser tests can run here; in CI a missing Chromium or web build is an error, locally a visible skip. */
export function browserAvailable(): boolean {
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    throw new Error(`${WEB_DIST}/index.html is missing: build the web app before the browser tests (npm run build:web)`);
  }
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true') throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium package`);
  if (!noticePrinted) {
    noticePrinted = true;
    process.stderr.write(
      `\n*** NOTICE: ${CHROMIUM} not found — browser tests are SKIPPED (apt-get install -y chromium fonts-noto-cjk) ***\n\n`,
    );
  }
  return false;
}

/** `describe` that skips, with the notice above, when Chromium is not installed (never in CI). */
export function describeBrowser(name: string, fn: () => void): void {
  if (browserAvailable()) describe(name, fn);
  else describe.skip(`${name} (chromium not installed)`, fn);
}

export interface E2EServer {
  url: string;
  app: App;
  close(): Promise<void>;
}

/** The real app on 127.0.0.1 with a random port, over a fresh SQLite database with the demo organisation and users; its log goes to artifacts/server-<name>.log. */
export async function startServer(opts: { port?: number; name?: string } = {}): Promise<E2EServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gv-e2e-'));
  const config = loadConfig({
    GRIDVOICE_DATA_DIR: dataDir,
    GRIDVOICE_SECRET: 'e2e-secret-e2e-secret-e2e-secret-0123456',
    GRIDVOICE_DEMO_PASSWORD: E2E_PASSWORD,
    DATABASE_URL: `sqlite:${join(dataDir, 'e2e.sqlite')}`,
    LOG_LEVEL: 'silent',
    GRIDVOICE_SWEEPER_INTERVAL_MS: '0',
  });
  const db = connect(config.databaseUrl);
  mkdirSync(ARTIFACTS, { recursive: true });
  // The server's request log is kept with the screenshots, for reading a failed run afterwards.
  const logger = { level: 'info', file: join(ARTIFACTS, `server-${opts.name ?? 'e2e'}.log`) };
  const app = await buildApp(config, { db, logger, webDist: WEB_DIST });
  await prepare(db, app.services, config, { demoTickets: false });
  const address = await app.listen({ port: opts.port ?? 0, host: '127.0.0.1' });
  return {
    url: address,
    app,
    async close() {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium, headless. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** A fresh browser context (own cookies) for one user, logged in through the login page, on the home page. */
export async function loginAs(
  browser: Browser,
  url: string,
  username: string,
  opts: { locale?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: url,
    locale: opts.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1440, height: 900 },
  });
  // Generous: CI machines and busy laptops run the browser, the server and other tests at once.
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(E2E_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-menu').waitFor();
  return { context, page };
}

/** Saves a full-page screenshot as test/e2e/artifacts/<name>.png. */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
