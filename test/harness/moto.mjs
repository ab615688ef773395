// Finds a Python that can run moto (`python3 -m moto.server`) for the AWS tests, installing it when needed:
//   1. $CLOUDTRAIL_LENS_MOTO_PYTHON (default python3) if `import moto` works;
//   2. else test/.venv-moto/bin/python if it already has moto;
//   3. else create that venv with the same python and `pip install 'moto[server]'` into it;
//   4. else give up with a reason: the AWS tests are then reported as skipped (and under CI=true the run fails).
// The answer is put into process.env (CLOUDTRAIL_LENS_MOTO_RESOLVED = python, or CLOUDTRAIL_LENS_MOTO_SKIP = reason)
// so the unit test processes (test/unit/aws/moto.ts) and the integration set-up hook reuse it without asking again.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const hasMoto = (python) => {
  const r = spawnSync(python, ['-c', 'import moto, flask'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
};

/** @returns {{ python: string } | { skip: string }} */
export function resolveMotoPython({ repoRoot, log = console.log } = {}) {
  if (process.env.CLOUDTRAIL_LENS_MOTO_RESOLVED) return { python: process.env.CLOUDTRAIL_LENS_MOTO_RESOLVED };
  if (process.env.CLOUDTRAIL_LENS_MOTO_SKIP) return { skip: process.env.CLOUDTRAIL_LENS_MOTO_SKIP };
  const result = resolve(repoRoot, log);
  if ('python' in result) process.env.CLOUDTRAIL_LENS_MOTO_RESOLVED = result.python;
  else process.env.CLOUDTRAIL_LENS_MOTO_SKIP = result.skip;
  return result;
}

function resolve(repoRoot, log) {
  const base = process.env.CLOUDTRAIL_LENS_MOTO_PYTHON || 'python3';
  if (hasMoto(base)) return { python: base };
  // CLOUDTRAIL_LENS_MOTO_VENV: another place for the venv (the skip-path tests use a throwaway folder).
  const venv = process.env.CLOUDTRAIL_LENS_MOTO_VENV || join(repoRoot, 'test', '.venv-moto');
  const venvPython = join(venv, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
  if (existsSync(venvPython) && hasMoto(venvPython)) return { python: venvPython };
  log(`moto is not importable by ${base}; installing it into test/.venv-moto (python -m venv + pip install 'moto[server]')…`);
  const mk = spawnSync(base, ['-m', 'venv', venv], { encoding: 'utf8', timeout: 120_000 });
  if (mk.error || mk.status !== 0) {
    return { skip: `moto is not installed for ${base} and \`${base} -m venv\` failed (${oneLine(mk.error?.message ?? mk.stderr)}); install it with \`pip install 'moto[server]'\`` };
  }
  const pip = spawnSync(venvPython, ['-m', 'pip', 'install', '--disable-pip-version-check', '--retries', '1', '--timeout', '20', 'moto[server]'], { encoding: 'utf8', timeout: 10 * 60_000 });
  if (pip.error || pip.status !== 0 || !hasMoto(venvPython)) {
    return { skip: `moto is not installed for ${base} and \`pip install 'moto[server]'\` into test/.venv-moto failed (${oneLine(pip.error?.message ?? pip.stderr)}); install it by hand or give CLOUDTRAIL_LENS_MOTO_PYTHON a python that has it` };
  }
  log(`moto installed into test/.venv-moto`);
  return { python: venvPython };
}

function oneLine(s) {
  const lines = String(s ?? '').trim().split('\n').filter(Boolean);
  return (lines[lines.length - 1] ?? 'no output').slice(0, 300);
}

/**
 * The closing verdict of a run: the summary line and whether the run failed. Under CI=true a skipped test fails
 * the run, so CI can never go green by skipping (this machine kind has moto).
 * @param {{ passed: number, failed: number, skipped: number }} totals
 * @param {Record<string, string | undefined>} env
 */
export function runVerdict(totals, env = process.env) {
  let failed = totals.failed;
  let reason;
  if (env.CI === 'true' && totals.skipped > 0) {
    failed++;
    reason = `${totals.skipped} skipped test(s) under CI=true${env.CLOUDTRAIL_LENS_MOTO_SKIP ? ` (${env.CLOUDTRAIL_LENS_MOTO_SKIP})` : ''}`;
  }
  const line = `${totals.passed} passed, ${failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`;
  return { line, failed, reason };
}
