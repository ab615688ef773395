#!/usr/bin/env node
// `npm test`: type check, build, unit tests, then the integration tests inside a real VS Code (code-server's
// server + Debian Chromium) and the Playwright-side e2e checks against the same workbench. Ends with one line,
// "N passed, M failed[, K skipped]", and a non-zero exit code if anything failed.
//
//   node test/run.mjs [--only unit|integration|e2e] [--grep REGEX] [--file NAME[,NAME]] [--vsix [FILE]]
//
//   --only unit         compile + build + unit tests (node:test on test/unit/**/*.test.ts, compiled by tsc), then
//                       the component tier: *.server/process/worker.test.ts (local servers, child processes, workers)
//   --only integration  build + in-host mocha tests + e2e checks (no type check, no unit tests)
//   --only e2e          build + e2e checks only
//   --grep REGEX        only tests whose full title matches (unit: --test-name-pattern; mocha: grep; e2e: title)
//   --file NAME         only test files whose path contains NAME (comma-separated or repeated), e.g.
//                       --file activation  → test/integration/activation.test.ts (and any e2e/unit file matching)
//   --vsix [FILE]       integration against the packaged VSIX (built with `npm run package` unless FILE is given)
//                       instead of the repository folder: catches files that .vscodeignore leaves out
//   --no-typecheck      skip the type check (a full run otherwise starts with `tsc`)
//
// Artifacts (git-ignored) go to test/.artifacts/: screenshots/, server.log, browser-console.log.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  artifactsDir, cleanEnv, corpusDir, fmtSeconds, installSignalHandlers, onExit, removeDir, repoRoot, run,
  screenshotsDir, tempDir, withTimeout,
} from './harness/common.mjs';

// ---------------------------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const o = { only: undefined, grep: undefined, files: [], vsix: undefined, typecheck: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${a} needs a value`);
      return v;
    };
    if (a === '--only') o.only = value();
    else if (a.startsWith('--only=')) o.only = a.slice(7);
    else if (a === '--grep' || a === '-g') o.grep = value();
    else if (a.startsWith('--grep=')) o.grep = a.slice(7);
    else if (a === '--file' || a === '-f') o.files.push(...value().split(','));
    else if (a.startsWith('--file=')) o.files.push(...a.slice(7).split(','));
    else if (a === '--vsix') o.vsix = argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[++i] : true;
    else if (a === '--no-typecheck') o.typecheck = false;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown argument: ${a}`);
  }
  if (o.only && !['unit', 'integration', 'e2e'].includes(o.only)) usage(`--only takes unit, integration or e2e, not ${o.only}`);
  o.files = o.files.map((s) => s.trim()).filter(Boolean);
  return o;
}

function usage(problem) {
  const text = readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n');
  if (problem) console.error(`${problem}\n`);
  console.error(text);
  process.exit(problem ? 2 : 0);
}

const opts = parseArgs(process.argv.slice(2));
installSignalHandlers();

const runUnit = !opts.only || opts.only === 'unit';
const runHost = !opts.only || opts.only === 'integration';
const runE2e = !opts.only || opts.only === 'integration' || opts.only === 'e2e';
const runTypecheck = opts.typecheck && !opts.only;

const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];
const timings = [];
const screenshots = [];

function phase(name) {
  console.log(`\n━━ ${name} ${'━'.repeat(Math.max(3, 70 - name.length))}`);
  const started = Date.now();
  return () => timings.push([name, Date.now() - started]);
}

/** A step that is not a test (type check, build, server start) counts as one failure when it fails. */
function stepFailed(what, detail) {
  totals.failed++;
  failures.push(what);
  console.log(`✖ ${what}${detail ? `\n${detail}` : ''}`);
}

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');

// ---------------------------------------------------------------------------------------------------------------
// Type check, build

// One tsc pass both type-checks everything and emits it to build/ (tsconfig's outDir), where the unit tests
// expect their compiled selves and the compiled worker scripts.
const compileDir = join(repoRoot, 'build');
let compiled = false;
if (runTypecheck || runUnit) {
  const done = phase(runTypecheck ? 'type check (tsc)' : 'compile (tsc)');
  const r = await run(process.execPath, [tsc, '-p', '.'], { capture: true, timeoutMs: 10 * 60_000 });
  compiled = existsSync(compileDir);
  const errors = (r.stdout + r.stderr).trim().split('\n').slice(0, 60).join('\n');
  if (r.code === 0) console.log('✔ no type errors');
  else if (runTypecheck) stepFailed('type check', errors);
  else console.log(`! tsc reported type errors (files were still emitted; run \`npm run typecheck\`):\n${errors}`);
  done();
}

let built = true;
{
  const done = phase('build (scripts/build.mjs)');
  if (opts.vsix === true && (runHost || runE2e)) {
    // `npm run package` does a production build (no test bundle); the development build below restores out/.
    const r = await run('npm', ['run', 'package', '--silent'], { capture: true, timeoutMs: 10 * 60_000 });
    if (r.code !== 0) stepFailed('npm run package', (r.stdout + r.stderr).trim().split('\n').slice(-40).join('\n'));
    else opts.vsix = join(repoRoot, 'cloudtrail-lens.vsix');
  }
  const r = await run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { capture: true, timeoutMs: 10 * 60_000 });
  if (r.code === 0) console.log('✔ bundles in out/');
  else {
    built = false;
    stepFailed('build', (r.stdout + r.stderr).trim().split('\n').slice(0, 60).join('\n'));
  }
  done();
}

// ---------------------------------------------------------------------------------------------------------------
// moto for the AWS tests: python3 with moto, else a venv under test/ with moto installed, else the AWS tests are
// skipped with the reason (see test/harness/moto.mjs). The answer goes into process.env for every child.

if (runUnit || runHost || runE2e) {
  const { resolveMotoPython } = await import('./harness/moto.mjs');
  const moto = resolveMotoPython({ repoRoot, log: (m) => console.log(`  [moto] ${m}`) });
  if ('skip' in moto) console.log(`! AWS tests will be skipped: ${moto.skip}`);
}

// ---------------------------------------------------------------------------------------------------------------
// Unit tests: node:test runs the compiled test/unit/**/*.test.ts

// Tests named *.server.test.ts, *.process.test.ts or *.worker.test.ts start local servers (moto, the LookupEvents
// server), child processes or worker threads: they run as a second tier after the plain unit tests.
const COMPONENT = /\.(server|process|worker)\.test\.js$/;

if (runUnit) {
  const all = (compiled ? unitTestFiles() : []).filter((f) => opts.files.length === 0 || opts.files.some((s) => f.includes(s)));
  await nodeTestPhase('unit tests (node --test)', 'unit', all.filter((f) => !COMPONENT.test(f)));
  await nodeTestPhase('component tests (local servers, child processes, workers; node --test)', 'component', all.filter((f) => COMPONENT.test(f)));
}

async function nodeTestPhase(title, label, files) {
  const done = phase(title);
  if (files.length === 0) console.log(`(no ${label} test files)`);
  else {
    const tapDir = tempDir(label);
    onExit(() => removeDir(tapDir));
    const tap = join(tapDir, `${label}.tap`);
    const args = ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`];
    if (opts.grep) args.push(`--test-name-pattern=${opts.grep}`);
    const r = await run(process.execPath, [...args, ...files], { env: cleanEnv(), timeoutMs: 15 * 60_000 });
    const summary = parseTap(existsSync(tap) ? readFileSync(tap, 'utf8') : '');
    if (!summary) stepFailed(`${label} tests`, `node --test exited with ${r.code} and wrote no summary${r.timedOut ? ' (timed out)' : ''}`);
    else {
      totals.passed += summary.pass;
      totals.failed += summary.fail + summary.cancelled;
      totals.skipped += summary.skipped + summary.todo;
      if (summary.fail + summary.cancelled > 0) failures.push(`${summary.fail + summary.cancelled} ${label} test(s)`);
      else if (r.code !== 0) stepFailed(`${label} tests`, `node --test exited with ${r.code}`);
      console.log(`${label}: ${summary.pass} passed, ${summary.fail + summary.cancelled} failed, ${summary.skipped + summary.todo} skipped`);
    }
  }
  done();
}

function unitTestFiles() {
  // Only compiled tests whose source still exists (build/ may hold leftovers of deleted or renamed files).
  const out = [];
  const walk = (src) => {
    if (!existsSync(src)) return;
    for (const e of readdirSync(src, { withFileTypes: true })) {
      const p = join(src, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts')) {
        const js = join(compileDir, relative(repoRoot, p)).replace(/\.ts$/, '.js');
        if (existsSync(js)) out.push(js);
        else console.log(`! ${relative(repoRoot, p)} was not compiled (see type errors)`);
      }
    }
  };
  walk(join(repoRoot, 'test', 'unit'));
  return out.sort();
}

function parseTap(text) {
  const n = (k) => Number((text.match(new RegExp(`^# ${k} (\\d+)`, 'm')) ?? [])[1] ?? NaN);
  const s = { pass: n('pass'), fail: n('fail'), cancelled: n('cancelled'), skipped: n('skipped'), todo: n('todo') };
  return Number.isNaN(s.pass) ? undefined : s;
}

// ---------------------------------------------------------------------------------------------------------------
// Integration (in-host mocha) and e2e (Playwright) against one server

if ((runHost || runE2e) && built) {
  await runVsCodePhases();
}

async function runVsCodePhases() {
  const { ensureVsCodeServer, ensureSystemPackages } = await import('./harness/install.mjs');
  const { startServer, installExtension } = await import('./harness/server.mjs');
  const { launchBrowser } = await import('./harness/browser.mjs');
  const { createTestWorkspace } = await import('./harness/workspace.mjs');
  const { runInHostTests } = await import('./harness/integration.mjs');
  const { runE2E } = await import('./harness/e2e.mjs');

  let done = phase('VS Code server (code-server from npm) + Chromium');
  try {
    await ensureVsCodeServer();
  } catch (err) {
    stepFailed('installing code-server', err.message);
    done();
    return;
  }
  if (!(await ensureSystemPackages(['browser']))) {
    stepFailed('Chromium is missing (see above)');
    done();
    return;
  }
  mkdirSync(artifactsDir, { recursive: true });
  const dataDir = tempDir('run');
  const workspace = createTestWorkspace();
  onExit(() => removeDir(dataDir));
  onExit(() => removeDir(workspace));
  const resultsFile = join(dataDir, 'results.jsonl');
  const serverLog = join(artifactsDir, 'server.log');
  const consoleLog = join(artifactsDir, 'browser-console.log');
  writeFileSync(serverLog, '');
  writeFileSync(consoleLog, '');
  const onConsole = (type, text) => appendFileSync(consoleLog, `[${type}] ${text}\n`);

  const env = {
    CLOUDTRAIL_LENS_TEST_RESULTS: resultsFile,
    CLOUDTRAIL_LENS_TEST_COMMANDS: '1', // registers the test hooks (src/common/commands.ts TEST_COMMANDS)
    CLOUDTRAIL_LENS_TEST_WORKSPACE: workspace,
    CLOUDTRAIL_LENS_CORPUS: corpusDir,
    CLOUDTRAIL_LENS_REPO: repoRoot,
    CLOUDTRAIL_LENS_ARTIFACTS: artifactsDir,
    ...(opts.grep ? { CLOUDTRAIL_LENS_TEST_GREP: opts.grep } : {}),
    ...(opts.files.length ? { CLOUDTRAIL_LENS_TEST_FILES: opts.files.join(',') } : {}),
  };

  // Global set-up hooks: test/integration/setup/*.mjs export `setup(ctx)` → { env?, teardown? }.
  const teardowns = [];
  const setupDir = join(repoRoot, 'test', 'integration', 'setup');
  if (existsSync(setupDir)) {
    for (const f of readdirSync(setupDir).filter((f) => f.endsWith('.mjs')).sort()) {
      const started = Date.now();
      try {
        const mod = await import(pathToFileURL(join(setupDir, f)).href);
        const ctx = { repoRoot, corpusDir, workspace, tempDir: dataDir, env: { ...env }, log: (...a) => console.log(`  [${f}]`, ...a) };
        const res = (await withTimeout(Promise.resolve(mod.setup(ctx)), 180_000, `set-up hook ${f}`)) ?? {};
        Object.assign(env, res.env ?? {});
        if (res.teardown) teardowns.push([f, res.teardown]);
        console.log(`✔ set-up ${f} (${fmtSeconds(Date.now() - started)})`);
      } catch (err) {
        stepFailed(`set-up hook test/integration/setup/${f}`, String(err.stack ?? err));
      }
    }
  }

  let server;
  let context;
  try {
    const extensionsDir = join(dataDir, 'extensions');
    const userDataDir = join(dataDir, 'user-data');
    let extensionPath = repoRoot;
    if (opts.vsix) {
      extensionPath = await installExtension({ extensionsDir, userDataDir, vsix: opts.vsix });
    } else {
      await installExtension({ extensionsDir, userDataDir });
    }
    env.CLOUDTRAIL_LENS_EXTENSION_PATH = extensionPath; // activation.test.ts checks the host loaded this copy
    server = await startServer({
      route: 'vscode',
      dataDir,
      extensionsDir,
      env,
      onOutput: (s) => appendFileSync(serverLog, s),
    });
    context = await launchBrowser({ dataDir });
    done();

    if (runHost) {
      done = phase(`integration tests in VS Code${opts.vsix ? ` (installed VSIX ${relative(repoRoot, opts.vsix)})` : ''}`);
      const screenshot = async (page, name) => {
        mkdirSync(screenshotsDir, { recursive: true });
        const p = join(screenshotsDir, `${name}.png`);
        await page.screenshot({ path: p, timeout: 10_000 });
        screenshots.push(p);
      };
      const r = await runInHostTests({ server, context, workspace, resultsFile, extensionPath, onConsole, screenshot });
      for (const p of r.problems) console.log(`✖ ${p}`);
      totals.passed += r.passed;
      totals.failed += r.failed;
      totals.skipped += r.pending;
      if (r.failed) failures.push(`${r.failed} integration test(s)`);
      if (r.passed + r.failed + r.pending === 0) console.log('(no integration tests matched)');
      console.log(`integration: ${r.passed} passed, ${r.failed} failed, ${r.pending} skipped`);
      done();
    }

    if (runE2e) {
      done = phase('e2e checks (Playwright → workbench)');
      const r = await runE2E({ buildDir: join(dataDir, 'e2e-build'), server, context, workspace, fileFilter: opts.files, grep: opts.grep, onConsole, env });
      totals.passed += r.passed;
      totals.failed += r.failed;
      totals.skipped += r.skipped;
      if (r.failed) failures.push(`${r.failed} e2e check(s)`);
      if (r.passed + r.failed + r.skipped === 0) console.log('(no e2e checks matched)');
      screenshots.push(...(r.screenshots ?? []));
      console.log(`e2e: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
      done();
    }
  } catch (err) {
    stepFailed('running VS Code', String(err.stack ?? err));
    console.log(`  server log: ${relative(repoRoot, serverLog)}`);
    done();
  } finally {
    await context?.close().catch(() => {});
    await server?.stop();
    for (const [f, teardown] of teardowns.reverse()) {
      await withTimeout(Promise.resolve().then(teardown), 60_000, `teardown of ${f}`).catch((err) => console.log(`! teardown ${f}: ${err.message}`));
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Summary

console.log('\n━━ summary ' + '━'.repeat(62));
for (const [name, ms] of timings) console.log(`  ${fmtSeconds(ms).padStart(8)}  ${name}`);
if (screenshots.length) {
  console.log('screenshots:');
  for (const p of [...new Set(screenshots)].sort()) console.log(`  ${relative(repoRoot, p)}`);
}
// CI can never go green by skipping: under CI=true every skipped test fails the run.
const { runVerdict } = await import('./harness/moto.mjs');
const verdict = runVerdict(totals);
if (verdict.reason) failures.push(verdict.reason);
totals.failed = verdict.failed;
if (failures.length) console.log(`failed: ${failures.join('; ')}`);
console.log(verdict.line);
if (process.env.CLOUDTRAIL_LENS_MOTO_SKIP) console.log(`skipped AWS tests: ${process.env.CLOUDTRAIL_LENS_MOTO_SKIP}`);
process.exitCode = totals.failed > 0 || (totals.passed === 0 && !opts.grep && opts.files.length === 0) ? 1 : 0;
// Exit explicitly: a stray handle (a browser pipe, a timer in a set-up hook) must not keep CI waiting.
process.exit();
