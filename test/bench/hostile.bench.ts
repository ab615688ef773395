/**
 * Hostile inputs ("bombs") through the real CLI (out/cli.js, built by scripts/build.mjs), each in its own process:
 * exit code (only 0, 1 or 2 allowed), wall time, peak RSS (the child's own maxRSS, reported at exit by a preload),
 * records printed, and whether it hung (no end within HOSTILE_TIMEOUT_S, default 300). Inputs are built here in a
 * temporary folder. Figures are noisy on a shared machine; the point is bounded memory and a clean exit.
 *
 *   node build/test/bench/hostile.bench.js          (or: node test/bench/run.mjs hostile)
 * Env: HOSTILE_STRING_MB (600) — size of the one-string gzip bomb (issue 14, D2).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createGzip } from 'node:zlib';
import { repoRoot } from '../support/paths';

const STRING_MB = Number(process.env.HOSTILE_STRING_MB ?? 600);
const TIMEOUT_S = Number(process.env.HOSTILE_TIMEOUT_S ?? 300);
const cli = path.join(repoRoot, 'out', 'cli.js');

const rec = (i: number, extra = '') =>
  `{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"Op${i}","eventSource":"s3.amazonaws.com","awsRegion":"us-east-1","eventID":"id-${i}","x":"${extra}"}`;

/** Gzips a text given as pieces without holding it whole. */
async function gzipPieces(file: string, pieces: Iterable<string>): Promise<void> {
  const gz = createGzip({ level: 6 });
  const out = fs.createWriteStream(file);
  const done = new Promise<void>((res, rej) => {
    out.on('finish', () => res());
    out.on('error', rej);
  });
  gz.pipe(out);
  for (const p of pieces) if (!gz.write(p)) await new Promise((r) => gz.once('drain', r));
  gz.end();
  await done;
}

function* stringBomb(mb: number): Generator<string> {
  yield '{"Records":[' + rec(0) + ',' + rec(1).slice(0, -2);
  const chunk = 'a'.repeat(1 << 20);
  for (let i = 0; i < mb; i++) yield chunk;
  yield '"},' + rec(2) + ']}';
}

interface Outcome {
  name: string;
  status: number | string;
  secs: number;
  rssMB: number;
  records: string;
  hung: boolean;
}

function runCli(name: string, args: string[]): Outcome {
  const preload = path.join(os.tmpdir(), `ctl-maxrss-${process.pid}.js`);
  fs.writeFileSync(preload, "process.on('exit', () => process.stderr.write('\\nMAXRSS_KB ' + process.resourceUsage().maxRSS + '\\n'));\n");
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--require', preload, cli, 'records', ...args], { encoding: 'utf8', timeout: TIMEOUT_S * 1000, maxBuffer: 256 << 20 });
  const secs = (Date.now() - t0) / 1000;
  const rss = /MAXRSS_KB (\d+)/.exec(r.stderr ?? '');
  const first = (r.stdout ?? '').split('\n')[0] ?? '';
  const m = /, (\d+) records?/.exec(first);
  return {
    name,
    status: r.status ?? String(r.signal),
    secs,
    rssMB: rss ? Number(rss[1]) / 1024 : NaN,
    records: m ? m[1] : '?',
    hung: r.error !== undefined && /ETIMEDOUT/.test(String((r.error as NodeJS.ErrnoException).code)),
  };
}

async function main() {
  if (!fs.existsSync(cli)) throw new Error('out/cli.js missing: run `node scripts/build.mjs` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-bombs-'));
  try {
    const outcomes: Outcome[] = [];
    const strGz = path.join(dir, `string-${STRING_MB}mb.json.gz`);
    await gzipPieces(strGz, stringBomb(STRING_MB));
    outcomes.push(runCli(`one ${STRING_MB} MB string (.gz, ${(fs.statSync(strGz).size / 1024).toFixed(0)} KB)`, [strGz]));
    const unclosed = path.join(dir, 'unclosed.json');
    fs.writeFileSync(unclosed, '{"Records":[' + Array.from({ length: 8000 }, (_, i) => rec(i).slice(0, -1)).join(',\n') + ']}');
    outcomes.push(runCli('8,000 records without their }', [unclosed]));
    const deep = path.join(dir, 'deep.json');
    fs.writeFileSync(deep, '{"Records":[' + rec(0) + ',{"eventVersion":"1.08","x":' + '['.repeat(100_000) + ']'.repeat(100_000) + '},' + rec(2) + ']}');
    outcomes.push(runCli('record nested 100,000 deep', [deep]));
    const deepEvent = path.join(dir, 'deep-event.json');
    fs.writeFileSync(deepEvent, '{"eventVersion":"1.08","eventName":"X","x":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}');
    outcomes.push(runCli('single event nested 5,000 deep', [deepEvent]));
    const spaces = path.join(dir, 'spaces.json.gz');
    await gzipPieces(spaces, (function* () {
      const chunk = ' '.repeat(1 << 20);
      for (let i = 0; i < 256; i++) yield chunk;
    })());
    outcomes.push(runCli('256 MB of spaces (.gz)', [spaces]));
    if (fs.existsSync('/dev/zero')) outcomes.push(runCli('/dev/zero', ['/dev/zero']));
    console.log('bomb'.padEnd(44) + 'exit'.padStart(6) + 's'.padStart(8) + 'peak RSS MB'.padStart(13) + 'records'.padStart(9) + '  hung');
    for (const o of outcomes) {
      console.log(o.name.padEnd(44) + String(o.status).padStart(6) + o.secs.toFixed(1).padStart(8) + o.rssMB.toFixed(0).padStart(13) + o.records.padStart(9) + '  ' + (o.hung ? 'HUNG' : 'no'));
    }
    const bad = outcomes.filter((o) => o.hung || ![0, 1, 2].includes(o.status as number));
    const largest = outcomes[0];
    console.log(`\nbombs: ${outcomes.length}, exits other than 0/1/2: ${bad.length}, hangs: ${outcomes.filter((o) => o.hung).length}, peak RSS of the largest bomb (${largest.name}): ${largest.rssMB.toFixed(0)} MB`);
    if (bad.length) process.exitCode = 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
