// Issue 14, D2 / D7 / D8: values over the size cap, numbering and linear handling of unclosed records, and
// resynchronising a one-line `{"Records":[…]}` log after a local damage. Every input is built here.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_VALUE, parseText, StreamingParser, type ParseResult } from '../../../src/core/records';
import { runGuarded, type CliIo } from '../../../src/cli/io';

const enc = new TextEncoder();
const rec = (i: number, extra = '') =>
  `{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"Op${i}","eventSource":"s3.amazonaws.com","eventID":"id-${i}","x":"${extra}"}`;

/** Streams `text` through a StreamingParser in `chunk`-byte pieces, like the CLI reads a file. */
function stream(text: string, opts: { maxValueSize?: number } = {}, chunk = 1 << 20): ParseResult {
  const p = new StreamingParser(opts);
  const bytes = enc.encode(text);
  const records = [];
  for (let i = 0; i < bytes.length; i += chunk) records.push(...p.push(bytes.subarray(i, i + chunk)));
  const end = p.end();
  return { ...end, records: records.concat(end.records) };
}

describe('D2: one value larger than the cap', () => {
  test('the default cap is 64 MB; a 70 MB string is skipped with a problem, the records around it are read', () => {
    assert.equal(DEFAULT_MAX_VALUE, 64 * 1024 * 1024);
    const text = '{"Records":[' + rec(0) + ',\n' + rec(1, 'a'.repeat(70 * 1024 * 1024)) + ',\n' + rec(2) + ']}';
    const r = stream(text);
    assert.deepEqual(r.records.map((x) => x.event.eventName), ['Op0', 'Op2']);
    const p = r.problems.filter((x) => x.code === 'too-large');
    assert.equal(p.length, 1, JSON.stringify(r.problems));
    assert.equal(p[0].severity, 'error');
    assert.equal(p[0].line, 2);
    assert.match(p[0].message, /^Record 2 .*larger than 64 MB.*--max-value-mb/);
  });

  test('a configured cap applies to records, JSON Lines lines and single events, in pieces or whole', () => {
    const big = rec(1, 'b'.repeat(200_000));
    const cap = { maxValueSize: 100_000 };
    for (const chunk of [4096, 1 << 20]) {
      const log = stream('{"Records":[' + rec(0) + ',' + big + ',' + rec(2) + ']}', cap, chunk);
      assert.deepEqual(log.records.map((x) => x.event.eventName), ['Op0', 'Op2'], `log, chunk ${chunk}`);
      assert.equal(log.problems.filter((x) => x.code === 'too-large').length, 1);
      const lines = stream(rec(0) + '\n' + big + '\n' + rec(2) + '\n', cap, chunk);
      assert.deepEqual(lines.records.map((x) => x.event.eventName), ['Op0', 'Op2'], `jsonl, chunk ${chunk}`);
      assert.equal(lines.problems.filter((x) => x.code === 'too-large' && x.line === 2).length, 1);
      const single = stream(big, cap, chunk);
      assert.equal(single.records.length, 0);
      assert.equal(single.problems.filter((x) => x.code === 'too-large').length, 1);
    }
    const whole = parseText('{"Records":[' + rec(0) + ',' + big + ',' + rec(2) + ']}', undefined, cap);
    assert.deepEqual(whole.records.map((x) => x.event.eventName), ['Op0', 'Op2']);
    assert.equal(whole.problems.filter((x) => x.code === 'too-large').length, 1);
  });

  test('a property name of hundreds of MB ends the read with a problem instead of growing without bound', () => {
    const p = new StreamingParser({ maxValueSize: 64 * 1024 });
    p.push(enc.encode('{"'));
    const piece = enc.encode('k'.repeat(64 * 1024));
    for (let i = 0; i < 400 && !p.finished; i++) p.push(piece);
    assert.ok(p.finished, 'the parser gave up on the endless name');
    const r = p.end();
    assert.ok(r.problems.some((x) => x.code === 'too-large'), JSON.stringify(r.problems));
  });

  test('an exception inside a command becomes exit code 1 with a message, never another code', async () => {
    let err = '';
    const io: CliIo = { stdout: () => {}, stderr: (t) => (err += t), cwd: process.cwd() };
    assert.equal(await runGuarded(async () => { throw new RangeError('Invalid string length'); }, io), 1);
    assert.match(err, /internal error: RangeError: Invalid string length/);
    assert.equal(await runGuarded(async () => 70, io), 1);
    for (const code of [0, 1, 2]) assert.equal(await runGuarded(async () => code, io), code);
  });
});

describe('D7: records that do not close', () => {
  test('every unclosed record is reported with its own number, and the intact ones after them are read', () => {
    const n = 2000;
    const body = Array.from({ length: n }, (_, i) => (i % 500 === 499 ? rec(i) : rec(i).slice(0, -1))).join(',\n');
    const r = parseText('{"Records":[' + body + ']}');
    const damaged = r.problems.filter((p) => /^Record \d+ is damaged/.test(p.message));
    // The first 200 problems are listed; the numbers are the records' positions, not always "Record 1".
    assert.deepEqual(damaged.slice(0, 5).map((p) => p.message.match(/^Record (\d+)/)![1]), ['1', '2', '3', '4', '5']);
    assert.deepEqual(damaged.slice(0, 5).map((p) => p.line), [1, 2, 3, 4, 5]);
    assert.ok(r.problems.some((p) => p.code === 'more-problems'));
  });

  test('one record missing its brace in the middle: numbered right, the rest read', () => {
    const recs = Array.from({ length: 10 }, (_, i) => (i === 3 ? rec(i).slice(0, -1) : rec(i)));
    const r = parseText('{"Records":[\n' + recs.join(',\n') + '\n]}');
    assert.deepEqual(r.records.map((x) => x.event.eventName), ['Op0', 'Op1', 'Op2', 'Op4', 'Op5', 'Op6', 'Op7', 'Op8', 'Op9']);
    const p = r.problems.filter((x) => x.severity === 'error');
    assert.equal(p.length, 1);
    assert.match(p[0].message, /^Record 4 /);
    assert.equal(p[0].line, 5);
  });
});

describe('D8: a one-line log with a span copied twice', () => {
  const ev = (i: number) => ({
    eventVersion: '1.08',
    eventTime: '2024-01-01T00:00:00Z',
    eventName: `Op${i}`,
    eventSource: 'ec2.amazonaws.com',
    requestParameters: { instancesSet: { items: [{ instanceId: `i-${i}`, tags: [{ key: 'k', value: 'v\\"q' }] }] } },
    resources: [{ ARN: `arn:aws:ec2:us-east-1:123456789012:instance/i-${i}` }],
    eventID: `id-${i}`,
  });
  const N = 300;
  const events = Array.from({ length: N }, (_, i) => ev(i));
  const good = JSON.stringify({ Records: events });
  // Where each record's text lies in `good`, computed from the events, not the core.
  const spans: [number, number][] = [];
  let at = '{"Records":['.length;
  for (const e of events) {
    const len = JSON.stringify(e).length;
    spans.push([at, at + len]);
    at += len + 1;
  }

  test('every record outside the damaged span comes back, with an error problem, for 876-byte copies everywhere', () => {
    const L = 876;
    let cases = 0;
    let flagged = 0;
    for (let s = 12; s < good.length - L; s += 53) {
      cases++;
      const bad = good.slice(0, s + L) + good.slice(s, s + L) + good.slice(s + L);
      const r = parseText(bad);
      const got = new Set(r.records.map((x) => x.event.eventID));
      const lost = events.filter((e, i) => !got.has(e.eventID) && (spans[i][1] <= s || spans[i][0] >= s + L)).map((e) => e.eventID);
      assert.deepEqual(lost, [], `copy of [${s}, ${s + L}): intact records lost`);
      const err = r.problems.find((p) => p.severity === 'error');
      if (err) {
        flagged++;
        // The problem sits at the damage: not before the copied span starts.
        assert.ok(err.column >= s - 400, `copy at ${s}: problem at column ${err.column}`);
      }
    }
    assert.ok(cases > 1000);
    // A copy whose two ends fall at the same place of two records is valid JSON (records repeated or spliced):
    // no syntax check can see it. Most copies are seen.
    assert.ok(flagged > cases * 0.8, `${flagged} of ${cases} flagged`);
  });

  test('the case of the issue: the Records array closed early by the copy, records after it resumed', () => {
    // A copy that ends inside one record's nested arrays and starts inside another's makes `]}` close the log.
    const L = 876;
    let resumed = 0;
    for (let s = 12; s < good.length - L && resumed === 0; s += 1) {
      const bad = good.slice(0, s + L) + good.slice(s, s + L) + good.slice(s + L);
      const r = parseText(bad);
      const p = r.problems.find((x) => x.message.includes('"Records" array ends early'));
      if (!p) continue;
      resumed++;
      assert.equal(r.kind, 'log');
      assert.ok(!r.problems.some((x) => /JSON Lines/.test(x.message)), 'not mistaken for JSON Lines');
      const last = r.records[r.records.length - 1];
      assert.equal(last.event.eventID, `id-${N - 1}`);
    }
    assert.equal(resumed, 1);
  });
});
