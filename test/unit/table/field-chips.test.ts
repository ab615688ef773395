/**
 * Field-path chips (Filter.fieldChips, src/core/table/view.ts): "only" / "exclude" on any field path of the record,
 * read with the same extraction as the Fields panel's counts (valuesAtPath), so the number of records a chip keeps is
 * the count shown for that value. Checked against the counts and against a plain-JS oracle over the corpus.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RecordTable, type Filter } from '../../../src/core/table';
import { countValues, parsePath, valuesAtPath } from '../../../src/core/insight';
import type { CloudTrailRecord, JsonObject } from '../../../src/core/records/types';
import { corpusRecords } from './corpus';

function rec(event: JsonObject, index = 0): CloudTrailRecord {
  return { index, event, range: { startLine: index + 1, endLine: index + 1, startOffset: -1, endOffset: -1 } };
}

const recs: JsonObject[] = [
  { eventTime: '2024-01-01T00:00:01Z', eventName: 'GetObject', requestParameters: { bucketName: 'a' }, resources: [{ ARN: 'arn:x' }, { ARN: 'arn:y' }] },
  { eventTime: '2024-01-01T00:00:02Z', eventName: 'GetObject', requestParameters: { bucketName: 'b' }, resources: [{ ARN: 'arn:y' }] },
  { eventTime: '2024-01-01T00:00:03Z', eventName: 'PutObject', requestParameters: { bucketName: 'a' } },
  { eventTime: '2024-01-01T00:00:04Z', eventName: 'ListBuckets', requestParameters: null },
  // lower-case keys (some exports): matched ignoring case, as the counts do
  { eventTime: '2024-01-01T00:00:05Z', eventName: 'GetObject', requestparameters: { bucketname: 'a' } },
];

function table(events: JsonObject[]): RecordTable {
  const t = new RecordTable();
  t.add(events.map((e, i) => rec(e, i)));
  return t;
}

const only = (path: string, value: string, exclude = false): Filter => ({ text: '', chips: [], fieldChips: [{ path, value, exclude }] });

test('only / exclude on a field path keep what the field counts count', () => {
  const t = table(recs);
  const all = Array.from({ length: t.size }, (_, i) => i);
  for (const path of ['requestParameters.bucketName', 'resources.ARN', 'resources[].ARN']) {
    const keys = parsePath(path)!;
    const counts = countValues(path, all.length, (k) => valuesAtPath(t.event(all[k]), keys), 100);
    assert.ok(counts.top.length >= 2, path);
    for (const { value, count } of counts.top) {
      assert.equal(t.setView(only(path, value)).matched, count, `${path} = ${value}`);
      assert.ok(t.indexes(0, t.size).every((i) => valuesAtPath(t.event(i), keys).includes(value)));
      assert.equal(t.setView(only(path, value, true)).matched, t.size - count, `${path} ≠ ${value}`);
    }
  }
  // bucketName "a" includes the lower-case-key record
  assert.deepEqual(t.setView(only('requestParameters.bucketName', 'a')).matched, 3);
  // Missing path: no value, so "only" drops it and "exclude" keeps it.
  assert.equal(t.setView(only('tlsDetails.tlsVersion', 'TLSv1.2')).matched, 0);
  assert.equal(t.setView(only('tlsDetails.tlsVersion', 'TLSv1.2', true)).matched, t.size);
});

test('field chips: OR within a path, AND across paths and with column chips; records added later follow the filter', () => {
  const t = table(recs);
  const f: Filter = {
    text: '',
    chips: [{ column: 'eventName', value: 'GetObject', exclude: false }],
    fieldChips: [
      { path: 'requestParameters.bucketName', value: 'a', exclude: false },
      { path: 'requestParameters.bucketName', value: 'b', exclude: false },
      { path: 'resources.ARN', value: 'arn:x', exclude: true },
    ],
  };
  assert.deepEqual(t.setView(f).matched, 2); // records 1 and 4 (0 has arn:x, 2 is PutObject, 3 has no bucket)
  assert.deepEqual([...t.indexes(0, t.size)].sort(), [1, 4]);
  // The view follows rows added after the filter was set.
  t.add([rec({ eventTime: '2024-01-01T00:00:06Z', eventName: 'GetObject', requestParameters: { bucketName: 'b' } }, 5), rec({ eventTime: '2024-01-01T00:00:07Z', eventName: 'GetObject', requestParameters: { bucketName: 'c' } }, 6)]);
  assert.equal(t.counts().matched, 3);
  assert.deepEqual([...t.indexes(0, t.size)].sort(), [1, 4, 5]);
  // Removing the field chips shows the column chip's records again.
  assert.equal(t.setView({ text: '', chips: f.chips }).matched, 5);
  // A path that cannot be read constrains nothing (the Fields panel says it is not a path).
  assert.equal(t.setView({ text: '', chips: [], fieldChips: [{ path: '..', value: 'x', exclude: false }] }).matched, t.size);
});

test('field chips over the corpus agree with a plain-JS oracle for a nested identity path', () => {
  const events = corpusRecords().map((r) => r.event);
  const t = new RecordTable();
  t.add(corpusRecords());
  const get = (e: JsonObject) => ((((e.userIdentity as JsonObject | undefined)?.sessionContext as JsonObject | undefined)?.sessionIssuer as JsonObject | undefined)?.userName as string | undefined);
  const tally = new Map<string, number>();
  for (const e of events) {
    const v = get(e);
    if (typeof v === 'string' && v) tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  assert.ok(tally.size > 0, 'the corpus has assumed-role sessions');
  const [value, count] = [...tally].sort((a, b) => b[1] - a[1])[0];
  assert.equal(t.setView(only('userIdentity.sessionContext.sessionIssuer.userName', value)).matched, count);
  assert.equal(t.setView(only('userIdentity.sessionContext.sessionIssuer.userName', value, true)).matched, events.length - count);
});
