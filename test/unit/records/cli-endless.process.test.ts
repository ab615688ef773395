// D6: endless inputs through the bundled CLI (out/cli.js) as a real subprocess. /dev/zero never ends and its
// stat().size is 0, so only a reader that stops on what it has read can finish. The subprocess timeout is a hang
// guard (the test fails if it fires), not a time assertion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

const cli = path.join(repoRoot, 'out', 'cli.js');
const hasZero = fs.existsSync('/dev/zero');
const run = (args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 120_000, maxBuffer: 16 << 20 });

test('records /dev/zero stops once it has decided the input is binary', { skip: !hasZero && 'no /dev/zero here' }, () => {
  const r = run(['records', '/dev/zero']);
  assert.equal(r.signal, null, 'ended by itself, not by the hang guard');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /binary data, not JSON text/);
});

test('lint /dev/zero counts the bytes it reads against its cap, not stat().size', { skip: !hasZero && 'no /dev/zero here' }, () => {
  const r = run(['lint', '/dev/zero']);
  assert.equal(r.signal, null, 'ended by itself, not by the hang guard');
  assert.equal(r.status, 1);
  assert.match(r.stdout, /Cannot read the file: it is larger than 32 MB/);
});

test('match refuses /dev/zero as a log file the same way', { skip: !hasZero && 'no /dev/zero here' }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-endless-'));
  try {
    const sel = path.join(dir, 'x.selectors.json');
    fs.writeFileSync(sel, JSON.stringify([{ Name: 'x', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]));
    const r = run(['match', sel, '/dev/zero']);
    assert.equal(r.signal, null, 'ended by itself, not by the hang guard');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /cannot read \/dev\/zero: it is larger than 512 MB/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
