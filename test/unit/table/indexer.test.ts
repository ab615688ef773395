/**
 * indexBytes on two threads (a real worker thread running the compiled out-of-tree worker, build/src/workers)
 * must give exactly what one thread gives: the same rows, texts, ranges, kind and problems, for clean logs of
 * every layout and for the inputs where the split has to be abandoned (a cut that is not a record boundary,
 * problems in a chunk, a worker that cannot start or never answers, cancellation).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { RecordTable, COLUMNS } from '../../../src/core/table';
import { indexBytes, findCut, type IndexOptions } from '../../../src/core/table/indexer';
import { WORDS } from '../../../src/core/table/pairs';
import { parseText, StreamingParser } from '../../../src/core/records';
import { corpusDeliveredEvents } from '../../support/corpus-events';
import { corpusFiles, repoRoot } from '../../support/paths';

const WORKER = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');
const enc = (s: string) => new TextEncoder().encode(s);
const corpus = corpusDeliveredEvents();

/** Everything a viewer can ask a table, row by row. */
function snapshot(t: RecordTable) {
  const rows = [];
  for (let i = 0; i < t.size; i++) rows.push({ cells: t.row(i).cells, text: t.recordText(i), range: t.range(i), time: t.time(i) });
  return rows;
}

async function both(bytes: Uint8Array, extra: IndexOptions = {}) {
  const one = new RecordTable();
  const r1 = await indexBytes(bytes, one, { sliceBytes: 4096, ...extra });
  const two = new RecordTable();
  const logs: string[] = [];
  // About five chunks, so the worker's part is several chunks (tests may ask for other sizes). This thread waits
  // a millisecond between slices (~250 ms per MB), so that the worker, which needs ~50–150 ms to start, reliably
  // gets to do its share of these small files.
  const slow = () => new Promise<void>((r) => setTimeout(r, 1));
  // Count the rows whose signatures and tokens the worker sent (the table appends the tokens instead of
  // tokenizing those rows itself).
  let signedRows = 0;
  let tokenRows = 0;
  const set = two.setSearchIndex.bind(two);
  two.setSearchIndex = (first, words, tokens) => {
    signedRows += words.length / WORDS;
    tokenRows += tokens?.rows ?? 0;
    set(first, words, tokens);
  };
  const r2 = await indexBytes(bytes, two, { sliceBytes: 4096, parallelFrom: 0, chunkBytes: Math.ceil(bytes.length / 5), chunkWorkers: WORKER, pause: slow, log: (m) => logs.push(m), ...extra });
  assert.ok(r1 && r2);
  assert.equal(two.size, one.size);
  assert.deepEqual(snapshot(two), snapshot(one));
  const { searchIndex: index1, ...rest1 } = r1;
  const { searchIndex: index2, ...rest2 } = r2;
  assert.equal(r1.workerRecords, 0);
  assert.deepEqual({ ...rest2, workerRecords: 0 }, rest1);
  const split = logs.some((m) => m.startsWith('indexed on two threads'));
  assert.equal(r2.workerRecords > 0, split);
  // The view built over imported rows filters and sorts like the one built on one thread, before and after the
  // search index is complete (on one side built here, on the other partly sent by the worker).
  const sameViews = () => {
    for (const text of ['assumed', 'é', 'accessdenied', '"eventname":"get', 'a', 'zq', '19', '-', 'iam']) {
      const a = one.setView({ text, chips: [] }, { column: 'eventName', descending: false });
      const b = two.setView({ text, chips: [] }, { column: 'eventName', descending: false });
      assert.deepEqual(b, a, text);
      assert.deepEqual(two.indexes(0, 1e6), one.indexes(0, 1e6), text);
    }
  };
  sameViews();
  await Promise.all([index1, index2]);
  assert.ok(one.searchIndexed && two.searchIndexed);
  sameViews();
  // The signatures the worker sent are the ones this thread builds from the same texts, and it sent the tokens of
  // its rows (the views above compared what they answer).
  for (let i = 0; i < two.size; i++) assert.deepEqual(two.searchSignature(i), one.searchSignature(i), `signature of record ${i}`);
  assert.equal(tokenRows, signedRows);
  const sizes = (t: RecordTable) => {
    const { bytes: _bytes, ...rest } = t.searchIndexStats();
    return rest;
  };
  assert.deepEqual(sizes(two), sizes(one));
  return { one, two, result: r2, logs, split, tokenRows };
}

/** A log of `n` corpus events (cycled), with `edit` applied to each event first. */
function log(n: number, edit: (e: Record<string, unknown>, i: number) => Record<string, unknown> = (e) => e, indent?: number): string {
  const events = Array.from({ length: n }, (_, i) => edit(structuredClone(corpus[i % corpus.length]), i));
  return JSON.stringify({ Records: events }, null, indent);
}

describe('indexBytes: two threads give what one thread gives', () => {
  test('the corpus has events to build logs from', () => {
    assert.ok(corpus.length > 500, `${corpus.length} corpus events`);
  });

  test('compact log (CloudTrail delivery layout)', async () => {
    const { split, one, result, tokenRows } = await both(enc(log(900)));
    assert.ok(split, 'the worker indexed the last chunks');
    assert.equal(tokenRows, result.workerRecords, 'the worker sent the tokens of its rows');
    assert.equal(one.size, 900);
  });

  test('many small chunks, and one chunk', async () => {
    const bytes = enc(log(900));
    for (const chunkBytes of [8192, 30_000, Math.ceil(bytes.length * 0.25)]) {
      const { split } = await both(bytes, { chunkBytes });
      assert.ok(split, `chunks of ${chunkBytes} bytes`);
    }
  });

  test('pretty-printed log with CRLF line ends and a BOM', async () => {
    const text = '\ufeff' + log(700, (e) => e, 2).replace(/\n/g, '\r\n');
    const { split, two } = await both(enc(text));
    assert.ok(split);
    // Lines of the worker's chunks count from the top of the file.
    const last = two.range(two.size - 1)!;
    assert.equal(last.endLine, text.split('\n').length - 2);
  });

  test('non-ASCII text before the cut (offsets are in characters, the cut in bytes)', async () => {
    const text = log(800, (e, i) => (i < 500 ? { ...e, userAgent: `agent é 日本 😀 ${i}` } : e));
    const { split, two } = await both(enc(text));
    assert.ok(split);
    const i = two.size - 1;
    const r = two.range(i)!;
    assert.equal(text.slice(r.startOffset, r.endOffset), two.recordText(i));
  });

  test('records with their own text (legacy IoT), big integers and a character whose lower case is longer', async () => {
    const text = log(800, (e, i) => {
      if (i % 97 === 50) return { EventVersion: '1.0', EventName: `IotOp${i}`, EventTime: '2016-01-01T00:00:00Z', EventSource: 'iot.amazonaws.com', UserIdentity: { Type: 'Root' } };
      if (i % 89 === 7) return { ...e, requestParameters: { big: 1 } };
      if (i === 700) return { ...e, userAgent: 'İstanbul' };
      return e;
    }).replace(/"big":1/g, '"big":123456789012345678901');
    const { split, two } = await both(enc(text));
    assert.ok(split);
    assert.ok(two.setView({ text: 'iotop', chips: [] }).matched > 3);
    assert.ok(two.recordText(two.indexes(0, 1)[0]).includes('IotOp'));
    // After the longer lower case (İ → i̇), each record's whole text still finds that record.
    for (const i of [two.size - 1, two.size - 40]) {
      two.setView({ text: two.recordText(i), chips: [] });
      assert.ok(two.indexes(0, 1e6).includes(i), `record ${i}`);
    }
  });

  test('extra top-level keys after the Records array', async () => {
    const text = log(700).replace(/\]\}$/, '],"note":{"eventVersion":"x"}}');
    const { split, result } = await both(enc(text));
    assert.ok(split);
    assert.equal(result.kind, 'log');
  });

  test('a cut guessed inside a record falls back to one thread', async () => {
    // Around the middle, every record holds an array of objects whose first key is the records' first key.
    const items = [{ a: 1 }, ...Array.from({ length: 150 }, () => ({ eventVersion: 'nested' }))];
    const decoy = (e: Record<string, unknown>, i: number) => (i > 100 ? { eventVersion: '1.08', requestParameters: { items }, eventName: `Op${i}`, eventTime: '2024-01-01T00:00:00Z' } : e);
    const bytes = enc(log(800, decoy));
    // Nearly all bytes are nested objects, so every cut lands on one: no chunk of the worker can be used.
    const { split, logs } = await both(bytes);
    assert.ok(!split);
    assert.match(logs.join('\n'), /indexed on one thread: (chunk \d+ (has problems|does not end|read as)|byte \d+ is not between)/);
  });

  test('problems in a chunk: this thread reads that chunk, problems keep their lines', async () => {
    // Record 200 is not valid JSON (an unquoted word), but its brackets balance: the parse goes on after it.
    const good = log(800);
    const broken = log(800, (e, i) => (i === 200 ? { ...e, userAgent: 'BROKEN_HERE' } : e)).replace('"BROKEN_HERE"', 'BROKEN_HERE');
    const { result, split, logs } = await both(enc(broken));
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].line, 1);
    assert.ok(split, 'the chunks after the damage come from the worker');
    assert.ok(result.workerRecords < 600, `${result.workerRecords} records from the worker`);
    assert.ok(!logs.some((m) => /one thread/.test(m)), logs.join('\n'));
    const truncated = good.slice(0, good.length - 300);
    const t = await both(enc(truncated));
    assert.ok(!t.split);
    assert.ok(t.result.problems.some((p) => p.severity === 'error'));
  });

  test('every corpus file, and the corpus as one log', async () => {
    for (const f of corpusFiles()) await both(fs.readFileSync(f));
    const all = JSON.stringify({ Records: corpus });
    const { split, one } = await both(enc(all));
    assert.ok(split);
    assert.equal(one.size, corpus.length);
  });

  test('gzip, JSON Lines and arrays are indexed on one thread', async () => {
    for (const bytes of [gzipSync(enc(log(600))), enc(corpus.slice(0, 600).map((e) => JSON.stringify(e)).join('\n')), enc(JSON.stringify(corpus.slice(0, 600)))]) {
      const { split } = await both(bytes);
      assert.ok(!split);
    }
  });
});

describe('indexBytes: failures and cancellation', () => {
  test('a worker that cannot start: one thread does it all, and says why', async () => {
    const { split, logs } = await both(enc(log(700)), { chunkWorkers: path.join(repoRoot, 'no-such-worker.js') });
    assert.ok(!split);
    assert.match(logs.join('\n'), /worker/);
  });

  test('a worker that never answers: this thread reads every chunk', async () => {
    const silent = path.join(os.tmpdir(), `ctl-silent-worker-${process.pid}.js`);
    fs.writeFileSync(silent, "require('node:worker_threads').parentPort.on('message', () => {});\n");
    try {
      const { split, logs, one } = await both(enc(log(700)), { chunkWorkers: silent, workerTimeoutMs: 200 });
      assert.ok(!split);
      assert.match(logs.join('\n'), /did not reach/);
      assert.equal(one.size, 700);
    } finally {
      fs.rmSync(silent, { force: true });
    }
  });

  test('cancelled: resolves undefined without waiting for the worker', async () => {
    const table = new RecordTable();
    let polls = 0;
    const r = await indexBytes(enc(log(900)), table, { sliceBytes: 4096, parallelFrom: 0, chunkWorkers: WORKER, cancelled: () => ++polls > 2 });
    assert.equal(r, undefined);
    assert.ok(table.size < 900);
  });

  test('progress ends at the file size', async () => {
    const bytes = enc(log(700));
    const seen: number[] = [];
    await indexBytes(bytes, new RecordTable(), { sliceBytes: 4096, parallelFrom: 0, chunkWorkers: WORKER, onProgress: (b) => seen.push(b) });
    assert.equal(seen[seen.length - 1], bytes.length);
    assert.ok(seen.every((b, k) => k === 0 || b >= seen[k - 1]));
  });

  test('nothing keeps the file bytes while the search index is built and the texts compacted', async () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const table = new RecordTable();
    // Once indexing is over, the background phase stops at its next pause until `release()`.
    let indexed = false;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let paused = 0;
    const pause = () => (indexed ? (paused++, held) : new Promise<void>((r) => setImmediate(r)));
    let bytesRef!: WeakRef<ArrayBuffer>;
    let background!: Promise<void>;
    let workerRecords = 0;
    await (async () => {
      // Big enough that this thread's part of the search index takes several 8 ms slices even on a fast machine.
      const bytes = enc(log(20000));
      bytesRef = new WeakRef(bytes.buffer as ArrayBuffer);
      const r = await indexBytes(bytes, table, { sliceBytes: 64 * 1024, parallelFrom: 0, chunkBytes: Math.ceil(bytes.length / 5), chunkWorkers: WORKER, pause, cancelled: () => false });
      workerRecords = r!.workerRecords;
      background = r!.searchIndex;
    })();
    indexed = true;
    // Wait for the first held pause; if the background phase ended without one, the `during` check fails (no hang).
    let settled = false;
    void background.then(() => (settled = true));
    while (paused === 0 && !settled) await new Promise((r) => setTimeout(r, 5));
    for (let k = 0; k < 3; k++) {
      gc();
      await new Promise((r) => setTimeout(r, 10));
    }
    const alive = bytesRef.deref() !== undefined;
    const during = !table.textsCompacted || !table.searchIndexed;
    release();
    await background;
    assert.ok(workerRecords > 0, 'the worker took part');
    assert.ok(during, 'the check ran during the background phase');
    assert.ok(table.textsCompacted && table.searchIndexed);
    assert.equal(alive, false, 'the bytes are still reachable');
  });
});

describe('findCut and record boundaries', () => {
  test('findCut finds `{"key"` after a comma, across whitespace, and nothing else', () => {
    const text = '{"Records":[{"k":1},{"x":{"k":2}}, \n {"k":3}]}';
    const bytes = enc(text);
    assert.equal(findCut(bytes, 0, '"k"'), text.indexOf('{"k":3'));
    assert.equal(findCut(bytes, 0, undefined), -1);
    assert.equal(findCut(bytes, text.indexOf('{"k":3') + 1, '"k"'), -1);
  });

  test('recordBoundary holds exactly between two records of a Records array', () => {
    const text = log(5, (e) => e, 1);
    const starts = parseText(text).records.map((r) => r.range!.startOffset);
    const boundaryAt = (at: number) => {
      const p = new StreamingParser();
      p.push(enc(text.slice(0, at)));
      return p.recordBoundary();
    };
    starts.forEach((at, k) => {
      const b = boundaryAt(at);
      assert.deepEqual(b, { offset: at, line: text.slice(0, at).split('\n').length, records: k });
      // Inside the record, or before the comma that ends the previous one: not a boundary.
      for (const off of [1, 2, 17, 400]) assert.equal(boundaryAt(at + off), undefined, `record ${k} + ${off}`);
      if (k > 0) assert.equal(boundaryAt(at - 4), undefined);
    });
    assert.equal(boundaryAt(text.length), undefined);
    const jsonl = new StreamingParser();
    jsonl.push(enc(JSON.stringify(corpus[0]) + '\n'));
    assert.equal(jsonl.recordBoundary(), undefined);
  });
});

describe('exportRows / importRows', () => {
  test('a table that keeps texts exports them; import reproduces every row', () => {
    const a = new RecordTable();
    a.add(parseText(log(300)).records);
    const b = new RecordTable();
    b.importRows(a.exportRows());
    assert.deepEqual(snapshot(b), snapshot(a));
    assert.equal(b.size, 300);
    assert.equal(COLUMNS.length, a.exportRows().values.length);
  });

  test('inconsistent rows or a missing source text throw and add nothing', () => {
    const a = new RecordTable({ keepText: false });
    a.add(parseText(log(50)).records);
    const rows = a.exportRows();
    const b = new RecordTable();
    assert.throws(() => b.importRows(rows), /no text for row 0/);
    assert.throws(() => b.importRows({ ...rows, codes: rows.codes.slice(1) }), /inconsistent/);
    assert.throws(() => b.importRows({ ...rows, looseRows: Uint32Array.of(999), looseTexts: ['{}'] }), /inconsistent/);
    assert.equal(b.size, 0);
    assert.throws(() => a.setView({ text: 'x', chips: [] }), /keeps no texts/);
  });
});
