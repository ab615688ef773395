/** Trails, status, selectors and S3 log browsing against a real moto server through the real SDK. */
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  CloudTrailClient,
  CreateTrailCommand,
  StartLoggingCommand,
  PutEventSelectorsCommand,
  PutInsightSelectorsCommand,
} from '@aws-sdk/client-cloudtrail';
import { S3Client, CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createCloudTrailClient, createS3Client } from '../../../src/core/aws/sdk';
import { describeTrails, getTrailStatus, getEventSelectors, getInsightSelectors, listEventDataStores, normaliseTrails, summariseStatus } from '../../../src/core/aws/trails';
import { listLevel, getObjectBytes, logsRootPrefix, describeLevel, ObjectTooLargeError } from '../../../src/core/aws/s3logs';
import { classifyAwsError } from '../../../src/core/aws/errors';
import { motoSkip, startMoto, writeAwsFiles, useAwsEnv, STATIC_PROFILE, type Moto } from './moto';

let moto: Moto;
let dir: string;
let restore: () => void;
const creds = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };

before(async () => {
  if (motoSkip) return;
  moto = await startMoto();
  dir = writeAwsFiles(STATIC_PROFILE.config, STATIC_PROFILE.credentials);
  restore = useAwsEnv({
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_ENDPOINT_URL: moto.url,
  });
});
after(async () => {
  if (motoSkip) return;
  restore();
  await moto.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => moto?.reset());

function admin(region = 'us-east-1') {
  return {
    ct: new CloudTrailClient({ region, credentials: creds, maxAttempts: 1 }),
    s3: new S3Client({ region, credentials: creds, forcePathStyle: true, maxAttempts: 1 }),
  };
}

async function seedTrail(name: string, opts: { region?: string; multiRegion?: boolean; prefix?: string; logging?: boolean } = {}) {
  const { ct, s3 } = admin(opts.region);
  const bucket = `${name}-bucket`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const out = await ct.send(new CreateTrailCommand({ Name: name, S3BucketName: bucket, S3KeyPrefix: opts.prefix, IsMultiRegionTrail: opts.multiRegion }));
  if (opts.logging) await ct.send(new StartLoggingCommand({ Name: name }));
  return { arn: out.TrailARN!, bucket };
}

test('DescribeTrails through a profile: home and shadow trails, flags, no duplicates', { skip: motoSkip }, async () => {
  await seedTrail('org-wide', { region: 'us-east-1', multiRegion: true });
  await seedTrail('local-only', { region: 'eu-west-1' });
  // The explorer's own client, credentials from the temp files' default profile.
  const eu = await createCloudTrailClient({ profile: 'default', region: 'eu-west-1' }, { maxAttempts: 1 });
  const trails = await describeTrails(eu, 'eu-west-1');
  const names = trails.map((t) => t.name);
  assert.deepEqual(names, ['local-only', 'org-wide']);
  const shadow = trails.find((t) => t.name === 'org-wide')!;
  assert.equal(shadow.isHome, false);
  assert.equal(shadow.homeRegion, 'us-east-1');
  assert.equal(shadow.multiRegion, true);
  assert.equal(shadow.accountId, '123456789012');
  assert.equal(new Set(trails.map((t) => t.arn)).size, trails.length);
  const home = trails.find((t) => t.name === 'local-only')!;
  assert.equal(home.isHome, true);
  assert.equal(home.bucket, 'local-only-bucket');
});

test('normaliseTrails de-duplicates shadow copies by ARN', () => {
  const t = { Name: 'a', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/a', HomeRegion: 'us-east-1', IsMultiRegionTrail: true };
  const out = normaliseTrails([t, { ...t }, { ...t, Name: 'b', TrailARN: 'arn:aws:cloudtrail:us-east-1:111122223333:trail/b', IsOrganizationTrail: true }], 'us-west-2');
  assert.deepEqual(out.map((x) => x.name), ['a', 'b']);
  assert.equal(out[1].organization, true);
});

test('GetTrailStatus: logging follows Start/StopLogging, errors are flagged', { skip: motoSkip }, async () => {
  const { arn } = await seedTrail('logger', { logging: true });
  const client = await createCloudTrailClient({ profile: 'default', region: 'us-east-1' }, { maxAttempts: 1 });
  const s = await getTrailStatus(client, arn);
  assert.equal(s.isLogging, true);
  assert.equal(s.lines[0].label, 'Logging');
  assert.equal(s.lines[0].severity, 'ok');

  const { arn: arn2 } = await seedTrail('idle', {});
  const s2 = await getTrailStatus(client, arn2);
  assert.equal(s2.isLogging, false);
  assert.equal(s2.lines[0].severity, 'warning');
  assert.ok(s2.problems >= 1);
});

test('summariseStatus turns delivery errors into error lines with their message', () => {
  const s = summariseStatus({
    IsLogging: true,
    LatestDeliveryError: 'AccessDenied',
    LatestDigestDeliveryError: 'NoSuchBucket',
    LatestCloudWatchLogsDeliveryTime: new Date('2024-01-01T00:00:00Z'),
  });
  const errors = s.lines.filter((l) => l.severity === 'error');
  assert.deepEqual(errors.map((l) => [l.label, l.message]), [['S3 delivery', 'AccessDenied'], ['Digest delivery', 'NoSuchBucket']]);
  assert.equal(s.problems, 2);
  assert.ok(s.lines.some((l) => l.label === 'CloudWatch Logs delivery' && l.severity === 'ok'));
});

test('event selectors: advanced selectors round-trip in get-event-selectors shape; basic too', { skip: motoSkip }, async () => {
  const { arn } = await seedTrail('sel');
  const { ct } = admin();
  const advanced = [
    { Name: 'S3 writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['false'] }] },
  ];
  await ct.send(new PutEventSelectorsCommand({ TrailName: arn, AdvancedEventSelectors: advanced }));
  const client = await createCloudTrailClient({ profile: 'default', region: 'us-east-1' }, { maxAttempts: 1 });
  const doc = await getEventSelectors(client, arn);
  assert.equal(doc.TrailARN, arn);
  assert.deepEqual(doc.AdvancedEventSelectors, advanced);
  assert.equal(doc.EventSelectors, undefined);

  const basic = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true, DataResources: [] }];
  await ct.send(new PutEventSelectorsCommand({ TrailName: arn, EventSelectors: basic }));
  const doc2 = await getEventSelectors(client, arn);
  assert.equal((doc2.EventSelectors?.[0] as { ReadWriteType?: string }).ReadWriteType, 'WriteOnly');
});

test('insight selectors are listed; none gives an empty list', { skip: motoSkip }, async () => {
  const { arn } = await seedTrail('ins');
  const client = await createCloudTrailClient({ profile: 'default', region: 'us-east-1' }, { maxAttempts: 1 });
  assert.deepEqual((await getInsightSelectors(client, arn)).types, []);
  await admin().ct.send(new PutInsightSelectorsCommand({ TrailName: arn, InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }));
  assert.deepEqual((await getInsightSelectors(client, arn)).types, ['ApiCallRateInsight']);
});

test('ListEventDataStores on moto fails as not-available (classified, not a crash)', { skip: motoSkip }, async () => {
  const client = await createCloudTrailClient({ profile: 'default', region: 'us-east-1' }, { maxAttempts: 1 });
  await assert.rejects(listEventDataStores(client), (err) => classifyAwsError(err).kind === 'not-available');
});

test('S3 browsing: account/region/date levels with Delimiter, paging, and gz download', { skip: motoSkip }, async () => {
  const { bucket } = await seedTrail('logs', { prefix: 'team/' });
  const { s3 } = admin();
  const root = logsRootPrefix('team/');
  assert.equal(root, 'team/AWSLogs/');
  const body = gzipSync(JSON.stringify({ Records: [{ eventVersion: '1.08', eventName: 'ListBuckets', eventSource: 's3.amazonaws.com', eventTime: '2024-05-01T10:00:00Z' }] }));
  const keys: string[] = [];
  for (const day of ['01', '02']) {
    for (let i = 0; i < 7; i++) {
      const key = `${root}111122223333/CloudTrail/us-east-1/2024/05/${day}/111122223333_CloudTrail_us-east-1_202405${day}T10${String(i).padStart(2, '0')}Z_abc${i}.json.gz`;
      keys.push(key);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    }
  }
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${root}111122223333/CloudTrail-Digest/us-east-1/2024/05/01/d.json.gz`, Body: body }));

  const client = await createS3Client({ profile: 'default', region: 'us-east-1' }, { maxAttempts: 1 });
  const accounts = await listLevel(client, bucket, root);
  assert.deepEqual(accounts.folders, [`${root}111122223333/`]);
  assert.equal(describeLevel(accounts.folders[0], root), 'account');
  const types = await listLevel(client, bucket, accounts.folders[0]);
  assert.deepEqual(types.folders.sort(), [`${root}111122223333/CloudTrail-Digest/`, `${root}111122223333/CloudTrail/`].sort());
  const days = await listLevel(client, bucket, `${root}111122223333/CloudTrail/us-east-1/2024/05/`);
  assert.deepEqual(days.folders, [`${root}111122223333/CloudTrail/us-east-1/2024/05/02/`, `${root}111122223333/CloudTrail/us-east-1/2024/05/01/`]);
  assert.equal(describeLevel(days.folders[0], root), 'day');

  // Small pages force continuation tokens: everything still arrives, exactly once.
  const dayPrefix = `${root}111122223333/CloudTrail/us-east-1/2024/05/01/`;
  const page1 = await listLevel(client, bucket, dayPrefix, { limit: 3 });
  assert.equal(page1.files.length, 3);
  assert.ok(page1.continuationToken);
  const rest = await listLevel(client, bucket, dayPrefix, { continuationToken: page1.continuationToken });
  const all = [...page1.files, ...rest.files].map((f) => f.key).sort();
  assert.deepEqual(all, keys.filter((k) => k.startsWith(dayPrefix)).sort());

  const bytes = await getObjectBytes(client, bucket, all[0]);
  assert.deepEqual(Buffer.from(bytes), body);
  await assert.rejects(getObjectBytes(client, bucket, all[0], { maxBytes: 10 }), ObjectTooLargeError);
});
