// Runs the mocha suite (out/test/index.js) inside the real extension host: opens the workbench with a `payload`
// naming the extension under development and the tests, then follows the JSON-lines results file that
// test/integration/index.ts writes. Ends on the suite's 'end' record, on the extension host's exit, on a crash of
// the page, or on a timeout — never waits forever.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, sleep } from './common.mjs';
import { openWorkbench } from './browser.mjs';
import { remoteUri, workbenchUrl } from './server.mjs';

const mark = { pass: '✔', fail: '✖', pending: '-' };

/**
 * @returns {Promise<{passed:number, failed:number, pending:number, results:object[], problems:string[]}>}
 */
export async function runInHostTests({ server, context, workspace, resultsFile, extensionPath = repoRoot, log = console.log,
  totalTimeoutMs = 20 * 60_000, idleTimeoutMs = 180_000, onConsole, screenshot }) {
  const payload = [
    ['extensionDevelopmentPath', remoteUri(server, extensionPath)],
    ['extensionTestsPath', remoteUri(server, join(repoRoot, 'out', 'test', 'index'))],
  ];
  let exitCode;
  const problems = [];
  const page = await openWorkbench(context, workbenchUrl(server, { folder: workspace, payload }), {
    onConsole,
    beforeGoto: async (p) => {
      await p.exposeFunction('codeAutomationLog', (level, args) => onConsole?.(`exthost:${level}`, Array.isArray(args) ? args.join(' ') : String(args)));
      await p.exposeFunction('codeAutomationExit', (code) => {
        exitCode = code;
      });
    },
  });
  page.on('crash', () => problems.push('the workbench page crashed'));

  const results = [];
  let seen = 0;
  let ended = false;
  let lastProgress = Date.now();
  const started = Date.now();
  const readNew = () => {
    if (!existsSync(resultsFile)) return;
    const lines = readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean);
    for (const line of lines.slice(seen)) {
      seen++;
      lastProgress = Date.now();
      let e;
      try {
        e = JSON.parse(line);
      } catch {
        continue; // a line still being written; a later read sees it whole
      }
      if (e.type === 'start') log(`  running ${e.total} test(s) from ${e.files.length} file(s) in the extension host`);
      else if (e.type === 'end') ended = true;
      else {
        results.push(e);
        log(`  ${mark[e.type]} ${e.fullTitle}${e.duration ? ` (${e.duration} ms)` : ''}`);
        if (e.type === 'fail') log(indent(e.error ?? '', 6));
      }
    }
  };
  while (!ended) {
    readNew();
    if (ended) break;
    if (exitCode !== undefined) {
      await sleep(500); // the last lines may land just after the exit notice
      readNew();
      if (!ended) problems.push(`the extension host exited (code ${exitCode}) before the suite finished`);
      break;
    }
    if (problems.length) break;
    if (Date.now() - started > totalTimeoutMs) {
      problems.push(`the suite did not finish within ${totalTimeoutMs / 1000} s`);
      break;
    }
    if (Date.now() - lastProgress > idleTimeoutMs) {
      problems.push(`no test finished for ${idleTimeoutMs / 1000} s (the extension host may not have started, or a test hangs without a timeout)`);
      break;
    }
    await sleep(250);
  }
  if (problems.length && screenshot) await screenshot(page, 'integration-problem').catch(() => {});
  await page.close().catch(() => {});
  const count = (t) => results.filter((r) => r.type === t).length;
  return { passed: count('pass'), failed: count('fail') + problems.length, pending: count('pending'), results, problems };
}

function indent(text, n) {
  const pad = ' '.repeat(n);
  return text.split('\n').slice(0, 25).map((l) => pad + l).join('\n');
}
