import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseBytes } from '../../../src/core/records';
import { RecordTable } from '../../../src/core/table';
import { corpusDir } from '../../support/paths';

test('an aggregated data event reads sensibly in the table: window start, counted event names, a Who that says what it is', () => {
  const file = path.join(corpusDir, 'own', 'aggregated-data-events.json');
  const { records } = parseBytes(fs.readFileSync(file), file);
  const table = new RecordTable();
  table.add(records);
  assert.ok(table.size >= 2);
  const first = records[0].event;
  const window = first.timeWindow as { windowStart: string; windowSize: string };
  assert.equal(table.cell(0, 'time'), window.windowStart);
  assert.equal(table.time(0), Date.parse(window.windowStart));
  assert.equal(table.cell(0, 'eventName'), 'GetObject');
  assert.equal(table.cell(0, 'who'), `aggregated: 4,213 calls in ${window.windowSize}`);
  assert.equal(table.cell(0, 'account'), '111122223333');
  // A summary by another dimension names it instead of an event name.
  assert.match(table.cell(1, 'eventName'), /^\(by resourceARN\)$/);
});
