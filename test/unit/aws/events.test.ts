import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  summariseEvent,
  applyClientFilters,
  groupEvents,
  describeFilter,
  resolveRange,
  parseUserTime,
  relativeTime,
  filterKey,
  EMPTY_FILTER,
} from '../../../src/core/aws/events';

const rec = (o: Record<string, unknown>) => JSON.stringify({ eventVersion: '1.08', ...o });

test('summariseEvent reads the API fields and the embedded record', () => {
  const s = summariseEvent({
    EventId: 'e1',
    EventName: 'DeleteBucket',
    ReadOnly: 'false',
    EventTime: new Date('2024-05-01T10:00:00Z'),
    EventSource: 's3.amazonaws.com',
    Username: 'alice',
    Resources: [{ ResourceType: 'AWS::S3::Bucket', ResourceName: 'b1' }],
    CloudTrailEvent: rec({ errorCode: 'AccessDenied', errorMessage: 'no', sourceIPAddress: '1.2.3.4', userIdentity: { accessKeyId: 'AKIA1' } }),
  });
  assert.equal(s.readOnly, false);
  assert.equal(s.errorCode, 'AccessDenied');
  assert.equal(s.accessKeyId, 'AKIA1');
  assert.equal(s.sourceIp, '1.2.3.4');
  assert.deepEqual(s.resources, [{ type: 'AWS::S3::Bucket', name: 'b1' }]);
});

test('a broken or missing CloudTrailEvent is reported, not thrown', () => {
  const bad = summariseEvent({ EventId: 'x', EventName: 'A', CloudTrailEvent: '{"truncated": ' });
  assert.equal(bad.record, undefined);
  assert.match(bad.recordProblem ?? '', /not valid JSON/);
  const none = summariseEvent({});
  assert.match(none.recordProblem ?? '', /no CloudTrailEvent/);
  assert.equal(none.name, '(unnamed event)');
  const arr = summariseEvent({ CloudTrailEvent: '[1,2]' });
  assert.match(arr.recordProblem ?? '', /not a JSON object/);
});

test('hostile keys stay plain data', () => {
  const s = summariseEvent({ CloudTrailEvent: '{"__proto__": {"polluted": true}, "eventName": "X"}' });
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
  assert.equal(s.name, 'X');
});

test('the user falls back through the identity', () => {
  const s = summariseEvent({ CloudTrailEvent: rec({ userIdentity: { type: 'AssumedRole', sessionContext: { sessionIssuer: { userName: 'Deployer' } } } }) });
  assert.equal(s.user, 'Deployer');
});

test('client filters combine (all must hold); grouping keeps order and sorts groups by size', () => {
  const mk = (id: string, name: string, user: string) => summariseEvent({ EventId: id, EventName: name, Username: user, CloudTrailEvent: '{}' });
  const events = [mk('1', 'A', 'u1'), mk('2', 'B', 'u1'), mk('3', 'A', 'u2'), mk('4', 'A', 'u1')];
  assert.deepEqual(applyClientFilters(events, [{ key: 'EventName', value: 'A' }, { key: 'Username', value: 'u1' }]).map((e) => e.id), ['1', '4']);
  const groups = groupEvents(events, 'eventName');
  assert.deepEqual(groups.map((g) => [g.key, g.events.map((e) => e.id)]), [['A', ['1', '3', '4']], ['B', ['2']]]);
  assert.equal(groupEvents(events, 'none')[0].events.length, 4);
  assert.equal(groupEvents(events, 'accessKey')[0].key, '(none)');
});

test('filters are described with the client-side part labelled', () => {
  const d = describeFilter({ attribute: { key: 'EventName', value: 'ConsoleLogin' }, clientFilters: [{ key: 'Username', value: 'bob' }], range: { kind: 'preset', preset: '24h' } });
  assert.equal(d, 'EventName = ConsoleLogin · last 24 h · client-side: Username = bob');
  assert.equal(describeFilter(EMPTY_FILTER), '');
  assert.notEqual(filterKey(EMPTY_FILTER), filterKey({ ...EMPTY_FILTER, range: { kind: 'preset', preset: '1h' } }));
});

test('time ranges resolve against now; custom times parse as UTC; bad input is rejected', () => {
  const now = Date.UTC(2024, 4, 10, 12, 0, 0);
  const r = resolveRange({ kind: 'preset', preset: '7d' }, now);
  assert.equal(r.end?.getTime(), now);
  assert.equal(r.start?.getTime(), now - 7 * 86_400_000);
  assert.deepEqual(resolveRange({ kind: 'all' }, now), {});
  assert.equal(parseUserTime('2024-05-01T08:00')?.toISOString(), '2024-05-01T08:00:00.000Z');
  assert.equal(parseUserTime('2024-05-01')?.toISOString(), '2024-05-01T00:00:00.000Z');
  assert.equal(parseUserTime('yesterday'), undefined);
  assert.equal(parseUserTime('2024-13-45'), undefined);
});

test('relative times', () => {
  const now = Date.UTC(2024, 0, 2);
  assert.equal(relativeTime(new Date(now - 10_000), now), 'just now');
  assert.equal(relativeTime(new Date(now - 5 * 60_000), now), '5 min ago');
  assert.equal(relativeTime(new Date(now - 3 * 3_600_000), now), '3 h ago');
  assert.equal(relativeTime(new Date(now - 4 * 86_400_000), now), '4 days ago');
  assert.equal(relativeTime(undefined, now), 'unknown time');
});
