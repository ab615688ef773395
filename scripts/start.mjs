#!/usr/bin/env node
// `npm start`: build the extension, make the sample workspace, and serve a browser VS Code (code-server, installed
// into test/vscode-server on first use) on 127.0.0.1 with CloudTrail Lens loaded. Runs until Ctrl+C.
//
//   node scripts/start.mjs [--port N] [--folder DIR] [--vsix [FILE]] [--no-build]
//
// The extension is loaded from this checkout through a symlink in the server's extensions folder, so
// `npm run watch` in another terminal plus "Developer: Reload Window" in the browser picks up changes.
// --vsix installs the packaged extension instead (built with `npm run package` unless FILE is given).
// State (settings, installed extensions) persists in .vscode-test/start/.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import {
  corpusDir, fmtSeconds, freePort, installSignalHandlers, repoRoot, run,
} from '../test/harness/common.mjs';
import { ensureVsCodeServer } from '../test/harness/install.mjs';
import { installExtension, startServer, workbenchUrl } from '../test/harness/server.mjs';

function parseArgs(argv) {
  const o = { port: process.env.PORT ? Number(process.env.PORT) : undefined, folder: undefined, vsix: undefined, build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--port') o.port = Number(argv[++i]);
    else if (a === '--folder') o.folder = resolve(argv[++i]);
    else if (a === '--vsix') o.vsix = argv[i + 1] && !argv[i + 1].startsWith('--') ? resolve(argv[++i]) : true;
    else if (a === '--no-build') o.build = false;
    else {
      console.error(`unknown argument: ${a}\nusage: npm start -- [--port N] [--folder DIR] [--vsix [FILE]] [--no-build]`);
      process.exit(2);
    }
  }
  if (o.port !== undefined && !(Number.isInteger(o.port) && o.port > 0 && o.port < 65536)) {
    console.error('--port needs a port number');
    process.exit(2);
  }
  return o;
}

async function step(what, fn) {
  const started = Date.now();
  process.stdout.write(`• ${what}… `);
  const r = await fn();
  console.log(`done (${fmtSeconds(Date.now() - started)})`);
  return r;
}

function fail(message) {
  console.error(`\n✖ ${message}`);
  process.exit(1);
}

/** The sample workspace: scripts/sample-workspace.mjs when present, else a few corpus files copied as they are. */
async function sampleWorkspace() {
  const dir = join(repoRoot, 'sample-workspace');
  const generator = join(repoRoot, 'scripts', 'sample-workspace.mjs');
  if (existsSync(generator)) {
    const r = await run(process.execPath, [generator, '--quiet'], { capture: true, timeoutMs: 5 * 60_000 });
    if (r.code !== 0) fail(`scripts/sample-workspace.mjs failed (exit ${r.code}):\n${r.stderr || r.stdout}`);
    return dir;
  }
  const docs = join(corpusDir, 'awsdocs-examples');
  mkdirSync(join(dir, 'examples'), { recursive: true });
  if (existsSync(docs)) {
    for (const f of readdirSync(docs).filter((f) => f.includes('log-file-examples'))) cpSync(join(docs, f), join(dir, 'examples', f));
  }
  return dir;
}

const opts = parseArgs(process.argv.slice(2));
installSignalHandlers();

if (opts.vsix === true) {
  await step('packaging the extension (npm run package)', async () => {
    const r = await run('npm', ['run', 'package', '--silent'], { capture: true, timeoutMs: 10 * 60_000 });
    if (r.code !== 0) fail(`npm run package failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
  });
  opts.vsix = join(repoRoot, 'cloudtrail-lens.vsix');
}
if (opts.build) {
  await step('building the extension (scripts/build.mjs)', async () => {
    const r = await run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { capture: true, timeoutMs: 10 * 60_000 });
    if (r.code !== 0) fail(`the build failed:\n${r.stdout}${r.stderr}`);
  });
}
const folder = opts.folder ?? (await step('preparing sample-workspace/', sampleWorkspace));

try {
  await ensureVsCodeServer();
} catch (err) {
  fail(err.message);
}

const dataDir = join(repoRoot, '.vscode-test', 'start');
const extensionsDir = join(dataDir, 'extensions');
mkdirSync(dataDir, { recursive: true });
// A previous --vsix run leaves an installed copy; remove every version of ours before linking or installing.
for (const e of existsSync(extensionsDir) ? readdirSync(extensionsDir) : []) {
  if (e.startsWith('cloudtrail-lens.cloudtrail-lens-')) {
    const { rmSync } = await import('node:fs');
    rmSync(join(extensionsDir, e), { recursive: true, force: true });
  }
}
await installExtension({ extensionsDir, userDataDir: join(dataDir, 'user-data'), vsix: opts.vsix === true ? undefined : opts.vsix, log: () => {} });

let port = opts.port;
if (port === undefined) {
  // A stable address is nicer to bookmark; fall back to any free port when 8080 is taken.
  port = (await isFree(8080)) ? 8080 : await freePort();
}
const server = await startServer({
  route: 'code-server',
  port,
  dataDir,
  extensionsDir,
  folder,
  smokeTestDriver: false,
  log: () => {},
}).catch((err) => fail(err.message));

const url = workbenchUrl(server, { folder });
console.log(`\nCloudTrail Lens is running in VS Code at:\n\n    ${url}\n`);
console.log(`Workspace: ${folder}`);
console.log(`Extension: ${opts.vsix ? opts.vsix : `${repoRoot} (run \`npm run watch\` and "Developer: Reload Window" to pick up changes)`}`);
console.log('Press Ctrl+C to stop.\n');

const [code, signal] = await once(server.child, 'exit');
console.error(`code-server stopped (${code ?? signal}). Last output:\n${server.output().slice(-2000)}`);
process.exit(1);

async function isFree(p) {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(p, '127.0.0.1', () => s.close(() => res(true)));
  });
}
