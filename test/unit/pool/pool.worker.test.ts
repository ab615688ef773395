/**
 * The one worker pool (src/core/pool) with real worker threads running the tsc-compiled worker
 * (build/src/workers/pool.js): every task kind on one shared pool, lazy start and the core cap, cancel per task,
 * and a crashed worker failing only its task and being replaced. No part of the pool is mocked; the crashing worker
 * is a real script that exits on one file name before the real worker sees the task.
 */
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { WorkerPool, TaskCancelled, WorkerCrashed, WARM_UP_RECORDS } from '../../../src/core/pool';
import { ParsePool } from '../../../src/core/local/pool';
import { hashGzipFile } from '../../../src/core/integrity/gzip-hash';
import { parseBytes } from '../../../src/core/records';
import { RecordTable } from '../../../src/core/table';
import { indexBytes } from '../../../src/core/table/indexer';
import { corpusDeliveredEvents } from '../../support/corpus-events';
import { repoRoot } from '../../support/paths';
import { crashyWorker } from '../../support/crashy-worker';

const workerScript = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');

describe('worker pool: task kinds on one pool', () => {
  let dir: string;
  let logs: string[] = [];
  /** Decompressed content of each log, to check hashes against an independent SHA-256. */
  const plain = new Map<string, Buffer>();
  let big: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-pool-'));
    const events = corpusDeliveredEvents();
    for (let i = 0; i < 6; i++) {
      const text = Buffer.from(JSON.stringify({ Records: events.slice(i * 5, i * 5 + 5 + i) }));
      const f = path.join(dir, `log${i}.json.gz`);
      fs.writeFileSync(f, gzipSync(text));
      plain.set(f, text);
      logs.push(f);
    }
    // A bigger gzip (a few MB decompressed), so a hash of it is still running when it is cancelled.
    const chunk = Buffer.from(JSON.stringify({ Records: events }));
    const parts: Buffer[] = [];
    for (let n = 0; n < 40; n++) parts.push(chunk);
    big = path.join(dir, 'big.json.gz');
    fs.writeFileSync(big, gzipSync(Buffer.concat(parts), { level: 1 }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('starts no worker until a task comes, and never more than its size', async () => {
    const pool = new WorkerPool(workerScript, 2);
    try {
      assert.equal(pool.workers, 0);
      const results = await Promise.all(logs.map((f) => pool.run({ kind: 'hash-file', path: f })));
      assert.ok(pool.workers >= 1 && pool.workers <= 2, `workers: ${pool.workers}`);
      for (let i = 0; i < logs.length; i++) {
        assert.equal(results[i].sha256, createHash('sha256').update(plain.get(logs[i])!).digest('hex'));
        assert.equal(results[i].uncompressed, plain.get(logs[i])!.length);
        assert.equal(results[i].size, fs.statSync(logs[i]).size);
        assert.equal(results[i].trailingBytes, 0);
      }
    } finally {
      pool.dispose();
    }
  });

  test('parse-file, hash-file and index-chunks share one pool and give what the in-thread routes give', async () => {
    const pool = new WorkerPool(workerScript, 2);
    try {
      const parsed = new ParsePool(pool);
      const events = corpusDeliveredEvents();
      const bytes = new TextEncoder().encode(JSON.stringify({ Records: [...events, ...events, ...events] }, null, 1));
      const one = new RecordTable();
      const two = new RecordTable();
      const shown: string[] = [];
      const [files, hashes] = await Promise.all([
        parsed.run(logs.map((f) => ({ name: path.basename(f), path: f }))),
        Promise.all(logs.map((f) => pool.run({ kind: 'hash-file', path: f }))),
        indexBytes(bytes, one, { sliceBytes: 4096 }),
        indexBytes(bytes, two, {
          sliceBytes: 4096,
          parallelFrom: 0,
          chunkBytes: Math.ceil(bytes.length / 5),
          chunkWorkers: pool,
          // This thread waits a little between slices so the worker gets its share of this small file.
          pause: () => new Promise<void>((r) => setTimeout(r, 1)),
          log: (m) => shown.push(m),
        }),
      ]);
      const expected = logs.flatMap((f) => parseBytes(fs.readFileSync(f)).records.map((r) => r.event));
      assert.deepEqual(files.events, expected);
      for (let i = 0; i < logs.length; i++) assert.deepEqual(hashes[i], await hashGzipFile(logs[i]));
      assert.equal(two.size, one.size);
      for (let i = 0; i < one.size; i++) assert.equal(two.recordText(i), one.recordText(i));
      assert.ok(shown.length > 0, 'the indexer says how the work was split');
      // The shared pool is still there for the next user (ParsePool does not own it).
      parsed.dispose();
      assert.equal((await pool.run({ kind: 'hash-file', path: logs[0] })).sha256, hashes[0].sha256);
    } finally {
      pool.dispose();
    }
  });

  test('cancel: a queued task never runs, a running hash stops; the pool goes on', async () => {
    const pool = new WorkerPool(workerScript, 1, 1);
    try {
      const first = new AbortController();
      const second = new AbortController();
      const running = pool.run({ kind: 'hash-file', path: big }, { signal: first.signal });
      const queued = pool.run({ kind: 'hash-file', path: logs[0] }, { signal: second.signal });
      second.abort();
      await assert.rejects(queued, TaskCancelled);
      first.abort();
      await assert.rejects(running, TaskCancelled);
      const after = await pool.run({ kind: 'hash-file', path: logs[1] });
      assert.equal(after.sha256, createHash('sha256').update(plain.get(logs[1])!).digest('hex'));
      // An already-aborted signal starts nothing.
      await assert.rejects(pool.run({ kind: 'hash-file', path: logs[1] }, { signal: AbortSignal.abort() }), TaskCancelled);
    } finally {
      pool.dispose();
    }
  });

  test('a worker that dies fails only its own task, with a clear message, and is replaced', async () => {
    const crashy = crashyWorker(dir, workerScript, "m.task.path && m.task.path.endsWith('boom.json.gz')");
    const boom = path.join(dir, 'boom.json.gz');
    fs.copyFileSync(logs[0], boom);
    const pool = new WorkerPool(crashy, 1, 1);
    try {
      const [a, b, c] = await Promise.allSettled([
        pool.run({ kind: 'hash-file', path: logs[0] }),
        pool.run({ kind: 'hash-file', path: boom }),
        pool.run({ kind: 'hash-file', path: logs[2] }),
      ]);
      assert.equal(a.status, 'fulfilled');
      assert.equal(b.status, 'rejected');
      assert.ok((b as PromiseRejectedResult).reason instanceof WorkerCrashed);
      assert.match(String((b as PromiseRejectedResult).reason.message), /worker failed: exited with code 3/);
      assert.equal(c.status, 'fulfilled');
      assert.equal((c as PromiseFulfilledResult<{ sha256?: string }>).value.sha256, createHash('sha256').update(plain.get(logs[2])!).digest('hex'));
    } finally {
      pool.dispose();
    }
  });

  test('a worker script that cannot start fails the task with the reason', async () => {
    const pool = new WorkerPool(path.join(dir, 'no-such-worker.js'), 1);
    try {
      await assert.rejects(pool.run({ kind: 'hash-file', path: logs[0] }), (e: Error) => e instanceof WorkerCrashed && /worker failed/.test(e.message));
    } finally {
      pool.dispose();
    }
  });

  test('the decompression cap holds in a hash-file task', async () => {
    const pool = new WorkerPool(workerScript, 1);
    try {
      const r = await pool.run({ kind: 'hash-file', path: logs[3], maxDecompressed: 100 });
      assert.equal(r.sha256, undefined);
      assert.match(r.error ?? '', /decompression limit/);
    } finally {
      pool.dispose();
    }
  });

  test('warmUp starts every worker, each parses the sample once per round, and real tasks queued meanwhile still run', async () => {
    const pool = new WorkerPool(workerScript, 2);
    try {
      const warming = pool.warmUp(2);
      assert.equal(pool.warmUp(2), warming, 'a second call while warming gives the same promise');
      // Queued behind the warm-up: must still get the same answer as in-thread.
      const hashed = pool.run({ kind: 'hash-file', path: logs[1] });
      const report = await warming;
      assert.equal(report.workers, 2, 'both workers warmed, one warm-up each');
      assert.equal(report.records, 2 * 2 * WARM_UP_RECORDS);
      assert.equal(pool.workers, 2);
      assert.equal((await hashed).sha256, createHash('sha256').update(plain.get(logs[1])!).digest('hex'));
      assert.equal(await pool.warmUp(), report, 'warmed once per set of workers');
      // New workers after terminate() are cold: the next call warms them.
      pool.terminate();
      assert.equal(pool.workers, 0);
      const again = await pool.warmUp(1);
      assert.notEqual(again, report);
      assert.deepEqual([again.workers, again.records], [2, 2 * WARM_UP_RECORDS]);
    } finally {
      pool.dispose();
    }
    await assert.rejects(pool.warmUp(), /disposed/);
  });

  test('a warm-up that cannot start fails with the reason, and a later call tries again', async () => {
    const pool = new WorkerPool(path.join(dir, 'no-such-worker.js'), 1);
    try {
      const first = pool.warmUp();
      await assert.rejects(first, (e: Error) => e instanceof WorkerCrashed);
      const second = pool.warmUp();
      assert.notEqual(second, first);
      await assert.rejects(second, (e: Error) => e instanceof WorkerCrashed);
    } finally {
      pool.dispose();
    }
  });
});
