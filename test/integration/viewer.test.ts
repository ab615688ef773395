// The record viewer in the real VS Code: custom editor, webview in Chromium, host paging and filtering. The webview
// reports what its DOM shows through the internal command `cloudtrailLens.viewer._test`, which also drives its UI
// code paths (typing in the filter, adding chips, selecting rows). Expected values are computed here from the
// files with JSON.parse, independently of the record and table cores.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import type { DomSummary, TestAction, ViewState } from '../../src/protocol/protocol';
import { bigEvents, writeViewerFixtures, type ViewerFixtures } from '../support/viewer-fixtures';
import { corpusDir, repoRoot } from '../support/paths';
import { HOSTILE_STRINGS } from '../support/hostile';
import { hoverPlain } from '../../src/core/fields';
import { until } from '../support/until';

const VIEW_TYPE = 'cloudtrailLens.viewer';

function act(action: TestAction): Promise<DomSummary> {
  return vscode.commands.executeCommand<DomSummary>('cloudtrailLens.viewer._test', action) as Promise<DomSummary>;
}

/** Opens `uri` in the viewer and waits until its webview has indexed everything and shows rows. */
async function openViewer(uri: vscode.Uri, command: 'openWith' | 'open' | 'already' = 'openWith'): Promise<DomSummary> {
  if (command === 'openWith') await vscode.commands.executeCommand('vscode.openWith', uri, VIEW_TYPE);
  else if (command === 'open') await vscode.commands.executeCommand('vscode.open', uri);
  await until(`the viewer for ${uri.path}`, async () => (await vscode.commands.executeCommand<string>('cloudtrailLens.viewer._activeUri')) === uri.toString());
  return until(`${uri.path} to finish loading`, async () => {
    const s = await act({ kind: 'summary' });
    return s.ready && !s.loading ? s : undefined;
  });
}

/** Every scalar of a JSON value as lower-case text (the quick filter searches values, not keys). */
function values(v: unknown, out: string[] = []): string[] {
  if (v === null || v === undefined) return out;
  if (typeof v === 'object') for (const x of Array.isArray(v) ? v : Object.values(v)) values(x, out);
  else out.push(String(v).toLowerCase());
  return out;
}

/** `2025-03-05T21:19:44Z` → `2025-03-05 21:19:44Z` (the Time column's form; milliseconds only when not zero). Independent of core/insight. */
function utcText(iso: string): string {
  const d = new Date(Date.parse(/Z$|[+-]\d\d:?\d\d$/.test(iso) ? iso : iso.replace(' ', 'T') + 'Z'));
  const ms = d.getUTCMilliseconds();
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, ms ? `.${String(ms).padStart(3, '0')}Z` : 'Z');
}

function col(s: DomSummary, title: string): number {
  const i = s.headers.indexOf(title);
  assert.ok(i >= 0, `column ${title} in ${s.headers.join(', ')}`);
  return i;
}

describe('record viewer', function () {
  this.timeout(90_000);
  let fx: ViewerFixtures;

  before(() => {
    const base = process.env.CLOUDTRAIL_LENS_TEST_WORKSPACE ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-viewer-'));
    fx = writeViewerFixtures(path.join(base, 'viewer', 'generated'), {
      corpusDir,
      jsonl: path.join(repoRoot, 'test', 'fixtures', 'workspace', 'viewer', 'broken-lines.jsonl'),
    });
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens a CloudTrail-named .json.gz in the viewer by default and lists every record', async () => {
    const uri = vscode.Uri.file(fx.gz);
    const s = await openViewer(uri, 'open');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputCustom, 'the active tab is a custom editor');
    assert.equal((tab.input as vscode.TabInputCustom).viewType, VIEW_TYPE);
    assert.equal(s.countText, `${fx.gzEvents.length} records`);
    for (const h of ['Time', 'Event name', 'Event source', 'Who', 'Source IP', 'Region', 'Error', 'Read-only', 'Resources']) {
      assert.ok(s.headers.includes(h), `header ${h}`);
    }
    assert.ok(s.rows.length > 5);
    // Default order: newest first.
    const times = s.rows.map((r) => r[col(s, 'Time')]);
    assert.deepEqual(times, [...times].sort().reverse());
    const newest = fx.gzEvents.map((e) => String(e.eventTime)).sort().reverse()[0];
    // One normalised UTC form in the Time column.
    assert.equal(times[0], utcText(newest));
    assert.deepEqual(s.banner, []);
  });

  it('filters by text, by clicked values (chips) and by time, counting "N of M"', async () => {
    const s0 = await openViewer(vscode.Uri.file(fx.gz));
    const total = fx.gzEvents.length;
    const needle = 'describeinstanceinformation';
    const expectText = fx.gzEvents.filter((e) => values(e).some((v) => v.includes(needle))).length;
    assert.ok(expectText > 0 && expectText < total, 'the needle narrows the corpus file');
    let s = await act({ kind: 'setFilterText', text: needle.toUpperCase() });
    assert.equal(s.countText, `${expectText} of ${total}`);
    assert.ok(s.rows.length > 0 && s.rows.length <= expectText);

    s = await act({ kind: 'setFilterText', text: '' });
    assert.equal(s.countText, `${total} records`);
    const nameCol = col(s0, 'Event name');
    const name = s.rows[0][nameCol];
    s = await act({ kind: 'addChip', column: 'eventName', rowPos: 0, exclude: false });
    const withName = fx.gzEvents.filter((e) => e.eventName === name).length;
    assert.equal(s.countText, withName === total ? `${total} records` : `${withName} of ${total}`);
    assert.ok(s.rows.every((r) => r[nameCol] === name));
    assert.equal(s.chips.length, 1);
    assert.match(s.chips[0], new RegExp(`Event name = ${name}`));

    s = await act({ kind: 'removeChip', at: 0 });
    s = await act({ kind: 'addChip', column: 'eventName', rowPos: 0, exclude: true });
    assert.equal(s.countText, `${total - withName} of ${total}`);
    assert.ok(s.rows.every((r) => r[nameCol] !== name));
    await act({ kind: 'removeChip', at: 0 });

    const times = fx.gzEvents.map((e) => String(e.eventTime)).sort();
    const from = times[Math.floor(times.length / 2)];
    const expectTime = times.filter((t) => Date.parse(t) >= Date.parse(from)).length;
    s = await act({ kind: 'setTimeRange', from });
    assert.equal(s.countText, expectTime === total ? `${total} records` : `${expectTime} of ${total}`);
    await act({ kind: 'setTimeRange' });
  });

  it('draws a timeline of the view: a drag or a bar click sets the time filter, reset restores, relative and bad times are said inline', async () => {
    let s = await openViewer(vscode.Uri.file(fx.gz));
    const total = fx.gzEvents.length;
    const times = fx.gzEvents.map((e) => Date.parse(String(e.eventTime))).sort((a, b) => a - b);
    assert.ok(s.timeline && s.timeline.bars >= 2, `bars: ${s.timeline?.bars}`);
    assert.match(s.timeline.summary, new RegExp(`^${total} events from `));
    // Drag across the first half of the bars.
    const half = Math.floor(s.timeline.bars / 2);
    s = await act({ kind: 'timelineDrag', from: 0, to: half - 1 });
    assert.ok(s.timeline!.from && s.timeline!.to, 'both time boxes are set');
    const from = Date.parse(s.timeline!.from.replace(' ', 'T'));
    const to = Date.parse(s.timeline!.to.replace(' ', 'T'));
    const inRange = times.filter((t) => t >= from && t <= to).length;
    assert.ok(inRange > 0 && inRange < total, `the drag narrows (${inRange} of ${total})`);
    assert.equal(s.countText, `${inRange} of ${total}`);
    // The timeline now shows only the view: its summary counts the records in range.
    assert.match(s.timeline!.summary, new RegExp(`^${inRange} events`));
    // Reset (empty boxes) restores everything.
    s = await act({ kind: 'setTimeRange' });
    assert.equal(s.countText, `${total} records`);
    // Relative to the newest record.
    const newest = times[times.length - 1];
    s = await act({ kind: 'setTimeRange', from: 'last 1h' });
    const lastHour = times.filter((t) => t >= newest - 3_600_000).length;
    assert.equal(s.countText, lastHour === total ? `${total} records` : `${lastHour} of ${total}`);
    assert.match(s.timeline!.fromMessage, /before the newest record/);
    // Unreadable: said inline, and that bound is not in force (nothing silently kept).
    s = await act({ kind: 'setTimeRange', from: 'yesterday-ish' });
    assert.match(s.timeline!.fromMessage, /Cannot read "yesterday-ish"/);
    assert.equal(s.countText, `${total} records`);
    await act({ kind: 'setTimeRange' });
  });

  it('counts field values of the view in the Fields panel; a click adds a chip and the counts follow', async () => {
    await openViewer(vscode.Uri.file(fx.gz));
    const total = fx.gzEvents.length;
    let s = await act({ kind: 'fieldsOpen', open: true });
    const names = s.fields?.eventName;
    assert.ok(names && names.length > 0, JSON.stringify(s.fields));
    // Independent count of the top event name.
    const tally = new Map<string, number>();
    for (const e of fx.gzEvents) tally.set(String(e.eventName), (tally.get(String(e.eventName)) ?? 0) + 1);
    const [topName, topCount] = [...tally].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    assert.equal(names[0], `${topName} ${topCount}`);
    s = await act({ kind: 'fieldValue', field: 'eventName', value: topName, exclude: false });
    assert.equal(s.chips.length, 1);
    assert.match(s.chips[0], new RegExp(`Event name = ${topName}`));
    assert.equal(s.countText, topCount === total ? `${total} records` : `${topCount} of ${total}`);
    assert.deepEqual(s.fields?.eventName, [`${topName} ${topCount}`], 'the counts follow the filter');
    await act({ kind: 'removeChip', at: 0 });
    s = await act({ kind: 'fieldValue', field: 'eventName', value: topName, exclude: true });
    assert.equal(s.countText, `${total - topCount} of ${total}`);
    assert.ok(!s.fields?.eventName.some((v) => v.startsWith(`${topName} `)));
    await act({ kind: 'removeChip', at: 0 });
    await act({ kind: 'fieldsOpen', open: false });
  });

  it('remembers a resized column per file, and default widths fit a full time, an IPv4 address and a Region', async () => {
    let s = await openViewer(vscode.Uri.file(fx.gz));
    const w = s.columnWidths!;
    assert.ok(w.time >= 150 && w.sourceIp >= 90 && w.region >= 90 && w.readOnly >= 70, JSON.stringify(w));
    s = await act({ kind: 'resizeColumn', column: 'eventName', width: 333 });
    assert.equal(s.columnWidths!.eventName, 333);
    const gz = vscode.Uri.file(fx.gz);
    await until('the host to hold the column width', async () => {
      const st = await vscode.commands.executeCommand<ViewState | undefined>('cloudtrailLens.viewer._savedState', gz);
      return st?.columnWidths?.eventName === 333;
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    s = await openViewer(gz);
    assert.equal(s.columnWidths!.eventName, 333);
    // Another file keeps its own widths.
    const other = await openViewer(vscode.Uri.file(fx.big));
    assert.notEqual(other.columnWidths!.eventName, 333);
  });

  it('sorts by a clicked column header', async () => {
    await openViewer(vscode.Uri.file(fx.gz));
    const s = await act({ kind: 'sort', column: 'eventName' });
    const names = s.rows.map((r) => r[col(s, 'Event name')]);
    const expected = fx.gzEvents.map((e) => String(e.eventName)).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())).slice(0, names.length);
    assert.deepEqual(names.map((n) => n.toLowerCase()), expected.map((n) => n.toLowerCase()));
    const desc = await act({ kind: 'sort', column: 'eventName' });
    assert.equal(desc.rows[0][col(s, 'Event name')].toLowerCase(), [...fx.gzEvents.map((e) => String(e.eventName).toLowerCase())].sort().reverse()[0]);
  });

  it('shows the selected record as a tree with the same documentation as the JSON editor hover', async () => {
    await openViewer(vscode.Uri.file(fx.gz));
    let s = await act({ kind: 'select', rowPos: 0 });
    assert.ok(s.detail, 'the detail pane is open');
    assert.ok(s.detail.lines.some((l) => /^eventVersion: "/.test(l)), s.detail.lines.slice(0, 5).join(' | '));
    s = await act({ kind: 'expandAll' });
    const hover = s.detail!.hovers['userIdentity.type'];
    assert.ok(hover, `hover on userIdentity.type; have ${Object.keys(s.detail!.hovers).slice(0, 10).join(', ')}`);
    // The JSON editor's hover on the same field, through VS Code's hover API on a text document.
    const text = JSON.stringify({ Records: [fx.gzEvents[0]] }, null, 2);
    const doc = await vscode.workspace.openTextDocument({ language: 'json', content: text });
    const at = doc.positionAt(text.indexOf('"type"') + 2);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    const md = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    const plain = hoverPlain(['userIdentity', 'type'])!;
    assert.ok(md.length > 0, 'the JSON editor shows a hover');
    const [title, , summary] = hover.split('\n');
    assert.equal(title, plain.title);
    // Same summary sentence in both (markdown code marks aside).
    assert.ok(md.replace(/`/g, '').includes(summary.slice(0, 60)), `editor hover contains "${summary.slice(0, 60)}"`);
    // Every userIdentity field of the record is documented in the pane.
    const ui = fx.gzEvents[0].userIdentity as Record<string, unknown>;
    for (const key of Object.keys(ui).filter((k) => typeof ui[k] !== 'object')) {
      if (hoverPlain(['userIdentity', key])) assert.ok(s.detail!.hovers[`userIdentity.${key}`], `hover on userIdentity.${key}`);
    }
    s = await act({ kind: 'detailTab', tab: 'raw' });
    assert.ok(s.detail!.lines[0].includes('"eventID"'));
    await act({ kind: 'detailTab', tab: 'tree' });
  });

  it('moves with the keyboard and keeps only visible rows in the DOM for a large file', async () => {
    const s0 = await openViewer(vscode.Uri.file(fx.big));
    assert.equal(s0.countText, `${fx.bigCount.toLocaleString('en-US')} records`);
    // The file is big enough (> 8 MiB) to be shared with the bundled worker thread. How much the worker gets
    // done depends on how fast it starts, but it must have run: a worker that cannot load says so here.
    const how = await vscode.commands.executeCommand<{ records: number; workerRecords: number; indexing: string }>('cloudtrailLens.viewer._indexing');
    assert.ok(how, 'indexing summary');
    assert.match(how.indexing, /^indexed on (two threads|one thread: the worker did not reach)/, how.indexing);
    assert.ok(how.workerRecords < fx.bigCount, JSON.stringify(how));
    assert.ok(s0.rowElements > 0 && s0.rowElements < 200, `${s0.rowElements} row elements for ${fx.bigCount} records`);
    let s = await act({ kind: 'key', key: 'End' });
    const timeCol = col(s0, 'Time');
    // Newest first: the last row is the oldest record, the first generated one.
    assert.equal(s.rows[s.rows.length - 1][timeCol], '2024-01-01 00:00:00Z');
    assert.ok(s.scrollRow > fx.bigCount - 200);
    s = await act({ kind: 'key', key: 'Home' });
    assert.equal(s.scrollRow, 0);
    s = await act({ kind: 'key', key: 'PageDown' });
    s = await act({ kind: 'key', key: 'ArrowDown' });
    assert.ok(s.selectedIndex !== undefined);
    s = await act({ kind: 'scrollToRow', rowPos: 10_000 });
    assert.equal(s.scrollRow, 10_000);
    const expectedTime = utcText(new Date(Date.UTC(2024, 0, 1) + (fx.bigCount - 1 - 10_000) * 60_000).toISOString());
    assert.equal(s.rows[0][timeCol], expectedTime);
  });

  it('keeps filters and scroll position when the editor is closed and reopened', async () => {
    await openViewer(vscode.Uri.file(fx.big));
    await act({ kind: 'setFilterText', text: 'AssumeRole' });
    await act({ kind: 'scrollToRow', rowPos: 500 });
    // The webview saves its state to the host with a short debounce: wait until the host holds it.
    const big = vscode.Uri.file(fx.big);
    await until('the host to hold the saved filter and scroll row', async () => {
      const st = await vscode.commands.executeCommand<ViewState | undefined>('cloudtrailLens.viewer._savedState', big);
      return st?.filter.text === 'AssumeRole' && st.scrollRow === 500;
    });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const s = await openViewer(vscode.Uri.file(fx.big));
    assert.equal(s.filterText, 'AssumeRole');
    const expected = bigEvents(fx.bigCount).filter((e) => values(e).some((v) => v.includes('assumerole'))).length;
    assert.equal(s.countText, `${expected.toLocaleString('en-US')} of ${fx.bigCount.toLocaleString('en-US')}`);
    assert.equal(s.scrollRow, 500);
    await act({ kind: 'setFilterText', text: '' });
    await act({ kind: 'scrollToRow', rowPos: 0 });
    await until('the host to hold the cleared state', async () => {
      const st = await vscode.commands.executeCommand<ViewState | undefined>('cloudtrailLens.viewer._savedState', big);
      return st?.filter.text === '' && st.scrollRow === 0;
    });
  });

  it('lists a digest file’s log files', async () => {
    const s = await openViewer(vscode.Uri.file(fx.digestGz), 'open');
    assert.ok(s.headers.includes('Log file') && s.headers.includes('Hash') && s.headers.includes('Newest event'));
    assert.equal(s.countText, `${fx.digest.logFiles.length} records`);
    const objects = s.rows.map((r) => r[col(s, 'Log file')]).sort();
    assert.deepEqual(objects, fx.digest.logFiles.map((f) => `s3://${f.s3Bucket}/${f.s3Object}`).sort());
    const hashes = new Set(s.rows.map((r) => r[col(s, 'Hash')]));
    for (const f of fx.digest.logFiles) assert.ok(hashes.has(f.hashValue));
  });

  it('reports a broken JSON Lines line with its number and still shows the good lines', async () => {
    const s = await openViewer(vscode.Uri.file(fx.jsonl));
    const lines = fs.readFileSync(fx.jsonl, 'utf8').trim().split('\n');
    const good = lines.filter((l) => {
      try {
        JSON.parse(l);
        return true;
      } catch {
        return false;
      }
    });
    const bad = lines.findIndex((l) => !good.includes(l)) + 1;
    assert.equal(s.countText, `${good.length} records`);
    assert.ok(s.banner.some((b) => b.includes(`Line ${bad}`)), s.banner.join(' | '));
  });

  it('marks the records of a gzip member whose checksum failed as unverified, in the table and the detail pane', async () => {
    // Built here: the fixture's .json.gz with its CRC-32 trailer changed (the data still inflates).
    const bytes = Buffer.from(fs.readFileSync(fx.gz));
    assert.equal(zlib.gunzipSync(bytes).length > 0, true);
    bytes[bytes.length - 8] ^= 0xff;
    const damaged = path.join(path.dirname(fx.gz), 'damaged-crc.json.gz');
    fs.writeFileSync(damaged, bytes);
    let s = await openViewer(vscode.Uri.file(damaged));
    assert.equal(s.countText, `${fx.gzEvents.length} records`, 'no record is lost');
    assert.ok(s.rowElements > 0);
    assert.equal(s.unverifiedRows, s.rowElements, 'every row of the damaged member is marked');
    s = await act({ kind: 'select', rowPos: 0 });
    assert.equal(s.detailUnverified, true);
    // The intact file: nothing marked (the marks come from the checksum, not from the viewer).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    s = await openViewer(vscode.Uri.file(fx.gz));
    assert.equal(s.unverifiedRows, 0);
    s = await act({ kind: 'select', rowPos: 0 });
    assert.equal(s.detailUnverified, false);
  });

  it('shows the readable records of a truncated .json.gz with a problem banner, and opens it as text', async () => {
    const s = await openViewer(vscode.Uri.file(fx.truncatedGz), 'open');
    const n = Number(/^(\d+) records/.exec(s.countText)?.[1]);
    assert.ok(n > 0 && n < fx.gzEvents.length, s.countText);
    assert.ok(s.banner.some((b) => /gzip|truncated|ends early/i.test(b)), s.banner.join(' | '));
    assert.ok(s.banner.some((b) => /^Line \d+/.test(b)));
    // "Open as JSON" for a .gz shows the decompressed text read-only, with JSON language features.
    await vscode.commands.executeCommand('cloudtrailLens.viewer.openAsJson');
    const editor = await until('a text editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.uri.scheme, 'cloudtrail-lens');
    assert.equal(editor.document.languageId, 'json');
    const full = zlib.gunzipSync(fs.readFileSync(fx.gz)).toString('utf8');
    assert.ok(full.startsWith(editor.document.getText().slice(0, 1000)));
    assert.ok(editor.document.getText().length < full.length);
  });

  it('opens the decompressed text of a good .json.gz in full', async () => {
    await openViewer(vscode.Uri.file(fx.gz), 'open');
    await vscode.commands.executeCommand('cloudtrailLens.viewer.openAsJson');
    const editor = await until('a text editor', () => vscode.window.activeTextEditor);
    assert.equal(editor.document.getText(), zlib.gunzipSync(fs.readFileSync(fx.gz)).toString('utf8'));
  });

  it('switches a CloudTrail file open as text to the viewer', async () => {
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(fx.jsonl));
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('cloudtrailLens.openInViewer');
    await until('the viewer', async () => (await vscode.commands.executeCommand<string>('cloudtrailLens.viewer._activeUri')) === doc.uri.toString());
  });

  it('shows in-memory records given to cloudtrailLens.openRecords', async () => {
    const events = fx.gzEvents.slice(0, 7);
    const uri = await vscode.commands.executeCommand<vscode.Uri>('cloudtrailLens.openRecords', { title: 'Dry run: 7 events', events });
    assert.equal(uri.scheme, 'cloudtrail-lens');
    const s = await openViewer(uri, 'already');
    assert.equal(s.countText, '7 records');
    const ids = new Set(s.rows.map((r) => r[s.headers.indexOf('Event name')]));
    for (const e of events) assert.ok(ids.has(String(e.eventName)));
    // The generated file is read-only.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(uri, new Uint8Array([1]))));
  });

  it('renders hostile content as inert text', async () => {
    const s0 = await openViewer(vscode.Uri.file(fx.hostile));
    assert.equal(s0.countText, '5 records');
    const cells = s0.rows.flat();
    assert.ok(cells.includes(HOSTILE_STRINGS.img), 'the <img onerror> event name is shown literally');
    assert.ok(cells.includes(HOSTILE_STRINGS.svg));
    assert.ok(cells.some((c) => c.includes('<script>')), 'script tags are shown as text');
    assert.ok(cells.some((c) => c.includes('javascript:')));
    // Bidi overrides are shown as markers, never applied.
    assert.ok(!cells.some((c) => /[\u202A-\u202E\u2066-\u2069]/.test(c)), 'no raw bidi control reaches a cell');
    assert.ok(cells.some((c) => c.includes('U+202E')));
    // Cells show the same styled marker as the detail pane (not the table core's plain `<U+202E>` stand-in).
    const marker = (ch: string) => `⟪U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟫`;
    const shownBidi = HOSTILE_STRINGS.bidi.replace(/\u202E/g, marker);
    assert.ok(cells.includes(shownBidi), `a cell reads ${shownBidi}`);
    assert.ok(!cells.some((c) => c.includes('<U+')), 'no plain stand-in is left in a cell');
    assert.ok(s0.cellMarkers?.includes(marker('\u202E')), `styled markers in cells: ${JSON.stringify(s0.cellMarkers)}`);
    const bidiPos = s0.rows.findIndex((r) => r.includes(shownBidi));
    const withDetail = await act({ kind: 'select', rowPos: bidiPos });
    assert.ok(withDetail.detailMarkers?.includes(marker('\u202E')), `styled markers in the detail: ${JSON.stringify(withDetail.detailMarkers)}`);
    // Text copied from the view finds the record that holds the real character.
    const filtered = await act({ kind: 'setFilterText', text: shownBidi });
    assert.equal(filtered.countText, '1 of 5');
    assert.equal((await act({ kind: 'setFilterText', text: '' })).countText, '5 records');
    assert.equal(s0.pwned, false);
    assert.ok(!/PWNED/.test(s0.title));
    // Open every record, expand it all and look again.
    for (let pos = 0; pos < 5; pos++) {
      await act({ kind: 'select', rowPos: pos });
      const s = await act({ kind: 'expandAll' });
      assert.ok(s.detail && s.detail.lines.length > 3);
      assert.ok(!s.detail.lines.some((l) => /[\u202A-\u202E\u2066-\u2069]/.test(l)));
      const deepLine = s.detail.lines.find((l) => l.includes('nested too deep'));
      const hugeLine = s.detail.lines.find((l) => l.startsWith('huge:'));
      if (deepLine) assert.ok(s.detail.lines.length < 400, 'deep nesting is capped');
      if (hugeLine) {
        assert.ok(hugeLine.length < 30_000, 'the 200 kB string is cut in the tree');
        assert.match(hugeLine, /more characters/);
      }
      assert.equal(s.pwned, false);
    }
    const last = await act({ kind: 'summary' });
    assert.equal(last.pwned, false);
    assert.equal(last.rejectedMessages, 0, 'no unexpected message reached the host');
    assert.ok(!/PWNED/.test(last.title));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
