// Shared bits of the test harness and `npm start`: paths, a clean child environment, process-group handling,
// free ports and waits that always end. Plain Node ESM so it runs before anything is built.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The test corpus lives in the repository (test/corpus, see its SOURCES.md for origin and licence of each file).
export const corpusDir = join(repoRoot, 'test', 'corpus');
export const artifactsDir = join(repoRoot, 'test', '.artifacts');
export const screenshotsDir = join(artifactsDir, 'screenshots');
export const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
export const extensionId = `${manifest.publisher}.${manifest.name}`;

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Environment for child processes: ours minus the variables npm sets for the running script. The nested
 * code-server install reads the Node version from npm_config_user_agent, and the outer npm_package_* /
 * npm_lifecycle_* values would only confuse the children.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^npm_(config_user_agent|package_|lifecycle_|node_execpath|execpath|command)/i.test(k)) continue;
    if (k === 'INIT_CWD' || k === 'NODE' || k === 'NODE_OPTIONS') continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

/** A temporary directory removed by `cleanup()` (and on process exit by the caller's cleanups). */
export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), `ctlens-${prefix}-`));
}

export function removeDir(dir) {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    // Best effort: a leftover temp folder is not worth failing a run for.
  }
}

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor(what, probe, { timeoutMs = 30_000, intervalMs = 200 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      lastError = err;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ''}`);
}

/** Rejects after `ms` with a message naming `what`; the timer never keeps the process alive. */
export function withTimeout(promise, ms, what) {
  let timer;
  const t = new Promise((_, rej) => {
    timer = setTimeout(() => rej(new Error(`timed out after ${Math.round(ms / 1000)} s: ${what}`)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, t]).finally(() => clearTimeout(timer));
}

/**
 * Runs a command to completion, streaming or capturing its output. Resolves with { code, stdout, stderr };
 * never rejects on a non-zero exit (the caller decides). A timeout kills the whole process group.
 */
export function run(cmd, args, { cwd = repoRoot, env = cleanEnv(), capture = false, timeoutMs = 0, onLine } = {}) {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd, env, detached: true, stdio: ['ignore', capture || onLine ? 'pipe' : 'inherit', capture || onLine ? 'pipe' : 'inherit'] });
    trackChild(child);
    let stdout = '';
    let stderr = '';
    const partial = { out: '', err: '' };
    const feed = (which) => (buf) => {
      const s = buf.toString();
      if (which === 'out') stdout += s;
      else stderr += s;
      if (!onLine) return;
      const lines = (partial[which] + s).split('\n');
      partial[which] = lines.pop();
      for (const line of lines) onLine(line, which);
    };
    const flush = () => {
      for (const which of ['out', 'err']) if (onLine && partial[which]) onLine(partial[which], which);
    };
    child.stdout?.on('data', feed('out'));
    child.stderr?.on('data', feed('err'));
    let timer;
    let timedOut = false;
    if (timeoutMs) {
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child);
      }, timeoutMs);
    }
    child.on('error', (err) => {
      clearTimeout(timer);
      res({ code: 127, stdout, stderr: stderr + String(err), timedOut });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      flush();
      untrackChild(child);
      res({ code: code ?? (signal ? 128 : 1), stdout, stderr, timedOut });
    });
  });
}

// Every detached child we start, so Ctrl+C or a crash still stops their process groups.
const children = new Set();
export function trackChild(child) {
  children.add(child);
}
export function untrackChild(child) {
  children.delete(child);
}

/** SIGTERM the child's process group, then SIGKILL whatever is left after `graceMs`. */
export async function killGroup(child, graceMs = 3000) {
  if (!child || child.pid === undefined) return;
  const alive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    untrackChild(child);
    return;
  }
  const deadline = Date.now() + graceMs;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  untrackChild(child);
}

function killAllNow() {
  for (const child of children) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
}

const exitHooks = [];
/** Registers a synchronous last-resort cleanup (temp dirs) run on exit and on Ctrl+C. */
export function onExit(fn) {
  exitHooks.push(fn);
}
let hooked = false;
export function installSignalHandlers() {
  if (hooked) return;
  hooked = true;
  process.on('exit', () => {
    killAllNow();
    for (const fn of exitHooks.splice(0)) {
      try {
        fn();
      } catch {
        // keep going
      }
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      process.stderr.write(`\n${sig}: stopping child processes…\n`);
      process.exit(130);
    });
  }
}

export function fmtSeconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}
