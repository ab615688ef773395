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
 *   CPU time of both routes is printed too (DuckDB: this process; zcat|jq: the shell's children), since wall-clock
 *   ratios on a shared machine depend on what else runs.
 *   (e) opt-in, QUERY_BENCH_GB=10: the GROUP BY over ~10 GB of uncompressed JSON through the query worker process the
 *       extension forks (out/worker-query.js), with the memory limit QUERY_BENCH_MEMORY (default 512MB there); prints
 *       the worker's peak RSS (VmHWM) against the limit. The folder is the 1 GB folder's .json.gz files hard-linked
 *       under other days and names (no extra disk space, no gzip time), and is removed afterwards.
 *
 * Run: `npm run bench -- query`, or `npx tsc -p . && node build/test/bench/query.bench.js`.
 * Env: QUERY_BENCH_MB (uncompressed size of the folder, default 200; the issue's figure is 1024),
 *      QUERY_BENCH_MEMORY (DuckDB memory limit, default 1GB), QUERY_BENCH_THREADS (default: all cores),
 *      QUERY_BENCH_GB (run only (e) over this many GB, e.g. 10).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import assert from 'node:assert/strict';
import { DuckQueryEngine } from '../../src/core/query';
import { QueryWorkerClient } from '../../src/core/query/client';
import { makeRecords } from '../unit/query/fixture';
import { repoRoot } from '../support/paths';

const GB = Number(process.env.QUERY_BENCH_GB ?? 0);
const MB = GB > 0 ? 1024 : Number(process.env.QUERY_BENCH_MB ?? 200);
const MEMORY = process.env.QUERY_BENCH_MEMORY ?? (GB > 0 ? '512MB' : '1GB');
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

/** Sum of the children's user and system time from `times` output ("0m1.23s 0m0.45s" per line; the 2nd line). */
function cpuOfTimes(text: string): number {
  const lines = text.trim().split('\n');
  const line = lines[lines.length - 1] ?? '';
  let ms = 0;
  for (const m of line.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return ms;
}

/** Peak resident set size of a process (Linux: VmHWM in /proc), in MB; undefined where not available. */
function peakRssMb(pid: number | undefined): number | undefined {
  if (!pid) return undefined;
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** (e): ~GB of uncompressed JSON (the 1 GB folder's files hard-linked under other days), queried through the worker. */
async function bigRun(base: { dir: string; bytes: number; files: number }) {
  const dir = path.join(dataRoot, `query-${GB}gb`);
  fs.rmSync(dir, { recursive: true, force: true });
  const copies = Math.max(1, Math.round((GB * 1024) / (base.bytes / 1048576)));
  const srcFiles: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(path.join(d, e.name));
      else if (e.name.endsWith('.json.gz')) srcFiles.push(path.join(d, e.name));
    }
  };
  walk(base.dir);
  const baseDays = new Set(srcFiles.map((f) => /_(\d{8})T/.exec(f)![1])).size;
  let files = 0;
  for (let k = 0; k < copies; k++) {
    for (const f of srcFiles) {
      // Copy k lives k × (days of the base folder) days later: every file has its own name, day folder and stamp.
      const m = /_(\d{4})(\d{2})(\d{2})T(\d{4}Z)_bench(\d+)\.json\.gz$/.exec(f)!;
      const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + k * baseDays * 86400_000);
      const y = day.getUTCFullYear();
      const mo = String(day.getUTCMonth() + 1).padStart(2, '0');
      const d = String(day.getUTCDate()).padStart(2, '0');
      const folder = path.join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'us-east-1', String(y), mo, d);
      fs.mkdirSync(folder, { recursive: true });
      fs.linkSync(f, path.join(folder, `${ACCOUNT}_CloudTrail_us-east-1_${y}${mo}${d}T${m[4]}_bench${m[5]}c${k}.json.gz`));
      files++;
    }
  }
  const bytes = base.bytes * copies;
  console.log(`${GB} GB run: ${files} files (${copies} × the 1 GB folder's files, hard-linked under other days), ${(bytes / 1073741824).toFixed(1)} GB uncompressed`);
  const built = path.join(repoRoot, 'out', 'worker-query.js');
  const worker = fs.existsSync(built) ? built : path.join(repoRoot, 'build', 'src', 'workers', 'query.js');
  const client = new QueryWorkerClient(worker);
  const tempDir = path.join(dataRoot, 'query-big-temp');
  try {
    const sql = 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY eventname ORDER BY eventname';
    const t0 = performance.now();
    const r = await client.run({ paths: [dir], sql, maxRows: 100_000 }, { memoryLimit: MEMORY, threads: THREADS, tempDirectory: tempDir });
    const ms = performance.now() - t0;
    const peak = peakRssMb(client.pid);
    const total = r.rows.reduce((n, row) => n + Number(row[1]), 0);
    const perCopy = base.files * 2500;
    assert.equal(total, perCopy * copies, 'every record of every copy was counted');
    console.log(`GROUP BY eventname over ${files} files: ${(ms / 1000).toFixed(1)} s (${r.filesRead} files read, ${total} records, ${r.rows.length} groups)`);
    console.log(`worker peak RSS ${peak === undefined ? 'n/a (no /proc)' : `${peak.toFixed(0)} MB`} · DuckDB memory limit ${MEMORY} (threads ${THREADS ?? 'default = cores'}) · Node's own heap and the result are outside DuckDB's limit`);
  } finally {
    client.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

async function main() {
  const t0 = performance.now();
  const folder = makeFolder();
  console.log(`folder: ${folder.files} files, ${(folder.bytes / 1048576).toFixed(0)} MB uncompressed (ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

  if (GB > 0) return bigRun(folder);
  const engine = new DuckQueryEngine({ memoryLimit: MEMORY, threads: THREADS });
  const q0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await engine.query({ paths: [folder.dir], sql: 'SELECT eventname, count(*) AS n FROM cloudtrail GROUP BY eventname ORDER BY eventname', maxRows: 100_000 });
  const duckMs = performance.now() - q0;
  const duckCpu = process.cpuUsage(cpu0);
  const duckCpuMs = (duckCpu.user + duckCpu.system) / 1000;
  const duck = new Map(r.rows.map((row) => [String(row[0]), Number(row[1])]));

  const j0 = performance.now();
  // `times` (POSIX sh) prints the CPU time of the shell and then of its children (the whole pipeline) on stdout.
  const sh = spawnSync('sh', ['-c', `find "${folder.dir}" -name '*.json.gz' -print0 | xargs -0 zcat | jq -r '.Records[].eventName' | sort | uniq -c; echo '--times--'; times`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const jqMs = performance.now() - j0;
  assert.equal(sh.status, 0, sh.stderr);
  const [counts, timesText] = sh.stdout.split('--times--');
  const jqCpuMs = cpuOfTimes(timesText);
  const jq = new Map(
    counts
      .trim()
      .split('\n')
      .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l)!)
      .map((m) => [m[2], Number(m[1])] as [string, number]),
  );
  assert.deepEqual([...duck].sort(), [...jq].sort(), 'DuckDB and jq counted the same');
  console.log(`GROUP BY eventname: DuckDB ${(duckMs / 1000).toFixed(2)} s (${r.filesRead} files) · zcat|jq ${(jqMs / 1000).toFixed(2)} s · ratio ${(jqMs / duckMs).toFixed(1)}× (goal ≥ 3×)`);
  console.log(`  CPU time: DuckDB ${(duckCpuMs / 1000).toFixed(2)} s (threads ${THREADS ?? 'default = cores'}) · zcat|jq ${(jqCpuMs / 1000).toFixed(2)} s · ratio ${(jqCpuMs / duckCpuMs).toFixed(1)}×`);

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
