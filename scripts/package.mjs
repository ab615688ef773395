// Builds the VSIX packages.
//
//   node scripts/package.mjs                      universal VSIX (cloudtrail-lens.vsix): no DuckDB binding; local
//                                                 queries then say which platform package to install
//   node scripts/package.mjs --target linux-x64   + the platform VSIX cloudtrail-lens-linux-x64.vsix (repeatable)
//   node scripts/package.mjs --all                + every platform DuckDB ships a binding for (see TARGETS)
//   --no-universal   skip the universal VSIX     --skip-build   package the bundles already in out/
//   --out-dir DIR    where the VSIX files go (default: the repository folder)
//
// A platform VSIX carries @duckdb/node-api, @duckdb/node-bindings and the one @duckdb/node-bindings-<platform> package
// under out/node_modules/, where out/worker-query.js resolves `require('@duckdb/node-api')` from. (vsce's
// --no-dependencies leaves the root node_modules/ out, and the rest of the extension is bundled, so only these are
// shipped.) A binding that is not installed locally (npm installs only the host's) is fetched with
// `npm pack @duckdb/node-bindings-<platform>@<the installed version>` into build/duckdb-bindings/ — the only step
// that needs the npm registry; the universal VSIX and the host's platform VSIX package offline.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** VS Code target → DuckDB binding package (platforms that both VS Code and @duckdb/node-bindings support). */
export const TARGETS = {
  'linux-x64': '@duckdb/node-bindings-linux-x64',
  'linux-arm64': '@duckdb/node-bindings-linux-arm64',
  'alpine-x64': '@duckdb/node-bindings-linux-x64-musl',
  'alpine-arm64': '@duckdb/node-bindings-linux-arm64-musl',
  'darwin-x64': '@duckdb/node-bindings-darwin-x64',
  'darwin-arm64': '@duckdb/node-bindings-darwin-arm64',
  'win32-x64': '@duckdb/node-bindings-win32-x64',
  'win32-arm64': '@duckdb/node-bindings-win32-arm64',
};

/** The VS Code target of this machine (musl Linux is "alpine"). */
export function hostTarget() {
  const musl = process.platform === 'linux' && !process.report?.getReport?.().header?.glibcVersionRuntime;
  return `${musl ? 'alpine' : process.platform}-${process.arch}`;
}

/**
 * What a VSIX carries of DuckDB: for `undefined` (universal) nothing; for a target the three packages, each as
 * [package name, folder under out/node_modules]. Throws for a target DuckDB has no binding for.
 */
export function duckdbPackagesFor(target) {
  if (target === undefined) return [];
  const binding = TARGETS[target];
  if (!binding) throw new Error(`No DuckDB binding for target "${target}". Targets: ${Object.keys(TARGETS).join(', ')}.`);
  return ['@duckdb/node-api', '@duckdb/node-bindings', binding].map((p) => [p, `out/node_modules/${p}`]);
}

/** File name of the VSIX for a target (universal: the name `npm run package` always produced). */
export const vsixName = (target) => (target ? `cloudtrail-lens-${target}.vsix` : 'cloudtrail-lens.vsix');

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8', shell: process.platform === 'win32' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status})${opts.capture ? `:\n${r.stdout}${r.stderr}` : ''}`);
  return r.stdout;
}

const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version;

/** Folder holding the package's files: node_modules/ when installed, else an `npm pack` download (cached). */
function packageFolder(pkg) {
  const local = join(root, 'node_modules', pkg);
  if (existsSync(join(local, 'package.json'))) return local;
  const v = version('@duckdb/node-bindings');
  const cache = join(root, 'build', 'duckdb-bindings', `${pkg.replace('@duckdb/', '')}-${v}`);
  if (!existsSync(join(cache, 'package', 'package.json'))) {
    mkdirSync(cache, { recursive: true });
    console.log(`Fetching ${pkg}@${v} (npm pack)…`);
    const out = sh('npm', ['pack', `${pkg}@${v}`, '--pack-destination', cache, '--json', '--silent'], { capture: true });
    const file = JSON.parse(out)[0].filename.replace(/^@/, '').replace(/\//g, '-');
    sh('tar', ['-xzf', join(cache, file), '-C', cache]);
    rmSync(join(cache, file));
  }
  return join(cache, 'package');
}

function vsce(args) {
  const bin = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  sh(process.execPath, [bin, 'package', '--no-dependencies', ...args]);
}

/** Packages one VSIX (target undefined: universal) from out/ into outDir; returns its path and size. */
export function packageOne(target, outDir) {
  const staged = join(root, 'out', 'node_modules');
  rmSync(staged, { recursive: true, force: true });
  try {
    for (const [pkg, dest] of duckdbPackagesFor(target)) {
      // Type declarations and source maps are for building against DuckDB, not for running it; licences stay.
      cpSync(packageFolder(pkg), join(root, dest), { recursive: true, dereference: true, filter: (src) => !/\.(d\.ts|map)$/.test(src) });
    }
    const file = join(outDir, vsixName(target));
    vsce([...(target ? ['--target', target] : []), '--out', file]);
    return { target: target ?? 'universal', file, bytes: statSync(file).size };
  } finally {
    rmSync(staged, { recursive: true, force: true });
  }
}

async function main() {
  const argv = process.argv.slice(2);
  const targets = [];
  let universal = true;
  let build = true;
  let outDir = root;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--target') targets.push(argv[++i]);
    else if (a === '--all') targets.push(...Object.keys(TARGETS));
    else if (a === '--host') targets.push(hostTarget());
    else if (a === '--no-universal') universal = false;
    else if (a === '--skip-build') build = false;
    else if (a === '--out-dir') outDir = resolve(argv[++i]);
    else throw new Error(`Unknown argument ${a}`);
  }
  for (const t of targets) duckdbPackagesFor(t); // unknown targets fail before building
  mkdirSync(outDir, { recursive: true });
  if (build) {
    rmSync(join(root, 'out'), { recursive: true, force: true });
    sh(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production']);
  }
  const made = [];
  if (universal) made.push(packageOne(undefined, outDir));
  for (const t of [...new Set(targets)]) made.push(packageOne(t, outDir));
  console.log('\nVSIX packages:');
  for (const m of made) console.log(`  ${m.target.padEnd(13)} ${(m.bytes / 1024 / 1024).toFixed(2).padStart(7)} MB  ${m.file}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
}
