/**
 * Where a file sits in an AWSLogs tree: which account/Region/trail it belongs to, whether it is a log or a digest,
 * and the part of its path from `AWSLogs/` on, which is also the end of its S3 key. A digest names objects by S3
 * key; the same key suffix under the same local prefix folder is the local copy.
 */

export interface TreeFile {
  /** Path relative to the validated folder, `/`-separated. */
  rel: string;
  /** Folder part before `AWSLogs/` ('' when the folder itself holds AWSLogs). */
  prefixDir: string;
  /** `AWSLogs/…` onward. */
  suffix: string;
  kind: 'log' | 'digest';
  orgId?: string;
  account: string;
  region: string;
  /** Delivery time (logs, minute precision) or digest end time (digests), ISO `YYYY-MM-DDTHH:MM:SSZ`. */
  time: string;
  /** Digests: trail name and home Region from the file name. */
  trail?: string;
  homeRegion?: string;
  backfill?: boolean;
}

const LOG_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]+\.json\.gz$/;
const DIGEST_NAME = /^(\d{12})_CloudTrail-Digest_([a-z0-9-]+)_(.+)_([a-z]{2}(?:-[a-z]+)+-\d+)_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z(_backfill)?\.json\.gz$/;

/** The `AWSLogs/…` tail of an S3 key, or undefined when the key has none. */
export function keySuffix(key: string): string | undefined {
  const parts = key.split('/');
  const i = parts.indexOf('AWSLogs');
  return i < 0 ? undefined : parts.slice(i).join('/');
}

/** Classifies one relative path; undefined for anything that is not a CloudTrail log or digest in the layout. */
export function classifyTreePath(rel: string): TreeFile | undefined {
  const parts = rel.split('/');
  const i = parts.indexOf('AWSLogs');
  if (i < 0) return undefined;
  let p = i + 1;
  let orgId: string | undefined;
  if (/^o-[a-z0-9]{10,32}$/.test(parts[p] ?? '')) orgId = parts[p++];
  const account = parts[p++];
  const tree = parts[p++];
  const region = parts[p++];
  const [y, m, d, name] = [parts[p], parts[p + 1], parts[p + 2], parts[p + 3]];
  if (!/^\d{12}$/.test(account ?? '') || !region || parts.length !== p + 4 || !name) return undefined;
  const base = { rel, prefixDir: parts.slice(0, i).join('/'), suffix: parts.slice(i).join('/'), orgId, account, region };
  if (tree === 'CloudTrail') {
    const g = LOG_NAME.exec(name);
    if (!g || g[1] !== account || g[2] !== region || `${g[3]}/${g[4]}/${g[5]}` !== `${y}/${m}/${d}`) return undefined;
    return { ...base, kind: 'log', time: `${g[3]}-${g[4]}-${g[5]}T${g[6]}:${g[7]}:00Z` };
  }
  if (tree === 'CloudTrail-Digest') {
    const g = DIGEST_NAME.exec(name);
    if (!g || g[1] !== account || g[2] !== region) return undefined;
    return {
      ...base,
      kind: 'digest',
      trail: g[3],
      homeRegion: g[4],
      time: `${g[6]}-${g[7]}-${g[8]}T${g[9]}:${g[10]}:${g[11]}Z`,
      backfill: g[12] !== undefined || undefined,
    };
  }
  return undefined;
}
