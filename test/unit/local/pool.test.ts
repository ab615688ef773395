// The pool runs real worker threads (the tsc-compiled build/src/workers/pool.js) over real files.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { ParsePool, type PoolJob } from '../../../src/core/local/pool';
import { parseBytes, parseText, LosslessNumber } from '../../../src/core/records';
import { corpusFiles, repoRoot } from '../../support/paths';
import { crashyWorker } from '../../support/crashy-worker';

const workerScript = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');

/** Records of the corpus, read with JSON.parse (independent of the code under test). */
function corpusRecords(): object[] {
  const out: object[] = [];
  for (const f of corpusFiles()) {
    if (!f.includes('stratus-red-team')) continue;
    const v = JSON.parse(fs.readFileSync(f, 'utf8'));
    if (Array.isArray(v)) out.push(...v);
  }
  return out;
}

describe('parse pool', () => {
  let dir: string;
  let files: string[] = [];
  /** Expected number of records per good file, computed with zlib + JSON.parse. */
  const expectedCounts = new Map<string, number>();
  let broken: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-pool-'));
    const records = corpusRecords();
    assert.ok(records.length > 100, 'corpus available');
    for (let i = 0; i < 40; i++) {
      const chunk = records.slice((i * 7) % records.length, ((i * 7) % records.length) + 3 + (i % 9));
      const p = path.join(dir, `f${String(i).padStart(3, '0')}.json.gz`);
      fs.writeFileSync(p, gzipSync(Buffer.from(JSON.stringify({ Records: chunk }))));
      files.push(p);
      expectedCounts.set(p, chunk.length);
    }
    // One plain (not gzipped) JSON Lines file too.
    const jl = path.join(dir, 'lines.jsonl');
    fs.writeFileSync(jl, records.slice(0, 5).map((r) => JSON.stringify(r)).join('\n') + '\n');
    files.push(jl);
    expectedCounts.set(jl, 5);
    // A gzip cut in half, placed among the good ones.
    const whole = gzipSync(Buffer.from(JSON.stringify({ Records: records.slice(0, 50) })));
    broken = path.join(dir, 'f019b-broken.json.gz');
    fs.writeFileSync(broken, whole.subarray(0, Math.floor(whole.length / 2)));
    files = [...files.slice(0, 20), broken, ...files.slice(20)];
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('workers return the same events as parseBytes in-process, in job order', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const progress: number[] = [];
      const r = await pool.run(
        files.map((p) => ({ name: path.basename(p), path: p })),
        { onProgress: (done) => progress.push(done) },
      );
      const expected = files.flatMap((p) => parseBytes(fs.readFileSync(p), p).records.map((x) => x.event));
      assert.deepEqual(r.events, expected);
      assert.equal(r.cancelled, false);
      assert.equal(r.truncated, false);
      assert.equal(progress.length, files.length);
      assert.equal(progress[progress.length - 1], files.length);
      // Independent check of the good files' counts.
      for (const [i, p] of files.entries()) {
        if (p === broken) continue;
        assert.equal(r.files[i].recordCount, expectedCounts.get(p), p);
        assert.equal(r.files[i].error, undefined);
      }
    } finally {
      pool.dispose();
    }
  });

  test('bytes handed over by the caller (remote file systems) give the same result', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const jobs: PoolJob[] = files.map((p) => ({ name: path.basename(p), read: async () => new Uint8Array(fs.readFileSync(p)) }));
      const viaBytes = await pool.run(jobs);
      const viaPath = await pool.run(files.map((p) => ({ name: path.basename(p), path: p })));
      assert.deepEqual(viaBytes.events, viaPath.events);
      assert.ok(viaBytes.events.length > 0);
    } finally {
      pool.dispose();
    }
  });

  test('a broken gzip among good files is reported and the rest still load', async () => {
    const pool = new ParsePool(workerScript);
    try {
      const r = await pool.run(files.map((p) => ({ name: path.basename(p), path: p })));
      const bad = r.files[files.indexOf(broken)];
      assert.ok(
        bad.error !== undefined || bad.problems.some((p) => p.severity === 'error'),
        'the truncated file carries an error',
      );
      const good = [...expectedCounts.values()].reduce((a, b) => a + b, 0);
      // Everything from the good files is there (plus whatever the parser salvaged before the damage).
      assert.ok(r.events.length >= good, `${r.events.length} >= ${good}`);
      assert.ok(r.events.length < good + 50);
      assert.equal(r.files.filter((f) => f.error !== undefined).length, 0, 'damage is a problem, not a crash');
    } finally {
      pool.dispose();
    }
  });

  test('unreadable files fail alone', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const jobs: PoolJob[] = [
        { name: 'missing', path: path.join(dir, 'does-not-exist.json.gz') },
        { name: 'good', path: files[0] },
        { name: 'read-fails', read: async () => { throw new Error('network gone'); } },
      ];
      const r = await pool.run(jobs);
      assert.match(r.files[0].error ?? '', /ENOENT|no such file/);
      assert.equal(r.files[1].recordCount, expectedCounts.get(files[0]));
      assert.match(r.files[2].error ?? '', /network gone/);
      assert.equal(r.events.length, expectedCounts.get(files[0]));
    } finally {
      pool.dispose();
    }
  });

  test('cancel stops the run and terminates the workers; the pool works again afterwards', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      // Many jobs, so there is plenty left when we cancel.
      const many = Array.from({ length: 400 }, (_, i) => ({ name: `j${i}`, path: files[i % files.length] }));
      const abort = new AbortController();
      const r = await pool.run(many, {
        signal: abort.signal,
        onProgress: (done) => {
          if (done === 5) abort.abort();
        },
      });
      assert.equal(r.cancelled, true);
      const skipped = r.files.filter((f) => f.skipped).length;
      assert.ok(skipped > 300, `most jobs skipped (${skipped})`);
      const again = await pool.run([{ name: 'x', path: files[0] }]);
      assert.equal(again.events.length, expectedCounts.get(files[0]));
      assert.equal(again.cancelled, false);
    } finally {
      pool.dispose();
    }
  });

  test('already-aborted signal parses nothing', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const abort = new AbortController();
      abort.abort();
      const r = await pool.run([{ name: 'x', path: files[0] }], { signal: abort.signal });
      assert.equal(r.cancelled, true);
      assert.equal(r.events.length, 0);
    } finally {
      pool.dispose();
    }
  });

  test('the record cap truncates and says so', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const r = await pool.run(files.map((p) => ({ name: path.basename(p), path: p })), { maxRecords: 25 });
      assert.equal(r.events.length, 25);
      assert.equal(r.truncated, true);
      const expected = files.flatMap((p) => parseBytes(fs.readFileSync(p)).records.map((x) => x.event)).slice(0, 25);
      // The cap keeps a prefix in file order (files completed out of order do not leave gaps before it).
      assert.deepEqual(r.events.slice(0, expectedCounts.get(files[0])), expected.slice(0, expectedCounts.get(files[0])));
    } finally {
      pool.dispose();
    }
  });

  test('a worker script that cannot start rejects the run with a clear message instead of failing file by file', async () => {
    const pool = new ParsePool(path.join(dir, 'no-such-worker.js'), 2);
    try {
      await assert.rejects(
        pool.run(files.map((p) => ({ name: path.basename(p), path: p }))),
        /parse workers could not start/,
      );
    } finally {
      pool.dispose();
    }
  });

  test('a worker that crashes mid-file fails only its files; others continue', async () => {
    // A real worker script that dies on one particular file name (no mock of the pool itself).
    const crashy = crashyWorker(dir, workerScript, "m.task.parse?.name === 'boom'");
    const pool = new ParsePool(crashy, 1);
    try {
      const r = await pool.run([
        { name: 'a', path: files[0] },
        { name: 'boom', path: files[1] },
        { name: 'c', path: files[2] },
        { name: 'd', path: files[3] },
      ]);
      assert.match(r.files[1].error ?? '', /parse worker failed: exited with code 3/);
      assert.equal(r.files[3].recordCount, expectedCounts.get(files[3]));
      assert.ok(r.files[0].recordCount > 0 || r.files[0].error !== undefined, 'a file in flight on the dying worker is answered or reported');
    } finally {
      pool.dispose();
    }
  });

  /** The records of a good file, read with zlib + JSON.parse (independent of the code under test). */
  const fileRecords = (p: string): unknown[] => {
    const raw = fs.readFileSync(p);
    const text = (p.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    return p.endsWith('.jsonl') ? text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l)) : JSON.parse(text).Records;
  };

  test('asText: one {"Records":[…]} text with every record of the files, in job order, and no event objects', async () => {
    const good = files.filter((p) => p !== broken);
    const pool = new ParsePool(workerScript, 2);
    try {
      const r = await pool.run(good.map((p) => ({ name: path.basename(p), path: p })), { asText: true });
      assert.equal(r.events.length, 0);
      assert.ok(r.text !== undefined);
      const expected = good.flatMap(fileRecords);
      assert.equal(r.kept, expected.length);
      assert.deepEqual(JSON.parse(r.text).Records, expected);
      // The same text whether the workers read the files or are handed the bytes (remote folders).
      const viaBytes = await pool.run(good.map((p) => ({ name: path.basename(p), read: async () => new Uint8Array(fs.readFileSync(p)) })), { asText: true });
      assert.equal(viaBytes.text, r.text);
      // And the viewer's parser reads it back as a log without problems.
      const back = parseText(r.text);
      assert.equal(back.kind, 'log');
      assert.equal(back.records.length, expected.length);
      assert.deepEqual(back.problems, []);
    } finally {
      pool.dispose();
    }
  });

  test('asText: a broken gzip is reported, its salvaged records are still valid JSON in the text', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const r = await pool.run(files.map((p) => ({ name: path.basename(p), path: p })), { asText: true });
      const bad = r.files[files.indexOf(broken)];
      assert.ok(bad.problems.some((p) => p.severity === 'error'));
      const records = JSON.parse(r.text!).Records as unknown[];
      assert.equal(records.length, r.kept);
      assert.equal(records.length, r.recordsSeen);
      const good = [...expectedCounts.values()].reduce((a, b) => a + b, 0);
      assert.ok(records.length >= good && records.length < good + 50);
    } finally {
      pool.dispose();
    }
  });

  test('asText: the record cap cuts between records, keeping a prefix in file order', async () => {
    const pool = new ParsePool(workerScript, 2);
    try {
      const r = await pool.run(files.map((p) => ({ name: path.basename(p), path: p })), { maxRecords: 25, asText: true });
      assert.equal(r.truncated, true);
      assert.equal(r.kept, 25);
      const records = JSON.parse(r.text!).Records as unknown[];
      assert.equal(records.length, 25);
      assert.deepEqual(records, files.slice(0, 6).flatMap(fileRecords).slice(0, 25));
    } finally {
      pool.dispose();
    }
  });

  test('asText: a size limit on the text also cuts between records and says so', async () => {
    const good = files.filter((p) => p !== broken).slice(0, 5);
    const records = good.flatMap(fileRecords).map((r) => JSON.stringify(r));
    // Room for the first 7 records (joined by ",\n") but not the 8th.
    const limit = records.slice(0, 7).join(',\n').length + 2 + Math.floor(records[7].length / 2);
    const pool = new ParsePool(workerScript, 2);
    try {
      const r = await pool.run(good.map((p) => ({ name: path.basename(p), path: p })), { asText: true, maxTextChars: limit });
      assert.equal(r.truncated, true);
      assert.equal(r.kept, 7);
      assert.deepEqual(JSON.parse(r.text!).Records, good.flatMap(fileRecords).slice(0, 7));
    } finally {
      pool.dispose();
    }
  });

  test('asText: big numbers keep their digits and __proto__ stays a plain key', async () => {
    const p = path.join(dir, 'big-text.json.gz');
    const rec = '{"eventVersion":"1.08","eventName":"X","eventTime":"2024-01-01T00:00:00Z","requestParameters":{"big":12345678901234567890,"__proto__":{"polluted":true}}}';
    fs.writeFileSync(p, gzipSync(`{"Records":[${rec}]}`));
    const pool = new ParsePool(workerScript, 1);
    try {
      const r = await pool.run([{ name: 'big-text.json.gz', path: p }], { asText: true });
      assert.ok(r.text!.includes(rec), 'the record is handed on exactly as the file has it');
      const ev = parseText(r.text!).records[0].event;
      const rp = ev.requestParameters as Record<string, unknown>;
      assert.ok(rp.big instanceof LosslessNumber);
      assert.equal(String(rp.big), '12345678901234567890');
      assert.ok(Object.prototype.hasOwnProperty.call(rp, '__proto__'));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
    } finally {
      pool.dispose();
    }
  });

  test('numbers beyond 2^53 come back as LosslessNumber', async () => {
    const p = path.join(dir, 'big.json');
    fs.writeFileSync(p, '{"Records":[{"eventVersion":"1.08","eventName":"X","eventTime":"2024-01-01T00:00:00Z","requestParameters":{"big":12345678901234567890,"list":[1,98765432109876543210],"fake":{"isLosslessNumber":true,"text":"7"},"__proto__":{"polluted":true}}}]}');
    const pool = new ParsePool(workerScript, 1);
    try {
      const r = await pool.run([{ name: 'big.json', path: p }]);
      const rp = r.events[0].requestParameters as Record<string, unknown>;
      assert.ok(rp.big instanceof LosslessNumber);
      assert.equal(String(rp.big), '12345678901234567890');
      const list = rp.list as unknown[];
      assert.equal(list[0], 1);
      assert.ok(list[1] instanceof LosslessNumber);
      assert.equal(String(list[1]), '98765432109876543210');
      // Look-alike data stays data, and a "__proto__" key is an own property, not a prototype.
      assert.ok(!(rp.fake instanceof LosslessNumber));
      assert.deepEqual({ ...(rp.fake as object) }, { isLosslessNumber: true, text: '7' });
      assert.ok(Object.prototype.hasOwnProperty.call(rp, '__proto__'));
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal((rp as Record<string, unknown>).polluted, undefined);
    } finally {
      pool.dispose();
    }
  });
});
