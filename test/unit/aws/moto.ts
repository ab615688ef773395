/**
 * Starts a real moto server (python3 -m moto.server) for the AWS unit tests, on a free port, and sets the
 * environment so the real AWS SDK talks to it with throwaway credentials.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface Moto {
  url: string;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The python that runs moto, or why there is none. `npm test` (test/run.mjs, via test/harness/moto.mjs) decides
 * once and passes CLOUDTRAIL_LENS_MOTO_RESOLVED / CLOUDTRAIL_LENS_MOTO_SKIP; run directly (node --test), the same
 * steps happen here: $CLOUDTRAIL_LENS_MOTO_PYTHON (default python3) with moto, else test/.venv-moto (created and
 * `pip install 'moto[server]'` when missing), else a skip reason.
 */
function resolveMoto(): { python: string } | { skip: string } {
  if (process.env.CLOUDTRAIL_LENS_MOTO_RESOLVED) return { python: process.env.CLOUDTRAIL_LENS_MOTO_RESOLVED };
  if (process.env.CLOUDTRAIL_LENS_MOTO_SKIP) return { skip: process.env.CLOUDTRAIL_LENS_MOTO_SKIP };
  const has = (py: string) => spawnSync(py, ['-c', 'import moto, flask'], { stdio: 'ignore', timeout: 60_000 }).status === 0;
  const base = process.env.CLOUDTRAIL_LENS_MOTO_PYTHON || 'python3';
  if (has(base)) return { python: base };
  const venv = process.env.CLOUDTRAIL_LENS_MOTO_VENV || path.join(repoRootDir(), 'test', '.venv-moto');
  const py = path.join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  if (fs.existsSync(py) && has(py)) return { python: py };
  const mk = spawnSync(base, ['-m', 'venv', venv], { encoding: 'utf8', timeout: 120_000 });
  if (mk.error || mk.status !== 0) return { skip: `moto is not installed for ${base} and \`${base} -m venv\` failed` };
  const pip = spawnSync(py, ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '1', '--timeout', '20', 'moto[server]'], { encoding: 'utf8', timeout: 600_000 });
  if (pip.error || pip.status !== 0 || !has(py)) return { skip: `moto is not installed for ${base} and \`pip install 'moto[server]'\` into test/.venv-moto failed` };
  return { python: py };
}

function repoRootDir(): string {
  // build/test/unit/aws (compiled) or test/unit/aws (source): walk up to the folder with package.json.
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

const resolved = resolveMoto();
/** Why the moto-backed tests are skipped (undefined: moto is available). Pass as node:test's `skip` option. */
export const motoSkip: string | undefined = 'skip' in resolved ? `no moto: ${resolved.skip}` : undefined;
/** The python to run `-m moto.server` with (python3 unless the resolution above chose another). */
export const motoPython: string = 'python' in resolved ? resolved.python : 'python3';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  if (!('python' in resolved)) throw new Error(`moto is not available: ${resolved.skip}`);
  const child: ChildProcess = spawn(resolved.python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: false,
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto exited (${child.exitCode}): ${stderr}`);
    try {
      const r = await fetch(`${url}/moto-api/data.json`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`moto did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    reset: async () => {
      await fetch(`${url}/moto-api/reset`, { method: 'POST' });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Writes a throwaway AWS config + credentials pair and points the SDK at them; returns the folder. */
export function writeAwsFiles(config: string, credentials: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-aws-'));
  fs.writeFileSync(path.join(dir, 'config'), config);
  fs.writeFileSync(path.join(dir, 'credentials'), credentials);
  return dir;
}

/** Environment for tests: files, no instance-metadata probing, endpoints. Returns a restore function. */
export function useAwsEnv(vars: Record<string, string | undefined>): () => void {
  const saved: Record<string, string | undefined> = {};
  const all: Record<string, string | undefined> = {
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_ACCESS_KEY_ID: undefined,
    AWS_SECRET_ACCESS_KEY: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_REGION: undefined,
    AWS_DEFAULT_REGION: undefined,
    AWS_ENDPOINT_URL: undefined,
    AWS_ENDPOINT_URL_CLOUDTRAIL: undefined,
    AWS_ENDPOINT_URL_S3: undefined,
    ...vars,
  };
  for (const [k, v] of Object.entries(all)) {
    saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

export const STATIC_PROFILE = {
  config: '[default]\nregion = us-east-1\n\n[profile other]\nregion = eu-west-1\n',
  credentials: '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n[other]\naws_access_key_id = AKIAOTHEREXAMPLE0000\naws_secret_access_key = secret\n',
};
