/**
 * The parts RecordTable is made of, each on its own (dictionary.ts, texts.ts, search-index.ts, transfer.ts,
 * view.ts), and the per-editor views: several views of one table never disturb or recompute each other.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RecordTable, COLUMN_INDEX, EMPTY_FILTER } from '../../../src/core/table';
import { Dictionary } from '../../../src/core/table/dictionary';
import { TextStore } from '../../../src/core/table/texts';
import { SearchIndex } from '../../../src/core/table/search-index';
import { checkRows, rowsTransfer } from '../../../src/core/table/transfer';
import { RowsBuilder } from '../../../src/core/table/rows';
import { WORDS, needleTest } from '../../../src/core/table/pairs';
import type { CloudTrailRecord, JsonObject } from '../../../src/core/records/types';
import { corpusRecords } from './corpus';

function rec(event: JsonObject, index: number): CloudTrailRecord {
  return { index, event, range: { startLine: 0, endLine: 0, startOffset: -1, endOffset: -1 } };
}

describe('Dictionary', () => {
  test('interns equal values under one code and ranks them case-insensitively, empty last', () => {
    const d = new Dictionary();
    const codes = ['b', 'A', 'b', '', 'a', 'C'].map((v) => d.code(v));
    assert.equal(codes[0], codes[2]);
    assert.equal(d.values.length, 5);
    const r = d.rank();
    const rankOf = (v: string) => r[d.codesOf(v)[0]];
    assert.ok(rankOf('A') < rankOf('a') || rankOf('a') < rankOf('A'));
    assert.ok(rankOf('a') < rankOf('b') && rankOf('b') < rankOf('C'));
    assert.equal(rankOf(''), Math.max(...r));
  });

  test('unique mode gives every value its own code, and codesOf finds them all', () => {
    const d = new Dictionary(true);
    d.code('x');
    d.code('x');
    assert.deepEqual(d.codesOf('x'), [0, 1]);
    assert.deepEqual(Array.from(d.adopt(['y', 'x'])), [2, 3]);
  });

  test('raw values are cleaned for display once', () => {
    const d = new Dictionary();
    const a = d.codeOfRaw('x\u202ey');
    assert.equal(d.codeOfRaw('x\u202ey'), a);
    assert.ok(!d.values[a].includes('\u202e'));
  });
});

describe('TextStore', () => {
  test('search texts are made per batch, lower-cased from the text they were cut from', () => {
    const store = new TextStore();
    const whole = '[{"A":"X"},{"B":"Ǆ"}]';
    store.push(whole.slice(1, 10));
    store.push(whole.slice(11, 20));
    store.endBatch(0, 2, Float64Array.from([1, 11]), whole);
    const s = store.searchTexts(2);
    assert.deepEqual([s[0], s[1]], ['{"a":"x"}', '{"b":"ǆ"}']);
  });

  test('compaction keeps every text exactly', () => {
    const store = new TextStore();
    const texts = ['{"Mixed":"Case"}', '{"ünïcode":"ẞ"}', '{"plain":"ascii"}'];
    for (const t of texts) store.push(t);
    store.endBatch(0, texts.length, new Float64Array(texts.length).fill(-1), undefined);
    assert.ok(store.compact(texts.length));
    assert.equal(store.compactedRows, texts.length);
    assert.deepEqual(texts.map((_, i) => store.text(i)), texts);
  });
});

describe('TextStore lazy batches', () => {
  test('texts held as bytes are cut when first read, by text() or by lowering, in any batch order', () => {
    const store = new TextStore();
    const parts = [['{"A":"Aa"}', '{"B":"Bb"}'], ['{"C":"Cc"}'], ['{"D":"Dd"}', '{"E":"Ee"}']];
    const loose = '{"loose":"L"}';
    let first = 0;
    for (const batch of parts) {
      const whole = ' ' + batch.join(',') + ' ';
      const cover = new Float64Array(batch.length + 1).fill(-1);
      const lengths = new Float64Array(batch.length + 1);
      let at = 1;
      batch.forEach((t, k) => {
        store.push(undefined);
        cover[k] = at;
        lengths[k] = t.length;
        at += t.length + 1;
      });
      store.push(loose);
      store.endBatch(first, batch.length + 1, cover, undefined, { bytes: new TextEncoder().encode(whole), lengths });
      first += batch.length + 1;
    }
    const expect = parts.flatMap((b) => [...b, loose]);
    // The last batch first (text()), then the first ones through the search texts, then compaction.
    assert.equal(store.text(6), '{"E":"Ee"}');
    assert.equal(store.text(6), '{"E":"Ee"}');
    const s = store.searchTexts(expect.length);
    assert.deepEqual(expect.map((_, i) => s[i]), expect.map((t) => t.toLowerCase()));
    assert.deepEqual(expect.map((_, i) => store.text(i)), expect);
    assert.ok(store.compact(expect.length));
    assert.deepEqual(expect.map((_, i) => store.text(i)), expect);
  });

  test('importRows from bytes: rows read alike, and a range that is not a record is refused', () => {
    // Bytes stand for one character each only in ASCII text (the worker sends non-ASCII text decoded).
    const recs = corpusRecords().filter((r) => /^[\x00-\x7f]*$/.test(JSON.stringify(r.event))).slice(0, 12);
    assert.equal(recs.length, 12);
    const texts = recs.map((r) => JSON.stringify(r.event));
    const b = new RowsBuilder(recs.length);
    let source = '';
    recs.forEach((r, k) => {
      b.add(r.event, source.length, texts[k].length, 0);
      source += texts[k] + ' ';
    });
    const rows = b.rows();
    const fromText = new RecordTable();
    fromText.importRows(rows, { text: source, offset: 0 });
    const fromBytes = new RecordTable();
    fromBytes.importRows(rows, { bytes: new TextEncoder().encode(source), offset: 0 });
    // A search first (it makes the texts), then each record's text.
    const needle = String(recs[5].event.eventName);
    assert.deepEqual(fromBytes.setView({ ...EMPTY_FILTER, text: needle }), fromText.setView({ ...EMPTY_FILTER, text: needle }));
    assert.ok(fromBytes.setView({ ...EMPTY_FILTER, text: needle }).matched >= 1);
    for (let i = 0; i < recs.length; i++) {
      assert.deepEqual(fromBytes.row(i).cells, fromText.row(i).cells);
      assert.equal(fromBytes.recordText(i), texts[i]);
    }
    const shifted = new TextEncoder().encode(' ' + source);
    assert.throws(() => new RecordTable().importRows(rows, { bytes: shifted, offset: 0 }), /no text for row 0/);
  });
});

describe('SearchIndex', () => {
  test('signs and tokenizes rows in order, and rules out rows without a needle', () => {
    const search = ['{"a":"hello"}', '{"b":"world"}'];
    const idx = new SearchIndex();
    assert.ok(!idx.complete(2));
    assert.ok(idx.build(search, 1, 2));
    assert.equal(idx.signedRows, 1);
    assert.ok(idx.build(search, 2, 2));
    assert.ok(idx.complete(2));
    assert.equal(idx.signature(0)!.length, WORDS);
    assert.equal(idx.passRate(needleTest('wor')!, 2), 0.5);
    const other = new SearchIndex();
    other.set(0, idx.words.slice(0, 2 * WORDS), 2);
    assert.deepEqual(other.signature(1), idx.signature(1));
    assert.throws(() => other.set(1, idx.words.slice(0, 2 * WORDS), 2), RangeError);
  });
});

describe('transfer', () => {
  test('an export passes the check, a damaged one does not', () => {
    const t = new RecordTable();
    t.add(corpusRecords().slice(0, 50));
    const rows = t.exportRows();
    checkRows(rows);
    assert.equal(rowsTransfer(rows).length, 1, 'one buffer to transfer');
    assert.throws(() => checkRows({ ...rows, count: rows.count + 1 }), /incomplete/);
    assert.throws(() => checkRows({ ...rows, looseTexts: rows.looseTexts.slice(1) }), /incomplete/);
  });
});

describe('RowsBuilder', () => {
  test('rows built from events import into a table as the same cells, texts and ranges as adding the records', () => {
    const recs = corpusRecords().slice(0, 40);
    const texts = recs.map((r) => JSON.stringify(r.event));
    // Every other record's text sits in a source string at some offset; the rest carry their own.
    let source = '';
    const b = new RowsBuilder(recs.length);
    recs.forEach((r, k) => {
      if (k % 2 === 0) {
        source += '  ';
        b.add(r.event, source.length, texts[k].length, 0, k === 4);
        source += texts[k];
      } else b.add(r.event, texts[k], texts[k].length, 0, k === 5);
    });
    assert.throws(() => b.add(recs[0].event, 'x', 1, 0), RangeError);
    const built = b.rows();
    // Every array is a view into one buffer, moved (not copied) to the receiving side as a worker's reply would be.
    const transfer = rowsTransfer(built);
    assert.equal(transfer.length, 1);
    const rows = structuredClone(built, { transfer });
    assert.equal(built.times.length, 0, 'the sender\'s arrays are detached');
    checkRows(rows);
    assert.deepEqual(Array.from(rows.looseRows), recs.map((_, k) => k).filter((k) => k % 2 === 1));
    assert.deepEqual(Array.from(rows.unverifiedRows ?? []), [4, 5]);
    const imported = new RecordTable();
    imported.importRows(rows, { text: source, offset: 0 });
    let joined = '';
    const added = new RecordTable();
    added.add(recs.map((r, k) => {
      const start = joined.length;
      joined += texts[k] + ',\n';
      return { ...r, text: texts[k], range: { startLine: k, endLine: k, startOffset: start, endOffset: start + texts[k].length } };
    }));
    assert.equal(imported.size, recs.length);
    for (let i = 0; i < recs.length; i++) {
      assert.deepEqual(imported.row(i).cells, added.row(i).cells, `row ${i} cells`);
      assert.equal(imported.recordText(i), texts[i]);
      assert.deepEqual(imported.range(i), added.range(i));
      assert.equal(imported.unverified(i), i === 4 || i === 5);
    }
  });
});

describe('views per editor', () => {
  const events = Array.from({ length: 400 }, (_, i): JsonObject => ({
    eventTime: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
    eventName: i % 2 ? 'GetObject' : 'PutObject',
    eventSource: 's3.amazonaws.com',
    awsRegion: i % 3 ? 'eu-west-1' : 'us-east-1',
    requestParameters: { key: `file-${i}` },
  }));

  test('two views of one table keep their own filter, sort and rows', () => {
    const t = new RecordTable();
    t.add(events.map(rec));
    const a = t.createView();
    const b = t.createView();
    assert.deepEqual(a.setView({ text: 'getobject', chips: [] }, { column: 'time', descending: false }), { matched: 200, total: 400 });
    assert.deepEqual(b.setView({ text: '', chips: [{ column: 'region', value: 'us-east-1', exclude: false }] }, { column: 'time', descending: true }), { matched: 134, total: 400 });
    assert.equal(a.counts().matched, 200);
    assert.deepEqual(a.indexes(0, 3), [1, 3, 5]);
    assert.deepEqual(b.indexes(0, 2), [399, 396]);
    assert.equal(a.currentFilter.text, 'getobject');
    assert.equal(b.currentSort.descending, true);
    // The table's own view (one-view callers) is a third, independent one.
    assert.equal(t.setView({ text: 'file-7', chips: [] }).matched, 11);
    assert.equal(a.counts().matched, 200);
    assert.equal(b.counts().matched, 134);
  });

  test("reading one view after another changed its filter recomputes nothing", () => {
    const t = new RecordTable();
    t.add(events.map(rec));
    const a = t.createView();
    const b = t.createView();
    a.setView({ text: 'putobject', chips: [] });
    a.rows(0, 10);
    b.setView({ text: 'file-1', chips: [] });
    // Every text search reads the search texts: count those reads while view a is used again.
    const texts = t.textsPart();
    let reads = 0;
    const original = texts.searchTexts.bind(texts);
    texts.searchTexts = (end: number) => {
      reads++;
      return original(end);
    };
    assert.equal(a.counts().matched, 200);
    assert.equal(a.rows(0, 50).length, 50);
    assert.equal(a.positionOf(0), 199);
    assert.equal(reads, 0);
    b.setView({ text: 'file-12', chips: [] });
    assert.ok(reads > 0, 'the spy sees searches');
  });

  test('added rows reach every live view in its own order; a disposed view stops following', () => {
    const t = new RecordTable();
    t.add(events.slice(0, 200).map(rec));
    const a = t.createView();
    const b = t.createView();
    a.setView({ text: 'getobject', chips: [] }, { column: 'time', descending: false });
    b.setView({ text: '', chips: [] }, { column: 'time', descending: true });
    const gone = t.createView();
    gone.setView({ text: '', chips: [] });
    gone.dispose();
    t.add(events.slice(200).map((e, k) => rec(e, 200 + k)));
    assert.equal(a.counts().matched, 200);
    assert.deepEqual(a.indexes(198, 2), [397, 399]);
    assert.deepEqual(b.indexes(0, 1), [399]);
    assert.equal(b.counts().total, 400);
    assert.equal(gone.indexes(0, 1e6).length, 200);
  });

  test('distinct values of one view count only its rows', () => {
    const t = new RecordTable();
    t.add(events.map(rec));
    const a = t.createView();
    a.setView({ text: '', chips: [{ column: 'eventName', value: 'GetObject', exclude: false }] });
    assert.deepEqual(t.distinctValues('eventName', 5, 'view', a), [{ value: 'GetObject', count: 200 }]);
    assert.equal(t.distinctValues('eventName', 5, 'all').length, 2);
    assert.ok(COLUMN_INDEX.eventName >= 0);
  });

  test('a table that keeps no texts has no views', () => {
    const t = new RecordTable({ keepText: false });
    t.add(corpusRecords().slice(0, 5));
    assert.throws(() => t.createView(), /keeps no texts/);
  });
});
