import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { principalOf, NO_PRINCIPAL } from '../../../src/core/table';
import type { JsonObject, JsonValue } from '../../../src/core/records/types';
import { corpusRecords } from './corpus';

const obj = (v: JsonValue | undefined): JsonObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as JsonObject) : undefined;
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** Corpus records grouped by userIdentity.type ('(none)' when there is no userIdentity). */
function byType(): Map<string, JsonObject[]> {
  const m = new Map<string, JsonObject[]>();
  for (const r of corpusRecords()) {
    const ui = obj(r.event.userIdentity);
    const t = ui ? str(ui.type) || '(no type)' : '(none)';
    if (!m.has(t)) m.set(t, []);
    m.get(t)!.push(r.event);
  }
  return m;
}

test('the corpus has the identity types these tests rely on', () => {
  const types = byType();
  for (const t of ['IAMUser', 'AssumedRole', 'Root', 'AWSService', 'AWSAccount', 'FederatedUser', 'SAMLUser', 'WebIdentityUser', 'Unknown', '(none)']) {
    assert.ok((types.get(t)?.length ?? 0) > 0, `corpus has ${t} records`);
  }
});

test('every corpus record gets a non-empty, single-line principal', () => {
  for (const r of corpusRecords()) {
    const p = principalOf(r.event);
    assert.equal(typeof p, 'string');
    assert.ok(p.length > 0);
  }
});

test('IAMUser → userName', () => {
  for (const e of byType().get('IAMUser')!) {
    const ui = obj(e.userIdentity)!;
    const name = str(ui.userName);
    if (name) assert.equal(principalOf(e), name);
    else assert.ok(principalOf(e).length > 0);
  }
});

test('AssumedRole → role/session from the assumed-role ARN, else sessionIssuer.userName', () => {
  let checked = 0;
  for (const e of byType().get('AssumedRole')!) {
    const ui = obj(e.userIdentity)!;
    const arn = str(ui.arn);
    const m = /:assumed-role\/(.+)$/.exec(arn);
    const p = principalOf(e);
    if (m) {
      assert.equal(p, m[1]);
      const [role, session] = m[1].split('/');
      assert.ok(p.startsWith(role + '/') || p === role);
      if (session) assert.ok(p.endsWith('/' + session));
      checked++;
    } else {
      const issuer = obj(obj(ui.sessionContext)?.sessionIssuer);
      const issuerName = str(issuer?.userName);
      if (issuerName) assert.ok(p.startsWith(issuerName), `${p} starts with issuer ${issuerName}`);
    }
  }
  assert.ok(checked > 0);
});

test('AssumedRole without ARN uses sessionIssuer.userName + the session part of principalId', () => {
  const e: JsonObject = {
    userIdentity: {
      type: 'AssumedRole',
      principalId: 'AROAEXAMPLEID:alice@example.com',
      sessionContext: { sessionIssuer: { type: 'Role', userName: 'Admin' } },
    },
  };
  assert.equal(principalOf(e), 'Admin/alice@example.com');
});

test('Root → "root", with the account alias (userName) when present', () => {
  for (const e of byType().get('Root')!) {
    const p = principalOf(e);
    assert.ok(p.startsWith('root'), p);
    const name = str(obj(e.userIdentity)!.userName);
    if (name) assert.ok(p.includes(name));
    else assert.equal(p, 'root');
  }
});

test('AWSService → invokedBy', () => {
  for (const e of byType().get('AWSService')!) {
    const ui = obj(e.userIdentity)!;
    const inv = str(ui.invokedBy);
    if (inv) assert.equal(principalOf(e), inv);
  }
  // Legacy IoT shape: invokedBy is an object.
  assert.equal(principalOf({ userIdentity: { type: 'AWSService', invokedBy: { serviceAccountId: '111122223333' } } }), '111122223333');
});

test('AWSAccount → accountId', () => {
  for (const e of byType().get('AWSAccount')!) {
    const ui = obj(e.userIdentity)!;
    const acct = str(ui.accountId);
    if (acct) assert.equal(principalOf(e), acct);
  }
});

test('FederatedUser → the federated-user name', () => {
  for (const e of byType().get('FederatedUser')!) {
    const ui = obj(e.userIdentity)!;
    const m = /:federated-user\/(.+)$/.exec(str(ui.arn));
    if (m) assert.equal(principalOf(e), m[1]);
    else assert.ok(principalOf(e).length > 0);
  }
});

test('SAMLUser and WebIdentityUser → userName', () => {
  for (const t of ['SAMLUser', 'WebIdentityUser']) {
    for (const e of byType().get(t)!) assert.equal(principalOf(e), str(obj(e.userIdentity)!.userName));
  }
});

test('Unknown → userName, else principalId', () => {
  for (const e of byType().get('Unknown')!) {
    const ui = obj(e.userIdentity)!;
    const expected = str(ui.userName) || str(ui.principalId);
    if (expected) assert.equal(principalOf(e), expected);
  }
});

test('records without userIdentity (Insights) → "—"', () => {
  const none = byType().get('(none)')!;
  assert.ok(none.some((e) => e.eventType === 'AwsCloudTrailInsight'));
  for (const e of none) assert.equal(principalOf(e), NO_PRINCIPAL);
});

// No IdentityCenterUser / Role / Directory record exists in the corpus: built by hand from the field reference.
test('IdentityCenterUser → userName, else onBehalfOf.userId', () => {
  const withName: JsonObject = { userIdentity: { type: 'IdentityCenterUser', userName: 'jane', onBehalfOf: { userId: 'uid-1', identityStoreArn: 'arn:aws:identitystore::1:identitystore/d-1' } } };
  const noName: JsonObject = { userIdentity: { type: 'IdentityCenterUser', onBehalfOf: { userId: 'uid-1' }, credentialId: 'cred' } };
  assert.equal(principalOf(withName), 'jane');
  assert.equal(principalOf(noName), 'uid-1');
});

test('Role and Directory', () => {
  assert.equal(principalOf({ userIdentity: { type: 'Role', arn: 'arn:aws:iam::1:role/Deployer' } }), 'Deployer');
  assert.equal(principalOf({ userIdentity: { type: 'Directory', userName: 'bob', principalId: 'x' } }), 'bob');
});

test('hostile userIdentity shapes never throw', () => {
  const cases: JsonValue[] = [null, 42, [], 'a string', { type: 7 }, { type: 'AssumedRole', arn: 5 }, { type: 'IAMUser', userName: { nested: true } }];
  for (const ui of cases) {
    const p = principalOf({ userIdentity: ui });
    assert.equal(typeof p, 'string');
    assert.ok(p.length > 0);
  }
  const proto: JsonObject = {};
  Object.defineProperty(proto, '__proto__', { value: { type: 'Root' }, enumerable: true, writable: true, configurable: true });
  // The own `__proto__` key is data, not a prototype: nothing readable is left.
  assert.equal(principalOf({ userIdentity: proto }), NO_PRINCIPAL);
  // Inherited members are not read as fields.
  assert.equal(principalOf({ userIdentity: { type: 'Unknown' } }), 'Unknown');
});
