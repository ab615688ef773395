/**
 * The token index (src/core/table/tokens.ts) must answer a plain needle exactly as a substring search of the
 * row's text does. Checked against `text.includes(needle)` on every corpus, hostile and odd-case record, their
 * pretty-printed forms, and texts made to break a tokenizer (escapes, unterminated strings, text that is not
 * JSON, non-ASCII), for random substrings of the texts and for needles built from the characters that sit at
 * token edges.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { RecordTable } from '../../../src/core/table';
import { NOT_PLAIN, PLAIN, PLAIN_SPACED, TokenIndex, needleKind, type TokenMatch } from '../../../src/core/table/tokens';
import { parseText } from '../../../src/core/records';
import { corpusRecords, oddCaseEvents } from './corpus';
import { hostileEvents } from '../../support/hostile';
import { prng } from '../../support/prng';

/** Texts that are hard on a tokenizer; none has to be valid JSON. */
const EDGE_TEXTS = [
  '{"a":"b\\"c","d\\\\":"e\\\\","f":"\\\\\\"g"}',
  '{"key" : "value with spaces" , "n" :  -12.5e+3 , "t":true,"z":null}',
  '{"empty":"","":"no name","arr":[1,2,[3,"x y"],{"in":"ner"}]}',
  '{"unterminated":"runs to the end',
  '{"trailing backslash":"x\\',
  'ab:cd ef::gh {x:y} "q":r,s:t',
  '::: : "::" :a a: "k"::v',
  '{"naïve":"çafé ıi i̇ ß \u212a","emoji":"😀 ⟪x⟫","mixed":"ascii then ü"}',
  '{"long":"' + 'abc'.repeat(3000) + 'xyz","after":"tail"}',
  '{"tab\\tkey":"line\\nbreak","raw\tcontrol":"a\u0001b"}',
  '{"a":"x"}{"a":"x"}   {"b" :"x"}',
  '',
  '"',
  '{"only":"key"}',
];

function recordTexts(): string[] {
  const odd = oddCaseEvents();
  const extra = parseText(JSON.stringify({ Records: [...hostileEvents(), ...odd] })).records;
  const t = new RecordTable();
  t.add([...corpusRecords(), ...extra]);
  const texts: string[] = [];
  for (let i = 0; i < t.size; i++) texts.push(t.recordText(i));
  return texts;
}

const originals = recordTexts();
// The table searches lower-cased texts; pretty-printed copies have whitespace between their tokens.
const TEXTS = [...originals, ...originals.slice(0, 150).map((x) => JSON.stringify(JSON.parse(x), null, 2)), ...EDGE_TEXTS].map((x) => x.toLowerCase());

function build(texts: readonly string[]): TokenIndex {
  const ix = new TokenIndex();
  for (const t of texts) assert.ok(ix.add(t));
  return ix;
}

/** Checks every row's answer for `needle` against includes(); returns how many rows it answered "yes". */
function check(ix: TokenIndex, texts: readonly string[], needle: string, m: TokenMatch = ix.match(needle)): number {
  const kind = needleKind(needle);
  assert.notEqual(kind, NOT_PLAIN, JSON.stringify(needle));
  let yes = 0;
  for (let r = 0; r < texts.length; r++) {
    const got = ix.test(r, m);
    const want = texts[r].includes(needle);
    if (got === -1) {
      // Only a needle with spaces may go unanswered, and only in a row with whitespace between its tokens.
      assert.equal(kind, PLAIN_SPACED, `row ${r} unanswered for ${JSON.stringify(needle)}`);
      assert.match(texts[r], /[\x00-\x20](?=(?:[^"\\]|\\.)*(?:"(?:[^"\\]|\\.)*"(?:[^"\\]|\\.)*)*$)/, `row ${r} has no whitespace outside its strings`);
      continue;
    }
    assert.equal(got === 1, want, `row ${r}, needle ${JSON.stringify(needle)}: ${JSON.stringify(texts[r].slice(0, 200))}`);
    if (got === 1) yes++;
  }
  return yes;
}

describe('token index', () => {
  const ix = build(TEXTS);

  test('which needles it answers', () => {
    for (const s of ['a', 'accessdenied', 'arn:aws:iam::123', ':1', 'a:', '192.168.0.1', 'é', '\\n', 'x\\', '😀']) assert.equal(needleKind(s), PLAIN, s);
    for (const s of ['aws-cli/1 python', ' ', 'a b']) assert.equal(needleKind(s), PLAIN_SPACED, s);
    for (const s of ['', '"', 'a"', '{', '}', '[', ']', ',', 'a,b', ':', '::', 'a\tb', 'a\nb', '\u0000']) assert.equal(needleKind(s), NOT_PLAIN, JSON.stringify(s));
  });

  test('repeated tokens are kept once; field names go to shapes', () => {
    const small = build(['{"a":"same","b":"same"}', '{"b":"same","a":"other"}', '{"a":"same"}']);
    const s = small.stats();
    assert.equal(s.values, 2);
    assert.equal(s.keys, 2);
    // {a,b} in either order is one shape; {a} another.
    assert.equal(s.shapes, 2);
  });

  test('two tokens with the same hash stay two tokens', () => {
    // "tok1pf8" and "tokirj6" have the same 32-bit FNV-1a hash, the one the dictionary files tokens under.
    const texts = ['{"a":"tok1pf8"}', '{"a":"tokirj6"}'];
    const pair = build(texts);
    assert.equal(pair.stats().values, 2);
    for (const s of ['tok1pf8', 'tokirj6', 'tok']) check(pair, texts, s);
  });

  test('random substrings of every text, and the needles around token edges', () => {
    const rnd = prng(11);
    let checked = 0;
    let found = 0;
    for (let k = 0; k < 1500; k++) {
      const text = TEXTS[Math.floor(rnd() * TEXTS.length)];
      if (text.length === 0) continue;
      const len = 1 + Math.floor(rnd() * 10);
      const at = Math.floor(rnd() * Math.max(1, text.length - len));
      const needle = text.slice(at, at + len);
      if (needleKind(needle) === NOT_PLAIN) continue;
      if (check(ix, TEXTS, needle) > 0) found++;
      checked++;
    }
    // Each needle is in the text it came from: nearly all of them must have been found by the index itself.
    assert.ok(checked > 700 && found > checked * 0.9, `${checked} checked, ${found} found by the index`);
    // Needles that exist only across a token edge, or next to one.
    for (const s of ['a:b', 'b:c', 'cd', 'ab:cd', 'f::', ':gh', ':t', ':-12', '-12.5e+3', 'true', 'e:tru', 'y:', 'x y', 'spaces  ', 'e with', 'b\\', 'x\\', '\\\\', 'kelvin', '\u212a', 'i̇', 'ü', 'xyz', 'abcabc', 'to the end', 'key', 'no name'])
      check(ix, TEXTS, s);
  });

  test('narrowing from a shorter needle gives the same answers', () => {
    const rnd = prng(5);
    for (let k = 0; k < 200; k++) {
      const text = TEXTS[Math.floor(rnd() * originals.length)];
      const at = Math.floor(rnd() * Math.max(1, text.length - 12));
      const long = text.slice(at, at + 3 + Math.floor(rnd() * 9));
      if (needleKind(long) === NOT_PLAIN) continue;
      let prev: TokenMatch | undefined;
      for (let i = 1; i <= long.length; i++) {
        const needle = long.slice(0, i);
        if (needleKind(needle) === NOT_PLAIN) continue;
        const m = ix.match(needle, prev && TokenIndex.narrowing(prev));
        check(ix, TEXTS, needle, m);
        prev = m;
      }
    }
  });

  test('rows added after a match are not answered by it; a new match covers them', () => {
    const grown = build(TEXTS.slice(0, 10));
    const m = grown.match('eventname');
    grown.add('{"eventname":"x"}');
    assert.equal(grown.test(10, m), -1);
    assert.equal(grown.test(10, grown.match('eventname', TokenIndex.narrowing(m))), 1);
    assert.equal(grown.test(10, grown.match('x')), 1);
  });

  test('rows added after trim() (which drops the hash tables) are indexed the same', () => {
    const half = Math.floor(TEXTS.length / 2);
    const trimmed = build(TEXTS.slice(0, half));
    trimmed.trim();
    for (const t of TEXTS.slice(half)) assert.ok(trimmed.add(t));
    trimmed.trim();
    assert.deepEqual(trimmed.stats().values, ix.stats().values);
    assert.deepEqual(trimmed.stats().shapes, ix.stats().shapes);
    const rnd = prng(23);
    for (let k = 0; k < 100; k++) {
      const text = TEXTS[half + Math.floor(rnd() * (TEXTS.length - half))];
      const at = Math.floor(rnd() * Math.max(1, text.length - 8));
      const needle = text.slice(at, at + 1 + Math.floor(rnd() * 8));
      if (needleKind(needle) !== NOT_PLAIN) check(trimmed, TEXTS, needle);
    }
  });

  test('an export appended to another index answers as if its rows had been added there', () => {
    const third = Math.floor(TEXTS.length / 3);
    const joined = build(TEXTS.slice(0, third));
    for (const part of [TEXTS.slice(third, 2 * third), TEXTS.slice(2 * third)]) {
      const x = build(part).export()!;
      // What postMessage does to it (the buffers are transferred, the strings copied).
      assert.ok(joined.append(structuredClone(x, { transfer: TokenIndex.transferables(x) })));
    }
    assert.equal(joined.rows, TEXTS.length);
    assert.deepEqual(joined.stats().values, ix.stats().values);
    assert.deepEqual(joined.stats().shapes, ix.stats().shapes);
    const rnd = prng(29);
    for (let k = 0; k < 150; k++) {
      const text = TEXTS[Math.floor(rnd() * TEXTS.length)];
      const at = Math.floor(rnd() * Math.max(1, text.length - 8));
      const needle = text.slice(at, at + 1 + Math.floor(rnd() * 8));
      if (needleKind(needle) !== NOT_PLAIN) check(joined, TEXTS, needle);
    }
  });

  test('an inconsistent export is refused and changes nothing', () => {
    const base = build(TEXTS.slice(0, 5));
    const good = build(TEXTS.slice(5, 10)).export()!;
    const broken: ((x: NonNullable<ReturnType<TokenIndex['export']>>) => void)[] = [
      (x) => (x.ids[0] = x.valueLens.length),
      (x) => (x.rowShape[0] = x.shapeAt.length),
      (x) => (x.values = x.values.slice(1)),
      (x) => (x.rowAt[1] = x.ids.length + 1),
      (x) => (x.shapeKeys = x.shapeKeys.subarray(1)),
      (x) => (x.rows = x.rows + 1),
      (x) => (x.ids = Array.from(x.ids) as unknown as Uint32Array),
      (x) => delete (x as Partial<typeof x>).rowSpaced,
    ];
    for (const breakIt of broken) {
      const x = structuredClone(good);
      breakIt(x);
      assert.equal(base.append(x), false, breakIt.toString());
      assert.equal(base.rows, 5);
    }
    assert.ok(base.append(structuredClone(good)));
    assert.equal(base.rows, 10);
  });

  test('a file of one-off values closes the index instead of growing it past its budget', () => {
    const rnd = prng(3);
    const closing = new TokenIndex();
    let rows = 0;
    const texts: string[] = [];
    for (; rows < 20000; rows++) {
      let v = '';
      for (let j = 0; j < 60; j++) v += String.fromCharCode(97 + Math.floor(rnd() * 26));
      const text = `{"id":"${v}","other":"${v.slice(30)}${rows}"}`;
      if (!closing.add(text)) break;
      texts.push(text);
    }
    // It looks at its size every 256 rows from row 4096 on.
    assert.ok(closing.closed && rows >= 4096 && rows <= 4096 + 256, `closed after ${rows} rows`);
    assert.equal(closing.rows, rows);
    // What it took, it still answers; it exports nothing and appends nothing more.
    check(closing, texts, texts[7].slice(10, 20));
    assert.equal(closing.export(), undefined);
    assert.equal(closing.append(build(TEXTS.slice(0, 3)).export()!), false);
  });
});
