// Global set-up for the AWS explorer tests: a real moto server (trails, S3) behind the LookupEvents test double
// (test/support/lookup-server.ts, which proxies every other CloudTrail call to moto), seeded with trails, event
// selectors, a bucket of log files and ~180 recent events built from the corpus.
//
// The VS Code server gets only neutral AWS environment (endpoints, empty config files, no metadata probing), so
// other tests still see "no AWS profile". The AWS tests switch the explorer to the seeded profile through the
// cloudtrailLens.aws.configFile / credentialsFile / profile settings, named by the CLOUDTRAIL_LENS_TEST_AWS_* vars.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as net from 'node:net';

const freePort = () =>
  new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

export const ACCOUNT = '123456789012';
export const PROFILE = 'ctl-test';
export const REGION = 'us-east-1';

export async function setup(ctx) {
  const { repoRoot, corpusDir, log } = ctx;
  const { resolveMotoPython } = await import('../../harness/moto.mjs');
  const found = resolveMotoPython({ repoRoot, log });
  if ('skip' in found) {
    // No moto: the AWS tests see CLOUDTRAIL_LENS_TEST_AWS_SKIP and report themselves as skipped with this reason.
    log(`AWS tests skipped: ${found.skip}`);
    process.env.CLOUDTRAIL_LENS_TEST_AWS_SKIP = found.skip;
    return { env: { CLOUDTRAIL_LENS_TEST_AWS_SKIP: found.skip } };
  }
  const require = createRequire(join(repoRoot, 'package.json'));
  const dir = join(ctx.tempDir, 'aws');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });

  // The lookup server is TypeScript: bundle it on the fly so this hook does not depend on a prior `tsc` run.
  const esbuild = require('esbuild');
  const bundle = join(dir, 'lookup-server.cjs');
  await esbuild.build({ entryPoints: [join(repoRoot, 'test/support/lookup-server.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: bundle, logLevel: 'warning' });
  const { startLookupServer, readCorpusRecords, recentEventsFromCorpus } = require(bundle);

  // moto
  const motoPort = await freePort();
  const motoUrl = `http://127.0.0.1:${motoPort}`;
  const moto = spawn(found.python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(motoPort)], { stdio: 'ignore', detached: true });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${motoUrl}/moto-api/data.json`)).ok) break;
    } catch {}
    if (moto.exitCode !== null || Date.now() > deadline) throw new Error('moto did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  const stopMoto = () => {
    try {
      process.kill(-moto.pid, 'SIGTERM');
    } catch {}
  };

  let lookup;
  try {
    const corpus = readCorpusRecords(corpusDir);
    const now = Date.now();
    // Newest first, five minutes apart: 180 events → pages of 50 and a "Load more…".
    const records = recentEventsFromCorpus(corpus, 180, now - 60_000, 5 * 60_000);
    // Calls on the "denied-trail" are refused: the explorer must show that node's error and keep the rest.
    lookup = await startLookupServer({
      records,
      motoUrl,
      deny: [
        { target: 'GetTrailStatus', contains: 'denied-trail' },
        { target: 'GetEventSelectors', contains: 'denied-trail' },
      ],
    });
    writeFileSync(join(dir, 'events.json'), JSON.stringify(records));

    // Seed through the real SDK.
    const ct = require('@aws-sdk/client-cloudtrail');
    const s3sdk = require('@aws-sdk/client-s3');
    const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'seed' };
    const ctc = new ct.CloudTrailClient({ region: REGION, endpoint: motoUrl, credentials, maxAttempts: 1 });
    const s3 = new s3sdk.S3Client({ region: REGION, endpoint: motoUrl, credentials, forcePathStyle: true, maxAttempts: 1 });
    const bucket = 'ctl-trail-logs';
    await s3.send(new s3sdk.CreateBucketCommand({ Bucket: bucket }));
    await ctc.send(new ct.CreateTrailCommand({ Name: 'main-trail', S3BucketName: bucket, IsMultiRegionTrail: true, EnableLogFileValidation: true }));
    await ctc.send(new ct.StartLoggingCommand({ Name: 'main-trail' }));
    const advanced = [
      { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      { Name: 'S3 object writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['false'] }] },
    ];
    await ctc.send(new ct.PutEventSelectorsCommand({ TrailName: 'main-trail', AdvancedEventSelectors: advanced }));
    await ctc.send(new ct.PutInsightSelectorsCommand({ TrailName: 'main-trail', InsightSelectors: [{ InsightType: 'ApiCallRateInsight' }] }));
    await ctc.send(new ct.CreateTrailCommand({ Name: 'idle-trail', S3BucketName: bucket, S3KeyPrefix: 'idle' })); // never started
    await ctc.send(new ct.CreateTrailCommand({ Name: 'denied-trail', S3BucketName: bucket }));
    await ctc.send(new ct.StartLoggingCommand({ Name: 'denied-trail' }));

    // Log files as CloudTrail writes them: gzipped {"Records": [...]} under AWSLogs/<account>/CloudTrail/<region>/Y/M/D/.
    const day = '2024/05/01';
    const files = [];
    for (let i = 0; i < 3; i++) {
      const stamp = `20240501T10${String(i * 5).padStart(2, '0')}Z`;
      const key = `AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/${day}/${ACCOUNT}_CloudTrail_${REGION}_${stamp}_f${i}.json.gz`;
      const recs = records.slice(i * 5, i * 5 + 5);
      await s3.send(new s3sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: gzipSync(JSON.stringify({ Records: recs })) }));
      files.push({ key, eventIds: recs.map((r) => r.eventID) });
    }
    writeFileSync(join(dir, 'logfiles.json'), JSON.stringify({ bucket, files }));

    // The profile the tests switch to, and empty files for everyone else.
    writeFileSync(join(dir, 'config'), `[profile ${PROFILE}]\nregion = ${REGION}\n`);
    writeFileSync(join(dir, 'credentials'), `[${PROFILE}]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = test-secret\n`);
    writeFileSync(join(dir, 'empty-config'), '');
    writeFileSync(join(dir, 'empty-credentials'), '');
    log(`moto ${motoUrl}, LookupEvents double ${lookup.url}, ${records.length} events, 3 trails`);
  } catch (err) {
    await lookup?.close();
    stopMoto();
    throw err;
  }

  return {
    env: {
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: join(dir, 'empty-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'empty-credentials'),
      AWS_ENDPOINT_URL_CLOUDTRAIL: lookup.url,
      AWS_ENDPOINT_URL_S3: motoUrl,
      AWS_ENDPOINT_URL_STS: motoUrl,
      CLOUDTRAIL_LENS_TEST_AWS_CONFIG_FILE: join(dir, 'config'),
      CLOUDTRAIL_LENS_TEST_AWS_CREDENTIALS_FILE: join(dir, 'credentials'),
      CLOUDTRAIL_LENS_TEST_AWS_PROFILE: PROFILE,
      CLOUDTRAIL_LENS_TEST_AWS_REGION: REGION,
      CLOUDTRAIL_LENS_TEST_AWS_EVENTS: join(dir, 'events.json'),
      CLOUDTRAIL_LENS_TEST_AWS_LOGFILES: join(dir, 'logfiles.json'),
    },
    teardown: async () => {
      await lookup.close();
      stopMoto();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
