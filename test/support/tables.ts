import assert from 'node:assert/strict';
import { COLUMNS, type RecordTable } from '../../src/core/table';

/** Asserts that two tables hold the same rows: every column's cell, every record's text and its source range. */
export function assertSameTable(a: RecordTable, b: RecordTable): void {
  assert.equal(a.size, b.size);
  for (let i = 0; i < a.size; i++) {
    for (const c of COLUMNS) assert.equal(a.cell(i, c.id), b.cell(i, c.id), `row ${i} ${c.id}`);
    assert.equal(a.recordText(i), b.recordText(i), `row ${i} text`);
    assert.deepEqual(a.range(i), b.range(i), `row ${i} range`);
  }
}
