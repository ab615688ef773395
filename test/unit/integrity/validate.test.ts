// Offline integrity validation against a chain written here exactly as CloudTrail writes one (real RSA keys,
// real gzip, real SHA-256), then tampered with in each way a responder must catch.
import { test, describe, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import { validateFolder, FileReport, ValidationReport } from '../../../src/core/integrity';
import { otherKeyPair, signDigest, writeChain, writeKeysFile, ChainFixture } from '../../support/integrity-fixtures';

const byPath = (r: ValidationReport) => new Map(r.files.map((f) => [f.path, f]));
const failures = (r: ValidationReport) => r.files.filter((f) => f.verdict !== 'valid');
const verdictOf = (r: ValidationReport, p: string): FileReport => {
  const f = byPath(r).get(p);
  assert.ok(f, `no entry for ${p}; entries: ${r.files.map((x) => x.path).join(', ')}`);
  return f;
};

/** Rewrites a digest's JSON (and keeps it a well-formed gzip file). */
function editDigest(root: string, rel: string, edit: (j: Record<string, unknown>) => void) {
  const file = path.join(root, rel);
  const j = JSON.parse(gunzipSync(fs.readFileSync(file)).toString('utf8')) as Record<string, unknown>;
  edit(j);
  fs.writeFileSync(file, gzipSync(JSON.stringify(j)));
}

describe('integrity: untouched chain', () => {
  let dir = '';
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-integrity-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('every log and digest is valid and every signature checked (newest via the metadata sidecar)', async () => {
    const fx = writeChain(dir);
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r), []);
    assert.equal(r.summary.logFiles, fx.logs.flat().length);
    assert.equal(r.summary.digestFiles, fx.digests.length);
    assert.equal(r.summary.signaturesChecked, fx.digests.length);
    assert.equal(r.summary.ok, true);
    assert.equal(verdictOf(r, fx.digests[0]).starting, true);
    assert.match(verdictOf(r, fx.logs[2][0]).reason, /listed in digest .*signature checked/);
    assert.deepEqual(r.chains.map((c) => c.parts.map((p) => p.type)), [['covered']]);
    assert.equal(r.chains[0].parts[0].from, '2026-01-31T21:00:00Z');
    assert.equal(r.chains[0].parts[0].to, '2026-02-01T02:00:00Z');
  });

  test('organization trail under a key prefix', async () => {
    const fx = writeChain(dir, { orgId: 'o-abcdefghij', prefix: 'bucket/pfx' });
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r), []);
    assert.equal(r.summary.files, fx.logs.flat().length + fx.digests.length);
    assert.equal(r.chains[0].prefixDir, 'bucket/pfx');
    assert.equal(r.chains[0].orgId, 'o-abcdefghij');
  });

  test('newest digest without its sidecar: signature not checked, says why; the rest is proven', async () => {
    const fx = writeChain(dir, { noSidecar: true });
    const r = await validateFolder(dir);
    const newest = verdictOf(r, fx.digests.at(-1)!);
    assert.equal(newest.verdict, 'signature-unchecked');
    assert.match(newest.reason, /newest digest without metadata/);
    assert.equal(r.summary.signaturesChecked, fx.digests.length - 1);
    assert.equal(r.summary.ok, false);
    // Its log files match their hashes, but the listing itself is unproven.
    assert.deepEqual(
      failures(r).map((f) => [f.path, f.verdict]).sort(),
      [[fx.digests.at(-1)!, 'signature-unchecked'], ...fx.logs.at(-1)!.map((l) => [l, 'signature-unchecked'])].sort(),
    );
  });

  test('no public key for the fingerprint: every signature unchecked, naming the fingerprint', async () => {
    const fx = writeChain(dir, { noKeysFile: true });
    const r = await validateFolder(dir);
    for (const d of fx.digests) {
      const v = verdictOf(r, d);
      assert.equal(v.verdict, 'signature-unchecked');
      assert.ok(v.reason.includes(fx.fingerprint), v.reason);
    }
    // --keys supplies them.
    const keys = path.join(os.tmpdir(), `ctl-keys-${process.pid}.json`);
    writeChain(path.join(dir, 'again'), {}); // writes public-keys.json under again/
    fs.copyFileSync(path.join(dir, 'again', 'public-keys.json'), keys);
    fs.rmSync(path.join(dir, 'again'), { recursive: true });
    const r2 = await validateFolder(dir, { keyFiles: [keys] });
    fs.rmSync(keys);
    assert.deepEqual(failures(r2), []);
  });
});

describe('integrity: tampering', () => {
  let dir = '';
  let fx: ChainFixture;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-integrity-'));
    fx = writeChain(dir, { hours: 6 });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('one log edited → modified, everything else valid', async () => {
    const target = fx.logs[2][1];
    const text = gunzipSync(fs.readFileSync(path.join(dir, target))).toString('utf8').replace('198.51.100.3', '203.0.113.3');
    fs.writeFileSync(path.join(dir, target), gzipSync(text));
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]), [[target, 'modified']]);
    assert.match(verdictOf(r, target).reason, /SHA-256 [0-9a-f]{64} differs/);
  });

  test('one log deleted → missing, naming the digest that lists it', async () => {
    const target = fx.logs[4][0];
    fs.rmSync(path.join(dir, target));
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]), [[target, 'missing']]);
    assert.equal(verdictOf(r, target).digest, fx.digests[4]);
  });

  test('one log added → not listed', async () => {
    const extra = fx.logs[3][0].replace(/_Abc\d+\.json\.gz$/, '_Forged0000000000.json.gz');
    fs.writeFileSync(path.join(dir, extra), gzipSync('{"Records":[]}'));
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]), [[extra, 'not-listed']]);
  });

  test('one digest deleted → digest missing, a gap of one hour; its logs are not listed', async () => {
    fs.rmSync(path.join(dir, fx.digests[2]));
    const r = await validateFolder(dir);
    const missing = verdictOf(r, fx.digests[2]);
    assert.equal(missing.verdict, 'digest-missing');
    assert.deepEqual(missing.gap, { from: '2026-01-31T23:00:00Z', to: '2026-02-01T00:00:00Z', hours: 1, digests: 1 });
    for (const l of fx.logs[2]) assert.equal(verdictOf(r, l).verdict, 'not-listed');
    assert.match(verdictOf(r, fx.logs[2][0]).reason, /chain gap/);
    // The digests around the gap are still proven: the older one by its own successor's link is gone, so its
    // signature is unchecked unless a sidecar exists — it has none here.
    assert.equal(verdictOf(r, fx.digests[1]).verdict, 'signature-unchecked');
    assert.equal(verdictOf(r, fx.digests[3]).verdict, 'valid');
    assert.deepEqual(r.chains[0].parts.map((p) => p.type), ['covered', 'gap', 'covered']);
    assert.equal(r.summary.ok, false);
  });

  test('two consecutive digests deleted → one gap of two hours, two digests', async () => {
    fs.rmSync(path.join(dir, fx.digests[2]));
    fs.rmSync(path.join(dir, fx.digests[3]));
    const r = await validateFolder(dir);
    const gaps = r.files.filter((f) => f.verdict === 'digest-missing');
    assert.equal(gaps.length, 1);
    assert.equal(gaps[0].path, fx.digests[3]);
    assert.deepEqual(gaps[0].gap, { from: '2026-01-31T23:00:00Z', to: '2026-02-01T01:00:00Z', hours: 2, digests: 2 });
    for (const l of [...fx.logs[2], ...fx.logs[3]]) assert.equal(verdictOf(r, l).verdict, 'not-listed');
  });

  test('forged signature in the sidecar → signature invalid', async () => {
    const side = path.join(dir, fx.digests.at(-1)! + '.metadata.json');
    const head = JSON.parse(fs.readFileSync(side, 'utf8'));
    const sig: string = head.Metadata.signature;
    head.Metadata.signature = (sig[0] === 'a' ? 'b' : 'a') + sig.slice(1);
    fs.writeFileSync(side, JSON.stringify(head));
    const r = await validateFolder(dir);
    assert.deepEqual(
      failures(r).map((f) => [f.path, f.verdict]).sort(),
      [[fx.digests.at(-1)!, 'signature-invalid'], ...fx.logs.at(-1)!.map((l) => [l, 'signature-unchecked'])].sort(),
    );
    assert.match(verdictOf(r, fx.logs.at(-1)![0]).reason, /not proven \(signature-invalid\)/);
  });

  test('digest rewritten and re-signed with another key that claims the real fingerprint → signature invalid', async () => {
    const other = otherKeyPair();
    // Edit the newest digest (drop a log entry to hide a deleted log) and sign it with the attacker's key.
    const rel = fx.digests.at(-1)!;
    let signed = '';
    editDigest(dir, rel, (j) => {
      (j.logFiles as unknown[]).pop();
    });
    const content = gunzipSync(fs.readFileSync(path.join(dir, rel)));
    const sha = (await import('node:crypto')).createHash('sha256').update(content).digest('hex');
    const j = JSON.parse(content.toString('utf8'));
    signed = signDigest(other.privateKey, j.digestEndTime, j.digestS3Bucket, j.digestS3Object, sha, j.previousDigestSignature);
    const side = path.join(dir, rel + '.metadata.json');
    fs.writeFileSync(side, JSON.stringify({ Metadata: { signature: signed, 'signature-algorithm': 'SHA256withRSA' } }));
    fs.rmSync(path.join(dir, fx.logs[5][1]));
    const r = await validateFolder(dir);
    assert.equal(verdictOf(r, rel).verdict, 'signature-invalid');
    // And with the attacker's key under its own fingerprint, the fingerprint named in the digest still decides.
    writeKeysFile(path.join(dir, 'public-keys-attacker.json'), [{ der: other.publicDer, fingerprint: other.fingerprint }]);
    const r2 = await validateFolder(dir);
    assert.equal(verdictOf(r2, rel).verdict, 'signature-invalid');
  });

  test('a middle digest edited → modified (hash differs from the next previousDigestHashValue)', async () => {
    editDigest(dir, fx.digests[3], (j) => {
      (j.logFiles as { hashValue: string }[])[0].hashValue = '0'.repeat(64);
    });
    const r = await validateFolder(dir);
    const d = verdictOf(r, fx.digests[3]);
    assert.equal(d.verdict, 'modified');
    assert.match(d.reason, /previousDigestHashValue/);
    assert.notEqual(verdictOf(r, fx.logs[3][0]).verdict, 'valid');
  });

  test('digest moved to another folder → moved', async () => {
    const from = fx.digests[1];
    const to = from.replace('/CloudTrail-Digest/us-east-1/2026/01/31/', '/CloudTrail-Digest/us-east-1/2026/01/30/');
    fs.mkdirSync(path.dirname(path.join(dir, to)), { recursive: true });
    fs.renameSync(path.join(dir, from), path.join(dir, to));
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]), [[to, 'moved']]);
    assert.match(verdictOf(r, to).reason, /says it was written to trail-bucket\//);
  });

  test('extra data after the gzip stream of a log → modified even though the content hash matches', async () => {
    const target = fx.logs[1][0];
    fs.appendFileSync(path.join(dir, target), gzipSync('{"Records":[{"eventName":"Hidden"}]}'));
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]), [[target, 'modified']]);
    assert.match(verdictOf(r, target).reason, /extra data after the gzip stream/);
  });

  test('two files swapped between days → both modified', async () => {
    const a = path.join(dir, fx.logs[0][0]); // 2026-01-31
    const b = path.join(dir, fx.logs[4][0]); // 2026-02-01
    assert.notEqual(path.dirname(a), path.dirname(b));
    const ta = fs.readFileSync(a);
    fs.writeFileSync(a, fs.readFileSync(b));
    fs.writeFileSync(b, ta);
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]).sort(), [[fx.logs[0][0], 'modified'], [fx.logs[4][0], 'modified']].sort());
  });

  test('a file moved to another day → missing where listed, not listed where found', async () => {
    const from = fx.logs[4][1];
    const to = from.replace('/2026/02/01/', '/2026/01/31/').replace(/_20260201T/, '_20260131T');
    fs.renameSync(path.join(dir, from), path.join(dir, to));
    const r = await validateFolder(dir);
    assert.deepEqual(failures(r).map((f) => [f.path, f.verdict]).sort(), [[from, 'missing'], [to, 'not-listed']].sort());
  });

  test('time range: only digests and logs inside it are reported', async () => {
    const r = await validateFolder(dir, { startTime: new Date('2026-02-01T00:30:00Z'), endTime: new Date('2026-02-01T03:00:00Z') });
    // Digests ending 01:00, 02:00, 03:00 and the logs they list (6), nothing else.
    assert.equal(r.summary.digestFiles, 3);
    assert.equal(r.summary.logFiles, 6);
    assert.deepEqual(failures(r), []);
  });

  test('cancel stops with ValidationCancelled', async () => {
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(validateFolder(dir, { signal: ac.signal }), /cancelled/);
  });
});
