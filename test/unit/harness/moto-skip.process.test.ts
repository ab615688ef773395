/**
 * The skip path when moto is missing, with a stand-in python that cannot import moto nor make a venv (a shell
 * script that always fails: the one stand-in here, since the point is a machine without moto):
 * - test/harness/moto.mjs (used by test/run.mjs and the integration set-up) gives a skip reason instead of a python;
 * - the moto-backed unit tests then report themselves as skipped, not failed;
 * - the run's verdict: "N passed, M failed, K skipped", and under CI=true a skip fails the run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../support/paths';

const motoMjs = pathToFileURL(path.join(repoRoot, 'test', 'harness', 'moto.mjs')).href;

function noMotoEnv(dir: string): NodeJS.ProcessEnv {
  const fake = path.join(dir, 'python-without-moto');
  fs.writeFileSync(fake, '#!/bin/sh\necho "No module named moto" >&2\nexit 1\n', { mode: 0o755 });
  const env: NodeJS.ProcessEnv = { ...process.env, CLOUDTRAIL_LENS_MOTO_PYTHON: fake, CLOUDTRAIL_LENS_MOTO_VENV: path.join(dir, 'venv') };
  delete env.CLOUDTRAIL_LENS_MOTO_RESOLVED;
  delete env.CLOUDTRAIL_LENS_MOTO_SKIP;
  delete env.CI;
  delete env.NODE_TEST_CONTEXT;
  return env;
}

function harness(script: string, env: NodeJS.ProcessEnv): string {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import * as m from ${JSON.stringify(motoMjs)};\n${script}`], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test('without moto the harness gives a skip reason, and the AWS unit tests report skipped', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-nomoto-'));
  try {
    const env = noMotoEnv(dir);
    const found = JSON.parse(harness(`console.log(JSON.stringify(m.resolveMotoPython({ repoRoot: ${JSON.stringify(repoRoot)}, log: () => {} })));`, env)) as { skip?: string; python?: string };
    assert.equal(found.python, undefined);
    assert.match(found.skip ?? '', /moto is not installed .* -m venv` failed/);
    // A test file with moto-backed tests (compiled next to this one) run alone: those are skipped, not failed.
    const compiled = path.join(__dirname, '..', 'aws', 'errors.server.test.js');
    assert.ok(fs.existsSync(compiled), compiled);
    const r = spawnSync(process.execPath, ['--test', '--test-reporter=tap', compiled], { env, encoding: 'utf8', timeout: 120_000 });
    const n = (k: string) => Number(/^# (\w+) (\d+)/m.test(r.stdout) ? (r.stdout.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] : NaN);
    assert.equal(n('fail'), 0, r.stdout.slice(-2000));
    assert.ok(n('skipped') > 0, r.stdout.slice(-2000));
    assert.match(r.stdout, /# SKIP no moto: moto is not installed/);
    assert.equal(r.status, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the closing line counts skips, and under CI=true a skip fails the run', () => {
  const verdict = (totals: object, env: object) => JSON.parse(harness(`console.log(JSON.stringify(m.runVerdict(${JSON.stringify(totals)}, ${JSON.stringify(env)})));`, process.env)) as { line: string; failed: number; reason?: string };
  const local = verdict({ passed: 10, failed: 0, skipped: 3 }, { CLOUDTRAIL_LENS_MOTO_SKIP: 'no moto here' });
  assert.equal(local.line, '10 passed, 0 failed, 3 skipped');
  assert.equal(local.failed, 0);
  const ci = verdict({ passed: 10, failed: 0, skipped: 3 }, { CI: 'true', CLOUDTRAIL_LENS_MOTO_SKIP: 'no moto here' });
  assert.equal(ci.failed, 1);
  assert.equal(ci.line, '10 passed, 1 failed, 3 skipped');
  assert.match(ci.reason ?? '', /3 skipped test\(s\) under CI=true \(no moto here\)/);
  const ciClean = verdict({ passed: 10, failed: 0, skipped: 0 }, { CI: 'true' });
  assert.deepEqual([ciClean.line, ciClean.failed], ['10 passed, 0 failed', 0]);
});
