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
import { applySelectors, fetchSelectorsText, payloadFromText, putSelectors, regionFromTrailArn, unknownOutcomeMessage } from '../../../src/core/selectors/aws';
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

/**
 * Apply when the network fails (issue 14, D13). The real SDK talks over HTTP to small real TCP servers that
 * misbehave the way a network does (reset the connection, or never answer); moto stands for AWS where AWS answers.
 */
describe('apply: outcome known or unknown, cancellable', () => {
  const adv = { AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] };
  const arn = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t';

  /** A TCP server that calls `onRequest` with the socket once a request's bytes arrived. */
  async function misbehaving(onRequest: (s: import('node:net').Socket) => void) {
    const got: { requests: number } = { requests: 0 };
    const sockets = new Set<import('node:net').Socket>();
    const srv = createServer((s) => {
      sockets.add(s);
      s.on('error', () => {});
      s.once('data', () => {
        got.requests++;
        onRequest(s);
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(srv.address() as { port: number }).port}`;
    const close = () => new Promise<void>((r) => {
      for (const s of sockets) s.destroy();
      srv.close(() => r());
    });
    return { url, got, close };
  }

  it('a connection reset during PutEventSelectors: outcome unknown, and the message says to Fetch', async () => {
    const srv = await misbehaving((s) => s.resetAndDestroy());
    try {
      const client = new CloudTrailClient({ endpoint: srv.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      const r = await applySelectors(client, arn, adv);
      assert.equal(r.outcome, 'unknown');
      assert.ok(r.outcome === 'unknown' && !r.cancelled);
      assert.equal(srv.got.requests, 1, 'the request reached the server');
      const msg = unknownOutcomeMessage('t', false, 'ECONNRESET');
      assert.match(msg, /may or may not have been applied/);
      assert.match(msg, /Fetch to check/);
      assert.doesNotMatch(msg, /timed out|Could not reach/);
    } finally {
      await srv.close();
    }
  });

  it('a silent server: Apply is cancelled through the signal the SDK got, outcome unknown', async () => {
    const abort = new AbortController();
    // Cancel once the request is on the server (a condition, not a sleep).
    const srv = await misbehaving(() => abort.abort());
    try {
      const client = new CloudTrailClient({ endpoint: srv.url, region: 'us-east-1', credentials, maxAttempts: 3 });
      const r = await applySelectors(client, arn, adv, abort.signal);
      assert.equal(r.outcome, 'unknown');
      assert.ok(r.outcome === 'unknown' && r.cancelled);
      assert.equal(srv.got.requests, 1, 'cancelled: no retry was sent');
      assert.match(unknownOutcomeMessage('t', true), /may or may not have been applied: Apply was cancelled/);
    } finally {
      await srv.close();
    }
  });

  it('cancelled before sending: nothing was sent', async () => {
    const srv = await misbehaving(() => {});
    try {
      const abort = new AbortController();
      abort.abort();
      const client = new CloudTrailClient({ endpoint: srv.url, region: 'us-east-1', credentials, maxAttempts: 1 });
      assert.deepEqual(await applySelectors(client, arn, adv, abort.signal), { outcome: 'not-sent' });
      assert.equal(srv.got.requests, 0);
    } finally {
      await srv.close();
    }
  });

  it('against moto: applied, and an error answer from AWS means rejected (nothing written)', { skip: motoSkip }, async (t) => {
    if (motoError) return t.skip(motoError);
    const trail = await makeTrail('apply-outcome');
    const ok = await applySelectors(ct(), trail, adv);
    assert.equal(ok.outcome, 'applied');
    const got = await ct().send(new GetEventSelectorsCommand({ TrailName: trail }));
    assert.deepEqual(got.AdvancedEventSelectors, adv.AdvancedEventSelectors);
    const bad = await applySelectors(ct(), 'arn:aws:cloudtrail:us-east-1:123456789012:trail/missing', adv);
    assert.equal(bad.outcome, 'rejected');
  });
});
