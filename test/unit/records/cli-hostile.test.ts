// Hostile input through the bundled CLI (out/cli.js, built by `node scripts/build.mjs`), as a real subprocess.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

const cli = path.join(repoRoot, 'out', 'cli.js');
const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: opts.input, maxBuffer: 64 << 20, timeout: 60_000, env: { ...process.env, ...opts.env } });

describe('cloudtrail-lens records: hostile input', () => {
  let dir = '';
  before(() => {
    assert.ok(fs.existsSync(cli), 'out/cli.js missing: run `node scripts/build.mjs` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-hostile-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('D1: a record cannot inject a second record into --json output', () => {
    const forged = JSON.stringify({ isLosslessNumber: true, text: '1},{"eventName":"ForgedByInjection"' });
    const file = path.join(dir, 'forged.json');
    fs.writeFileSync(file, `{"Records":[{"eventVersion":"1.08","eventName":"A","requestParameters":${forged}},{"isLosslessNumber":true,"text":"2","eventName":"B"}]}`);
    const r = run(['records', '--json', file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const out = JSON.parse(r.stdout) as { records: Record<string, unknown>[]; problems: unknown[] };
    assert.equal(out.records.length, 2);
    assert.deepEqual(out.records.map((x) => x.eventName), ['A', 'B']);
    assert.deepEqual(out.records[0].requestParameters, JSON.parse(forged));
    assert.deepEqual(out.problems, []);
  });

  test('D3: --json prints every number with the text it was written with', () => {
    const file = path.join(dir, 'numbers.json');
    const nums = '"a":0.0,"b":1e400,"c":1.8e308,"d":-0,"e":1e-400,"f":1.50,"g":12345678901234567890,"h":1E3';
    fs.writeFileSync(file, `{"Records":[\n  {"eventName":"N", "requestParameters": {${nums.replace(/,/g, ', ')}}}\n]}`);
    const r = run(['records', '--json', file]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout.trim().split('\n').length, 1, 'one line per file');
    assert.ok(r.stdout.includes(`"requestParameters":{${nums}}`), r.stdout);
  });
});
