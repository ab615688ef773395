/**
 * The Parquet cache (src/core/query/cache.ts) on real DuckDB: a cached query answers exactly what the uncached
 * route answers (every column, partition columns and "$path" included); a second query reuses every day folder;
 * adding, changing and removing files rebuilds only the folders concerned; a time-bounded query checks and reads
 * only the folders in range; a damaged manifest or a deleted Parquet file is rebuilt; the CLI's --cache-dir.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckQueryEngine } from '../../../src/core/query';
import { cacheDirFor, cacheSize } from '../../../src/core/query/cache';
import { main } from '../../../src/cli';
import { makeRecords, writeFixture, Rec } from './fixture';

let dir: string;
let cacheRoot: string;
let records: Rec[];

before(() => {
  records = makeRecords(300, 5);
  dir = writeFixture(records);
  cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-cache-'));
});
after(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(cacheRoot, { recursive: true, force: true });
});

const ALL = 'SELECT * EXCLUDE ("$path"), "$path" FROM cloudtrail ORDER BY eventid, "$path"';
const dayFolders = (root: string) => {
  const out = new Set<string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (/\.(json|jsonl)(\.gz)?$/.test(e.name)) out.add(d);
    }
  };
  walk(root);
  return out.size;
};

test('cached and uncached routes give the same rows; the second query reuses every folder', async () => {
  const engine = new DuckQueryEngine({ threads: 1, cacheDirectory: cacheRoot });
  try {
    const plain = await engine.query({ paths: [dir], sql: ALL, maxRows: 100_000 });
    const first = await engine.query({ paths: [dir], sql: ALL, maxRows: 100_000, cache: true });
    assert.deepEqual(first.columns, plain.columns);
    assert.deepEqual(first.rows, plain.rows);
    assert.equal(first.rows.length, records.length);
    const folders = dayFolders(dir);
    assert.deepEqual(first.cache, { groupsReused: 0, groupsBuilt: folders, groupsRemoved: 0 });
    const second = await engine.query({ paths: [dir], sql: ALL, maxRows: 100_000, cache: true });
    assert.deepEqual(second.rows, plain.rows);
    assert.deepEqual(second.cache, { groupsReused: folders, groupsBuilt: 0, groupsRemoved: 0 });
    assert.equal(second.filesRead, plain.filesRead);
    const size = await cacheSize(cacheRoot);
    assert.equal(size.folders, 1);
    assert.ok(size.bytes > 0);
  } finally {
    engine.close();
  }
});

test('files added, changed or removed rebuild only their folders; time-bounded queries read only folders in range', async () => {
  const engine = new DuckQueryEngine({ threads: 1, cacheDirectory: cacheRoot });
  const count = async (sql = 'SELECT count(*) FROM cloudtrail') => {
    const r = await engine.query({ paths: [dir], sql, cache: true });
    return { n: Number(r.rows[0][0]), cache: r.cache!, r };
  };
  try {
    await count();
    // A new day folder with one file.
    const A = '111122223333';
    const newDay = path.join(dir, 'AWSLogs', A, 'CloudTrail', 'us-east-1', '2024', '04', '01');
    fs.mkdirSync(newDay, { recursive: true });
    const extra = [{ ...records[0], eventID: 'added-1', eventTime: '2024-04-01T10:00:00Z' }, { ...records[1], eventID: 'added-2', eventTime: '2024-04-01T10:01:00Z' }];
    const file = path.join(newDay, `${A}_CloudTrail_us-east-1_20240401T1005Z_Added.json.gz`);
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: extra })));
    let c = await count();
    assert.equal(c.n, records.length + 2);
    assert.equal(c.cache.groupsBuilt, 1);
    // Changed: the same file now holds one record (new size and modification time).
    fs.writeFileSync(file, gzipSync(JSON.stringify({ Records: extra.slice(0, 1) })));
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    c = await count();
    assert.equal(c.n, records.length + 1);
    assert.equal(c.cache.groupsBuilt, 1);
    // A time-bounded query touches only that day's folder.
    c = await count("SELECT count(*) FROM cloudtrail WHERE eventtime >= '2024-04-01T00:00:00Z' AND eventtime < '2024-04-02T00:00:00Z'");
    assert.equal(c.n, 1);
    // That day's file, plus the JSON Lines export (no delivery stamp in its name: always read, as uncached).
    assert.equal(c.r.filesRead, 2);
    assert.deepEqual(c.cache, { groupsReused: 2, groupsBuilt: 0, groupsRemoved: 0 });
    assert.ok((c.r.filesSkipped ?? 0) > 0);
    // Removed: its folder's Parquet file goes.
    fs.rmSync(newDay, { recursive: true });
    c = await count();
    assert.equal(c.n, records.length);
    assert.equal(c.cache.groupsRemoved, 1);
    assert.equal(c.cache.groupsBuilt, 0);
    const cdir = cacheDirFor(cacheRoot, dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(cdir, 'manifest.json'), 'utf8')) as { groups: Record<string, { parquet: string }> };
    const parquetFiles = fs.readdirSync(cdir).filter((f) => f.endsWith('.parquet')).sort();
    assert.deepEqual(parquetFiles, Object.values(manifest.groups).map((g) => g.parquet).sort());
    // A Parquet file deleted by hand, and then a damaged manifest, are rebuilt.
    fs.rmSync(path.join(cdir, parquetFiles[0]));
    c = await count();
    assert.equal(c.n, records.length);
    assert.equal(c.cache.groupsBuilt, 1);
    fs.writeFileSync(path.join(cdir, 'manifest.json'), '{"schema": 1, "gro');
    c = await count();
    assert.equal(c.n, records.length);
    assert.equal(c.cache.groupsBuilt, dayFolders(dir));
  } finally {
    engine.close();
  }
});

test('CLI: --cache-dir builds the cache, and the answer matches the uncached one', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-cache-cli-'));
  try {
    const run = async (args: string[]) => {
      let out = '';
      let err = '';
      const code = await main(['query', dir, ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: process.cwd() });
      return { code, out, err };
    };
    const sql = ['--sql', 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY 1 ORDER BY 1', '--format', 'csv'];
    const plain = await run(sql);
    const cached = await run([...sql, '--cache-dir', root]);
    assert.equal(cached.code, 0, cached.err);
    assert.equal(cached.out, plain.out);
    assert.match(cached.err, /cache: 0 reused, [1-9]\d* built/);
    assert.ok(fs.readdirSync(root).length === 1);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
