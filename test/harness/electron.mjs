#!/usr/bin/env node
// The same integration suite in desktop VS Code, through @vscode/test-electron, for machines with a display and
// access to Microsoft's download service (it downloads VS Code on first use). It cannot run on the project's CI
// machines (no network beyond the npm registry and Debian apt, no desktop VS Code package): `npm test` uses
// code-server instead (test/run.mjs). Not part of CI.
//
//   node scripts/build.mjs && node test/harness/electron.mjs [--grep REGEX] [--file NAME] [--version 1.100.0]
//
// Set-up hooks (test/integration/setup/*.mjs) run here too, and the suite sees the same CLOUDTRAIL_LENS_* variables.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { corpusDir, installSignalHandlers, onExit, removeDir, repoRoot, tempDir } from './common.mjs';
import { createTestWorkspace } from './workspace.mjs';

const args = process.argv.slice(2);
const arg = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
installSignalHandlers();

const { runTests } = await import('@vscode/test-electron');
const dataDir = tempDir('electron');
const workspace = createTestWorkspace();
onExit(() => removeDir(dataDir));
onExit(() => removeDir(workspace));
const resultsFile = join(dataDir, 'results.jsonl');
const env = {
  CLOUDTRAIL_LENS_TEST_RESULTS: resultsFile,
  CLOUDTRAIL_LENS_TEST_WORKSPACE: workspace,
  CLOUDTRAIL_LENS_CORPUS: corpusDir,
  CLOUDTRAIL_LENS_CORPUS: corpusDir,
  CLOUDTRAIL_LENS_REPO: repoRoot,
  CLOUDTRAIL_LENS_EXTENSION_PATH: repoRoot,
  ...(arg('--grep') ? { CLOUDTRAIL_LENS_TEST_GREP: arg('--grep') } : {}),
  ...(arg('--file') ? { CLOUDTRAIL_LENS_TEST_FILES: arg('--file') } : {}),
};
const teardowns = [];
const setupDir = join(repoRoot, 'test', 'integration', 'setup');
for (const f of existsSync(setupDir) ? readdirSync(setupDir).filter((f) => f.endsWith('.mjs')).sort() : []) {
  const mod = await import(pathToFileURL(join(setupDir, f)).href);
  const res = (await mod.setup({ repoRoot, corpusDir, workspace, tempDir: dataDir, env: { ...env }, log: console.log })) ?? {};
  Object.assign(env, res.env ?? {});
  if (res.teardown) teardowns.push(res.teardown);
}

let code = 0;
try {
  code = await runTests({
    version: arg('--version') ?? 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(repoRoot, 'out', 'test', 'index'),
    extensionTestsEnv: env,
    launchArgs: [workspace, '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', `--user-data-dir=${join(dataDir, 'user-data')}`],
  });
} catch (err) {
  console.error(`VS Code (desktop) tests did not run: ${err.message ?? err}`);
  code = 1;
} finally {
  for (const t of teardowns.reverse()) await t().catch(() => {});
}
const lines = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const n = (t) => lines.filter((e) => e.type === t).length;
for (const e of lines.filter((e) => e.type === 'fail')) console.log(`✖ ${e.fullTitle}\n${e.error}`);
console.log(`${n('pass')} passed, ${n('fail')} failed${n('pending') ? `, ${n('pending')} skipped` : ''}`);
process.exit(code || n('fail') ? 1 : 0);
