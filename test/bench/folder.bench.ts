/**
 * Log folder benchmark: 500 gzipped CloudTrail log files (built from the shared corpus records), parsed
 *   (a) by the worker pool (one worker per core, as "Open All Events" does),
 *   (b) in-process, one file after the other, with the same parseBytes,
 *   (c) by `zcat FILES | jq -c '.Records[]'` (the usual command-line way), output counted by this process,
 *   (d) by the ingest path "Open All Events" takes now: `ingest()` with a `files` plan on the pool, workers handing
 *       back pieces (record texts + table rows as transferred typed arrays), this thread only appending rows to a
 *       RecordTable,
 *   (d') as (d) on a pool that is already running (the extension keeps its pool after the first task),
 *   (d") as (d) on a new pool warmed by WorkerPool.warmUp() beforehand, as the extension does when the explorer
 *       shows a log folder (the warm-up's own time and CPU are printed apart, not counted in the route),
 *   (e) by `ingest()` with no pool (this thread, one file per turn) into a RecordTable: (d)'s fair sequential baseline,
 *   (e1) as (e), in a new thread that has seen only the warm-up sample (the same warm-up a (d") worker gets): (e) runs
 *       in a thread that has read these very records many times (its object shapes and strings are all known), as
 *       (d') does; (d) and (d") workers read them for the first time, and so does (e1): the like-for-like baseline,
 * all in this run, on the same files; then (b), (d), (d'), (d") and (e) again with the other core kept busy by a spinning child
 * process (FOLDER_BENCH_BUSY=0 skips that). Prints throughput, main-thread busy time (event-loop utilisation) and
 * ratios; asserts only that every route saw the same number of records.
 *
 * Run: `npm run bench`, or `npx tsc -p . && node build/test/bench/folder.bench.js`.
 * Env: FOLDER_BENCH_FILES (default 500), FOLDER_BENCH_RECORDS (records per file, default 200), FOLDER_BENCH_RUNS (5).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { performance } from 'node:perf_hooks';
import { ParsePool, defaultPoolSize } from '../../src/core/local/pool';
import { WorkerPool } from '../../src/core/pool';
import { parseWarmUp } from '../../src/core/local/parse-task';
import { scanFolder } from '../../src/core/local/scan';
import { nodeLister } from '../../src/core/local/node-fs';
import { parseBytes } from '../../src/core/records';
import { RecordTable } from '../../src/core/table';
import { ingest } from '../../src/core/ingest/ingest';
import { repoRoot } from '../support/paths';
import { corpusDeliveredEvents } from '../support/corpus-events';

const FILES = Number(process.env.FOLDER_BENCH_FILES ?? 500);
const PER_FILE = Number(process.env.FOLDER_BENCH_RECORDS ?? 200);
const RUNS = Number(process.env.FOLDER_BENCH_RUNS ?? 5);
const BUSY = process.env.FOLDER_BENCH_BUSY !== '0';
const dataRoot = path.join(repoRoot, 'test', 'bench', '.data', `folder-${FILES}x${PER_FILE}`);

/** Writes the folder once (AWSLogs layout, 2 accounts × 2 Regions × days); later runs reuse it. */
function ensureData(): string[] {
  const marker = path.join(dataRoot, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dataRoot, { recursive: true, force: true });
    const records = corpusDeliveredEvents();
    const accounts = ['111122223333', '444455556666'];
    const regions = ['us-east-1', 'eu-west-1'];
    let n = 0;
    for (let i = 0; i < FILES; i++) {
      const account = accounts[i % 2];
      const region = regions[(i >> 1) % 2];
      const day = 1 + ((i >> 2) % 28);
      const minute = (i * 5) % 1440;
      const stamp = `202402${String(day).padStart(2, '0')}T${String(Math.floor(minute / 60)).padStart(2, '0')}${String(minute % 60).padStart(2, '0')}Z`;
      const dir = path.join(dataRoot, 'AWSLogs', account, 'CloudTrail', region, '2024', '02', String(day).padStart(2, '0'));
      fs.mkdirSync(dir, { recursive: true });
      const chunk = Array.from({ length: PER_FILE }, () => records[n++ % records.length]);
      const unique = String(i).padStart(16, '0');
      fs.writeFileSync(path.join(dir, `${account}_CloudTrail_${region}_${stamp}_${unique}.json.gz`), gzipSync(JSON.stringify({ Records: chunk })));
    }
    fs.writeFileSync(marker, '');
  }
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.json.gz')) out.push(p);
    }
  };
  walk(dataRoot);
  return out.sort();
}

function workerScript(): string {
  // Prefer the esbuild bundle the extension ships; fall back to the tsc output.
  const bundled = path.join(repoRoot, 'out', 'worker-pool.js');
  return fs.existsSync(bundled) ? bundled : path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');
}

/** Milliseconds the main thread (the extension host, in VS Code) was busy during the last pool run. */
let poolMainBusy: number[] = [];

async function viaPool(files: string[]): Promise<number> {
  const pool = new ParsePool(workerScript(), defaultPoolSize());
  const elu = performance.eventLoopUtilization();
  try {
    const r = await pool.run(files.map((f) => ({ name: f, path: f })));
    poolMainBusy.push(performance.eventLoopUtilization(elu).active);
    return r.events.length;
  } finally {
    pool.dispose();
  }
}

/** What the extension would do without workers: parse each file and keep its events. */
function viaSequential(files: string[]): number {
  const events: unknown[] = [];
  for (const f of files) for (const r of parseBytes(fs.readFileSync(f), f).records) events.push(r.event);
  return events.length;
}

/** Parallel parsing alone: workers parse and only report counts (the cost of moving events out is left out). */
async function viaPoolCountOnly(files: string[]): Promise<number> {
  const pool = new ParsePool(workerScript(), defaultPoolSize());
  try {
    const r = await pool.run(files.map((f) => ({ name: f, path: f })), { discardEvents: true });
    return r.recordsSeen;
  } finally {
    pool.dispose();
  }
}

/** Milliseconds the main thread was busy (event-loop utilisation) during the last ingest runs, by route key. */
const ingestMainBusy: Record<string, number[]> = {};

/**
 * (d) with a pool, (e) without: `ingest()` filling a RecordTable from a `files` plan. As for (a), the pool is made
 * inside the timed part and event-loop utilisation counts from just after. The quick filter's background index is
 * left out (searchIndex: false) on both, so this is filling the table only.
 */
async function viaIngest(files: string[], withPool: boolean | ParsePool, key: string): Promise<number> {
  // A pool given is already running (the extension keeps its pool after first use); `true` starts one here.
  const pool = withPool === true ? new ParsePool(workerScript(), defaultPoolSize()) : withPool || undefined;
  const elu = performance.eventLoopUtilization();
  try {
    const table = new RecordTable();
    const r = await ingest(table, { sources: [{ kind: 'files', files: files.map((f) => ({ name: f, path: f })) }] }, { pool, searchIndex: false });
    (ingestMainBusy[key] ??= []).push(performance.eventLoopUtilization(elu).active);
    if (r.records !== table.size) throw new Error(`ingest reported ${r.records} records, table holds ${table.size}`);
    return table.size;
  } finally {
    if (withPool === true) pool?.dispose();
  }
}

/** Warm-up wall and CPU time of each (d") run, by route key. */
const warmUps: Record<string, { ms: number; cpuMs: number }[]> = {};

/** (d"): a new pool, warmed up the way the extension warms its pool, then timed like (d) (the warm-up not counted). */
async function viaWarmedIngest(files: string[], key: string): Promise<{ ms: number; cpuMs: number; value: number }> {
  const workers = new WorkerPool(workerScript(), defaultPoolSize());
  try {
    const warm = await time(() => workers.warmUp());
    (warmUps[key] ??= []).push({ ms: warm.ms, cpuMs: warm.cpuMs });
    return await time(() => viaIngest(files, new ParsePool(workers), key));
  } finally {
    workers.dispose();
  }
}

/**
 * (e1): (e) in a new thread (a fresh V8 isolate, like a new pool worker) warmed with the pool's own warm-up sample and
 * rounds, then timed on the folder; this thread only waits. Returns the new thread's wall time.
 */
function viaFreshSequential(files: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, { workerData: { freshSequential: files } });
    w.once('message', (ms: number) => {
      resolve(ms);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`fresh sequential thread exited with ${code}`)));
  });
}

/** The (e1) thread's side: the warm-up a pool worker gets, then (e) timed. */
async function freshSequentialThread(files: string[]): Promise<void> {
  await parseWarmUp();
  const t = performance.now();
  const table = new RecordTable();
  await ingest(table, { sources: [{ kind: 'files', files: files.map((f) => ({ name: f, path: f })) }] }, { searchIndex: false });
  parentPort!.postMessage(performance.now() - t);
}

/**
 * What two threads can give on this machine at all: the same independent work (gunzip + JSON.parse of the first
 * 100 files, 3 times) in one thread alone, then in two threads at once. Cores that share caches, memory bandwidth
 * or a physical core (vCPUs) run slower side by side; this ratio is the ceiling for any pool route here.
 */
async function parallelCeiling(files: string[]): Promise<{ one: number; two: number; ceiling: number }> {
  const code = `const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs'); const zlib = require('node:zlib');
const bufs = workerData.map((f) => fs.readFileSync(f));
const work = () => { const t = performance.now(); let n = 0; for (let k = 0; k < 3; k++) for (const b of bufs) n += JSON.parse(zlib.gunzipSync(b).toString()).Records.length; return [performance.now() - t, n]; };
work(); parentPort.postMessage(work());`;
  const some = files.slice(0, 100);
  const run = (threads: number) =>
    Promise.all(
      Array.from({ length: threads }, () =>
        new Promise<number>((resolve, reject) => {
          const w = new Worker(code, { eval: true, workerData: some });
          w.once('message', ([ms]: [number, number]) => {
            resolve(ms);
            void w.terminate();
          });
          w.once('error', reject);
        }),
      ),
    );
  const ones: number[] = [];
  const twos: number[] = [];
  for (let i = 0; i < 3; i++) {
    ones.push((await run(1))[0]);
    twos.push(Math.max(...(await run(2))));
  }
  const one = median(ones);
  const two = median(twos);
  // Two threads did twice the work in `two` ms; one thread did it once in `one` ms.
  return { one, two, ceiling: (2 * one) / two };
}

/** Keeps one core busy (a separate process, so this process's CPU figures stay its own) until stopped. */
async function spinner(): Promise<() => void> {
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("go\\n"); for (;;) {}'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('error', reject);
  });
  return () => {
    child.kill('SIGKILL');
  };
}

const jqCpu: number[] = [];

/** `zcat … | jq -c '.Records[]'`, counting output lines here (the records reach this process, as in (a)). */
function viaJq(files: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const listFile = path.join(os.tmpdir(), `ctl-bench-files-${process.pid}.txt`);
    fs.writeFileSync(listFile, files.join('\0'));
    // `times` (a shell builtin) prints the CPU time of the shell's children (xargs, zcat, jq) on stderr.
    const child = spawn('bash', ['-c', `xargs -0 zcat < '${listFile}' | jq -c '.Records[]'; s=$?; times >&2; exit $s`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let lines = 0;
    let err = '';
    child.stdout.on('data', (b: Buffer) => {
      for (let i = b.indexOf(10); i !== -1; i = b.indexOf(10, i + 1)) lines++;
    });
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      fs.rmSync(listFile, { force: true });
      const t = err.trim().split('\n').pop() ?? '';
      const m = /(\d+)m([\d.]+)s\s+(\d+)m([\d.]+)s/.exec(t);
      jqCpu.push(m ? (Number(m[1]) * 60 + Number(m[2]) + Number(m[3]) * 60 + Number(m[4])) * 1000 : NaN);
      if (code === 0) resolve(lines);
      else reject(new Error(`zcat | jq exited with ${code}: ${err.slice(0, 500)}`));
    });
  });
}

/** Wall time and this process's CPU time (all its threads, so the pool's workers count too). */
async function time<T>(fn: () => Promise<T> | T): Promise<{ ms: number; cpuMs: number; value: T }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const d = process.cpuUsage(c);
  return { ms: performance.now() - t, cpuMs: (d.user + d.system) / 1000, value };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const files = ensureData();
  const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(`folder bench: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB gzipped, ${defaultPoolSize()} workers (${os.cpus().length} CPUs reported), worker ${path.relative(repoRoot, workerScript())}`);

  // Listing the folder is part of what the explorer does; show it once.
  const scan = await time(() => scanFolder(nodeLister(dataRoot)));
  console.log(`scan + group: ${scan.ms.toFixed(0)} ms for ${scan.value.files.length} files`);

  const haveJq = await new Promise<boolean>((resolve) => {
    const c = spawn('sh', ['-c', 'command -v jq && command -v zcat'], { stdio: 'ignore' });
    c.on('close', (code) => resolve(code === 0));
    c.on('error', () => resolve(false));
  });

  const results: Record<string, number[]> = { pool: [], poolCount: [], sequential: [], jq: [], ingestPool: [], ingestWarm: [], ingestWarmed: [], ingestSeq: [], freshSeq: [], busySequential: [], busyIngestPool: [], busyIngestWarm: [], busyIngestWarmed: [], busyIngestSeq: [] };
  const cpu: Record<string, number[]> = { pool: [], poolCount: [], sequential: [], ingestPool: [], ingestWarm: [], ingestWarmed: [], ingestSeq: [] };
  // (d) with the pool already running and warm, as the extension's shared pool is after its first task.
  const warmPool = new ParsePool(workerScript(), defaultPoolSize());
  let counts: Record<string, number> = {};
  // Warm-up (file cache, JIT) not counted.
  await viaPool(files.slice(0, 20));
  viaSequential(files.slice(0, 20));
  await viaIngest(files.slice(0, 20), true, 'warm');
  await viaIngest(files.slice(0, 20), false, 'warm');
  await viaIngest(files.slice(0, 100), warmPool, 'warm');
  poolMainBusy = [];
  for (let run = 0; run < RUNS; run++) {
    const p = await time(() => viaPool(files));
    const s = await time(() => viaSequential(files));
    const c = await time(() => viaPoolCountOnly(files));
    results.poolCount.push(c.ms);
    cpu.poolCount.push(c.cpuMs);
    results.pool.push(p.ms);
    results.sequential.push(s.ms);
    cpu.pool.push(p.cpuMs);
    cpu.sequential.push(s.cpuMs);
    counts = { pool: p.value, sequential: s.value, poolCount: c.value };
    if (haveJq) {
      const j = await time(() => viaJq(files));
      results.jq.push(j.ms);
      counts.jq = j.value;
    }
    const d = await time(() => viaIngest(files, true, 'ingestPool'));
    const w = await time(() => viaIngest(files, warmPool, 'ingestWarm'));
    results.ingestWarm.push(w.ms);
    cpu.ingestWarm.push(w.cpuMs);
    counts.ingestWarm = w.value;
    const h = await viaWarmedIngest(files, 'ingestWarmed');
    results.ingestWarmed.push(h.ms);
    cpu.ingestWarmed.push(h.cpuMs);
    counts.ingestWarmed = h.value;
    const e = await time(() => viaIngest(files, false, 'ingestSeq'));
    results.freshSeq.push(await viaFreshSequential(files));
    results.ingestPool.push(d.ms);
    results.ingestSeq.push(e.ms);
    cpu.ingestPool.push(d.cpuMs);
    cpu.ingestSeq.push(e.cpuMs);
    counts.ingestPool = d.value;
    counts.ingestSeq = e.value;
  }
  if (BUSY) {
    // The other core busy: the same routes with a spinning process alongside (its CPU time is not this process's).
    const stop = await spinner();
    try {
      for (let run = 0; run < RUNS; run++) {
        const s = await time(() => viaSequential(files));
        const d = await time(() => viaIngest(files, true, 'busyIngestPool'));
        const w = await time(() => viaIngest(files, warmPool, 'busyIngestWarm'));
        results.busyIngestWarm.push(w.ms);
        counts.busyIngestWarm = w.value;
        const h = await viaWarmedIngest(files, 'busyIngestWarmed');
        results.busyIngestWarmed.push(h.ms);
        counts.busyIngestWarmed = h.value;
        const e = await time(() => viaIngest(files, false, 'busyIngestSeq'));
        results.busySequential.push(s.ms);
        results.busyIngestPool.push(d.ms);
        results.busyIngestSeq.push(e.ms);
        counts.busySequential = s.value;
        counts.busyIngestPool = d.value;
        counts.busyIngestSeq = e.value;
      }
    } finally {
      stop();
    }
  }
  const ceiling = await parallelCeiling(files);
  const records = counts.pool;
  for (const v of Object.values(counts)) {
    if (v !== records) throw new Error(`record counts differ: ${JSON.stringify(counts)}`);
  }
  const line = (name: string, ms: number) =>
    console.log(`${name.padEnd(34)} ${ms.toFixed(0).padStart(7)} ms  ${((records / ms) * 1000).toFixed(0).padStart(8)} records/s  ${((bytes / 1e6 / ms) * 1000).toFixed(1).padStart(6)} MB/s gz`);
  const pool = median(results.pool);
  const seq = median(results.sequential);
  console.log(`records: ${records} (same count from every route); median of ${RUNS} runs`);
  line(`worker pool (${defaultPoolSize()} workers)`, pool);
  line('in-process sequential parseBytes', seq);
  line('worker pool, counting only', median(results.poolCount));
  if (haveJq) line("zcat | jq -c '.Records[]'", median(results.jq));
  console.log(`ratio pool vs sequential: ${(seq / pool).toFixed(2)}x faster`);
  // CPU time is the work done, whatever else the machine is running: on a busy machine it is the steadier figure.
  console.log(
    `CPU time (all threads): pool ${median(cpu.pool).toFixed(0)} ms, pool counting only ${median(cpu.poolCount).toFixed(0)} ms, sequential ${median(cpu.sequential).toFixed(0)} ms` +
      (haveJq ? `, zcat|jq ${median(jqCpu).toFixed(0)} ms (pool does ${(median(jqCpu) / median(cpu.pool)).toFixed(2)}x less work)` : ''),
  );
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (wall-clock ratios are only meaningful on an idle machine)`);
  // The sequential route keeps the calling thread busy the whole time; the pool only while it turns replies into objects.
  console.log(`main thread busy: pool ${median(poolMainBusy).toFixed(0)} ms vs sequential ${seq.toFixed(0)} ms (${(seq / median(poolMainBusy)).toFixed(2)}x less blocking)`);
  if (haveJq) console.log(`ratio pool vs zcat|jq:     ${(median(results.jq) / pool).toFixed(2)}x faster (goal >= 2x)`);
  else console.log('zcat or jq not found: jq baseline skipped');

  // The ingest path (what "Open All Events" does now) against its baselines; goals from issue 15 "Parallel work must pay".
  const dMs = median(results.ingestPool);
  const eMs = median(results.ingestSeq);
  const dBusy = median(ingestMainBusy.ingestPool);
  const eBusy = median(ingestMainBusy.ingestSeq);
  console.log('-- ingest path: ingest() into a RecordTable (no search index) --');
  const wMs = median(results.ingestWarm);
  const wBusy = median(ingestMainBusy.ingestWarm);
  const hMs = median(results.ingestWarmed);
  const hBusy = median(ingestMainBusy.ingestWarmed);
  line(`(d) ingest() on the pool (pieces)`, dMs);
  line(`(d') the same, pool already running`, wMs);
  line(`(d") the same, new pool after warmUp()`, hMs);
  line('(e) ingest() no pool, one file/turn', eMs);
  const e1Ms = median(results.freshSeq);
  line('(e1) the same, first read, new thread', e1Ms);
  const wu = warmUps.ingestWarmed;
  console.log(
    `warmUp() before (d"), not counted in it: ${median(wu.map((x) => x.ms)).toFixed(0)} ms wall, ${median(wu.map((x) => x.cpuMs)).toFixed(0)} ms CPU ` +
      `(the extension runs it in the background when the explorer shows a log folder); (d") + warm-up: ${(hMs + median(wu.map((x) => x.ms))).toFixed(0)} ms`,
  );
  console.log(`main thread busy: (d) ${dBusy.toFixed(0)} ms, (d') ${wBusy.toFixed(0)} ms, (d") ${hBusy.toFixed(0)} ms, (e) ${eBusy.toFixed(0)} ms, (b) ${seq.toFixed(0)} ms (whole run, synchronous)`);
  console.log(`CPU time (all threads): (d) ${median(cpu.ingestPool).toFixed(0)} ms, (d') ${median(cpu.ingestWarm).toFixed(0)} ms, (d") ${median(cpu.ingestWarmed).toFixed(0)} ms, (e) ${median(cpu.ingestSeq).toFixed(0)} ms`);
  // One line per goal of issue 15 "Parallel work must pay" (wall-clock ratios: noisy on a shared machine).
  const goal = (name: string, ratio: number, text: string, met: boolean) =>
    console.log(`GOAL ${name.padEnd(44)} ${ratio.toFixed(2)}x  goal ${text.padEnd(7)} ${met ? 'met' : 'NOT met'}`);
  // The sequential route was (b) when it was written (the product then only parsed files into events);
  // (e) is the sequential route that does what (d) does (fill a table). Both are printed.
  for (const [k, ms, busy] of [['(d) ', dMs, dBusy], ["(d')", wMs, wBusy], ['(d")', hMs, hBusy]] as const) {
    goal(`${k} speed vs (e) sequential ingest()`, eMs / ms, '>= 1.6x', eMs / ms >= 1.6);
    if (k !== "(d')") goal(`${k} speed vs (e1) first read, new thread`, e1Ms / ms, '>= 1.6x', e1Ms / ms >= 1.6);
    goal(`${k} speed vs (b) sequential parseBytes`, seq / ms, '>= 1.6x', seq / ms >= 1.6);
    goal(`${k} main-thread busy / (b) time`, busy / seq, '<= 0.3x', busy / seq <= 0.3);
    if (haveJq) goal(`${k} speed vs zcat|jq`, median(results.jq) / ms, '>= 3x', median(results.jq) / ms >= 3);
  }
  console.log(
    `CPU time per route (this process, all threads incl. workers): (a) ${median(cpu.pool).toFixed(0)} ms, (b) ${median(cpu.sequential).toFixed(0)} ms, ` +
      `(d) ${median(cpu.ingestPool).toFixed(0)} ms, (e) ${median(cpu.ingestSeq).toFixed(0)} ms` +
      (haveJq ? `, (c) zcat|jq ${median(jqCpu).toFixed(0)} ms (child processes)` : '') +
      `; (d)/(b) CPU ${(median(cpu.ingestPool) / median(cpu.sequential)).toFixed(2)}x`,
  );
  // What a pool route can reach at best on this machine: its CPU time spread over every core (same run's figures).
  const cores = Math.min(defaultPoolSize(), os.cpus().length);
  console.log(
    `bound: (d) needs ${(median(cpu.ingestPool) / median(cpu.sequential)).toFixed(2)}x the CPU time of (b) and ${(median(cpu.ingestPool) / median(cpu.ingestSeq)).toFixed(2)}x that of (e); ` +
      `spread perfectly over ${cores} cores it could be at most ${((median(cpu.sequential) / median(cpu.ingestPool)) * cores).toFixed(2)}x faster than (b), ${((median(cpu.ingestSeq) / median(cpu.ingestPool)) * cores).toFixed(2)}x than (e)`,
  );
  console.log(
    `machine: the same independent work (gunzip + JSON.parse) on two threads at once runs ${ceiling.ceiling.toFixed(2)}x as fast as on one ` +
      `(one thread ${ceiling.one.toFixed(0)} ms, two threads twice the work ${ceiling.two.toFixed(0)} ms): the ceiling for any pool route on this machine`,
  );
  console.log(`ratio (d) vs (b) sequential parseBytes: ${(seq / dMs).toFixed(2)}x faster (goal >= 1.6x)`);
  console.log(`ratio (d) vs (e) ingest() no pool:      ${(eMs / dMs).toFixed(2)}x faster (goal >= 1.6x)`);
  console.log(`main thread busy (d)/(b): ${(dBusy / seq).toFixed(2)}x (goal <= 0.3x); (d)/(e): ${(dBusy / eBusy).toFixed(2)}x`);
  if (haveJq) console.log(`ratio (d) vs zcat|jq: ${(median(results.jq) / dMs).toFixed(2)}x faster (goal >= 3x)`);
  if (BUSY) {
    const bs = median(results.busySequential);
    const bd = median(results.busyIngestPool);
    const bw = median(results.busyIngestWarm);
    const bh = median(results.busyIngestWarmed);
    const be = median(results.busyIngestSeq);
    const bdBusy = median(ingestMainBusy.busyIngestPool);
    const beBusy = median(ingestMainBusy.busyIngestSeq);
    console.log('-- other core kept busy by a spinning process --');
    line('(b) sequential parseBytes, busy', bs);
    line('(d) ingest() on the pool, busy', bd);
    line("(d') pool already running, busy", bw);
    line('(d") new pool after warmUp(), busy', bh);
    line('(e) ingest() no pool, busy', be);
    console.log(`main thread busy, other core busy: (d) ${bdBusy.toFixed(0)} ms, (e) ${beBusy.toFixed(0)} ms, (b) ${bs.toFixed(0)} ms`);
    console.log(`ratio (d) vs (b), other core busy: ${(bs / bd).toFixed(2)}x faster; (d) vs (e): ${(be / bd).toFixed(2)}x faster; main thread busy (d)/(b): ${(bdBusy / bs).toFixed(2)}x`);
    console.log(`ratio (d') vs (b), other core busy: ${(bs / bw).toFixed(2)}x faster; (d') vs (e): ${(be / bw).toFixed(2)}x faster`);
    console.log(`ratio (d") vs (b), other core busy: ${(bs / bh).toFixed(2)}x faster; (d") vs (e): ${(be / bh).toFixed(2)}x faster`);
  }
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  warmPool.dispose();
}

if (isMainThread) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else if ((workerData as { freshSequential?: string[] } | undefined)?.freshSequential) {
  void freshSequentialThread((workerData as { freshSequential: string[] }).freshSequential);
}
