/**
 * Local queries on embedded DuckDB (`@duckdb/node-api`; its native binding is an npm package per platform, nothing
 * is downloaded at install or run time and DuckDB's extension auto-install is switched off: the JSON and Parquet
 * readers it needs are built into the binding).
 *
 * The module is required on the first query only. The extension runs this in a child process (src/workers/query.ts)
 * so a long or crashing query cannot freeze or take down the extension host; the CLI and tests use it in-process.
 */
import { promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { duckRecordsType, duckSelectList, referencedColumns } from './schema';
import { FileSelection, normaliseFile, QueryFile, rangeFromSql, selectFiles, TimeRange } from './sources';

export interface EngineSettings {
  /** DuckDB memory_limit, e.g. "2GB"; empty = DuckDB's default (80% of RAM). */
  memoryLimit?: string;
  /** Worker threads; 0/undefined = the number of cores this process may use (`os.availableParallelism()`). */
  threads?: number;
  /** Where DuckDB spills and where normalised copies go; default: the OS temp folder. */
  tempDirectory?: string;
  /** Where the Parquet cache of log folders lives (queries with `cache: true`); no cache without it. */
  cacheDirectory?: string;
}

export interface LocalQuery {
  paths: string[];
  sql: string;
  /** Read only files that can hold events in this range; default: bounds found in the SQL's eventtime filters. */
  range?: TimeRange;
  /** Rows returned at most (default 10 000); `truncated` says when there were more. */
  maxRows?: number;
  /** Read folders through the on-disk Parquet cache (built or refreshed as needed; see cache.ts). */
  cache?: boolean;
}

export interface ResultColumn {
  name: string;
  type: string;
}

export interface QueryResult {
  engine: 'duckdb' | 'athena';
  columns: ResultColumn[];
  /** JSON-friendly values (numbers, strings, nested arrays/objects; BIGINT/DECIMAL as strings). */
  rows: unknown[][];
  truncated: boolean;
  elapsedMs: number;
  filesRead?: number;
  bytesRead?: number;
  /** Files left out because their names are outside the query's time range. */
  filesSkipped?: number;
  range?: TimeRange;
  /** Athena: bytes scanned and the estimated cost in USD. */
  bytesScanned?: number;
  costUsd?: number;
  /** Parquet cache use: day folders read from the cache, and (re)built by this query. */
  cache?: { groupsReused: number; groupsBuilt: number; groupsRemoved: number };
  /** Non-fatal problems (unreadable files, damaged records). */
  warnings: string[];
}

// QueryError lives in errors.ts (the query bundle and the client use it without loading this module).
import { QueryError } from './errors';
export { QueryError };

/**
 * One log file is one JSON object, and real ones exceed DuckDB's 16 MB default maximum_object_size. DuckDB sizes
 * its read buffers from that setting, so it is set from the largest file actually read (decompressed size from the
 * gzip trailer), rounded up, instead of a fixed huge value.
 */
export function objectSizeFor(files: readonly { uncompressed: number }[]): number {
  const largest = files.reduce((m, f) => Math.max(m, f.uncompressed), 0);
  let size = 16 * 1024 * 1024;
  while (size < largest + 1024 * 1024 && size < 4 * 1024 * 1024 * 1024) size *= 2;
  return size;
}

/** DuckDB threads for a setting: the setting when positive, else the cores this process may use. */
export function threadsFor(setting: number | undefined): number {
  if (setting && setting > 0) return Math.floor(setting);
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * DuckDB's "Out of Memory Error" turned into what the user can change: the memory-limit setting and the temporary
 * folder it spills to (DuckDB's own hints name SQL `SET` statements, which do not apply here). Other messages are
 * returned unchanged.
 */
export function explainEngineError(message: string, settings: EngineSettings): { message: string; outOfMemory: boolean } {
  if (!/Out of Memory Error|failed to allocate|could not allocate/i.test(message)) return { message, outOfMemory: false };
  const first = message.split('\n')[0];
  const limit = settings.memoryLimit ? `the limit of ${settings.memoryLimit}` : "DuckDB's default limit (80% of RAM)";
  const temp = settings.tempDirectory ? path.join(settings.tempDirectory, 'duckdb-spill') : 'the OS temporary folder';
  return {
    outOfMemory: true,
    message:
      `The query needed more memory than ${limit} allows (${first}). ` +
      `Raise the memory limit (setting cloudtrailLens.query.memoryLimit; CLI --memory-limit), ` +
      `check that the temporary folder DuckDB spills to has free space (setting cloudtrailLens.query.tempDirectory; CLI --temp-dir; now ${temp}), ` +
      `lower cloudtrailLens.query.threads (CLI --threads), or narrow the query (fewer columns, a time range).`,
  };
}

type DuckModule = typeof import('@duckdb/node-api');
let duckModule: DuckModule | undefined;
let duckLoadError: string | undefined;

/** Loads the DuckDB binding once; throws a QueryError (code 'binding') saying what to install when it cannot. */
export function loadDuckDb(): DuckModule {
  if (duckModule) return duckModule;
  if (duckLoadError) throw new QueryError(duckLoadError, undefined, undefined, 'binding');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    duckModule = require('@duckdb/node-api') as DuckModule;
    return duckModule;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    duckLoadError =
      `The DuckDB engine could not be loaded on ${process.platform}-${process.arch} (${why}). ` +
      `Install the platform build of CloudTrail Lens (the VSIX for your platform carries @duckdb/node-bindings-${process.platform}-${process.arch}), ` +
      `or for the CLI run \`npm install @duckdb/node-api\` next to it. Athena queries and everything else keep working.`;
    throw new QueryError(duckLoadError, undefined, undefined, 'binding');
  }
}

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** Finds "LINE n:" and the caret line DuckDB puts under the statement in its error messages. */
export function errorPosition(message: string, sql: string): { line?: number; column?: number } {
  const m = /LINE (\d+):( ?)(.*)\n(\s*)\^/.exec(message);
  if (m) {
    const line = Number(m[1]);
    const prefix = `LINE ${m[1]}:${m[2]}`;
    const caret = m[4].length - prefix.length;
    // DuckDB may shorten long lines ("..." at the start); find the shown snippet in the SQL line to place the caret.
    const shown = m[3];
    const srcLine = sql.split('\n')[line - 1] ?? '';
    let offset = 0;
    if (shown.startsWith('...')) {
      const at = srcLine.indexOf(shown.slice(3, 40));
      if (at >= 0) offset = at - 3;
    }
    return { line, column: Math.max(1, caret + offset + 1) };
  }
  return {};
}

export class DuckQueryEngine {
  private instance?: DuckDBInstance;
  private conn?: DuckDBConnection;
  private cancelled = false;

  constructor(private readonly settings: EngineSettings = {}) {}

  private async connection(): Promise<DuckDBConnection> {
    if (this.conn) return this.conn;
    const duck = loadDuckDb();
    const options: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'false',
    };
    if (this.settings.memoryLimit) options.memory_limit = this.settings.memoryLimit;
    options.threads = String(threadsFor(this.settings.threads));
    if (this.settings.tempDirectory) options.temp_directory = path.join(this.settings.tempDirectory, 'duckdb-spill');
    try {
      this.instance = await duck.DuckDBInstance.create(':memory:', options);
    } catch (err) {
      throw new QueryError(`DuckDB did not start: ${err instanceof Error ? err.message : String(err)}. Check the query settings (memory limit, threads, temporary folder).`, undefined, undefined, 'engine');
    }
    this.conn = await this.instance.connect();
    return this.conn;
  }

  /** Stops the running query (DuckDB interrupt); the query fails with a QueryError of code 'cancelled'. */
  cancel(): void {
    this.cancelled = true;
    this.conn?.interrupt();
  }

  close(): void {
    this.conn?.closeSync();
    this.instance?.closeSync();
    this.conn = undefined;
    this.instance = undefined;
  }

  /** Builds the `cloudtrail` view over the selected files (normalising non-standard ones into `tempDir`). */
  async prepare(selection: FileSelection, tempDir: string, onProgress?: (message: string) => void, only?: ReadonlySet<string>): Promise<{ warnings: string[]; files: number; bytes: number }> {
    const conn = await this.connection();
    const warnings = [...selection.errors];
    const direct: QueryFile[] = selection.files.filter((f) => f.direct);
    const other = selection.files.filter((f) => !f.direct);
    const map: [string, string][] = [];
    if (other.length) await fsp.mkdir(tempDir, { recursive: true });
    let seq = 0;
    for (const f of other) {
      if (this.cancelled) throw new QueryError('The query was cancelled.', undefined, undefined, 'cancelled');
      onProgress?.(`Normalising ${path.basename(f.path)} (${++seq}/${other.length})`);
      try {
        const n = await normaliseFile(f, tempDir, seq);
        warnings.push(...n.problems);
        if (n.records > 0) map.push([n.tempPath, n.source]);
      } catch (err) {
        warnings.push(`${f.path}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const readPaths = [...direct.map((f) => f.path), ...map.map(([t]) => t)];
    let tempSizes: { uncompressed: number }[] = [];
    if (map.length) tempSizes = await Promise.all(map.map(async ([t]) => ({ uncompressed: (await fsp.stat(t)).size })));
    const maxObject = objectSizeFor([...direct, ...tempSizes]);
    const recordsType = duckRecordsType(only);
    let from: string;
    if (readPaths.length === 0) {
      from = `(SELECT unnest(CAST([] AS ${recordsType})) AS r, ''::VARCHAR AS filename)`;
    } else {
      from =
        `(SELECT unnest(Records) AS r, filename FROM read_json([${readPaths.map(sqlString).join(', ')}], ` +
        `format = 'unstructured', records = true, auto_detect = false, filename = true, maximum_object_size = ${maxObject}, ` +
        `columns = {Records: ${sqlString(recordsType)}}))`;
    }
    await conn.run('CREATE OR REPLACE TEMP TABLE ct_sources (temp VARCHAR, source VARCHAR)');
    if (map.length) {
      await conn.run(`INSERT INTO ct_sources VALUES ${map.map(([t, s]) => `(${sqlString(t)}, ${sqlString(s)})`).join(', ')}`);
    }
    // Partition values come from the file's name/path ("…/AWSLogs/[o-…/]<account>/CloudTrail/<region>/YYYY/MM/DD/
    // <account>_CloudTrail_<region>_<YYYYMMDD>T…"), falling back to the record's own fields.
    const view = `CREATE OR REPLACE TEMP VIEW cloudtrail AS
SELECT
  ${duckSelectList('r', only)},
  coalesce(nullif(regexp_extract(src, '(\\d{12})_CloudTrail_', 1), ''), r.recipientAccountId) AS account,
  coalesce(nullif(regexp_extract(src, '_CloudTrail_([a-z0-9-]+)_\\d{8}T', 1), ''), r.awsRegion) AS region,
  coalesce(nullif(regexp_replace(regexp_extract(src, '_CloudTrail_[a-z0-9-]+_(\\d{8})T', 1), '(\\d{4})(\\d{2})(\\d{2})', '\\1/\\2/\\3'), ''),
           strftime(try_cast(r.eventTime AS TIMESTAMP), '%Y/%m/%d')) AS "timestamp",
  src AS "$path"
FROM ${map.length ? `(SELECT raw.r, coalesce(s.source, raw.filename) AS src FROM ${from} AS raw LEFT JOIN ct_sources s ON s.temp = raw.filename)` : `(SELECT raw.r, raw.filename AS src FROM ${from} AS raw)`}`;
    await conn.run(view);
    const bytes = selection.files.reduce((n, f) => n + f.size, 0);
    return { warnings, files: selection.files.length, bytes };
  }

  /**
   * Builds the `cloudtrail` view over `selection` and runs `fn`; a log file DuckDB's typed reader refuses (a field
   * of an unexpected type, damaged JSON) is read through the record core instead (which coerces or skips what does
   * not fit) and `fn` runs again. `selection` is changed in place (files marked not direct, or left out).
   */
  private async withView<T>(selection: FileSelection, tempDir: string, onProgress: ((message: string) => void) | undefined, only: ReadonlySet<string> | undefined, sqlForPosition: string, fn: (conn: DuckDBConnection, prep: { files: number }) => Promise<T>): Promise<{ value: T; warnings: string[]; files: number; bytes: number }> {
    const retried: string[] = [];
    for (let attempt = 0; ; attempt++) {
      const prep = await this.prepare(selection, tempDir, onProgress, only);
      const conn = await this.connection();
      try {
        const value = await fn(conn, prep);
        for (const r of retried) prep.warnings.push(`${r}: read through the record parser (DuckDB's typed reader refused a value in it)`);
        return { value, ...prep };
      } catch (err) {
        if (this.cancelled) throw new QueryError('The query was cancelled.', undefined, undefined, 'cancelled');
        if (err instanceof QueryError) throw err;
        const message = err instanceof Error ? err.message : String(err);
        const bad = /(?:JSON transform error|Malformed JSON|JSON) [^\n]*in file "([^"]+)"/.exec(message)?.[1];
        const file = bad ? selection.files.find((f) => f.path === bad && f.direct) : undefined;
        if (file && attempt < 50) {
          file.direct = false;
          retried.push(file.path);
          continue;
        }
        if (bad && !file && attempt < 50) {
          // A normalised copy still failed: leave its source out and say so.
          const src = selection.files.findIndex((f) => !f.direct && bad.includes(f.info.name.replace(/\.(json|jsonl|ndjson)?(\.gz)?$/i, '')));
          if (src >= 0) {
            selection.errors.push(`${selection.files[src].path} was left out: ${message.split('\n')[0]}`);
            selection.files.splice(src, 1);
            continue;
          }
        }
        const oom = explainEngineError(message, this.settings);
        if (oom.outOfMemory) throw new QueryError(oom.message, undefined, undefined, 'engine');
        const pos = errorPosition(message, sqlForPosition);
        throw new QueryError(message, pos.line, pos.column, 'sql');
      }
    }
  }

  private async tempFolder(): Promise<string> {
    const tempRoot = this.settings.tempDirectory || os.tmpdir();
    await fsp.mkdir(tempRoot, { recursive: true }).catch(() => undefined);
    return fsp.mkdtemp(path.join(tempRoot, 'ctl-query-'));
  }

  /** Runs the user's SQL on the prepared connection and turns the reader into a result. */
  private async runSql(conn: DuckDBConnection, q: LocalQuery): Promise<Pick<QueryResult, 'columns' | 'rows' | 'truncated'>> {
    const maxRows = q.maxRows ?? 10_000;
    const reader = await conn.runAndReadUntil(q.sql, maxRows + 1);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.toString());
    let rows = reader.getRowsJson() as unknown[][];
    const truncated = rows.length > maxRows || !reader.done;
    if (rows.length > maxRows) rows = rows.slice(0, maxRows);
    return { columns: names.map((name, i) => ({ name, type: types[i] })), rows, truncated };
  }

  /** Runs one query over local files (through the Parquet cache when `q.cache` is set and a cache folder is known). */
  /** The query running now: queries share one connection and its `cloudtrail` view, so they run one at a time. */
  private running: Promise<unknown> = Promise.resolve();

  /**
   * Runs `q`. Queries on one engine run one after another: each replaces the connection's `cloudtrail` view and
   * removes its normalised copies when it ends, which would pull the files from under a query running beside it.
   */
  query(q: LocalQuery, onProgress?: (message: string) => void): Promise<QueryResult> {
    const run = this.running.then(() => this.queryNow(q, onProgress));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async queryNow(q: LocalQuery, onProgress?: (message: string) => void): Promise<QueryResult> {
    this.cancelled = false;
    const started = Date.now();
    const range = q.range ?? rangeFromSql(q.sql);
    if (q.cache && this.settings.cacheDirectory) {
      const { queryThroughCache } = await import('./cache');
      const conn = await this.connection();
      const r = await queryThroughCache(
        {
          conn,
          cacheRoot: this.settings.cacheDirectory,
          cancelled: () => this.cancelled,
          buildGroup: async (selection, target) => {
            const tempDir = await this.tempFolder();
            try {
              const built = await this.withView(selection, tempDir, undefined, undefined, '', async (c) => {
                await c.run(`COPY (SELECT * FROM cloudtrail) TO ${sqlString(target)} (FORMAT parquet, COMPRESSION zstd)`);
              });
              return { warnings: built.warnings };
            } finally {
              await fsp.rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
            }
          },
          emptyView: async () => {
            await this.prepare({ files: [], skippedByRange: 0, skippedOther: 0, errors: [] }, os.tmpdir(), undefined, undefined);
          },
        },
        q.paths,
        range,
        onProgress,
      );
      onProgress?.(`Querying the cache (${r.filesRead} file${r.filesRead === 1 ? '' : 's'})…`);
      let out;
      try {
        out = await this.runSql(conn, q);
      } catch (err) {
        if (this.cancelled) throw new QueryError('The query was cancelled.', undefined, undefined, 'cancelled');
        const message = err instanceof Error ? err.message : String(err);
        const oom = explainEngineError(message, this.settings);
        if (oom.outOfMemory) throw new QueryError(oom.message, undefined, undefined, 'engine');
        const pos = errorPosition(message, q.sql);
        throw new QueryError(message, pos.line, pos.column, 'sql');
      }
      return {
        engine: 'duckdb',
        ...out,
        elapsedMs: Date.now() - started,
        filesRead: r.filesRead,
        bytesRead: r.bytesRead,
        filesSkipped: r.filesSkipped,
        ...(range ? { range } : {}),
        cache: r.stats,
        warnings: r.warnings,
      };
    }
    onProgress?.('Listing files…');
    const selection = await selectFiles(q.paths, range);
    if (selection.files.length === 0 && selection.errors.length && selection.skippedByRange === 0) {
      throw new QueryError(`No log files could be read: ${selection.errors.join('; ')}`, undefined, undefined, 'input');
    }
    const tempDir = await this.tempFolder();
    try {
      const done = await this.withView(selection, tempDir, onProgress, referencedColumns(q.sql), q.sql, (conn, prep) => {
        onProgress?.(`Querying ${prep.files} file${prep.files === 1 ? '' : 's'}…`);
        return this.runSql(conn, q);
      });
      return {
        engine: 'duckdb',
        ...done.value,
        elapsedMs: Date.now() - started,
        filesRead: done.files,
        bytesRead: done.bytes,
        filesSkipped: selection.skippedByRange,
        ...(range ? { range } : {}),
        warnings: done.warnings,
      };
    } finally {
      await fsp.rm(tempDir, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
