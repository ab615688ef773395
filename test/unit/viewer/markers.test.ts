/**
 * Hidden characters look the same in table cells and in the detail pane: the webview turns the table core's
 * `<U+202E>` stand-ins (made by the real core's displayCell here) into the marker the detail pane draws for the
 * character itself; the quick filter accepts text copied from the view; chips keep working on the core's cell text.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseText } from '../../../src/core/records';
import { COLUMN_INDEX, RecordTable, displayCell } from '../../../src/core/table';
import { markBidi, markCell, visibleText } from '../../../media/viewer/text';
import { decodeMarkers, decodeStandIns } from '../../../src/protocol/markers';
import { DigestSource, RecordSource, toTableFilter } from '../../../src/viewer/source';
import { HOSTILE_STRINGS, hostileLogText } from '../../support/hostile';

const HIDDEN = [0x7f, 0x80, 0x85, 0x9f, 0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const RAW_HIDDEN = /[\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
const joined = (pieces: { text: string }[]) => pieces.map((p) => p.text).join('');

describe('viewer markers: cells and detail agree', () => {
  it('a cell made by the table core renders the same pieces as the detail pane does for the raw value', () => {
    for (const cp of HIDDEN) {
      const raw = `invoice${String.fromCharCode(cp)}txt.exe`;
      const cell = displayCell(raw);
      assert.notEqual(cell, raw, `the core replaces U+${cp.toString(16)}`);
      const pieces = markCell(cell);
      assert.deepEqual(pieces, markBidi(raw), cp.toString(16));
      assert.equal(pieces.filter((p) => p.marker).length, 1);
      assert.equal(pieces.find((p) => p.marker)?.text, `⟪U+${cp.toString(16).toUpperCase().padStart(4, '0')}⟫`);
      assert.ok(!pieces.some((p) => RAW_HIDDEN.test(p.text)), 'no hidden character reaches the page');
    }
  });

  it('the hostile bidi names show one styled marker, in the cell as in the detail', () => {
    for (const s of [HOSTILE_STRINGS.bidi, HOSTILE_STRINGS.isolate]) {
      const cell = markCell(displayCell(s));
      const detail = markBidi(s);
      assert.deepEqual(cell, detail);
      assert.equal(cell.filter((p) => p.marker).length, [...s].filter((c) => RAW_HIDDEN.test(c)).length);
    }
    assert.equal(joined(markCell(displayCell(HOSTILE_STRINGS.bidi))), 'invoice⟪U+202E⟫txt.exe');
  });

  it('leaves other <U+…> text, control pictures and plain text alone', () => {
    assert.deepEqual(markCell('<U+0041> and <U+20AC>'), [{ text: '<U+0041> and <U+20AC>' }]);
    const c0 = displayCell('a\u0001b\nc');
    assert.deepEqual(markCell(c0), [{ text: c0 }], 'C0 controls stay control pictures');
    assert.deepEqual(markCell('plain'), [{ text: 'plain' }]);
    assert.deepEqual(markCell(''), [{ text: '' }]);
    assert.equal(decodeStandIns('x<U+202e>y'), 'x\u202Ey', 'lower-case hex too');
  });

  it('is stable across calls (shared global regexes)', () => {
    for (let i = 0; i < 3; i++) {
      assert.equal(markCell('a<U+202E>b<U+2066>c').length, 5);
      assert.equal(visibleText(decodeStandIns('a<U+202E>b')), 'a⟪U+202E⟫b');
    }
  });
});

describe('viewer markers: filtering', () => {
  function hostileSource(): { table: RecordTable; source: RecordSource } {
    const r = parseText(hostileLogText());
    const table = new RecordTable();
    table.add(r.records);
    return { table, source: new RecordSource(table) };
  }

  it('filter text in either notation means the character', () => {
    assert.equal(toTableFilter({ text: 'invoice⟪U+202E⟫txt', chips: [] }).text, 'invoice\u202Etxt');
    assert.equal(toTableFilter({ text: 'invoice<U+202E>txt', chips: [] }).text, 'invoice\u202Etxt');
    assert.equal(toTableFilter({ text: '<U+0041>', chips: [] }).text, '<U+0041>');
    assert.equal(decodeMarkers('no markers'), 'no markers');
  });

  it('text copied from a rendered cell finds its record; so do plain words and the raw value', async () => {
    const { source } = hostileSource();
    const shown = joined(markCell(displayCell(HOSTILE_STRINGS.bidi))); // what the user sees and can copy
    // Expected: records whose JSON holds the value, computed from the events with JSON.parse (not the table).
    const events = (JSON.parse(hostileLogText()).Records as unknown[]).map((e) => JSON.stringify(e).toLowerCase());
    const expected = (needle: string) => events.filter((e) => e.includes(needle.toLowerCase())).length;
    assert.ok(expected(HOSTILE_STRINGS.bidi) >= 1);
    assert.ok(expected(HOSTILE_STRINGS.bidi) < events.length);
    const cases: [typed: string, means: string][] = [
      [shown, HOSTILE_STRINGS.bidi],
      [shown.toUpperCase(), HOSTILE_STRINGS.bidi],
      [HOSTILE_STRINGS.bidi, HOSTILE_STRINGS.bidi],
      ['txt.exe', 'txt.exe'],
    ];
    for (const [typed, means] of cases) {
      const c = await source.setView({ text: typed, chips: [] }, undefined);
      assert.equal(c.matched, expected(means), JSON.stringify(typed));
    }
  });

  it("a chip made from a cell (the core's text) still matches its rows", async () => {
    const { table, source } = hostileSource();
    await source.setView({ text: '', chips: [] }, undefined);
    const rows = source.rows(0, 10);
    const who = COLUMN_INDEX.who;
    const row = rows.find((r) => r.cells[who].includes('<U+202E>'));
    assert.ok(row, 'the core sends the stand-in');
    const c = await source.setView({ text: '', chips: [{ column: 'who', value: row.cells[who], exclude: false }] }, undefined);
    assert.equal(c.matched, 1);
    assert.equal(source.rows(0, 1)[0].index, row.index);
    assert.equal((table.event(row.index).userIdentity as Record<string, unknown>).userName, HOSTILE_STRINGS.bidi);
  });

  it('digest rows: the text filter accepts markers as well', async () => {
    const info = {
      logFiles: [
        { s3Bucket: 'b', s3Object: 'AWSLogs/x/evil\u202Egz.json', hashValue: 'aa', hashAlgorithm: 'SHA-256', newestEventTime: null, oldestEventTime: null },
        { s3Bucket: 'b', s3Object: 'AWSLogs/x/plain.json.gz', hashValue: 'bb', hashAlgorithm: 'SHA-256', newestEventTime: null, oldestEventTime: null },
      ],
    };
    const d = new DigestSource(info, undefined);
    assert.equal((await d.setView({ text: 'evil⟪U+202E⟫gz', chips: [] }, undefined)).matched, 1);
    assert.equal((await d.setView({ text: 'evil<U+202E>gz', chips: [] }, undefined)).matched, 1);
    assert.equal((await d.setView({ text: 'plain', chips: [] }, undefined)).matched, 1);
    await d.setView({ text: '', chips: [] }, undefined);
    assert.ok(d.rows(0, 2).some((r) => r.cells[0].includes('<U+202E>')), 'digest cells come from the core with stand-ins');
  });
});
