/**
 * Offline CloudTrail log file integrity validation over a folder in the AWSLogs layout.
 *
 * For every account/Region/trail chain of digest files it checks, newest to oldest: where each digest sits against
 * its own digestS3Bucket/digestS3Object ("moved"), its SHA-256 against the next digest's previousDigestHashValue,
 * its RSA/SHA-256 signature (taken from the next digest's previousDigestSignature, or for the newest one from the
 * `<digest>.metadata.json` sidecar holding `aws s3api head-object` output), and every log file it lists (SHA-256 of
 * the decompressed bytes). Log files listed in no digest, missing digests (gaps, with the hours they cover) and
 * extra bytes after a gzip stream are reported too. Nothing here is tied to VS Code.
 */
import { createHash, verify as verifySignature } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gunzipFirstMember, hashGzipFile, GzipHashResult } from './gzip-hash';
import { TaskCancelled, type WorkerPool } from '../pool/pool';
import { KeyRing, signingString } from './keys';
import { classifyTreePath, keySuffix, TreeFile } from './layout';

export type Verdict =
  | 'valid'
  | 'modified'
  | 'missing'
  | 'digest-missing'
  | 'not-listed'
  | 'moved'
  | 'signature-invalid'
  | 'signature-unchecked'
  | 'unreadable';

export interface FileReport {
  /** Path relative to the folder, `/`-separated (for missing files: where the file should be). */
  path: string;
  kind: 'log' | 'digest';
  verdict: Verdict;
  reason: string;
  account: string;
  region: string;
  trail?: string;
  /** Log: delivery time; digest: end time (ISO). */
  time?: string;
  /** Logs: the digest that lists this file. */
  digest?: string;
  /** Digests: the signature was verified (true), failed (false) or could not be checked (undefined). */
  signatureChecked?: boolean;
  starting?: boolean;
  backfill?: boolean;
  /** Chain gaps: the hours the missing digests cover. */
  gap?: { from: string; to: string; hours: number; digests: number };
}

export interface ChainSegment {
  from: string;
  to: string;
  digests: number;
}

export interface ChainReport {
  account: string;
  region: string;
  trail: string;
  orgId?: string;
  prefixDir: string;
  /** Oldest first: covered stretches and the gaps between them. */
  parts: ({ type: 'covered' } & ChainSegment | { type: 'gap'; from: string; to: string; hours: number; digests: number } | { type: 'restart'; from: string; to: string; hours: number })[];
}

export interface ValidationReport {
  folder: string;
  summary: {
    files: number;
    valid: number;
    failed: number;
    byVerdict: Partial<Record<Verdict, number>>;
    logFiles: number;
    digestFiles: number;
    signaturesChecked: number;
    signaturesUnchecked: number;
    bytes: number;
    /** True when every file in range is valid and every signature in range was checked. */
    ok: boolean;
    startTime?: string;
    endTime?: string;
  };
  chains: ChainReport[];
  files: FileReport[];
}

export interface ValidateOptions {
  keys?: KeyRing;
  /** Extra key files to read (list-public-keys output). */
  keyFiles?: string[];
  startTime?: Date;
  endTime?: Date;
  /** Called for fingerprints no key file knows; returns keys fetched online for the digest's Region. */
  fetchKeys?: (region: string, range?: { start: Date; end: Date }) => Promise<KeyRing | undefined>;
  /** How many files are hashed at once (default: 2 × cores, at least 2). */
  concurrency?: number;
  /**
   * The worker pool (src/core/pool) to hash on: each log file is a hash-file task, streamed in a worker, so hashing
   * runs on every core. Without it files are hashed here (zlib on libuv's threads, SHA-256 on this thread).
   */
  pool?: WorkerPool;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, message?: string) => void;
  /** Only this account and/or Region (an explorer account or Region node); everything else is left out. */
  only?: { account?: string; region?: string };
}

interface DigestJson {
  awsAccountId?: string;
  digestStartTime: string;
  digestEndTime: string;
  digestS3Bucket: string;
  digestS3Object: string;
  digestPublicKeyFingerprint: string;
  digestSignatureAlgorithm?: string;
  previousDigestS3Bucket?: string | null;
  previousDigestS3Object?: string | null;
  previousDigestHashValue?: string | null;
  previousDigestHashAlgorithm?: string | null;
  previousDigestSignature?: string | null;
  logFiles: { s3Bucket: string; s3Object: string; hashValue: string; hashAlgorithm?: string }[];
}

interface LoadedDigest {
  file: TreeFile;
  json?: DigestJson;
  sha256?: string;
  trailingBytes: number;
  error?: string;
  /** Signature from the sidecar, if any. */
  metaSignature?: string;
  metaError?: string;
  report?: FileReport;
}

export const METADATA_SUFFIX = '.metadata.json';
export const KEYS_FILE = 'public-keys.json';
const HOUR = 3600_000;

export class ValidationCancelled extends Error {
  constructor() {
    super('Validation cancelled');
  }
}

/** Lists files under `root` (relative, `/`-separated), skipping symlinked folders. */
function walk(root: string): string[] {
  const out: string[] = [];
  const visit = (dir: string, rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path.join(dir, e.name), r);
      else if (e.isFile()) out.push(r);
    }
  };
  visit(root, '');
  return out.sort();
}

function isDigestJson(v: unknown): v is DigestJson {
  const o = v as Record<string, unknown>;
  return (
    !!o &&
    typeof o === 'object' &&
    typeof o.digestEndTime === 'string' &&
    typeof o.digestStartTime === 'string' &&
    typeof o.digestS3Bucket === 'string' &&
    typeof o.digestS3Object === 'string' &&
    typeof o.digestPublicKeyFingerprint === 'string' &&
    'previousDigestSignature' in o &&
    Array.isArray(o.logFiles)
  );
}

/** Reads the signature out of a saved `aws s3api head-object` output. */
export function signatureFromMetadata(json: unknown): { signature?: string; algorithm?: string } {
  const o = json as Record<string, unknown> | undefined;
  const meta = (o && typeof o === 'object' && (o.Metadata ?? o.metadata)) as Record<string, unknown> | undefined;
  if (!meta || typeof meta !== 'object') return {};
  const get = (k: string) => {
    for (const [name, v] of Object.entries(meta)) if (name.toLowerCase() === k && typeof v === 'string') return v;
    return undefined;
  };
  return { signature: get('signature'), algorithm: get('signature-algorithm') };
}

function hoursBetween(a: string, b: string): number {
  return Math.max(0, Math.round(((Date.parse(b) - Date.parse(a)) / HOUR) * 10) / 10);
}

async function runLimited<T>(items: T[], limit: number, fn: (t: T) => Promise<void>, signal?: AbortSignal): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      if (signal?.aborted) return;
      await fn(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

function loadKeyFile(ring: KeyRing, file: string): string | undefined {
  try {
    const n = ring.addJson(JSON.parse(fs.readFileSync(file, 'utf8')));
    return n === 0 ? `${file}: no public keys in it (expected "aws cloudtrail list-public-keys" output)` : undefined;
  } catch (e) {
    return `${file}: cannot read public keys: ${(e as Error).message}`;
  }
}

/** Validates the AWSLogs tree(s) under `folder`. Throws ValidationCancelled when the signal aborts. */
export async function validateFolder(folder: string, opts: ValidateOptions = {}): Promise<ValidationReport & { warnings: string[] }> {
  const root = path.resolve(folder);
  const warnings: string[] = [];
  const keys = opts.keys ?? new KeyRing();
  for (const f of opts.keyFiles ?? []) {
    const w = loadKeyFile(keys, f);
    if (w) warnings.push(w);
  }
  const rels = walk(root);
  const relSet = new Set(rels);
  for (const r of rels) {
    if (r === KEYS_FILE || /(^|\/)public-keys(-[a-z0-9-]+)?\.json$/.test(r)) {
      const w = loadKeyFile(keys, path.join(root, r));
      if (w) warnings.push(w);
    }
  }
  const startMs = opts.startTime?.getTime() ?? -Infinity;
  const endMs = opts.endTime?.getTime() ?? Infinity;
  const inRange = (iso: string) => {
    const t = Date.parse(iso);
    return t >= startMs && t <= endMs;
  };

  const logs = new Map<string, TreeFile>(); // prefixDir|suffix → file
  const digests: LoadedDigest[] = [];
  for (const r of rels) {
    const f = classifyTreePath(r);
    if (!f) continue;
    if (opts.only?.account && f.account !== opts.only.account) continue;
    if (opts.only?.region && f.region !== opts.only.region) continue;
    if (f.kind === 'log') logs.set(`${f.prefixDir}|${f.suffix}`, f);
    else digests.push({ file: f, trailingBytes: 0 });
  }

  const check = () => {
    if (opts.signal?.aborted) throw new ValidationCancelled();
  };
  const progress = opts.onProgress ?? (() => undefined);
  let bytes = 0;

  // 1. Read every digest (small files).
  for (const d of digests) {
    check();
    try {
      const raw = fs.readFileSync(path.join(root, d.file.rel));
      bytes += raw.length;
      const g = gunzipFirstMember(raw);
      d.trailingBytes = g.trailingBytes;
      if (!g.content) d.error = g.error;
      else {
        d.sha256 = createHash('sha256').update(g.content).digest('hex');
        try {
          const j = JSON.parse(g.content.toString('utf8')) as unknown;
          if (isDigestJson(j)) d.json = j;
          else d.error = 'not a CloudTrail digest file (required fields missing)';
        } catch (e) {
          d.error = `not JSON: ${(e as Error).message}`;
        }
      }
    } catch (e) {
      d.error = `cannot read: ${(e as Error).message}`;
    }
    const side = d.file.rel + METADATA_SUFFIX;
    if (relSet.has(side)) {
      try {
        const m = signatureFromMetadata(JSON.parse(fs.readFileSync(path.join(root, side), 'utf8')));
        if (m.signature) d.metaSignature = m.signature;
        else d.metaError = `${side} holds no Metadata.signature`;
        if (m.algorithm && m.algorithm !== 'SHA256withRSA') d.metaError = `unsupported signature algorithm ${m.algorithm}`;
      } catch (e) {
        d.metaError = `${side} cannot be read: ${(e as Error).message}`;
      }
    }
  }

  const files: FileReport[] = [];
  const chains: ChainReport[] = [];
  const listedLogs = new Map<string, { digest: LoadedDigest; hash: string }>();
  const missingLogs: FileReport[] = [];
  const gapsByGroup = new Map<string, { from: string; to: string; hours: number }[]>();

  // Fetch keys online once per Region when a fingerprint is unknown.
  const fetched = new Set<string>();
  const keyFor = async (fp: string, region: string) => {
    let k = keys.keyObject(fp);
    if (typeof k === 'string' && opts.fetchKeys && !fetched.has(region)) {
      fetched.add(region);
      try {
        const ends = digests.filter((x) => x.json && x.file.region === region).map((x) => Date.parse(x.json!.digestEndTime));
        const range = ends.length ? { start: new Date(Math.min(...ends) - 2 * HOUR), end: new Date(Math.max(...ends) + HOUR) } : undefined;
        const more = await opts.fetchKeys(region, range);
        for (const e of more?.entries() ?? []) keys.add({ ...e, region: e.region ?? region });
      } catch (e) {
        warnings.push(`ListPublicKeys in ${region} failed: ${(e as Error).message}`);
      }
      k = keys.keyObject(fp);
    }
    return k;
  };

  const verifyDigest = async (d: LoadedDigest, signature: string | undefined, source: string): Promise<{ ok?: boolean; why: string }> => {
    const j = d.json!;
    if (!signature) return { why: source };
    if (j.digestSignatureAlgorithm && j.digestSignatureAlgorithm !== 'SHA256withRSA') return { why: `unsupported signature algorithm ${j.digestSignatureAlgorithm}` };
    const key = await keyFor(j.digestPublicKeyFingerprint, d.file.region);
    if (typeof key === 'string') return { why: `${key} for Region ${d.file.region} (add "aws cloudtrail list-public-keys --region ${d.file.region}" output as ${KEYS_FILE} or pass --keys)` };
    if (!/^[0-9a-fA-F]+$/.test(signature) || signature.length % 2) return { ok: false, why: 'signature is not hex' };
    const ok = verifySignature('sha256', Buffer.from(signingString(j, d.sha256!), 'utf8'), key, Buffer.from(signature, 'hex'));
    return { ok, why: ok ? 'signature checked' : `signature does not verify with key ${j.digestPublicKeyFingerprint}` };
  };

  // 2. Chains: group by local prefix/org/account/Region/trail/home Region; backfill digests stand alone.
  const groups = new Map<string, LoadedDigest[]>();
  for (const d of digests) {
    const base = { path: d.file.rel, kind: 'digest' as const, account: d.file.account, region: d.file.region, trail: d.file.trail, time: d.file.time, backfill: d.file.backfill };
    if (!d.json || !d.sha256) {
      d.report = { ...base, verdict: 'unreadable', reason: d.error ?? 'unreadable' };
      continue;
    }
    if (!inRange(d.json.digestEndTime)) continue;
    const key = [d.file.prefixDir, d.file.orgId ?? '', d.file.account, d.file.region, d.file.trail, d.file.homeRegion, d.file.backfill ? `backfill:${d.file.rel}` : ''].join('|');
    const list = groups.get(key) ?? [];
    list.push(d);
    groups.set(key, list);
  }

  for (const list of groups.values()) {
    check();
    list.sort((a, b) => Date.parse(b.json!.digestEndTime) - Date.parse(a.json!.digestEndTime) || b.file.rel.localeCompare(a.file.rel));
    const parts: ChainReport['parts'] = [];
    let segEnd: string | undefined;
    let segCount = 0;
    const closeSegment = (from: string) => {
      if (segEnd) parts.unshift({ type: 'covered', from, to: segEnd, digests: segCount });
      segEnd = undefined;
      segCount = 0;
    };
    const gaps: { from: string; to: string; hours: number }[] = [];
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      const j = d.json!;
      const newer = i > 0 ? list[i - 1] : undefined;
      const older = list[i + 1];
      const reasons: string[] = [];
      let verdict: Verdict = 'valid';
      const fail = (v: Verdict, why: string) => {
        if (verdict === 'valid' || verdict === 'signature-unchecked') verdict = v;
        reasons.unshift(why);
      };
      // Where it is vs where it says it was written.
      const claimed = keySuffix(j.digestS3Object);
      if (claimed !== d.file.suffix) fail('moved', `digest says it was written to ${j.digestS3Bucket}/${j.digestS3Object}, found at ${d.file.rel}`);
      if (d.trailingBytes > 0) fail('modified', `${d.trailingBytes} bytes of extra data after the gzip stream`);
      // Link from the newer digest.
      let signature: string | undefined;
      let sigSource = '';
      const newerLinks = newer && newer.json!.previousDigestS3Object && keySuffix(newer.json!.previousDigestS3Object) === claimed;
      if (newerLinks) {
        if (newer!.json!.previousDigestHashValue?.toLowerCase() !== d.sha256) {
          fail('modified', `content changed: its SHA-256 ${d.sha256} differs from previousDigestHashValue in ${newer!.file.rel}`);
        }
        signature = newer!.json!.previousDigestSignature ?? undefined;
        sigSource = `the next digest ${newer!.file.rel} carries no previousDigestSignature`;
      } else {
        signature = d.metaSignature;
        sigSource = d.metaError ?? (newer ? `the next digest does not link to this one and there is no ${path.posix.basename(d.file.rel)}${METADATA_SUFFIX} sidecar` : `newest digest without metadata: its signature is only in S3 object metadata (save "aws s3api head-object" output as ${path.posix.basename(d.file.rel)}${METADATA_SUFFIX})`);
        if (d.metaSignature) sigSource = 'signature from the metadata sidecar';
      }
      const sig = await verifyDigest(d, signature, sigSource);
      let signatureChecked: boolean | undefined;
      if (sig.ok === true) signatureChecked = true;
      else if (sig.ok === false) {
        signatureChecked = false;
        fail('signature-invalid', sig.why);
      } else {
        if (verdict === 'valid') verdict = 'signature-unchecked';
        reasons.push(`signature not checked: ${sig.why}`);
      }
      const starting = !j.previousDigestS3Object;
      // Chain bookkeeping (walking newest → oldest).
      if (!segEnd) segEnd = j.digestEndTime;
      segCount++;
      if (starting) {
        reasons.push('starting digest (no previous digest: validation or logging was started here)');
        closeSegment(j.digestStartTime);
        if (older) parts.unshift({ type: 'restart', from: older.json!.digestEndTime, to: j.digestStartTime, hours: hoursBetween(older.json!.digestEndTime, j.digestStartTime) });
      } else {
        const prevSuffix = keySuffix(j.previousDigestS3Object!);
        const olderClaimed = older ? keySuffix(older.json!.digestS3Object) : undefined;
        if (!older || prevSuffix !== olderClaimed) {
          closeSegment(j.digestStartTime);
          const prevRel = (d.file.prefixDir ? d.file.prefixDir + '/' : '') + (prevSuffix ?? j.previousDigestS3Object!);
          const from = older ? older.json!.digestEndTime : undefined;
          if (older || inRange(prevTimeFromKey(j.previousDigestS3Object!) ?? j.digestStartTime)) {
            const to = j.digestStartTime;
            const start = from ?? prevStartGuess(j.previousDigestS3Object!, to);
            const hours = hoursBetween(start, to);
            const count = Math.max(1, Math.round(hours));
            if (older || opts.startTime) {
              const gap = { from: start, to, hours, digests: count };
              gaps.push(gap);
              parts.unshift({ type: 'gap', ...gap });
              files.push({
                path: prevRel,
                kind: 'digest',
                verdict: 'digest-missing',
                reason: `chain gap: ${count === 1 ? 'digest' : `${count} consecutive digests (this one named by ${d.file.rel})`} missing, covering ${start} to ${to} (${hours} h)`,
                account: d.file.account,
                region: d.file.region,
                trail: d.file.trail,
                time: prevTimeFromKey(j.previousDigestS3Object!),
                gap,
              });
            } else reasons.push(`oldest digest in the folder; the previous one (${prevRel}) was not downloaded`);
          } else reasons.push(`oldest digest in range; the previous one (${prevRel}) is outside it`);
        }
      }
      if (d.file.backfill) reasons.push('backfill digest (validated on its own, outside the hourly chain)');
      if (i === list.length - 1) closeSegment(j.digestStartTime);
      const base = { path: d.file.rel, kind: 'digest' as const, account: d.file.account, region: d.file.region, trail: d.file.trail, time: j.digestEndTime, backfill: d.file.backfill, starting: starting || undefined };
      d.report = { ...base, verdict, reason: verdict === 'valid' ? ['signature checked', ...reasons].join('; ') : reasons.join('; '), signatureChecked };
      // Log files listed in this digest.
      for (const lf of j.logFiles) {
        const suffix = keySuffix(lf.s3Object);
        const localKey = `${d.file.prefixDir}|${suffix}`;
        if (suffix && logs.has(localKey)) {
          if (!listedLogs.has(localKey)) listedLogs.set(localKey, { digest: d, hash: String(lf.hashValue).toLowerCase() });
        } else {
          const lc = suffix ? classifyTreePath((d.file.prefixDir ? d.file.prefixDir + '/' : '') + suffix) : undefined;
          missingLogs.push({
            path: lc?.rel ?? lf.s3Object,
            kind: 'log',
            verdict: 'missing',
            reason: `listed in digest ${d.file.rel} but not in the folder (deleted or not downloaded)`,
            account: d.file.account,
            region: d.file.region,
            trail: d.file.trail,
            time: lc?.time,
            digest: d.file.rel,
          });
        }
      }
    }
    const c0 = list[0];
    gapsByGroup.set(`${c0.file.prefixDir}|${c0.file.account}|${c0.file.region}`, [...(gapsByGroup.get(`${c0.file.prefixDir}|${c0.file.account}|${c0.file.region}`) ?? []), ...gaps]);
    if (!c0.file.backfill) chains.push({ account: c0.file.account, region: c0.file.region, trail: c0.file.trail ?? '', orgId: c0.file.orgId, prefixDir: c0.file.prefixDir, parts });
  }

  // 3. Hash the log files (streaming, several at once).
  const toHash = [...logs.entries()].filter(([k, f]) => listedLogs.has(k) || inRange(f.time));
  const results = new Map<string, GzipHashResult>();
  let done = 0;
  const limit = opts.concurrency ?? Math.max(2, os.availableParallelism?.() ?? os.cpus().length) * 2;
  progress(0, toHash.length, 'hashing log files');
  await runLimited(
    toHash,
    limit,
    async ([k, f]) => {
      const file = path.join(root, f.rel);
      const r = opts.pool ? await hashOnPool(opts.pool, file, opts.signal) : await hashGzipFile(file, opts.signal);
      results.set(k, r);
      bytes += r.size;
      progress(++done, toHash.length, f.rel);
    },
    opts.signal,
  );
  check();

  // Newest digest end per account/Region (logs after it are not covered yet).
  const newestEnd = new Map<string, number>();
  for (const d of digests) {
    if (!d.json || d.file.backfill) continue;
    const k = `${d.file.prefixDir}|${d.file.account}|${d.file.region}`;
    newestEnd.set(k, Math.max(newestEnd.get(k) ?? -Infinity, Date.parse(d.json.digestEndTime)));
  }

  for (const [k, f] of toHash) {
    const r = results.get(k)!;
    const listed = listedLogs.get(k);
    const base = { path: f.rel, kind: 'log' as const, account: f.account, region: f.region, time: f.time };
    if (!listed) {
      const rk = `${f.prefixDir}|${f.account}|${f.region}`;
      const t = Date.parse(f.time);
      const gap = (gapsByGroup.get(rk) ?? []).find((g) => t >= Date.parse(g.from) - HOUR && t <= Date.parse(g.to) + HOUR);
      const newest = newestEnd.get(rk);
      const why = gap
        ? `listed in no digest: delivered during a chain gap (${gap.from} to ${gap.to}) whose digests are missing`
        : newest === undefined
          ? 'listed in no digest: there are no digest files for this account and Region'
          : t > newest
            ? `listed in no digest yet: delivered after the newest digest (${new Date(newest).toISOString().replace('.000', '')})`
            : 'listed in no digest: added, renamed or moved after delivery';
      files.push({ ...base, verdict: 'not-listed', reason: r.trailingBytes > 0 ? `${why}; ${r.trailingBytes} bytes of extra data after the gzip stream` : why });
      continue;
    }
    const withDigest = { ...base, trail: listed.digest.file.trail, digest: listed.digest.file.rel };
    const sigNote = listed.digest.report?.signatureChecked ? 'signature checked' : 'digest signature not checked';
    if (!r.sha256) files.push({ ...withDigest, verdict: 'unreadable', reason: r.error ?? 'unreadable' });
    else if (r.sha256 !== listed.hash) files.push({ ...withDigest, verdict: 'modified', reason: `SHA-256 ${r.sha256} differs from ${listed.hash} in digest ${listed.digest.file.rel}` });
    else if (r.trailingBytes > 0) files.push({ ...withDigest, verdict: 'modified', reason: `${r.trailingBytes} bytes of extra data after the gzip stream (the listed content is intact)` });
    else if (listed.digest.report?.signatureChecked !== true) {
      files.push({ ...withDigest, verdict: 'signature-unchecked', reason: `hash matches digest ${listed.digest.file.rel}, but that digest is not proven (${listed.digest.report?.verdict ?? 'unknown'})` });
    } else files.push({ ...withDigest, verdict: 'valid', reason: `listed in digest ${listed.digest.file.rel} (${sigNote})` });
  }
  files.push(...missingLogs);
  for (const d of digests) if (d.report) files.push(d.report);
  files.sort((a, b) => a.path.localeCompare(b.path));

  const byVerdict: Partial<Record<Verdict, number>> = {};
  for (const f of files) byVerdict[f.verdict] = (byVerdict[f.verdict] ?? 0) + 1;
  const digestReports = files.filter((f) => f.kind === 'digest' && f.verdict !== 'digest-missing');
  const valid = byVerdict.valid ?? 0;
  const sigChecked = digestReports.filter((f) => f.signatureChecked === true).length;
  chains.sort((a, b) => `${a.account}|${a.region}|${a.trail}`.localeCompare(`${b.account}|${b.region}|${b.trail}`));
  return {
    folder: root,
    summary: {
      files: files.length,
      valid,
      failed: files.length - valid,
      byVerdict,
      logFiles: files.filter((f) => f.kind === 'log').length,
      digestFiles: digestReports.length,
      signaturesChecked: sigChecked,
      signaturesUnchecked: digestReports.length - sigChecked,
      bytes,
      ok: files.length > 0 && valid === files.length,
      startTime: opts.startTime?.toISOString(),
      endTime: opts.endTime?.toISOString(),
    },
    chains,
    files,
    warnings,
  };
}

/** The end time in a digest key's file name. */
function prevTimeFromKey(key: string): string | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(?:_backfill)?\.json\.gz$/.exec(key);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z` : undefined;
}

/** Start of a missing digest's hour when no older digest is present: one hour before its end. */
function prevStartGuess(key: string, fallback: string): string {
  const end = prevTimeFromKey(key);
  return new Date(Date.parse(end ?? fallback) - HOUR).toISOString().replace('.000', '');
}

/** One file's hash as a hash-file task on the pool; a crashed worker or a cancel comes back as the file's error. */
async function hashOnPool(pool: WorkerPool, file: string, signal?: AbortSignal): Promise<GzipHashResult> {
  try {
    return await pool.run({ kind: 'hash-file', path: file }, { signal });
  } catch (e) {
    const error = e instanceof TaskCancelled ? 'cancelled' : `cannot hash: ${e instanceof Error ? e.message : String(e)}`;
    return { size: 0, uncompressed: 0, trailingBytes: 0, error };
  }
}
