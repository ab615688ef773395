/**
 * Two editors of one document (two RecordSources over one shared RecordTable) with different filters: each
 * keeps its own rows, and reading one after the other changed its filter runs no search.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordTable } from '../../../src/core/table';
import { RecordSource } from '../../../src/viewer/source';
import { Origins } from '../../../src/core/ingest/origins';
import type { CloudTrailRecord, JsonObject } from '../../../src/core/records/types';

const rec = (event: JsonObject, index: number): CloudTrailRecord => ({ index, event, range: { startLine: 0, endLine: 0, startOffset: -1, endOffset: -1 } });

test('split editors of one file keep their own filters and never recompute each other', async () => {
  const table = new RecordTable();
  const events: JsonObject[] = Array.from({ length: 300 }, (_, i) => ({
    eventTime: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(),
    eventName: i % 3 ? 'DescribeInstances' : 'RunInstances',
    eventSource: 'ec2.amazonaws.com',
  }));
  table.add(events.map(rec));
  const left = new RecordSource(table);
  const right = new RecordSource(table);
  assert.deepEqual(await left.setView({ text: 'runinstances', chips: [] }, { column: 'time', direction: 'asc' }), { matched: 100, total: 300 });
  assert.deepEqual(await right.setView({ text: 'describe', chips: [] }, { column: 'time', direction: 'desc' }), { matched: 200, total: 300 });
  const texts = table.textsPart();
  let searches = 0;
  const original = texts.searchTexts.bind(texts);
  texts.searchTexts = (end: number) => {
    searches++;
    return original(end);
  };
  assert.deepEqual(left.counts(), { matched: 100, total: 300 });
  assert.deepEqual(left.rows(0, 3).map((r) => r.index), [0, 3, 6]);
  assert.deepEqual(right.rows(0, 2).map((r) => r.index), [299, 298]);
  assert.deepEqual(left.rows(1, 1).map((r) => r.index), [3]);
  assert.equal(searches, 0);
  left.dispose();
  right.dispose();
  table.add([rec({ eventName: 'RunInstances', eventTime: '2024-02-01T00:00:00Z' }, 300)]);
  assert.equal(left.counts().matched, 100, 'a closed editor no longer follows the table');
});

test('a combined view adds a Source column (not sortable, not a filter chip) and each record\'s origin', async () => {
  const table = new RecordTable();
  const events: JsonObject[] = Array.from({ length: 10 }, (_, i) => ({ eventTime: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), eventName: `E${i}` }));
  table.add(events.map(rec));
  const origins = new Origins();
  const a = { label: 'a.json.gz', file: 'file:///logs/a.json.gz', description: '2024/01/01/a.json.gz' };
  const b = { label: 'us-east-1 · 111122223333' };
  origins.add(0, 6, a);
  origins.add(6, 4, b);
  const plain = new RecordSource(table);
  assert.ok(!plain.columns.some((c) => c.id === 'source'), 'a single file has no Source column');
  const src = new RecordSource(table, origins);
  const col = src.columns.findIndex((c) => c.id === 'source');
  assert.equal(col, src.columns.length - 1);
  assert.equal(src.columns[col].sortable, false);
  assert.equal(src.columns[col].filterable, false);
  await src.setView({ text: '', chips: [] }, { column: 'time', direction: 'asc' });
  const rows = src.rows(0, 10);
  assert.deepEqual(rows.map((r) => r.cells[col]), rows.map((r) => (r.index < 6 ? a.label : b.label)));
  assert.equal(rows[0].cells.length, src.columns.length);
  assert.equal(src.cellValue(7, 'source'), b.label);
  assert.deepEqual(src.origin(2), { label: a.label, description: a.description, canOpen: true });
  assert.deepEqual(src.origin(9), { label: b.label, canOpen: false });
  assert.equal(src.positionOf(3), 3);
});
