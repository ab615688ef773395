// Runs the bundled CLI (out/cli.js, built by `node scripts/build.mjs`) as a real subprocess.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpusDir, repoRoot } from '../../support/paths';

const cli = path.join(repoRoot, 'out', 'cli.js');
const run = (args: string[], input?: string) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input, maxBuffer: 64 << 20 });

describe('cloudtrail-lens records (subprocess)', () => {
  let dir = '';
  before(() => {
    assert.ok(fs.existsSync(cli), 'out/cli.js missing: run `node scripts/build.mjs` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-cli-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('human output: kind, count, exit 0', () => {
    const file = path.join(corpusDir, 'stratus-red-team', 'aws.execution.ssm-send-command.json');
    const want = (JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[]).length;
    const r = run(['records', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${file}: array, ${want} records\n`);
  });

  test('--json: one object per file, lossless records, problems with positions, exit 1 on errors', () => {
    const good = path.join(dir, 'big.json.gz');
    fs.writeFileSync(good, gzipSync('{"Records":[{"eventName":"A","n":123456789012345678901234567890,"__proto__":{"x":1}}]}'));
    const bad = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(bad, '{"eventName":"A"}\n{"eventName":\n{"eventName":"C"}\n');
    const r = run(['records', '--json', good, bad]);
    assert.equal(r.status, 1);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    assert.ok(lines[0].includes('"n":123456789012345678901234567890'), 'digits kept in the raw output');
    const a = JSON.parse(lines[0]);
    assert.equal(a.file, good);
    assert.equal(a.kind, 'log');
    assert.equal(a.records.length, 1);
    assert.ok(Object.prototype.hasOwnProperty.call(a.records[0], '__proto__'));
    assert.deepEqual(a.problems, []);
    const b = JSON.parse(lines[1]);
    assert.equal(b.kind, 'jsonl');
    assert.deepEqual(b.records.map((x: { eventName: string }) => x.eventName), ['A', 'C']);
    assert.equal(b.problems.length, 1);
    assert.deepEqual(Object.keys(b.problems[0]).slice(0, 4), ['severity', 'message', 'line', 'column']);
    assert.equal(b.problems[0].line, 2);
  });

  test('problems are printed as file:line:col: severity: message', () => {
    const bad = path.join(dir, 'cut.json');
    fs.writeFileSync(bad, '{"Records":[{"eventName":"A"},\n{"eventName":"B"');
    const r = run(['records', bad]);
    assert.equal(r.status, 1);
    const out = r.stdout.split('\n');
    assert.equal(out[0], `${bad}: log, 1 record`);
    assert.match(out[1], new RegExp(`^${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: error: .*truncated`));
  });

  test('digest: logFiles in --json', () => {
    const file = path.join(corpusDir, 'awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-validation-digest-file-structure__01.json');
    const want = JSON.parse(fs.readFileSync(file, 'utf8')).logFiles.length;
    const r = run(['records', '--json', file]);
    assert.equal(r.status, 0);
    assert.equal(JSON.parse(r.stdout).logFiles.length, want);
  });

  test('unreadable and non-CloudTrail files are error problems (exit 1)', () => {
    const txt = path.join(dir, 'notes.txt');
    fs.writeFileSync(txt, 'hello');
    const r = run(['records', path.join(dir, 'missing.json'), txt, dir]);
    assert.equal(r.status, 1);
    assert.match(r.stdout, /missing\.json:1:1: error: Cannot read this file: no such file/);
    assert.match(r.stdout, /notes\.txt:1:1: error: This is not a CloudTrail file/);
    assert.match(r.stdout, /is a directory/);
  });

  test('standard input with -', () => {
    const r = run(['records', '-'], '{"eventName":"A"}\n{"eventName":"B"}\n');
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '-: jsonl, 2 records\n');
  });

  test('usage errors exit 2; --help and --version exit 0', () => {
    assert.equal(run([]).status, 2);
    assert.equal(run(['records']).status, 2);
    assert.equal(run(['records', '--nope', 'x']).status, 2);
    assert.equal(run(['nope']).status, 2);
    const h = run(['--help']);
    assert.equal(h.status, 0);
    assert.match(h.stdout, /records/);
    const rh = run(['records', '--help']);
    assert.equal(rh.status, 0);
    assert.match(rh.stdout, /--json/);
    const v = run(['--version']);
    assert.equal(v.status, 0);
    assert.equal(v.stdout.trim(), JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version);
  });
});
