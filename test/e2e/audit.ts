/**
 * Page audits the browser tests run on every page they reach: accessibility by axe-core (injected from
 * node_modules, no network) and the zh-CN check (no untranslated i18n key, no English error, no raw JSON).
 */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

const AXE = resolve(import.meta.dirname, '..', '..', 'node_modules', 'axe-core', 'axe.min.js');

export interface AxeCounts {
  critical: number;
  serious: number;
  moderate: number;
  minor: number;
  /** Rule ids of the serious and critical violations, with a sample target each. */
  blocking: string[];
}

const routed = new WeakSet<Page>();

/** Runs axe-core on the page as it is now (WCAG 2.x A/AA rules) and counts the violations by impact. */
export async function axeCounts(page: Page): Promise<AxeCounts> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === 'object');
  if (!loaded) {
    // The app's Content-Security-Policy allows same-origin scripts only (no inline code): axe is served to the
    // page from a same-origin URL that the browser answers itself, so the policy under test stays as it is.
    if (!routed.has(page)) {
      await page.route('**/__e2e/axe.min.js', (route) => route.fulfill({ path: AXE, contentType: 'text/javascript' }));
      routed.add(page);
    }
    await page.addScriptTag({ url: '/__e2e/axe.min.js' });
  }
  const violations = await page.evaluate(async () => {
    type Result = { id: string; impact: string | null; nodes: Array<{ target: unknown[]; html: string; any: Array<{ message: string }> }> };
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: Result[] }> } }).axe;
    const r = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      target: `${JSON.stringify(v.nodes[0]?.target)} ${v.nodes[0]?.html.slice(0, 200) ?? ''} ${v.nodes[0]?.any[0]?.message ?? ''}`,
    }));
  });
  const out: AxeCounts = { critical: 0, serious: 0, moderate: 0, minor: 0, blocking: [] };
  for (const v of violations) {
    const impact = (v.impact ?? 'minor') as keyof Omit<AxeCounts, 'blocking'>;
    out[impact] += v.nodes;
    if (impact === 'serious' || impact === 'critical') out.blocking.push(`${v.id} ×${v.nodes} (${v.target})`);
  }
  return out;
}

/** An i18n key shown as such, e.g. "admin.clockDispatch" or "rect.states.open". */
const RAW_KEY = /^[a-z]+\.[a-zA-Z.]+$/;
/** Words of the server's English error messages and of unhandled errors. */
const ENGLISH_ERROR =
  /\b(Missing permission|not found|not allowed|is invalid|is required|must (?:NOT )?(?:have|be|match)|Cannot |Internal error|Failed to|Unexpected token|Request failed|Login required|You are not|Too many requests)\b/i;
/** A raw JSON body or an error object shown as text. */
const RAW_JSON = /^\s*[{[]\s*"[a-zA-Z_]+"\s*:/;
/** Three or more English words in a row with no Chinese on the line. */
const ENGLISH_SENTENCE = /\b[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}\b/;
const CJK = /[\u3400-\u9fff]/;

/**
 * The visible texts on the page that are not zh-CN: raw i18n keys, English error messages, raw JSON and
 * English sentences. Also scans labels a screen reader reads (aria-label, title, placeholder).
 */
export async function untranslated(page: Page): Promise<string[]> {
  const texts = await page.evaluate(() => {
    const out: string[] = [];
    // biome-ignore lint/performance/useDomNodeTextContent: the visible text as laid out (hidden nodes left out) is the point
    for (const line of document.body.innerText.split('\n')) if (line.trim()) out.push(line.trim());
    for (const el of document.querySelectorAll<HTMLElement>('[aria-label], [placeholder], [title]')) {
      if (el.closest('[aria-hidden="true"]') || el.offsetParent === null) continue;
      for (const a of ['aria-label', 'placeholder', 'title']) {
        const v = el.getAttribute(a)?.trim();
        if (v) out.push(v);
      }
    }
    return out;
  });
  return [
    ...new Set(
      texts.filter((s) => RAW_KEY.test(s) || ENGLISH_ERROR.test(s) || RAW_JSON.test(s) || (!CJK.test(s) && ENGLISH_SENTENCE.test(s))),
    ),
  ];
}

/** One audited page: its axe counts and the texts that are not zh-CN. */
export interface PageAudit extends AxeCounts {
  page: string;
  mains: number;
  english: string[];
}

/** Audits the page as shown now; the caller asserts (so that a run lists every page before failing). */
export async function auditPage(page: Page, name: string): Promise<PageAudit> {
  await page.waitForLoadState('networkidle').catch(() => undefined);
  // Spinners and skeletons gone: the page shows what it loaded.
  await page
    .waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'), undefined, { timeout: 15_000 })
    .catch(() => undefined);
  // Transitions finished: a menu item fading from selected to plain has, half-way, colours no user reads for long
  // and axe must not judge (infinite animations such as spinners are left alone).
  await page
    .waitForFunction(
      () =>
        document
          .getAnimations()
          .every((a) => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Number.POSITIVE_INFINITY),
      undefined,
      { timeout: 5_000 },
    )
    .catch(() => undefined);
  const [axe, english, mains] = await Promise.all([axeCounts(page), untranslated(page), page.locator('main').count()]);
  return { page: name, mains, english, ...axe };
}

/** The audits as a table for the test log (and the report to the coordinator). */
export function auditTable(audits: readonly PageAudit[]): string {
  const rows = audits.map(
    (a) =>
      `${a.page.padEnd(34)} main=${a.mains} critical=${a.critical} serious=${a.serious} moderate=${a.moderate} minor=${a.minor}` +
      (a.blocking.length ? `  ${a.blocking.join('; ')}` : '') +
      (a.english.length ? `  NOT zh-CN: ${JSON.stringify(a.english)}` : ''),
  );
  return `axe-core and zh-CN audit (${audits.length} pages)\n${rows.join('\n')}\n`;
}
