import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { TraceIndex, type TraceNode, type TraceSource } from '../../../src/core/insight';
import type { JsonObject } from '../../../src/core/records/types';
import { principalOf } from '../../../src/core/table';

const ACCOUNT = '111122223333';
let clock = Date.UTC(2026, 0, 10, 9, 0, 0);
const at = () => new Date((clock += 60_000)).toISOString().replace('.000', '');

function call(eventName: string, userIdentity: JsonObject, extra: JsonObject = {}): JsonObject {
  return { eventVersion: '1.10', eventTime: at(), eventSource: 'sts.amazonaws.com', eventName, awsRegion: 'us-east-1', userIdentity, ...extra };
}

const user = (key: string): JsonObject => ({ type: 'IAMUser', principalId: 'AIDAEXAMPLE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: key, userName: 'alice' });
const session = (role: string, name: string, key: string, sourceIdentity?: string): JsonObject => ({
  type: 'AssumedRole',
  principalId: `AROAEXAMPLE:${name}`,
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}`,
  accountId: ACCOUNT,
  accessKeyId: key,
  sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/${role}`, userName: role }, ...(sourceIdentity ? { sourceIdentity } : {}) },
});
const assume = (caller: JsonObject, role: string, name: string, issuedKey: string): JsonObject =>
  call('AssumeRole', caller, {
    requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/${role}`, roleSessionName: name },
    responseElements: { credentials: { accessKeyId: issuedKey, expiration: 'Jan 10, 2026, 10:00:00 AM' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${role}/${name}`, assumedRoleId: `AROAEXAMPLE:${name}` } },
  });
const action = (name: string, caller: JsonObject, source = 's3.amazonaws.com'): JsonObject => ({ ...call(name, caller), eventSource: source });

/** A table stand-in over plain records: the trace reads only these accessors. */
function source(events: JsonObject[]): TraceSource & { parsed: number } {
  const src = {
    parsed: 0,
    size: events.length,
    accessKey: (i: number) => String((events[i].userIdentity as JsonObject | undefined)?.accessKeyId ?? ''),
    eventName: (i: number) => String(events[i].eventName ?? ''),
    who: (i: number) => principalOf(events[i]),
    time: (i: number) => Date.parse(String(events[i].eventTime)),
    event: (i: number) => {
      src.parsed++;
      return events[i];
    },
  };
  return src;
}

function find(node: TraceNode, pred: (n: TraceNode) => boolean): TraceNode | undefined {
  if (pred(node)) return node;
  for (const c of node.children) {
    const f = find(c, pred);
    if (f) return f;
  }
  return undefined;
}

describe('identity trace', () => {
  // alice (AKIA) → AssumeRole Admin/alice-admin (ASIA1) → AssumeRole Deploy/deploy-run (ASIA2) → actions.
  const events: JsonObject[] = [
    action('ListBuckets', user('AKIAALICE')), // 0
    assume(user('AKIAALICE'), 'Admin', 'alice-admin', 'ASIA1'), // 1
    action('GetCallerIdentity', session('Admin', 'alice-admin', 'ASIA1')), // 2
    assume(session('Admin', 'alice-admin', 'ASIA1'), 'Deploy', 'deploy-run', 'ASIA2'), // 3
    action('PutObject', session('Deploy', 'deploy-run', 'ASIA2', 'alice@example.com')), // 4
    action('PutObject', session('Deploy', 'deploy-run', 'ASIA2', 'alice@example.com')), // 5
    action('DeleteObject', session('Deploy', 'deploy-run', 'ASIA2', 'alice@example.com')), // 6
    action('ListBuckets', user('AKIABOB')), // 7: someone else
    action('GetObject', session('Other', 'x', 'ASIAOTHER')), // 8: a session whose origin is not loaded
  ];

  it('follows a two-hop role chain back to the long-term key, every link exact', () => {
    const trace = new TraceIndex(source(events)).trace(5);
    assert.deepEqual(trace.chain.map((s) => [s.row, s.accessKey, s.link]), [[5, 'ASIA2', 'exact'], [3, 'ASIA1', 'exact'], [1, 'AKIAALICE', 'exact']]);
    assert.match(trace.chain[1].why, /AssumeRole returned access key ASIA2/);
    assert.equal(trace.root.kind, 'principal');
    assert.equal(trace.root.label, 'alice');
    assert.equal(trace.root.accessKey, 'AKIAALICE');
  });

  it('builds the tree principal → role → session → role → session → actions, with counts and times', () => {
    const { root } = new TraceIndex(source(events)).trace(5);
    const adminRole = root.children.find((c) => c.kind === 'role');
    assert.ok(adminRole);
    assert.equal(adminRole.label, 'Admin');
    assert.equal(adminRole.detail, `arn:aws:iam::${ACCOUNT}:role/Admin`);
    assert.equal(adminRole.link, 'exact');
    const admin = adminRole.children.find((c) => c.kind === 'session');
    assert.ok(admin);
    assert.equal(admin.label, 'alice-admin (AssumeRole)');
    assert.equal(admin.issuedBy, 1);
    assert.equal(admin.accessKey, 'ASIA1');
    const deployRole = admin.children.find((c) => c.kind === 'role');
    assert.equal(deployRole?.label, 'Deploy');
    const deploy = deployRole?.children.find((c) => c.kind === 'session');
    assert.ok(deploy);
    assert.equal(deploy.label, 'deploy-run (AssumeRole)');
    assert.match(deploy.why, /AssumeRole made with ASIA1 returned ASIA2/);
    const puts = deploy.children.find((c) => c.kind === 'action' && c.label === 'PutObject');
    assert.equal(puts?.count, 2);
    assert.deepEqual(puts?.rows, [4, 5]);
    assert.equal(puts?.first, Date.parse(String(events[4].eventTime)));
    assert.equal(puts?.last, Date.parse(String(events[5].eventTime)));
    assert.equal(deploy.count, 3);
    assert.equal(deployRole?.count, 3);
    // Sessions (role nodes) come before the node's own actions.
    assert.deepEqual(root.children.map((c) => c.kind), ['role', 'action', 'action']);
    // Every record made with alice's credentials is under the root, and nothing else.
    assert.deepEqual([...root.rows].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6]);
    assert.ok(deploy.onPath && admin.onPath && root.onPath && adminRole.onPath);
    assert.equal(find(root, (n) => n.label === 'GetCallerIdentity')?.onPath, false);
  });

  it('lists forward every record made with each key issued, from any record of the chain', () => {
    // A second Deploy session issued by the same Admin session: traced from alice's first action, both show.
    const more = [...events, assume(session('Admin', 'alice-admin', 'ASIA1'), 'Deploy', 'deploy-two', 'ASIA3'), action('GetObject', session('Deploy', 'deploy-two', 'ASIA3'))];
    const { root, chain } = new TraceIndex(source(more)).trace(0);
    assert.equal(chain.length, 1);
    const deployRole = find(root, (n) => n.kind === 'role' && n.label === 'Deploy');
    assert.deepEqual(deployRole?.children.map((c) => [c.label, c.accessKey, c.link, c.count]), [
      ['deploy-run (AssumeRole)', 'ASIA2', 'exact', 3],
      ['deploy-two (AssumeRole)', 'ASIA3', 'exact', 1],
    ]);
    assert.deepEqual([...root.rows].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 9, 10]);
  });

  it('shows sourceIdentity on the principal of a traced session', () => {
    const { root } = new TraceIndex(source(events)).trace(8);
    assert.equal(root.accessKey, 'ASIAOTHER');
    assert.deepEqual(root.rows, [8]);
  });

  it('links by session ARN when the key was not issued in the loaded records, and says it is a guess', () => {
    // The Deploy session's records carry a key that no loaded AssumeRole returned (e.g. a refreshed session).
    const altered = events.map((e, i) => (i >= 4 && i <= 6 ? action(String(e.eventName), session('Deploy', 'deploy-run', 'ASIA2B')) : e));
    const trace = new TraceIndex(source(altered)).trace(6);
    assert.equal(trace.chain[1].row, 3);
    assert.equal(trace.chain[1].link, 'heuristic');
    assert.match(trace.chain[1].why, /same ARN/);
    assert.equal(trace.chain[2].link, 'exact');
    const guessed = find(trace.root, (n) => n.kind === 'session' && n.accessKey === 'ASIA2B');
    assert.equal(find(trace.root, (n) => n.kind === 'role' && n.label === 'Deploy')?.link, 'heuristic');
    assert.equal(guessed?.link, 'heuristic');
    assert.deepEqual(guessed?.rows, [4, 5, 6]);
  });

  it('groups records without a key by principal ARN (heuristic)', () => {
    const console1: JsonObject = { ...action('ConsoleLogin', { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/carol`, userName: 'carol' }, 'signin.amazonaws.com') };
    const console2: JsonObject = { ...action('DescribeInstances', { type: 'IAMUser', arn: `arn:aws:iam::${ACCOUNT}:user/carol`, userName: 'carol' }, 'ec2.amazonaws.com') };
    const trace = new TraceIndex(source([...events, console1, console2])).trace(events.length);
    assert.equal(trace.root.link, 'heuristic');
    assert.deepEqual(trace.root.rows, [events.length, events.length + 1]);
  });

  it('links by sourceIdentity when neither key nor session ARN leads anywhere (heuristic)', () => {
    const setIt = call('AssumeRole', user('AKIAALICE'), {
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, roleSessionName: 'first', sourceIdentity: 'alice@example.com' },
      responseElements: { credentials: { accessKeyId: 'ASIAFIRST' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/first` } },
    });
    // A later session of another role carrying the same sourceIdentity, whose issuing call is not loaded.
    const later = action('TerminateInstances', session('Ops', 'ops-run', 'ASIALATER', 'alice@example.com'), 'ec2.amazonaws.com');
    const trace = new TraceIndex(source([setIt, later])).trace(1);
    assert.deepEqual(trace.chain.map((s) => [s.row, s.link]), [[1, 'exact'], [0, 'heuristic'], ]);
    assert.match(trace.chain[1].why, /sourceIdentity "alice@example.com"/);
    assert.equal(trace.root.label, 'alice');
    const guessed = find(trace.root, (n) => n.kind === 'session' && n.accessKey === 'ASIALATER');
    assert.equal(guessed?.link, 'heuristic');
    assert.deepEqual(guessed?.rows, [1]);
    // The exact session the call issued is there too.
    assert.equal(find(trace.root, (n) => n.kind === 'session' && n.accessKey === 'ASIAFIRST')?.link, 'exact');
  });

  it('follows an Identity Center permission-set session back to the portal call and the user (heuristic)', () => {
    const idc: JsonObject = { type: 'IdentityCenterUser', accountId: ACCOUNT, onBehalfOf: { userId: 'u-1234', identityStoreArn: 'arn:aws:identitystore::111122223333:identitystore/d-1' }, credentialId: 'c-1' };
    const portal = { ...call('GetRoleCredentials', idc, { requestParameters: { roleName: 'AdministratorAccess', accountId: ACCOUNT }, responseElements: null }), eventSource: 'sso.amazonaws.com' };
    const list = { ...call('ListAccounts', idc), eventSource: 'sso.amazonaws.com' };
    const ssoSession = (key: string): JsonObject => ({
      type: 'AssumedRole',
      arn: `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice`,
      accountId: ACCOUNT,
      accessKeyId: key,
      sessionContext: { sessionIssuer: { type: 'Role', arn: `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_AdministratorAccess_0123456789abcdef`, userName: 'AWSReservedSSO_AdministratorAccess_0123456789abcdef' } },
    });
    const recs = [list, portal, action('ListBuckets', ssoSession('ASIASSO')), action('GetObject', ssoSession('ASIASSO'))];
    const trace = new TraceIndex(source(recs)).trace(3);
    assert.deepEqual(trace.chain.map((s) => [s.row, s.link]), [[3, 'exact'], [1, 'heuristic']]);
    assert.match(trace.chain[1].why, /GetRoleCredentials for permission set AdministratorAccess/);
    assert.equal(trace.root.kind, 'principal');
    assert.equal(trace.root.link, 'heuristic');
    assert.match(trace.root.detail, /Identity Center user u-1234/);
    // The user's portal records, then the permission set → the session → its actions.
    const role = find(trace.root, (n) => n.kind === 'role');
    assert.equal(role?.label, 'AdministratorAccess');
    const sso = role?.children[0];
    assert.equal(sso?.accessKey, 'ASIASSO');
    assert.equal(sso?.link, 'heuristic');
    assert.deepEqual(sso?.rows, [2, 3]);
    assert.deepEqual([...trace.root.rows].sort(), [0, 1, 2, 3]);
  });

  it('starts at a SAML user without a key and still follows the session its call issued exactly', () => {
    const saml: JsonObject = { type: 'SAMLUser', principalId: 'SAML:alice', userName: 'alice', identityProvider: 'urn:idp' };
    const samlCall = call('AssumeRoleWithSAML', saml, {
      requestParameters: { roleArn: `arn:aws:iam::${ACCOUNT}:role/Federated`, principalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/idp` },
      responseElements: { credentials: { accessKeyId: 'ASIASAML' }, assumedRoleUser: { arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Federated/alice` } },
    });
    const recs = [samlCall, action('ListBuckets', session('Federated', 'alice', 'ASIASAML'))];
    const trace = new TraceIndex(source(recs)).trace(1);
    assert.deepEqual(trace.chain.map((s) => [s.row, s.link]), [[1, 'exact'], [0, 'exact']]);
    const s = find(trace.root, (n) => n.kind === 'session');
    assert.equal(s?.link, 'exact');
    assert.deepEqual(s?.rows, [1]);
    assert.equal(find(trace.root, (n) => n.kind === 'role')?.label, 'Federated');
  });

  it('indexes rows added after it was built', () => {
    const grown = events.slice(0, 4);
    const src = source(grown);
    const index = new TraceIndex(src);
    grown.push(events[4]);
    src.size = grown.length;
    index.update();
    assert.equal(index.trace(4).chain.length, 3);
  });

  it('parses only issuing calls while indexing', () => {
    const src = source(events);
    new TraceIndex(src);
    assert.equal(src.parsed, 2);
  });

  it('stops on a key cycle', () => {
    const loop = [assume(session('A', 'a', 'ASIAB'), 'A', 'a', 'ASIAA'), assume(session('A', 'a', 'ASIAA'), 'A', 'a', 'ASIAB'), action('GetObject', session('A', 'a', 'ASIAA'))];
    const trace = new TraceIndex(source(loop)).trace(2);
    assert.ok(trace.chain.length <= 3);
    assert.ok(trace.root);
  });
});
