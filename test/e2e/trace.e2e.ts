// "Trace this identity" as a user meets it in Chromium: a record made with the second key of a two-hop role chain
// (test/fixtures/workspace/trace/role-chain.json, synthetic) is traced from the viewer's cell menu; the Identity
// Trace tree in the side bar shows alice → AuditAdmin → alice-audit → S3Deployer → deploy-run-42 → actions, with
// counts, codicons and theme colours, in the light and the dark theme (screenshots), and a node click narrows the
// viewer to that node's records. The expected tree is worked out here from the fixture's JSON (keys issued by
// AssumeRole and the keys records were made with), not with the trace core.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { expectText, luminance, quickOpen, runCommand, screenshot, setTheme, sideBarView, test, waitUntil, webviewFrame } from './util';

const FILE = 'trace/role-chain.json';
const READY = '#root[data-ready="true"]';

interface Rec {
  eventName: string;
  errorCode?: string;
  userIdentity?: { userName?: string; accessKeyId?: string };
  requestParameters?: { roleArn?: string; roleSessionName?: string } | null;
  responseElements?: { credentials?: { accessKeyId?: string } } | null;
}

/** One row of the tree as the side bar shows it. */
interface Row {
  level: number;
  label: string;
  description: string;
  icon: string;
  colored: boolean;
  expanded: string | null;
  badge: string;
  labelOver: number;
  countOver: number;
}

function fail(message: string): never {
  throw new Error(message);
}

interface Expected {
  level: number;
  label: string;
  count: number;
  errors: number;
}

/** The tree the trace of a record made with `key` must show, as (depth, label, count) rows in display order. */
function expectedRows(records: Rec[], key: string): Expected[] {
  const keyOf = (r: Rec) => r.userIdentity?.accessKeyId ?? '';
  const issuerOf = (k: string) => records.find((r) => r.responseElements?.credentials?.accessKeyId === k);
  // Backwards: key → the AssumeRole that returned it → the key that call was made with, up to a long-term key.
  const hops: { role: string; session: string; key: string }[] = [];
  let k = key;
  for (let call = issuerOf(k); call; call = issuerOf(k)) {
    hops.unshift({ role: (call.requestParameters?.roleArn ?? '').split('/').pop() ?? '', session: call.requestParameters?.roleSessionName ?? '', key: k });
    k = keyOf(call);
  }
  if (hops.length !== 2 || !k.startsWith('AKIA')) fail(`the fixture is not a two-hop chain from a long-term key (${hops.length} hops from ${k})`);
  const rootRecord = records.find((r) => keyOf(r) === k);
  const rowsOf = (kk: string) => records.filter((r) => keyOf(r) === kk);
  const failed = (rs: Rec[]) => rs.filter((r) => r.errorCode).length;
  const actions = (kk: string, level: number): Expected[] => {
    const byName = new Map<string, Rec[]>();
    for (const r of rowsOf(kk)) byName.set(r.eventName, [...(byName.get(r.eventName) ?? []), r]);
    return [...byName]
      .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
      .map(([label, rs]) => ({ level, label, count: rs.length, errors: failed(rs) }));
  };
  // Every record under a node: its own key's, and those of every key issued below it.
  const under = (i: number): Rec[] => [...rowsOf(hops[i].key), ...(i + 1 < hops.length ? under(i + 1) : [])];
  const node = (level: number, label: string, rs: Rec[]): Expected => ({ level, label, count: rs.length, errors: failed(rs) });
  const out: Expected[] = [node(1, rootRecord?.userIdentity?.userName ?? '', [...rowsOf(k), ...under(0)])];
  // Each hop: role → session (the session's own actions come after the role it assumed in turn).
  const tail: Expected[][] = [];
  hops.forEach((hop, i) => {
    const level = 2 + i * 2;
    out.push(node(level, hop.role, under(i)), node(level + 1, hop.session, under(i)));
    tail.push(actions(hop.key, level + 2));
  });
  // Depth-first: the deepest session's actions first, then each shallower session's, then the principal's own.
  for (let i = tail.length - 1; i >= 0; i--) out.push(...tail[i]);
  out.push(...actions(k, 2));
  return out;
}

async function treeRows(pane: Locator): Promise<Row[]> {
  return pane.locator('.monaco-list-row').evaluateAll((els) => {
    /** The right edge of the first `chars` characters of `el`'s text beyond the clip of the row's label box. */
    function over(el: Element | null, chars: number, row: Element): number {
      if (!el) return NaN;
      const clip = (el.closest('.monaco-icon-label-container') ?? row).getBoundingClientRect().right;
      const range = document.createRange();
      const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      let left = chars;
      let end: Text | null = null;
      for (let t = walker.nextNode() as Text | null; t; t = walker.nextNode() as Text | null) {
        end = t;
        if (t.length >= left) break;
        left -= t.length;
      }
      if (!end) return NaN;
      range.setStart(el, 0);
      range.setEnd(end, Math.min(left, end.length));
      return Math.max(0, range.getBoundingClientRect().right - clip);
    }
    return els
      .map((e) => {
        const icon = e.querySelector('.custom-view-tree-node-item-icon');
        return {
          top: parseFloat((e as HTMLElement).style.top || '0'),
          level: Number(e.getAttribute('aria-level')),
          label: (e.querySelector('.label-name') as HTMLElement | null)?.innerText.trim() ?? '',
          description: (e.querySelector('.label-description') as HTMLElement | null)?.innerText.trim() ?? '',
          icon: [...(icon?.classList ?? [])].find((c) => c.startsWith('codicon-') && c !== 'codicon-') ?? '',
          colored: !!(icon as HTMLElement | null)?.style.color,
          expanded: e.getAttribute('aria-expanded'),
          // The decoration badge VS Code draws at the row's end (a ::after pseudo-element), '' when none.
          badge: [e, ...e.querySelectorAll('*')]
            .map((el) => getComputedStyle(el, '::after').content)
            .find((c) => c && c !== 'none' && c !== 'normal' && c !== '""')
            ?.replace(/^"|"$/g, '') ?? '',
          // How far the label and the description's leading count reach past the visible part of the row (px).
          labelOver: over(e.querySelector('.label-name'), Infinity, e),
          countOver: over(e.querySelector('.label-description'), (/^[^·]*\d+ records?/.exec((e.querySelector('.label-description') as HTMLElement | null)?.textContent ?? '')?.[0] ?? '').length, e),
        };
      })
      .sort((a, b) => a.top - b.top)
      .map(({ top: _top, ...row }) => row);
  });
}

async function openViewer(page: Page): Promise<FrameLocator> {
  if (await page.locator('.part.auxiliarybar').isVisible().catch(() => false)) {
    await runCommand(page, 'View: Close Secondary Side Bar', { timeout: 5000 }).catch(() => undefined);
  }
  // A .json opens as text by default; the editor-title command switches it to the viewer.
  await quickOpen(page, FILE);
  await runCommand(page, 'CloudTrail Lens: Open in Record Viewer');
  const view = await webviewFrame(page, { ready: READY });
  await waitUntil('the records in the viewer', async () => (await view.locator('.body .row:not(.pending)').count()) > 0, 30_000);
  return view;
}

let rowsSeen: Row[] = [];
let records: Rec[] = [];

test('Trace this identity on a record of the second role session shows the whole chain with counts', async ({ page, workspace, log }) => {
  records = (JSON.parse(fs.readFileSync(path.join(workspace, FILE), 'utf8')) as { Records: Rec[] }).Records;
  const view = await openViewer(page);
  await expectText(view.locator('.count'), `${records.length} records`);
  // The traced record: a PutObject, made with the key the second AssumeRole returned.
  const issued = new Set(records.map((r) => r.responseElements?.credentials?.accessKeyId).filter(Boolean));
  const putKeys = new Set(records.filter((r) => r.eventName === 'PutObject').map((r) => r.userIdentity?.accessKeyId ?? ''));
  if (putKeys.size !== 1) fail(`PutObject is made with ${putKeys.size} keys in the fixture`);
  const key = [...putKeys][0];
  if (!issued.has(key)) fail(`the PutObject key ${key} was not issued by a call in the fixture`);
  const want = expectedRows(records, key);

  const cell = view.locator('.body .row:not(.pending) .cell.col-eventName', { hasText: /^PutObject$/ }).first();
  await cell.click({ button: 'right' });
  const item = view.locator('.menu-item', { hasText: 'Trace this identity' });
  await item.waitFor({ state: 'visible', timeout: 10_000 });
  await item.click();

  const pane = sideBarView(page, 'Identity Trace');
  await pane.waitFor({ state: 'visible', timeout: 30_000 });
  // The chain's nodes are expanded by the view itself (they are on the traced path); nothing is clicked open.
  rowsSeen = (await waitUntil('the trace tree with the whole chain', async () => {
    const rows = await treeRows(pane);
    return rows.length >= want.length ? rows : undefined;
  }, 30_000)) ?? [];
  log(`    tree: ${rowsSeen.map((r) => `${'  '.repeat(r.level - 1)}${r.label} [${r.description}]`).join('\n          ')}`);
  const got = rowsSeen.map((r) => ({
    level: r.level,
    label: r.label,
    count: Number(/^(\d+) records?\b/.exec(r.description)?.[1] ?? NaN),
    errors: Number(/ · (\d+) errors?\b/.exec(r.description)?.[1] ?? 0),
  }));
  if (!want.some((w) => w.errors > 0)) fail('the fixture has no failed call in the chain');
  if (JSON.stringify(got) !== JSON.stringify(want)) fail(`the tree shows\n${JSON.stringify(got)}\nexpected\n${JSON.stringify(want)}`);
  // Every row with children is open; the kinds have their codicons; the traced path is coloured.
  const icons: Record<number, string> = { 1: 'codicon-account', 2: 'codicon-shield', 3: 'codicon-key', 4: 'codicon-shield', 5: 'codicon-key' };
  for (const [i, r] of rowsSeen.entries()) {
    const w = want[i];
    const isAction = i > 4;
    const icon = isAction ? 'codicon-symbol-event' : icons[w.level];
    if (r.icon !== icon) fail(`row "${r.label}" has icon ${r.icon}, expected ${icon}`);
    if (!isAction && r.expanded !== 'true') fail(`row "${r.label}" is not expanded (${r.expanded})`);
    if (!isAction && !r.colored) fail(`row "${r.label}" on the traced path has no theme colour on its icon`);
    // At the side bar's default width the name and the count are whole (the times may run out of sight).
    if (!(r.labelOver === 0)) fail(`row "${r.label}" is cut by ${r.labelOver}px`);
    if (!(r.countOver === 0)) fail(`the count of row "${r.label}" is cut by ${r.countOver}px (${r.description})`);
    if (w.level % 2 === 1 && w.level > 1 && !isAction && !/ · AssumeRole · /.test(r.description)) fail(`session row "${r.label}" does not name its AssumeRole: ${r.description}`);
    // Times: one instant or a range, in the normalised UTC form.
    if (!/\d{2}:\d{2}:\d{2}Z/.test(r.description)) fail(`row "${r.label}" shows no time: ${r.description}`);
  }
  // The traced PutObject (and the two AssumeRole calls) are on the path, the other actions are not.
  const put = rowsSeen.find((r) => r.label === 'PutObject');
  const get = rowsSeen.find((r) => r.label === 'GetObject');
  if (!put?.colored || get?.colored) fail(`path colouring: PutObject ${put?.colored}, GetObject ${get?.colored}`);
  await expectText(pane.locator('.pane-body'), /2 links back \(2 exact, 0 heuristic/);
  // Failed calls: a badge with their count at the row's edge (on every node above them too), the failed action's
  // label in the theme's error colour.
  // (Decorations arrive after the rows: wait for them.)
  const wantBadges = want.map((w) => (w.errors ? String(w.errors) : ''));
  let badges: string[] = [];
  await waitUntil('the error badges', async () => {
    badges = (await treeRows(pane)).map((r) => r.badge);
    return JSON.stringify(badges) === JSON.stringify(wantBadges);
  }).catch(() => fail(`badges ${JSON.stringify(badges)}, expected ${JSON.stringify(wantBadges)}`));
  const colour = (label: string) => pane.locator('.monaco-list-row .label-name', { hasText: new RegExp(`^${label}$`) }).first().evaluate((e) => getComputedStyle(e).color);
  if ((await colour('DeleteObject')) === (await colour('GetObject'))) fail('the failed action is not coloured');
}, { timeout: 120_000 });

test('the Identity Trace tree in the light and the dark theme (screenshots)', async ({ page, log }) => {
  const pane = sideBarView(page, 'Identity Trace');
  const body = pane.locator('.pane-body');
  const shots: Record<string, { bg: number; fg: number; file: string }> = {};
  for (const kind of ['light', 'dark'] as const) {
    await setTheme(page, kind);
    const label = pane.locator('.monaco-list-row .label-name').first();
    await label.waitFor({ state: 'visible', timeout: 10_000 });
    const bg = await luminance(label, 'backgroundColor');
    const fg = await luminance(label, 'color');
    if (kind === 'dark' ? !(bg < 0.3 && fg > 0.6) : !(bg > 0.7 && fg < 0.4)) {
      fail(`${kind} theme: tree text luminance ${fg.toFixed(2)} on background ${bg.toFixed(2)}`);
    }
    // No hover or focus outline over the tree in the picture.
    await page.mouse.move(900, 600);
    await page.locator('.workbench-hover, .monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
    const file = await screenshot(page, `trace-tree-${kind}`, pane);
    shots[kind] = { bg, fg, file };
    log(`    screenshot: ${file}`);
    // The whole chain is on screen, not scrolled away under the pane's edge.
    const box = await body.boundingBox();
    const last = await pane.locator('.monaco-list-row').last().boundingBox();
    if (!box || !last || last.y + last.height > box.y + box.height + 1) fail(`${kind}: the last tree row is cut by the pane`);
  }
  if (Math.abs(shots.light.bg - shots.dark.bg) < 0.4) fail(`the backgrounds barely differ: ${shots.light.bg} vs ${shots.dark.bg}`);
  if (fs.readFileSync(shots.light.file).equals(fs.readFileSync(shots.dark.file))) fail('the two screenshots are identical');
  // Still the same tree after the theme switches.
  const rows = await treeRows(pane);
  if (JSON.stringify(rows.map((r) => r.label)) !== JSON.stringify(rowsSeen.map((r) => r.label))) fail('the tree changed with the theme');
}, { timeout: 90_000 });

test('a click on a node of the trace shows only its records in the viewer', async ({ page }) => {
  const pane = sideBarView(page, 'Identity Trace');
  const view = await webviewFrame(page, { ready: READY });
  const n = records.filter((r) => r.eventName === 'GetObject' && r.userIdentity?.accessKeyId?.startsWith('ASIAQDEPLOY')).length;
  if (n < 2) fail(`the fixture has ${n} GetObject records of the deploy session`);
  await pane.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: /^GetObject$/ }) }).first().click();
  await expectText(view.locator('.count'), `${n} of ${records.length}`);
  await expectText(view.locator('.chip'), 'GetObject');
  const names = await view.locator('.body .row:not(.pending) .cell.col-eventName').allInnerTexts();
  if (names.length !== n || names.some((x) => x.trim() !== 'GetObject')) fail(`the viewer shows ${JSON.stringify(names)}`);
  await view.locator('.chip .icon-btn').first().click();
  await expectText(view.locator('.count'), `${records.length} records`);
}, { timeout: 60_000 });
