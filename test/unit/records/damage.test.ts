import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, gunzipSync, constants } from 'node:zlib';
import { parseBytes, parseText } from '../../../src/core/records';
import { errors, lineOf } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const ev = (i: number) => ({
  eventVersion: '1.08',
  eventTime: '2024-01-01T00:00:00Z',
  eventName: `Op${i}`,
  eventSource: 'ec2.amazonaws.com',
  requestParameters: { instancesSet: { items: [{ instanceId: `i-${i}`, tags: [{ key: 'k', value: 'v\\"q' }] }] } },
  eventID: `id-${i}`,
});
const N = 400;
const events = Array.from({ length: N }, (_, i) => ev(i));
const logText = JSON.stringify({ Records: events });

/** Number of records whose full text lies inside `prefix` — computed from the source events, not the core. */
function completeRecordsIn(prefix: string): number {
  let pos = '{"Records":['.length;
  let n = 0;
  for (const e of events) {
    pos += JSON.stringify(e).length;
    if (pos > prefix.length) break;
    n++;
    pos += 1; // comma
  }
  return n;
}

describe('truncated gzip', () => {
  const gz = gzipSync(enc(logText), { level: 6 });
  test(`cut at many points (${gz.length} compressed bytes)`, () => {
    let checked = 0;
    for (let cut = 20; cut < gz.length; cut += Math.max(1, Math.floor(gz.length / 97))) {
      const part = gz.subarray(0, cut);
      // What zlib itself can decode from the prefix (flushing instead of failing at the end).
      const decodable = gunzipSync(part, { finishFlush: constants.Z_SYNC_FLUSH }).toString('utf8');
      const r = parseBytes(part);
      const want = completeRecordsIn(decodable);
      assert.equal(r.records.length, want, `cut ${cut}`);
      r.records.forEach((rec, i) => assert.equal(rec.event.eventName, `Op${i}`));
      const gzErr = r.problems.find((p) => p.code === 'truncated-gzip');
      assert.ok(gzErr, `cut ${cut}: a truncated-gzip problem`);
      assert.equal(gzErr.severity, 'error');
      assert.match(gzErr.message, new RegExp(`Showing the ${want} records? read before the damage; download the file again`));
      checked++;
    }
    assert.ok(checked > 50);
  });
  test('damaged gzip bytes: error, never a throw, records before the damage kept', () => {
    const bad = Buffer.from(gz);
    bad[Math.floor(bad.length * 0.8)] ^= 0xff;
    const r = parseBytes(bad);
    assert.ok(errors(r).length >= 1);
    assert.ok(r.records.length >= 1);
    assert.equal(r.records[0].event.eventName, 'Op0');
  });
});

describe('truncated JSON', () => {
  test('a cut {"Records": [...] keeps the complete records before the cut', () => {
    for (const frac of [0.1, 0.33, 0.5, 0.77, 0.99]) {
      const cut = logText.slice(0, Math.floor(logText.length * frac));
      const r = parseText(cut);
      assert.equal(r.kind, 'log');
      assert.equal(r.records.length, completeRecordsIn(cut));
      const e = errors(r);
      assert.equal(e.length, 1, JSON.stringify(r.problems));
      assert.equal(e[0].code, 'truncated-json');
      assert.match(e[0].message, /truncated/);
    }
  });
  test('cut right after a record and its comma', () => {
    const text = JSON.stringify({ Records: events.slice(0, 3) }, null, 2);
    const cut = text.slice(0, text.lastIndexOf('}', text.length - 6) + 2);
    const r = parseText(cut);
    assert.equal(r.records.length, 3);
    assert.equal(errors(r).length, 1);
  });
  test('a truncated single event reports where the file ends', () => {
    const text = JSON.stringify(ev(1), null, 2);
    const r = parseText(text.slice(0, text.length - 10));
    assert.equal(r.records.length, 0);
    const e = errors(r);
    assert.equal(e.length, 1);
    assert.equal(e[0].code, 'truncated-json');
  });
});

describe('JSON Lines with a broken line', () => {
  const lines = events.slice(0, 50).map((e) => JSON.stringify(e));
  // The last flag: whether the damaged line's event itself is still readable (trailing junk after a whole event).
  for (const [name, broken, kept] of [
    ['cut short', lines[20].slice(0, 40), false],
    ['garbage', 'this is not json', false],
    ['extra closing brace', lines[20] + '}', true],
    ['missing comma', lines[20].replace('","', '" "'), false],
    ['open string', lines[20].replace('"Op20"', '"Op20'), false],
  ] as const) {
    test(`${name}: every other line is read, error at that exact line`, () => {
      const copy = lines.slice();
      copy[20] = broken;
      const text = copy.join('\n') + '\n';
      const r = parseText(text);
      assert.equal(r.kind, 'jsonl');
      const got = r.records.map((x) => x.event.eventName);
      assert.deepEqual(got, events.slice(0, 50).map((e) => e.eventName).filter((n) => kept || n !== 'Op20'));
      const e = errors(r);
      assert.equal(e.length, 1, JSON.stringify(r.problems));
      assert.equal(e[0].line, 21);
      for (const rec of r.records) assert.equal(rec.range.startLine, lineOf(text, rec.range.startOffset));
    });
  }
  test('broken first line', () => {
    const copy = lines.slice(0, 5);
    copy[0] = copy[0].slice(0, 30);
    const r = parseText(copy.join('\n'));
    assert.deepEqual(r.records.map((x) => x.event.eventName), ['Op1', 'Op2', 'Op3', 'Op4']);
    assert.equal(errors(r).length, 1);
    assert.equal(errors(r)[0].line, 1);
  });
});

describe('damaged records inside Records', () => {
  test('an invalid record is skipped with an error on its line; the others are kept', () => {
    const parts = events.slice(0, 10).map((e) => JSON.stringify(e, null, 2));
    parts[4] = parts[4].replace('"eventName": "Op4",', '"eventName": "Op4" oops,');
    const text = '{\n"Records": [\n' + parts.join(',\n') + '\n]\n}\n';
    const r = parseText(text);
    assert.deepEqual(r.records.map((x) => x.event.eventName), ['Op0', 'Op1', 'Op2', 'Op3', 'Op5', 'Op6', 'Op7', 'Op8', 'Op9']);
    const e = errors(r);
    assert.equal(e.length, 1);
    assert.equal(e[0].line, lineOf(text, text.indexOf('oops')));
  });
  test('a record whose braces do not close: the records after it are still found', () => {
    const parts = events.slice(0, 10).map((e) => JSON.stringify(e));
    parts[3] = parts[3].slice(0, -1); // drop the closing brace of record 3
    const r = parseText('{"Records":[' + parts.join(',') + ']}');
    const got = r.records.map((x) => x.event.eventName);
    assert.deepEqual(got.slice(0, 3), ['Op0', 'Op1', 'Op2']);
    assert.ok(got.includes('Op9'), `records after the damage are read: ${got}`);
    assert.ok(errors(r).length >= 1);
  });
});

describe('never hangs', () => {
  test('100k open brackets', () => {
    const r = parseText('['.repeat(100_000));
    assert.ok(errors(r).length >= 1);
    const r2 = parseText('{"Records":[' + '['.repeat(100_000) + ']'.repeat(100_000) + ']}');
    assert.equal(r2.records.length, 0);
    assert.ok(errors(r2).some((p) => p.code === 'too-deep' || p.code === 'not-an-object'));
    const r3 = parseText('{"a":' .repeat(50_000) + '1' + '}'.repeat(50_000));
    assert.ok(r3.problems.length >= 1);
  });
  test('a huge string', () => {
    const s = 'x'.repeat(20_000_000);
    const r = parseText(`{"Records":[{"eventName":"A","big":"${s}"},{"eventName":"B"}]}`);
    assert.equal(r.records.length, 2);
    const r2 = parseText(`{"Records":[{"eventName":"A","big":"${s}`);
    assert.equal(r2.records.length, 0);
    assert.equal(errors(r2).length, 1);
  });
  test('many tiny broken lines', () => {
    const text = '{\n'.repeat(50_000);
    const r = parseText(text);
    assert.ok(r.problems.length <= 201, 'problems are capped');
  });
});
