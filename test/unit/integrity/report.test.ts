// The saved report (chain per Region, gaps marked), the viewer banner text, the digest listing the tree shows,
// and validation narrowed to one account/Region (explorer nodes), over chains written by the fixtures.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bannerText, chainBar, formatReportMarkdown, readDigestListing, validateFolder } from '../../../src/core/integrity';
import { writeChain } from '../../support/integrity-fixtures';

let dir = '';
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-report-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test('report draws the chain with its gap and lists the files that failed', async () => {
  const fx = writeChain(dir, { hours: 6 });
  fs.rmSync(path.join(dir, fx.digests[2]));
  fs.rmSync(path.join(dir, fx.digests[3]));
  const r = await validateFolder(dir);
  const md = formatReportMarkdown(r, new Date(Date.UTC(2026, 1, 2)));
  assert.match(md, /Result: \*\*NOT fully verified\*\*/);
  assert.match(md, /### 111122223333 \/ us-east-1 \/ trail org_trail/);
  assert.match(md, /\*\*GAP\*\* 2026-01-31T23:00:00Z → 2026-02-01T01:00:00Z: 2 digests missing \(2 h\)/);
  assert.match(md, /2026-01-31T21:00:00Z → 2026-02-01T03:00:00Z: 4 h covered, 1 gap/);
  assert.equal(chainBar(r.chains[0]), '██░░██');
  // Logs of the missing hours are not listed by any digest: each is in the table with its reason.
  for (const l of [...fx.logs[2], ...fx.logs[3]]) assert.ok(md.includes(`\`${l}\``), l);
});

test('banner text says verified with the digest, or modified', async () => {
  const fx = writeChain(dir, { hours: 2 });
  const r = await validateFolder(dir);
  const f = r.files.find((x) => x.path === fx.logs[0][0])!;
  assert.equal(bannerText(f), `Verified: listed in digest ${path.basename(fx.digests[0])} (signature checked)`);
  assert.match(bannerText({ ...f, verdict: 'modified', reason: 'SHA-256 x differs' }), /^Modified after delivery: SHA-256 x differs/);
});

test('digest listing names each log object and where it sits locally', () => {
  const fx = writeChain(dir, { hours: 1, logsPerHour: 3, prefix: 'p' });
  const l = readDigestListing(fs.readFileSync(path.join(dir, fx.digests[0])), fx.digests[0]);
  assert.ok(!('error' in l));
  assert.deepEqual(l.logFiles.map((f) => f.localRel), fx.logs[0]);
  assert.deepEqual(l.logFiles.map((f) => f.name), fx.logs[0].map((x) => path.basename(x)));
  assert.ok('error' in readDigestListing(Buffer.from('{"x":1}'), 'a.json'));
});

test('validation narrowed to one Region leaves the others out', async () => {
  writeChain(dir, { hours: 2 });
  assert.equal((await validateFolder(dir, { only: { region: 'eu-west-1' } })).summary.files, 0);
  assert.ok((await validateFolder(dir, { only: { account: '111122223333', region: 'us-east-1' } })).summary.ok);
});
