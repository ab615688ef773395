/**
 * Integrity benchmark: a signed folder of gzipped log files (about INTEGRITY_BENCH_MB megabytes of uncompressed
 * JSON, default 1000) with its digest chain, written by the test fixtures, then
 *   (a) validateFolder (hash every log file's decompressed bytes, walk the chain, check every signature),
 *   (b) `zcat FILE | sha256sum` for each file, two pipelines at once (this machine's two cores), and
 *   (c) one `zcat ALL | sha256sum` pipeline (a single hash over everything: less work than (b), the lower bound
 *       of what the shell route can do),
 * all on the same files in this run. Prints throughput and ratios; asserts only that (a) finds the folder valid and
 * (b) hashed every file. Goal from issue 17: (a) at least 1.5 × faster than the shell route.
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

function sh(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err.slice(0, 300)}`))));
  });
}

/** `zcat f | sha256sum` per file, two pipelines at a time; returns hash per file. */
async function viaShellPerFile(files: string[]): Promise<Map<string, string>> {
  const halves = [files.filter((_, i) => i % 2 === 0), files.filter((_, i) => i % 2 === 1)];
  const outs = await Promise.all(halves.map((h) => sh('for f in "$@"; do printf "%s " "$f"; zcat "$f" | sha256sum; done', h)));
  const m = new Map<string, string>();
  for (const line of outs.join('').split('\n')) {
    const [file, hash] = line.split(' ');
    if (file && hash) m.set(file, hash);
  }
  return m;
}

async function viaShellOnePipe(files: string[]): Promise<string> {
  const listFile = path.join(os.tmpdir(), `ctl-integrity-bench-${process.pid}.txt`);
  fs.writeFileSync(listFile, files.join('\0'));
  try {
    return (await sh(`xargs -0 zcat < "$1" | sha256sum`, [listFile])).trim();
  } finally {
    fs.rmSync(listFile, { force: true });
  }
}

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { files } = ensureData();
  const gz = files.reduce((n, f) => n + fs.statSync(f).size, 0);
  console.log(`integrity bench: ${files.length} log files, ${(gz / 1e6).toFixed(1)} MB gzipped; ${os.cpus().length} CPUs reported`);
  const res: Record<'lens' | 'perFile' | 'onePipe', number[]> = { lens: [], perFile: [], onePipe: [] };
  // Warm-up (page cache, JIT), not counted.
  await validateFolder(dataRoot);
  for (let run = 0; run < RUNS; run++) {
    const a = await time(() => validateFolder(dataRoot));
    if (!a.value.summary.ok) throw new Error(`the bench folder does not validate: ${JSON.stringify(a.value.summary.byVerdict)}`);
    res.lens.push(a.ms);
    const b = await time(() => viaShellPerFile(files));
    res.perFile.push(b.ms);
    const c = await time(() => viaShellOnePipe(files));
    res.onePipe.push(c.ms);
    if (run === 0) {
      if (b.value.size !== files.length) throw new Error(`sha256sum hashed ${b.value.size} of ${files.length} files`);
    }
  }
  const total = await sh('for f in "$@"; do zcat "$f"; done | wc -c', files);
  const bytes = Number(total.trim());
  const line = (name: string, ms: number) => console.log(`${name.padEnd(44)} ${ms.toFixed(0).padStart(7)} ms  ${((bytes / 1e6 / ms) * 1000).toFixed(0).padStart(5)} MB/s uncompressed`);
  console.log(`${(bytes / 1e6).toFixed(0)} MB uncompressed; median of ${RUNS} runs`);
  line('cloudtrail-lens validate (validateFolder)', median(res.lens));
  line('zcat FILE | sha256sum, 2 pipelines at once', median(res.perFile));
  line('zcat ALL | sha256sum (one hash, lower bound)', median(res.onePipe));
  console.log(`ratio vs per-file zcat | sha256sum: ${(median(res.perFile) / median(res.lens)).toFixed(2)}x faster (goal ≥ 1.5x)`);
  console.log(`ratio vs one zcat ALL | sha256sum pipe: ${(median(res.onePipe) / median(res.lens)).toFixed(2)}x faster`);
  console.log(`load average at the end: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs (ratios are measured in this run; absolute figures are noisy on a shared machine)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
