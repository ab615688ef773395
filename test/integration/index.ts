/**
 * Integration-test entry point, run by VS Code inside the extension host (the workbench's `extensionTestsPath`).
 * Bundled by scripts/build.mjs to out/test/index.js. It loads every test/integration/*.test.ts (listed at bundle
 * time, see test/harness/esbuild-tests.mjs), runs them with mocha (BDD: describe/it) and records each result as one
 * JSON line in $CLOUDTRAIL_LENS_TEST_RESULTS: the harness (test/run.mjs) reads that file, because console output
 * from the extension host does not reliably reach it.
 *
 * Environment (set by the harness on the server, inherited by the extension host):
 *   CLOUDTRAIL_LENS_TEST_RESULTS    results file (JSON lines); without it results only go to the console
 *   CLOUDTRAIL_LENS_TEST_GREP       only tests whose full title matches this regular expression
 *   CLOUDTRAIL_LENS_TEST_FILES      comma-separated substrings; only test files whose path contains one of them
 *   CLOUDTRAIL_LENS_TEST_TIMEOUT    per-test timeout in ms (default 30000)
 *   CLOUDTRAIL_LENS_TEST_WORKSPACE  the temporary workspace folder opened for this run (a copy of fixtures)
 *   CLOUDTRAIL_LENS_CORPUS          the test corpus (test/corpus in the repository)
 */
import * as fs from 'node:fs';
import Mocha from 'mocha';
import tests = require('cloudtrail-lens:integration-tests');

type ResultEvent =
  | { type: 'start'; files: string[]; total: number }
  | { type: 'pass' | 'fail' | 'pending'; title: string; fullTitle: string; file?: string; duration?: number; error?: string }
  | { type: 'end'; passed: number; failed: number; pending: number };

function recorder(): (e: ResultEvent) => void {
  const file = process.env.CLOUDTRAIL_LENS_TEST_RESULTS;
  return (e) => {
    if (!file) return;
    try {
      fs.appendFileSync(file, JSON.stringify(e) + '\n');
    } catch (err) {
      console.error('could not write test results', err);
    }
  };
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    const e = err as Error & { actual?: unknown; expected?: unknown; showDiff?: boolean };
    let text = e.stack ?? `${e.name}: ${e.message}`;
    if (e.showDiff !== false && ('actual' in e || 'expected' in e)) {
      const show = (v: unknown) => {
        try {
          return JSON.stringify(v, null, 2)?.slice(0, 2000);
        } catch {
          return String(v);
        }
      };
      text += `\n  expected: ${show(e.expected)}\n  actual:   ${show(e.actual)}`;
    }
    return text;
  }
  return String(err);
}

export async function run(): Promise<void> {
  const record = recorder();
  const grep = process.env.CLOUDTRAIL_LENS_TEST_GREP;
  const fileFilter = (process.env.CLOUDTRAIL_LENS_TEST_FILES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.CLOUDTRAIL_LENS_TEST_TIMEOUT) || 30_000,
    ...(grep ? { grep: new RegExp(grep) } : {}),
  });

  const selected = tests.filter((t) => fileFilter.length === 0 || fileFilter.some((f) => t.file.includes(f)));
  let loadFailures = 0;
  for (const t of selected) {
    // What mocha.loadFiles does for each file: announce it so describe/it attach to the right file, then load.
    mocha.suite.emit('pre-require', globalThis, t.file, mocha);
    try {
      t.load();
    } catch (err) {
      loadFailures++;
      record({ type: 'fail', title: `load ${t.file}`, fullTitle: `load ${t.file}`, file: t.file, error: describeError(err) });
      console.error(`failed to load ${t.file}`, err);
    }
    mocha.suite.emit('require', undefined, t.file, mocha);
    mocha.suite.emit('post-require', globalThis, t.file, mocha);
  }

  await new Promise<void>((resolve, reject) => {
    let passed = 0;
    let failed = loadFailures;
    let pending = 0;
    const runner = mocha.run(() => {
      record({ type: 'end', passed, failed, pending });
      if (failed > 0) reject(new Error(`${failed} integration test(s) failed`));
      else resolve();
    });
    record({ type: 'start', files: selected.map((t) => t.file), total: runner.total });
    const fileOf = (r: Mocha.Runnable) => r.file ?? r.parent?.file;
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, (t: Mocha.Test) => {
      passed++;
      record({ type: 'pass', title: t.title, fullTitle: t.fullTitle(), file: fileOf(t), duration: t.duration });
    });
    // Also fires for failing hooks; those count as one failure each.
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, (t: Mocha.Runnable, err: unknown) => {
      failed++;
      record({ type: 'fail', title: t.title, fullTitle: t.fullTitle(), file: fileOf(t), duration: t.duration, error: describeError(err) });
    });
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, (t: Mocha.Test) => {
      pending++;
      record({ type: 'pending', title: t.title, fullTitle: t.fullTitle(), file: fileOf(t) });
    });
  });
}
