/**
 * Integrity benchmark: a signed folder of gzipped log files (about INTEGRITY_BENCH_MB megabytes of uncompressed
 * JSON, default 1000) with its digest chain, written by the test fixtures, then
 *   (a) validateFolder with the worker pool (each log file a hash-file task: read stream → gunzip → SHA-256 in a
 *       worker, one worker per core), as the CLI and the VS Code command run it,
 *   (a1) validateFolder without a pool (zlib on libuv's threads, the SHA-256 updates on this thread),
 *   (b) `zcat FILE | sha256sum` for each file, two pipelines at once (this machine's two cores), and
 *   (c) one `zcat ALL | sha256sum` pipeline (a single hash over everything: less work than (b), the lower bound
 *       of what the shell route can do),
 * all on the same files in this run, alternated RUNS times. Prints wall time, CPU time (this process with its
 * worker threads; the shell's children via bash's `times`) and ratios; asserts only that (a) and (a1) find the folder
 * valid and (b) hashed every file. Goal from issue 17: (a) at least 1.5 × faster than the shell route.
 *
 * Run: `npm run bench -- integrity`, or `npx tsc -p . && node build/test/bench/integrity.bench.js`.
 * Env: INTEGRITY_BENCH_MB (uncompressed MB, default 1000), INTEGRITY_BENCH_RUNS (default 3).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { validateFolder } from '../../src/core/integrity';
import { WorkerPool, defaultPoolSize } from '../../src/core/pool';
import { writeChain } from '../support/integrity-fixtures';
import { repoRoot } from '../support/paths';

const MB = Number(process.env.INTEGRITY_BENCH_MB ?? 1000);
const RUNS = Number(process.env.INTEGRITY_BENCH_RUNS ?? 3);
const HOURS = 24;
const PER_HOUR = 20;
const dataRoot = path.join(repoRoot, 'test', 'bench', '.data', `integrity-${MB}mb`);

function ensureData(): { files: string[] } {
  const marker = path.join(dataRoot, '.complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dataRoot, { recursive: true, force: true });
    fs.mkdirSync(dataRoot, { recursive: true });
    // A fixture record is about 260 bytes of JSON.
    const records = Math.max(1, Math.round((MB * 1e6) / (HOURS * PER_HOUR) / 260));
    console.log(`integrity bench: writing ${HOURS * PER_HOUR} log files of ${records} records and ${HOURS} digests to ${path.relative(repoRoot, dataRoot)} (once)…`);
    writeChain(dataRoot, { hours: HOURS, logsPerHour: PER_HOUR, recordsPerLog: records });
    fs.writeFileSync(marker, '');
  }
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.includes(`${path.sep}CloudTrail${path.sep}`) && e.name.endsWith('.json.gz')) files.push(p);
    }
  };
  walk(dataRoot);
  return { files: files.sort() };
}

/** CPU seconds the shell's children used, from bash's `times` (its second line: children's user and system time). */
function childCpuMs(times: string): number {
  const line = times.trim().split('\n').pop() ?? '';
  let ms = 0;
  for (const m of line.matchAll(/(\d+)m([\d.]+)s/g)) ms += (Number(m[1]) * 60 + Number(m[2])) * 1000;
  return ms;
}

/** Runs a bash script; resolves with its stdout and the CPU time of the processes it started. */
function sh(script: string, args: string[]): Promise<{ out: string; cpuMs: number }> {
  return new Promise((resolve, reject) => {
    // `times` goes to fd 3 (a pipe of its own) so it never mixes with the script's output.
    const child = spawn('bash', ['-c', `{ ${script}
} ; times >&3`, 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let times = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (b: Buffer) => (times += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ out, cpuMs: childCpuMs(times) }) : reject(new Error(`exit ${code}: ${err.slice(0, 300)}`))));
  });
}

/** `zcat f | sha256sum` per file, two pipelines at a time; returns hash per file. */
async function viaShellPerFile(files: string[]): Promise<{ hashes: Map<string, string>; cpuMs: number }> {
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  const outs = await Promise.all(halves.map((h) => sh('for f in "$@"; do printf "%s " "$f"; zcat "$f" | sha256sum; done', h)));
  const m = new Map<string, string>();
  for (const line of outs.map((o) => o.out).join('').split('\n')) {
    const [file, hash] = line.split(' ');
    if (file && hash) m.set(file, hash);
  }
  return { hashes: m, cpuMs: outs.reduce((n, o) => n + o.cpuMs, 0) };
}

async function viaShellOnePipe(files: string[]): Promise<{ out: string; cpuMs: number }> {
  const listFile = path.join(os.tmpdir(), `ctl-integrity-bench-${process.pid}.txt`);
  fs.writeFileSync(listFile, files.join('\0'));
  try {
    return await sh(`xargs -0 zcat < "$1" | sha256sum`, [listFile]);
  } finally {
    fs.rmSync(listFile, { force: true });
  }
}

/**
 * Wall and CPU time of `fn` (CPU: this process, its worker threads and libuv's threads included, unless `cpuOf`
 * names another figure), and how long this thread (the extension host's, in VS Code) was busy meanwhile.
 */
async function time<T>(fn: () => Promise<T>, cpuOf?: (value: T) => number): Promise<{ ms: number; cpuMs: number; mainMs: number; value: T }> {
  const c = process.cpuUsage();
  const elu = performance.eventLoopUtilization();
  const t = performance.now();
  const value = await fn();
  const ms = performance.now() - t;
  const used = process.cpuUsage(c);
  const busy = performance.eventLoopUtilization(elu);
  return { ms, cpuMs: cpuOf ? cpuOf(value) : (used.user + used.system) / 1000, mainMs: busy.active, value };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

type Route = 'pool' | 'inThread' | 'perFile' | 'onePipe';

async function main(): Promise<void> {
  const { files } = ensureData();
  const gz = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  const script = [path.join(repoRoot, 'out', 'worker-pool.js'), path.join(repoRoot, 'build', 'src', 'workers', 'pool.js')].find((f) => fs.existsSync(f));
  if (!script) throw new Error('no pool worker script (run `npx tsc -p .` or `node scripts/build.mjs` first)');
  const pool = new WorkerPool(script);
  console.log(`integrity bench: ${files.length} log files, ${(gz / 1e6).toFixed(1)} MB gzipped; ${os.cpus().length} CPUs reported, pool of ${defaultPoolSize()} (${path.relative(repoRoot, script)})`);
  const wall: Record<Route, number[]> = { pool: [], inThread: [], perFile: [], onePipe: [] };
  const cpu: Record<Route, number[]> = { pool: [], inThread: [], perFile: [], onePipe: [] };
  const mainBusy: Record<Route, number[]> = { pool: [], inThread: [], perFile: [], onePipe: [] };
  const keep = (route: Route, r: { ms: number; cpuMs: number; mainMs: number }) => {
    wall[route].push(r.ms);
    cpu[route].push(r.cpuMs);
    mainBusy[route].push(r.mainMs);
  };
  // Warm-up (page cache, JIT, the pool's workers), not counted.
  await validateFolder(dataRoot, { pool });
  await validateFolder(dataRoot);
  try {
    for (let run = 0; run < RUNS; run++) {
      const a = await time(() => validateFolder(dataRoot, { pool }));
      if (!a.value.summary.ok) throw new Error(`the bench folder does not validate on the pool: ${JSON.stringify(a.value.summary.byVerdict)}`);
      keep('pool', a);
      const a1 = await time(() => validateFolder(dataRoot));
      if (!a1.value.summary.ok) throw new Error(`the bench folder does not validate in-thread: ${JSON.stringify(a1.value.summary.byVerdict)}`);
      keep('inThread', a1);
      const b = await time(() => viaShellPerFile(files), (v) => v.cpuMs);
      keep('perFile', b);
      const c = await time(() => viaShellOnePipe(files), (v) => v.cpuMs);
      keep('onePipe', c);
      if (run === 0 && b.value.hashes.size !== files.length) throw new Error(`sha256sum hashed ${b.value.hashes.size} of ${files.length} files`);
    }
  } finally {
    pool.dispose();
  }
  const total = await sh('for f in "$@"; do zcat "$f"; done | wc -c', files);
  const bytes = Number(total.out.trim());
  const line = (name: string, route: Route) => {
    const ms = median(wall[route]);
    const c = median(cpu[route]);
    console.log(`${name.padEnd(48)} ${ms.toFixed(0).padStart(7)} ms  ${((bytes / 1e6 / ms) * 1000).toFixed(0).padStart(5)} MB/s   CPU ${c.toFixed(0).padStart(7)} ms (${(c / ms).toFixed(2)} cores)`);
  };
  console.log(`${(bytes / 1e6).toFixed(0)} MB uncompressed; median of ${RUNS} runs (wall ${Object.entries(wall).map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('/')}`).join(', ')} ms)`);
  line('(a) validate on the worker pool (CLI, VS Code)', 'pool');
  line('(a1) validate in-thread (no pool)', 'inThread');
  line('(b) zcat FILE | sha256sum, 2 pipelines at once', 'perFile');
  line('(c) zcat ALL | sha256sum (one hash, lower bound)', 'onePipe');
  const r = (x: Route, y: Route) => (median(wall[y]) / median(wall[x])).toFixed(2);
  const rc = (x: Route, y: Route) => (median(cpu[y]) / median(cpu[x])).toFixed(2);
  console.log(`ratio (a) vs (b) per-file zcat | sha256sum: ${r('pool', 'perFile')}x faster (goal ≥ 1.5x); CPU (b)/(a) ${rc('pool', 'perFile')}`);
  console.log(`ratio (a) vs (c) one zcat ALL | sha256sum:  ${r('pool', 'onePipe')}x faster`);
  console.log(`ratio (a) vs (a1) in-thread:                ${r('pool', 'inThread')}x faster; CPU (a1)/(a) ${rc('pool', 'inThread')}`);
  const ma = median(mainBusy.pool);
  const ma1 = median(mainBusy.inThread);
  console.log(`main thread busy (event-loop utilisation): (a) ${ma.toFixed(0)} ms, (a1) ${ma1.toFixed(0)} ms: (a)/(a1) ${(ma / ma1).toFixed(2)}x`);
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (ratios are measured in this run; absolute figures are noisy on a shared machine)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
