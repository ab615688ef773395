// Runs the bundled CLI (out/cli.js, built by `node scripts/build.mjs`) as a real subprocess on a generated chain.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { writeChain, ChainFixture } from '../../support/integrity-fixtures';

const cli = path.join(repoRoot, 'out', 'cli.js');
// HOME without ~/.aws and no AWS_* variables: the CLI must not try to fetch keys online here.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_')));
const run = (args: string[], home: string) =>
  spawnSync(process.execPath, [cli, 'validate', ...args], { encoding: 'utf8', env: { ...env, HOME: home }, maxBuffer: 64 << 20 });

describe('cloudtrail-lens validate (subprocess)', () => {
  let dir = '';
  let fx: ChainFixture;
  before(() => {
    assert.ok(fs.existsSync(cli), 'out/cli.js missing: run `node scripts/build.mjs` first');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-validate-'));
    fx = writeChain(path.join(dir, 'logs'), { hours: 3 });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('untouched folder: one "path: valid: reason" line per file, summary, exit 0', () => {
    const r = run([path.join(dir, 'logs')], dir);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    const fileLines = lines.filter((l) => l.startsWith('AWSLogs/'));
    assert.equal(fileLines.length, fx.digests.length + fx.logs.flat().length);
    for (const l of fileLines) assert.match(l, /^AWSLogs\/\S+: valid: /);
    assert.ok(lines.some((l) => /3 signatures checked, 0 not checked/.test(l)), r.stdout);
    assert.ok(lines.some((l) => l.startsWith('chain 111122223333/us-east-1/org_trail: 2026-01-31T21:00:00Z..2026-02-01T00:00:00Z')), r.stdout);
  });

  test('--json: summary and one entry per file; a deleted log gives exit 1', () => {
    const gone = fx.logs[1][0];
    const saved = fs.readFileSync(path.join(dir, 'logs', gone));
    fs.rmSync(path.join(dir, 'logs', gone));
    try {
      const r = run([path.join(dir, 'logs'), '--json'], dir);
      assert.equal(r.status, 1, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.summary.ok, false);
      assert.equal(out.summary.byVerdict.missing, 1);
      assert.equal(out.files.length, fx.digests.length + fx.logs.flat().length);
      assert.equal(out.files.find((f: { path: string }) => f.path === gone).verdict, 'missing');
    } finally {
      fs.writeFileSync(path.join(dir, 'logs', gone), saved);
    }
  });

  test('--keys from elsewhere, and the time range', () => {
    const keys = path.join(dir, 'keys.json');
    fs.renameSync(path.join(dir, 'logs', 'public-keys.json'), keys);
    try {
      const without = run([path.join(dir, 'logs')], dir);
      assert.equal(without.status, 1);
      assert.match(without.stdout, /signature-unchecked: signature not checked: no public key with fingerprint/);
      const r = run([path.join(dir, 'logs'), '--keys', keys, '--start-time', '2026-01-31T23:00:00Z', '--end-time', '20260201T00:00:00Z'], dir);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      // Digests ending 23:00 and 00:00 (inclusive) and the four logs they list.
      assert.match(r.stdout, /^6 files \(4 log, 2 digest\): 6 valid; 2 signatures checked, 0 not checked$/m);
    } finally {
      fs.renameSync(keys, path.join(dir, 'logs', 'public-keys.json'));
    }
  });

  test('usage errors exit 2', () => {
    assert.equal(run([], dir).status, 2);
    assert.equal(run([path.join(dir, 'nope')], dir).status, 2);
    assert.equal(run([path.join(dir, 'logs'), '--start-time', 'yesterday'], dir).status, 2);
    assert.equal(run([path.join(dir, 'logs'), '--bogus'], dir).status, 2);
    assert.equal(run([path.join(dir, 'logs'), '--keys', path.join(dir, 'none.json')], dir).status, 2);
    const help = run(['--help'], dir);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Usage: cloudtrail-lens validate DIR/);
  });
});
