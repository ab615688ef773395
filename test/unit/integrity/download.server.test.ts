// Download Trail Logs, core part: a signed chain (fixtures) is put into moto's S3 with each digest's signature in
// its object metadata, as CloudTrail stores it; then planDownload/downloadObjects fetch it through the real SDK,
// public keys come from ListPublicKeys (a local stand-in: moto lacks it), and the downloaded folder validates
// offline. Also: resuming skips what is there, and the validator's online key path (no key file) fetches and saves.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloudTrailClient, createS3Client } from '../../../src/core/aws/sdk';
import { listPublicKeys } from '../../../src/core/integrity/keys-online';
import { downloadObjects, KEYS_FILE, KeyRing, listAccounts, listRegions, planDownload, saveKeys, validateFolder } from '../../../src/core/integrity';
import { keyPair, writeChain, type ChainFixture } from '../../support/integrity-fixtures';
import { startKeysServer, type KeysServer } from '../../support/public-keys-server';
import { motoSkip, startMoto, writeAwsFiles, useAwsEnv, STATIC_PROFILE, type Moto } from '../aws/moto';

let moto: Moto;
let keysServer: KeysServer;
let awsDir: string;
let restore: () => void;
let src: string;
let fx: ChainFixture;
const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

before(async () => {
  if (motoSkip) return;
  moto = await startMoto();
  const kp = keyPair();
  keysServer = await startKeysServer([{ der: kp.publicDer, fingerprint: kp.fingerprint }]);
  awsDir = writeAwsFiles(STATIC_PROFILE.config, STATIC_PROFILE.credentials);
  restore = useAwsEnv({
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_ENDPOINT_URL_S3: moto.url,
    AWS_ENDPOINT_URL_CLOUDTRAIL: keysServer.url,
  });
});
after(async () => {
  if (motoSkip) return;
  restore();
  await moto.stop();
  await keysServer.close();
  fs.rmSync(awsDir, { recursive: true, force: true });
});

/** Uploads the fixture chain into moto, every digest with its signature in S3 object metadata. */
async function seed(): Promise<void> {
  src = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-dl-src-'));
  fx = writeChain(src, { hours: 4, prefix: 'pfx', noKeysFile: true });
  const s3 = new S3Client({ region: 'us-east-1', credentials: creds, forcePathStyle: true, endpoint: moto.url, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: fx.bucket }));
  // Signature of digest i = previousDigestSignature in digest i+1; the newest one's is in its sidecar.
  const sigs = fx.digests.map((d, i) => {
    if (i + 1 < fx.digests.length) return (JSON.parse(gunzipSync(fs.readFileSync(path.join(src, fx.digests[i + 1]))).toString()) as { previousDigestSignature: string }).previousDigestSignature;
    return (JSON.parse(fs.readFileSync(path.join(src, d + '.metadata.json'), 'utf8')) as { Metadata: { signature: string } }).Metadata.signature;
  });
  for (const [i, d] of fx.digests.entries()) {
    await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: d, Body: fs.readFileSync(path.join(src, d)), ContentType: 'application/json', Metadata: { signature: sigs[i], 'signature-algorithm': 'SHA256withRSA' } }));
  }
  for (const l of fx.logs.flat()) await s3.send(new PutObjectCommand({ Bucket: fx.bucket, Key: l, Body: fs.readFileSync(path.join(src, l)) }));
  s3.destroy();
}

beforeEach(async () => {
  if (motoSkip) return;
  await moto.reset();
  keysServer.requests.length = 0;
  await seed();
});

const range = { start: new Date(Date.UTC(2026, 0, 31, 20)), end: new Date(Date.UTC(2026, 1, 1, 2)) };

test('download keeps the layout, writes metadata sidecars and public keys; the folder validates offline; a rerun resumes', { skip: motoSkip }, async () => {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-dl-dest-'));
  const s3 = await createS3Client({ region: 'us-east-1' });
  try {
    const loc = { bucket: fx.bucket, keyPrefix: 'pfx' };
    assert.deepEqual(await listAccounts(s3, loc), [fx.account]);
    assert.deepEqual(await listRegions(s3, loc, fx.account), [fx.region]);
    const plan = await planDownload(s3, { ...loc, accounts: [fx.account], regions: [fx.region], ...range });
    assert.equal(plan.filter((p) => p.kind === 'digest').length, fx.digests.length);
    assert.equal(plan.filter((p) => p.kind === 'log').length, fx.logs.flat().length);
    let progressCalls = 0;
    const r = await downloadObjects(s3, fx.bucket, plan, dest, { concurrency: 4, onProgress: () => progressCalls++ });
    assert.deepEqual(r.failed, []);
    assert.equal(r.downloaded, plan.length);
    assert.equal(progressCalls, plan.length);
    assert.deepEqual(r.digestRegions, [fx.region]);
    // Same bytes at the same relative paths; a head-object shaped sidecar beside every digest.
    for (const k of [...fx.digests, ...fx.logs.flat()]) assert.deepEqual(fs.readFileSync(path.join(dest, k)), fs.readFileSync(path.join(src, k)), k);
    for (const d of fx.digests) {
      const side = JSON.parse(fs.readFileSync(path.join(dest, d + '.metadata.json'), 'utf8')) as { Metadata: Record<string, string>; ContentLength: number };
      assert.match(side.Metadata.signature, /^[0-9a-f]+$/);
      assert.equal(side.Metadata['signature-algorithm'], 'SHA256withRSA');
      assert.equal(side.ContentLength, fs.statSync(path.join(dest, d)).size);
    }
    // Without keys every signature stays unchecked.
    const before = await validateFolder(dest);
    assert.equal(before.summary.signaturesChecked, 0);
    // Keys through ListPublicKeys (stand-in server), for the downloaded range.
    const ct = await createCloudTrailClient({ region: fx.region });
    const ring = await listPublicKeys(ct, fx.region, range);
    ct.destroy();
    assert.equal(keysServer.requests.length, 1);
    assert.equal(keysServer.requests[0].region, fx.region);
    assert.equal(keysServer.requests[0].body.StartTime, range.start.getTime() / 1000);
    const keysFile = saveKeys(dest, ring);
    assert.equal(keysFile, path.join(dest, KEYS_FILE));
    const after = await validateFolder(dest);
    assert.deepEqual(after.files.filter((f) => f.verdict !== 'valid'), []);
    assert.equal(after.summary.signaturesChecked, fx.digests.length);
    // Resume: nothing is fetched again; a deleted file is fetched again.
    fs.rmSync(path.join(dest, fx.logs[1][0]));
    const again = await downloadObjects(s3, fx.bucket, plan, dest);
    assert.equal(again.downloaded, 1);
    assert.equal(again.skipped, plan.length - 1);
    assert.equal((await validateFolder(dest)).summary.ok, true);
  } finally {
    s3.destroy();
    fs.rmSync(dest, { recursive: true, force: true });
  }
});

test('validation fetches unknown keys online for the digest Region (credentials exist) and they can be saved beside the folder', { skip: motoSkip }, async () => {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-dl-online-'));
  try {
    fs.cpSync(src, dest, { recursive: true });
    const ring = new KeyRing();
    const r = await validateFolder(dest, {
      keys: ring,
      fetchKeys: async (region, rng) => {
        const ct = await createCloudTrailClient({ region });
        try {
          return await listPublicKeys(ct, region, rng);
        } finally {
          ct.destroy();
        }
      },
    });
    assert.equal(r.summary.ok, true, JSON.stringify(r.files.filter((f) => f.verdict !== 'valid')));
    assert.equal(keysServer.requests.length, 1, 'one ListPublicKeys call per Region');
    assert.ok(typeof keysServer.requests[0].body.StartTime === 'number');
    saveKeys(dest, ring);
    // Offline now: the saved file is enough.
    const offline = await validateFolder(dest);
    assert.equal(offline.summary.signaturesChecked, fx.digests.length);
  } finally {
    fs.rmSync(dest, { recursive: true, force: true });
  }
});
