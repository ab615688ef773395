/**
 * The one ingest entry (src/core/ingest/ingest.ts) on this thread and on the real worker pool (the tsc-compiled
 * build/src/workers/pool.js): a table filled from a plan holds exactly what parsing the materialised
 * `{"Records":[…]}` text gives, in plan order, with origins, a record cap, damaged-file reports and cancellation.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { RecordTable } from '../../../src/core/table';
import { assertSameTable } from '../../support/tables';
import { parseText } from '../../../src/core/records';
import { ParsePool } from '../../../src/core/local/pool';
import { ingest, isDamaged, damageReport, type FileSource } from '../../../src/core/ingest/ingest';
import { recordsDocumentOfTable } from '../../../src/core/ingest/records';
import type { Origin } from '../../../src/core/ingest/origins';
import type { JsonObject } from '../../../src/core/records/types';
import { corpusRecords } from '../table/corpus';
import { repoRoot } from '../../support/paths';

const workerScript = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');

/** The table a plain parse of `doc` gives (independent route: parse the whole text once). */
function parsedTable(doc: string): RecordTable {
  const t = new RecordTable();
  t.add(parseText(doc).records, doc);
  return t;
}

const same = assertSameTable;

describe('ingest', () => {
  let dir: string;
  const files: FileSource[] = [];
  /** Event IDs per good file, in file order (read with JSON.parse, not the code under test). */
  const ids: string[][] = [];
  const origins: Origin[] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-ingest-'));
    const events = corpusRecords().map((r) => r.event).filter((e) => typeof e.eventID === 'string');
    assert.ok(events.length > 60);
    for (let i = 0; i < 12; i++) {
      const chunk = events.slice(i * 5, i * 5 + 2 + (i % 4));
      const p = path.join(dir, `f${String(i).padStart(2, '0')}.json${i % 2 ? '.gz' : ''}`);
      const body = Buffer.from(JSON.stringify({ Records: chunk }, null, i % 3 === 0 ? 2 : undefined));
      fs.writeFileSync(p, i % 2 ? gzipSync(body) : body);
      const origin = { label: path.basename(p), file: p };
      origins.push(origin);
      files.push({ name: path.basename(p), path: p, origin });
      ids.push(chunk.map((e) => String(e.eventID)));
    }
    const bad = path.join(dir, 'broken.json.gz');
    fs.writeFileSync(bad, gzipSync(Buffer.from('{"Records":[{"eventName":')).subarray(0, 20));
    files.splice(5, 0, { name: 'broken.json.gz', path: bad, origin: { label: 'broken.json.gz', file: bad } });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const where of ['this thread', 'the worker pool'] as const) {
    test(`files on ${where}: one parse, file order, origins, damaged files`, async () => {
      const pool = where === 'the worker pool' ? new ParsePool(workerScript, 2) : undefined;
      try {
        const table = new RecordTable();
        const seen: number[] = [];
        const r = await ingest(table, { sources: [{ kind: 'files', files }] }, { pool, onProgress: (p) => seen.push(p.records) });
        const all = ids.flat();
        assert.equal(r.records, all.length);
        assert.equal(table.size, all.length);
        assert.equal(r.truncated, false);
        assert.equal(r.cancelled, false);
        assert.deepEqual(Array.from({ length: table.size }, (_, i) => table.cell(i, 'eventId')), all, 'rows in file order');
        assert.ok(seen.length >= files.length, 'progress per file');
        // The damaged file is reported, the others are not.
        assert.deepEqual(r.files.filter(isDamaged).map((f) => f.name), ['broken.json.gz']);
        assert.ok(damageReport(r.files).some((l) => l.startsWith('broken.json.gz')));
        // Each row knows its file and its index there.
        let row = 0;
        ids.forEach((list, f) => {
          list.forEach((_, k) => {
            const o = r.origins.at(row++)!;
            assert.equal(o.origin, origins[f]);
            assert.equal(o.indexInSource, k);
          });
        });
        // The document built on demand is what the table's ranges point into; parsing it gives the same table.
        const doc = recordsDocumentOfTable(table);
        same(table, parsedTable(doc));
        await r.searchIndex;
        assert.equal(table.searchIndexed, true);
      } finally {
        pool?.dispose();
      }
    });
  }

  for (const where of ['this thread', 'the worker pool'] as const) {
    test(`files on ${where}: the records of a gzip member whose checksum failed stay marked unverified`, async () => {
      // A good .json.gz with its CRC-32 trailer changed: the data still inflates, so every record is kept, but
      // none can be vouched for. The mark has to survive the handoff from the parser to the table.
      const good = files.find((f) => f.name.endsWith('.gz') && f.name !== 'broken.json.gz')!;
      const bytes = Buffer.from(fs.readFileSync(good.path!));
      bytes[bytes.length - 8] ^= 0xff;
      const damaged = path.join(dir, 'damaged-crc.json.gz');
      fs.writeFileSync(damaged, bytes);
      const pool = where === 'the worker pool' ? new ParsePool(workerScript, 2) : undefined;
      try {
        const table = new RecordTable();
        const plan = { sources: [{ kind: 'files' as const, files: [{ name: good.name, path: good.path }, { name: 'damaged-crc.json.gz', path: damaged }] }] };
        const r = await ingest(table, plan, { pool });
        const n = r.files[0].recordCount;
        assert.ok(n > 0);
        assert.equal(table.size, 2 * n, 'no record is lost');
        for (let i = 0; i < n; i++) assert.equal(table.unverified(i), false, `intact row ${i}`);
        for (let i = n; i < 2 * n; i++) assert.equal(table.unverified(i), true, `damaged row ${i}`);
        assert.equal(table.cell(n, 'eventId'), table.cell(0, 'eventId'));
      } finally {
        pool?.dispose();
        fs.rmSync(damaged, { force: true });
      }
    });
  }

  for (const where of ['this thread', 'the worker pool'] as const) {
    test(`files on ${where}: non-ASCII text and a byte-order mark keep every record's text exact`, async () => {
      // The worker hands the file's text over as UTF-8 bytes and record positions in characters: both sides must
      // decode alike (multi-byte characters, a character outside the BMP, a leading BOM).
      const events = [
        { eventVersion: '1.08', eventTime: '2024-05-01T12:00:00Z', eventName: 'PutObject', requestParameters: { key: 'größe/übersicht-😀.csv' } },
        { eventVersion: '1.08', eventTime: '2024-05-01T12:00:01Z', eventName: 'GetObject', requestParameters: { key: '日本語/ファイル.txt' } },
        { eventVersion: '1.08', eventTime: '2024-05-01T12:00:02Z', eventName: 'ListBuckets', userAgent: 'plain ascii' },
      ];
      const texts = events.map((e) => JSON.stringify(e));
      const plain = path.join(dir, 'utf8.json.gz');
      fs.writeFileSync(plain, gzipSync(Buffer.from(`{"Records":[${texts.join(',')}]}`)));
      const bom = path.join(dir, 'bom.json');
      fs.writeFileSync(bom, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`{"Records":[\n${texts.join(',\n')}\n]}`)]));
      const pool = where === 'the worker pool' ? new ParsePool(workerScript, 2) : undefined;
      try {
        const table = new RecordTable();
        const r = await ingest(table, { sources: [{ kind: 'files', files: [{ name: 'utf8.json.gz', path: plain }, { name: 'bom.json', path: bom }] }] }, { pool });
        assert.equal(r.records, 6);
        for (let i = 0; i < 6; i++) {
          assert.equal(table.recordText(i), texts[i % 3], `row ${i}`);
          assert.deepEqual(table.event(i), events[i % 3]);
        }
        same(table, parsedTable(recordsDocumentOfTable(table)));
      } finally {
        pool?.dispose();
        fs.rmSync(plain, { force: true });
        fs.rmSync(bom, { force: true });
      }
    });
  }

  test('the record cap cuts in plan order and says so', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const table = new RecordTable();
      const r = await ingest(table, { sources: [{ kind: 'files', files }], maxRecords: 7 }, { pool });
      assert.equal(table.size, 7);
      assert.equal(r.truncated, true);
      assert.deepEqual(Array.from({ length: 7 }, (_, i) => table.cell(i, 'eventId')), ids.flat().slice(0, 7));
    } finally {
      pool.dispose();
    }
  });

  test('cancelled before it starts: nothing added', async () => {
    const ac = new AbortController();
    ac.abort();
    const table = new RecordTable();
    const r = await ingest(table, { sources: [{ kind: 'files', files }] }, { signal: ac.signal });
    assert.equal(r.cancelled, true);
    assert.equal(table.size, 0);
  });

  test('in-memory events with per-event origins, then files, in one table', async () => {
    const events: JsonObject[] = Array.from({ length: 4500 }, (_, i) => ({
      eventID: `e${i}`,
      eventName: `Call${i % 7}`,
      eventTime: '2024-01-01T00:00:00Z',
      recipientAccountId: i < 3000 ? '111122223333' : '444455556666',
    }));
    const byAccount = new Map<string, Origin>();
    const originOf = (e: JsonObject) => {
      const a = String(e.recipientAccountId);
      if (!byAccount.has(a)) byAccount.set(a, { label: `us-east-1 · ${a}` });
      return byAccount.get(a)!;
    };
    const table = new RecordTable();
    const r = await ingest(table, { sources: [{ kind: 'events', events: [...events, null, 7], origin: originOf }, { kind: 'files', files: files.slice(0, 2) }] });
    assert.equal(r.records, 4500 + ids[0].length + ids[1].length);
    assert.equal(r.origins.at(0)?.origin.label, 'us-east-1 · 111122223333');
    assert.equal(r.origins.at(3200)?.origin.label, 'us-east-1 · 444455556666');
    assert.equal(r.origins.at(3200)?.indexInSource, 3200);
    assert.equal(r.origins.at(4500)?.origin, origins[0]);
    assert.deepEqual(table.event(10), events[10]);
    same(table, parsedTable(recordsDocumentOfTable(table)));
  });

  test('one file\'s bytes: the indexer, with its kind and problems', async () => {
    const good = fs.readFileSync(files[1].path!);
    const table = new RecordTable();
    const r = await ingest(table, { sources: [{ kind: 'bytes', name: 'f01.json.gz', bytes: good }] });
    assert.equal(r.kind, 'log');
    assert.equal(r.gzipped, true);
    assert.equal(table.size, ids[1].length);
    assert.equal(r.origins.any, false);
    const bad = new RecordTable();
    const b = await ingest(bad, { sources: [{ kind: 'bytes', name: 'x.json', bytes: new TextEncoder().encode('{"Records":[{"eventName":"A"},') }] });
    assert.ok(b.problems.length > 0);
    assert.equal(bad.size, 1);
  });
});
