/**
 * Issue 14, D4: decompression is bounded everywhere. Gzip bombs are built here with node:zlib (a few tens of KB
 * that expand to tens of MB); every entry point stops at the decompressed-size cap with a `gzip-too-large`
 * problem, keeps the records before it, and never hands out more than the cap.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, gunzipSync } from 'node:zlib';
import { parseBytes, StreamingParser, type CloudTrailRecord } from '../../../src/core/records';
import { DEFAULT_MAX_DECOMPRESSED, GunzipStream, gunzipAsync, gunzipTolerant, gunzipWhole } from '../../../src/core/records/gunzip';
import { parseKeepingText } from '../../../src/core/local/record-text';

const MB = 1024 * 1024;
const CAP = 2 * MB;

function record(i: number): string {
  return JSON.stringify({ eventVersion: '1.08', eventTime: '2024-05-01T12:00:00Z', eventName: `Call${i}`, eventSource: 's3.amazonaws.com', awsRegion: 'eu-west-1' });
}

/** 40 records (a few KB), then `padding` bytes of spaces inside the Records array: a bomb with a readable head. */
function recordsBomb(padding: number): { gz: Buffer; head: number } {
  const head = `{"Records":[\n${Array.from({ length: 40 }, (_, i) => record(i)).join(',\n')}`;
  const text = Buffer.concat([Buffer.from(head), Buffer.alloc(padding, 0x20), Buffer.from('\n]}\n')]);
  return { gz: gzipSync(text, { level: 9 }), head: head.length };
}

/** Pure spaces: the classic bomb (expands about 1000-fold). */
const spaces = gzipSync(Buffer.alloc(48 * MB, 0x20), { level: 9 });

describe('D4: a decompressed-size cap on every gzip path', () => {
  test('the bomb is small and expands far past the cap (sanity of the input)', () => {
    assert.ok(spaces.length < 100 * 1024, `${spaces.length} bytes`);
    assert.equal(gunzipSync(spaces).length, 48 * MB);
    assert.equal(DEFAULT_MAX_DECOMPRESSED, 4 * 1024 * MB);
  });

  test('gunzipWhole and gunzipAsync stop at the cap with a clear error', async () => {
    for (const [how, r] of [['sync', gunzipWhole(spaces, { maxBytes: CAP })], ['async', await gunzipAsync(spaces, { maxBytes: CAP })]] as const) {
      assert.equal(r.error?.code, 'gzip-too-large', how);
      assert.match(r.error!.message, /decompresses to more than 2 MiB/);
      assert.equal(r.bytes.length, CAP, `${how}: everything up to the cap, nothing past it`);
      assert.ok(r.bytes.every((b) => b === 0x20));
    }
    // Under the cap nothing changes.
    const small = gzipSync(Buffer.alloc(MB, 0x41));
    assert.equal(gunzipWhole(small, { maxBytes: CAP }).error, undefined);
    assert.equal((await gunzipAsync(small, { maxBytes: CAP })).bytes.length, MB);
  });

  test('a small file just over the cap, decoded in one step: too large, not damaged', async () => {
    // The whole member (last block and trailer) is decoded before the cap is checked: the cap must still win over
    // the checksum of the member it cut short, and nothing is marked untrusted.
    const small = gzipSync(Buffer.alloc(5000, 0x41));
    for (const r of [gunzipTolerant(small, { maxBytes: 100 }), gunzipWhole(small, { maxBytes: 100 }), await gunzipAsync(small, { maxBytes: 100 })]) {
      assert.equal(r.error?.code, 'gzip-too-large');
      assert.equal(r.error?.unlocated, undefined);
      assert.equal(r.bytes.length, 100);
    }
  });

  test('the tolerant decoder hands out bounded pieces and never more than the cap', () => {
    const g = new GunzipStream({ maxBytes: CAP });
    let total = 0;
    let biggest = 0;
    const take = (pieces: Uint8Array[]) => {
      for (const p of pieces) {
        total += p.length;
        biggest = Math.max(biggest, p.length);
      }
    };
    for (let i = 0; i < spaces.length; i += 4096) take(g.push(spaces.subarray(i, i + 4096), 256 * 1024));
    take(g.finish());
    assert.equal(total, CAP);
    assert.equal(g.error?.code, 'gzip-too-large');
    // One push decodes at most its budget plus one block-decoder step (1 MiB): memory does not follow the expansion.
    assert.ok(biggest <= 256 * 1024 + MB + 258, `largest piece ${biggest}`);
    // Without a budget, a whole-buffer decode is still handed out in steps.
    const whole = new GunzipStream({ maxBytes: 8 * MB });
    const pieces = whole.push(spaces);
    assert.ok(pieces.length >= 8 && pieces.every((p) => p.length <= MB + 258), `${pieces.length} pieces`);
    assert.equal(gunzipTolerant(spaces, { maxBytes: CAP }).bytes.length, CAP);
  });

  test('parseBytes: the records before the cap are kept, a gzip-too-large problem names the limit', () => {
    const { gz } = recordsBomb(40 * MB);
    const r = parseBytes(gz, 'bomb.json.gz', { maxDecompressed: CAP });
    assert.equal(r.records.length, 40);
    const p = r.problems.find((x) => x.code === 'gzip-too-large');
    assert.ok(p, JSON.stringify(r.problems));
    assert.equal(p.severity, 'error');
    assert.match(p.message, /more than 2 MiB/);
    assert.match(p.message, /40 records read before the limit/);
    assert.match(p.message, /cloudtrailLens\.maxDecompressedMB/);
    // With room enough, the same file reads whole with no problem.
    const ok = parseBytes(gz, 'bomb.json.gz', { maxDecompressed: 64 * MB });
    assert.equal(ok.records.length, 40);
    assert.equal(ok.problems.filter((x) => x.severity === 'error').length, 0);
  });

  test('StreamingParser (CLI, damaged-file indexing): same cap, backlog drained in bounded pushes', () => {
    const { gz } = recordsBomb(40 * MB);
    const parser = new StreamingParser({ fileName: 'bomb.json.gz', maxDecompressed: CAP, maxInflatePerPush: 512 * 1024 });
    const got: CloudTrailRecord[] = [];
    let pushes = 0;
    for (let i = 0; i < gz.length; i += 8192) {
      got.push(...parser.push(gz.subarray(i, i + 8192)));
      while (parser.backlog) {
        got.push(...parser.push(new Uint8Array(0)));
        pushes++;
        assert.ok(pushes < 1000, 'the backlog ends at the cap');
      }
    }
    const end = parser.end();
    got.push(...end.records);
    assert.equal(got.length, 40);
    assert.ok(end.problems.some((x) => x.code === 'gzip-too-large'), JSON.stringify(end.problems));
    // It stopped at the cap: about CAP / 512 KiB pushes, not 40 MiB worth.
    assert.ok(pushes <= CAP / (512 * 1024) + 2, `${pushes} pushes`);
  });

  test('the parse workers\' path (parseKeepingText) reports the cap the same way', () => {
    const { gz } = recordsBomb(40 * MB);
    const { result, text } = parseKeepingText(gz, 'bomb.json.gz', { maxDecompressed: CAP });
    assert.equal(text, undefined);
    assert.equal(result.records.length, 40);
    assert.ok(result.problems.some((x) => x.code === 'gzip-too-large'));
  });
});
