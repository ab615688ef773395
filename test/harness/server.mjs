// Starts a real VS Code server (from the code-server npm package) on 127.0.0.1 and stops it with its whole
// process group. Two routes, both with VS Code's own web workbench and Node extension host:
//   - 'vscode':      lib/vscode/out/server-main.js directly (tests: fewer moving parts, ready in ~1 s)
//   - 'code-server': code-server's CLI (npm start: the product people install)
// Tests need `enable-smoke-test-driver`, or the workbench ignores the `payload` that carries extensionTestsPath.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, symlinkSync, existsSync, rmSync, lstatSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, freePort, killGroup, trackChild, waitFor, manifest, extensionId, run, repoRoot } from './common.mjs';
import { node24, codeServerDir, vscodeDir, node24Dir } from './install.mjs';

/** Settings that keep a test or demo workbench quiet and predictable. */
export const quietSettings = {
  'workbench.startupEditor': 'none',
  // Fixed, like desktop VS Code's default; headless Chromium would otherwise make the web client pick light.
  'workbench.colorTheme': 'Default Dark Modern',
  'window.autoDetectColorScheme': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'git.openRepositoryInParentFolders': 'never',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'security.workspace.trust.enabled': false,
  'window.restoreWindows': 'none',
};

function writeSettings(dir, settings) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

/**
 * Puts the extension into `extensionsDir` as `publisher.name-version`: a symlink to the repository (development:
 * `npm run watch` + Reload Window picks up changes), or the contents of a VSIX when `vsix` is given.
 */
export async function installExtension({ extensionsDir, userDataDir, vsix, log = console.log }) {
  mkdirSync(extensionsDir, { recursive: true });
  const folder = join(extensionsDir, `${extensionId}-${manifest.version}`);
  if (vsix) {
    // Let VS Code install it: that exercises the real VSIX (its .vscodeignore, its manifest) end to end.
    const r = await run(node24, [join(vscodeDir, 'out', 'server-main.js'), '--install-extension', vsix, '--force',
      '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--accept-server-license-terms'], { capture: true, timeoutMs: 120_000 });
    if (r.code !== 0 || !existsSync(folder)) throw new Error(`installing ${vsix} failed (exit ${r.code}):\n${r.stdout}${r.stderr}`);
    log(`Installed ${vsix} into ${folder}`);
    return folder;
  }
  try {
    if (lstatSync(folder)) rmSync(folder, { recursive: true, force: true });
  } catch {
    // not there yet
  }
  symlinkSync(repoRoot, folder, 'dir');
  return folder;
}

/**
 * Starts the server. Returns { url, port, child, stop() }. `env` is added to the server's environment, which the
 * extension host inherits (that is how tests receive CLOUDTRAIL_LENS_* variables).
 */
export async function startServer({
  route = 'vscode',
  port,
  env = {},
  dataDir, // a fresh folder: user data, server data, XDG dirs and TMPDIR go below it
  extensionsDir,
  settings = {},
  folder, // code-server route: the folder to open by default
  smokeTestDriver = true,
  log = console.log,
  readyTimeoutMs = 60_000,
  onOutput,
}) {
  port ??= await freePort();
  const userDataDir = join(dataDir, 'user-data');
  const serverDataDir = join(dataDir, 'server-data');
  const tmp = join(dataDir, 'tmp');
  extensionsDir ??= join(dataDir, 'extensions');
  for (const d of [userDataDir, serverDataDir, tmp, extensionsDir]) mkdirSync(d, { recursive: true });
  const allSettings = { ...quietSettings, ...settings };
  // Where a web workbench reads user settings differs between the routes; writing both is cheap.
  writeSettings(join(userDataDir, 'User'), allSettings);
  writeSettings(join(userDataDir, 'data', 'User'), allSettings);
  writeSettings(join(serverDataDir, 'data', 'User'), allSettings);
  writeSettings(join(serverDataDir, 'data', 'Machine'), allSettings);

  const childEnv = cleanEnv({
    ...env,
    TMPDIR: tmp,
    XDG_CONFIG_HOME: join(dataDir, 'xdg-config'),
    XDG_DATA_HOME: join(dataDir, 'xdg-data'),
    XDG_CACHE_HOME: join(dataDir, 'xdg-cache'),
    PATH: `${join(node24Dir, 'bin')}:${process.env.PATH ?? '/usr/bin:/bin'}`,
  });
  delete childEnv.VSCODE_IPC_HOOK_CLI; // we may be inside another VS Code's terminal

  let args;
  let readyPath;
  if (route === 'vscode') {
    args = [join(vscodeDir, 'out', 'server-main.js'), '--host', '127.0.0.1', '--port', String(port),
      '--without-connection-token', '--accept-server-license-terms', '--disable-workspace-trust',
      '--telemetry-level', 'off', '--user-data-dir', userDataDir, '--server-data-dir', serverDataDir,
      '--extensions-dir', extensionsDir, '--disable-update-check'];
    if (smokeTestDriver) args.push('--enable-smoke-test-driver');
    readyPath = '/version';
  } else {
    const config = join(dataDir, 'config.yaml');
    writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
    args = [join(codeServerDir, 'out', 'node', 'entry.js'), '--config', config, '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
      '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
    if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
    if (folder) args.push(folder);
    readyPath = '/healthz';
  }
  const child = spawn(node24, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  trackChild(child);
  let output = '';
  const collect = (buf) => {
    const s = buf.toString();
    output = (output + s).slice(-20_000);
    onOutput?.(s);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`the VS Code server on ${url}${readyPath}`, async () => {
      if (exited) throw new Error(`server exited early (${exited.code ?? exited.signal}):\n${output.slice(-3000)}`);
      const res = await fetch(url + readyPath, { signal: AbortSignal.timeout(2000) });
      return res.ok;
    }, { timeoutMs: readyTimeoutMs });
  } catch (err) {
    await killGroup(child);
    throw new Error(`${err.message}\n--- server output ---\n${output.slice(-3000)}`);
  }
  log?.(`VS Code server (${route}) ready on ${url}`);
  return {
    url,
    port,
    child,
    userDataDir,
    extensionsDir,
    output: () => output,
    stop: () => killGroup(child),
  };
}

/** The workbench URL for `folder`, with an optional `payload` (list of [key, value] pairs). */
export function workbenchUrl(server, { folder, payload } = {}) {
  const query = [];
  // Slashes stay readable in the printed URL; everything else is encoded.
  if (folder) query.push(`folder=${encodeURIComponent(folder).replace(/%2F/g, '/')}`);
  if (payload) query.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return `${server.url}/${query.length ? `?${query.join('&')}` : ''}`;
}

/** A `vscode-remote://` URI for a path on the server, as the payload expects. */
export function remoteUri(server, path) {
  return `vscode-remote://127.0.0.1:${server.port}${path}`;
}
