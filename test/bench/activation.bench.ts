/**
 * Extension bundle size and load time: what splitting the query feature out of the extension bundle saves at
 * activation. Two production bundles are built with esbuild in the same run:
 *
 *   split     src/extension.ts as shipped (the query feature is out/query.js, required on first use)
 *   inlined   src/extension.ts plus src/query/feature.ts in one bundle (how the query code used to be shipped)
 *
 * and each is required in RUNS fresh Node processes (`require` = read, compile and evaluate the bundle: the part of
 * activation that grows with bundle size). `vscode` is not available outside VS Code, so a stub module that answers
 * every property access stands in for it (a stub only: nothing runs against it at require time). Prints sizes,
 * medians and the ratio split/inlined. No assertions on time. Env: ACTIVATION_BENCH_RUNS (15).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { repoRoot } from '../support/paths';

const RUNS = Number(process.env.ACTIVATION_BENCH_RUNS ?? 15);

// Runs in a child process: a `vscode` stub, then times require() of the bundle given as argv[1].
const probe = `
const Module = require('node:module');
const stub = new Proxy(function () {}, { get: (t, k) => (k === '__esModule' ? false : stub), apply: () => stub, construct: () => stub });
const resolve = Module._resolveFilename;
Module._resolveFilename = function (req, ...rest) { return req === 'vscode' ? 'vscode' : resolve.call(this, req, ...rest); };
// The bundle copies the module's own properties (esbuild's ESM interop): name every dotted identifier it uses.
const names = new Set(require('node:fs').readFileSync(process.argv[1], 'utf8').match(/(?<=\\.)[A-Za-z_$][\\w$]*/g));
const api = {};
for (const n of names) api[n] = stub;
require.cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: api };
const t0 = process.hrtime.bigint();
require(process.argv[1]);
process.stdout.write(String(Number(process.hrtime.bigint() - t0) / 1e6));
`;

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require('esbuild') as typeof import('esbuild');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-activation-bench-'));
  try {
    const common = {
      bundle: true, minify: true, platform: 'node' as const, target: 'node20', format: 'cjs' as const, absWorkingDir: repoRoot,
      mainFields: ['module', 'main'], external: ['vscode', '@duckdb/node-api', '@aws-sdk/*', '@smithy/*'], logLevel: 'error' as const,
    };
    const split = path.join(tmp, 'split.js');
    const inlined = path.join(tmp, 'inlined.js');
    await esbuild.build({ ...common, entryPoints: ['src/extension.ts'], outfile: split });
    await esbuild.build({
      ...common,
      stdin: { contents: "module.exports = require('./src/extension'); require('./src/query/feature');", resolveDir: repoRoot, loader: 'js' },
      outfile: inlined,
    });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const times: Record<string, number[]> = { split: [], inlined: [] };
    for (let i = 0; i < RUNS; i++) {
      // Alternate, so load on the machine affects both alike.
      for (const [name, file] of [['split', split], ['inlined', inlined]] as const) {
        times[name].push(Number(execFileSync(process.execPath, ['-e', probe, file], { encoding: 'utf8' })));
      }
    }
    const kb = (f: string) => (fs.statSync(f).size / 1024).toFixed(1);
    console.log(`activation bench: extension bundle, production build, ${RUNS} fresh processes each`);
    console.log(`  split    (shipped)      ${kb(split).padStart(8)} KB   require median ${median(times.split).toFixed(1)} ms`);
    console.log(`  inlined  (query inside) ${kb(inlined).padStart(8)} KB   require median ${median(times.inlined).toFixed(1)} ms`);
    console.log(`  ratio split/inlined: size ${(fs.statSync(split).size / fs.statSync(inlined).size).toFixed(3)}, require time ${(median(times.split) / median(times.inlined)).toFixed(3)}`);
    const shipped = path.join(repoRoot, 'out', 'extension.js');
    const query = path.join(repoRoot, 'out', 'query.js');
    if (fs.existsSync(shipped) && fs.existsSync(query)) console.log(`  out/ (last build): extension.js ${kb(shipped)} KB, query.js ${kb(query)} KB`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
