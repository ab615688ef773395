import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bidiToken, countText, hasBidi, markBidi, singleLine, tokenizeJson, truncate, visibleText } from '../../../media/viewer/text';

describe('viewer text: bidi marking', () => {
  it('replaces every bidi control with a visible token and keeps the rest', () => {
    const s = 'invoice\u202Etxt.exe';
    const pieces = markBidi(s);
    assert.deepEqual(pieces, [{ text: 'invoice' }, { text: '⟪U+202E⟫', marker: true }, { text: 'txt.exe' }]);
    assert.equal(visibleText(s), 'invoice⟪U+202E⟫txt.exe');
  });
  it('covers embeddings, isolates, marks and the Arabic letter mark', () => {
    for (const cp of [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]) {
      const ch = String.fromCodePoint(cp);
      assert.ok(hasBidi(`x${ch}y`), cp.toString(16));
      const out = visibleText(`x${ch}y`);
      assert.ok(!out.includes(ch));
      assert.equal(out, `x${bidiToken(ch)}y`);
    }
  });
  it('leaves ordinary text (including RTL letters) alone', () => {
    assert.deepEqual(markBidi('שלום abc'), [{ text: 'שלום abc' }]);
    assert.deepEqual(markBidi(''), [{ text: '' }]);
    assert.equal(hasBidi('plain'), false);
  });
  it('is stable across repeated calls (global regex state)', () => {
    for (let i = 0; i < 3; i++) assert.equal(markBidi('a\u202Eb').length, 3);
  });
});

describe('viewer text: truncation', () => {
  it('keeps short strings', () => assert.deepEqual(truncate('abc', 3), { text: 'abc', cut: false }));
  it('cuts long strings with an ellipsis within the limit', () => {
    const r = truncate('x'.repeat(1000), 10);
    assert.equal(r.cut, true);
    assert.equal(r.text.length, 10);
    assert.ok(r.text.endsWith('…'));
  });
  it('never splits a surrogate pair', () => {
    const s = 'ab' + '😀'.repeat(10);
    for (let max = 3; max < 12; max++) {
      const { text } = truncate(s, max);
      const body = text.slice(0, -1);
      const last = body.charCodeAt(body.length - 1);
      assert.ok(!(last >= 0xd800 && last <= 0xdbff), `max ${max} left a lone high surrogate`);
    }
  });
  it('shows line breaks and tabs as escapes in one-line cells', () => {
    assert.equal(singleLine('a\nb\r\nc\td'), 'a\\nb\\nc\\td');
  });
});

describe('viewer text: JSON tokenizer', () => {
  it('classifies keys, strings, ARNs, numbers and literals and loses no character', () => {
    const text = '{\n  "arn": "arn:aws:iam::1:user/x",\n  "n": -1.5e3,\n  "b": true,\n  "z": null,\n  "s": "a\\"b"\n}';
    const toks = tokenizeJson(text);
    assert.equal(toks.map((t) => t.text).join(''), text);
    const kinds = toks.filter((t) => t.kind !== 'space' && t.kind !== 'punct').map((t) => `${t.kind}:${t.text}`);
    assert.deepEqual(kinds, [
      'key:"arn"',
      'arn:"arn:aws:iam::1:user/x"',
      'key:"n"',
      'number:-1.5e3',
      'key:"b"',
      'literal:true',
      'key:"z"',
      'literal:null',
      'key:"s"',
      'string:"a\\"b"',
    ]);
  });
  it('never throws on broken or hostile text and keeps it all', () => {
    for (const t of ['{"a": "unterminated', '<script>alert(1)</script>', '"\\', '{{{{', '']) {
      assert.equal(tokenizeJson(t).map((x) => x.text).join(''), t);
    }
  });
});

describe('viewer text: counts', () => {
  it('shows "N of M" when filtered and the total otherwise', () => {
    assert.equal(countText(3, 1234, false), '3 of 1,234');
    assert.equal(countText(1234567, 1234567, false), '1,234,567 records');
    assert.match(countText(5, 5, true), /indexing/);
  });
});
