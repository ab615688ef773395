/**
 * `cloudtrail-lens validate DIR [--keys FILE] [--start-time T] [--end-time T] [--json] [--offline]`: offline
 * CloudTrail log file integrity validation of a downloaded AWSLogs folder (see src/core/integrity).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyRing, KEYS_FILE, validateFolder, ValidationReport } from '../core/integrity';
import { CliIo, EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE } from './io';
import { WorkerPool } from '../core/pool';

/** The pool's worker script: out/worker-pool.js beside the bundle, or build/src/workers/pool.js beside tsc's output. */
function poolWorkerScript(): string | undefined {
  for (const f of [path.join(__dirname, 'worker-pool.js'), path.join(__dirname, '..', 'workers', 'pool.js')]) if (fs.existsSync(f)) return f;
  return undefined;
}

export const HELP = `Usage: cloudtrail-lens validate DIR [--keys FILE] [--start-time T] [--end-time T] [--json] [--offline]

Proves that CloudTrail log files in a downloaded folder (AWSLogs layout, logs and
CloudTrail-Digest trees, organization trails included) were not modified, deleted
or forged since delivery, using the trail's digest files: log file hashes, the
digest chain, and each digest's RSA signature.

The newest digest's signature lives only in S3 object metadata: save the output of
"aws s3api head-object" for it as <digest file>.metadata.json (the Download Trail
Logs command of the VS Code extension does this). Public keys are read from
public-keys.json at the folder root (output of "aws cloudtrail list-public-keys"),
from --keys, or fetched online with ListPublicKeys when AWS credentials are
configured (then saved as public-keys.json in DIR).

Options:
  --keys FILE        Public keys (list-public-keys output); may be repeated.
  --start-time T     Only digests ending, and log files delivered, at or after T
                     (ISO 8601, e.g. 2026-01-31T00:00:00Z or 2026-01-31).
  --end-time T       ... and at or before T.
  --json             Print one JSON object: {"summary", "chains", "files": [...]}.
  --offline          Never fetch public keys online.
  --help             Show this help.

Output: one line per file, PATH: VERDICT: REASON. Verdicts: valid, modified,
missing, digest-missing, not-listed, moved, signature-invalid,
signature-unchecked, unreadable.

Exit codes: 0 every file in range is valid and every signature in range was
checked, 1 otherwise, 2 usage error.
`;

function parseTime(v: string): Date | undefined {
  const compact = /^(\d{4})(\d{2})(\d{2})T(\d{2}):?(\d{2}):?(\d{2})Z$/.exec(v);
  const d = compact ? new Date(`${compact[1]}-${compact[2]}-${compact[3]}T${compact[4]}:${compact[5]}:${compact[6]}Z`) : new Date(v);
  return isNaN(d.getTime()) ? undefined : d;
}

function hasCredentials(env: NodeJS.ProcessEnv): boolean {
  if (env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE || env.AWS_WEB_IDENTITY_TOKEN_FILE) return true;
  const home = env.HOME ?? env.USERPROFILE;
  return !!home && (fs.existsSync(path.join(home, '.aws', 'credentials')) || fs.existsSync(path.join(home, '.aws', 'config')));
}

export function formatHuman(report: ValidationReport): string {
  const lines = report.files.map((f) => `${f.path}: ${f.verdict}: ${f.reason}`);
  const s = report.summary;
  const counts = Object.entries(s.byVerdict)
    .map(([v, n]) => `${n} ${v}`)
    .join(', ');
  lines.push(
    `${s.files} files (${s.logFiles} log, ${s.digestFiles} digest): ${counts || 'nothing to validate'}; ${s.signaturesChecked} signatures checked, ${s.signaturesUnchecked} not checked`,
  );
  for (const c of report.chains) {
    const parts = c.parts.map((p) => (p.type === 'covered' ? `${p.from}..${p.to} (${p.digests} digests)` : p.type === 'gap' ? `GAP ${p.from}..${p.to} (${p.hours} h)` : `restart after ${p.hours} h`));
    lines.push(`chain ${c.orgId ? c.orgId + '/' : ''}${c.account}/${c.region}/${c.trail}: ${parts.join(' | ')}`);
  }
  return lines.join('\n') + '\n';
}

export async function run(args: string[], io: CliIo): Promise<number> {
  let dir: string | undefined;
  const keyFiles: string[] = [];
  let start: Date | undefined;
  let end: Date | undefined;
  let json = false;
  let offline = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      return v;
    };
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (name === '--help' || name === '-h') {
      io.stdout(HELP);
      return EXIT_OK;
    } else if (name === '--json') json = true;
    else if (name === '--offline') offline = true;
    else if (name === '--keys') {
      const v = value();
      if (!v) return usage(io, '--keys needs a file');
      keyFiles.push(path.resolve(io.cwd, v));
    } else if (name === '--start-time' || name === '--end-time') {
      const v = value();
      const t = v ? parseTime(v) : undefined;
      if (!t) return usage(io, `${name} needs a time like 2026-01-31T12:00:00Z${v ? `, not '${v}'` : ''}`);
      if (name === '--start-time') start = t;
      else end = t;
    } else if (a.startsWith('-') && a !== '-') return usage(io, `unknown option ${a}`);
    else if (dir === undefined) dir = a;
    else return usage(io, `only one folder can be validated at a time (got '${dir}' and '${a}')`);
  }
  if (!dir) return usage(io, 'which folder? Give the folder that holds AWSLogs');
  const root = path.resolve(io.cwd, dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) return usage(io, `${dir} is not a folder`);
  if (start && end && start > end) return usage(io, '--start-time is after --end-time');
  for (const f of keyFiles) if (!fs.existsSync(f)) return usage(io, `--keys ${f}: no such file`);

  const keys = new KeyRing();
  let fetchedAny = false;
  const fetchKeys =
    offline || !hasCredentials(process.env)
      ? undefined
      : async (region: string) => {
          const { createCloudTrailClient } = await import('../core/aws/sdk');
          const { listPublicKeys } = await import('../core/integrity/keys-online');
          const client = await createCloudTrailClient({ region, profile: process.env.AWS_PROFILE }, { maxAttempts: 2, requestTimeoutMs: 15000, connectionTimeoutMs: 5000 });
          const ring = await listPublicKeys(client, region);
          fetchedAny ||= ring.size > 0;
          return ring;
        };
  // Hashing runs on every core: hash-file tasks on the worker pool (out/worker-pool.js beside the bundled CLI).
  const script = poolWorkerScript();
  const pool = script ? new WorkerPool(script) : undefined;
  let report: Awaited<ReturnType<typeof validateFolder>>;
  try {
    report = await validateFolder(root, { keys, keyFiles, startTime: start, endTime: end, fetchKeys, pool });
  } finally {
    pool?.dispose();
  }
  for (const w of report.warnings) io.stderr(`cloudtrail-lens validate: ${w}\n`);
  if (fetchedAny) {
    const file = path.join(root, KEYS_FILE);
    try {
      fs.writeFileSync(file, JSON.stringify(keys.toJson(), null, 2) + '\n');
      io.stderr(`cloudtrail-lens validate: saved the public keys fetched with ListPublicKeys to ${file}\n`);
    } catch (e) {
      io.stderr(`cloudtrail-lens validate: could not save public keys to ${file}: ${(e as Error).message}\n`);
    }
  }
  if (report.files.length === 0) io.stderr(`cloudtrail-lens validate: no CloudTrail log or digest files found under ${root} (expected an AWSLogs folder)\n`);
  const { warnings: _w, ...plain } = report;
  void _w;
  io.stdout(json ? JSON.stringify(plain, null, 2) + '\n' : formatHuman(report));
  return report.summary.ok ? EXIT_OK : EXIT_PROBLEMS;
}

function usage(io: CliIo, msg: string): number {
  io.stderr(`cloudtrail-lens validate: ${msg}\nRun 'cloudtrail-lens validate --help' for usage.\n`);
  return EXIT_USAGE;
}
