/**
 * Every library query runs on the real DuckDB engine over a generated fixture; each answer is computed again here
 * in plain TypeScript from the generated records (not from DuckDB), and the two must agree.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DuckQueryEngine, QUERY_LIBRARY, renderQuery } from '../../../src/core/query';
import { makeRecords, writeFixture, Rec } from './fixture';

let dir: string;
let records: Rec[];
const engine = new DuckQueryEngine({ threads: 2, memoryLimit: '1GB' });

before(() => {
  records = makeRecords();
  dir = writeFixture(records);
});
after(() => {
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation', 'UnauthorizedAccess']);
const byTime = (a: Rec, b: Rec) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0);
const idsOf = (rs: Rec[]) => [...rs].sort(byTime).map((r) => r.eventID);
const where = (f: (r: Rec) => boolean) => idsOf(records.filter(f));
const cmp = (a: unknown[], b: unknown[]) => {
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as any;
    const y = b[i] as any;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
};
function countBy(rs: Rec[], key: (r: Rec) => unknown[]): unknown[][] {
  const m = new Map<string, { k: unknown[]; n: number }>();
  for (const r of rs) {
    const k = key(r);
    const s = JSON.stringify(k);
    const e = m.get(s) ?? { k, n: 0 };
    e.n++;
    m.set(s, e);
  }
  return [...m.values()].map((e) => [...e.k, e.n]);
}
const principal = (r: Rec) => r.userIdentity?.arn ?? r.userIdentity?.principalId ?? r.userIdentity?.invokedBy ?? 'unknown';
const inNames = (...names: string[]) => (r: Rec) => names.includes(r.eventName);

/** Expected answer per query id: either event IDs in time order (record queries) or whole rows. */
const EXPECTED: Record<string, () => { ids: string[] } | { rows: unknown[][] }> = {
  'root-activity': () => ({ ids: where((r) => r.userIdentity.type === 'Root') }),
  'console-no-mfa': () => ({ ids: where((r) => r.eventName === 'ConsoleLogin' && r.responseElements?.ConsoleLogin === 'Success' && r.additionalEventData?.MFAUsed === 'No') }),
  'failed-signins-per-user': () => ({
    rows: countBy(records.filter((r) => r.eventName === 'ConsoleLogin' && r.errorMessage), (r) => [r.userIdentity.userName ?? r.userIdentity.principalId ?? 'unknown'])
      .sort((a, b) => (b[1] as number) - (a[1] as number) || cmp(a, b)),
  }),
  'access-denied-by-principal': () => ({
    rows: countBy(records.filter((r) => ACCESS_DENIED.has(r.errorCode)), (r) => [principal(r)]).sort((a, b) => (b[1] as number) - (a[1] as number) || cmp(a, b)),
  }),
  'new-iam-users': () => ({ ids: where(inNames('CreateUser')) }),
  'new-access-keys': () => ({ ids: where(inNames('CreateAccessKey')) }),
  'policy-attachments': () => ({ ids: where(inNames('AttachUserPolicy', 'AttachRolePolicy', 'AttachGroupPolicy', 'PutUserPolicy', 'PutRolePolicy', 'PutGroupPolicy')) }),
  'trail-tampering': () => ({ ids: where(inNames('StopLogging', 'DeleteTrail', 'PutEventSelectors', 'UpdateTrail')) }),
  'sg-open-to-world': () => ({
    ids: where((r) => r.eventName === 'AuthorizeSecurityGroupIngress' && (JSON.stringify(r.requestParameters).includes('0.0.0.0/0') || JSON.stringify(r.requestParameters).includes('::/0'))),
  }),
  'bucket-policy-acl-changes': () => ({ ids: where(inNames('PutBucketPolicy', 'DeleteBucketPolicy', 'PutBucketAcl', 'PutBucketPublicAccessBlock', 'DeleteBucketPublicAccessBlock')) }),
  'kms-key-deletion': () => ({ ids: where(inNames('ScheduleKeyDeletion', 'DisableKey')) }),
  'access-key-activity': () => ({ ids: where((r) => r.userIdentity.accessKeyId === 'AKIAIOSFODNN7EXAMPLE') }),
  'source-ip-activity': () => ({ ids: where((r) => r.sourceIPAddress === '203.0.113.10') }),
  'assumed-role-session': () => ({ ids: where((r) => r.userIdentity.type === 'AssumedRole' && r.userIdentity.arn === 'arn:aws:sts::111122223333:assumed-role/Admin/session-name') }),
  'top-calls-per-principal': () => ({
    rows: countBy(records, (r) => [r.userIdentity.arn ?? r.userIdentity.invokedBy ?? 'unknown', r.eventName]).sort((a, b) => (b[2] as number) - (a[2] as number) || cmp(a, b)).slice(0, 200),
  }),
  'errors-per-hour': () => ({ rows: countBy(records.filter((r) => r.errorCode), (r) => [r.eventTime.slice(0, 13) + ':00Z']).sort(cmp) }),
  'regions-first-seen': () => {
    const m = new Map<string, { first: string; n: number }>();
    for (const r of records) {
      const e = m.get(r.awsRegion) ?? { first: r.eventTime, n: 0 };
      e.n++;
      if (r.eventTime < e.first) e.first = r.eventTime;
      m.set(r.awsRegion, e);
    }
    return { rows: [...m].map(([k, e]) => [k, e.first, e.n]).sort((a, b) => cmp([a[1], a[0]], [b[1], b[0]])) };
  },
  'events-per-day': () => ({ rows: countBy(records, (r) => [r.eventTime.slice(0, 10)]).sort(cmp) }),
  'events-per-service': () => ({ rows: countBy(records, (r) => [r.eventSource]).sort((a, b) => (b[1] as number) - (a[1] as number) || cmp(a, b)) }),
  'console-logins-by-ip': () => ({
    rows: countBy(records.filter((r) => r.eventName === 'ConsoleLogin' && !r.errorMessage), (r) => [r.userIdentity.arn ?? r.userIdentity.principalId ?? 'unknown', r.sourceIPAddress])
      .sort((a, b) => (b[2] as number) - (a[2] as number) || cmp(a, b)),
  }),
  'role-trust-changes': () => ({ ids: where(inNames('CreateRole', 'UpdateAssumeRolePolicy')) }),
  'security-services-disabled': () => ({ ids: where(inNames('DeleteDetector', 'UpdateDetector', 'StopConfigurationRecorder', 'DeleteConfigurationRecorder', 'DeleteDeliveryChannel', 'DisableSecurityHub', 'DeleteAnalyzer')) }),
  'secret-reads': () => ({
    rows: countBy(records.filter(inNames('GetSecretValue', 'BatchGetSecretValue', 'GetParameter', 'GetParameters', 'GetParametersByPath', 'GetPasswordData')), (r) => [r.userIdentity.arn ?? 'unknown', r.eventName])
      .sort((a, b) => (b[2] as number) - (a[2] as number) || cmp(a, b)),
  }),
  'organization-changes': () => ({ ids: where(inNames('LeaveOrganization', 'DetachPolicy', 'DeletePolicy', 'RemoveAccountFromOrganization')) }),
  'user-agents-per-principal': () => {
    const m = new Map<string, { p: string; ua: string; n: number; first: string }>();
    for (const r of records) {
      const p = r.userIdentity.arn ?? 'unknown';
      const k = JSON.stringify([p, r.userAgent]);
      const e = m.get(k) ?? { p, ua: r.userAgent, n: 0, first: r.eventTime };
      e.n++;
      if (r.eventTime < e.first) e.first = r.eventTime;
      m.set(k, e);
    }
    return { rows: [...m.values()].sort((a, b) => cmp([a.p, a.first, a.ua], [b.p, b.first, b.ua])).map((e) => [e.p, e.ua, e.n, e.first]) };
  },
};

test('the library has at least 20 queries, each with a one-line purpose and an expected answer here', () => {
  assert.ok(QUERY_LIBRARY.length >= 20, `${QUERY_LIBRARY.length} queries`);
  for (const q of QUERY_LIBRARY) {
    assert.ok(q.purpose.length > 10 && !q.purpose.includes('\n'), q.id);
    assert.ok(EXPECTED[q.id], `no independent answer for ${q.id}`);
  }
});

for (const q of QUERY_LIBRARY) {
  test(`library query ${q.id} on DuckDB matches the independent answer`, async () => {
    const expected = EXPECTED[q.id]();
    const r = await engine.query({ paths: [dir], sql: renderQuery(q, 'duckdb') });
    assert.equal(r.truncated, false);
    if ('ids' in expected) {
      const col = r.columns.findIndex((c) => c.name === 'eventid');
      assert.ok(col >= 0, 'record queries return eventid');
      assert.ok(expected.ids.length > 0, `the fixture must exercise ${q.id}`);
      assert.deepEqual(r.rows.map((row) => row[col]), expected.ids);
      // "$path" names the file the record came from (the JSON Lines export for the normalised ones).
      const pathCol = r.columns.findIndex((c) => c.name === '$path');
      if (pathCol >= 0) for (const row of r.rows) assert.ok(fs.existsSync(String(row[pathCol])), String(row[pathCol]));
    } else {
      assert.ok(expected.rows.length > 0, `the fixture must exercise ${q.id}`);
      // Counts come back as BIGINT (JSON strings); compare as text.
      const norm = (rows: unknown[][]) => rows.map((row) => row.map((v) => String(v)));
      assert.deepEqual(norm(r.rows), norm(expected.rows));
    }
  });
}
