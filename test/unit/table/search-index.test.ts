/**
 * The quick filter with the search index (character-pair signatures, src/core/table/pairs.ts) must find exactly
 * what it finds without one: the index may only skip rows that cannot match, and answers one- and two-character
 * needles from the signatures alone. Checked on the whole corpus, hostile records and text whose lower case is
 * unusual, for single characters, every pair of a set of characters, random substrings of the records (in mixed
 * case) and for typing them one character at a time (which narrows from the previous result).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RecordTable } from '../../../src/core/table';
import { parseText } from '../../../src/core/records';
import type { CloudTrailRecord } from '../../../src/core/records/types';
import { corpusRecords, oddCaseEvents } from './corpus';
import { hostileEvents } from '../../support/hostile';
import { prng } from '../../support/prng';

function records(): CloudTrailRecord[] {
  const odd = oddCaseEvents();
  const extra = parseText(JSON.stringify({ Records: [...hostileEvents(), ...odd] })).records;
  return [...corpusRecords(), ...extra];
}

const all = records();

function table(indexed: boolean | number): RecordTable {
  const t = new RecordTable();
  t.add(all);
  if (indexed === true) assert.ok(t.buildSearchIndex());
  else if (typeof indexed === 'number') t.buildSearchIndex(Infinity, indexed);
  return t;
}

function found(t: RecordTable, text: string): number[] {
  t.setView({ text, chips: [] }, { column: 'time', descending: false });
  return t.indexes(0, 1e7);
}

describe('search index', () => {
  const plain = table(false);
  const indexed = table(true);
  const half = table(Math.floor(all.length / 2));

  test('it covers every row, and only the rows asked for', () => {
    assert.ok(all.length > 900);
    assert.ok(indexed.searchIndexed);
    assert.ok(!half.searchIndexed);
    assert.ok(!plain.searchIndexed);
  });

  const check = (needle: string) => {
    const want = found(plain, needle);
    assert.deepEqual(found(indexed, needle), want, JSON.stringify(needle));
    assert.deepEqual(found(half, needle), want, JSON.stringify(needle));
  };

  test('every printable ASCII character, and non-ASCII ones', () => {
    for (let c = 32; c < 127; c++) check(String.fromCharCode(c));
    for (const s of ['é', 'ı', 'i̇', 'ß', '😀', '\u212a', 'k', '\u202e', '⟪']) check(s);
  });

  test('every pair of a set of characters', () => {
    const chars = 'as"1:-/ ze.0_Aé{';
    for (const a of chars) for (const b of chars) check(a + b);
  });

  test('random substrings of the records, in mixed case, and typed one character at a time', () => {
    const rnd = prng(7);
    for (let k = 0; k < 250; k++) {
      const text = plain.recordText(Math.floor(rnd() * plain.size));
      const len = 1 + Math.floor(rnd() * 12);
      const at = Math.floor(rnd() * Math.max(1, text.length - len));
      let needle = text.slice(at, at + len);
      if (rnd() < 0.5) needle = needle.toUpperCase();
      if (k % 5 === 0) {
        // Typing: each prefix narrows from the one before.
        for (let i = 1; i <= needle.length; i++) check(needle.slice(0, i));
      } else check(needle);
    }
  });

  test('typing across needles the token index answers and needles it does not', () => {
    // The filter narrows from earlier needles whichever way each was answered (tokens.ts answers a needle without
    // `"`, brackets, commas or control characters; the others are searched in the full text).
    const typed = ['"errorCode":"AccessDenied"', '"errorCode": "AccessDenied"', 'errorCode": "AccessDenied', 'arn:aws:iam::', 'eventName":"Get', ':true,', 'aws-cli/1', 'sts.amazonaws.com","eventName', '":"'];
    for (const word of typed) {
      for (let i = 1; i <= word.length; i++) check(word.slice(0, i));
      for (let i = word.length - 1; i > 0; i--) check(word.slice(0, i));
    }
    assert.ok(found(indexed, '"errorCode": "AccessDenied"').length > 0);
    assert.ok(found(indexed, 'arn:aws:iam::').length > 0);
  });

  test('the index answers what it answers from its tokens: field names, values, numbers and literals', () => {
    const stats = indexed.searchIndexStats();
    assert.ok(stats.tokenRows === indexed.size && !stats.closed && stats.signed === indexed.size);
    assert.ok(stats.fieldNames > 50 && stats.tokens > 1000 && stats.shapes > 10, JSON.stringify(stats));
    for (const s of ['eventName', 'userIdentity', 'AccessDenied', 'readOnly', 'true', 'false', 'null', ':1', '2019-', 'iam.amazonaws.com']) {
      assert.ok(found(indexed, s).length > 0, s);
      check(s);
    }
  });

  test('needles found nowhere, and one row only', () => {
    for (const s of ['zqzqzq', '\u0000', 'no such text anywhere']) assert.deepEqual(found(indexed, s), []);
    assert.deepEqual(found(indexed, 'KELVIN \u212a'), found(plain, 'KELVIN \u212a'));
    assert.equal(found(indexed, 'İstanbul ıi').length, 1);
  });
});

describe('search index on pretty-printed records and on a file of one-off values', () => {
  // Pretty-printed: whitespace between the tokens of every record, so needles with spaces are searched in full.
  const events = all.slice(0, 300).map((r) => r.event);
  const pretty = () => parseText(JSON.stringify({ Records: events }, null, 2)).records;
  const plain = new RecordTable();
  plain.add(pretty());
  const indexed = new RecordTable();
  indexed.add(pretty());
  assert.ok(indexed.buildSearchIndex());

  test('needles with and without spaces, typed one character at a time', () => {
    assert.match(indexed.recordText(0), /\n\s+"/);
    const rnd = prng(13);
    const needles = ['"eventName": "', 'eventname": "get', 'aws-cli/1', ': true', 'ACCESS DENIED', 'user agent'];
    for (let k = 0; k < 60; k++) {
      const text = plain.recordText(Math.floor(rnd() * plain.size));
      const at = Math.floor(rnd() * Math.max(1, text.length - 12));
      needles.push(text.slice(at, at + 2 + Math.floor(rnd() * 10)));
    }
    for (const n of needles) {
      for (let i = 1; i <= n.length; i++) {
        const want = found(plain, n.slice(0, i));
        assert.deepEqual(found(indexed, n.slice(0, i)), want, JSON.stringify(n.slice(0, i)));
      }
    }
  });

  test('a file of one-off values closes the token index; what it did not take is searched in full', () => {
    const rnd = prng(17);
    const word = () => Array.from({ length: 40 }, () => String.fromCharCode(97 + Math.floor(rnd() * 26))).join('');
    const records = Array.from({ length: 6000 }, (_, k) => ({ eventTime: '2024-01-01T00:00:00Z', eventName: 'Get' + k, requestID: word(), eventID: word(), userAgent: word() }));
    const text = JSON.stringify({ Records: records });
    const a = new RecordTable();
    a.add(parseText(text).records);
    const b = new RecordTable();
    b.add(parseText(text).records);
    assert.ok(b.buildSearchIndex() && b.searchIndexed);
    const stats = b.searchIndexStats();
    assert.ok(stats.closed && stats.tokenRows < 6000 && stats.tokenRows >= 4096, JSON.stringify(stats));
    for (const k of [0, 100, 4500, 5999]) {
      const r = records[k];
      for (const n of [r.requestID.slice(3, 12), r.userAgent, 'get' + k, r.eventID.slice(0, 3)]) {
        const want = found(a, n);
        assert.ok(want.includes(k), n);
        assert.deepEqual(found(b, n), want, n);
      }
    }
  });
});
