// "Download Trail Logs…" in the real VS Code, on a trail of the AWS explorer, against moto's S3 and CloudTrail (started
// by test/integration/setup/aws.mjs) through the real SDK. The test writes a signed chain with its own key pair
// (test/support/integrity-fixtures.ts), uploads logs and digests to a moto bucket with each digest's signature as
// object metadata (as CloudTrail does), and creates the trail in moto. ListPublicKeys, which moto lacks, is answered
// by the stand-in server test/support/public-keys-server.ts. The command's quick picks and folder dialog are answered
// through the test hook `cloudtrailLens.integrity._prompts` (VS Code offers no API to click them); the rest is real.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { useSeededAwsProfile } from '../support/aws-settings';
import { CloudTrailClient, CreateTrailCommand, DeleteTrailCommand } from '@aws-sdk/client-cloudtrail';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { keyPair, logContent, writeChain, type ChainFixture } from '../support/integrity-fixtures';
import { startKeysServer, type KeysServer } from '../support/public-keys-server';

interface SnapshotItem {
  label: string;
  node: unknown;
}

interface Prompts {
  seen: { kind: string; title: string; items?: string[] }[];
  pending: number;
}

const env = process.env;
const PROFILE = env.CLOUDTRAIL_LENS_TEST_AWS_PROFILE ?? 'ctl-test';
const REGION = env.CLOUDTRAIL_LENS_TEST_AWS_REGION ?? 'us-east-1';
const TRAIL = 'integrity-dl-trail';
const OTHER_ACCOUNT = '444455556666';

const prompts = (args: Record<string, unknown>) => vscode.commands.executeCommand<Prompts>('cloudtrailLens.integrity._prompts', args);

function walk(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

interface DownloadSummary {
  dest: string;
  planned: number;
  downloaded: number;
  skipped: number;
  failed: unknown[];
  cancelled: boolean;
  keysFile?: string;
}

describe('Download Trail Logs (AWS explorer trail, moto S3)', function () {
  this.timeout(120_000);
  let restoreAws: (() => Promise<void>) | undefined;
  let src: string;
  let fx: ChainFixture;
  let keys: KeysServer;
  let trailNode: unknown;
  let ct: CloudTrailClient;
  const dests: string[] = [];
  const sigs = new Map<string, string>();

  before(async function () {
    if (!env.CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE || !env.AWS_ENDPOINT_URL_S3) this.skip();
    // The chain, three hours ending an hour ago (inside "Last 24 hours"), four log files an hour.
    const start = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 - 4 * 3600_000);
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-dl-src-'));
    fx = writeChain(src, { hours: 3, logsPerHour: 4, start, trail: TRAIL, noKeysFile: true });
    // Each digest's signature: the next digest repeats it; the newest one's is in the fixture's sidecar.
    fx.digests.forEach((d, i) => {
      const sig =
        i + 1 < fx.digests.length
          ? (JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(src, fx.digests[i + 1]))).toString()) as { previousDigestSignature: string }).previousDigestSignature
          : (JSON.parse(fs.readFileSync(path.join(src, d + '.metadata.json'), 'utf8')) as { Metadata: { signature: string } }).Metadata.signature;
      sigs.set(d, sig);
    });
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'seed' };
    const moto = env.AWS_ENDPOINT_URL_S3;
    const s3 = new S3Client({ region: REGION, endpoint: moto, credentials, forcePathStyle: true, maxAttempts: 1 });
    ct = new CloudTrailClient({ region: REGION, endpoint: moto, credentials, maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: fx.bucket }));
    for (const key of fx.logs.flat()) await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: fs.readFileSync(path.join(src, key)) }));
    for (const key of fx.digests) {
      await s3.send(
        new PutObjectCommand({ Bucket: fx.bucket, Key: key, Body: fs.readFileSync(path.join(src, key)), ContentType: 'application/json', ContentEncoding: 'gzip', Metadata: { signature: sigs.get(key)!, 'signature-algorithm': 'SHA256withRSA' } }),
      );
    }
    // A second account in the bucket, left out in the account picker.
    const otherKey = `AWSLogs/${OTHER_ACCOUNT}/CloudTrail/${REGION}/${start.toISOString().slice(0, 10).replace(/-/g, '/')}/${OTHER_ACCOUNT}_CloudTrail_${REGION}_x.json.gz`;
    await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: otherKey, Body: zlib.gzipSync(logContent(OTHER_ACCOUNT, REGION, start, 3)) }));
    s3.destroy();
    await ct.send(new CreateTrailCommand({ Name: TRAIL, S3BucketName: fx.bucket, EnableLogFileValidation: true }));
    const kp = keyPair();
    keys = await startKeysServer([{ der: kp.publicDer, fingerprint: kp.fingerprint }]);

    restoreAws = await useSeededAwsProfile(env, PROFILE, REGION);
    const trails = (await vscode.commands.executeCommand<SnapshotItem[]>('cloudtrailLens.explorer.snapshot', { path: [PROFILE, REGION, 'Trails'], depth: 1 })) ?? [];
    trailNode = trails.find((t) => t.label === TRAIL)?.node;
    assert.ok(trailNode, `trail ${TRAIL} in the explorer among ${trails.map((t) => t.label).join(', ')}`);
  });

  after(async () => {
    if (!fx) return;
    await prompts({ reset: true });
    await ct.send(new DeleteTrailCommand({ Name: TRAIL })).catch(() => undefined);
    ct.destroy();
    await keys?.close();
    await restoreAws?.();
    for (const d of dests) {
      await vscode.commands.executeCommand('cloudtrailLens.removeLogFolder', vscode.Uri.file(d));
      fs.rmSync(d, { recursive: true, force: true });
    }
    fs.rmSync(src, { recursive: true, force: true });
  });

  /** Runs the command on the trail node as the context menu does, ListPublicKeys going to the stand-in server. */
  async function download(dest: string, more: Record<string, unknown> = {}): Promise<DownloadSummary | undefined> {
    if (!dests.includes(dest)) dests.push(dest);
    await prompts({
      reset: true,
      answers: [
        { title: 'time range', pick: ['Last 24 hours'] },
        { title: 'Accounts to download', pick: [fx.account] },
        { title: 'Folder to download', path: dest },
      ],
      ...more,
    });
    // The SDK reads AWS_ENDPOINT_URL_CLOUDTRAIL when a client is made: the download makes its CloudTrail client
    // (ListPublicKeys only) after the trail node was read, so it alone goes to the stand-in.
    const before = env.AWS_ENDPOINT_URL_CLOUDTRAIL;
    env.AWS_ENDPOINT_URL_CLOUDTRAIL = keys.url;
    try {
      return await vscode.commands.executeCommand<DownloadSummary>('cloudtrailLens.downloadTrailLogs', trailNode);
    } finally {
      env.AWS_ENDPOINT_URL_CLOUDTRAIL = before;
    }
  }

  it('downloads logs, digests with metadata sidecars and public keys after the pickers, and adds the folder', async () => {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-dl-dest-'));
    const sum = await download(dest);
    assert.ok(sum, 'the command returned its summary');
    const p = await prompts({});
    assert.deepEqual(p.seen.map((s) => s.title.replace(/:.*$/, '')), [`Download logs of trail ${TRAIL}`, 'Accounts to download', 'Folder to download the trail logs into (the AWSLogs layout is kept)']);
    assert.deepEqual(p.seen[1].items, [fx.account, OTHER_ACCOUNT].sort());
    assert.equal(p.pending, 0);
    assert.equal(sum.cancelled, false);
    assert.deepEqual(sum.failed, []);
    assert.equal(sum.planned, fx.logs.flat().length + fx.digests.length);
    assert.equal(sum.downloaded, sum.planned);

    // Every file byte for byte, nothing of the other account, no .part left.
    for (const key of [...fx.logs.flat(), ...fx.digests]) assert.ok(fs.readFileSync(path.join(dest, key)).equals(fs.readFileSync(path.join(src, key))), key);
    const files = walk(dest);
    assert.ok(!files.some((f) => f.includes(OTHER_ACCOUNT)), 'the account left out was not downloaded');
    assert.ok(!files.some((f) => f.endsWith('.part')));
    // Sidecars: what head-object prints, with the signature from the object's metadata.
    for (const d of fx.digests) {
      const side = JSON.parse(fs.readFileSync(path.join(dest, d + '.metadata.json'), 'utf8')) as { Metadata: Record<string, string>; ContentLength: number };
      assert.equal(side.Metadata.signature, sigs.get(d));
      assert.equal(side.Metadata['signature-algorithm'], 'SHA256withRSA');
      assert.equal(side.ContentLength, fs.statSync(path.join(src, d)).size);
    }
    // public-keys.json from ListPublicKeys in the digests' Region.
    assert.equal(sum.keysFile, path.join(dest, 'public-keys.json'));
    const pk = JSON.parse(fs.readFileSync(sum.keysFile, 'utf8')) as { PublicKeyList: { Fingerprint: string }[] };
    assert.deepEqual(pk.PublicKeyList.map((k) => k.Fingerprint), [fx.fingerprint]);
    assert.deepEqual(keys.requests.map((r) => r.region), [REGION]);
    // Added to the log folders.
    const folders = vscode.workspace.getConfiguration('cloudtrailLens').get<string[]>('logFolders') ?? [];
    assert.ok(folders.some((f) => path.resolve(f) === dest), `${dest} in ${JSON.stringify(folders)}`);

    // What was downloaded validates offline: every file verified, every signature checked.
    const v = await vscode.commands.executeCommand<{ report: { summary: { ok: boolean; files: number; signaturesChecked: number } } }>('cloudtrailLens.validateIntegrity', vscode.Uri.file(dest), { offline: true, quiet: true, preview: false });
    assert.equal(v?.report.summary.ok, true);
    assert.equal(v.report.summary.signaturesChecked, fx.digests.length);

    // Run again: resumable, everything already there is skipped.
    const again = await download(dest);
    assert.equal(again?.skipped, sum.planned);
    assert.equal(again.downloaded, 0);
  });

  it('a download cancelled from its progress stops early and leaves no half-written file under a final name', async () => {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-dl-cancel-'));
    // Cancel as soon as the progress reports its first file, as the notification's Cancel button would.
    const sum = await download(dest, { cancelOnProgress: `Downloading trail ${TRAIL}` });
    assert.ok(sum, 'the command returned its summary');
    assert.equal(sum.cancelled, true);
    assert.ok(sum.downloaded < sum.planned, `${sum.downloaded} of ${sum.planned} downloaded`);
    assert.equal(sum.keysFile, undefined, 'no public keys fetched after a cancel');
    // Whatever is there under its final name is complete: identical to the object in S3.
    const files = walk(dest).filter((f) => !f.endsWith('.part'));
    for (const f of files) {
      const rel = path.relative(dest, f).split(path.sep).join('/');
      if (rel.endsWith('.metadata.json')) {
        assert.ok(fs.existsSync(f.slice(0, -'.metadata.json'.length)), `sidecar ${rel} only beside its digest`);
        continue;
      }
      assert.ok(fs.readFileSync(f).equals(fs.readFileSync(path.join(src, rel))), `${rel} complete`);
    }
    assert.ok(files.filter((f) => !f.endsWith('.metadata.json')).length < sum.planned, 'not every file is there');
    // Running again completes it.
    const again = await download(dest);
    assert.equal(again?.cancelled, false);
    assert.equal((again?.downloaded ?? 0) + (again?.skipped ?? 0), sum.planned);
    for (const key of [...fx.logs.flat(), ...fx.digests]) assert.ok(fs.readFileSync(path.join(dest, key)).equals(fs.readFileSync(path.join(src, key))), key);
  });
});
