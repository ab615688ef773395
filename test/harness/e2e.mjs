// Runs the Playwright-side checks, test/e2e/*.e2e.ts, against the workbench in Chromium. Each file is bundled with
// esbuild (playwright-core stays external) and gets its own fresh workbench page; its tests run in order.
// Registration and helpers are in test/e2e/util.ts.
import { mkdirSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { artifactsDir, repoRoot, screenshotsDir, tempDir, removeDir, withTimeout, fmtSeconds } from './common.mjs';
import { openWorkbench } from './browser.mjs';
import { workbenchUrl } from './server.mjs';
import { createTestWorkspace } from './workspace.mjs';

const e2eDir = join(repoRoot, 'test', 'e2e');

export function listE2EFiles(filter = []) {
  if (!existsSync(e2eDir)) return [];
  return readdirSync(e2eDir)
    .filter((f) => f.endsWith('.e2e.ts'))
    .sort()
    .map((f) => `test/e2e/${f}`)
    .filter((f) => filter.length === 0 || filter.some((s) => f.includes(s)));
}

async function bundle(files, outdir) {
  const esbuild = await import('esbuild');
  mkdirSync(outdir, { recursive: true });
  const entryPoints = Object.fromEntries(files.map((f) => [f.replace(/^test\/e2e\//, '').replace(/\.ts$/, ''), f]));
  await esbuild.build({
    entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    absWorkingDir: repoRoot,
    external: ['playwright-core', 'esbuild'],
    logLevel: 'error',
    outExtension: { '.js': '.cjs' },
  });
  return files.map((f) => ({ file: f, bundle: join(outdir, f.replace(/^test\/e2e\//, '').replace(/\.ts$/, '.cjs')) }));
}

/**
 * @returns {Promise<{passed:number, failed:number, skipped:number, results:object[]}>}
 */
export async function runE2E({ buildDir, server, context, fileFilter = [], grep, log = console.log, onConsole, env = {} }) {
  const files = listE2EFiles(fileFilter);
  const results = [];
  globalThis.__cloudtrailLensScreenshots = [];
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0, results, screenshots: [] };
  let bundles;
  try {
    bundles = await bundle(files, buildDir ?? join(artifactsDir, 'e2e-build'));
  } catch (err) {
    log(`  ✖ bundling the e2e checks failed: ${err.message}`);
    return { passed: 0, failed: 1, skipped: 0, results: [{ type: 'fail', fullTitle: 'bundle e2e checks', error: err.message }] };
  }
  const require = createRequire(import.meta.url);
  for (const { file, bundle: js } of bundles) {
    globalThis.__cloudtrailLensE2E = [];
    let mod;
    try {
      mod = require(js);
    } catch (err) {
      results.push({ type: 'fail', fullTitle: `load ${file}`, error: err.stack ?? String(err) });
      log(`  ✖ load ${file}\n${err.stack ?? err}`);
      continue;
    }
    const tests = globalThis.__cloudtrailLensE2E.filter((t) => !grep || new RegExp(grep).test(`${file} ${t.name}`));
    if (tests.length === 0) continue;
    const opts = mod.e2eOptions ?? {};
    // A fresh folder per file: workspace state (webview state, mementos) from the in-host tests or an earlier
    // file must not leak into this one; VS Code keys that state by folder.
    const folder = opts.emptyWorkspace ? tempDir('empty-ws') : createTestWorkspace();
    let page;
    try {
      page = await openWorkbench(context, workbenchUrl(server, { folder }), { onConsole });
    } catch (err) {
      for (const t of tests) results.push({ type: 'fail', fullTitle: `${file} › ${t.name}`, error: `workbench did not open: ${err.message}` });
      log(`  ✖ ${file}: the workbench did not open: ${err.message}`);
      removeDir(folder);
      continue;
    }
    for (const t of tests) {
      const fullTitle = `${file} › ${t.name}`;
      if (t.skip) {
        results.push({ type: 'pending', fullTitle });
        log(`  - ${fullTitle} (skipped)`);
        continue;
      }
      const started = Date.now();
      try {
        const ctx = { page, workspace: folder, serverUrl: server.url, log, env: { ...process.env, ...env } };
        await withTimeout(Promise.resolve().then(() => t.fn(ctx)), t.timeout ?? 90_000, fullTitle);
        results.push({ type: 'pass', fullTitle, duration: Date.now() - started });
        log(`  ✔ ${fullTitle} (${fmtSeconds(Date.now() - started)})`);
      } catch (err) {
        const shot = await failureScreenshot(page, `${file.replace(/^test\/e2e\//, '').replace(/\.e2e\.ts$/, '')}--${t.name}`);
        results.push({ type: 'fail', fullTitle, error: err.stack ?? String(err), screenshot: shot });
        log(`  ✖ ${fullTitle}\n${String(err.stack ?? err).split('\n').slice(0, 15).map((l) => '      ' + l).join('\n')}`);
        if (shot) {
          log(`      screenshot: ${shot}`);
          globalThis.__cloudtrailLensScreenshots.push(shot);
        }
      }
    }
    await page.close().catch(() => {});
    removeDir(folder);
  }
  const count = (t) => results.filter((r) => r.type === t).length;
  return { passed: count('pass'), failed: count('fail'), skipped: count('pending'), results, screenshots: globalThis.__cloudtrailLensScreenshots };
}

async function failureScreenshot(page, name) {
  try {
    mkdirSync(screenshotsDir, { recursive: true });
    const file = join(screenshotsDir, `FAILED-${name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120)}.png`);
    await page.screenshot({ path: file, timeout: 10_000 });
    return file;
  } catch {
    return undefined;
  }
}
