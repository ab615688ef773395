import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { COLUMNS, COLUMN_INDEX, RecordTable, digestRows, digestView, type ColumnId, type Filter, type Sort } from '../../../src/core/table';
import { LosslessNumber, type CloudTrailRecord, type JsonObject, type JsonValue } from '../../../src/core/records/types';
import { stringifyJson } from '../../../src/core/json';
import { corpusRecords } from './corpus';

const ALL = (): CloudTrailRecord[] => corpusRecords();
const noFilter: Filter = { text: '', chips: [] };
const byTime: Sort = { column: 'time', descending: true };

function tableOf(records: CloudTrailRecord[]): RecordTable {
  const t = new RecordTable();
  t.add(records);
  return t;
}

function viewIndexes(t: RecordTable): number[] {
  return t.indexes(0, t.size);
}

/** Test oracle: every scalar value of a record, written independently of the table's own walker. */
function valuesOf(v: JsonValue, out: string[] = []): string[] {
  if (v === null) return out;
  if (v instanceof LosslessNumber) out.push(v.text);
  else if (Array.isArray(v)) v.forEach((x) => valuesOf(x, out));
  else if (typeof v === 'object') Object.keys(v).forEach((k) => valuesOf((v as JsonObject)[k], out));
  else out.push(String(v));
  return out;
}

function rec(event: JsonObject, index = 0): CloudTrailRecord {
  return { index, event, range: { startLine: index + 1, endLine: index + 1, startOffset: -1, endOffset: -1 } };
}

test('columns catalogue: unique ids, titles, and cells in the same order', () => {
  const ids = COLUMNS.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(COLUMNS.every((c) => c.title && typeof c.defaultVisible === 'boolean'));
  assert.ok(COLUMNS.filter((c) => c.defaultVisible).length >= 9);
  const t = tableOf([rec({ eventTime: '2024-01-01T00:00:00Z', eventName: 'GetObject', eventSource: 's3.amazonaws.com', awsRegion: 'eu-west-1', sourceIPAddress: '192.0.2.9', eventID: 'e-1', readOnly: true })]);
  const [row] = t.rows(0, 1);
  assert.equal(row.cells.length, COLUMNS.length);
  assert.equal(row.cells[COLUMN_INDEX.eventName], 'GetObject');
  assert.equal(row.cells[COLUMN_INDEX.region], 'eu-west-1');
  assert.equal(row.cells[COLUMN_INDEX.sourceIp], '192.0.2.9');
  assert.equal(row.cells[COLUMN_INDEX.eventId], 'e-1');
  assert.equal(row.readOnly, true);
  assert.equal(row.error, false);
});

test('the whole corpus indexes; default view shows every record newest first', () => {
  const recs = ALL();
  const t = tableOf(recs);
  assert.equal(t.size, recs.length);
  assert.deepEqual(t.setView(noFilter, byTime), { matched: recs.length, total: recs.length });
  const idx = viewIndexes(t);
  for (let i = 1; i < idx.length; i++) {
    const a = t.time(idx[i - 1]);
    const b = t.time(idx[i]);
    if (Number.isNaN(b)) continue;
    assert.ok(!Number.isNaN(a) && a >= b, `row ${i} is not older than row ${i - 1}`);
  }
});

test('text filter: case-insensitive substring over the whole record text, equal to an independent oracle', () => {
  const recs = ALL();
  const t = tableOf(recs);
  // Needles taken from nested fields of actual records (requestParameters, resources, userIdentity...).
  const needles = new Set<string>(['AssumeRole', 'ACCESSDENIED', '192.0.2', 'arn:aws:iam::', 'x', 'Bucket']);
  for (const r of recs.slice(0, 400)) {
    const rp = r.event.requestParameters;
    if (rp && typeof rp === 'object' && !Array.isArray(rp)) {
      // Characters JSON escapes are excluded: the text filter sees them in escaped form (documented).
      const vals = valuesOf(rp).map((v) => v.slice(1, 7)).filter((v) => v.length >= 6 && !/["\\\u0000-\u001f]/.test(v));
      if (vals.length) needles.add(vals[0].toUpperCase());
    }
    if (needles.size > 25) break;
  }
  for (const needle of needles) {
    const expected: number[] = [];
    recs.forEach((r, i) => {
      // Oracle: the record's values and keys, written by the core's lossless serialiser.
      const hay = stringifyJson(r.event).toLowerCase();
      if (hay.includes(needle.toLowerCase())) expected.push(i);
      // Sanity of the oracle: a value containing the needle is always found.
      if (valuesOf(r.event).some((v) => v.toLowerCase().includes(needle.toLowerCase()))) assert.ok(hay.includes(needle.toLowerCase()));
    });
    const counts = t.setView({ text: needle, chips: [] }, byTime);
    assert.equal(counts.matched, expected.length, `needle ${needle}`);
    assert.deepEqual(viewIndexes(t).sort((a, b) => a - b), expected, `needle ${needle}`);
  }
});

test('text filter finds an IP that only appears inside requestParameters, not field names', () => {
  const t = tableOf([
    rec({ eventName: 'AuthorizeSecurityGroupIngress', sourceIPAddress: '192.0.2.1', requestParameters: { ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '203.0.113.77/32' }] } }] } } }, 0),
    rec({ eventName: 'DescribeInstances', sourceIPAddress: '192.0.2.1' }, 1),
  ]);
  assert.equal(t.setView({ text: '203.0.113.77', chips: [] }).matched, 1);
  assert.equal(t.rows(0, 1)[0].index, 0);
  assert.equal(t.setView({ text: '"cidrIp":"203.0.113', chips: [] }).matched, 1, 'field names and JSON punctuation are part of the text');
  assert.equal(t.setView({ text: 'SECURITYGROUP', chips: [] }).matched, 1);
});

test('narrowing (typing more) and widening (backspace) give the same results as a fresh query', () => {
  const recs = ALL();
  const typed = tableOf(recs);
  const steps = ['a', 'as', 'ass', 'assu', 'assum', 'assume', 'assum', 'as', '', 'r', 'ro', 'rol', 'role'];
  for (const s of steps) {
    const got = typed.setView({ text: s, chips: [] }, byTime);
    const fresh = tableOf(recs);
    const want = fresh.setView({ text: s, chips: [] }, byTime);
    assert.deepEqual(got, want, `after typing ${JSON.stringify(s)}`);
    assert.deepEqual(viewIndexes(typed), viewIndexes(fresh));
  }
});

test('chips: only / exclude on one column, OR within a column, AND across columns', () => {
  const recs = ALL();
  const t = tableOf(recs);
  const top = t.distinctValues('eventName', 3);
  assert.ok(top.length === 3 && top[0].count >= top[1].count);
  const col = (i: number, c: ColumnId) => t.cell(i, c);
  const all = Array.from({ length: recs.length }, (_, i) => i);

  t.setView({ text: '', chips: [{ column: 'eventName', value: top[0].value, exclude: false }] });
  assert.equal(t.counts().matched, top[0].count);
  assert.ok(viewIndexes(t).every((i) => col(i, 'eventName') === top[0].value));

  t.setView({ text: '', chips: [{ column: 'eventName', value: top[0].value, exclude: false }, { column: 'eventName', value: top[1].value, exclude: false }] });
  assert.equal(t.counts().matched, top[0].count + top[1].count, 'two "only" chips on one column are ORed');

  t.setView({ text: '', chips: [{ column: 'eventName', value: top[0].value, exclude: true }] });
  assert.equal(t.counts().matched, recs.length - top[0].count);
  assert.ok(viewIndexes(t).every((i) => col(i, 'eventName') !== top[0].value));

  const region = t.distinctValues('region', 1)[0].value;
  const both = all.filter((i) => (col(i, 'eventName') === top[0].value || col(i, 'eventName') === top[1].value) && col(i, 'region') === region);
  t.setView({
    text: '',
    chips: [
      { column: 'eventName', value: top[0].value, exclude: false },
      { column: 'eventName', value: top[1].value, exclude: false },
      { column: 'region', value: region, exclude: false },
    ],
  });
  assert.deepEqual(viewIndexes(t).sort((a, b) => a - b), both, 'different columns are ANDed');

  t.setView({ text: '', chips: [{ column: 'eventName', value: 'NoSuchEventAnywhere', exclude: false }] });
  assert.equal(t.counts().matched, 0);
  t.setView({ text: '', chips: [{ column: 'eventName', value: 'NoSuchEventAnywhere', exclude: true }] });
  assert.equal(t.counts().matched, recs.length);
});

test('empty-value chips select the rows whose cell is empty (e.g. succeeded calls)', () => {
  const t = tableOf(ALL());
  const ok = viewIndexesOf(t, { text: '', chips: [{ column: 'errorCode', value: '', exclude: false }] });
  const failed = viewIndexesOf(t, { text: '', chips: [{ column: 'errorCode', value: '', exclude: true }] });
  assert.ok(ok.length > 0 && failed.length > 0);
  assert.equal(ok.length + failed.length, t.size);
  assert.ok(failed.every((i) => t.row(i).error));
});

function viewIndexesOf(t: RecordTable, f: Filter): number[] {
  t.setView(f);
  return viewIndexes(t);
}

test('time range is inclusive and hides records without a time', () => {
  const recs = [
    rec({ eventTime: '2024-01-01T00:00:00Z', eventName: 'A' }, 0),
    rec({ eventTime: '2024-01-02T00:00:00Z', eventName: 'B' }, 1),
    rec({ eventTime: '2024-01-03T00:00:00Z', eventName: 'C' }, 2),
    rec({ eventName: 'NoTime' }, 3),
    rec({ eventTime: 'not a time', eventName: 'BadTime' }, 4),
  ];
  const t = tableOf(recs);
  const from = Date.parse('2024-01-02T00:00:00Z');
  const to = Date.parse('2024-01-03T00:00:00Z');
  t.setView({ text: '', chips: [], from, to });
  assert.deepEqual(t.rows(0, 10).map((r) => r.cells[COLUMN_INDEX.eventName]), ['C', 'B']);
  t.setView({ text: '', chips: [], from });
  assert.equal(t.counts().matched, 2);
  t.setView({ text: '', chips: [], to: from - 1 });
  assert.deepEqual(t.rows(0, 10).map((r) => r.cells[COLUMN_INDEX.eventName]), ['A']);
  assert.deepEqual(t.timeBounds(), { min: Date.parse('2024-01-01T00:00:00Z'), max: to });
  // On the corpus: every row in range, and the count matches a direct count.
  const c = tableOf(ALL());
  const { min, max } = c.timeBounds();
  assert.ok(min !== undefined && max !== undefined);
  const mid = min + (max - min) / 2;
  c.setView({ text: '', chips: [], from: mid });
  let expected = 0;
  for (let i = 0; i < c.size; i++) if (c.time(i) >= mid) expected++;
  assert.equal(c.counts().matched, expected);
});

test('times without a zone are read as UTC', () => {
  const t = tableOf([rec({ eventTime: '2026-01-11 22:54:56.000000000' })]);
  assert.equal(t.time(0), Date.UTC(2026, 0, 11, 22, 54, 56));
});

/** Ties under any column keep time order: newest first, records without a time after, then file order. */
function timeTieOk(t: RecordTable, a: number, b: number): boolean {
  const x = t.time(a);
  const y = t.time(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(y) && (!Number.isNaN(x) || a < b);
  return x > y || (x === y && a < b);
}

test('sorting by every column, both directions: ordered, empty last, ties in time order', () => {
  const t = tableOf(ALL());
  for (const c of COLUMNS) {
    for (const descending of [false, true]) {
      t.setView(noFilter, { column: c.id, descending });
      const idx = viewIndexes(t);
      assert.equal(idx.length, t.size);
      for (let p = 1; p < idx.length; p++) {
        const a = idx[p - 1];
        const b = idx[p];
        if (c.id === 'time') {
          const x = t.time(a);
          const y = t.time(b);
          if (Number.isNaN(x)) assert.ok(Number.isNaN(y), 'missing times last');
          else if (!Number.isNaN(y)) {
            assert.ok(descending ? x >= y : x <= y, `time order at ${p}`);
            if (x === y) assert.ok(a < b, 'ties keep file order');
          }
          continue;
        }
        const x = t.cell(a, c.id);
        const y = t.cell(b, c.id);
        if (x === '') {
          assert.equal(y, '', `${c.id}: empty values last`);
          assert.ok(timeTieOk(t, a, b), `${c.id}: empty values in time order`);
          continue;
        }
        if (y === '') continue;
        const lx = x.toLowerCase();
        const ly = y.toLowerCase();
        const cmp = lx === ly ? (x === y ? 0 : x < y ? -1 : 1) : lx < ly ? -1 : 1;
        if (cmp === 0) assert.ok(timeTieOk(t, a, b), `${c.id}: ties keep time order, newest first`);
        else assert.equal(cmp, descending ? 1 : -1, `${c.id} ${descending ? 'desc' : 'asc'} at ${p}: ${x} / ${y}`);
      }
    }
  }
});

test('sorting is stable on time: equal values list newest first, whatever the file order, also while records arrive', () => {
  // File order deliberately not time order.
  const times = ['2024-01-01T10:00:00Z', '2024-01-03T10:00:00Z', '2024-01-02T10:00:00Z', '', '2024-01-05T10:00:00Z', '2024-01-04T10:00:00Z'];
  const recs = times.map((tm, i) => rec({ ...(tm ? { eventTime: tm } : {}), eventName: i % 2 ? 'B' : 'A', awsRegion: 'eu-west-1', eventID: `e${i}` }, i));
  for (const sort of [{ column: 'eventName', descending: false }, { column: 'eventName', descending: true }, { column: 'region', descending: false }] as Sort[]) {
    const once = tableOf(recs);
    once.setView(noFilter, sort);
    const inc = new RecordTable();
    inc.setView(noFilter, sort);
    for (const r of recs) inc.add([r]);
    for (const t of [once, inc]) {
      const order = viewIndexes(t);
      const names = order.map((i) => t.cell(i, sort.column));
      const groups = [...new Set(names)];
      for (const g of groups) {
        const inGroup = order.filter((i) => t.cell(i, sort.column) === g);
        const want = [...inGroup].sort((a, b) => (Number.isNaN(t.time(a)) ? 1 : Number.isNaN(t.time(b)) ? -1 : t.time(b) - t.time(a)));
        assert.deepEqual(inGroup, want, `${JSON.stringify(sort)} group ${g}: newest first`);
      }
    }
    assert.deepEqual(viewIndexes(inc), viewIndexes(once));
  }
  // Region: one value, so the whole list is the time order.
  const t = tableOf(recs);
  t.setView(noFilter, { column: 'region', descending: false });
  assert.deepEqual(viewIndexes(t), [4, 5, 1, 2, 0, 3]);
});

test('incremental add while a filtered, sorted view is active equals indexing everything at once', () => {
  const recs = ALL();
  const filters: Filter[] = [
    { text: 'a', chips: [] },
    { text: '', chips: [{ column: 'eventSource', value: 'sts.amazonaws.com', exclude: false }] },
    { text: 'role', chips: [{ column: 'readOnly', value: 'true', exclude: true }] },
  ];
  const sorts: Sort[] = [byTime, { column: 'eventName', descending: false }, { column: 'who', descending: true }, { column: 'eventId', descending: false }];
  for (const f of filters) {
    for (const s of sorts) {
      const inc = new RecordTable();
      inc.setView(f, s);
      let added = 0;
      for (let k = 0; added < recs.length; k++) {
        const n = 1 + ((k * 37) % 90);
        inc.add(recs.slice(added, added + n));
        added += n;
        if (k % 3 === 0) inc.rows(0, 50); // pages are read while records keep arriving
      }
      const once = tableOf(recs);
      const want = once.setView(f, s);
      assert.deepEqual(inc.counts(), want);
      assert.deepEqual(viewIndexes(inc), viewIndexes(once), `${JSON.stringify(f)} ${JSON.stringify(s)}`);
    }
  }
});

test('first rows are available before the rest arrives, and the view grows', () => {
  const recs = ALL();
  const t = new RecordTable();
  let notified = 0;
  const off = t.onDidAdd(() => notified++);
  t.setView(noFilter, byTime);
  t.add(recs.slice(0, 50));
  assert.equal(t.rows(0, 50).length, 50);
  assert.deepEqual(t.counts(), { matched: 50, total: 50 });
  t.add(recs.slice(50));
  assert.deepEqual(t.counts(), { matched: recs.length, total: recs.length });
  assert.equal(notified, 2);
  off();
  t.add([rec({ eventName: 'late' }, recs.length)]);
  assert.equal(notified, 2);
});

test('paging: ranges at and beyond the edges are clamped, never throw', () => {
  const t = tableOf(ALL());
  const n = t.setView({ text: 'a', chips: [] }).matched;
  assert.ok(n > 10);
  assert.equal(t.rows(0, 0).length, 0);
  assert.equal(t.rows(n - 1, 10).length, 1);
  assert.equal(t.rows(n, 10).length, 0);
  assert.equal(t.rows(n + 1000, 10).length, 0);
  assert.deepEqual(t.rows(-5, 10).map((r) => r.index), t.rows(0, 10).map((r) => r.index));
  assert.equal(t.rows(Number.NaN, 5).length, 5);
  assert.equal(t.rows(0, Number.POSITIVE_INFINITY).length, 0, 'non-finite count reads as 0');
  assert.equal(t.rows(0, 1e9).length, n);
  // Consecutive pages tile the view exactly.
  const paged = [...t.rows(0, 7), ...t.rows(7, 7), ...t.rows(14, n)].map((r) => r.index);
  assert.deepEqual(paged, viewIndexes(t));
  assert.equal(t.positionOf(paged[5]), 5);
  assert.throws(() => t.event(-1), RangeError);
  assert.throws(() => t.row(t.size), RangeError);
  const empty = new RecordTable();
  assert.deepEqual(empty.rows(0, 50), []);
  assert.deepEqual(empty.counts(), { matched: 0, total: 0 });
  assert.deepEqual(empty.timeBounds(), {});
});

test('event(index) re-parses the record losslessly; recordText slices the source text when given', () => {
  const big = '12345678901234567890123';
  const text = `{"Records":[\n{"eventTime":"2024-05-01T10:00:00Z","eventName":"Big","recipientAccountId":${big},"requestParameters":{"n":9007199254740993}}\n]}`;
  const start = text.indexOf('{"eventTime"');
  const end = text.lastIndexOf('}\n]') + 1;
  const event: JsonObject = {
    eventTime: '2024-05-01T10:00:00Z',
    eventName: 'Big',
    recipientAccountId: new LosslessNumber(big),
    requestParameters: { n: new LosslessNumber('9007199254740993') },
  };
  for (const withSource of [true, false]) {
    const t = new RecordTable();
    t.add([{ index: 0, event, range: { startLine: 2, endLine: 2, startOffset: start, endOffset: end } }], withSource ? text : undefined);
    assert.equal(t.cell(0, 'account'), big, 'big account number shown exactly');
    assert.equal(t.setView({ text: '9007199254740993', chips: [] }).matched, 1, 'big numbers are searchable by their digits');
    const ev = t.event(0);
    assert.ok(ev.recipientAccountId instanceof LosslessNumber);
    assert.equal((ev.recipientAccountId as LosslessNumber).text, big);
    assert.equal(((ev.requestParameters as JsonObject).n as LosslessNumber).text, '9007199254740993');
    if (withSource) assert.equal(t.recordText(0), text.slice(start, end));
    else assert.ok(t.recordText(0).includes(big));
    assert.deepEqual(t.range(0), { startLine: 2, endLine: 2, startOffset: start, endOffset: end });
  }
});

test('hostile strings: huge values, bidi and control characters, __proto__ keys', () => {
  const huge = 'A'.repeat(3_000_000) + 'needle-at-the-end';
  const proto: JsonObject = { eventName: 'Proto', eventTime: '2024-01-01T00:00:00Z' };
  Object.defineProperty(proto, '__proto__', { value: { polluted: 'yes' }, enumerable: true, writable: true, configurable: true });
  const ui: JsonObject = { type: 'IAMUser' };
  Object.defineProperty(ui, '__proto__', { value: { userName: 'evil' }, enumerable: true, writable: true, configurable: true });
  proto.userIdentity = ui;
  const t = tableOf([
    rec({ eventName: 'Huge', userAgent: huge, eventTime: '2024-01-01T00:00:01Z' }, 0),
    rec({ eventName: 'Evil\u202Egnp.exe\u0000\n', eventTime: '2024-01-01T00:00:02Z', sourceIPAddress: '\u2066x\u2069' }, 1),
    rec(proto, 2),
    rec({ eventName: 'constructor', eventSource: 'toString', eventTime: 'hasOwnProperty' }, 3),
  ]);
  const ua = t.cell(0, 'userAgent');
  assert.ok(ua.length <= 2001 && ua.endsWith('…'), 'huge cells are cut');
  assert.equal(t.setView({ text: 'NEEDLE-AT-THE-END', chips: [] }).matched, 1, 'the full value stays searchable');
  const evil = t.cell(1, 'eventName');
  assert.ok(!/[\u202a-\u202e\u2066-\u2069\u0000-\u001f]/.test(evil), 'no bidi/control characters in cells');
  assert.ok(evil.includes('Evil') && evil.includes('<U+202E>'));
  assert.ok(!/[\u2066-\u2069]/.test(t.cell(1, 'sourceIp')));
  assert.equal(t.setView({ text: 'gnp.exe', chips: [] }).matched, 1);
  assert.equal(t.cell(2, 'who'), 'IAMUser', 'a __proto__ key is never read as the prototype (no userName "evil")');
  assert.equal(t.setView({ text: '"__proto__":{"polluted":"yes"}', chips: [] }).matched, 1, 'a __proto__ key is searchable data');
  const ev = t.event(2);
  assert.ok(Object.prototype.hasOwnProperty.call(ev, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
  t.setView({ text: '', chips: [{ column: 'eventName', value: 'constructor', exclude: false }] });
  assert.equal(t.counts().matched, 1);
  t.setView({ text: '', chips: [{ column: 'eventName', value: '__proto__', exclude: false }] });
  assert.equal(t.counts().matched, 0);
  assert.ok(Number.isNaN(t.time(3)));
  // Malformed filter objects from a webview are tolerated.
  const bad = { text: 5, chips: [null, { column: 'nope', value: 'x' }, { column: 'eventName', value: 7 }], from: 'x' } as unknown as Filter;
  assert.deepEqual(t.setView(bad), { matched: 4, total: 4 });
});

test('query(): sliced, reports progress, cancellable without losing the previous view', async () => {
  const recs = ALL();
  const t = new RecordTable();
  for (let k = 0; k < 10; k++) t.add(recs);
  t.setView({ text: 'iam', chips: [] }, byTime);
  const before = viewIndexes(t);
  const ac = new AbortController();
  const progress: number[] = [];
  const p = t.query({ text: 'zzz-not-there', chips: [] }, byTime, {
    signal: ac.signal,
    sliceMs: 0,
    onProgress: (done) => {
      progress.push(done);
      if (progress.length === 2) ac.abort();
    },
  });
  await assert.rejects(p, (e: Error) => e.name === 'AbortError');
  assert.deepEqual(viewIndexes(t), before, 'aborted query keeps the old view');
  const seen: number[] = [];
  const counts = await t.query({ text: 'AssumeRole', chips: [] }, byTime, { sliceMs: 0, onProgress: (d) => seen.push(d) });
  assert.ok(seen.length > 1 && seen[seen.length - 1] === t.size);
  const sync = tableOf(recs.concat(...Array(9).fill(recs)));
  assert.deepEqual(counts, sync.setView({ text: 'AssumeRole', chips: [] }, byTime));
  // Narrowing after a query still agrees with a fresh query.
  assert.deepEqual(t.setView({ text: 'AssumeRoleWith', chips: [] }), sync.setView({ text: 'AssumeRoleWith', chips: [] }));
});

test('distinctValues counts all rows or only the view', () => {
  const t = tableOf(ALL());
  const all = t.distinctValues('eventSource', 1000);
  assert.equal(all.reduce((s, x) => s + x.count, 0), t.size);
  for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].count >= all[i].count);
  t.setView({ text: '', chips: [{ column: 'eventSource', value: all[0].value, exclude: false }] });
  assert.deepEqual(t.distinctValues('eventSource', 10, 'view'), [{ value: all[0].value, count: all[0].count }]);
  assert.equal(t.distinctValues('eventSource', 2).length, 2);
});

test('resources cell: first ARN and how many more', () => {
  const t = tableOf([
    rec({ resources: [{ ARN: 'arn:aws:s3:::b', type: 'AWS::S3::Bucket' }, { ARN: 'arn:aws:s3:::b/k', type: 'AWS::S3::Object' }, { type: 'AWS::KMS::Key' }] }, 0),
    rec({ resources: [{ type: 'AWS::IAM::Role', accountId: '1' }] }, 1),
    rec({ resources: [] }, 2),
  ]);
  assert.equal(t.cell(0, 'resources'), 'arn:aws:s3:::b +2');
  assert.equal(t.cell(1, 'resources'), 'AWS::IAM::Role');
  assert.equal(t.cell(2, 'resources'), '');
});

test('digest view model lists the log files', () => {
  const info = {
    awsAccountId: '111122223333',
    digestStartTime: '2024-01-01T00:00:00Z',
    digestEndTime: '2024-01-01T01:00:00Z',
    previousDigestS3Bucket: null,
    previousDigestS3Object: null,
    logFiles: [
      { s3Bucket: 'b', s3Object: 'AWSLogs/1/CloudTrail/x.json.gz', hashValue: 'ab12', hashAlgorithm: 'SHA-256', newestEventTime: '2024-01-01T00:59:00Z', oldestEventTime: '2024-01-01T00:01:00Z' },
      { s3Bucket: 'b', s3Object: 'y\u202E.json.gz', hashValue: 'cd34', hashAlgorithm: 'SHA-256', newestEventTime: null, oldestEventTime: null },
    ],
  };
  const rows = digestRows(info);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].object, 's3://b/AWSLogs/1/CloudTrail/x.json.gz');
  assert.equal(rows[0].hash, 'ab12');
  assert.equal(rows[0].oldestEventTime, '2024-01-01T00:01:00Z');
  assert.equal(rows[1].newestEventTime, '');
  assert.ok(!rows[1].key.includes('\u202E'));
  const v = digestView(info);
  assert.equal(v.previous, '');
  assert.equal(v.account, '111122223333');
  assert.deepEqual(digestRows({} as never), []);
});

test('duplicate event IDs (CloudTrail can deliver an event twice) stay distinct rows but filter and count together', () => {
  const t = tableOf([
    rec({ eventID: 'dup', eventTime: '2024-01-01T00:00:01Z', eventName: 'First' }, 0),
    rec({ eventID: 'other', eventTime: '2024-01-01T00:00:02Z' }, 1),
    rec({ eventID: 'dup', eventTime: '2024-01-01T00:00:03Z', eventName: 'Second' }, 2),
  ]);
  t.setView({ text: '', chips: [{ column: 'eventId', value: 'dup', exclude: false }] });
  assert.deepEqual(viewIndexes(t).sort(), [0, 2]);
  assert.deepEqual(t.distinctValues('eventId', 5)[0], { value: 'dup', count: 2 });
  for (const descending of [false, true]) {
    t.setView(noFilter, { column: 'eventId', descending });
    const order = viewIndexes(t);
    assert.deepEqual(order, descending ? [1, 2, 0] : [2, 0, 1], 'equal IDs keep time order (newest first) in both directions');
  }
  t.setView({ text: '', chips: [{ column: 'time', value: '2024-01-01T00:00:02Z', exclude: true }] });
  assert.deepEqual(viewIndexes(t).sort(), [0, 2]);
});

test('cells never read inherited values, even when Object.prototype is polluted or the event has its own prototype', () => {
  const proto = Object.prototype as unknown as Record<string, unknown>;
  try {
    proto.eventName = 'Polluted';
    proto.awsRegion = 'polluted-1';
    const t = tableOf([rec({ eventTime: '2024-01-01T00:00:00Z', eventSource: 's3.amazonaws.com' }, 0)]);
    assert.equal(t.cell(0, 'eventName'), '');
    assert.equal(t.cell(0, 'region'), '');
    assert.equal(t.cell(0, 'eventSource'), 's3.amazonaws.com');
  } finally {
    delete proto.eventName;
    delete proto.awsRegion;
  }
  const inherited = Object.create({ eventName: 'FromPrototype', errorCode: 'Inherited' }) as JsonObject;
  inherited.eventTime = '2024-01-01T00:00:00Z';
  const t2 = tableOf([rec(inherited, 0)]);
  assert.equal(t2.cell(0, 'eventName'), '');
  assert.equal(t2.cell(0, 'errorCode'), '');
  assert.equal(t2.row(0).error, false);
});

test('text filter anchored on a rare character: false candidates, overlaps and narrowing match an oracle', () => {
  // Mostly "a"s with a few "q"s and "z"s, so a needle like "aaq" is searched from its rare "q" (the anchor)
  // and every "q" not preceded by "aa" is a false candidate that must be skipped, not reported.
  let seed = 7;
  const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
  const recs: CloudTrailRecord[] = [];
  for (let i = 0; i < 600; i++) {
    let s = '';
    const len = 20 + Math.floor(rnd() * 200);
    for (let k = 0; k < len; k++) {
      const x = rnd();
      s += x < 0.85 ? 'a' : x < 0.93 ? 'b' : x < 0.97 ? 'q' : 'Z';
    }
    recs.push(rec({ eventName: 'E', requestParameters: { v: s } }, i));
  }
  const hay = recs.map((r) => stringifyJson(r.event).toLowerCase());
  const steps = ['a', 'aa', 'aaq', 'aaqa', 'aaqaa', 'aaqaaz', 'aaqa', 'aq', 'qa', 'aaaaq', 'aaaaaaaaq', 'baq', 'abaaz', 'zaz', 'qaq', 'aaqaab'];
  const typed = tableOf(recs);
  for (const needle of steps) {
    const expected = hay.flatMap((h, i) => (h.includes(needle) ? [i] : []));
    const got = typed.setView({ text: needle.toUpperCase(), chips: [] }, byTime);
    assert.equal(got.matched, expected.length, `needle ${needle}`);
    assert.deepEqual(viewIndexes(typed).sort((a, b) => a - b), expected, `needle ${needle}`);
    const fresh = tableOf(recs);
    assert.deepEqual(fresh.setView({ text: needle, chips: [] }, byTime), got, `fresh ${needle}`);
  }
});

test('sort order with tricky values (case variants, prefixes, spaces, non-ASCII) matches the case-insensitive rule', () => {
  const values = ['b', 'B', 'a', 'A', 'ab', 'Ab', 'ab ', 'a b', 'a', 'é', 'E', 'z', 'Z9', 'z9', '0', '~', '', 'AB', 'aB'];
  const recs = values.map((v, i) => rec({ eventName: v, eventID: v, eventTime: '2024-01-01T00:00:00Z' }, i));
  const t = tableOf(recs);
  // The rule written out: lower-cased value, then the value itself (code units), empty last; ties in file order.
  const rule = (a: number, b: number) => {
    const x = values[a];
    const y = values[b];
    if (x === y) return a - b;
    if (!x || !y) return x ? -1 : 1;
    const lx = x.toLowerCase();
    const ly = y.toLowerCase();
    if (lx !== ly) return lx < ly ? -1 : 1;
    return x < y ? -1 : 1;
  };
  const want = values.map((_, i) => i).sort(rule);
  for (const column of ['eventName', 'eventId'] as const) {
    t.setView(noFilter, { column, descending: false });
    assert.deepEqual(viewIndexes(t), want, `${column} ascending`);
  }
});

test('search texts are made after adding, in slices or by the first search, with the same results', () => {
  const records = ALL();
  const made = tableOf(records);
  assert.equal(made.makeSearchTexts(), true);
  const lazy = tableOf(records);
  // A deadline already passed: one piece (512 rows) is made, not all of them.
  assert.ok(records.length > 512);
  assert.equal(lazy.makeSearchTexts(performance.now() - 1), false);
  for (const text of ['AssumedRole', 'accessdenied', '"eventName": "Get', '192.', 'é', 'zqzq']) {
    assert.deepEqual(lazy.setView({ text, chips: [] }, byTime), made.setView({ text, chips: [] }, byTime), text);
    assert.deepEqual(lazy.indexes(0, 1e6), made.indexes(0, 1e6), text);
  }
  // The search above made the rest.
  assert.equal(lazy.makeSearchTexts(performance.now() - 1), true);
  // Rows added later (one batch, then another) are made again when needed.
  lazy.add(records.slice(0, 40));
  made.add(records.slice(0, 40));
  assert.deepEqual(lazy.setView({ text: 'iam', chips: [] }, byTime), made.setView({ text: 'iam', chips: [] }, byTime));
});
