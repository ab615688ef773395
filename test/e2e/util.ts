/**
 * Playwright-side e2e checks: registration and helpers.
 *
 * A check file is `test/e2e/<name>.e2e.ts`. The harness (test/harness/e2e.mjs, run by `npm test` or
 * `npm run test:integration`) bundles it, opens a fresh VS Code workbench in Chromium on the per-run test
 * workspace (the extension is installed), and runs its checks in order on that one page:
 *
 *   import { test, runCommand, quickOpen, webviewFrame, screenshot, setTheme } from './util';
 *   export const e2eOptions = { emptyWorkspace: false }; // optional: true opens an empty folder instead
 *
 *   test('the viewer shows the records of a log file', async ({ page, workspace }) => {
 *     await quickOpen(page, 'corpus/cloudtrail-ug__cloudtrail-log-file-examples__01.json');
 *     const view = await webviewFrame(page, { ready: 'body[data-ready="true"]' });
 *     await expectCount(view.locator('tr.record'), 3);
 *     await screenshot(page, 'viewer-records');
 *   }, { timeout: 60_000 });
 *
 * Context given to each check: { page, workspace, serverUrl, env, log }.
 *   workspace: absolute path of the opened folder (a fresh copy of test/fixtures/workspace/** plus corpus/*.json)
 *   env:       the environment the VS Code server got (CLOUDTRAIL_LENS_CORPUS, set-up hook values such as AWS endpoints)
 * A check fails by throwing; each has a timeout (default 90 s) and a failing check saves
 * test/.artifacts/screenshots/FAILED-<file>--<name>.png. Run only some: `npm run test:integration -- --only e2e
 * --file viewer --grep "records"`.
 *
 * Helpers (all take the Playwright page and have their own timeouts):
 *   runCommand(page, 'CloudTrail Lens: Show Log')   F1 palette, pick the command with exactly this title
 *   quickOpen(page, 'dir/file.json')               Ctrl+P, open a workspace file by relative path
 *   webviewFrame(page, { ready, extensionId?, timeout? })
 *                                                 FrameLocator of the visible webview's inner document
 *                                                 (iframe.webview.ready → iframe#active-frame), after `ready` shows
 *   activityBar(page, 'CloudTrail Lens')           click an activity-bar item by its title, return the side bar
 *   sideBarView(page, 'Explorer')                  the pane of a view in the side bar, by its header title
 *   screenshot(page, name, locator?)               save test/.artifacts/screenshots/<name>.png, returns the path
 *   setTheme(page, 'light' | 'dark')               switch colour theme (Light/Dark Modern) and wait for it
 *   closeAllEditors(page)                          View: Close All Editors
 *   notifications(page)                            texts of the notification toasts currently shown
 *   expectText(locator, text|RegExp), expectCount(locator, n), waitUntil(what, probe)
 *                                                 small assertions that poll until they hold or time out
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { until } from '../support/until';

export interface E2EContext {
  page: Page;
  workspace: string;
  serverUrl: string;
  env: Record<string, string | undefined>;
  log: (...args: unknown[]) => void;
}

export interface E2ETest {
  name: string;
  fn: (ctx: E2EContext) => Promise<void>;
  timeout?: number;
  skip?: boolean;
}

const registry = (): E2ETest[] => {
  const g = globalThis as { __cloudtrailLensE2E?: E2ETest[] };
  return (g.__cloudtrailLensE2E ??= []);
};

/** Registers a check; checks of one file run in order on one workbench page. */
export function test(name: string, fn: E2ETest['fn'], opts: { timeout?: number; skip?: boolean } = {}): void {
  registry().push({ name, fn, ...opts });
}

export const EXTENSION_ID = 'cloudtrail-lens.cloudtrail-lens';

const repoRoot = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || !fs.existsSync(path.join(dir, 'test', 'e2e'))) {
    const up = path.dirname(dir);
    if (up === dir) return process.cwd();
    dir = up;
  }
  return dir;
})();
export const screenshotsDir = path.join(repoRoot, 'test', '.artifacts', 'screenshots');

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const quickInput = (page: Page) => page.locator('.quick-input-widget');

/** Picks the row whose label is exactly `label` in the open quick input and presses Enter on it. */
async function pickQuickInputRow(page: Page, label: string, timeout: number): Promise<void> {
  const row = quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(label)}\\s*$`) }) })
    .first();
  await row.waitFor({ state: 'visible', timeout });
  await row.click({ timeout });
}

/** Runs a command through the F1 command palette by its full title ("Category: Title"). */
/**
 * Closes a quick input that is still open or closing (e.g. the theme picker of a previous step): while one is up,
 * a new Quick Open or palette lands on the old, inert input box.
 */
async function dismissQuickInput(page: Page, timeout: number): Promise<void> {
  const widget = quickInput(page);
  if (!(await widget.isVisible().catch(() => false))) return;
  await page.keyboard.press('Escape');
  await widget.waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

export async function runCommand(page: Page, title: string, { timeout = 15_000 } = {}): Promise<void> {
  await page.locator('.monaco-workbench').first().click({ position: { x: 5, y: 5 }, timeout, force: true }).catch(() => undefined);
  await dismissQuickInput(page, timeout);
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input').first();
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  await pickQuickInputRow(page, title, timeout);
  await quickInput(page).waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

/** Opens a workspace file by its path relative to the workspace folder, through Quick Open. */
export async function quickOpen(page: Page, relativePath: string, { timeout = 20_000 } = {}): Promise<void> {
  await dismissQuickInput(page, timeout);
  await page.keyboard.press('Control+P');
  const input = quickInput(page).locator('input').first();
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(relativePath);
  const base = path.posix.basename(relativePath);
  const dir = path.posix.dirname(relativePath);
  // File rows show the base name as label and the folder as description.
  let row = quickInput(page)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRegExp(base)}\\s*$`) }) });
  if (dir !== '.') row = row.filter({ has: page.locator('.label-description', { hasText: dir }) });
  await row.first().waitFor({ state: 'visible', timeout });
  await row.first().click({ timeout });
  await quickInput(page).waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

/**
 * The inner document of the visible webview (a custom editor or webview panel) of `extensionId`. Waits until
 * `ready` (a selector the webview sets once it has rendered) is attached. The first webview of a session can take
 * a few seconds while its service worker starts, hence the generous default timeout.
 */
export async function webviewFrame(
  page: Page,
  { ready, extensionId = EXTENSION_ID, timeout = 30_000 }: { ready: string; extensionId?: string; timeout?: number },
): Promise<FrameLocator> {
  const outer = page.locator(`iframe.webview.ready[src*="extensionId=${extensionId}"]`).filter({ visible: true });
  await outer.first().waitFor({ state: 'attached', timeout });
  const frame = outer.first().contentFrame().locator('iframe#active-frame').contentFrame();
  await frame.locator(ready).first().waitFor({ state: 'attached', timeout });
  return frame;
}

/** Clicks the activity-bar item with this title (e.g. 'CloudTrail Lens') and returns the side bar. */
export async function activityBar(page: Page, title: string, { timeout = 15_000 } = {}): Promise<Locator> {
  // The title sits on the inner .action-label (the <li> only gets one while it is selected).
  const item = page.locator(`.part.activitybar .action-item:has(> .action-label[aria-label^="${title.replace(/"/g, '\\"')}"])`);
  await item.first().waitFor({ state: 'visible', timeout });
  const sidebar = page.locator('.part.sidebar');
  // Clicking an already selected item closes the side bar: only click when it is not showing this container.
  const selected = await item.first().getAttribute('aria-selected').catch(() => null);
  if (selected !== 'true' || !(await sidebar.isVisible())) await item.first().click({ timeout });
  await waitUntil(`${title} to be selected`, async () => (await item.first().getAttribute('aria-selected')) === 'true', timeout);
  await sidebar.waitFor({ state: 'visible', timeout });
  return sidebar;
}

/** The pane (header + body) of a view shown in the side bar, found by its header title. */
export function sideBarView(page: Page, viewName: string): Locator {
  return page
    .locator('.part.sidebar .pane')
    .filter({ has: page.locator('.pane-header', { hasText: new RegExp(`^\\s*${escapeRegExp(viewName)}`, 'i') }) })
    .first();
}

/** Saves a PNG of the page (or of `target`) to test/.artifacts/screenshots/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string, target?: Locator): Promise<string> {
  fs.mkdirSync(screenshotsDir, { recursive: true });
  const file = path.join(screenshotsDir, `${name.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  if (target) await target.screenshot({ path: file, timeout: 15_000 });
  else await page.screenshot({ path: file, timeout: 15_000 });
  // The harness lists every screenshot of the run at the end.
  ((globalThis as { __cloudtrailLensScreenshots?: string[] }).__cloudtrailLensScreenshots ??= []).push(file);
  return file;
}

/** Switches to VS Code's default light or dark theme through "Preferences: Color Theme" and waits for it. */
export async function setTheme(page: Page, kind: 'light' | 'dark', { timeout = 15_000 } = {}): Promise<void> {
  const workbench = page.locator('.monaco-workbench').first();
  const want = kind === 'light' ? /(^|\s)vs(\s|$)/ : /(^|\s)vs-dark(\s|$)/;
  if (want.test((await workbench.getAttribute('class')) ?? '')) return;
  await runCommandKeepOpen(page, 'Preferences: Color Theme', timeout);
  const theme = kind === 'light' ? 'Light Modern' : 'Dark Modern';
  await quickInput(page).locator('input').first().fill(theme);
  await pickQuickInputRow(page, theme, timeout);
  await waitUntil(`the ${kind} theme`, async () => want.test((await workbench.getAttribute('class')) ?? ''), timeout);
  await quickInput(page).waitFor({ state: 'hidden', timeout }).catch(() => undefined);
}

async function runCommandKeepOpen(page: Page, title: string, timeout: number): Promise<void> {
  await dismissQuickInput(page, timeout);
  await page.keyboard.press('F1');
  const input = quickInput(page).locator('input').first();
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(`>${title}`);
  await pickQuickInputRow(page, title, timeout);
}

export async function closeAllEditors(page: Page): Promise<void> {
  await runCommand(page, 'View: Close All Editors');
}

/** Texts of the notification toasts currently visible. */
export async function notifications(page: Page): Promise<string[]> {
  return page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
}

/** Polls `probe` (every 200 ms) until it returns something truthy; throws naming `what` after `timeout` ms. */
export function waitUntil<T>(what: string, probe: () => Promise<T> | T, timeout = 15_000): Promise<T> {
  return until(what, probe as () => Promise<T | undefined>, timeout, 200);
}

/** Waits until the locator's text contains `text` (or matches the RegExp). */
export async function expectText(locator: Locator, text: string | RegExp, timeout = 15_000): Promise<void> {
  let seen = '';
  await waitUntil(
    `text ${String(text)} (last seen: ${JSON.stringify(seen.slice(0, 300))})`,
    async () => {
      seen = (await locator.first().innerText({ timeout: 2000 }).catch(() => '')) ?? '';
      return typeof text === 'string' ? seen.includes(text) : text.test(seen);
    },
    timeout,
  ).catch(() => {
    throw new Error(`expected text ${String(text)}; last seen: ${JSON.stringify(seen.slice(0, 500))}`);
  });
}

/** Waits until the locator matches exactly `n` elements. */
export async function expectCount(locator: Locator, n: number, timeout = 15_000): Promise<void> {
  let count = -1;
  await waitUntil(`${n} elements`, async () => (count = await locator.count()) === n, timeout).catch(() => {
    throw new Error(`expected ${n} elements, found ${count}`);
  });
}

/** Relative luminance (0 dark … 1 light) of an element's text colour, or of its first non-transparent background. */
export async function luminance(el: Locator, prop: 'color' | 'backgroundColor'): Promise<number> {
  const css = await el.evaluate((e, p) => {
    let node: Element | null = e;
    let value = getComputedStyle(e)[p];
    while (p === 'backgroundColor' && node && /rgba\(0, 0, 0, 0\)|transparent/.test(value)) {
      node = node.parentElement;
      value = node ? getComputedStyle(node)[p] : value;
    }
    return value;
  }, prop);
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}
