import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseBytes, StreamingParser, CloudTrailRecord, ParseResult } from '../../../src/core/records';
import { comparable, corpus, prng, rel } from './helpers';

function stream(bytes: Uint8Array, sizes: () => number): { records: CloudTrailRecord[]; end: ParseResult; firstAt: number } {
  const p = new StreamingParser({ fileName: 'x' });
  const records: CloudTrailRecord[] = [];
  let firstAt = -1;
  for (let i = 0; i < bytes.length; ) {
    const n = Math.max(1, sizes());
    const got = p.push(bytes.subarray(i, i + n));
    i += n;
    if (got.length && firstAt < 0) firstAt = i;
    records.push(...got);
  }
  const end = p.end();
  records.push(...end.records);
  return { records, end, firstAt };
}

function same(a: { records: CloudTrailRecord[]; end: ParseResult }, b: ParseResult, label: string) {
  assert.deepEqual(comparable(a.records), comparable(b.records), label);
  assert.equal(a.end.kind, b.kind, label);
  assert.deepEqual(a.end.problems, b.problems, label);
  assert.equal(a.end.textLength, b.textLength, label);
  assert.equal(a.end.gzipped, b.gzipped, label);
  assert.deepEqual(a.end.digest, b.digest, label);
}

describe('StreamingParser gives the same result as parseBytes', () => {
  const files = corpus();
  const rnd = prng(20240601);
  // A spread of shapes; every file with random chunks, a subset with 1-byte chunks (slow by nature).
  for (const [i, file] of files.entries()) {
    test(rel(file), () => {
      const bytes = fs.readFileSync(file);
      const whole = parseBytes(bytes);
      same(stream(bytes, () => Math.floor(rnd() * 3000)), whole, 'random chunks');
      const gz = gzipSync(bytes);
      same(stream(gz, () => Math.floor(rnd() * 700)), parseBytes(gz), 'random gzip chunks');
      if (i % 9 === 0) {
        same(stream(bytes, () => 1), whole, '1-byte chunks');
        same(stream(gz, () => 1), parseBytes(gz), '1-byte gzip chunks');
      }
    });
  }

  test('damaged and odd inputs, 1-byte and random chunks', () => {
    const r = prng(99);
    const samples = [
      '',
      '\ufeff{"Records":[{"eventName":"A"}]}',
      '{"Records":[{"eventName":"A"},{"eventName":"B"',
      '{"eventName":"A"}\n{"eventName":\n{"eventName":"C"}\n',
      '[{"eventName":"A"}, 12, {"eventName":"B"}]',
      'hello',
      '{"Records":[{"eventName":"A","n":123456789012345678901234}]}',
      '{"a":1}',
      '{"eventName":"é ü 日本 😀","x":"\\u00e9\\\\"}',
    ];
    for (const s of samples) {
      const bytes = new TextEncoder().encode(s);
      const whole = parseBytes(bytes);
      same(stream(bytes, () => 1), whole, JSON.stringify(s));
      same(stream(bytes, () => 1 + Math.floor(r() * 5)), whole, JSON.stringify(s));
      const gz = gzipSync(bytes);
      same(stream(gz, () => 1 + Math.floor(r() * 5)), parseBytes(gz), 'gz ' + JSON.stringify(s));
    }
  });

  test('UTF-8 split across chunks, invalid bytes and BOMs decode exactly as in one piece', () => {
    const r = prng(7);
    const enc = (x: string) => Array.from(new TextEncoder().encode(x));
    const samples: number[][] = [
      // BOM, then characters of 2, 3 and 4 bytes.
      [0xef, 0xbb, 0xbf, ...enc('{"Records":[{"eventName":"é日😀","x":"\ufeff"}]}')],
      // A U+FEFF inside the text must stay (only a leading one is dropped).
      [...enc('{"eventName":"A","x":"'), 0xef, 0xbb, 0xbf, ...enc('"}')],
      // Invalid: lone continuation bytes, a bad lead byte, a cut 4-byte sequence, overlong form.
      [...enc('{"eventName":"'), 0x80, 0xbf, 0xff, 0xf0, 0x9f, 0x98, ...enc('x'), 0xc0, 0xaf, 0xe0, 0x80, ...enc('"}')],
      // The text ends inside a sequence.
      [...enc('{"eventName":"A"}\n{"eventName":"'), 0xe6, 0x97],
    ];
    for (const arr of samples) {
      const bytes = Uint8Array.from(arr);
      const whole = parseBytes(bytes);
      for (let k = 0; k < 5; k++) same(stream(bytes, () => 1 + Math.floor(r() * 4)), whole, 'bytes ' + arr.join(','));
      same(stream(bytes, () => 1), whole, '1-byte chunks ' + arr.join(','));
    }
    // The caller may reuse its buffer after push(): bytes carried over to the next push are copied.
    const text = new TextEncoder().encode(JSON.stringify({ Records: [{ eventName: 'Ünïcödé ' + '日本'.repeat(50) }] }));
    const p = new StreamingParser();
    const buf = Buffer.alloc(7);
    const got: CloudTrailRecord[] = [];
    for (let i = 0; i < text.length; i += 7) {
      const n = Math.min(7, text.length - i);
      buf.set(text.subarray(i, i + n));
      got.push(...p.push(buf.subarray(0, n)));
      buf.fill(0x41);
    }
    got.push(...p.end().records);
    assert.deepEqual(comparable(got), comparable(parseBytes(text).records));
  });

  test('gzip: one push inflates a bounded amount; the backlog is drained by empty pushes or end()', () => {
    // Highly compressible: ~6 MB of records from ~60 KB of gzip, pushed in a single call.
    const events = Array.from({ length: 20000 }, (_, i) => ({ eventName: `Op${i % 7}`, eventTime: '2024-01-01T00:00:00Z', pad: 'x'.repeat(250) }));
    const text = new TextEncoder().encode(JSON.stringify({ Records: events }));
    const gz = gzipSync(text, { level: 9 });
    assert.ok(text.length / gz.length > 50, 'the sample must expand a lot');
    const want = parseBytes(gz);
    const budget = 256 * 1024;
    for (const drainWithEnd of [false, true]) {
      const p = new StreamingParser({ maxInflatePerPush: budget });
      const got: CloudTrailRecord[] = [];
      let batch = p.push(gz);
      got.push(...batch);
      assert.ok(p.backlog, 'a single push did not inflate everything');
      let pushes = 1;
      const recordChars = JSON.stringify(events[0]).length + 1;
      while (p.backlog && !drainWithEnd) {
        // Each call decodes about `budget` bytes: never more than that plus the record in progress.
        assert.ok(batch.length * recordChars <= budget + 2 * recordChars, `push ${pushes} returned ${batch.length} records`);
        batch = p.push(new Uint8Array(0));
        got.push(...batch);
        pushes++;
      }
      const end = p.end();
      got.push(...end.records);
      assert.equal(p.backlog, false);
      if (!drainWithEnd) assert.ok(pushes >= text.length / budget - 1, `${pushes} pushes for ${text.length} bytes`);
      assert.deepEqual(comparable(got), comparable(want.records));
      assert.deepEqual(end.problems, want.problems);
    }
    // A cut stream with a budget still keeps every record before the cut.
    const cut = gz.subarray(0, Math.floor(gz.length * 0.6));
    const p = new StreamingParser({ maxInflatePerPush: budget });
    const got = p.push(cut);
    while (p.backlog) got.push(...p.push(new Uint8Array(0)));
    const end = p.end();
    got.push(...end.records);
    const whole = parseBytes(cut);
    assert.deepEqual(comparable(got), comparable(whole.records));
    assert.deepEqual(end.problems, whole.problems);
    assert.ok(whole.records.length > 1000 && end.problems.some((x) => x.code === 'truncated-gzip'));
  });

  test('first records arrive before the whole file is pushed', () => {
    const events = Array.from({ length: 5000 }, (_, i) => ({ eventName: `Op${i}`, eventTime: '2024-01-01T00:00:00Z', pad: 'x'.repeat(100) }));
    const text = new TextEncoder().encode(JSON.stringify({ Records: events }));
    const plain = stream(text, () => 65536);
    assert.equal(plain.records.length, 5000);
    assert.ok(plain.firstAt > 0 && plain.firstAt <= 65536, `first records after ${plain.firstAt} bytes`);
    const gz = gzipSync(text);
    const zipped = stream(gz, () => 4096);
    assert.equal(zipped.records.length, 5000);
    assert.ok(zipped.firstAt > 0 && zipped.firstAt < gz.length / 2, `gzip: first records after ${zipped.firstAt} of ${gz.length} bytes`);
  });
});
