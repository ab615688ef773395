import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseBytes, StreamingParser, stringifyJson } from '../../../src/core/records';
import { corpus, prng } from './helpers';

// Seeded mutation fuzz: truncations, byte flips, cut gzip streams, inserted garbage. The property under test is
// that nothing throws, every case finishes, and the result is well-formed. Override with FUZZ_SEED / FUZZ_CASES.
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed1);
const CASES = Number(process.env.FUZZ_CASES ?? 4000);

test(`mutation fuzz over the corpus (seed ${SEED}, ${CASES} cases)`, () => {
  console.log(`# fuzz seed ${SEED} (set FUZZ_SEED to replay)`);
  const rnd = prng(SEED);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)];
  const files = corpus().map((f) => fs.readFileSync(f));
  const gz = files.filter((_, i) => i % 5 === 0).map((b) => gzipSync(b));
  const garbage = ['{', '}', '[', ']', '"', '\\', ',', ':', '\n', '\u0000', '{"Records":[', 'null', '12345678901234567890', '\ufeff', '\r\n', 'é'];
  const ops = ['truncate', 'flip', 'insert', 'delete', 'gzcut', 'gzflip', 'stream'] as const;
  const counts: Record<string, number> = {};
  for (let c = 0; c < CASES; c++) {
    const op = pick([...ops]);
    counts[op] = (counts[op] ?? 0) + 1;
    let input: Uint8Array;
    const src = pick(files);
    switch (op) {
      case 'truncate':
        input = src.subarray(0, Math.floor(rnd() * src.length));
        break;
      case 'flip': {
        const b = Buffer.from(src);
        for (let k = 1 + Math.floor(rnd() * 4); k > 0; k--) b[Math.floor(rnd() * b.length)] ^= 1 << Math.floor(rnd() * 8);
        input = b;
        break;
      }
      case 'insert': {
        const at = Math.floor(rnd() * src.length);
        input = Buffer.concat([src.subarray(0, at), Buffer.from(pick(garbage)), src.subarray(at)]);
        break;
      }
      case 'delete': {
        const at = Math.floor(rnd() * src.length);
        input = Buffer.concat([src.subarray(0, at), src.subarray(at + 1 + Math.floor(rnd() * 20))]);
        break;
      }
      case 'gzcut': {
        const g = pick(gz);
        input = g.subarray(0, Math.floor(rnd() * g.length));
        break;
      }
      case 'gzflip': {
        const b = Buffer.from(pick(gz));
        b[10 + Math.floor(rnd() * (b.length - 10))] ^= 1 << Math.floor(rnd() * 8);
        input = b;
        break;
      }
      default:
        input = src;
    }
    let result;
    try {
      if (op === 'stream') {
        const p = new StreamingParser();
        let n = 0;
        for (let i = 0; i < input.length; ) {
          const size = 1 + Math.floor(rnd() * 200);
          n += p.push(input.subarray(i, i + size)).length;
          i += size;
        }
        result = p.end();
        n += result.records.length;
        assert.equal(n, parseBytes(input).records.length);
      } else {
        result = parseBytes(input);
      }
    } catch (e) {
      assert.fail(`case ${c} (${op}, seed ${SEED}) threw: ${e instanceof Error ? e.stack : e}`);
    }
    assert.ok(typeof result.kind === 'string');
    for (const p of result.problems) {
      assert.ok(p.line >= 1 && p.column >= 1, `case ${c}: position ${p.line}:${p.column}`);
      assert.ok(p.message.length > 0);
    }
    result.records.forEach((r, i) => {
      assert.equal(r.index, i);
      assert.ok(r.range.startOffset <= r.range.endOffset && r.range.startLine <= r.range.endLine);
      stringifyJson(r.event);
    });
  }
  console.log('# fuzz cases by kind', JSON.stringify(counts));
});
