/**
 * The viewer host's side of the timeline, Fields panel, time boxes and damaged-gzip marking (src/viewer/source.ts,
 * src/viewer/insight.ts), over a real RecordTable. Expected values are computed here from the events.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { RecordTable } from '../../../src/core/table';
import { indexBytes } from '../../../src/core/table/indexer';
import { RecordSource, readViewFilter } from '../../../src/viewer/source';
import type { CloudTrailRecord, JsonObject } from '../../../src/core/records/types';

const rec = (event: JsonObject, index: number): CloudTrailRecord => ({ index, event, range: { startLine: 0, endLine: 0, startOffset: -1, endOffset: -1 } });

function events(): JsonObject[] {
  return Array.from({ length: 240 }, (_, i) => ({
    eventTime: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
    eventName: i % 4 === 0 ? 'RunInstances' : 'DescribeInstances',
    eventSource: 'ec2.amazonaws.com',
    awsRegion: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
    ...(i % 10 === 0 ? { errorCode: 'AccessDenied' } : {}),
    requestParameters: { bucketName: `b${i % 5}` },
  }));
}

test('timeline and field counts follow the view; the time column shows one UTC form', async () => {
  const evs = events();
  const table = new RecordTable();
  table.add(evs.map(rec));
  const src = new RecordSource(table);
  await src.setView({ text: '', chips: [] }, undefined);
  let { timeline, fields } = src.insight('', 60);
  assert.equal(timeline.total, 240);
  assert.deepEqual(timeline.series, ['successes', 'errors']);
  assert.equal(timeline.counts[1].reduce((a, b) => a + b, 0), evs.filter((e) => e.errorCode).length);
  assert.ok(timeline.totals.length <= 60 && timeline.totals.length > 1);
  const names = fields.find((f) => f.field === 'eventName')!;
  assert.deepEqual(names.top.map((t) => [t.value, t.count]), [['DescribeInstances', 180], ['RunInstances', 60]]);
  // Counts follow a chip.
  await src.setView({ text: '', chips: [{ column: 'region', value: 'eu-west-1', exclude: false }] }, undefined);
  ({ timeline, fields } = src.insight('eventName'));
  const eu = evs.filter((e) => e.awsRegion === 'eu-west-1');
  assert.equal(timeline.total, eu.length);
  assert.equal(timeline.split, 'eventName');
  assert.deepEqual(fields.find((f) => f.field === 'region')!.top.map((t) => t.count), [eu.length]);
  // A field path, on demand.
  const path = await src.pathInsight('requestParameters.bucketName');
  assert.equal(path.rows, eu.length);
  assert.equal(path.distinct, new Set(eu.map((e) => (e.requestParameters as JsonObject).bucketName)).size);
  assert.match((await src.pathInsight('a..[')).error ?? '', /not a field path/);
  // Time cells: `2024-01-01 00:00:00Z`.
  const [row] = src.rows(0, 1);
  assert.match(row.cells[0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/);
});

test('time boxes: relative ranges against the newest record; unreadable input is reported and not in force', () => {
  const newest = Date.UTC(2024, 0, 1, 12);
  const ok = readViewFilter({ text: '', chips: [], from: 'last 1h', to: '2024-01-01' }, newest);
  assert.equal(ok.filter.from, newest - 3_600_000);
  assert.equal(ok.filter.to, Date.UTC(2024, 0, 2) - 1);
  assert.match(ok.time.from!.resolved!, /before the newest record/);
  const bad = readViewFilter({ text: '', chips: [], from: 'soonish', to: '' }, newest);
  assert.equal(bad.filter.from, undefined);
  assert.match(bad.time.from!.error!, /Cannot read "soonish"/);
});

test('a gzip whose checksum fails: the records of the damaged member are shown as unverified, in rows and detail', async () => {
  const evs = events();
  const text = JSON.stringify({ Records: evs });
  const gz = Uint8Array.from(gzipSync(text, { level: 0 }));
  // Flip a digit inside stored data: the checksum fails and the damage cannot be located.
  const idx = text.indexOf('"bucketName":"b3"', text.length >> 1) + 15;
  const at = Buffer.from(gz).indexOf(Buffer.from(text.slice(idx - 10, idx + 10)));
  assert.ok(at > 0);
  gz[at + 10] ^= 1;
  const table = new RecordTable();
  const result = await indexBytes(gz, table, { pause: async () => undefined });
  assert.ok(result?.problems.some((p) => /unverified/.test(p.message)), JSON.stringify(result?.problems));
  assert.ok(table.size > 0);
  const src = new RecordSource(table);
  await src.setView({ text: '', chips: [] }, undefined);
  const rows = src.rows(0, table.size);
  assert.ok(rows.some((r) => r.unverified), 'some rows are marked');
  assert.equal(table.unverifiedCount, rows.filter((r) => r.unverified).length);
  for (const r of rows) assert.equal(src.unverified(r.index), !!r.unverified);
});

test('a field-path chip keeps exactly the records the Fields panel counted, also for rows added later', async () => {
  const evs = events();
  const table = new RecordTable();
  table.add(evs.slice(0, 200).map(rec));
  const src = new RecordSource(table);
  await src.setView({ text: '', chips: [] }, undefined);
  const counted = await src.pathInsight('requestParameters.bucketName');
  const b3 = counted.top.find((t) => t.value === 'b3')!;
  assert.equal(b3.count, evs.slice(0, 200).filter((e) => (e.requestParameters as JsonObject).bucketName === 'b3').length);
  // "Only this value" (click) and "Exclude this value" (Alt+click) on a value under the path.
  let c = await src.setView({ text: '', chips: [{ column: '', path: 'requestParameters.bucketName', value: 'b3', exclude: false }] }, undefined);
  assert.equal(c.matched, b3.count);
  c = await src.setView({ text: '', chips: [{ column: '', path: 'requestParameters.bucketName', value: 'b3', exclude: true }] }, undefined);
  assert.equal(c.matched, 200 - b3.count);
  // Two values of one path are alternatives; with a column chip both must hold.
  c = await src.setView(
    { text: '', chips: [{ column: '', path: 'requestParameters.bucketName', value: 'b3', exclude: false }, { column: '', path: 'requestParameters.bucketName', value: 'b4', exclude: false }, { column: 'region', value: 'eu-west-1', exclude: false }] },
    undefined,
  );
  const expect = (list: JsonObject[]) => list.filter((e) => ['b3', 'b4'].includes((e.requestParameters as JsonObject).bucketName as string) && e.awsRegion === 'eu-west-1').length;
  assert.equal(c.matched, expect(evs.slice(0, 200)));
  // Records added while the chip is in force are filtered as they arrive.
  table.add(evs.slice(200).map((e, i) => rec(e, 200 + i)));
  assert.equal(src.counts().matched, expect(evs));
  // A path that is not on any record: "only" keeps nothing, "exclude" keeps everything.
  assert.equal((await src.setView({ text: '', chips: [{ column: '', path: 'tlsDetails.tlsVersion', value: 'TLSv1.3', exclude: false }] }, undefined)).matched, 0);
  assert.equal((await src.setView({ text: '', chips: [{ column: '', path: 'tlsDetails.tlsVersion', value: 'TLSv1.3', exclude: true }] }, undefined)).matched, evs.length);
});
