/**
 * Indexing a whole file's bytes into a RecordTable, on two cores when it pays.
 *
 * One thread parses JSON at about the speed of one `JSON.parse` of the file, and building the table costs half
 * as much again, so a single thread cannot index much faster than 1.5 × the time of reading + JSON.parse. For a
 * big `{"Records":[…]}` log this module shares the work with a worker thread: the file after the first slice is
 * cut into chunks at records found every few MiB; the worker parses and indexes chunks from the end of the file
 * backwards while this thread parses from the start, and when this thread reaches a chunk from which on every
 * chunk is done, it appends their rows (RecordTable.importRows) and stops. Neither side waits for the other for
 * more than one chunk, however fast each core turns out to be.
 *
 * The cuts are guesses: a `{"<first key of the first record>"` after a comma could be an object nested inside a
 * record. Each is checked by a real parse: this thread's parser must be between two records of the `Records`
 * array exactly where it takes over the worker's chunks (StreamingParser.recordBoundary), and the worker's parse
 * of each chunk must end between two records exactly where the next chunk starts, without any problem. Whatever
 * fails that is parsed by this thread, so the result is always the same as a single-threaded parse.
 *
 * Then the table's search texts and search index (signatures, pairs.ts, and tokens, tokens.ts) are made in slices
 * on this thread, the worker sending the signatures and tokens of its rows (IndexResult.searchIndex): the table is
 * usable before, typing in the filter is faster after.
 */
import { WorkerPool, TaskCancelled } from '../pool/pool';
import { StreamingParser, type CloudTrailRecord, type ParseResult } from '../records';
import { isGzip } from '../records/gunzip';
import { RecordTable, type TableRows } from './table';
import { signaturesOf } from './pairs';
import { TokenIndex, type TokenExport } from './tokens';
import { rowsTransfer } from './transfer';

/** Text the worker's parser reads before a chunk, so it parses as the inside of a `Records` array. */
export const CHUNK_PREFIX = '{"Records":[';

/** Slots of the Int32Array both threads share (over ChunksTask.shared). */
const MAIN_CHUNK = 0; // the chunk this thread has started (only grows): the worker leaves it and those before
const WORKER_CHUNK = 1; // the chunk the worker is on, -1 once it stopped
const STOPPED = 2; // 1: this thread wants nothing more (no rows, no search indexes): the worker ends its task
/** Bytes of ChunksTask.shared. */
const SHARED_BYTES = 12;

/** What the worker thread is sent. */
export interface ChunksTask {
  /** The file from starts[0] to its end (a transferred copy). */
  bytes: Uint8Array;
  /** Chunk k is bytes[starts[k] … starts[k+1]) (the last one runs to the end). */
  starts: number[];
  /** Characters per parser slice; between slices the worker checks whether this thread took its chunk. */
  sliceChars: number;
  /** Send the search index (signatures and tokens) of the rows at the end (see chunkIndex). */
  searchIndex: boolean;
  /** Int32Array slots MAIN_CHUNK, WORKER_CHUNK and STOPPED. */
  shared: SharedArrayBuffer;
}

/** The search index the worker computed for a chunk's rows. */
interface ChunkIndex {
  words: Uint32Array;
  tokens?: TokenExport;
}

/** What the worker thread posts: a message per chunk it indexed (last chunk first), then each one's search index, then 'done'. */
export type ChunkMessage =
  | {
      type: 'rows';
      chunk: number;
      rows: TableRows;
      /** The chunk's decoded text; row ranges count from CHUNK_PREFIX, i.e. text[0] is at CHUNK_PREFIX.length. */
      text: string;
      /** Line breaks in text (the next chunk starts that many lines further down). */
      newlines: number;
    }
  /** The worker could not use this chunk (a problem in it, or it does not end between two records) and stopped. */
  | { type: 'failed'; chunk: number; reason: string }
  /** The search index of a chunk's rows: signatures (pairs.ts, WORDS words per row) and tokens (tokens.ts). */
  | { type: 'index'; chunk: number; words: Uint32Array; tokens?: TokenExport }
  /** Nothing more will come. */
  | { type: 'done' };

/**
 * The worker's side of indexBytes: indexes chunks from the last one backwards until it reaches one this thread
 * took, posting each. A chunk with any problem ends the work (this thread parses it and reports the problem
 * with its real position). `post` takes a message and the buffers to transfer.
 */
export function indexChunks(task: ChunksTask, post: (m: ChunkMessage, transfer: ArrayBuffer[]) => void): void {
  const shared = new Int32Array(task.shared);
  const stopped = () => Atomics.load(shared, STOPPED) !== 0;
  const taken = (k: number) => Atomics.load(shared, MAIN_CHUNK) >= k || stopped();
  const indexes: (() => ChunkMessage | undefined)[] = [];
  try {
    for (let k = task.starts.length - 1; k >= 0 && !taken(k); k--) {
      Atomics.store(shared, WORKER_CHUNK, k);
      const m = indexChunk(task, k, () => taken(k));
      if (!m) break;
      if (m.type === 'rows' && task.searchIndex) {
        const later = chunkIndex(m);
        if (later) indexes.push(later);
      }
      post(m, transferOf(m));
      if (m.type !== 'rows') break;
    }
  } finally {
    Atomics.store(shared, WORKER_CHUNK, -1);
  }
  for (const later of indexes) {
    if (stopped()) break;
    const m = later();
    if (m) post(m, transferOf(m));
  }
  post({ type: 'done' }, []);
}

/** Chunk k as a 'rows' message, 'failed', or undefined when `abandon()` said this thread took it meanwhile. */
function indexChunk(task: ChunksTask, k: number, abandon: () => boolean): ChunkMessage | undefined {
  const last = k === task.starts.length - 1;
  const text = new TextDecoder('utf-8').decode(task.bytes.subarray(task.starts[k], last ? task.bytes.length : task.starts[k + 1]));
  const parser = new StreamingParser();
  const table = new RecordTable({ keepText: false });
  parser.pushText(CHUNK_PREFIX);
  const slice = Math.max(4096, Math.floor(task.sliceChars) || 512 * 1024);
  for (let off = 0; off < text.length; off += slice) {
    if (abandon()) return undefined;
    table.add(parser.pushText(text.slice(off, off + slice)));
  }
  let end: ParseResult;
  if (last) {
    end = parser.end();
    table.add(end.records);
  } else {
    if (!parser.recordBoundary()) return { type: 'failed', chunk: k, reason: `chunk ${k} does not end between two records` };
    end = parser.endAtBoundary(0);
  }
  if (end.kind !== 'log') return { type: 'failed', chunk: k, reason: `chunk ${k} read as ${end.kind}` };
  if (end.problems.length) return { type: 'failed', chunk: k, reason: `chunk ${k} has problems (${end.problems[0].message})` };
  let newlines = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines++;
  return { type: 'rows', chunk: k, rows: table.exportRows(), text, newlines };
}

/**
 * How to compute the search index (signatures and tokens) of the rows of a 'rows' message (call before posting
 * it, run after), from the same search texts the receiving table makes (lowerPiece). The function returns
 * undefined when the text's lower case changes its length (then that table builds them itself).
 */
function chunkIndex(m: ChunkMessage): (() => ChunkMessage | undefined) | undefined {
  if (m.type !== 'rows') return undefined;
  const { text, chunk } = m;
  // Copies: posting the rows transfers (empties) their arrays.
  const starts = m.rows.starts.slice();
  const ends = m.rows.ends.slice();
  const loose = new Map<number, string>();
  m.rows.looseRows.forEach((row, k) => loose.set(row, m.rows.looseTexts[k]));
  const at = CHUNK_PREFIX.length;
  return () => {
    const lower = text.toLowerCase();
    if (lower.length !== text.length) return undefined;
    const rowText = (k: number) => loose.get(k)?.toLowerCase() ?? lower.slice(starts[k] - at, ends[k] - at);
    const words = signaturesOf(starts.length, rowText);
    const tokens = new TokenIndex();
    for (let k = 0; k < starts.length && tokens.add(rowText(k)); k++);
    return { type: 'index', chunk, words, tokens: tokens.export() };
  };
}

/** The buffers to transfer with a message. */
function transferOf(m: ChunkMessage): ArrayBuffer[] {
  if (m.type === 'index') return [m.words.buffer as ArrayBuffer, ...(m.tokens ? TokenIndex.transferables(m.tokens) : [])];
  if (m.type !== 'rows') return [];
  return rowsTransfer(m.rows);
}

export interface IndexOptions {
  /** For the parser (e.g. a `.jsonl` name makes a one-line file JSON Lines). */
  fileName?: string;
  /** Most decompressed bytes when `bytes` is gzip (default: the core's DEFAULT_MAX_DECOMPRESSED; issue 14 D4). */
  maxDecompressed?: number;
  /**
   * The worker pool whose index-chunks task shares the work (src/core/pool), or the pool worker script
   * (out/worker-pool.js) to start a worker for this file alone; without it, one thread does everything.
   */
  chunkWorkers?: string | WorkerPool;
  /** Files with fewer bytes are indexed on this thread alone (default 8 MiB): a worker costs ~50 ms to start. */
  parallelFrom?: number;
  /** Bytes parsed per slice (default 512 KiB); the thread yields between slices. */
  sliceBytes?: number;
  /** Bytes per chunk shared with the worker (default: 1/24 of the file, at least 2 MiB). */
  chunkBytes?: number;
  /** Awaited between slices (default: one setImmediate turn) so the thread stays responsive. */
  pause?: () => Promise<void>;
  /** Called after each slice with an estimate of the bytes read (both threads). */
  onProgress?: (bytesRead: number) => void;
  /**
   * Polled after every pause; true stops the work (indexBytes then resolves undefined). Kept until
   * IndexResult.searchIndex settles, so it should not hold big data (nor share a scope with a closure that does).
   */
  cancelled?: () => boolean;
  /**
   * How long to wait for the chunk the worker is finishing when it is the only one missing (default: 4 × the
   * time this thread took per chunk so far, at least 2 s). Past it this thread parses that chunk itself.
   */
  workerTimeoutMs?: number;
  /**
   * false: build no search index and leave the texts uncompacted (IndexResult.searchIndex resolves once the search
   * texts are made). Default true.
   */
  searchIndex?: boolean;
  /** Told how the work was shared, or why the worker's part was not used (for the log). */
  log?: (message: string) => void;
}

/** What indexBytes found (the records themselves went to the table: `records` is empty). */
export interface IndexResult extends ParseResult {
  /** How many of the table's records the worker thread indexed: 0 when this thread did everything. */
  workerRecords: number;
  /**
   * Resolves when the table's search texts are made (makeSearchTexts), its search index is complete
   * (buildSearchIndex, run in slices on this thread; the worker's rows get theirs from the worker) and its texts
   * are compacted (compactTexts). The table is fully usable before: these only make quick-filter keystrokes
   * faster, and compacting only frees memory. Never rejects; stops early when cancelled.
   */
  searchIndex: Promise<void>;
}

const DEFAULT_SLICE = 512 * 1024;
const DEFAULT_PARALLEL_FROM = 8 * 1024 * 1024;
/** Compressed bytes per slice when the parser has to decompress (damaged gzip): they expand 20-fold or more. */
const GZIP_SLICE = 32 * 1024;
const MIN_CHUNK = 2 * 1024 * 1024;
/**
 * The largest share of the file the worker may take. The two threads meet near the middle when both cores are
 * free; the cap bounds the copy the worker needs (the chunks are copied into its memory up front).
 */
const WORKER_MOST = 2 / 3;
/** How far past the chosen point to look for a record start. */
const SPLIT_WINDOW = 4 * 1024 * 1024;

const nextTurn = () => new Promise<void>((r) => setImmediate(r));

/**
 * Parses `bytes` (a whole file: plain text, or gzip that the caller could not inflate) and adds every record
 * to `table`, slice by slice. Resolves with the parse result (kind, problems; its `records` are empty, they
 * went to the table), or undefined when `cancelled()` said so. Never rejects for bad input.
 */
export async function indexBytes(bytes: Uint8Array, table: RecordTable, options: IndexOptions = {}): Promise<IndexResult | undefined> {
  const started = performance.now();
  const gz = isGzip(bytes);
  const slice = gz ? Math.min(GZIP_SLICE, options.sliceBytes ?? GZIP_SLICE) : (options.sliceBytes ?? DEFAULT_SLICE);
  const pause = options.pause ?? nextTurn;
  // The background phase keeps `stop` (not `options`: the caller's callbacks may hold the file's bytes).
  const cancelled = options.cancelled;
  const stop = () => cancelled?.() === true;
  const wantIndex = options.searchIndex !== false;
  const parser = new StreamingParser({ fileName: options.fileName, maxDecompressed: options.maxDecompressed });
  const take = (records: CloudTrailRecord[]) => {
    if (records.length) table.add(records);
  };
  const canSplit = !gz && options.chunkWorkers !== undefined && bytes.length >= (options.parallelFrom ?? DEFAULT_PARALLEL_FROM);
  let worker: Chunks | undefined;
  let tried = false;
  /** Where the next slice must stop: the next chunk start, or the end. */
  let stopAt = bytes.length;
  try {
    for (let off = 0; off < bytes.length; ) {
      const end = Math.min(off + slice, stopAt);
      take(parser.push(bytes.subarray(off, end)));
      off = end;
      if (canSplit && !tried && table.size > 0 && parser.inRecordsArray) {
        // Once a record was read its first key is known: cut the rest into chunks (once), start the worker.
        tried = true;
        // The worker gets a copy of the part it may index: at most the last WORKER_MOST of the file.
        const from = Math.max(off, Math.floor(bytes.length * (1 - WORKER_MOST)));
        const starts = chunkStarts(bytes, from, firstKey(table), options.chunkBytes ?? Math.max(MIN_CHUNK, Math.ceil(bytes.length / 24)));
        if (starts.length > 0) {
          worker = startChunks(options.chunkWorkers!, bytes, starts, slice, wantIndex);
          stopAt = starts[0];
        }
      }
      options.onProgress?.(Math.min(bytes.length, off + (worker ? worker.doneBytes() : 0)));
      await pause();
      if (stop()) return undefined;
      // Damaged .gz: the parser inflates a bounded amount per push; drain the rest in turns too.
      while (parser.backlog) {
        take(parser.push(new Uint8Array(0)));
        await pause();
        if (stop()) return undefined;
      }
      if (worker && off === stopAt && off < bytes.length) {
        const j = worker.starts.indexOf(off);
        const perByte = (performance.now() - started) / Math.max(1, off);
        const taken = await worker.takeFrom(j, parser, table, options.workerTimeoutMs ?? Math.max(2000, 4 * perByte * worker.size(j)));
        if (stop()) return undefined;
        if (taken) {
          options.onProgress?.(bytes.length);
          options.log?.(`indexed on two threads: the worker took ${taken.records} records from byte ${off}`);
          const searchIndex = buildSearchIndex(table, pause, stop, wantIndex, worker.searchIndexFrom(j, taken.firstRow));
          worker = undefined; // it still sends search indexes; buildSearchIndex ends it
          return { ...parser.endAtBoundary(taken.textLength), workerRecords: taken.records, searchIndex };
        }
        // This thread parses chunk j (the worker leaves it) and looks again where the next one starts.
        stopAt = j + 1 < worker.starts.length ? worker.starts[j + 1] : bytes.length;
        if (stopAt === bytes.length) {
          options.log?.(`indexed on one thread: ${worker.why()}`);
          worker.cancel();
          worker = undefined;
        }
      }
    }
    const result = parser.end();
    take(result.records);
    // Gzip damage found at the end: records added before it was known are not shown as good.
    if (result.untrusted) table.markUnverifiedFrom(result.untrusted.from);
    return { ...result, records: [], workerRecords: 0, searchIndex: buildSearchIndex(table, pause, stop, wantIndex) };
  } finally {
    worker?.cancel();
  }
}

/** Chunk starts after `from`: a record start found about every `size` bytes, none within MIN_CHUNK of the end. */
function chunkStarts(bytes: Uint8Array, from: number, key: string | undefined, size: number): number[] {
  const starts: number[] = [];
  const step = Math.max(64 * 1024, size);
  for (let at = from + step; at < bytes.length - Math.min(step, MIN_CHUNK); ) {
    const cut = findCut(bytes, at, key);
    if (cut < 0 || cut >= bytes.length) break;
    starts.push(cut);
    at = cut + step;
  }
  return starts;
}

/** `p`, or `fallback` when `p` has not settled after `ms`. */
function withTimeout<T>(p: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Search-index slices on this thread, between which it yields. */
const INDEX_SLICE_MS = 8;

/**
 * Builds the table's search index in slices, after its search texts (RecordTable.makeSearchTexts): this thread's
 * rows first (those before `worker.first`), then the worker's signatures and tokens for its rows, then whatever
 * is still missing. While the worker computes its part, the table's texts are compacted
 * (RecordTable.compactTexts), which roughly halves the memory they take.
 */
async function buildSearchIndex(
  table: RecordTable,
  pause: () => Promise<void>,
  stop: () => boolean,
  wanted: boolean,
  worker?: { first: number; chunks: { first: number; index: Promise<ChunkIndex | undefined> }[]; cancel: () => void },
): Promise<void> {
  try {
    // The quick filter's search texts first (this thread's rows, then the worker's), so that typing does not
    // have to make them.
    while (!table.makeSearchTexts(performance.now() + INDEX_SLICE_MS)) {
      await pause();
      if (stop()) return;
    }
    if (!wanted) return;
    const upTo = worker ? worker.first : Infinity;
    while (!table.buildSearchIndex(performance.now() + INDEX_SLICE_MS, upTo)) {
      await pause();
      if (stop()) return;
    }
    while (!table.compactTexts(performance.now() + INDEX_SLICE_MS)) {
      await pause();
      if (stop()) return;
    }
    for (const c of worker?.chunks ?? []) {
      const got = await c.index;
      if (stop()) return;
      if (got) table.setSearchIndex(c.first, got.words, got.tokens);
    }
    while (!table.buildSearchIndex(performance.now() + INDEX_SLICE_MS)) {
      await pause();
      if (stop()) return;
    }
  } catch {
    // Only speed depends on the index: a table that cannot build it is still searched in full.
  } finally {
    worker?.cancel();
  }
}

/** The first key of the first record in the table, if it has one (most logs: "eventVersion"). */
function firstKey(table: RecordTable): string | undefined {
  if (table.size === 0) return undefined;
  const m = /^\{\s*("(?:[^"\\]|\\.)*")\s*:/.exec(table.recordText(0).slice(0, 256));
  return m ? m[1] : undefined;
}

/**
 * A byte offset at or after `from` where a record seems to start: the `{` of `{"<key>":` (whitespace allowed)
 * after a comma. -1 when none is found in the next few MiB.
 */
export function findCut(bytes: Uint8Array, from: number, quotedKey: string | undefined): number {
  if (!quotedKey) return -1;
  const key = new TextEncoder().encode(quotedKey);
  const limit = Math.min(bytes.length, from + SPLIT_WINDOW);
  let at = from;
  for (;;) {
    const k = indexOfBytes(bytes, key, at, limit);
    if (k < 0) return -1;
    at = k + 1;
    let b = k - 1;
    while (b >= 0 && isWs(bytes[b])) b--;
    if (b < 0 || bytes[b] !== 0x7b /* { */) continue;
    const brace = b;
    b--;
    while (b >= 0 && isWs(bytes[b])) b--;
    if (b >= 0 && bytes[b] === 0x2c /* , */ && brace >= from) return brace;
  }
}

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function indexOfBytes(bytes: Uint8Array, pat: Uint8Array, from: number, limit: number): number {
  // Buffer.indexOf is a native memmem; a Uint8Array view over the same memory costs nothing.
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const k = view.indexOf(pat, from);
  return k >= 0 && k + pat.length <= limit ? k : -1;
}

/** bytes[from…] in memory of its own (Buffer#slice would return a view, and its buffer would be transferred). */
function copyOf(bytes: Uint8Array, from: number): Uint8Array {
  const c = new Uint8Array(bytes.length - from);
  c.set(bytes.subarray(from));
  return c;
}

/** The worker's side as this thread sees it. */
interface Chunks {
  /** Absolute chunk starts. */
  readonly starts: number[];
  /** Bytes of the chunks whose rows arrived. */
  doneBytes(): number;
  /** Bytes in chunk k. */
  size(k: number): number;
  /**
   * At the start of chunk j (this thread's parser has read everything before it): when the worker has indexed
   * every chunk from j on, or is finishing j while all later ones are in, appends their rows to the table and
   * says how many; otherwise marks chunk j as this thread's and resolves undefined.
   */
  takeFrom(j: number, parser: StreamingParser, table: RecordTable, waitMs: number): Promise<{ records: number; textLength: number; firstRow: number } | undefined>;
  /** After takeFrom(j) succeeded: the rows and signature promises of those chunks. */
  searchIndexFrom(j: number, firstRow: number): { first: number; chunks: { first: number; index: Promise<ChunkIndex | undefined> }[]; cancel: () => void };
  /** Why the worker's part was not used. */
  why(): string;
  cancel(): void;
}

function startChunks(script: string | WorkerPool, bytes: Uint8Array, starts: number[], sliceChars: number, searchIndex: boolean): Chunks {
  const base = starts[0];
  const shared = new SharedArrayBuffer(SHARED_BYTES);
  const slots = new Int32Array(shared);
  Atomics.store(slots, MAIN_CHUNK, -1);
  Atomics.store(slots, WORKER_CHUNK, -1);
  const rows = new Map<number, Extract<ChunkMessage, { type: 'rows' }>>();
  const indexes = new Map<number, { promise: Promise<ChunkIndex | undefined>; resolve: (x: ChunkIndex | undefined) => void }>();
  let reason = 'the worker did not reach the chunks this thread had not read yet';
  let ended = false;
  let failedChunk = -1;
  const indexOf = (k: number) => {
    let x = indexes.get(k);
    if (!x) {
      let resolve!: (i: ChunkIndex | undefined) => void;
      const promise = new Promise<ChunkIndex | undefined>((r) => (resolve = r));
      indexes.set(k, (x = { promise, resolve }));
      if (ended) resolve(undefined);
    }
    return x;
  };
  let wake: (() => void) | undefined;
  const ownPool = typeof script === 'string' ? new WorkerPool(script, 1) : undefined;
  /** Row counts of the chunks takeFrom appended, by chunk (their messages are dropped then). */
  const imported = new Map<number, number>();
  const end = (why?: string) => {
    if (why && !ended) reason = why;
    ended = true;
    for (const x of indexes.values()) x.resolve(undefined);
    wake?.();
    // The worker stops at its next slice and ends its task: it stays up for the next file (terminating it, as an
    // aborted task would, costs a cold worker there).
    Atomics.store(slots, STOPPED, 1);
    ownPool?.dispose();
  };
  try {
    const chunks: ChunksTask = { bytes: copyOf(bytes, base), starts: starts.map((s) => s - base), sliceChars, searchIndex, shared };
    const onEvent = (m: ChunkMessage) => {
      if (!m || ended) return;
      if (m.type === 'rows') rows.set(m.chunk, m);
      else if (m.type === 'failed') {
        reason = m.reason;
        failedChunk = m.chunk;
      }
      else if (m.type === 'index') indexOf(m.chunk).resolve({ words: m.words, tokens: m.tokens });
      else if (m.type === 'done') return end();
      wake?.();
    };
    (ownPool ?? (script as WorkerPool))
      .run({ kind: 'index-chunks', chunks }, { transfer: [chunks.bytes.buffer as ArrayBuffer], onEvent })
      .then(
        () => end(),
        (e: unknown) => end(e instanceof TaskCancelled ? undefined : `the worker failed: ${e instanceof Error ? e.message : String(e)}`),
      );
  } catch (e) {
    end(`no worker thread: ${e instanceof Error ? e.message : String(e)}`);
  }
  const last = starts.length - 1;
  const missing = (j: number) => {
    const out: number[] = [];
    for (let k = j; k <= last; k++) if (!rows.has(k)) out.push(k);
    return out;
  };
  // Closures here outlive indexing (searchIndexFrom's cancel): they must not hold the file's bytes.
  const total = bytes.length;
  const size = (k: number) => (k < last ? starts[k + 1] : total) - starts[k];
  return {
    starts,
    doneBytes: () => [...rows.keys()].reduce((sum, k) => sum + size(k), 0),
    size,
    async takeFrom(j, parser, table, waitMs) {
      let gap = missing(j);
      if (gap.length === 1 && gap[0] === j && !ended && failedChunk !== j) {
        // Only chunk j is missing, and the worker is on it or has just sent it: waiting costs less than parsing it.
        const arrived = () => rows.has(j) || ended || failedChunk === j;
        await withTimeout(new Promise<void>((resolve) => (wake = () => (arrived() ? resolve() : undefined))), waitMs, undefined);
        wake = undefined;
        gap = missing(j);
      }
      const boundary = gap.length === 0 ? parser.recordBoundary() : undefined;
      if (gap.length === 0 && !boundary) reason = `byte ${starts[j]} is not between two records`;
      if (!boundary) {
        // This thread takes chunk j; the worker leaves it (and, when it is on it, stops at its next slice).
        Atomics.store(slots, MAIN_CHUNK, j);
        return undefined;
      }
      // Everything is here: the worker can stop whatever chunk it is on (it still sends the search indexes).
      Atomics.store(slots, MAIN_CHUNK, 0x3fffffff);
      const firstRow = table.size;
      let offset = boundary.offset;
      let line = boundary.line;
      let records = 0;
      try {
        for (let k = j; k <= last; k++) {
          const m = rows.get(k)!;
          table.importRows(m.rows, { text: m.text, offset: CHUNK_PREFIX.length }, { offset: offset - CHUNK_PREFIX.length, line: line - 1 });
          imported.set(k, m.rows.count);
          records += m.rows.count;
          offset += m.text.length;
          line += m.newlines;
        }
      } catch (e) {
        // importRows adds nothing when it throws, but earlier chunks may be in: that is a bug, not bad input.
        throw new Error(`indexBytes: appending the worker's rows failed after ${records} records: ${e instanceof Error ? e.message : e}`);
      }
      // The table holds what it needs of them now.
      rows.clear();
      return { records, textLength: offset - boundary.offset, firstRow };
    },
    searchIndexFrom(j, firstRow) {
      const chunks: { first: number; index: Promise<ChunkIndex | undefined> }[] = [];
      let first = firstRow;
      for (let k = j; k <= last; k++) {
        chunks.push({ first, index: indexOf(k).promise });
        first += imported.get(k) ?? 0;
      }
      return { first: firstRow, chunks, cancel: () => end() };
    },
    why: () => reason,
    cancel: () => {
      end();
      rows.clear();
    },
  };
}
