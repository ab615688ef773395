/**
 * filterToSql (src/core/query/view-filter.ts): the SQL made from a record viewer filter selects, on real DuckDB over
 * the query fixture, exactly the records the viewer's own table core (RecordTable.setView) keeps for that filter —
 * the reference answer comes from the table core, not from SQL. The Athena form is checked for its partition filter.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { DuckQueryEngine } from '../../../src/core/query';
import { filterToSql, ViewerFilterLike } from '../../../src/core/query/view-filter';
import { parseBytes } from '../../../src/core/records';
import { RecordTable, principalOf } from '../../../src/core/table';
import { makeRecords, writeFixture, Rec } from './fixture';

let dir: string;
let records: Rec[];
let engine: DuckQueryEngine;

before(() => {
  records = makeRecords(400, 23);
  dir = writeFixture(records);
  engine = new DuckQueryEngine({ threads: 1 });
});
after(() => {
  engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Event IDs the viewer's table core keeps for the filter. */
function viewerIds(f: ViewerFilterLike): string[] {
  const table = new RecordTable();
  table.add(parseBytes(new TextEncoder().encode(JSON.stringify({ Records: records }))).records);
  const ms = (s: string | undefined, which: 'from' | 'to') => {
    if (!s) return undefined;
    if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return Date.parse(s + (which === 'from' ? 'T00:00:00Z' : 'T23:59:59.999Z'));
    return Date.parse(/Z$/.test(s) ? s : s + 'Z');
  };
  const { matched } = table.setView({ text: f.text ?? '', chips: (f.chips ?? []) as never, from: ms(f.from, 'from'), to: ms(f.to, 'to') });
  return table.rows(0, matched).map((r) => r.cells[10]).sort();
}

async function sqlIds(f: ViewerFilterLike): Promise<string[]> {
  const { where } = filterToSql(f, 'duckdb');
  const r = await engine.query({ paths: [dir], sql: `SELECT eventid FROM cloudtrail${where ? ` WHERE ${where}` : ''} ORDER BY eventid`, maxRows: 100_000 });
  return r.rows.map((x) => String(x[0]));
}

test('chips, time range and text select the records the viewer shows', async () => {
  const who = principalOf(records[7] as never);
  const filters: ViewerFilterLike[] = [
    {},
    { chips: [{ column: 'eventName', value: 'ConsoleLogin', exclude: false }] },
    { chips: [{ column: 'eventName', value: 'ListBuckets', exclude: false }, { column: 'eventName', value: 'DescribeInstances', exclude: false }, { column: 'region', value: 'us-east-1', exclude: true }] },
    { chips: [{ column: 'errorCode', value: '', exclude: true }, { column: 'sourceIp', value: records[3].sourceIPAddress, exclude: false }] },
    { chips: [{ column: 'who', value: who, exclude: false }] },
    { chips: [{ column: 'who', value: 'root', exclude: true }, { column: 'readOnly', value: 'true', exclude: false }] },
    { from: '2024-03-02T03:00', to: '2024-03-02T09:30:15' },
    { from: '2024-03-02', to: '2024-03-02', chips: [{ column: 'account', value: '111122223333', exclude: false }] },
    { text: 'AccessDenied' },
    { text: "o'brien" },
    { text: records[11].sourceIPAddress.slice(0, 9), chips: [{ column: 'eventSource', value: 's3.amazonaws.com', exclude: false }] },
  ];
  for (const f of filters) {
    const expected = viewerIds(f);
    assert.deepEqual(await sqlIds(f), expected, JSON.stringify(f));
  }
  // The filters above are not all trivial: some keep a part of the records, not none or all.
  const sizes = await Promise.all(filters.slice(1).map((f) => sqlIds(f).then((x) => x.length)));
  assert.ok(sizes.some((n) => n > 0 && n < records.length), sizes.join(','));
});

test('the SQL escapes values, bounds time for file pruning, and has an Athena form with a partition filter', () => {
  const d = filterToSql({ chips: [{ column: 'eventName', value: "x' OR 1=1 --", exclude: false }], from: '2024-03-02T00:00:00Z', to: '2024-03-02T23:59:59Z' }, 'duckdb');
  assert.match(d.where, /eventname, ''\) = 'x'' OR 1=1 --'/);
  assert.match(d.where, /eventtime >= '2024-03-02T00:00:00Z'/);
  assert.match(d.where, /eventtime < '2024-03-03T00:00:00Z'/);
  assert.match(d.sql, /^-- From the record viewer's filters/);
  assert.match(d.sql, /FROM cloudtrail\nWHERE /);
  const a = filterToSql({ from: '2024-03-02', to: '2024-03-04', text: 'bob' }, 'athena');
  assert.match(a.where, /"timestamp" >= '2024\/03\/02'/);
  assert.match(a.where, /"timestamp" <= '2024\/03\/06'/);
  assert.match(a.where, /json_format\(CAST\(useridentity AS JSON\)\)/);
  const unknown = filterToSql({ chips: [{ column: 'nope', value: 'x' }] });
  assert.equal(unknown.where, '');
  assert.ok(unknown.notes.some((n) => n.includes('nope')));
});
