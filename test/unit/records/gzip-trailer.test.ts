/**
 * The gzip trailer's size (ISIZE) is used as zlib's output chunk size, so an ordinary log comes out of zlib as one
 * buffer. It is input like any other: a trailer that lies must not change the output, must not make zlib allocate
 * past the bounds, and must not leave a big allocation held by a small output. Inputs built here with node:zlib.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, constants } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { chunkSizeHint, gunzipAsync, gunzipWhole } from '../../../src/core/records/gunzip';
import { ownBuffer } from '../../../src/core/local/pool';

const text = Buffer.from(JSON.stringify({ Records: Array.from({ length: 400 }, (_, i) => ({ eventName: `Call${i}`, eventTime: '2024-05-01T12:00:00Z', n: i })) }));
const gz = gzipSync(text);

/** A copy of `bytes` whose trailer states `size` as the decompressed length. */
function withIsize(bytes: Uint8Array, size: number): Buffer {
  const out = Buffer.from(bytes);
  out.writeUInt32LE(size >>> 0, out.length - 4);
  return out;
}

describe('gzip trailer size as a chunk-size hint', () => {
  test('an honest trailer: one chunk of the stated size, which the output owns whole (it can be transferred as it is)', async () => {
    assert.equal(chunkSizeHint(gz, 1 << 30), text.length);
    for (const r of [gunzipWhole(gz), await gunzipAsync(gz)]) {
      assert.equal(r.error, undefined);
      assert.ok(Buffer.from(r.bytes).equals(text));
      assert.deepEqual([r.bytes.byteOffset, r.bytes.buffer.byteLength], [0, text.length]);
      assert.equal(ownBuffer(r.bytes), r.bytes, 'transferred without a copy');
    }
  });

  test('the hint is bounded by the cap, by deflate\'s largest ratio and by 64 MiB, and never under zlib\'s default chunk', () => {
    assert.equal(chunkSizeHint(withIsize(gz, 0xffff_ffff), 1 << 30), Math.min(gz.length * 1032, 64 * 1024 * 1024));
    assert.equal(chunkSizeHint(withIsize(gz, 0xffff_ffff), 50_000), 50_000);
    assert.equal(chunkSizeHint(withIsize(gz, 0), 1 << 30), constants.Z_DEFAULT_CHUNK);
    assert.equal(chunkSizeHint(new Uint8Array(10), 1 << 30), constants.Z_DEFAULT_CHUNK);
    // Incompressible bytes: 1032 × their gzip size is past 64 MiB.
    const big = gzipSync(randomBytes(70_000));
    assert.equal(chunkSizeHint(withIsize(big, 0xffff_fff0), 1 << 30), 64 * 1024 * 1024);
  });

  for (const [name, lie] of [
    ['far too large', 0xffff_ffff],
    ['a little too small', text.length - 10],
    ['zero', 0],
  ] as const) {
    test(`a trailer stating a size ${name}: reported as damage, every byte still handed out, no oversized buffer`, async () => {
      const lying = withIsize(gz, lie);
      for (const r of [gunzipWhole(lying), await gunzipAsync(lying)]) {
        // zlib checks ISIZE against its output, so the tolerant decoder takes over and says what is wrong.
        assert.ok(r.error, `${name}: no error reported`);
        assert.ok(Buffer.from(r.bytes).equals(text), `${name}: output differs`);
        assert.ok(r.bytes.buffer.byteLength < text.length * 2 + 8192, `${name}: backing buffer ${r.bytes.buffer.byteLength} for ${text.length} bytes`);
      }
    });
  }

  test('bytes after the stream that read as a huge size: the output is copied out of the big chunk', async () => {
    // zlib ignores zero padding after a member; the file's last four bytes then state ~2 GiB (bounded to 64 MiB).
    const padded = Buffer.concat([gz, Buffer.from([0, 0, 0, 0, 0, 0, 0xff, 0x7f])]);
    assert.ok(chunkSizeHint(padded, 1 << 30) > 1 << 20);
    for (const r of [gunzipWhole(padded), await gunzipAsync(padded)]) {
      assert.ok(Buffer.from(r.bytes).equals(text));
      assert.ok(r.bytes.buffer.byteLength < text.length * 2, `backing buffer ${r.bytes.buffer.byteLength} for ${text.length} bytes`);
    }
  });

  test('two gzip members (the trailer states only the last): the whole output, in order', () => {
    const a = Buffer.from('{"Records":[{"eventName":"A"},');
    const b = Buffer.from('{"eventName":"B"}]}');
    const r = gunzipWhole(Buffer.concat([gzipSync(a), gzipSync(b)]));
    assert.equal(r.error, undefined);
    assert.equal(Buffer.from(r.bytes).toString(), `${a}${b}`);
    // A big member then a one-byte one: the hint stays at zlib's default chunk, not one byte.
    const joined = Buffer.concat([gz, gzipSync(Buffer.from(' '))]);
    assert.equal(chunkSizeHint(joined, 1 << 30), constants.Z_DEFAULT_CHUNK);
    assert.equal(gunzipWhole(joined).bytes.length, text.length + 1);
  });
});
