/**
 * Error classification, fed with errors the real SDK produces (missing profile, expired SSO token, refused
 * connection, service errors from moto) plus a few hand-made shapes for services moto cannot make fail.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { CloudTrailClient, DescribeTrailsCommand, GetTrailStatusCommand, ListEventDataStoresCommand } from '@aws-sdk/client-cloudtrail';
import { fromIni } from '@aws-sdk/credential-providers';
import { classifyAwsError } from '../../../src/core/aws/errors';
import { motoSkip, startMoto, writeAwsFiles, useAwsEnv, STATIC_PROFILE, freePort, type Moto } from './moto';

let moto: Moto;
let dir: string;
let restore: () => void;

before(async () => {
  if (motoSkip) return;
  moto = await startMoto();
  dir = writeAwsFiles(
    STATIC_PROFILE.config + '\n[profile sso]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\nsso_account_id = 111122223333\nsso_role_name = R\nregion = us-east-1\n',
    STATIC_PROFILE.credentials,
  );
  // An expired token in the legacy SSO cache, where the SDK looks for it (~/.aws/sso/cache/<sha1(start url)>.json).
  const cache = path.join(dir, 'home', '.aws', 'sso', 'cache');
  fs.mkdirSync(cache, { recursive: true });
  const file = createHash('sha1').update('https://example.awsapps.com/start').digest('hex') + '.json';
  fs.writeFileSync(path.join(cache, file), JSON.stringify({ accessToken: 'x', expiresAt: '2020-01-01T00:00:00Z', region: 'us-east-1', startUrl: 'https://example.awsapps.com/start' }));
  restore = useAwsEnv({
    AWS_CONFIG_FILE: path.join(dir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
    AWS_ENDPOINT_URL: moto.url,
    HOME: path.join(dir, 'home'),
  });
});
after(async () => {
  if (motoSkip) return;
  restore();
  await moto.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

test('missing profile → no-credentials, choose another profile', { skip: motoSkip }, async () => {
  const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, credentials: fromIni({ profile: 'nosuch', ignoreCache: true }) });
  const err = await caught(c.send(new DescribeTrailsCommand({})));
  const r = classifyAwsError(err, { profile: 'nosuch' });
  assert.equal(r.kind, 'no-credentials');
  assert.equal(r.action, 'choose-profile');
  assert.match(r.message, /nosuch/);
});

test('expired SSO token → sso-expired with the aws sso login command', { skip: motoSkip }, async () => {
  const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, credentials: fromIni({ profile: 'sso', ignoreCache: true }) });
  const err = await caught(c.send(new DescribeTrailsCommand({})));
  const r = classifyAwsError(err, { profile: 'sso' });
  assert.equal(r.kind, 'sso-expired', `${(err as Error).name}: ${(err as Error).message}`);
  assert.equal(r.action, 'sso-login');
  assert.equal(r.command, 'aws sso login --profile sso');
  assert.match(r.message, /aws sso login --profile sso/);
});

test('refused connection → network, retry', { skip: motoSkip }, async () => {
  const port = await freePort(); // nothing listens there
  const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const err = await caught(c.send(new DescribeTrailsCommand({})));
  const r = classifyAwsError(err, { operation: 'listing trails' });
  assert.equal(r.kind, 'network');
  assert.equal(r.action, 'retry');
  assert.match(r.message, /listing trails/);
});

test('connection reset by the server → network, not "timed out" (the SDK names it TimeoutError)', async () => {
  // A real TCP server that resets the connection once the request arrives (no AWS endpoint fails on demand).
  const srv = net.createServer((s) => s.once('data', () => s.resetAndDestroy()));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  try {
    const port = (srv.address() as net.AddressInfo).port;
    const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const err = await caught(c.send(new DescribeTrailsCommand({})));
    const r = classifyAwsError(err, { operation: 'listing trails' });
    assert.equal(r.kind, 'network');
    assert.match(r.message, /connection to AWS was reset while listing trails/);
    assert.doesNotMatch(r.message, /timed out/);
  } finally {
    srv.close();
  }
});

test('unknown trail from moto → not-found', { skip: motoSkip }, async () => {
  const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, credentials: fromIni({ profile: 'default', ignoreCache: true }) });
  const err = await caught(c.send(new GetTrailStatusCommand({ Name: 'missing' })));
  assert.equal(classifyAwsError(err).kind, 'not-found');
});

test('an API the endpoint does not implement (moto answers HTML 500) → not-available, no retry', { skip: motoSkip }, async () => {
  const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, credentials: fromIni({ profile: 'default', ignoreCache: true }) });
  const err = await caught(c.send(new ListEventDataStoresCommand({})));
  const r = classifyAwsError(err);
  assert.equal(r.kind, 'not-available');
  assert.equal(r.action, 'none');
});

test('aborted request → cancelled', { skip: motoSkip }, async () => {
  const c = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 1, credentials: fromIni({ profile: 'default', ignoreCache: true }) });
  const err = await caught(c.send(new DescribeTrailsCommand({}), { abortSignal: AbortSignal.abort() }));
  assert.equal(classifyAwsError(err).kind, 'cancelled');
});

// Service error shapes as the SDK materialises them (name + $metadata), for codes no local server produces.
const svc = (name: string, message: string, status = 400) => Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

test('service error names map to kinds and actions', () => {
  const cases: [Error, string, string][] = [
    [svc('AccessDeniedException', 'User: x is not authorized to perform: cloudtrail:GetEventSelectors'), 'access-denied', 'retry'],
    [svc('AccessDenied', 'Access Denied', 403), 'access-denied', 'retry'],
    [svc('ThrottlingException', 'Rate exceeded'), 'throttled', 'retry'],
    [svc('ExpiredTokenException', 'The security token included in the request is expired'), 'expired-token', 'retry'],
    [svc('UnrecognizedClientException', 'The security token included in the request is invalid.'), 'invalid-credentials', 'choose-profile'],
    [svc('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403), 'invalid-credentials', 'choose-profile'],
    [svc('UnsupportedOperationException', 'no'), 'not-available', 'none'],
    [svc('InternalFailure', 'boom', 500), 'unknown', 'retry'],
    [svc('TimeoutError', 'socket timed out'), 'timeout', 'retry'],
  ];
  for (const [err, kind, action] of cases) {
    const r = classifyAwsError(err);
    assert.equal(r.kind, kind, err.name);
    assert.equal(r.action, action, err.name);
    assert.ok(r.message.length > 0);
  }
});

test('garbage in does not throw', () => {
  for (const v of [undefined, null, 42, 'text', {}, [], { name: 5, message: {} }]) {
    const r = classifyAwsError(v);
    assert.equal(typeof r.message, 'string');
  }
});
