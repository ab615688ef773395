// The per-run workspace folder the integration and e2e tests open: a fresh copy, so tests may write into it.
//   <ws>/                  test/fixtures/workspace/** copied as is (if that folder exists)
//   <ws>/corpus/           a few real log files from the shared corpus (CloudTrail user-guide examples)
// Tests find it through CLOUDTRAIL_LENS_TEST_WORKSPACE and the whole corpus (test/corpus) through CLOUDTRAIL_LENS_CORPUS.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, repoRoot, tempDir } from './common.mjs';

const CORPUS_PICKS = /^cloudtrail-ug__cloudtrail-log-file-examples__0[1-4]\.json$/;

export function createTestWorkspace() {
  const ws = tempDir('ws');
  const fixtures = join(repoRoot, 'test', 'fixtures', 'workspace');
  if (existsSync(fixtures)) cpSync(fixtures, ws, { recursive: true });
  const docs = join(corpusDir, 'awsdocs-examples');
  if (existsSync(docs)) {
    const picks = readdirSync(docs).filter((f) => CORPUS_PICKS.test(f));
    if (picks.length) {
      mkdirSync(join(ws, 'corpus'), { recursive: true });
      for (const f of picks) cpSync(join(docs, f), join(ws, 'corpus', f));
    }
  }
  return ws;
}
