/**
 * Which files a local query reads. Paths (folders or files) are listed with the local-folder scanner; CloudTrail
 * log files in the delivery layout (`…_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_….json[.gz]`) are read by DuckDB
 * directly; every other data file (lookup-events output, JSON Lines exports, lower-case-key or legacy IoT records,
 * EventBridge events…) is first read by the record core and written, normalised, as a `{"Records":[…]}` file in a
 * temporary folder, so all shapes land in the same columns. Digest and Insight files are skipped.
 *
 * A time range keeps only log files whose delivery stamp (from the name) can hold events of that range: a file
 * named for delivery at T holds events from before T, normally within 15 minutes, so files stamped in
 * [from, to + slack] are read (slack: 2 hours by default). Files without a stamp are always read.
 */
import { createWriteStream, promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { classifyPath, LocalFile } from '../local/layout';
import { nodeLister } from '../local/node-fs';
import { scanFolder } from '../local/scan';
import { JsonObject, JsonValue, LosslessNumber, parseBytes, stringifyJson } from '../records';
import { CLOUDTRAIL_COLUMNS, Field } from './schema';

export interface TimeRange {
  /** ISO 8601, inclusive. */
  from?: string;
  /** ISO 8601, exclusive. */
  to?: string;
}

export interface QueryFile {
  /** Absolute path on disk. */
  path: string;
  info: LocalFile;
  size: number;
  /** Decompressed size (gzip's ISIZE trailer, i.e. modulo 4 GiB; the file size for plain files). */
  uncompressed: number;
  /** Last modification time (ms since epoch), for the cache's change check. */
  mtimeMs: number;
  /** Read directly by DuckDB (standard log file) or normalised through the record core first. */
  direct: boolean;
}

export interface FileSelection {
  files: QueryFile[];
  /** Data files the range left out. */
  skippedByRange: number;
  /** Digest / Insight files (not event records). */
  skippedOther: number;
  errors: string[];
}

const DEFAULT_SLACK_MS = 2 * 3600_000;

function stampOf(info: LocalFile): number | undefined {
  if (!info.deliveredAt) return undefined;
  const t = Date.parse(info.deliveredAt);
  return Number.isNaN(t) ? undefined : t;
}

/** True when a file with this layout info may hold events in the range. */
export function fileInRange(info: LocalFile, range: TimeRange | undefined, slackMs = DEFAULT_SLACK_MS): boolean {
  if (!range || (!range.from && !range.to)) return true;
  const t = stampOf(info);
  if (t === undefined) return true;
  if (range.from && t < Date.parse(range.from)) return false;
  if (range.to && t > Date.parse(range.to) + slackMs) return false;
  return true;
}

/** The ISIZE field at the end of a gzip file: the decompressed size modulo 2^32. */
async function gzipSize(file: string, size: number): Promise<number> {
  if (size < 18) return size;
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    await fh.read(buf, 0, 4, size - 4);
    return buf.readUInt32LE(0);
  } finally {
    await fh.close();
  }
}

/** Lists the data files under the given paths (folders are scanned; files are taken as they are). */
export async function selectFiles(paths: readonly string[], range?: TimeRange): Promise<FileSelection> {
  const sel: FileSelection = { files: [], skippedByRange: 0, skippedOther: 0, errors: [] };
  const seen = new Set<string>();
  const add = async (abs: string, info: LocalFile) => {
    if (seen.has(abs)) return;
    seen.add(abs);
    if (info.category === 'digest' || info.category === 'insight') {
      sel.skippedOther++;
      return;
    }
    if (!fileInRange(info, range)) {
      sel.skippedByRange++;
      return;
    }
    let size = 0;
    let uncompressed = 0;
    let mtimeMs = 0;
    try {
      const st = await fsp.stat(abs);
      size = st.size;
      mtimeMs = st.mtimeMs;
      uncompressed = /\.gz$/i.test(abs) ? await gzipSize(abs, size) : size;
    } catch (err) {
      sel.errors.push(`${abs}: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const direct = info.category === 'log' && /\.json(\.gz)?$/i.test(info.name);
    sel.files.push({ path: abs, info, size, uncompressed, mtimeMs, direct });
  };
  for (const p of paths) {
    const abs = path.resolve(p);
    let st;
    try {
      st = await fsp.stat(abs);
    } catch (err) {
      sel.errors.push(`${p}: ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    if (st.isDirectory()) {
      const scan = await scanFolder(nodeLister(abs), { rootName: path.basename(abs), maxFiles: 5_000_000 });
      for (const e of scan.errors) sel.errors.push(`${path.join(abs, e.relDir)}: ${e.message}`);
      for (const f of scan.files) await add(path.join(abs, ...f.relPath.split('/')), f);
    } else {
      await add(abs, classifyPath(path.basename(abs)));
    }
  }
  sel.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sel;
}

export interface NormalisedFile {
  /** The temporary `{"Records":[…]}` file DuckDB reads. */
  tempPath: string;
  source: string;
  records: number;
  problems: string[];
}

/**
 * Reads a non-standard file with the record core and writes its records with standard names to `tempDir`. The
 * temporary file keeps the source's base name (so partition values can still come from a CloudTrail-style name)
 * behind a numeric prefix that keeps names unique.
 */
export async function normaliseFile(file: QueryFile, tempDir: string, seq: number): Promise<NormalisedFile> {
  const bytes = await fsp.readFile(file.path);
  const result = parseBytes(bytes, file.info.name);
  const problems = result.problems.filter((p) => p.severity === 'error').map((p) => `${file.path}:${p.line}: ${p.message}`);
  const base = file.info.name.replace(/\.(json|jsonl|ndjson)?(\.gz)?$/i, '').replace(/[^A-Za-z0-9_.-]/g, '_');
  const tempPath = path.join(tempDir, `${String(seq).padStart(6, '0')}-${base}.json`);
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(tempPath);
    out.on('error', reject);
    out.write('{"Records":[\n');
    result.records.forEach((r, i) => {
      out.write((i ? ',\n' : '') + stringifyJson(coerceRecord(r.event)));
    });
    out.end('\n]}\n', () => resolve());
  });
  return { tempPath, source: file.path, records: result.records.length, problems };
}

/** Pulls `eventtime >= '…'`, `eventtime < '…'` and `eventtime BETWEEN '…' AND '…'` bounds out of SQL text. */
export function rangeFromSql(sql: string): TimeRange | undefined {
  const range: TimeRange = {};
  const text = sql.replace(/--[^\n]*/g, ' ');
  const between = /\beventtime\s+between\s+'([^']+)'\s+and\s+'([^']+)'/i.exec(text);
  if (between) {
    range.from = between[1];
    range.to = between[2];
  }
  for (const m of text.matchAll(/\beventtime\s*(>=|>|<=|<|=)\s*'([^']+)'/gi)) {
    const op = m[1];
    if (Number.isNaN(Date.parse(m[2]))) continue;
    if (op.startsWith('>')) range.from = m[2];
    else if (op.startsWith('<')) range.to = m[2];
    else {
      range.from = m[2];
      range.to = m[2];
    }
  }
  // An OR anywhere makes the bounds unreliable: read everything.
  if (/\bor\b/i.test(text)) return undefined;
  if (range.from && Number.isNaN(Date.parse(range.from))) delete range.from;
  if (range.to && Number.isNaN(Date.parse(range.to))) delete range.to;
  return range.from || range.to ? range : undefined;
}

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof LosslessNumber);
}

function coerce(f: Field, v: JsonValue | undefined): JsonValue | undefined {
  if (v === undefined || v === null) return v;
  switch (f.type.kind) {
    case 'string':
      if (typeof v === 'string') return v;
      if (typeof v === 'object' && !(v instanceof LosslessNumber)) return stringifyJson(v);
      return String(v);
    case 'json':
      // Exports (Athena, CloudTrail Lake) carry these as JSON text: read the text back as the JSON it holds.
      if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
        try {
          return JSON.parse(v) as JsonValue;
        } catch {
          return v;
        }
      }
      return v;
    case 'map':
      return isObject(v) ? v : null;
    case 'struct':
      return isObject(v) ? coerceObject(f.type.fields, v) : null;
    case 'array': {
      if (!Array.isArray(v)) return null;
      const of = f.type.of;
      return v.map((e) => (isObject(e) ? coerceObject(of, e) : null));
    }
  }
}

function coerceObject(fields: readonly Field[], o: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const f of fields) {
    const v = coerce(f, o[f.json]);
    if (v !== undefined) out[f.json] = v;
  }
  return out;
}

/**
 * The record with exactly the table's fields, each of the type the table expects (a string where an object was
 * expected becomes null; an object where a string was expected becomes its JSON text), so one odd record cannot
 * stop DuckDB's typed reader.
 */
export function coerceRecord(event: JsonObject): JsonObject {
  return coerceObject(CLOUDTRAIL_COLUMNS, event);
}
