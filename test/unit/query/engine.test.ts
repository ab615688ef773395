/** The DuckDB engine through the worker process and the CLI: partitions, file pruning by time, errors, formats. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { QueryWorkerClient } from '../../../src/core/query/client';
import { DuckQueryEngine, rangeFromSql, QueryError, errorPosition } from '../../../src/core/query';
import { threadsFor } from '../../../src/core/query/duckdb';
import { gzipSync } from 'node:zlib';
import * as os from 'node:os';
import { main } from '../../../src/cli';
import { makeRecords, writeFixture, Rec } from './fixture';
import { repoRoot } from '../../support/paths';

const repo = repoRoot;
let dir: string;
let records: Rec[];

before(() => {
  records = makeRecords(300, 11);
  dir = writeFixture(records);
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function cli(args: string[]) {
  let out = '';
  let err = '';
  return main(['query', ...args], { stdout: (t) => (out += t), stderr: (t) => (err += t), cwd: repo }).then((code) => ({ code, out, err }));
}

test('the worker process runs a query and reports progress; a bad column fails with its SQL position', async () => {
  const worker = path.join(repo, 'out', 'worker-query.js');
  assert.ok(fs.existsSync(worker), 'build first (out/worker-query.js)');
  const client = new QueryWorkerClient(worker);
  try {
    assert.equal(client.started, false);
    const progress: string[] = [];
    const r = await client.run({ paths: [dir], sql: 'SELECT count(*) AS n FROM cloudtrail' }, { threads: 1 }, (m) => progress.push(m));
    assert.equal(String(r.rows[0][0]), String(records.length));
    assert.ok(progress.length > 0);
    await assert.rejects(client.run({ paths: [dir], sql: 'SELECT eventnam\nFROM cloudtrail' }, { threads: 1 }), (e: QueryError) => {
      assert.equal(e.line, 1);
      assert.equal(e.column, 8);
      return true;
    });
  } finally {
    client.dispose();
  }
});

test('partition columns come from the layout; the JSON Lines export gets them from its records', async () => {
  const engine = new DuckQueryEngine({ threads: 1 });
  try {
    const r = await engine.query({ paths: [dir], sql: `SELECT account, region, "timestamp", awsregion, eventtime, "$path" FROM cloudtrail` });
    assert.equal(r.rows.length, records.length);
    for (const [account, region, ts, awsregion, eventtime, p] of r.rows as string[][]) {
      assert.equal(account, '111122223333');
      assert.equal(region, awsregion);
      assert.match(ts, /^\d{4}\/\d{2}\/\d{2}$/);
      if (p.endsWith('.json.gz')) assert.ok(p.includes(`/CloudTrail/${region}/${ts}/`), p);
      else assert.equal(ts, eventtime.slice(0, 10).replace(/-/g, '/'));
    }
  } finally {
    engine.close();
  }
});

test('a time-bounded query reads only the files delivered in the range and still finds every event in it', async () => {
  const from = '2024-03-02T00:00:00Z';
  const to = '2024-03-02T06:00:00Z';
  const sql = `SELECT eventid FROM cloudtrail WHERE eventtime >= '${from}' AND eventtime < '${to}' ORDER BY eventtime`;
  assert.deepEqual(rangeFromSql(sql), { from, to });
  const engine = new DuckQueryEngine({ threads: 1 });
  try {
    const all = await engine.query({ paths: [dir], sql: 'SELECT count(*) FROM cloudtrail', range: {} });
    const r = await engine.query({ paths: [dir], sql });
    assert.ok((r.filesSkipped ?? 0) > 0, 'some files are outside the range');
    assert.ok((r.filesRead ?? 0) < (all.filesRead ?? 0));
    const expected = records.filter((x) => x.eventTime >= from && x.eventTime < to).map((x) => x.eventID);
    assert.deepEqual(r.rows.map((x) => x[0]), expected);
  } finally {
    engine.close();
  }
});

test('a one-day query over a year-long layout reads only that day\'s files (and the delivery just after midnight)', async () => {
  const year = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-year-'));
  const acct = '111122223333';
  const sample = makeRecords(4, 3);
  try {
    for (let day = 0; day < 365; day++) {
      const t = new Date(Date.UTC(2023, 0, 1) + day * 86400_000);
      const [y, mo, d] = [t.getUTCFullYear(), String(t.getUTCMonth() + 1).padStart(2, '0'), String(t.getUTCDate()).padStart(2, '0')];
      const folder = path.join(year, 'AWSLogs', acct, 'CloudTrail', 'eu-west-1', String(y), mo, d);
      fs.mkdirSync(folder, { recursive: true });
      for (const hh of ['00', '12']) {
        const recs = sample.map((r, i) => ({ ...r, eventTime: `${y}-${mo}-${d}T${hh}:0${i}:00Z`, eventID: `y-${day}-${hh}-${i}` }));
        fs.writeFileSync(path.join(folder, `${acct}_CloudTrail_eu-west-1_${y}${mo}${d}T${hh}10Z_y${hh}.json.gz`), gzipSync(JSON.stringify({ Records: recs })));
      }
    }
    const engine = new DuckQueryEngine({ threads: 1 });
    try {
      const r = await engine.query({ paths: [year], sql: `SELECT "$path", eventid FROM cloudtrail WHERE eventtime >= '2023-06-15T00:00:00Z' AND eventtime < '2023-06-16T00:00:00Z'` });
      // That day's 2 files, plus 2023-06-16's 00:10 delivery (it can hold events from just before midnight).
      assert.equal(r.filesRead, 3);
      assert.equal(r.filesSkipped, 365 * 2 - 3);
      assert.equal(r.rows.length, sample.length * 2);
      for (const [p] of r.rows as string[][]) assert.ok(p.includes('/2023/06/15/'), p);
    } finally {
      engine.close();
    }
  } finally {
    fs.rmSync(year, { recursive: true, force: true });
  }
});

test('running out of memory names the memory-limit and temporary-folder settings', async () => {
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-oom-'));
  const engine = new DuckQueryEngine({ threads: 1, memoryLimit: '20MB', tempDirectory: temp });
  try {
    // A single list aggregate cannot spill to disk, so a small limit makes DuckDB fail with "Out of Memory Error".
    await assert.rejects(engine.query({ paths: [dir], sql: `SELECT length(list(repeat(eventname, 100))::VARCHAR) FROM cloudtrail, range(20000)` }), (e: QueryError) => {
      assert.equal(e.code, 'engine');
      assert.match(e.message, /20MB/);
      assert.match(e.message, /cloudtrailLens\.query\.memoryLimit/);
      assert.match(e.message, /cloudtrailLens\.query\.tempDirectory/);
      assert.ok(e.message.includes(path.join(temp, 'duckdb-spill')), e.message);
      return true;
    });
  } finally {
    engine.close();
    fs.rmSync(temp, { recursive: true, force: true });
  }
});

test('threads default to the cores this process may use', () => {
  assert.equal(threadsFor(3), 3);
  assert.equal(threadsFor(0), os.availableParallelism());
  assert.equal(threadsFor(undefined), os.availableParallelism());
});

test('errorPosition reads DuckDB\'s LINE/caret block', () => {
  const msg = 'Parser Error: syntax error at or near "FORM"\n\nLINE 2: FORM cloudtrail\n        ^';
  assert.deepEqual(errorPosition(msg, 'SELECT 1\nFORM cloudtrail'), { line: 2, column: 1 });
});

test('CLI: query --format csv/json/table, usage errors and SQL errors', async () => {
  const csv = await cli([dir, '--sql', 'SELECT eventsource, count(*) AS n FROM cloudtrail GROUP BY 1 ORDER BY 1', '--format', 'csv']);
  assert.equal(csv.code, 0, csv.err);
  const lines = csv.out.trim().split('\r\n');
  assert.equal(lines[0], 'eventsource,n');
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.eventSource, (counts.get(r.eventSource) ?? 0) + 1);
  assert.deepEqual(lines.slice(1), [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k},${n}`));
  const json = await cli([dir, '--query', 'access-key-activity', '--format', 'json']);
  assert.equal(json.code, 0, json.err);
  const objs = json.out.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(objs.length, records.filter((r) => r.userIdentity.accessKeyId === 'AKIAIOSFODNN7EXAMPLE').length);
  const table = await cli([dir, '--sql', 'SELECT 1 AS one']);
  assert.equal(table.code, 0);
  assert.match(table.out, /^one\n---\n1\n$/);
  assert.match(table.err, /1 row/);
  assert.equal((await cli([dir])).code, 2);
  assert.equal((await cli(['--sql', 'select 1'])).code, 2);
  const bad = await cli([dir, '--sql', 'SELECT nope FROM cloudtrail']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /line 1, column 8/);
  const lib = await cli(['--library']);
  assert.ok(lib.out.split('\n').filter(Boolean).length >= 20);
});

test('queries started together on one engine each see their own files (the JSON Lines export is normalised per query)', async () => {
  const engine = new DuckQueryEngine({ threads: 1 });
  try {
    const sqls = ["SELECT count(*) FROM cloudtrail", "SELECT count(*) FROM cloudtrail WHERE eventname = 'ConsoleLogin'", "SELECT count(DISTINCT eventid) FROM cloudtrail"];
    const expected = [records.length, records.filter((r) => r.eventName === 'ConsoleLogin').length, new Set(records.map((r) => r.eventID)).size];
    // Twelve at once: before queries were serialised, one query's clean-up removed the normalised copy another read.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => engine.query({ paths: [dir], sql: sqls[i % 3], maxRows: 10 })));
    results.forEach((r, i) => assert.equal(Number(r.rows[0][0]), expected[i % 3], sqls[i % 3]));
  } finally {
    engine.close();
  }
});
