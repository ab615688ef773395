/**
 * The webview shows attacker-controlled text, so its code must never hand strings to an HTML parser.
 * This scans every webview source file for the APIs that would.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

const SINKS = [/\binnerHTML\b/, /\bouterHTML\b/, /\binsertAdjacentHTML\b/, /\bdocument\.write(ln)?\s*\(/, /\bcreateContextualFragment\b/, /\bsrcdoc\b/, /\bDOMParser\b/, /\beval\s*\(/, /\bnew\s+Function\s*\(/, /\bsetAttribute\s*\(\s*['"]on/];

function sources(): string[] {
  const dir = path.join(repoRoot, 'media', 'viewer');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
}

describe('viewer webview: no HTML sinks', () => {
  it('finds the webview sources', () => assert.ok(sources().some((f) => f.endsWith('main.ts'))));
  for (const file of sources()) {
    it(`${path.basename(file)} uses textContent/createElement only`, () => {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      const hits: string[] = [];
      lines.forEach((line, i) => {
        for (const re of SINKS) if (re.test(line)) hits.push(`${i + 1}: ${line.trim()}`);
      });
      assert.deepEqual(hits, []);
    });
  }
  it('the scan would catch a sink (self-check)', () => {
    assert.ok(SINKS.some((re) => re.test('el.innerHTML = s')));
    assert.ok(SINKS.some((re) => re.test("el.insertAdjacentHTML('beforeend', s)")));
  });
});
