/** Page-level steps the browser tests share: picking from Ant Design selects, running workflow actions. */
import type { Locator, Page } from 'playwright-core';

/** For `expect.poll`: its 1 s default is too short for a browser on a busy machine. */
export const POLL = { timeout: 30_000, interval: 200 };

const MOTION = ['appear-prepare', 'appear-start', 'appear-active', 'enter-prepare', 'enter-start', 'enter-active']
  .map((m) => `[class*="-${m}"]`)
  .join(', ');

/**
 * Waits until no Ant Design open animation runs: a popup aligned while its modal still zooms in moves
 * after it is drawn, and a click aimed at it then lands beside it.
 */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction((sel) => document.querySelector(sel) === null, MOTION);
}

/** Chooses an option of an Ant Design Select / TreeSelect: types to filter the options, then clicks the match. */
export async function pick(page: Page, control: Locator, text: string): Promise<void> {
  await settle(page);
  await control.click();
  await control.pressSequentially(text);
  await settle(page);
  const option = page
    .locator('.ant-select-dropdown:visible')
    .locator('.ant-select-item-option, .ant-select-tree-treenode')
    .filter({ hasText: text })
    .first();
  await option.click();
  await option.waitFor({ state: 'hidden' });
}

/** Waits until the order header shows the state (by code). */
export async function expectState(page: Page, state: string): Promise<void> {
  await page.locator(`[data-testid="ticket-detail"] [data-testid="state-tag"][data-state="${state}"]`).first().waitFor();
}

/**
 * Runs one workflow action from the order page: clicks its button, lets `fill` complete the generated form,
 * submits, and waits for the form to close.
 */
export async function act(page: Page, action: string, fill?: (form: Locator) => Promise<void>): Promise<void> {
  const version = await page.getByTestId('ticket-detail').getAttribute('data-version');
  await page.getByTestId(`action-${action}`).click();
  const form = page.getByTestId(`action-form-${action}`);
  await form.waitFor();
  // The form opens in a modal: a click while it still zooms in lands beside the button and submits nothing.
  await settle(page);
  if (fill) await fill(form);
  await settle(page);
  await page.getByTestId('action-submit').click();
  const closed = form.waitFor({ state: 'detached' }).then(() => null);
  const failed = page
    .getByTestId('action-error')
    .or(form.locator('.ant-form-item-explain-error'))
    .first()
    .waitFor()
    .then(async () => (await form.textContent()) ?? 'error');
  const problem = await Promise.race([closed, failed.catch(() => null)]);
  if (problem) throw new Error(`${action} was refused: ${problem}`);
  await page.locator(`[data-testid="ticket-detail"]:not([data-version="${version}"])`).waitFor();
}

/**
 * The work list on the page once the orders of its current URL have arrived (the table's `data-state`, not the
 * spinner, which is not yet drawn right after a navigation): the numbers on this page and the total it says.
 */
export async function listShown(page: Page): Promise<{ numbers: string[]; total: number }> {
  await page.locator('[data-testid="ticket-table"][data-state="ready"]').waitFor();
  const numbers = await page.getByTestId('ticket-link').allTextContents();
  const total = Number(await page.getByTestId('list-total').getAttribute('data-total'));
  return { numbers, total };
}

/** Opens an order from a work list by its number. */
export async function openFromList(page: Page, query: string, number: string): Promise<void> {
  await page.goto(`/tickets?${query}`);
  await page.getByTestId('ticket-link').filter({ hasText: number }).click();
  await page.getByTestId('ticket-number').filter({ hasText: number }).waitFor();
}

/** Sets the statistics period picker's type (月, 季度, 半年, 年, 自定义) by its exact label. */
export async function periodMode(page: Page, label: string): Promise<void> {
  const mode = page.getByTestId('period-mode');
  if ((await mode.locator('.ant-select-content, .ant-select-selection-item').first().textContent())?.trim() === label) return;
  await settle(page);
  await mode.click();
  await settle(page);
  const option = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: new RegExp(`^${label}$`) })
    .first();
  await option.click();
  await option.waitFor({ state: 'hidden' });
}

/** Chooses a period in the picker of the given type by typing it into its calendar field (2026-11, 2026-Q4, 2026). */
export async function periodValue(page: Page, testId: string, text: string): Promise<void> {
  // Ant Design puts the test id on the input itself or on its wrapper, depending on the picker.
  const input = page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
  await input.click();
  await input.fill(text);
  await input.press('Enter');
}
