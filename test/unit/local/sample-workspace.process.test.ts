// Runs scripts/sample-workspace.mjs as a user would (a child Node process) into temporary folders.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { corpusDir, repoRoot } from '../../support/paths';
import { scanFolder } from '../../../src/core/local/scan';
import { nodeLister } from '../../../src/core/local/node-fs';
import { validate } from '../../../src/core/selectors/validate';

const script = path.join(repoRoot, 'scripts', 'sample-workspace.mjs');

function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p).split(path.sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

describe('sample workspace generator', () => {
  let a: string;
  let b: string;
  const run = (out: string) => execFileSync(process.execPath, [script, '--out', out, '--corpus', corpusDir], { encoding: 'utf8' });

  before(() => {
    a = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-sample-a-'));
    b = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-sample-b-'));
    run(a);
    run(b);
  });
  after(() => {
    fs.rmSync(a, { recursive: true, force: true });
    fs.rmSync(b, { recursive: true, force: true });
  });

  test('deterministic: two runs give identical files', () => {
    const fa = listFiles(a);
    assert.deepEqual(fa, listFiles(b));
    for (const f of fa) assert.ok(fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))), f);
  });

  test('idempotent: a second run writes nothing and removes stale files', () => {
    const stale = path.join(a, 'AWSLogs', '111122223333', 'CloudTrail', 'us-east-1', 'stale.json.gz');
    fs.mkdirSync(path.dirname(stale), { recursive: true });
    fs.writeFileSync(stale, 'x');
    const out = run(a);
    assert.match(out, / 0 files written, 1 stale removed/);
    assert.ok(!fs.existsSync(stale));
  });

  test('log files follow CloudTrail naming and hold {"Records": [...]}', () => {
    const logs = listFiles(a).filter((f) => f.includes('/CloudTrail/'));
    assert.ok(logs.length > 100, `${logs.length} log files`);
    const re = /^AWSLogs\/(o-[a-z0-9]+\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8})T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/;
    let records = 0;
    for (const f of logs) {
      const m = re.exec(f);
      assert.ok(m, f);
      assert.equal(m[7], m[2], 'account in name = folder');
      assert.equal(m[8], m[3], 'region in name = folder');
      assert.equal(m[9], `${m[4]}${m[5]}${m[6]}`, 'date in name = folders');
      const doc = JSON.parse(gunzipSync(fs.readFileSync(path.join(a, f))).toString('utf8'));
      assert.ok(Array.isArray(doc.Records) && doc.Records.length > 0);
      records += doc.Records.length;
    }
    assert.ok(records > 900, `${records} records`);
    assert.ok(logs.some((f) => f.startsWith('AWSLogs/o-')), 'an organization trail is included');
  });

  test('digests list every log file once, with the SHA-256 of its uncompressed bytes, and chain correctly', () => {
    const all = listFiles(a);
    const logs = new Set(all.filter((f) => f.includes('/CloudTrail/')));
    const digests = all.filter((f) => f.includes('/CloudTrail-Digest/'));
    assert.ok(digests.length > 0);
    const listed = new Set<string>();
    const byObject = new Map<string, { text: Buffer; doc: Record<string, unknown> }>();
    for (const f of digests) {
      assert.match(path.posix.basename(f), /^\d{12}_CloudTrail-Digest_[a-z0-9-]+_[A-Za-z0-9._-]+_[a-z0-9-]+_\d{8}T\d{6}Z\.json\.gz$/);
      const text = gunzipSync(fs.readFileSync(path.join(a, f)));
      const doc = JSON.parse(text.toString('utf8'));
      assert.equal(doc.digestS3Object, f, 'digestS3Object is where the file is');
      byObject.set(f, { text, doc });
      for (const lf of doc.logFiles as { s3Object: string; hashValue: string; hashAlgorithm: string }[]) {
        assert.ok(logs.has(lf.s3Object), lf.s3Object);
        assert.ok(!listed.has(lf.s3Object), 'listed once');
        listed.add(lf.s3Object);
        assert.equal(lf.hashAlgorithm, 'SHA-256');
        const hash = createHash('sha256').update(gunzipSync(fs.readFileSync(path.join(a, lf.s3Object)))).digest('hex');
        assert.equal(lf.hashValue, hash, lf.s3Object);
      }
    }
    assert.equal(listed.size, logs.size, 'every log file is in a digest');
    let starts = 0;
    for (const { doc } of byObject.values()) {
      if (doc.previousDigestS3Object === null) {
        starts++;
        assert.equal(doc.previousDigestHashValue, null);
        continue;
      }
      const prev = byObject.get(doc.previousDigestS3Object as string);
      assert.ok(prev, 'previous digest exists');
      assert.equal(doc.previousDigestHashValue, createHash('sha256').update(prev.text).digest('hex'));
    }
    assert.ok(starts >= 1);
  });

  test('loose files, selectors, README and settings are there', () => {
    const all = new Set(listFiles(a));
    for (const f of ['README.md', 'trail.selectors.json', '.vscode/settings.json', 'other-files/events.jsonl', 'other-files/lookup-events.json', 'other-files/truncated-download.json.gz']) {
      assert.ok(all.has(f), f);
    }
    const lookup = JSON.parse(fs.readFileSync(path.join(a, 'other-files/lookup-events.json'), 'utf8'));
    assert.ok(lookup.Events.length > 0);
    for (const e of lookup.Events) assert.equal(typeof JSON.parse(e.CloudTrailEvent).eventName, 'string');
    const selectors = JSON.parse(fs.readFileSync(path.join(a, 'trail.selectors.json'), 'utf8'));
    for (const s of selectors) {
      const cat = s.FieldSelectors.find((f: { Field: string }) => f.Field === 'eventCategory');
      assert.ok(cat && Array.isArray(cat.Equals), 'eventCategory with Equals in every selector');
      if (cat.Equals[0] === 'Data') assert.equal(s.FieldSelectors.filter((f: { Field: string }) => f.Field === 'resources.type').length, 1);
    }
    // And the project's own selector validator finds nothing wrong with it.
    const diags = validate(fs.readFileSync(path.join(a, 'trail.selectors.json'), 'utf8'), { fileName: 'trail.selectors.json', target: 'trail' });
    assert.deepEqual(diags.filter((d) => d.severity === 'error' || d.severity === 'warning'), []);
    const settings = JSON.parse(fs.readFileSync(path.join(a, '.vscode/settings.json'), 'utf8'));
    assert.deepEqual(settings['cloudtrailLens.logFolders'], ['AWSLogs', 'other-files']);
    assert.equal(settings['workbench.startupEditor'], 'readme', 'the README opens with the window');
    // A truncated gzip really is truncated.
    assert.throws(() => gunzipSync(fs.readFileSync(path.join(a, 'other-files/truncated-download.json.gz'))));
  });

  test('the scanner understands the generated tree', async () => {
    const r = await scanFolder(nodeLister(path.join(a, 'AWSLogs')), { rootName: 'AWSLogs' });
    assert.equal(r.index.other.length, 0, 'nothing unplaced under AWSLogs');
    const org = r.index.accounts.filter((x) => x.orgIds.includes('o-sample0org1'));
    assert.ok(org.length > 0);
    const loose = await scanFolder(nodeLister(path.join(a, 'other-files')), { rootName: 'other-files' });
    assert.deepEqual(loose.index.accounts.map((x) => x.account), ['111122223333'], 'the CloudTrail-named loose file is placed by name');
    assert.equal(loose.index.other.length, 4);
  });
});
