// Integrity validation with hashing on the worker pool (real worker threads running the tsc-compiled
// build/src/workers/pool.js) against the in-thread route, on a chain signed here as CloudTrail signs one and then
// tampered with: both routes must give the same report, and that report must be the right one.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { validateFolder, type ValidationReport } from '../../../src/core/integrity';
import { hashGzipFile } from '../../../src/core/integrity/gzip-hash';
import { WorkerPool } from '../../../src/core/pool';
import { writeChain, type ChainFixture } from '../../support/integrity-fixtures';
import { repoRoot } from '../../support/paths';

const workerScript = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');

const failures = (r: ValidationReport) =>
  r.files
    .filter((f) => f.verdict !== 'valid')
    .map((f) => [f.path, f.verdict])
    .sort();

describe('integrity: hashing on the worker pool', () => {
  let dir = '';
  let fx: ChainFixture;
  let pool: WorkerPool;
  /** Every kind of damage a log file can carry, one per file, with the verdict it must get. */
  const expected: [string, string][] = [];

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-integrity-pool-'));
    fx = writeChain(dir, { hours: 6, logsPerHour: 3, recordsPerLog: 40 });
    pool = new WorkerPool(workerScript, 2);
    const abs = (rel: string) => path.join(dir, rel);
    // Edited content.
    const edited = fx.logs[0][0];
    fs.writeFileSync(abs(edited), gzipSync(gunzipSync(fs.readFileSync(abs(edited))).toString('utf8').replace('198.51.100.3', '203.0.113.3')));
    expected.push([edited, 'modified']);
    // Extra data after the gzip stream (content hash still matches).
    const trailing = fx.logs[1][0];
    fs.appendFileSync(abs(trailing), gzipSync('{"Records":[{"eventName":"Hidden"}]}'));
    expected.push([trailing, 'modified']);
    // Cut short (no trailer, no end of the deflate stream).
    const cut = fx.logs[2][0];
    const bytes = fs.readFileSync(abs(cut));
    fs.writeFileSync(abs(cut), bytes.subarray(0, Math.floor(bytes.length / 2)));
    expected.push([cut, 'unreadable']);
    // Not gzip at all.
    const plain = fx.logs[2][1];
    fs.writeFileSync(abs(plain), '{"Records":[]}');
    expected.push([plain, 'unreadable']);
    // Empty.
    const empty = fx.logs[3][0];
    fs.writeFileSync(abs(empty), '');
    expected.push([empty, 'unreadable']);
    // Deleted, and one that no digest lists.
    fs.rmSync(abs(fx.logs[4][0]));
    expected.push([fx.logs[4][0], 'missing']);
    const extra = fx.logs[5][0].replace(/_Abc\d+\.json\.gz$/, '_Forged0000000000.json.gz');
    fs.writeFileSync(abs(extra), gzipSync('{"Records":[]}'));
    expected.push([extra, 'not-listed']);
    expected.sort();
  });
  after(() => {
    pool.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the pool route and the in-thread route give the same report, and it names every damaged file', async () => {
    const onPool = await validateFolder(dir, { pool });
    const inThread = await validateFolder(dir);
    assert.deepEqual(failures(onPool), expected);
    // Same verdicts and reasons file by file (sizes, hashes, messages), and the same summary.
    assert.deepEqual(onPool.files, inThread.files);
    assert.deepEqual(onPool.summary, inThread.summary);
    assert.ok(pool.workers > 0, 'the pool started workers');
  });

  test('a hash-file task returns what hashGzipFile returns: digest, sizes, trailing bytes, errors', async () => {
    const files = [...fx.logs.flat(), ...fx.digests].map((rel) => path.join(dir, rel)).filter((f) => fs.existsSync(f));
    for (const file of files) {
      const here = await hashGzipFile(file);
      const there = await pool.run({ kind: 'hash-file', path: file });
      assert.deepEqual(there, here, file);
    }
    // An untouched log: the digest is the SHA-256 of its decompressed bytes.
    const good = path.join(dir, fx.logs[1][1]);
    const r = await pool.run({ kind: 'hash-file', path: good });
    assert.equal(r.sha256, createHash('sha256').update(gunzipSync(fs.readFileSync(good))).digest('hex'));
    assert.equal(r.size, fs.statSync(good).size);
    assert.equal(r.trailingBytes, 0);
    const trailing = await pool.run({ kind: 'hash-file', path: path.join(dir, fx.logs[1][0]) });
    assert.ok(trailing.trailingBytes > 0);
    const missing = await pool.run({ kind: 'hash-file', path: path.join(dir, 'no-such-file.json.gz') });
    assert.match(missing.error ?? '', /cannot read/);
  });

  test('the decompression cap holds in the worker as in the thread', async () => {
    const file = path.join(dir, fx.logs[1][1]);
    const cap = 1000;
    const here = await hashGzipFile(file, undefined, cap);
    const there = await pool.run({ kind: 'hash-file', path: file, maxDecompressed: cap });
    assert.match(there.error ?? '', /decompression limit/);
    assert.equal(there.sha256, undefined);
    assert.deepEqual(there, here);
  });

  test('a cancelled validation on the pool stops with ValidationCancelled', async () => {
    const ac = new AbortController();
    const run = validateFolder(dir, {
      pool,
      signal: ac.signal,
      onProgress: (done) => {
        if (done >= 1) ac.abort();
      },
    });
    await assert.rejects(run, /cancelled/);
  });
});
