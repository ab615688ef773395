/**
 * "Open All Events" of a large day: how long getting the records from the parse workers into the record viewer's
 * table keeps the main thread (the extension host) busy, for three routes, in this run:
 *   (a) events: workers send events as JSON, the main thread parses them into objects, then the command writes
 *       them out again as `{"Records":[…]}` text (recordsText), which the viewer parses again;
 *   (b) text (the route before the one ingest path): workers send each record's own text, the main thread joins
 *       the pieces into the generated document, and the viewer parses and indexes that text (StreamingParser +
 *       RecordTable, as ViewerDocument did) — a parse in the workers and a second one on the main thread;
 *   (c) ingest (after): src/core/ingest — workers send each file as a piece (record texts + table rows made in
 *       the worker) and the main thread imports the rows: one parse, in the workers; no document text at all.
 * Prints main-thread busy time (event-loop utilisation) per route and the before/after ratio (b)+indexing vs (c);
 * asserts only that every route gives the viewer the same records.
 *
 * Run: `node test/bench/run.mjs open-combined`, or `npx tsc -p . && node build/test/bench/open-combined.bench.js`.
 * Env: COMBINED_BENCH_FILES (default 288, one day of 5-minute files), COMBINED_BENCH_RECORDS (per file, 350),
 * COMBINED_BENCH_RUNS (3).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { ParsePool, defaultPoolSize } from '../../src/core/local/pool';
import { StreamingParser } from '../../src/core/records';
import { RecordTable } from '../../src/core/table';
import { recordsText } from '../../src/viewer/records';
import { ingest } from '../../src/core/ingest/ingest';
import { repoRoot } from '../support/paths';
import { corpusDeliveredEvents } from '../support/corpus-events';

const FILES = Number(process.env.COMBINED_BENCH_FILES ?? 288);
const PER_FILE = Number(process.env.COMBINED_BENCH_RECORDS ?? 350);
const RUNS = Number(process.env.COMBINED_BENCH_RUNS ?? 3);
const dataRoot = path.join(repoRoot, 'test', 'bench', '.data', `day-${FILES}x${PER_FILE}`);
/** What ViewerDocument hands the parser per slice. */
const SLICE_BYTES = 512 * 1024;

/** One account/Region/day of 5-minute files, written once (later runs reuse it). */
function ensureData(): string[] {
  const marker = path.join(dataRoot, '.complete');
  const dir = path.join(dataRoot, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', '2024', '02', '01');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dataRoot, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const records = corpusDeliveredEvents().map((e) => JSON.stringify(e));
    let n = 0;
    for (let i = 0; i < FILES; i++) {
      const minute = (i * 5) % 1440;
      const stamp = `20240201T${String(Math.floor(minute / 60)).padStart(2, '0')}${String(minute % 60).padStart(2, '0')}Z`;
      const chunk = Array.from({ length: PER_FILE }, () => records[n++ % records.length]);
      // One in a hundred records carries a number beyond 2^53, as some service fields do.
      const body = chunk.map((r, k) => (k % 100 === 7 ? r.replace(/^\{/, `{"bytesTransferred":9007199254740993${i},`) : r));
      fs.writeFileSync(path.join(dir, `111122223333_CloudTrail_us-east-1_${stamp}_${String(i).padStart(16, '0')}.json.gz`), gzipSync(`{"Records":[${body.join(',')}]}`));
    }
    fs.writeFileSync(marker, '');
  }
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json.gz')).sort().map((f) => path.join(dir, f));
}

function workerScript(): string {
  const bundled = path.join(repoRoot, 'out', 'worker-pool.js');
  return fs.existsSync(bundled) ? bundled : path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');
}

interface Handoff {
  bytes: Uint8Array;
  records: number;
  wallMs: number;
  /** Main-thread busy time (event loop utilisation) from starting the pool to having the document's bytes. */
  mainMs: number;
}

/** The local "Open All Events" path up to the bytes the generated document holds. */
async function handoff(files: string[], asText: boolean): Promise<Handoff> {
  const pool = new ParsePool(workerScript(), defaultPoolSize());
  try {
    const elu = performance.eventLoopUtilization();
    const t = performance.now();
    const r = await pool.run(files.map((f) => ({ name: f, path: f })), { maxRecords: 200_000, asText });
    const text = asText ? r.text! : recordsText(r.events);
    const bytes = new TextEncoder().encode(text);
    const wallMs = performance.now() - t;
    return { bytes, records: r.kept, wallMs, mainMs: performance.eventLoopUtilization(elu).active };
  } finally {
    pool.dispose();
  }
}

/** (c) The one ingest path: pieces from the workers imported into the viewer's table (no document, no parse here). */
async function ingestRoute(files: string[]): Promise<{ table: RecordTable; wallMs: number; mainMs: number }> {
  const pool = new ParsePool(workerScript(), defaultPoolSize());
  try {
    const elu = performance.eventLoopUtilization();
    const t = performance.now();
    const table = new RecordTable();
    await ingest(table, { sources: [{ kind: 'files', files: files.map((f) => ({ name: f, path: f })) }], maxRecords: 200_000 }, { pool, searchIndex: false });
    return { table, wallMs: performance.now() - t, mainMs: performance.eventLoopUtilization(elu).active };
  } finally {
    pool.dispose();
  }
}

/** What the viewer does with the document (synchronously here; the extension yields between slices). */
function index(bytes: Uint8Array): { table: RecordTable; ms: number } {
  const t = performance.now();
  const table = new RecordTable();
  const parser = new StreamingParser();
  for (let off = 0; off < bytes.length; off += SLICE_BYTES) table.add(parser.push(bytes.subarray(off, Math.min(bytes.length, off + SLICE_BYTES))));
  table.add(parser.end().records);
  return { table, ms: performance.now() - t };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = () => (globalThis as { gc?: () => void }).gc?.();

async function main(): Promise<void> {
  const files = ensureData();
  const gz = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(`open-combined bench: ${files.length} files, ${(gz / 1e6).toFixed(1)} MB gzipped, ${defaultPoolSize()} workers, ${os.cpus().length} CPUs, load ${os.loadavg()[0].toFixed(1)}`);
  await handoff(files.slice(0, 10), false);
  await handoff(files.slice(0, 10), true);
  await ingestRoute(files.slice(0, 10));

  const m: Record<'events' | 'text', { wall: number[]; main: number[]; index: number[]; mb: number }> = {
    events: { wall: [], main: [], index: [], mb: 0 },
    text: { wall: [], main: [], index: [], mb: 0 },
  };
  const c = { wall: [] as number[], main: [] as number[] };
  let records = 0;
  for (let run = 0; run < RUNS; run++) {
    // Alternate the order so neither route always runs on a warmer (or more fragmented) heap.
    const order: ('events' | 'text')[] = run % 2 ? ['text', 'events'] : ['events', 'text'];
    const tables: Partial<Record<'events' | 'text', RecordTable>> = {};
    for (const route of order) {
      gc();
      const h = await handoff(files, route === 'text');
      const ix = index(h.bytes);
      m[route].wall.push(h.wallMs);
      m[route].main.push(h.mainMs);
      m[route].index.push(ix.ms);
      m[route].mb = h.bytes.length / 1e6;
      assert.equal(ix.table.size, h.records, `${route}: the viewer indexes every record handed over`);
      records = h.records;
      if (run === 0) tables[route] = ix.table;
    }
    gc();
    const ing = await ingestRoute(files);
    c.wall.push(ing.wallMs);
    c.main.push(ing.mainMs);
    assert.equal(ing.table.size, records, 'ingest: every record');
    if (run === 0) {
      const b = tables.text!;
      for (let i = 0; i < b.size; i += Math.max(1, Math.floor(b.size / 500))) assert.deepEqual(ing.table.event(i), b.event(i), `ingest record ${i}`);
      assert.equal(String(ing.table.event(7).bytesTransferred), '90071992547409930', 'ingest keeps big numbers');
    }
    if (run === 0) {
      const a = tables.events!;
      const b = tables.text!;
      assert.equal(a.size, b.size);
      // Same records, in the same order, with the same values (big numbers included) on both routes.
      for (let i = 0; i < a.size; i += Math.max(1, Math.floor(a.size / 500))) assert.deepEqual(b.event(i), a.event(i), `record ${i}`);
      for (let f = 0; f < files.length; f++) {
        for (let k = 7; k < PER_FILE; k += 100) {
          const i = f * PER_FILE + k;
          assert.equal(String(b.event(i).bytesTransferred), `9007199254740993${f}`, `big number of record ${i}`);
        }
      }
    }
  }
  const us = (ms: number) => ((ms * 1000) / records).toFixed(1);
  console.log(`records: ${records} per route; median of ${RUNS} runs`);
  for (const route of ['events', 'text'] as const) {
    const r = m[route];
    console.log(
      `${(route === 'events' ? '(a) events → recordsText' : '(b) record text (before)').padEnd(36)} handoff wall ${median(r.wall).toFixed(0).padStart(6)} ms, main thread busy ${median(r.main).toFixed(0).padStart(6)} ms (${us(median(r.main)).padStart(5)} µs/record); document ${r.mb.toFixed(0)} MB; viewer indexing ${median(r.index).toFixed(0)} ms`,
    );
  }
  const a = m.events;
  const b = m.text;
  console.log(`ratio handoff main-thread busy, (a) / (b): ${(median(a.main) / median(b.main)).toFixed(2)}x`);
  console.log(`ratio handoff wall time, (a) / (b):           ${(median(a.wall) / median(b.wall)).toFixed(2)}x`);
  console.log(`ratio handoff + indexing, (a) / (b):            ${((median(a.main) + median(a.index)) / (median(b.main) + median(b.index))).toFixed(2)}x (main thread)`);
  console.log(
    `${'(c) one ingest path (after)'.padEnd(36)} wall ${median(c.wall).toFixed(0).padStart(6)} ms, main thread busy ${median(c.main).toFixed(0).padStart(6)} ms (${us(median(c.main)).padStart(5)} µs/record); no document text; rows in the table`,
  );
  const before = median(b.main) + median(b.index);
  console.log(`"Open All Events" main-thread time: before (b: handoff + second parse) ${before.toFixed(0)} ms, after (c: one parse) ${median(c.main).toFixed(0)} ms, before / after ${(before / median(c.main)).toFixed(2)}x`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
