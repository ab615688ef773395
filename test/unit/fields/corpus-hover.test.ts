/**
 * The path the hover computes, end to end in the core: the record core's `sniffKind` decides the container, and
 * `eventPathAt` must then find a documented field at every standard key of every corpus file.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { corpusDir, corpusFiles, repoRoot } from '../../support/paths';
import { eventPathAt, hoverMarkdown, isFreeFormPath } from '../../../src/core/fields';
import { sniffKind } from '../../../src/core/records';
import { parseTree } from 'jsonc-parser';

const KEYS = ['eventTime', 'eventName', 'userIdentity', 'type', 'arn', 'accountId', 'sessionIssuer', 'eventType',
  'recipientAccountId', 'tlsDetails', 'ARN', 'insightType', 'digestEndTime', 'hashValue', 'eventname', 'useridentity'];

describe('hover paths over the corpus', () => {
  it('finds documentation at every standard key outside free-form objects', () => {
    let hits = 0;
    const misses: string[] = [];
    for (const file of corpusFiles()) {
      const text = fs.readFileSync(file, 'utf8');
      const kind = sniffKind(text);
      assert.notEqual(kind, 'unknown', `${path.relative(corpusDir, file)} not recognised`);
      // Parsed once per file, as the hover provider caches it per document version.
      const tree = kind === 'jsonl' ? undefined : parseTree(text);
      for (const key of KEYS) {
        const needle = `"${key}"`;
        for (let i = text.indexOf(needle), n = 0; i >= 0 && n < 5; i = text.indexOf(needle, i + 1), n++) {
          // Only keys (a value can have the same text, e.g. an aggregated event's "dimension": "eventName").
          if (!/^\s*:/.test(text.slice(i + needle.length, i + needle.length + 8))) continue;
          const at = eventPathAt(text, i + 1, kind, tree);
          assert.ok(at, `${path.relative(corpusDir, file)}: nothing at ${key} (offset ${i})`);
          assert.equal(text.slice(at.offset, at.offset + at.length), needle);
          assert.equal(at.isKey, true);
          assert.equal(at.path[at.path.length - 1], key);
          if (at.docKind === 'event' && isFreeFormPath(at.path)) continue;
          if (hoverMarkdown(at.path, at.value, at.docKind)) hits++;
          else misses.push(`${path.relative(corpusDir, file)}: ${at.path.join('.')}`);
        }
      }
    }
    assert.deepEqual(misses, []);
    assert.ok(hits > 1000, `${hits} hovers`);
  });

  it('finds nothing in JSON that is not CloudTrail', () => {
    const text = fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8');
    const kind = sniffKind(text);
    assert.equal(kind, 'unknown');
    assert.equal(eventPathAt(text, text.indexOf('"name"') + 1, kind), undefined);
  });
});
