import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot, tsFilesUnder } from '../support/paths';

const sources = tsFilesUnder;

/** Module specifiers a file imports or requires (type-only imports included: they still couple the code). */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"`;]*?from\s*['"]([^'"]+)['"]/g)) found.push(m[1]);
  for (const m of text.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]);
  return found;
}

test('src/core never imports vscode, so the CLI and benchmarks can use it in plain Node', () => {
  const offenders = sources('src/core').filter((f) => imports(f).includes('vscode'));
  assert.deepEqual(offenders.map((f) => path.relative(repoRoot, f)), []);
});

test('src/core does not reach into the VS Code adapters', () => {
  const adapters = /^(\.\.\/)+(viewer|explorer|selectors|hovers|common|extension)(\/|$)/;
  const offenders = sources('src/core').flatMap((f) =>
    imports(f).filter((s) => adapters.test(s)).map((s) => `${path.relative(repoRoot, f)} -> ${s}`),
  );
  assert.deepEqual(offenders, []);
});

test('the webview bundle imports no vscode module and no host code except the shared protocol and core', () => {
  const offenders = sources('media').flatMap((f) =>
    imports(f)
      .filter((s) => s === 'vscode' || /\/src\/(viewer|explorer|selectors|hovers|common)\//.test(s + '/') && !/\/protocol$|\/markers$/.test(s))
      .map((s) => `${path.relative(repoRoot, f)} -> ${s}`),
  );
  assert.deepEqual(offenders, []);
});

test('the detector itself finds an import (guards against a regex that matches nothing)', () => {
  const tmp = path.join(repoRoot, 'build', 'architecture-probe.ts');
  fs.mkdirSync(path.dirname(tmp), { recursive: true });
  fs.writeFileSync(tmp, "import * as vscode from 'vscode';\nconst x = require('../viewer/session');\n");
  try {
    assert.deepEqual(imports(tmp), ['vscode', '../viewer/session']);
  } finally {
    fs.rmSync(tmp);
  }
});
