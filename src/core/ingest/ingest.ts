/**
 * The one way records reach a table. `ingest(table, plan, options)` takes a plan of sources and fills the table:
 * - one file's bytes (the viewer opening a log, digest or JSON Lines file): indexed in slices on this thread, big
 *   logs half in a worker (core/table/indexer.ts);
 * - many files (a log folder's "Open All Events", query results' files, the selector dry run): parsed on the
 *   worker pool (core/local/pool.ts), each file handed back as a *piece* — its records' texts and their table
 *   rows, made in the worker — and imported here with no parse (records.ts);
 * - in-memory events (LookupEvents, an S3 object decoded in memory, query results): written once as compact JSON
 *   and added as pieces, in slices.
 * Rows are added in plan order while the work goes on (a viewer shows them at once), with progress,
 * cancellation (AbortSignal), a record cap, a report per file (damaged files) and where each row came from
 * (origins.ts). The `{"Records":[…]}` text of a combined table is never built here (recordsDocumentOfTable does
 * that when someone asks for it). Pure (no `vscode`); the CLI and benches can use it too.
 */
import type { CloudTrailRecord, DigestInfo, FileKind, JsonObject, JsonValue, Problem } from '../records/types';
import type { RecordTable } from '../table';
import { indexBytes } from '../table/indexer';
import type { FileOutcome, ParsePool } from '../local/pool';
import type { WorkerPool } from '../pool/pool';
import { parseKeepingText, recordText } from '../local/record-text';
import { PieceWriter, cutPiece, pieceOf, pieceOfEvents, pieceOfFile, type RecordsPiece } from './records';
import { Origins, type Origin } from './origins';

export type { FileOutcome } from '../local/pool';

/** One file of a many-files source: a local path the worker reads itself, or how to get its bytes. */
export interface FileSource {
  /** Shown in progress and problem reports (usually the path relative to the folder). */
  name: string;
  path?: string;
  read?: () => Promise<Uint8Array>;
  /** Where its records came from (the Source column, "Open source file at this record"). */
  origin?: Origin;
}

export type IngestSource =
  /** One file's bytes (decompressed or not): only as the plan's single source; it may be a digest. */
  | { kind: 'bytes'; name: string; bytes: Uint8Array; origin?: Origin }
  /** Many files, parsed on the worker pool (options.pool) in parallel, added in this order. */
  | { kind: 'files'; files: readonly FileSource[] }
  /** Records parsed already (e.g. picked from files by a query), with their texts: no parse, no serialisation. */
  | { kind: 'records'; records: readonly CloudTrailRecord[]; origin?: Origin }
  /** Events already in memory; `origin` may depend on the event (e.g. its account). */
  | { kind: 'events'; events: readonly JsonValue[]; origin?: Origin | ((event: JsonObject) => Origin) };

export interface IngestPlan {
  sources: readonly IngestSource[];
  /** Most records added (default: no cap); what is left out makes the result `truncated`. */
  maxRecords?: number;
}

export interface IngestProgress {
  /** Files (or in-memory sources) done and in all. */
  done: number;
  total: number;
  /** Rows in the table so far from this ingest. */
  records: number;
  /** For one file's bytes: bytes read so far and the size. */
  bytesRead?: number;
  bytesTotal?: number;
}

export interface IngestOptions {
  /** The worker pool for `files` sources. Without it files are parsed on this thread, one per turn (tests, CLI). */
  pool?: ParsePool;
  /** The worker pool (or its worker script, out/worker-pool.js) that shares the indexing of one big file. */
  chunkWorkers?: string | WorkerPool;
  signal?: AbortSignal;
  /** Called (often) while the work goes on. */
  onProgress?: (p: IngestProgress) => void;
  /** How the work was split (indexer) and other notes for the log. */
  log?: (message: string) => void;
  /** Where rows' origins are recorded (default: a new Origins); pass one to read them while rows arrive. */
  origins?: Origins;
  /** Build the quick filter's search index in the background after filling (default true). */
  searchIndex?: boolean;
  /** Most decompressed bytes of each gzip file (default: the core's DEFAULT_MAX_DECOMPRESSED; issue 14 D4). */
  maxDecompressed?: number;
}

export interface IngestResult {
  /** Rows added to the table. */
  records: number;
  /** Records seen before the cap cut them (≥ records). */
  recordsSeen: number;
  truncated: boolean;
  cancelled: boolean;
  /** One outcome per file of `files` sources (and the single `bytes` source), in plan order. */
  files: FileOutcome[];
  /** For a single `bytes` source: what the file is, its problems, whether it was gzip, its digest. */
  kind: FileKind;
  problems: Problem[];
  gzipped: boolean;
  digest?: DigestInfo;
  /** Records a worker thread indexed (one big file). */
  workerRecords: number;
  /** Where each row came from (empty for a single file). */
  origins: Origins;
  /** Resolves when the quick filter's search index is built (never rejects). */
  searchIndex: Promise<void>;
}

/**
 * What `cloudtrailLens.openRecords` takes to open a combined record view (every source — a log folder, recent
 * events, query results, a dry run's records — hands one to the viewer): its tab title, the plan that fills it,
 * and hooks for whoever asked for it.
 */
export interface CombinedRecords {
  /** The tab title: what was combined, e.g. `account 123456789012 · 31 files`. */
  title: string;
  plan: IngestPlan;
  /** Aborting stops reading (the rows read so far stay). Closing the editor stops it too. */
  signal?: AbortSignal;
  onProgress?: (p: IngestProgress) => void;
  /** Called once when the work ends (done, cancelled or failed: then with an error). */
  onDone?: (result: IngestResult | undefined, error?: unknown) => void;
}

/** In-memory events are added this many at a time; the thread yields between slices. */
const EVENTS_SLICE = 2000;
const INDEX_SLICE_MS = 8;
const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/** Fills `table` from the plan's sources, in order. Never rejects for bad input (it becomes problems). */
export async function ingest(table: RecordTable, plan: IngestPlan, options: IngestOptions = {}): Promise<IngestResult> {
  const signal = options.signal;
  const stopped = () => signal?.aborted === true;
  const origins = options.origins ?? new Origins();
  const result: IngestResult = {
    records: 0,
    recordsSeen: 0,
    truncated: false,
    cancelled: false,
    files: [],
    kind: 'unknown',
    problems: [],
    gzipped: false,
    workerRecords: 0,
    origins,
    searchIndex: Promise.resolve(),
  };
  const sources = plan.sources;
  const single = sources.length === 1 && sources[0].kind === 'bytes' ? sources[0] : undefined;
  if (single) return ingestBytes(table, single, result, options);

  const cap = plan.maxRecords ?? Number.POSITIVE_INFINITY;
  const total = sources.reduce((n, s) => n + (s.kind === 'files' ? s.files.length : 1), 0);
  let done = 0;
  const first = table.size;
  const writer = new PieceWriter(table);
  const progress = () => options.onProgress?.({ done, total, records: table.size - first });
  /** Adds a piece within the cap; false once the cap is reached. */
  const take = (piece: RecordsPiece, origin: Origin | undefined, sourceIndex = 0): boolean => {
    const n = piece.rows.count;
    result.recordsSeen += n;
    const room = cap - result.records;
    if (room <= 0) {
      if (n > 0) result.truncated = true;
      return false;
    }
    const p = n > room ? cutPiece(piece, room) : piece;
    if (n > room) result.truncated = true;
    const at = table.size;
    writer.add(p);
    const added = table.size - at;
    result.records += added;
    if (origin) origins.add(at, added, origin, sourceIndex);
    return result.records < cap;
  };

  for (const source of sources) {
    if (stopped()) break;
    if (result.records >= cap) {
      result.truncated = true;
      break;
    }
    if (source.kind === 'records') {
      const at = table.size;
      if (source.records.length) take(pieceOf(source.records, source.records.map((r) => recordText(r))), undefined);
      // Each record keeps its own place in its file (a query picks some records of a file, not a run of them).
      if (source.origin) for (let k = 0; k < table.size - at; k++) origins.add(at + k, 1, source.origin, source.records[k].index);
      done++;
      progress();
      await nextTurn();
    } else if (source.kind === 'events') {
      await addEvents(source, take, stopped);
      done++;
      progress();
    } else {
      const files = source.kind === 'files' ? source.files : [{ name: source.name, read: async () => source.bytes, origin: source.origin }];
      const outcomes = await addFiles(files, cap - result.records, options, take, () => {
        done++;
        progress();
      });
      result.files.push(...outcomes.files);
      if (outcomes.truncated) result.truncated = true;
    }
  }
  result.cancelled = stopped();
  progress();
  if (options.searchIndex !== false && !result.cancelled) result.searchIndex = buildIndex(table, stopped);
  return result;
}

/** Events in slices of EVENTS_SLICE, each written once as compact JSON (pieceOfEvents). */
async function addEvents(
  source: Extract<IngestSource, { kind: 'events' }>,
  take: (piece: RecordsPiece, origin: Origin | undefined, sourceIndex?: number) => boolean,
  stopped: () => boolean,
): Promise<void> {
  const events = source.events.filter((e): e is JsonObject => e !== null && typeof e === 'object' && !Array.isArray(e));
  const originOf = source.origin;
  for (let at = 0; at < events.length; at += EVENTS_SLICE) {
    if (at > 0) {
      await nextTurn();
      if (stopped()) return;
    }
    const slice = events.slice(at, at + EVENTS_SLICE);
    if (typeof originOf !== 'function') {
      if (!take(pieceOfEvents(slice), originOf, at)) return;
      continue;
    }
    // Runs of events with the same origin (LookupEvents: the same account) become one piece each.
    let from = 0;
    while (from < slice.length) {
      const o = originOf(slice[from]);
      let to = from + 1;
      while (to < slice.length && originOf(slice[to]) === o) to++;
      if (!take(pieceOfEvents(slice.slice(from, to)), o, at + from)) return;
      from = to;
    }
  }
}

/**
 * Files on the pool (or on this thread without one). Pieces arrive in any order; they are added in file order as
 * soon as every earlier file is in.
 */
async function addFiles(
  files: readonly FileSource[],
  room: number,
  options: IngestOptions,
  take: (piece: RecordsPiece, origin: Origin | undefined, sourceIndex?: number) => boolean,
  fileDone: () => void,
): Promise<{ files: FileOutcome[]; truncated: boolean }> {
  const waiting = new Map<number, RecordsPiece>();
  let next = 0;
  let full = false;
  const outcomes: (FileOutcome | undefined)[] = new Array(files.length);
  const flush = () => {
    while (next < files.length && outcomes[next] !== undefined) {
      const piece = waiting.get(next);
      waiting.delete(next);
      if (piece && !full && !take(piece, files[next].origin)) full = true;
      next++;
    }
  };
  const got = (index: number, piece: RecordsPiece | undefined, outcome: FileOutcome) => {
    outcomes[index] = outcome;
    if (piece) waiting.set(index, piece);
    flush();
  };
  if (options.pool) {
    const run = await options.pool.run(
      files.map((f) => ({ name: f.name, path: f.path, read: f.read })),
      {
        maxRecords: room,
        signal: options.signal,
        maxDecompressed: options.maxDecompressed,
        onFile: (index, outcome, piece) => {
          try {
            got(index, piece, outcome);
          } catch (err) {
            // An inconsistent piece (a worker bug): that file is reported, the others go on.
            outcome.error = `could not add its records: ${err instanceof Error ? err.message : String(err)}`;
          }
          fileDone();
        },
      },
    );
    // Files never started (cap reached, cancelled) have no callback: their outcomes are final now.
    run.files.forEach((o, i) => {
      if (outcomes[i] === undefined) outcomes[i] = o;
    });
    flush();
    return { files: run.files, truncated: run.truncated || full };
  }
  // No pool: one file per turn on this thread.
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    const outcome: FileOutcome = { name: f.name, problems: [], recordCount: 0 };
    if (full || options.signal?.aborted) {
      outcome.skipped = true;
      got(i, undefined, outcome);
      continue;
    }
    try {
      const bytes = f.read ? await f.read() : await readLocal(f.path);
      const { result, text } = parseKeepingText(bytes, f.name, { maxDecompressed: options.maxDecompressed });
      outcome.kind = result.kind;
      outcome.gzipped = result.gzipped;
      outcome.problems = result.problems;
      outcome.recordCount = result.records.length;
      if (result.digest) outcome.digest = result.digest;
      got(i, result.records.length ? pieceOfFile(result.records, text) : undefined, outcome);
    } catch (err) {
      outcome.error = `could not read: ${err instanceof Error ? err.message : String(err)}`;
      got(i, undefined, outcome);
    }
    fileDone();
    await nextTurn();
  }
  return { files: outcomes as FileOutcome[], truncated: full };
}

async function readLocal(path: string | undefined): Promise<Uint8Array> {
  if (path === undefined) throw new Error('nothing to read');
  const fs = await import('node:fs/promises');
  return fs.readFile(path);
}

/** One file's bytes: the indexer (slices on this thread, big logs half in a worker). */
async function ingestBytes(
  table: RecordTable,
  source: Extract<IngestSource, { kind: 'bytes' }>,
  result: IngestResult,
  options: IngestOptions,
): Promise<IngestResult> {
  const signal = options.signal;
  const total = source.bytes.length;
  const first = table.size;
  const onProgress = options.onProgress;
  // No callback may hold `source.bytes` (indexBytes keeps `cancelled` for its background phase).
  const indexed = await indexBytes(source.bytes, table, {
    fileName: source.name,
    maxDecompressed: options.maxDecompressed,
    chunkWorkers: options.chunkWorkers,
    onProgress: onProgress && ((read) => onProgress({ done: 0, total: 1, records: table.size - first, bytesRead: Math.min(read, total), bytesTotal: total })),
    cancelled: () => signal?.aborted === true,
    log: options.log,
    searchIndex: options.searchIndex,
  });
  if (!indexed) {
    result.cancelled = true;
    return result;
  }
  result.records = result.recordsSeen = table.size - first;
  result.kind = indexed.kind;
  result.problems = indexed.problems;
  result.gzipped = indexed.gzipped;
  result.workerRecords = indexed.workerRecords;
  if (indexed.digest) result.digest = indexed.digest;
  result.searchIndex = indexed.searchIndex;
  if (source.origin) result.origins.add(first, result.records, source.origin);
  const outcome: FileOutcome = { name: source.name, kind: indexed.kind, gzipped: indexed.gzipped, problems: indexed.problems, recordCount: result.records };
  if (indexed.digest) outcome.digest = indexed.digest;
  result.files.push(outcome);
  onProgress?.({ done: 1, total: 1, records: result.records, bytesRead: total, bytesTotal: total });
  return result;
}

/** The quick filter's search texts and index, then compaction, in slices (as the indexer does for one file). */
async function buildIndex(table: RecordTable, stopped: () => boolean): Promise<void> {
  try {
    while (!table.makeSearchTexts(performance.now() + INDEX_SLICE_MS)) {
      await nextTurn();
      if (stopped()) return;
    }
    while (!table.buildSearchIndex(performance.now() + INDEX_SLICE_MS)) {
      await nextTurn();
      if (stopped()) return;
    }
    while (!table.compactTexts(performance.now() + INDEX_SLICE_MS)) {
      await nextTurn();
      if (stopped()) return;
    }
  } catch {
    // Only speed depends on the index: a table without it is searched in full.
  }
}

/** True when a file yielded nothing usable or had errors worth telling the user about (a damaged file). */
export function isDamaged(f: FileOutcome): boolean {
  if (f.skipped) return false;
  if (f.error !== undefined) return true;
  if (f.kind === 'unknown') return true;
  return f.problems.some((p) => p.severity === 'error');
}

/** One line per problem of the damaged files (at most `perFile` each), for a log. */
export function damageReport(files: readonly FileOutcome[], perFile = 20): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (!isDamaged(f)) continue;
    if (f.error !== undefined) {
      out.push(`${f.name}: ${f.error}`);
      continue;
    }
    if (f.kind === 'unknown' && f.problems.length === 0) out.push(`${f.name}: not a CloudTrail file`);
    for (const p of f.problems.slice(0, perFile)) out.push(`${f.name}:${p.line}:${p.column}: ${p.severity}: ${p.message}${p.code ? ` [${p.code}]` : ''}`);
    if (f.problems.length > perFile) out.push(`${f.name}: … and ${f.problems.length - perFile} more problems`);
  }
  return out;
}
