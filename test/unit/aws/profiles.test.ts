import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { listProfiles, profilesFromFiles, defaultRegion, ssoLoginCommand, ssoLoginArgs, isValidProfileName } from '../../../src/core/aws/profiles';
import { writeAwsFiles, useAwsEnv } from './moto';

const CONFIG = `
[default]
region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = ReadOnly
region = us-west-2

[sso-session corp]
sso_start_url = https://example.awsapps.com/start
sso_region = us-east-1

[profile admin]
role_arn = arn:aws:iam::111122223333:role/Admin
source_profile = default

[profile tool]
credential_process = /usr/bin/false

[services local]
s3 =
  endpoint_url = http://localhost:9000
`;
const CREDENTIALS = `
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = secret

[ci]
aws_access_key_id = AKIACIEXAMPLE0000000
aws_secret_access_key = secret
`;

let dir: string;
let restore: () => void;
before(() => {
  dir = writeAwsFiles(CONFIG, CREDENTIALS);
  restore = useAwsEnv({ AWS_CONFIG_FILE: path.join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials') });
});
after(() => {
  restore();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('lists profiles from both files, default first, without sso-session/services sections', async () => {
  const l = await listProfiles();
  assert.deepEqual(
    l.profiles.map((p) => p.name),
    ['default', 'admin', 'ci', 'dev', 'tool'],
  );
  assert.deepEqual(l.warnings, []);
  assert.equal(l.envCredentials, false);
  const by = Object.fromEntries(l.profiles.map((p) => [p.name, p]));
  assert.equal(by.dev.kind, 'sso');
  assert.equal(by.dev.ssoSession, 'corp');
  assert.equal(by.dev.region, 'us-west-2');
  assert.equal(by.admin.kind, 'assume-role');
  assert.equal(by.admin.sourceProfile, 'default');
  assert.equal(by.tool.kind, 'process');
  assert.equal(by.ci.kind, 'static');
  assert.deepEqual(by.ci.sources, ['credentials']);
  // default is in both files; the credentials file decides how it authenticates, the config its region.
  assert.deepEqual(by.default.sources, ['config', 'credentials']);
  assert.equal(by.default.kind, 'static');
  assert.equal(by.default.region, 'eu-west-1');
});

test('a rewritten file is read afresh (no stale cache)', async () => {
  fs.appendFileSync(path.join(dir, 'config'), '\n[profile late]\nregion = ap-south-1\n');
  const l = await listProfiles();
  assert.ok(l.profiles.some((p) => p.name === 'late' && p.region === 'ap-south-1'));
});

test('missing files give an empty list, not an error', async () => {
  const l = await listProfiles({ env: { AWS_CONFIG_FILE: path.join(dir, 'nope'), AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'nope2') } });
  assert.deepEqual(l.profiles, []);
  assert.deepEqual(l.warnings, []);
});

test('environment credentials and AWS_PROFILE are reported', async () => {
  const l = await listProfiles({
    env: { ...process.env, AWS_ACCESS_KEY_ID: 'AKIA', AWS_SECRET_ACCESS_KEY: 's', AWS_PROFILE: 'dev' },
  });
  assert.equal(l.envCredentials, true);
  assert.equal(l.envProfile, 'dev');
});

test('default region: profile, then AWS_REGION, then us-east-1', () => {
  const [p] = profilesFromFiles({ x: { region: 'eu-north-1' } }, {});
  assert.equal(defaultRegion(p, {}), 'eu-north-1');
  assert.equal(defaultRegion(undefined, { AWS_REGION: 'ca-central-1' }), 'ca-central-1');
  assert.equal(defaultRegion(undefined, {}), 'us-east-1');
});

test('sso login: profile names with shell syntax are refused, never quoted into a command line', () => {
  assert.equal(ssoLoginCommand('dev'), 'aws sso login --profile dev');
  assert.deepEqual(ssoLoginArgs('team/dev@acme.io'), ['sso', 'login', '--profile', 'team/dev@acme.io']);
  for (const hostile of ["sso-expired';calc;'", "it's; rm -rf", 'a b', '$(calc)', '`calc`', 'x&calc', 'x|calc', 'x\ncalc', '', 'a'.repeat(129)]) {
    assert.equal(isValidProfileName(hostile), false, hostile);
    assert.deepEqual(ssoLoginArgs(hostile), ['sso', 'login'], hostile);
    assert.doesNotMatch(ssoLoginCommand(hostile), /calc|rm|\$|`/, hostile);
  }
  for (const ok of ['default', 'sso', 'dev-1', 'a_b.c', 'me@corp', 'x+y=z,w:v', 'org/team']) assert.equal(isValidProfileName(ok), true, ok);
});
