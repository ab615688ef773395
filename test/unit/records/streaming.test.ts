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
