/**
 * Hostile and broken record input (issue 14, D1/D3/D10): forged lossless numbers, numbers a double would change,
 * over-deep records. Inputs are built here.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { parseLossless } from '../../../src/core/json';
import { parseText, stringifyJson, LosslessNumber, MAX_DEPTH, type JsonValue } from '../../../src/core/records';
import { corpusFiles } from '../../support/paths';
import { hostileLogText } from '../../support/hostile';

const FORGED_TEXT = '1},{"eventName":"ForgedByInjection","eventTime":"2024-01-01T00:00:00Z"';

/** A log whose records try to pass data off as a lossless number, in every place such an object can sit. */
function forgeryLog(): string {
  const forged = JSON.stringify({ isLosslessNumber: true, text: FORGED_TEXT });
  return (
    '{"Records":[' +
    `{"eventVersion":"1.08","eventName":"A","eventTime":"2024-01-01T00:00:00Z","requestParameters":${forged}},` +
    `{"isLosslessNumber":true,"text":"2","eventName":"B","eventTime":"2024-01-01T00:00:01Z"},` +
    `{"eventName":"C","eventTime":"2024-01-01T00:00:02Z","responseElements":{"list":[${forged},{"isLosslessNumber":true,"text":{"x":1}}]}}` +
    ']}'
  );
}

/** Numbers a double would change (or print differently), next to ordinary ones. */
const ODD_NUMBERS = ['1e400', '1.8e308', '-1e400', '-0', '-0.0', '1e-400', '-1e-400', '0.0', '1E400', '12345678901234567890', '0', '1.5', '-2', '1e21', '3.0e2'];

function oddNumbersLog(): string {
  const obj = ODD_NUMBERS.map((n, i) => `"n${i}":${n}`).join(',');
  return `{"Records":[{"eventName":"Odd","eventTime":"2024-01-01T00:00:00Z","requestParameters":{${obj},"arr":[${ODD_NUMBERS.join(',')}]}}]}`;
}

/** parse → write → parse must give the same value (compared through the lossless writer, then structurally). */
function assertRoundTrip(value: JsonValue, label: string) {
  const once = stringifyJson(value);
  const again = parseLossless(once);
  assert.equal(stringifyJson(again), once, `${label}: write(parse(write(v))) differs`);
  assert.deepEqual(normalise(again), normalise(value), `${label}: parse(write(v)) is not v`);
}

/** Structural view for deepEqual: lossless numbers become a tagged form data cannot produce (a Map). */
function normalise(v: unknown): unknown {
  if (LosslessNumber.is(v)) return new Map([['lossless', v.text]]);
  if (Array.isArray(v)) return v.map(normalise);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = Object.create(null);
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: normalise((v as Record<string, unknown>)[k]), enumerable: true });
    return out;
  }
  if (Object.is(v, -0)) return '-0 as a plain number';
  return v;
}

describe('D1: data cannot imitate a lossless number', () => {
  test('a forged {isLosslessNumber, text} object is written back as the object it is', () => {
    const r = parseText(forgeryLog());
    assert.equal(r.records.length, 3, JSON.stringify(r.problems));
    assert.deepEqual(r.records.map((x) => x.event.eventName), ['A', 'B', 'C']);
    for (const rec of r.records) {
      const out = stringifyJson(rec.event);
      assert.ok(!out.includes('ForgedByInjection"') || out.includes('\\"ForgedByInjection\\"'), 'forged text stays inside a string');
      assert.deepEqual(JSON.parse(out), JSON.parse(rec.text!), 'written event equals the record text');
      assertRoundTrip(rec.event, String(rec.event.eventName));
    }
    // Whole-file write (as `records --json` and export do) still holds exactly three records.
    const all = `[${r.records.map((x) => stringifyJson(x.event, 2)).join(',')}]`;
    assert.equal((JSON.parse(all) as unknown[]).length, 3);
  });

  test('only real instances are lossless numbers', () => {
    assert.equal(LosslessNumber.is({ isLosslessNumber: true, text: '1' }), false);
    assert.equal(LosslessNumber.is(Object.create(LosslessNumber.prototype)), false);
    assert.equal(LosslessNumber.is(new LosslessNumber('12345678901234567890')), true);
    assert.equal(stringifyJson({ a: new LosslessNumber('12345678901234567890') }), '{"a":12345678901234567890}');
  });

  test('property: parse → write → parse is the identity for every corpus record and every hostile record', () => {
    let checked = 0;
    const texts: [string, string][] = corpusFiles().map((f) => [f, fs.readFileSync(f, 'utf8')]);
    texts.push(['hostile', hostileLogText()], ['forgery', forgeryLog()], ['odd numbers', oddNumbersLog()]);
    for (const [name, text] of texts) {
      const r = parseText(text, name);
      for (const rec of r.records) {
        assertRoundTrip(rec.event, `${name} #${rec.index}`);
        if (rec.text !== undefined) assert.deepEqual(normalise(parseLossless(stringifyJson(rec.event))), normalise(parseLossless(rec.text)), `${name} #${rec.index}: differs from its text`);
        checked++;
      }
    }
    assert.ok(checked > 300, `only ${checked} records checked`);
  });
});

describe('D3: numbers keep their text', () => {
  test('overflow, underflow and -0 are written back exactly as read', () => {
    const r = parseText(oddNumbersLog());
    assert.equal(r.records.length, 1);
    const rp = r.records[0].event.requestParameters as Record<string, JsonValue>;
    const out = stringifyJson(rp);
    for (let i = 0; i < ODD_NUMBERS.length; i++) {
      const n = ODD_NUMBERS[i];
      const written = stringifyJson(rp[`n${i}`]);
      // Only numbers a double reproduces may be reprinted (1e21 → 1e+21, 3.0e2 → 300, 0.0 → 0 keep their value).
      if (['1e400', '1.8e308', '-1e400', '-0', '-0.0', '1e-400', '-1e-400', '1E400', '12345678901234567890'].includes(n)) assert.equal(written, n, `n${i}`);
      else assert.equal(Number(written), Number(n), `n${i}`);
    }
    assert.ok(!out.includes('null'), out);
    assert.equal(stringifyJson((rp.arr as JsonValue[])[0]), '1e400');
  });

  test('the lossless parser alone keeps them too', () => {
    for (const n of ['1e400', '1.8e308', '-0', '1e-400']) assert.equal(stringifyJson(parseLossless(`[${n}]`)), `[${n}]`);
  });

  test('a single event and JSON Lines keep them too', () => {
    const ev = '{"eventName":"X","eventTime":"2024-01-01T00:00:00Z","a":1e400,"b":-0,"c":1e-400}';
    for (const text of [ev, `${ev}\n${ev}\n`, `[${ev}]`]) {
      const r = parseText(text);
      assert.ok(r.records.length >= 1);
      for (const rec of r.records) assert.match(stringifyJson(rec.event), /"a":1e400,"b":-0,"c":1e-400/);
    }
  });
});

describe('D10: over-deep records', () => {
  const deepValue = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
  const deepEvent = (levels: number) => `{"eventVersion":"1.08","eventName":"Deep","eventTime":"2024-01-01T00:00:00Z","requestParameters":${deepValue(levels)}}`;

  test('the same rule at the top level, inside Records, in an array and in JSON Lines: skipped with a problem', () => {
    const ok = `{"eventName":"Fine","eventTime":"2024-01-01T00:00:00Z"}`;
    const shapes: [string, string][] = [
      ['event', deepEvent(5000)],
      ['log', `{"Records":[${deepEvent(5000)},${ok}]}`],
      ['array', `[${ok},${deepEvent(5000)}]`],
      ['jsonl', `${ok}\n${deepEvent(5000)}\n${ok}\n`],
    ];
    for (const [label, text] of shapes) {
      const r = parseText(text);
      const deep = r.problems.filter((p) => p.code === 'too-deep');
      assert.equal(deep.length, 1, `${label}: ${JSON.stringify(r.problems)}`);
      assert.equal(deep[0].severity, 'error');
      assert.ok(r.records.every((x) => x.event.eventName !== 'Deep'), `${label}: the deep record is not shown cut`);
      for (const rec of r.records) assert.ok(!stringifyJson(rec.event).includes('null'), label);
    }
  });

  test('just under the limit is read whole and written back whole', () => {
    const text = `{"Records":[${deepEvent(MAX_DEPTH - 3)}]}`;
    const r = parseText(text);
    assert.equal(r.records.length, 1, JSON.stringify(r.problems));
    assert.equal(stringifyJson(r.records[0].event), deepEvent(MAX_DEPTH - 3));
  });

  test('the writer never cuts silently: too deep a value throws instead of writing null', () => {
    let v: JsonValue = 1;
    for (let i = 0; i < 5000; i++) v = { a: v };
    assert.throws(() => stringifyJson(v), /too deep/i);
  });
});
