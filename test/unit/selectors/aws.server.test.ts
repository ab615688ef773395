/**
 * Fetch and apply against moto with the real AWS SDK over HTTP (moto is a local AWS, not a mock of ours).
 * Moto does not enforce selector rules, so these tests check the plumbing: what is read, what is written.
 */
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CloudTrailClient, CreateTrailCommand, GetEventSelectorsCommand, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { fetchSelectorsText, payloadFromText, putSelectors, regionFromTrailArn } from '../../../src/core/selectors/aws';
import { validate } from '../../../src/core/selectors';
import { motoPython, motoSkip } from '../aws/moto';

function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

let moto: ChildProcess | undefined;
let endpoint = '';
let motoError: string | undefined;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ct = (region = 'us-east-1') => new CloudTrailClient({ endpoint, region, credentials, maxAttempts: 1 });

before(async () => {
  if (motoSkip) return;
  const port = await freePort();
  endpoint = `http://127.0.0.1:${port}`;
  moto = spawn(motoPython, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', detached: true });
  moto.on('error', (e) => (motoError = e.message));
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${endpoint}/moto-api/data.json`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  motoError ??= 'moto did not start within 10 s';
});

after(() => {
  if (moto?.pid) {
    try {
      process.kill(-moto.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
});

async function makeTrail(name: string, region = 'us-east-1'): Promise<string> {
  await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  const s3 = new S3Client({ endpoint, region: 'us-east-1', credentials, forcePathStyle: true, maxAttempts: 1 });
  await s3.send(new CreateBucketCommand({ Bucket: `${name}-logs` }));
  const out = await ct(region).send(new CreateTrailCommand({ Name: name, S3BucketName: `${name}-logs` }));
  return out.TrailARN!;
}

describe('selectors against moto', { skip: motoSkip }, () => {
  it('regionFromTrailArn', () => {
    assert.equal(regionFromTrailArn('arn:aws:cloudtrail:eu-west-3:123456789012:trail/t'), 'eu-west-3');
    assert.equal(regionFromTrailArn('my-trail'), undefined);
  });

  it('fetch returns a get-event-selectors document that validates and names its trail', async (t) => {
    if (motoError) return t.skip(motoError);
    const arn = await makeTrail('fetch-trail');
    const adv = [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }];
    await ct().send(new PutEventSelectorsCommand({ TrailName: arn, AdvancedEventSelectors: adv }));
    const text = await fetchSelectorsText(ct(), arn);
    const doc = JSON.parse(text);
    assert.equal(doc.TrailARN, arn);
    assert.deepEqual(doc.AdvancedEventSelectors, adv);
    assert.deepEqual(validate(text).filter((d) => d.severity !== 'hint'), []);
  });

  it('apply writes exactly the document\'s advanced selectors (round trip)', async (t) => {
    if (motoError) return t.skip(motoError);
    const arn = await makeTrail('apply-trail', 'eu-west-1');
    const text = JSON.stringify({
      TrailName: arn,
      AdvancedEventSelectors: [
        { Name: 'S3 writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: ['false'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'] }] },
      ],
    });
    const { payload, trail } = payloadFromText(text);
    assert.equal(trail, arn);
    assert.ok(payload);
    const home = regionFromTrailArn(arn)!;
    assert.equal(home, 'eu-west-1');
    const r = await putSelectors(ct(home), arn, payload);
    assert.equal(r.advanced, 1);
    const got = await ct(home).send(new GetEventSelectorsCommand({ TrailName: arn }));
    assert.deepEqual(got.AdvancedEventSelectors, JSON.parse(text).AdvancedEventSelectors);
  });

  it('basic selectors are written as EventSelectors; refused documents give a reason', async (t) => {
    if (motoError) return t.skip(motoError);
    const arn = await makeTrail('basic-trail');
    const { payload } = payloadFromText(JSON.stringify({ TrailName: arn, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] }));
    assert.ok(payload && 'EventSelectors' in payload);
    await putSelectors(ct(), arn, payload);
    const got = await ct().send(new GetEventSelectorsCommand({ TrailName: arn }));
    assert.equal(got.EventSelectors?.[0].ReadWriteType, 'All');
    assert.match(payloadFromText('{"AdvancedEventSelectors": [], "EventSelectors": []}').reason!, /both/);
    assert.match(payloadFromText('[{"FieldSelectors": [').reason!, /not valid JSON/);
  });

  it('a missing trail surfaces the service error', async (t) => {
    if (motoError) return t.skip(motoError);
    await makeTrail('other');
    await assert.rejects(fetchSelectorsText(ct(), 'arn:aws:cloudtrail:us-east-1:123456789012:trail/nope'), (e: Error) => /Trail|not found|Unknown/i.test(`${e.name} ${e.message}`));
  });
});
