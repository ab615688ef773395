import { test, describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { classifyPath, parseCloudTrailFileName, groupFiles, isCandidateFile, shortFileLabel } from '../../../src/core/local/layout';
import { scanFolder } from '../../../src/core/local/scan';
import { nodeLister } from '../../../src/core/local/node-fs';

describe('file names', () => {
  test('log file name from the AWS documentation', () => {
    assert.deepEqual(parseCloudTrailFileName('111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz'), {
      category: 'log',
      account: '111122223333',
      region: 'us-east-2',
      day: '2015-08-01',
      deliveredAt: '2015-08-01T02:10Z',
    });
  });

  test('digest name: delivering Region is the third part, time has seconds', () => {
    assert.deepEqual(parseCloudTrailFileName('111122223333_CloudTrail-Digest_eu-west-1_my_trail_us-east-1_20240131T235959Z.json.gz'), {
      category: 'digest',
      account: '111122223333',
      region: 'eu-west-1',
      day: '2024-01-31',
      deliveredAt: '2024-01-31T23:59:59Z',
    });
  });

  test('names that only look similar are not accepted', () => {
    assert.equal(parseCloudTrailFileName('events.json'), undefined);
    assert.equal(parseCloudTrailFileName('111122223333_CloudTrail_us-east-1_notatime_X.json.gz'), undefined);
    assert.equal(parseCloudTrailFileName('111122223333_CloudTrail_us-east-1_20241301T0000Z_X.json.gz'), undefined, 'month 13');
    assert.equal(parseCloudTrailFileName('111122223333_Other_us-east-1_20240101T0000Z_X.json.gz'), undefined);
  });

  test('candidate extensions', () => {
    for (const n of ['a.json', 'a.json.gz', 'a.jsonl', 'A.JSON.GZ', 'a.ndjson', 'x.gz']) assert.ok(isCandidateFile(n), n);
    for (const n of ['a.txt', 'README.md', 'a.json.bak', 'gz']) assert.ok(!isCandidateFile(n), n);
  });
});

describe('classifying paths', () => {
  test('standard layout', () => {
    const f = classifyPath('AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/111122223333_CloudTrail_us-east-1_20240115T0105Z_AAAAAAAAAAAAAAAA.json.gz');
    assert.equal(f.category, 'log');
    assert.equal(f.account, '111122223333');
    assert.equal(f.region, 'us-east-1');
    assert.equal(f.day, '2024-01-15');
    assert.equal(f.orgId, undefined);
    assert.equal(f.deliveredAt, '2024-01-15T01:05Z');
  });

  test('organization trail layout and a bucket prefix', () => {
    const f = classifyPath('my-prefix/AWSLogs/o-abcdefghij/222233334444/CloudTrail/cn-northsouth-2r/2023/12/31/anything.json.gz');
    assert.equal(f.category, 'log');
    assert.equal(f.orgId, 'o-abcdefghij');
    assert.equal(f.account, '222233334444');
    assert.equal(f.region, 'cn-northsouth-2r', 'unknown (even fake) Region names are kept');
    assert.equal(f.day, '2023-12-31');
  });

  test('the path wins over the name; the name fills what the path lacks', () => {
    const f = classifyPath('AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/999988887777_CloudTrail_eu-west-1_20240102T0000Z_X.json.gz');
    assert.equal(f.account, '111122223333');
    assert.equal(f.region, 'us-east-1');
    assert.equal(f.day, '2024-01-15');
    const g = classifyPath('AWSLogs/111122223333/CloudTrail/us-east-1/111122223333_CloudTrail_us-east-1_20240102T0000Z_X.json.gz');
    assert.equal(g.day, '2024-01-02', 'no date folders: day from the name');
  });

  test('the added folder itself can be part of the layout', () => {
    const f = classifyPath('us-west-2/2024/03/04/some.json.gz', 'CloudTrail');
    // "CloudTrail" without an account above it cannot be placed: other.
    assert.equal(f.category, 'other');
    const g = classifyPath('CloudTrail/us-west-2/2024/03/04/some.json.gz', '444455556666');
    assert.equal(g.category, 'log');
    assert.equal(g.account, '444455556666');
    assert.equal(g.region, 'us-west-2');
    assert.equal(g.day, '2024-03-04');
  });

  test('digest and insight folders', () => {
    assert.equal(classifyPath('AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/15/d.json.gz').category, 'digest');
    assert.equal(classifyPath('AWSLogs/1/CloudTrail-Insight/us-east-1/2024/01/15/i.json.gz').category, 'insight');
  });

  test('loose files', () => {
    const named = classifyPath('downloads/333344445555_CloudTrail_ap-south-1_20230301T1200Z_BBBBBBBBBBBBBBBB.json.gz');
    assert.deepEqual([named.category, named.account, named.region, named.day], ['log', '333344445555', 'ap-south-1', '2023-03-01']);
    const other = classifyPath('downloads/export.jsonl');
    assert.equal(other.category, 'other');
    assert.equal(other.account, undefined);
  });
});

describe('grouping', () => {
  test('account → region → day, newest day first, files by name', () => {
    const files = [
      'AWSLogs/2/CloudTrail/us-east-1/2024/01/01/b.json.gz',
      'AWSLogs/1/CloudTrail/us-east-1/2024/01/01/b.json.gz',
      'AWSLogs/1/CloudTrail/us-east-1/2024/01/02/a.json.gz',
      'AWSLogs/1/CloudTrail/us-east-1/2024/01/01/a.json.gz',
      'AWSLogs/1/CloudTrail/ap-east-1/2024/01/01/a.json.gz',
      'AWSLogs/1/CloudTrail-Digest/us-east-1/2024/01/01/d.json.gz',
      'x/notes.json',
    ].map((p) => classifyPath(p));
    const idx = groupFiles(files);
    assert.deepEqual(idx.accounts.map((a) => a.account), ['1', '2']);
    const one = idx.accounts[0];
    assert.deepEqual(one.logs.map((r) => r.region), ['ap-east-1', 'us-east-1']);
    assert.deepEqual(one.logs[1].days.map((d) => d.day), ['2024-01-02', '2024-01-01']);
    assert.deepEqual(one.logs[1].days[1].files.map((f) => f.name), ['a.json.gz', 'b.json.gz']);
    assert.equal(one.digests.length, 1);
    assert.equal(one.fileCount, 5);
    assert.deepEqual(idx.other.map((f) => f.relPath), ['x/notes.json']);
    assert.equal(idx.fileCount, 7);
  });
});

describe('scanning a folder on disk', () => {
  let root: string;
  const gz = (records: object[]) => gzipSync(Buffer.from(JSON.stringify({ Records: records })));
  const put = (rel: string, data: Buffer | string) => {
    const p = path.join(root, ...rel.split('/'));
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-scan-'));
    const rec = { eventVersion: '1.08', eventName: 'ListBuckets', eventTime: '2024-01-15T01:00:00Z' };
    put('AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/111122223333_CloudTrail_us-east-1_20240115T0105Z_AAAAAAAAAAAAAAAA.json.gz', gz([rec]));
    put('AWSLogs/111122223333/CloudTrail/us-east-1/2024/01/15/111122223333_CloudTrail_us-east-1_20240115T0110Z_BBBBBBBBBBBBBBBB.json.gz', gz([rec]));
    put('AWSLogs/111122223333/CloudTrail/eu-west-1/2024/01/16/111122223333_CloudTrail_eu-west-1_20240116T0000Z_CCCCCCCCCCCCCCCC.json.gz', gz([rec]));
    put('AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/15/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240115T020000Z.json.gz', gz([]));
    put('AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/15/insight.json.gz', gz([]));
    put('AWSLogs/o-abcdefghij/222233334444/CloudTrail/us-west-2/2024/02/01/222233334444_CloudTrail_us-west-2_20240201T0000Z_DDDDDDDDDDDDDDDD.json.gz', gz([rec]));
    put('loose/333344445555_CloudTrail_ap-south-1_20230301T1200Z_EEEEEEEEEEEEEEEE.json.gz', gz([rec]));
    put('loose/events.jsonl', JSON.stringify(rec) + '\n');
    put('loose/readme.txt', 'not data');
    put('node_modules/pkg/package.json', '{}');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('finds every data file and builds the tree', async () => {
    const r = await scanFolder(nodeLister(root));
    assert.equal(r.errors.length, 0);
    assert.equal(r.truncated, false);
    assert.equal(r.ignored, 1, 'readme.txt');
    assert.equal(r.files.length, 8, 'node_modules is skipped');
    const accounts = r.index.accounts.map((a) => [a.account, a.orgIds, a.fileCount]);
    assert.deepEqual(accounts, [
      ['111122223333', [], 5],
      ['222233334444', ['o-abcdefghij'], 1],
      ['333344445555', [], 1],
    ]);
    const a1 = r.index.accounts[0];
    assert.deepEqual(a1.logs.map((x) => [x.region, x.days.map((d) => [d.day, d.files.length])]), [
      ['eu-west-1', [['2024-01-16', 1]]],
      ['us-east-1', [['2024-01-15', 2]]],
    ]);
    assert.equal(a1.digests[0].days[0].files[0].category, 'digest');
    assert.equal(a1.insights[0].region, 'us-east-1');
    assert.deepEqual(r.index.other.map((f) => f.relPath), ['loose/events.jsonl']);
  });

  test('stops at maxFiles and says so', async () => {
    const r = await scanFolder(nodeLister(root), { maxFiles: 3 });
    assert.equal(r.files.length, 3);
    assert.equal(r.truncated, true);
  });

  test('cancel stops the walk', async () => {
    const r = await scanFolder(nodeLister(root), { isCancelled: () => true });
    assert.equal(r.cancelled, true);
    assert.equal(r.files.length, 0);
  });

  test('a folder that cannot be listed is reported, the rest still scanned', async () => {
    const base = nodeLister(root);
    const r = await scanFolder(async (rel) => {
      if (rel === 'loose') throw new Error('permission denied');
      return base(rel);
    });
    assert.deepEqual(r.errors, [{ relDir: 'loose', message: 'permission denied' }]);
    assert.equal(r.files.length, 6);
  });

  test('a missing root is an error, not a crash', async () => {
    const r = await scanFolder(nodeLister(path.join(root, 'nope')));
    assert.equal(r.errors.length, 1);
    assert.equal(r.files.length, 0);
  });
});

describe('shortFileLabel', () => {
  it('tells sibling files of a day apart by delivery time and unique part', () => {
    assert.equal(shortFileLabel('111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz'), '02:10 · Mu0KsOhtH1ar15ZZ');
    assert.equal(shortFileLabel('111122223333_CloudTrail-Digest_eu-west-1_my_trail_us-east-1_20240131T235959Z.json.gz'), 'digest 23:59:59');
    assert.equal(shortFileLabel('111122223333_CloudTrail-Insight_us-east-1_20240131T2359Z_abc.json.gz'), 'insight 23:59 · abc');
    assert.equal(shortFileLabel('events.jsonl'), 'events.jsonl');
  });
});
