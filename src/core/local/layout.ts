/**
 * Recognising CloudTrail's delivery layout from file paths alone (no I/O, no vscode):
 *
 *   [prefix/]AWSLogs/[o-orgid/]<account>/CloudTrail|CloudTrail-Digest|CloudTrail-Insight/<region>/YYYY/MM/DD/<file>
 *
 * When a file is not inside that layout (someone copied a handful of files into a folder) the file name is used:
 *   <account>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<unique>.json.gz
 *   <account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>.json.gz
 * Anything else is an "other" file that can still be opened, just not placed in the account/region/day tree.
 */

/** Which CloudTrail delivery stream a file belongs to. */
export type LocalFileCategory = 'log' | 'digest' | 'insight' | 'other';

export interface LocalFile {
  /** Path relative to the scanned folder, `/`-separated. */
  relPath: string;
  /** Last path segment. */
  name: string;
  category: LocalFileCategory;
  /** Organization ID (`o-…`) for organization trails. */
  orgId?: string;
  account?: string;
  region?: string;
  /** UTC day the file was delivered, `YYYY-MM-DD`. */
  day?: string;
  /** Delivery time from the file name, ISO 8601 (`2015-08-01T02:10Z` or with seconds for digests). */
  deliveredAt?: string;
}

const SERVICE_FOLDERS: Record<string, LocalFileCategory> = {
  CloudTrail: 'log',
  'CloudTrail-Digest': 'digest',
  'CloudTrail-Insight': 'insight',
};

const ORG_ID = /^o-[a-z0-9]{10,32}$/;
const YEAR = /^\d{4}$/;
const MONTH_OR_DAY = /^\d{2}$/;
/** File extensions that can hold CloudTrail data; everything else in a folder is ignored. */
const DATA_FILE = /\.(json|jsonl|ndjson)(\.gz)?$|\.gz$/i;

/** True for names worth listing (JSON, JSON Lines, gzip). */
export function isCandidateFile(name: string): boolean {
  return DATA_FILE.test(name);
}

interface NameInfo {
  category: Exclude<LocalFileCategory, 'other'>;
  account: string;
  region: string;
  day: string;
  deliveredAt: string;
}

/** Parses a CloudTrail log/digest/insight file name; undefined when it does not follow the pattern. */
export function parseCloudTrailFileName(name: string): NameInfo | undefined {
  const base = name.replace(/\.(json|jsonl)(\.gz)?$|\.gz$/i, '');
  const parts = base.split('_');
  if (parts.length < 4) return undefined;
  const [account, stream, region] = parts;
  const category =
    stream === 'CloudTrail' ? 'log' : stream === 'CloudTrail-Digest' ? 'digest' : stream === 'CloudTrail-Insight' ? 'insight' : undefined;
  if (!category || !account || !region || !/^[a-z0-9-]+$/.test(region)) return undefined;
  // Log files end with <timestamp>_<unique>; digest files end with the timestamp itself.
  const stamp = [...parts.slice(3)].reverse().find((p) => /^\d{8}T\d{4}(\d{2})?Z$/.test(p));
  if (!stamp) return undefined;
  const y = stamp.slice(0, 4);
  const mo = stamp.slice(4, 6);
  const d = stamp.slice(6, 8);
  if (!validDate(y, mo, d)) return undefined;
  const hh = stamp.slice(9, 11);
  const mm = stamp.slice(11, 13);
  const ss = stamp.length === 16 ? `:${stamp.slice(13, 15)}` : '';
  return { category, account, region, day: `${y}-${mo}-${d}`, deliveredAt: `${y}-${mo}-${d}T${hh}:${mm}${ss}Z` };
}

/**
 * A short tree label that tells sibling files of one day apart: the delivery time and the unique part of a
 * log file's name (`21:15 · 0aBcD1eF2gH3iJ4k`), or `digest 21:15:32` for a digest; the file's own name for
 * anything that does not follow CloudTrail's naming.
 */
export function shortFileLabel(name: string): string {
  const info = parseCloudTrailFileName(name);
  if (!info) return name;
  const time = info.deliveredAt.slice(11, -1);
  if (info.category === 'digest') return `digest ${time}`;
  const base = name.replace(/\.(json|jsonl)(\.gz)?$|\.gz$/i, '');
  const unique = base.slice(base.lastIndexOf('_') + 1);
  const kind = info.category === 'insight' ? 'insight ' : '';
  return unique && !/^\d{8}T/.test(unique) ? `${kind}${time} · ${unique}` : `${kind}${time}`;
}

function validDate(y: string, m: string, d: string): boolean {
  const month = Number(m);
  const day = Number(d);
  return YEAR.test(y) && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * Places one file (path relative to the added folder, `/`-separated) in the layout. The folder may be the bucket
 * root, the `AWSLogs` folder itself, an account folder, or any folder further down: whatever part of the layout
 * is visible in the path is used, and the file name fills in the rest.
 */
export function classifyPath(relPath: string, rootName = ''): LocalFile {
  const segments = relPath.split('/').filter((s) => s.length > 0);
  const name = segments[segments.length - 1] ?? relPath;
  const file: LocalFile = { relPath, name, category: 'other' };
  const dirs = segments.slice(0, -1);
  const fromName = parseCloudTrailFileName(name);

  // Find the service folder (CloudTrail / CloudTrail-Digest / CloudTrail-Insight) and read around it.
  // The added folder's own name counts too, so adding ".../AWSLogs/1111/CloudTrail" still finds the account.
  const all = rootName ? [rootName, ...dirs] : dirs;
  let serviceIndex = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (SERVICE_FOLDERS[all[i]] !== undefined) {
      serviceIndex = i;
      break;
    }
  }
  if (serviceIndex >= 0) {
    file.category = SERVICE_FOLDERS[all[serviceIndex]];
    const account = all[serviceIndex - 1];
    if (account !== undefined && account !== 'AWSLogs') file.account = account;
    const org = all[serviceIndex - 2];
    if (org !== undefined && ORG_ID.test(org)) file.orgId = org;
    const after = all.slice(serviceIndex + 1);
    if (after[0] !== undefined) file.region = after[0];
    const [y, m, d] = after.slice(1, 4);
    if (y !== undefined && m !== undefined && d !== undefined && YEAR.test(y) && MONTH_OR_DAY.test(m) && MONTH_OR_DAY.test(d) && validDate(y, m, d)) {
      file.day = `${y}-${m}-${d}`;
    }
  }
  if (fromName) {
    if (file.category === 'other') file.category = fromName.category;
    // Only trust the name where the path said nothing, and only for the same stream.
    if (file.category === fromName.category) {
      file.account ??= fromName.account;
      file.region ??= fromName.region;
      file.day ??= fromName.day;
    }
    file.deliveredAt = fromName.deliveredAt;
  }
  if (file.category !== 'other' && file.account === undefined) {
    // A CloudTrail folder with no account above it and a name we cannot read: keep it, but as "other".
    file.category = 'other';
    delete file.region;
    delete file.day;
    delete file.orgId;
  }
  return file;
}

/** Files of one delivery day. */
export interface DayGroup {
  /** `YYYY-MM-DD`, or '' for files whose day is unknown. */
  day: string;
  files: LocalFile[];
}

export interface RegionGroup {
  region: string;
  days: DayGroup[];
  fileCount: number;
}

export interface AccountGroup {
  account: string;
  /** Organization IDs seen above this account (organization trails); usually zero or one. */
  orgIds: string[];
  logs: RegionGroup[];
  insights: RegionGroup[];
  digests: RegionGroup[];
  fileCount: number;
}

export interface FolderIndex {
  accounts: AccountGroup[];
  /** Files that are not in the layout and whose names do not follow CloudTrail's pattern. */
  other: LocalFile[];
  fileCount: number;
}

/**
 * Groups classified files: account → stream (logs / Insights / digests) → region → day → files.
 * Accounts and regions sort ascending, days newest first, files by name (which is delivery order).
 */
export function groupFiles(files: readonly LocalFile[]): FolderIndex {
  const accounts = new Map<string, { orgIds: Set<string>; streams: Record<'log' | 'insight' | 'digest', Map<string, Map<string, LocalFile[]>>> }>();
  const other: LocalFile[] = [];
  for (const f of files) {
    if (f.category === 'other' || f.account === undefined) {
      other.push(f);
      continue;
    }
    let acc = accounts.get(f.account);
    if (!acc) {
      acc = { orgIds: new Set(), streams: { log: new Map(), insight: new Map(), digest: new Map() } };
      accounts.set(f.account, acc);
    }
    if (f.orgId) acc.orgIds.add(f.orgId);
    const regions = acc.streams[f.category];
    const region = f.region ?? '';
    let days = regions.get(region);
    if (!days) regions.set(region, (days = new Map()));
    const day = f.day ?? '';
    let list = days.get(day);
    if (!list) days.set(day, (list = []));
    list.push(f);
  }
  const byName = (a: LocalFile, b: LocalFile) => compare(a.name, b.name) || compare(a.relPath, b.relPath);
  const toRegions = (m: Map<string, Map<string, LocalFile[]>>): RegionGroup[] =>
    [...m.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([region, days]) => {
        const dayGroups = [...days.entries()]
          // Newest day first; undated files last.
          .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : compare(b, a)))
          .map(([day, list]) => ({ day, files: list.sort(byName) }));
        return { region, days: dayGroups, fileCount: dayGroups.reduce((n, d) => n + d.files.length, 0) };
      });
  const accountGroups: AccountGroup[] = [...accounts.entries()]
    .sort(([a], [b]) => compare(a, b))
    .map(([account, acc]) => {
      const logs = toRegions(acc.streams.log);
      const insights = toRegions(acc.streams.insight);
      const digests = toRegions(acc.streams.digest);
      const fileCount = [...logs, ...insights, ...digests].reduce((n, r) => n + r.fileCount, 0);
      return { account, orgIds: [...acc.orgIds].sort(), logs, insights, digests, fileCount };
    });
  return { accounts: accountGroups, other: other.sort(byName), fileCount: files.length };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
