import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { parseBytes, parseText, sniffKind } from '../../../src/core/records';
import { parseLossless } from '../../../src/core/json';
import { comparable, corpus, errors, expectationFor, rel } from './helpers';

describe('corpus', () => {
  const files = corpus();
  test('the corpus is there', () => {
    assert.ok(files.length > 200, `expected the shared corpus, found ${files.length} files`);
  });

  for (const file of files) {
    test(`${rel(file)}: right kind, every record, no error`, () => {
      const bytes = fs.readFileSync(file);
      const want = expectationFor(file);
      const r = parseBytes(bytes, file);
      assert.deepEqual(errors(r), [], 'no error problems');
      assert.equal(r.kind, want.kind);
      assert.equal(r.records.length, want.count);
      assert.equal(r.gzipped, false);
      if (want.kind === 'digest') assert.ok(r.digest && Array.isArray(r.digest.logFiles));
      // Every record's range slices out JSON that parses to an object.
      const text = bytes.toString('utf8');
      for (const rec of r.records) {
        assert.ok(rec.range.startOffset < rec.range.endOffset);
        const slice = text.slice(rec.range.startOffset, rec.range.endOffset);
        assert.equal(typeof JSON.parse(slice), 'object');
      }
      // The same through gzip, and through parseText.
      const gz = parseBytes(gzipSync(bytes), file + '.gz');
      assert.equal(gz.gzipped, true);
      assert.equal(gz.kind, r.kind);
      assert.deepEqual(comparable(gz.records), comparable(r.records));
      assert.deepEqual(gz.problems, r.problems);
      assert.deepEqual(comparable(parseText(text).records), comparable(r.records));
      // Without the file name a one-line JSON Lines file is indistinguishable from a single event.
      const oneLine = want.kind === 'jsonl' && want.count === 1;
      assert.equal(sniffKind(text), oneLine ? 'event' : want.kind);
      assert.equal(sniffKind(text), parseText(text).kind, 'sniffKind agrees with the full parse');
      // Each record's text (when given) is the JSON of its event.
      for (const rec of r.records) if (rec.text !== undefined) assert.deepEqual(parseLossless(rec.text), rec.event);
    });
  }
});
