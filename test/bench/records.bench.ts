/**
 * Record core benchmark on a ~100 MB `{"Records":[...]}` log built from the corpus (test/bench/make-data.mjs,
 * cached in test/bench/.data/). Every route runs in its own child process (so peak memory is per route), several
 * times; the median is reported, and ratios against `read + JSON.parse` of the same file measured in this run.
 *
 *   baseline    fs.readFileSync(file, 'utf8') + JSON.parse          (no positions, no recovery, loses big numbers)
 *   parseBytes  fs.readFileSync(file) + parseBytes                  (the core: kinds, positions, problems)
 *   streaming   1 MB reads pushed into StreamingParser              (+ time to the first records and the longest
 *                                                                    single push/end call, backlog drained per read)
 *   gz routes   the same on the .json.gz copy (zlib.gunzipSync + JSON.parse vs parseBytes / StreamingParser)
 *   jq          jq -c '.Records | length' FILE                      (when jq is installed)
 *
 *   decoders    the same .json.gz through each gzip decoder alone (issue 15 "One gzip decoder"): Node zlib (sync, and
 *               async on libuv's pool), the core's hand-written GunzipStream (whole, and 1 MB pushes with a 16 MB
 *               budget as StreamingParser does), fflate (sync, and its streaming Gunzip) — speed and peak RSS; then,
 *               in one process on a 4 MB slice, what each keeps of a cut stream (zlib with finishFlush Z_SYNC_FLUSH)
 *               and what each does with 40 one-bit flips (detected, located, altered bytes handed out as good).
 *
 * Goal: parseBytes <= 1.3 x baseline. No assertions on time. Env: RECORDS_BENCH_RUNS (5), RECORDS_BENCH_MB (100).
 *
 * Then the hostile shapes of issue 14 (D7), in this process, each as time per MB and as a ratio to JSON.parse of a
 * same-size intact text measured in this run; linear means the time per MB stays flat as the size grows:
 *   unclosed    N records that each lack their closing brace (N = 1k, 2k, 4k, 8k), parseText
 *   one string  one record holding one string of 16…200 MB, 1 MB pushes into StreamingParser (past the 64 MB cap
 *               the record is skipped and its text not kept)
 * `node build/test/bench/records.bench.js --hostile` runs only these.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { gunzipSync, gunzip, gzipSync, constants as zc } from 'node:zlib';
import * as fflate from 'fflate';
import { GunzipStream, gunzipTolerant } from '../../src/core/records/gunzip';
import { prng } from '../support/prng';
import { performance } from 'node:perf_hooks';
import { parseBytes, parseText, StreamingParser } from '../../src/core/records';
import { repoRoot } from '../support/paths';

const RUNS = Number(process.env.RECORDS_BENCH_RUNS ?? 5);
const MB = Number(process.env.RECORDS_BENCH_MB ?? 100);

type Mode = 'baseline' | 'parseBytes' | 'streaming' | 'baseline-gz' | 'parseBytes-gz' | 'streaming-gz' | Decoder;
type Decoder = 'dec-zlib' | 'dec-zlib-async' | 'dec-js' | 'dec-js-stream' | 'dec-fflate' | 'dec-fflate-stream';
const DECODERS: [string, Decoder][] = [
  ['zlib.gunzipSync (native)', 'dec-zlib'],
  ['zlib.gunzip (native, libuv pool)', 'dec-zlib-async'],
  ['hand-written, whole buffer', 'dec-js'],
  ['hand-written, 1 MB pushes', 'dec-js-stream'],
  ['fflate.gunzipSync', 'dec-fflate'],
  ['fflate Gunzip stream, 1 MB pushes', 'dec-fflate-stream'],
];

/** Decompressed bytes of `gz` through one decoder (the output is dropped piece by piece where the API allows). */
async function decode(mode: Decoder, gz: Buffer): Promise<number> {
  switch (mode) {
    case 'dec-zlib':
      return gunzipSync(gz).length;
    case 'dec-zlib-async':
      return new Promise((res, rej) => gunzip(gz, (e, out) => (e ? rej(e) : res(out.length))));
    case 'dec-js':
      return gunzipTolerant(gz).bytes.length;
    case 'dec-js-stream': {
      const g = new GunzipStream();
      let n = 0;
      for (let i = 0; i < gz.length; i += 1 << 20) {
        for (const p of g.push(gz.subarray(i, i + (1 << 20)), 16 << 20)) n += p.length;
        while (g.paused) for (const p of g.push(new Uint8Array(0), 16 << 20)) n += p.length;
      }
      for (const p of g.finish()) n += p.length;
      return n;
    }
    case 'dec-fflate':
      return fflate.gunzipSync(gz).length;
    case 'dec-fflate-stream': {
      let n = 0;
      const g = new fflate.Gunzip((d) => (n += d.length));
      for (let i = 0; i < gz.length; i += 1 << 20) g.push(gz.subarray(i, i + (1 << 20)), i + (1 << 20) >= gz.length);
      return n;
    }
  }
}

async function runDecoder(mode: Decoder, file: string): Promise<ChildResult> {
  const gz = fs.readFileSync(file);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < RUNS; i++) {
    gc();
    const t0 = performance.now();
    bytes = await decode(mode, gz);
    times.push(performance.now() - t0);
  }
  return { times, records: bytes, maxRssMB: process.resourceUsage().maxRSS / 1024 };
}

/**
 * Cut streams and one-bit flips on a slice of the log, through each decoder that gives partial output:
 * what is recovered of a cut, and whether damage is detected, located, or shown as good data.
 */
function damageTable(file: string) {
  const text = fs.readFileSync(file).subarray(0, 4 << 20);
  const gz = gzipSync(text);
  const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
  const jsCut = gunzipTolerant(cut).bytes.length;
  const zlibCut = gunzipSync(cut, { finishFlush: zc.Z_SYNC_FLUSH }).length;
  let ffCut = 0;
  try {
    const g = new fflate.Gunzip((d) => (ffCut += d.length));
    g.push(cut, false);
  } catch {
    // counted what came before
  }
  console.log(`
cut stream (60 % of a ${(gz.length / 1024).toFixed(0)} KB gzip of ${(text.length / 1048576).toFixed(0)} MB): bytes recovered — hand-written ${jsCut}, zlib Z_SYNC_FLUSH ${zlibCut}, fflate stream ${ffCut}${jsCut === zlibCut ? ' (hand-written = zlib, byte for byte)' : ''}`);
  const rnd = prng(15);
  const stat = { js: { detected: 0, located: 0, altered: 0 }, zlib: { detected: 0, located: 0, altered: 0 }, fflate: { detected: 0, located: 0, altered: 0 } };
  /** Bytes handed out as good that differ from the original: first difference up to the trusted end. */
  const alteredShown = (out: Uint8Array, trustedEnd: number) => {
    const n = Math.min(out.length, trustedEnd, text.length);
    for (let i = 0; i < n; i++) if (out[i] !== text[i]) return 1;
    return 0;
  };
  const FLIPS = 40;
  for (let k = 0; k < FLIPS; k++) {
    const bad = Buffer.from(gz);
    bad[10 + Math.floor(rnd() * (gz.length - 18))] ^= 1 << Math.floor(rnd() * 8);
    const js = gunzipTolerant(bad);
    if (js.error) stat.js.detected++;
    if (js.error?.untrustedFromOut !== undefined && !js.error.unlocated) stat.js.located++;
    stat.js.altered += alteredShown(js.bytes, js.error?.untrustedFromOut ?? Infinity);
    let z: Buffer | undefined;
    try {
      z = gunzipSync(bad);
    } catch {
      stat.zlib.detected++;
    }
    if (z) stat.zlib.altered += alteredShown(z, Infinity);
    let f: Uint8Array | undefined;
    try {
      f = fflate.gunzipSync(bad);
    } catch {
      stat.fflate.detected++;
    }
    if (f) stat.fflate.altered += alteredShown(f, Infinity);
  }
  console.log(`${FLIPS} one-bit flips: detected / located (decompressed byte where trust ends) / altered data handed out as good`);
  console.log(`  hand-written ${stat.js.detected} / ${stat.js.located} / ${stat.js.altered}   zlib ${stat.zlib.detected} / 0 / ${stat.zlib.altered}   fflate ${stat.fflate.detected} / 0 / ${stat.fflate.altered}`);
}
interface ChildResult {
  times: number[];
  firstRecordsMs?: number[];
  /** Longest single push() (or end()) call of each streaming run. */
  maxPushMs?: number[];
  records: number;
  maxRssMB: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

function runMode(mode: Mode, file: string): ChildResult {
  const times: number[] = [];
  const first: number[] = [];
  const maxPush: number[] = [];
  let records = 0;
  for (let i = 0; i < RUNS; i++) {
    gc();
    const t0 = performance.now();
    switch (mode) {
      case 'baseline':
        records = (JSON.parse(fs.readFileSync(file, 'utf8')) as { Records: unknown[] }).Records.length;
        break;
      case 'baseline-gz':
        records = (JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as { Records: unknown[] }).Records.length;
        break;
      case 'parseBytes':
      case 'parseBytes-gz':
        records = parseBytes(fs.readFileSync(file), file).records.length;
        break;
      case 'streaming':
      case 'streaming-gz': {
        const p = new StreamingParser({ fileName: file });
        const fd = fs.openSync(file, 'r');
        const buf = Buffer.allocUnsafe(1 << 20);
        let n = 0;
        let firstAt = -1;
        let longest = 0;
        const timed = (chunk: Uint8Array) => {
          const s = performance.now();
          const recs = p.push(chunk);
          longest = Math.max(longest, performance.now() - s);
          if (recs.length && firstAt < 0) firstAt = performance.now() - t0;
          n += recs.length;
        };
        for (;;) {
          const got = fs.readSync(fd, buf, 0, buf.length, null);
          if (got === 0) break;
          timed(buf.subarray(0, got));
          // As a caller that keeps each call short does: drain what one push left queued (gzip only).
          while (p.backlog) timed(new Uint8Array(0));
        }
        fs.closeSync(fd);
        const e = performance.now();
        n += p.end().records.length;
        longest = Math.max(longest, performance.now() - e);
        records = n;
        first.push(firstAt);
        maxPush.push(longest);
        break;
      }
    }
    times.push(performance.now() - t0);
  }
  const r: ChildResult = { times, records, maxRssMB: process.resourceUsage().maxRSS / 1024 };
  if (first.length) r.firstRecordsMs = first;
  if (maxPush.length) r.maxPushMs = maxPush;
  return r;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function child(mode: Mode, file: string): ChildResult {
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', __filename, '--child', mode, file], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`${mode} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as ChildResult;
}

function main() {
  const made = spawnSync(process.execPath, [path.join(repoRoot, 'test', 'bench', 'make-data.mjs'), String(MB)], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error('could not build the benchmark file: ' + made.stderr);
  const file = made.stdout.trim();
  const gz = file + '.gz';
  const size = fs.statSync(file).size;
  console.log(`records bench: ${file} (${(size / 1048576).toFixed(1)} MB; gzip ${(fs.statSync(gz).size / 1048576).toFixed(1)} MB), ${RUNS} runs each, medians`);
  console.log(`node ${process.version}, ${require('node:os').cpus().length} cores`);

  const rows: [string, Mode, string][] = [
    ['read + JSON.parse (baseline)', 'baseline', file],
    ['core parseBytes', 'parseBytes', file],
    ['core StreamingParser (1 MB reads)', 'streaming', file],
    ['gz: read + gunzipSync + JSON.parse', 'baseline-gz', gz],
    ['gz: core parseBytes', 'parseBytes-gz', gz],
    ['gz: core StreamingParser', 'streaming-gz', gz],
  ];
  const results = new Map<Mode, ChildResult>();
  for (const [, mode, f] of rows) results.set(mode, child(mode, f));
  for (const [, mode] of DECODERS) results.set(mode, child(mode, gz));
  const base = median(results.get('baseline')!.times);
  const baseGz = median(results.get('baseline-gz')!.times);
  const want = results.get('baseline')!.records;
  console.log('');
  console.log('route'.padEnd(40) + 'median ms'.padStart(10) + '  ratio'.padStart(16) + 'MB/s'.padStart(8) + 'peak RSS MB'.padStart(13) + '  first records');
  for (const [label, mode] of rows) {
    const r = results.get(mode)!;
    const m = median(r.times);
    const ref = mode.endsWith('-gz') ? baseGz : base;
    const refName = mode.endsWith('-gz') ? 'gz base' : 'base';
    const firstMs = r.firstRecordsMs ? `${median(r.firstRecordsMs).toFixed(0)} ms; longest call ${median(r.maxPushMs ?? [0]).toFixed(0)} ms` : '';
    console.log(
      label.padEnd(40) +
        m.toFixed(0).padStart(10) +
        `${(m / ref).toFixed(2)} x ${refName}`.padStart(16) +
        (size / 1048576 / (m / 1000)).toFixed(0).padStart(8) +
        r.maxRssMB.toFixed(0).padStart(13) +
        '  ' +
        firstMs,
    );
    if (r.records !== want) console.log(`  !! ${label} counted ${r.records} records, baseline ${want}`);
  }
  // jq, when installed.
  const jq = spawnSync('jq', ['--version'], { encoding: 'utf8' });
  if (jq.status === 0) {
    const times: number[] = [];
    let out = '';
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      const t0 = performance.now();
      const r = spawnSync('jq', ['-c', '.Records | length', file], { encoding: 'utf8', maxBuffer: 1 << 20 });
      times.push(performance.now() - t0);
      out = r.stdout.trim();
    }
    const m = median(times);
    console.log('jq -c ".Records | length"'.padEnd(40) + m.toFixed(0).padStart(10) + `${(m / base).toFixed(2)} x base`.padStart(16) + (size / 1048576 / (m / 1000)).toFixed(0).padStart(8) + `  (${jq.stdout.trim()}, counted ${out})`);
  } else console.log('jq: not installed, skipped');
  // The gzip decoders alone on the same .gz (output MB/s), each in its own process.
  const zl = median(results.get('dec-zlib')!.times);
  console.log(`\ngzip decoders alone (${(size / 1048576).toFixed(0)} MB out of ${(fs.statSync(gz).size / 1048576).toFixed(1)} MB):`);
  console.log('decoder'.padEnd(40) + 'median ms'.padStart(10) + 'x zlib'.padStart(10) + 'MB/s'.padStart(8) + 'peak RSS MB'.padStart(13));
  for (const [label, mode] of DECODERS) {
    const r = results.get(mode)!;
    const m = median(r.times);
    console.log(label.padEnd(40) + m.toFixed(0).padStart(10) + (m / zl).toFixed(2).padStart(10) + (size / 1048576 / (m / 1000)).toFixed(0).padStart(8) + r.maxRssMB.toFixed(0).padStart(13));
    if (r.records !== size) console.log(`  !! ${label} produced ${r.records} bytes, expected ${size}`);
  }
  damageTable(file);
  const core = median(results.get('parseBytes')!.times);
  console.log(`\ngoal: core parseBytes <= 1.30 x read+JSON.parse -> ${(core / base).toFixed(2)} x (${core / base <= 1.3 ? 'met' : 'NOT met'})`);
}

function timeMedian(fn: () => void, runs = 3): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    gc();
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

function hostileShapes() {
  console.log('\nhostile shapes (issue 14, D7): time per MB should stay flat as the size grows');
  console.log('shape'.padEnd(34) + 'MB'.padStart(8) + 'ms'.padStart(10) + 'ms/MB'.padStart(9) + 'x JSON.parse'.padStart(14) + '  result');
  const rec = (i: number, extra = '') =>
    JSON.stringify({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::123456789012:user/u${i}`, accountId: '123456789012' },
      eventTime: '2024-01-01T00:00:00Z',
      eventSource: 's3.amazonaws.com',
      eventName: `GetObject${i}`,
      awsRegion: 'us-east-1',
      requestParameters: { bucketName: 'b', key: `k/${i}`, x: extra },
      eventID: `id-${i}`,
    });
  const row = (label: string, chars: number, ms: number, baseMsPerMB: number, note: string) => {
    const mbs = chars / 1048576;
    console.log(label.padEnd(34) + mbs.toFixed(1).padStart(8) + ms.toFixed(0).padStart(10) + (ms / mbs).toFixed(2).padStart(9) + (ms / mbs / baseMsPerMB).toFixed(2).padStart(14) + '  ' + note);
  };
  for (const n of [1000, 2000, 4000, 8000]) {
    const recs = Array.from({ length: n }, (_, i) => rec(i, 'x'.repeat(200)));
    const intact = '{"Records":[' + recs.join(',\n') + ']}';
    const broken = '{"Records":[' + recs.map((r) => r.slice(0, -1)).join(',\n') + ']}';
    const base = timeMedian(() => JSON.parse(intact));
    let problems = 0;
    const ms = timeMedian(() => (problems = parseText(broken).problems.length));
    row(`unclosed records, N=${n}`, broken.length, ms, base / (intact.length / 1048576), `${problems} problems listed`);
  }
  const enc = new TextEncoder();
  for (const mb of [16, 32, 60, 100, 200]) {
    const text = '{"Records":[' + rec(0) + ',' + rec(1, 'a'.repeat(mb * 1048576)) + ',' + rec(2) + ']}';
    const bytes = enc.encode(text);
    // JSON.parse of the same text where V8 allows it (always: < 512 M characters), in this run.
    const base = timeMedian(() => JSON.parse(text), 1);
    let got = 0;
    let rss = 0;
    const ms = timeMedian(() => {
      const p = new StreamingParser();
      got = 0;
      for (let i = 0; i < bytes.length; i += 1 << 20) got += p.push(bytes.subarray(i, i + (1 << 20))).length;
      const end = p.end();
      got += end.records.length;
      rss = Math.max(rss, process.memoryUsage().rss);
    });
    row(`one ${mb} MB string, streaming`, text.length, ms, base / (text.length / 1048576), `${got} of 3 records (${got < 3 ? 'over the 64 MB cap: skipped' : 'under the cap'}), rss ${(rss / 1048576).toFixed(0)} MB`);
  }
}

if (process.argv[2] === '--child') {
  const mode = process.argv[3] as Mode;
  if (mode.startsWith('dec-')) void runDecoder(mode as Decoder, process.argv[4]).then((r) => process.stdout.write(JSON.stringify(r) + '\n'));
  else process.stdout.write(JSON.stringify(runMode(mode, process.argv[4])) + '\n');
} else if (process.argv[2] === '--hostile') {
  hostileShapes();
} else {
  main();
  hostileShapes();
}
