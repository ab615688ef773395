/**
 * Query benchmark (figures, not a timed test; ratios are against a baseline measured in the same run):
 *   (a) `SELECT eventname, count(*) … GROUP BY eventname` on embedded DuckDB over a generated AWSLogs folder of
 *       .json.gz files, against (b) `find … | xargs zcat | jq -r '.Records[].eventName' | sort | uniq -c`
 *       computing the same counts (checked equal); goal ≥ 3×.
 *   (c) a one-day query over a year-long layout: how many files were read (must be only that day's).
 *   Peak RSS of this process (DuckDB runs in-process here) is printed, with the memory limit used.
 *   (d) the same GROUP BY through the Parquet cache (cache.ts): the build (first cached query) and a second
 *       cached query, against the uncached DuckDB route of (a) measured in the same run; goal ≥ 30×.
 *
 * Run: `npm run bench -- query`, or `npx tsc -p . && node build/test/bench/query.bench.js`.
 * Env: QUERY_BENCH_MB (uncompressed size of the folder, default 200; the figure is 1024),
 *      QUERY_BENCH_MEMORY (DuckDB memory limit, default 1GB), QUERY_BENCH_THREADS (default: all cores).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import { DuckQueryEngine } from '../../src/core/query';
import { makeRecords } from '../unit/query/fixture';
import { repoRoot } from '../support/paths';

const MB = Number(process.env.QUERY_BENCH_MB ?? 200);
const MEMORY = process.env.QUERY_BENCH_MEMORY ?? '1GB';
const THREADS = process.env.QUERY_BENCH_THREADS ? Number(process.env.QUERY_BENCH_THREADS) : undefined;
const dataRoot = path.join(repoRoot, 'test', 'bench', '.data');
const ACCOUNT = '111122223333';

/** ~MB of uncompressed JSON in files of ~2 MB, one folder per day; reused by later runs. */
function makeFolder(): { dir: string; bytes: number; files: number } {
  const dir = path.join(dataRoot, `query-${MB}mb`);
  const marker = `${dir}.done.json`;
  if (fs.existsSync(marker)) return JSON.parse(fs.readFileSync(marker, 'utf8'));
  fs.rmSync(dir, { recursive: true, force: true });
  const sample = makeRecords(2000, 3);
  const per = 2500;
  let bytes = 0;
  let files = 0;
  let seq = 0;
  while (bytes < MB * 1024 * 1024) {
    const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(files / 24) * 86400_000);
    const y = day.getUTCFullYear();
    const mo = String(day.getUTCMonth() + 1).padStart(2, '0');
    const d = String(day.getUTCDate()).padStart(2, '0');
    const hh = String(files % 24).padStart(2, '0');
    const recs = Array.from({ length: per }, (_, i) => ({ ...sample[(seq + i) % sample.length], eventTime: `${y}-${mo}-${d}T${hh}:00:${String(i % 60).padStart(2, '0')}Z`, eventID: `b-${seq + i}` }));
    seq += per;
    const text = JSON.stringify({ Records: recs });
    bytes += text.length;
    const folder = path.join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', String(y), mo, d);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_${y}${mo}${d}T${hh}05Z_bench${files}.json.gz`), gzipSync(text));
    files++;
  }
  const info = { dir, bytes, files };
  fs.writeFileSync(marker, JSON.stringify(info));
  return info;
}

/** 365 days × 4 small files; reused by later runs. */
function makeYear(): string {
  const dir = path.join(dataRoot, 'query-year');
  if (fs.existsSync(`${dir}.done`)) return dir;
  const sample = makeRecords(50, 5);
  for (let day = 0; day < 365; day++) {
    const t = new Date(Date.UTC(2023, 0, 1) + day * 86400_000);
    const y = t.getUTCFullYear();
    const mo = String(t.getUTCMonth() + 1).padStart(2, '0');
    const d = String(t.getUTCDate()).padStart(2, '0');
    const folder = path.join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'eu-west-1', String(y), mo, d);
    fs.mkdirSync(folder, { recursive: true });
    for (let h = 0; h < 4; h++) {
      const hh = String(h * 6).padStart(2, '0');
      const recs = sample.map((r, i) => ({ ...r, eventTime: `${y}-${mo}-${d}T${hh}:${String(i % 60).padStart(2, '0')}:00Z`, eventID: `y-${day}-${h}-${i}` }));
      fs.writeFileSync(path.join(folder, `${ACCOUNT}_CloudTrail_eu-west-1_${y}${mo}${d}T${hh}10Z_year${h}.json.gz`), gzipSync(JSON.stringify({ Records: recs })));
    }
  }
  fs.writeFileSync(`${dir}.done`, '');
  return dir;
}

async function main() {
  const t0 = performance.now();
  const folder = makeFolder();
  console.log(`folder: ${folder.files} files, ${(folder.bytes / 1048576).toFixed(0)} MB uncompressed (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  const engine = new DuckQueryEngine({ memoryLimit: MEMORY, threads: THREADS });
  const q0 = performance.now();
  const r = await engine.query({ paths: [folder.dir], sql: 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY eventname ORDER BY eventname', maxRows: 100_000 });
  const duckMs = performance.now() - q0;
  const duck = new Map(r.rows.map((row) => [String(row[0]), Number(row[1])]));

  const j0 = performance.now();
  const sh = spawnSync('sh', ['-c', `find "${folder.dir}" -name '*.json.gz' -print0 | xargs -0 zcat | jq -r '.Records[].eventName' | sort | uniq -c`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const jqMs = performance.now() - j0;
  assert.equal(sh.status, 0, sh.stderr);
  const jq = new Map(
    sh.stdout
      .trim()
      .split('\n')
      .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l)!)
      .map((m) => [m[2], Number(m[1])] as [string, number]),
  );
  assert.deepEqual([...duck].sort(), [...jq].sort(), 'DuckDB and jq counted the same');
  console.log(`GROUP BY eventname: DuckDB ${(duckMs / 1000).toFixed(2)} s (${r.filesRead} files) · zcat|jq ${(jqMs / 1000).toFixed(2)} s · ratio ${(jqMs / duckMs).toFixed(1)}× (goal ≥ 3×)`);

  const cacheDir = path.join(dataRoot, `query-cache-${MB}mb`);
  fs.rmSync(cacheDir, { recursive: true, force: true });
  const cached = new DuckQueryEngine({ memoryLimit: MEMORY, threads: THREADS, cacheDirectory: cacheDir });
  const sql = 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY eventname ORDER BY eventname';
  const b0 = performance.now();
  const built = await cached.query({ paths: [folder.dir], sql, maxRows: 100_000, cache: true });
  const buildMs = performance.now() - b0;
  const c0 = performance.now();
  const hit = await cached.query({ paths: [folder.dir], sql, maxRows: 100_000, cache: true });
  const hitMs = performance.now() - c0;
  cached.close();
  assert.deepEqual(hit.rows, r.rows, 'the cache answers what the JSON files answer');
  assert.deepEqual(built.rows, r.rows);
  assert.equal(hit.cache?.groupsBuilt, 0);
  let cacheBytes = 0;
  for (const d of fs.readdirSync(cacheDir)) for (const f of fs.readdirSync(path.join(cacheDir, d))) cacheBytes += fs.statSync(path.join(cacheDir, d, f)).size;
  const gzBytes = spawnSync('du', ['-sb', folder.dir], { encoding: 'utf8' }).stdout.split('\t')[0];
  console.log(`Parquet cache: build ${(buildMs / 1000).toFixed(2)} s (${built.cache?.groupsBuilt} day folders), cached query ${(hitMs / 1000).toFixed(3)} s · ratio vs uncached DuckDB ${(duckMs / hitMs).toFixed(1)}× (goal ≥ 30×) · vs zcat|jq ${(jqMs / hitMs).toFixed(1)}× · cache ${(cacheBytes / 1048576).toFixed(1)} MB on disk (logs: ${(Number(gzBytes) / 1048576).toFixed(1)} MB gzip)`);

  const year = makeYear();
  const y = await engine.query({ paths: [year], sql: "SELECT count(*) FROM cloudtrail WHERE eventtime >= '2023-06-15T00:00:00Z' AND eventtime < '2023-06-16T00:00:00Z'" });
  const dayFiles = fs.readdirSync(path.join(year, 'AWSLogs', ACCOUNT, 'CloudTrail', 'eu-west-1', '2023', '06', '15')).length;
  // The range also keeps files delivered up to 2 hours after its end (here: the next day's 00:10 file), since a
  // file can hold events from up to ~15 minutes (rarely more) before its delivery stamp.
  console.log(`one day of a year layout: read ${y.filesRead} files (that day has ${dayFiles}, + the next day's 00:10 delivery), skipped ${y.filesSkipped} of ${365 * 4}; ${y.rows[0][0]} events`);
  assert.equal(y.filesRead, dayFiles + 1, 'only that day\'s files (and the one delivered just after) are read');
  engine.close();
  console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (DuckDB memory limit ${MEMORY}, in this process)`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
