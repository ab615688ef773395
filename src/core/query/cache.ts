/**
 * The on-disk Parquet cache for log folders queried repeatedly.
 *
 * What: the `cloudtrail` table itself (every column, the partition columns and `"$path"`), as one Parquet file per
 * folder of log files (in the AWSLogs layout: one per account, Region and day), zstd-compressed. A query then reads
 * Parquet (columnar: only the columns it uses) instead of decompressing and parsing every JSON file.
 *
 * Where: `<cacheRoot>/<hash of the folder's absolute path>/` holds `manifest.json` and the Parquet files; the
 * extension's cacheRoot is `<global storage>/query/cache` (setting `cloudtrailLens.query.cache`, command "Clear
 * Query Cache" removes it); the CLI's is `--cache-dir`.
 *
 * Invalidation: every query lists the folder as an uncached query would. A day folder's Parquet file is reused only
 * when the folder still holds exactly the files it was built from, each with the same size and modification time,
 * and the table's schema is unchanged; otherwise it is rebuilt (files added, changed or removed). Folders that are
 * gone lose their Parquet file. A time-bounded query only checks and reads the day folders whose files can hold
 * events in the range, as an uncached query would. Parquet files are written under a temporary name and renamed, and
 * the manifest is written after them, so an interrupted build leaves at worst an orphan the next build removes.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { duckRecordsType } from './schema';
import { FileSelection, fileInRange, QueryFile, selectFiles, TimeRange } from './sources';

/** Changes whenever the table's shape or the way the view is built changes: old caches are then rebuilt. */
const FORMAT = 2;
const SCHEMA = createHash('sha256').update(`${FORMAT}\n${duckRecordsType()}`).digest('hex').slice(0, 16);

interface CachedFile {
  path: string;
  size: number;
  mtimeMs: number;
}

interface CacheGroup {
  /** Parquet file name inside the folder's cache directory. */
  parquet: string;
  files: CachedFile[];
  warnings: string[];
}

export interface CacheManifest {
  schema: string;
  /** The folder (or file) this cache is for, absolute. */
  source: string;
  groups: Record<string, CacheGroup>;
}

export interface CacheDeps {
  conn: DuckDBConnection;
  cacheRoot: string;
  cancelled: () => boolean;
  /** Writes the `cloudtrail` rows of these files to `target` (a Parquet file); returns non-fatal problems. */
  buildGroup: (selection: FileSelection, target: string) => Promise<{ warnings: string[] }>;
  /** Defines an empty `cloudtrail` view (nothing to read). */
  emptyView: () => Promise<void>;
}

export interface CacheQueryInfo {
  filesRead: number;
  bytesRead: number;
  filesSkipped: number;
  warnings: string[];
  stats: { groupsReused: number; groupsBuilt: number; groupsRemoved: number };
}

/** The cache directory for one folder (or file) path. */
export function cacheDirFor(cacheRoot: string, source: string): string {
  return path.join(cacheRoot, createHash('sha256').update(path.resolve(source)).digest('hex').slice(0, 24));
}

function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

async function readManifest(dir: string, source: string): Promise<CacheManifest> {
  try {
    const m = JSON.parse(await fsp.readFile(path.join(dir, 'manifest.json'), 'utf8')) as CacheManifest;
    if (m && m.schema === SCHEMA && m.source === source && m.groups && typeof m.groups === 'object') return m;
  } catch {
    // missing or damaged: start again
  }
  return { schema: SCHEMA, source, groups: {} };
}

async function writeManifest(dir: string, m: CacheManifest): Promise<void> {
  const tmp = path.join(dir, `manifest.json.${process.pid}.tmp`);
  await fsp.writeFile(tmp, JSON.stringify(m));
  await fsp.rename(tmp, path.join(dir, 'manifest.json'));
}

function sameFiles(a: readonly CachedFile[], b: readonly QueryFile[]): boolean {
  if (a.length !== b.length) return false;
  const byPath = new Map(a.map((f) => [f.path, f]));
  return b.every((f) => {
    const c = byPath.get(f.path);
    return c !== undefined && c.size === f.size && c.mtimeMs === f.mtimeMs;
  });
}

/**
 * Brings the cache of each path up to date for the query's range and defines the `cloudtrail` view over the
 * Parquet files that can hold the range's events.
 */
export async function queryThroughCache(deps: CacheDeps, paths: readonly string[], range: TimeRange | undefined, onProgress?: (message: string) => void): Promise<CacheQueryInfo> {
  const info: CacheQueryInfo = { filesRead: 0, bytesRead: 0, filesSkipped: 0, warnings: [], stats: { groupsReused: 0, groupsBuilt: 0, groupsRemoved: 0 } };
  const parquet: string[] = [];
  const { QueryError } = await import('./duckdb');
  for (const p of paths) {
    const source = path.resolve(p);
    onProgress?.(`Listing ${path.basename(source)}…`);
    const all = await selectFiles([source]);
    info.warnings.push(...all.errors);
    if (all.files.length === 0 && all.errors.length) continue;
    const dir = cacheDirFor(deps.cacheRoot, source);
    await fsp.mkdir(dir, { recursive: true });
    const manifest = await readManifest(dir, source);
    // Group by the folder each file is in (a day folder in the AWSLogs layout).
    const groups = new Map<string, QueryFile[]>();
    for (const f of all.files) {
      const key = path.relative(source, path.dirname(f.path)).split(path.sep).join('/') || '.';
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(f);
    }
    let changed = false;
    for (const key of Object.keys(manifest.groups)) {
      if (groups.has(key)) continue;
      await fsp.rm(path.join(dir, manifest.groups[key].parquet), { force: true });
      delete manifest.groups[key];
      info.stats.groupsRemoved++;
      changed = true;
    }
    const wanted = [...groups].filter(([, files]) => files.some((f) => fileInRange(f.info, range)));
    for (const [, files] of groups) if (!files.some((f) => fileInRange(f.info, range))) info.filesSkipped += files.length;
    const stale = wanted.filter(([key, files]) => {
      const g = manifest.groups[key];
      return !g || !sameFiles(g.files, files);
    });
    // A Parquet file the manifest names but that is gone (removed by hand) is rebuilt too.
    for (const [key, files] of wanted) {
      const g = manifest.groups[key];
      if (g && !stale.some(([k]) => k === key) && !(await fsp.stat(path.join(dir, g.parquet)).then(() => true, () => false))) stale.push([key, files]);
    }
    let n = 0;
    for (const [key, files] of stale) {
      if (deps.cancelled()) throw new QueryError('The query was cancelled.', undefined, undefined, 'cancelled');
      onProgress?.(`Caching ${key} (${++n}/${stale.length})…`);
      const name = `${createHash('sha256').update(key).digest('hex').slice(0, 16)}-${Date.now().toString(36)}${process.pid.toString(36)}.parquet`;
      const tmp = path.join(dir, `${name}.tmp`);
      const selection: FileSelection = { files: files.map((f) => ({ ...f })), skippedByRange: 0, skippedOther: 0, errors: [] };
      let built;
      try {
        built = await deps.buildGroup(selection, tmp);
        await fsp.rename(tmp, path.join(dir, name));
      } catch (err) {
        await fsp.rm(tmp, { force: true });
        throw err;
      }
      const old = manifest.groups[key];
      if (old) await fsp.rm(path.join(dir, old.parquet), { force: true });
      manifest.groups[key] = { parquet: name, files: files.map((f) => ({ path: f.path, size: f.size, mtimeMs: f.mtimeMs })), warnings: built.warnings };
      info.stats.groupsBuilt++;
      changed = true;
      // Written after each folder, so a cancelled build keeps what it finished.
      await writeManifest(dir, manifest);
    }
    if (changed) await writeManifest(dir, manifest);
    // Orphans from an interrupted build (not named by the manifest).
    if (changed) {
      const named = new Set(Object.values(manifest.groups).map((g) => g.parquet));
      for (const f of await fsp.readdir(dir)) {
        if (f.endsWith('.parquet') && !named.has(f)) await fsp.rm(path.join(dir, f), { force: true });
      }
    }
    for (const [key, files] of wanted) {
      const g = manifest.groups[key];
      info.stats.groupsReused += stale.some(([k]) => k === key) ? 0 : 1;
      info.warnings.push(...g.warnings);
      parquet.push(path.join(dir, g.parquet));
      info.filesRead += files.length;
      info.bytesRead += files.reduce((s, f) => s + f.size, 0);
    }
  }
  if (parquet.length === 0) await deps.emptyView();
  else await deps.conn.run(`CREATE OR REPLACE TEMP VIEW cloudtrail AS SELECT * FROM read_parquet([${parquet.map(sqlString).join(', ')}])`);
  return info;
}

// In its own module so the clear command (query bundle) does not load the cache code and DuckDB's file selection.
export { cacheSize } from './cache-size';
