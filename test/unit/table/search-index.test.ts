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

  test('needles found nowhere, and one row only', () => {
    for (const s of ['zqzqzq', '\u0000', 'no such text anywhere']) assert.deepEqual(found(indexed, s), []);
    assert.deepEqual(found(indexed, 'KELVIN \u212a'), found(plain, 'KELVIN \u212a'));
    assert.equal(found(indexed, 'İstanbul ıi').length, 1);
  });
});
