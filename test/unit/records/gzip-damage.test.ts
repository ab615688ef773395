/**
 * Gzip damage (issue 14, D5/D9): a flipped bit must never show altered records as good; bytes after a complete
 * gzip stream are a warning, not a truncation. Inputs are built here with node:zlib.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync, constants } from 'node:zlib';
import { parseBytes, StreamingParser, type ParseResult, type CloudTrailRecord } from '../../../src/core/records';
import { prng } from '../../support/prng';

function records(n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    out.push(JSON.stringify({ eventVersion: '1.08', eventTime: `2024-05-01T12:00:${String(i % 60).padStart(2, '0')}Z`, eventName: `Call${i}`, userIdentity: { arn: `arn:aws:iam::${String(100000000000 + i * 7919)}:user/u${i}`, accountId: String(100000000000 + i * 7919) }, requestParameters: { n: i, s: 'x'.repeat(i % 50) } }));
  }
  return out;
}
const LOG = records(300);
const TEXT = `{"Records":[\n${LOG.join(',\n')}\n]}\n`;

function streamed(bytes: Uint8Array): ParseResult {
  const p = new StreamingParser();
  const got: CloudTrailRecord[] = [];
  for (let i = 0; i < bytes.length; i += 997) got.push(...p.push(bytes.subarray(i, i + 997)));
  const end = p.end();
  got.push(...end.records);
  // A streaming consumer applies `untrusted` to what was handed out before the damage was known (as the CLI
  // does): located damage drops those records, a checksum mismatch marks them unverified.
  const u = end.untrusted;
  if (u && !u.located) for (const r of got) if (r.range.endOffset > u.from) r.unverified = true;
  return { ...end, records: got.filter((r) => !u?.located || r.range.endOffset <= u.from) };
}

/** Every record shown as good (not marked unverified) is exactly the one that was compressed. */
function assertNothingAlteredShownAsGood(r: ParseResult, label: string) {
  for (const rec of r.records) {
    if (rec.unverified) continue;
    assert.equal(JSON.stringify(rec.event), LOG[rec.index], `${label}: record ${rec.index} altered but shown as good`);
  }
}

describe('D5: a damaged gzip never shows altered records as good', () => {
  test('bit flips in a compressed (Huffman) stream: checked, with the byte where trust ends', () => {
    const gz = gzipSync(TEXT);
    const rnd = prng(14);
    let located = 0;
    let unlocated = 0;
    for (let k = 0; k < 60; k++) {
      const bad = Uint8Array.from(gz);
      const at = 10 + Math.floor(rnd() * (gz.length - 18));
      bad[at] ^= 1 << Math.floor(rnd() * 8);
      for (const [how, r] of [['whole', parseBytes(bad)], ['streamed', streamed(bad)]] as const) {
        assertNothingAlteredShownAsGood(r, `${how} flip at ${at}`);
        const p = r.problems.find((x) => x.code === 'corrupt-gzip');
        if (!p) continue; // the flip hit something decoding does not depend on (rare) or a truncation-like error
        assert.match(p.message, /compressed byte \d+/, p.message);
        if (r.untrusted?.located) located++;
        else if (r.untrusted) unlocated++;
      }
    }
    assert.ok(located > 0, 'some flips were located');
    void unlocated;
  });

  test('a flip in stored (uncompressed) data: checksum fails, cannot be located, every record of the member unverified', () => {
    const gz = gzipSync(TEXT, { level: 0 });
    const bad = Uint8Array.from(gz);
    // An account digit in the middle of the file.
    const idx = TEXT.indexOf('"accountId":"1000000', TEXT.length >> 1) + 15;
    const at = gz.indexOf(Buffer.from(TEXT.slice(idx, idx + 20)));
    assert.ok(at > 0);
    bad[at] ^= 1;
    for (const [how, r] of [['whole', parseBytes(bad)], ['streamed', streamed(bad)]] as const) {
      const p = r.problems.find((x) => x.code === 'corrupt-gzip');
      assert.ok(p, how);
      assert.match(p.message, /cannot be located/);
      assert.match(p.message, /unverified/);
      assert.equal(r.untrusted?.located, false);
      assertNothingAlteredShownAsGood(r, how);
      if (how === 'whole') assert.ok(r.records.every((x) => x.unverified), 'every record of the member is marked');
    }
  });
});

describe('D9: bytes after a complete gzip stream', () => {
  test('a partial gzip header appended: a warning about extra bytes, every record read', () => {
    const gz = gzipSync(TEXT);
    for (const tail of [[0x1f, 0x8b, 8, 0], [0x1f, 0x8b], [0x41, 0x42, 0x43], [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1]]) {
      const bytes = new Uint8Array([...gz, ...tail]);
      for (const [how, r] of [['whole', parseBytes(bytes)], ['streamed', streamed(bytes)]] as const) {
        assert.equal(r.records.length, 300, how);
        const p = r.problems.filter((x) => x.severity !== 'info');
        if (tail.length === 11) {
          // A whole header with no data is a second member that was cut: that one is a truncation.
          assert.equal(p[0]?.code, 'truncated-gzip', `${how} ${tail}`);
          continue;
        }
        assert.equal(p.length, 1, `${how} ${tail}: ${JSON.stringify(p)}`);
        assert.equal(p[0].severity, 'warning');
        assert.equal(p[0].code, 'gzip-trailing-data');
        assert.match(p[0].message, /extra bytes after the compressed data/);
        assert.doesNotMatch(p[0].message, /truncated/);
      }
    }
  });
  void constants;
});
