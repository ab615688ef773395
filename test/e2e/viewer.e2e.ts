// The record viewer as a user meets it in Chromium: a CloudTrail .json.gz opens in the viewer, rows, keyboard,
// right-click filters, the detail pane with hover documentation, both themes (screenshots), and a hostile file
// whose payloads must stay inert text under the webview's CSP.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Page } from 'playwright-core';
import { expectText, quickOpen, runCommand, screenshot, setTheme, test, waitUntil, webviewFrame } from './util';
import { writeViewerFixtures, type ViewerFixtures } from '../support/viewer-fixtures';
import { HOSTILE_STRINGS } from '../support/hostile';

let fx: ViewerFixtures | undefined;
const READY = '#root[data-ready="true"]';

let corpusDir = '';

function fixtures(workspace: string): ViewerFixtures {
  if (!corpusDir) throw new Error('CLOUDTRAIL_LENS_CORPUS is not set');
  fx ??= writeViewerFixtures(path.join(workspace, 'viewer', 'generated'), {
    corpusDir,
    // The harness copies test/fixtures/workspace/** into the workspace.
    jsonl: path.join(workspace, 'viewer', 'broken-lines.jsonl'),
    bigCount: 5000,
  });
  return fx;
}

function rel(workspace: string, file: string): string {
  return path.relative(workspace, file).split(path.sep).join('/');
}

async function loadedRows(view: FrameLocator, min = 1): Promise<number> {
  return waitUntil(`at least ${min} rows`, async () => {
    const n = await view.locator('.body .row:not(.pending)').count();
    return n >= min ? n : 0;
  }, 30_000);
}

function fail(message: string): never {
  throw new Error(message);
}

/** More room for the viewer in screenshots: the empty secondary side bar is not needed. */
async function roomier(page: Page): Promise<void> {
  if (await page.locator('.part.auxiliarybar').isVisible().catch(() => false)) {
    await runCommand(page, 'View: Close Secondary Side Bar', { timeout: 5000 }).catch(() => undefined);
  }
}

async function openGz(page: Page, workspace: string): Promise<FrameLocator> {
  await roomier(page);
  const f = fixtures(workspace);
  await quickOpen(page, rel(workspace, f.gz));
  const view = await webviewFrame(page, { ready: READY });
  await loadedRows(view, 5);
  return view;
}

/**
 * Switches the colour theme (earlier checks may have left another one) and waits until the webview shows it:
 * it follows the theme through VS Code's CSS variables.
 */
async function themedWebview(page: Page, view: FrameLocator, kind: 'light' | 'dark'): Promise<void> {
  await setTheme(page, kind);
  await waitUntil(`${kind} webview colours`, async () => {
    const bg = await view.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    const [r, g, b] = (bg.match(/\d+/g) ?? []).map(Number);
    return kind === 'light' ? r > 200 && g > 200 && b > 200 : r < 80 && g < 80 && b < 80;
  });
}

test('a CloudTrail .json.gz opens in the viewer with its records', async ({ page, workspace, log, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const f = fixtures(workspace);
  await expectText(view.locator('.count'), `${f.gzEvents.length} records`);
  const headers = await view.locator('.head-text').allInnerTexts();
  for (const h of ['Time', 'Event name', 'Who', 'Source IP']) if (!headers.includes(h)) fail(`headers ${headers.join(', ')}`);
  // Virtual: never more row elements than fit (plus one), whatever the record count.
  const rows = await view.locator('.body .row').count();
  if (rows > f.gzEvents.length) fail(`${rows} row elements`);
  await themedWebview(page, view, 'dark');
  log(`    screenshot: ${await screenshot(page, 'viewer-table-dark')}`);
});

test('keyboard: arrows select, / focuses the filter, typing filters, Escape clears', async ({ page, workspace, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const f = fixtures(workspace);
  await view.locator('.body .row .cell.col-time').first().click();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await waitUntil('the third row selected', async () => (await view.locator('.body .row.selected').getAttribute('data-pos')) === '2');
  await page.keyboard.press('/');
  await waitUntil('the filter focused', () => view.locator('input.filter').evaluate((el) => el === document.activeElement));
  await page.keyboard.type('SendCommand', { delay: 20 });
  const expected = f.gzEvents.filter((e) => JSON.stringify(e).toLowerCase().includes('sendcommand')).length;
  await expectText(view.locator('.count'), `${expected} of ${f.gzEvents.length}`);
  await page.keyboard.press('Escape');
  await expectText(view.locator('.count'), `${f.gzEvents.length} records`);
});

test('right-click a cell to filter by its value; the chip can be removed', async ({ page, workspace, log, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const f = fixtures(workspace);
  const cell = view.locator('.body .row:not(.pending)').first().locator('.cell.col-eventName');
  const name = (await cell.innerText()).trim();
  await cell.click({ button: 'right' });
  const only = view.locator('.menu-item', { hasText: 'Only this value' });
  await only.waitFor({ state: 'visible', timeout: 10_000 });
  await themedWebview(page, view, 'dark');
  log(`    screenshot: ${await screenshot(page, 'viewer-cell-menu-dark')}`);
  await only.click();
  const n = f.gzEvents.filter((e) => e.eventName === name).length;
  await expectText(view.locator('.count'), n === f.gzEvents.length ? `${n} records` : `${n} of ${f.gzEvents.length}`);
  await expectText(view.locator('.chip'), name);
  await view.locator('.chip .icon-btn').first().click();
  await expectText(view.locator('.count'), `${f.gzEvents.length} records`);
});

test('the detail pane shows the record with field documentation, in dark and light themes', async ({ page, workspace, log, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  await view.locator('.body .row:not(.pending) .cell.col-time').first().dblclick();
  const key = view.locator('.tree-line[data-path="userIdentity.type"] .k');
  await key.waitFor({ state: 'visible', timeout: 15_000 });
  await themedWebview(page, view, 'dark');
  // A themed hover (not a browser tooltip) with the field's documentation and a link to the AWS docs.
  await key.hover();
  const hover = view.locator('.doc-hover');
  await hover.waitFor({ state: 'visible', timeout: 10_000 });
  const text = await hover.innerText();
  if (!/userIdentity\.type/.test(text)) fail(`hover text on userIdentity.type: ${JSON.stringify(text)}`);
  if ((await key.getAttribute('title')) !== null) fail('the key still carries a title tooltip');
  if ((await hover.locator('.doc-link').count()) !== 1) fail('no documentation link in the hover');
  const bg = await hover.evaluate((e) => getComputedStyle(e).backgroundColor);
  if (!bg || bg === 'rgba(0, 0, 0, 0)') fail('the hover has no themed background');
  log(`    screenshot: ${await screenshot(page, 'viewer-detail-dark')}`);
  await themedWebview(page, view, 'light');
  log(`    screenshot: ${await screenshot(page, 'viewer-detail-light')}`);
  await view.locator('.tab', { hasText: 'Raw JSON' }).click();
  await view.locator('pre.raw .tok-key').first().waitFor({ state: 'visible', timeout: 10_000 });
  log(`    screenshot: ${await screenshot(page, 'viewer-raw-light')}`);
  await view.locator('.tab', { hasText: 'Tree' }).click();
  await setTheme(page, 'dark');
});

test('hostile records render as text and nothing they carry executes', async ({ page, workspace, log, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const f = fixtures(workspace);
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  // .json opens as text by default; the editor-title command switches it to the viewer.
  await quickOpen(page, rel(workspace, f.hostile));
  await runCommand(page, 'CloudTrail Lens: Open in Record Viewer');
  const view = await webviewFrame(page, { ready: READY });
  await loadedRows(view, 5);
  const body = view.locator('body');
  const texts = await view.locator('.body .cell').allTextContents();
  if (!texts.includes(HOSTILE_STRINGS.img)) fail('the <img onerror> payload is not shown literally');
  if (!texts.some((t) => t.includes('<script>'))) fail('the <script> payload is not shown literally');
  if (texts.some((t) => /[\u202A-\u202E\u2066-\u2069]/.test(t))) fail('a bidi control character reached a cell');
  // Cells draw the same styled marker as the detail pane, not the table core's plain `<U+202E>` stand-in.
  if (texts.some((t) => t.includes('<U+'))) fail('a plain <U+…> stand-in is shown in a cell');
  const cellMarker = view.locator('.body .cell .bidi', { hasText: '⟪U+202E⟫' }).first();
  await cellMarker.waitFor({ state: 'visible', timeout: 10_000 });
  const border = await cellMarker.evaluate((e) => getComputedStyle(e).borderTopWidth);
  if (border === '0px') fail('the marker in a cell is not styled');
  const injected = await body.evaluate(() => ({
    imgs: document.querySelectorAll('img, svg, a[href], iframe, object, embed').length,
    // VS Code adds its own script to the frame; ours is the nonce'd bundle. None may carry record content.
    scripts: [...document.querySelectorAll('script')].filter((s) => /pwned|onerror|alert/i.test(`${s.textContent ?? ''} ${s.src}`)).length,
    pwned: '__pwned' in window,
    title: document.title,
  }));
  if (injected.imgs !== 0) fail(`${injected.imgs} elements created from record content`);
  if (injected.scripts !== 0) fail(`${injected.scripts} script elements carry record content`);
  if (injected.pwned) fail('a payload ran');
  if (/PWNED/.test(injected.title) || /PWNED/.test(await page.title())) fail('a payload changed the title');
  // Open each record's detail, expand everything, and check again.
  for (let i = 0; i < 5; i++) {
    await view.locator(`.body .row[data-pos="${i}"] .cell.col-time`).dblclick();
    await view.locator('.tree-line').first().waitFor({ state: 'visible', timeout: 10_000 });
  }
  await themedWebview(page, view, 'dark');
  log(`    screenshot: ${await screenshot(page, 'viewer-hostile-dark')}`);
  if ((await body.evaluate(() => '__pwned' in window)) !== false) fail('a payload ran in the detail pane');
  // The CSP is really in force: an inline handler injected on purpose is refused and reported.
  const ran = await body.evaluate(() => {
    const d = document.createElement('div');
    d.setAttribute('onclick', 'window.__pwned = 2');
    document.body.append(d);
    d.click();
    d.remove();
    return '__pwned' in window;
  });
  if (ran) fail('an inline event handler ran despite the CSP');
  await waitUntil('the CSP violation report in the console', () =>
    consoleLines.some((l) => /Content Security Policy/i.test(l) && /inline event handler|script-src/i.test(l)),
  );
});

test('the timeline: drawn for the view, a mouse drag sets the time filter, reset restores (dark and light)', async ({ page, workspace, log, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const f = fixtures(workspace);
  const bars = view.locator('.timeline-bars .bar');
  await waitUntil('timeline bars', async () => (await bars.count()) >= 2);
  const n = await bars.count();
  const heights = await view.locator('.timeline-bars .stack').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().height));
  if (!heights.some((x) => x > 0)) fail('no bar has a height');
  await themedWebview(page, view, 'dark');
  log(`    screenshot: ${await screenshot(page, 'viewer-timeline-dark')}`);
  await themedWebview(page, view, 'light');
  log(`    screenshot: ${await screenshot(page, 'viewer-timeline-light')}`);
  // Drag with the mouse from the first bar to the middle one.
  const first = await bars.nth(0).boundingBox();
  const mid = await bars.nth(Math.floor(n / 2)).boundingBox();
  if (!first || !mid) fail('bars have no box');
  await page.mouse.move(first.x + first.width / 2, first.y + first.height / 2);
  await page.mouse.down();
  await page.mouse.move(mid.x + mid.width / 2, mid.y + mid.height / 2, { steps: 5 });
  await page.mouse.up();
  const from = (await waitUntil('the From box set by the drag', async () => (await view.locator('input.time').nth(0).inputValue()) || undefined)) ?? '';
  const to = await view.locator('input.time').nth(1).inputValue();
  const a = Date.parse(from.replace(' ', 'T'));
  const b = Date.parse(to.replace(' ', 'T'));
  const expected = f.gzEvents.filter((e) => {
    const t = Date.parse(String(e.eventTime));
    return t >= a && t <= b;
  }).length;
  if (!(expected > 0 && expected < f.gzEvents.length)) fail(`the drag range ${from} – ${to} holds ${expected} records`);
  await expectText(view.locator('.count'), `${expected} of ${f.gzEvents.length}`);
  await view.locator('.timeline-reset').click();
  await expectText(view.locator('.count'), `${f.gzEvents.length} records`);
  await setTheme(page, 'dark');
});

test('the Fields panel: a click on a value adds a chip (dark and light screenshots)', async ({ page, workspace, log, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const f = fixtures(workspace);
  await view.locator('.toolbar .btn', { hasText: 'Fields' }).click();
  const value = view.locator('.field[data-field="eventName"] .value').first();
  await value.waitFor({ state: 'visible', timeout: 15_000 });
  await themedWebview(page, view, 'dark');
  log(`    screenshot: ${await screenshot(page, 'viewer-fields-dark')}`);
  await themedWebview(page, view, 'light');
  log(`    screenshot: ${await screenshot(page, 'viewer-fields-light')}`);
  const name = (await value.getAttribute('data-value')) ?? '';
  await value.click();
  await expectText(view.locator('.chip'), name);
  const n = f.gzEvents.filter((e) => e.eventName === name).length;
  await expectText(view.locator('.count'), n === f.gzEvents.length ? `${n} records` : `${n} of ${f.gzEvents.length}`);
  await view.locator('.chip .icon-btn').first().click();
  await view.locator('.fields-head .icon-btn').click();
  await setTheme(page, 'dark');
});

test('the Fields panel: values under an added field path filter on click (only) and Alt+click (exclude)', async ({ page, workspace, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const f = fixtures(workspace);
  await view.locator('.toolbar .btn', { hasText: 'Fields' }).click();
  const input = view.locator('.fields-path');
  // Not a column: only the SendCommand record of the fixture has it, so "only" keeps one and "exclude" the rest.
  const PATH = 'requestParameters.documentName';
  await input.fill(PATH);
  await input.press('Enter');
  const value = view.locator(`.field[data-field="${PATH}"] .value`).first();
  await value.waitFor({ state: 'visible', timeout: 15_000 });
  const type = (await value.getAttribute('data-value')) ?? '';
  const valueOf = (e: Record<string, unknown>) => ((e.requestParameters ?? {}) as Record<string, unknown>).documentName;
  const n = f.gzEvents.filter((e) => valueOf(e) === type).length;
  const total = f.gzEvents.length;
  if (!(n > 0 && n < total)) fail(`"${type}" is on ${n} of ${total} records: the fixture changed`);
  await value.click();
  const chipText = (op: string) => new RegExp(`${PATH.replace(/\./g, '\\.')} ${op}\\s+${type}`);
  await expectText(view.locator('.chip'), chipText('='));
  await expectText(view.locator('.count'), `${n} of ${total}`);
  await view.locator('.chip .icon-btn').first().click();
  await expectText(view.locator('.count'), `${total} records`);
  await view.locator(`.field[data-field="${PATH}"] .value[data-value="${type}"]`).click({ modifiers: ['Alt'] });
  await expectText(view.locator('.chip'), chipText('≠'));
  await expectText(view.locator('.count'), `${total - n} of ${total}`);
  await view.locator('.chip .icon-btn').first().click();
  await view.locator('.fields-head .icon-btn').click();
});

test('the Time column follows cloudtrailLens.viewer.timeZone: UTC by default, local time when set, live', async ({ page, workspace, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const cell = view.locator('.body .row[data-pos="0"] .cell.col-time');
  const utc = (await cell.innerText()).trim();
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(\.\d{3})?Z$/.exec(utc);
  if (!m) fail(`the Time column is not in the UTC form: ${JSON.stringify(utc)}`);
  // The browser runs in Asia/Kolkata (test/harness/browser.mjs): UTC+05:30 all year.
  const local = new Date(Date.parse(`${m[1]}T${m[2]}${m[3] ?? ''}Z`) + 330 * 60_000).toISOString().replace('T', ' ').replace(/(\.\d{3})?Z$/, m[3] ? '$1' : '') + ' +05:30';
  const settingsFile = path.join(workspace, '.vscode', 'settings.json');
  const previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
  const base = previous ? (JSON.parse(previous) as Record<string, unknown>) : {};
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  try {
    fs.writeFileSync(settingsFile, JSON.stringify({ ...base, 'cloudtrailLens.viewer.timeZone': 'local' }, null, 2));
    await expectText(cell, local, 30_000);
  } finally {
    if (previous === undefined) fs.rmSync(settingsFile, { force: true });
    else fs.writeFileSync(settingsFile, previous);
  }
  await expectText(cell, utc, 30_000);
});

test('columns: dragging a header edge resizes, double-click fits the content, the header "Read-only" is whole', async ({ page, workspace, env }) => {
  corpusDir = env.CLOUDTRAIL_LENS_CORPUS ?? '';
  const view = await openGz(page, workspace);
  const head = view.locator('.cell.head', { hasText: 'Event name' });
  const before = (await head.boundingBox())!.width;
  const grip = head.locator('.col-resize');
  const g = (await grip.boundingBox())!;
  await page.mouse.move(g.x + g.width / 2, g.y + g.height / 2);
  await page.mouse.down();
  await page.mouse.move(g.x + g.width / 2 + 90, g.y + g.height / 2, { steps: 4 });
  await page.mouse.up();
  await waitUntil('the column to widen', async () => (await head.boundingBox())!.width > before + 60);
  await grip.dblclick();
  // Fitted: as wide as the widest loaded name (plus padding), whatever the drag left.
  const widest = await view.locator('.body .row .cell.col-eventName').evaluateAll((els) =>
    Math.max(...els.map((e) => {
      const r = document.createRange();
      r.selectNodeContents(e);
      return r.getBoundingClientRect().width;
    })),
  );
  await waitUntil('the column to fit its content', async () => {
    const w = (await head.boundingBox())!.width;
    return w >= widest + 10 && w <= widest + 60;
  });
  const ro = view.locator('.cell.head', { hasText: 'Read-only' }).locator('.head-text');
  const cut = await ro.evaluate((e) => e.scrollWidth > e.clientWidth);
  if (cut) fail('the "Read-only" header is cut');
});
