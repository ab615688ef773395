/**
 * Indexing a whole file's bytes into a RecordTable, on two cores when it pays.
 *
 * One thread parses JSON at about the speed of one `JSON.parse` of the file, and building the table costs half
 * as much again, so a single thread cannot index much faster than 1.5 × the time of reading + JSON.parse. For a
 * big `{"Records":[…]}` log this module splits the work: a worker thread parses and indexes the second half of
 * the file (starting at a record it finds near the middle) while this thread does the first half; then the
 * worker's rows are appended (RecordTable.importRows).
 *
 * The cut is a guess: the worker starts at a `{"<first key of the first record>"` that follows a comma, which
 * could be an object nested inside a record. It is checked when this thread's parser reaches the same byte
 * (StreamingParser.recordBoundary: the real parse must be between two records of the `Records` array exactly
 * there). When the check fails, when the worker finds any problem in its half, or when it cannot run, this
 * thread parses the rest itself: the result is always the same as a single-threaded parse.
 *
 * Then the table's search index (pairs.ts) is built in slices on this thread, the worker sending the signatures
 * of its rows (IndexResult.searchIndex): the table is usable before, typing in the filter is faster after.
 */
import { Worker } from 'node:worker_threads';
import { StreamingParser, type CloudTrailRecord, type ParseResult } from '../records';
import { isGzip } from '../records/gunzip';
import { RecordTable, type TableRows } from './table';
import { signaturesOf } from './pairs';

/** Text the worker's parser reads before its bytes, so they parse as the inside of a `Records` array. */
export const TAIL_PREFIX = '{"Records":[';

/** What the worker thread is sent. */
export interface TailTask {
  /** The file from the cut to its end (transferred). */
  bytes: Uint8Array;
  /** Bytes per parser slice (progress is posted after each). */
  sliceBytes: number;
  /** Send the search signatures of the rows after them (see tailSignatures). */
  signatures: boolean;
}

/** What the worker thread posts: progress while it works, then one result. */
export type TailMessage =
  | { type: 'progress'; bytes: number }
  | {
      type: 'rows';
      rows: TableRows;
      /** The decoded text of the bytes; row ranges count from TAIL_PREFIX, i.e. text[0] is at TAIL_PREFIX.length. */
      text: string;
      /** text.toLowerCase(), when that has the same length. */
      lower?: string;
    }
  | { type: 'failed'; reason: string }
  /** After 'rows': the search signatures of those rows (see pairs.ts), WORDS words per row. */
  | { type: 'signatures'; words: Uint32Array };

/** Characters of text per parser slice in indexTail. */
const TAIL_SLICE = 512 * 1024;

/**
 * Parses and indexes `task.bytes` as the rest of a `Records` array (the worker's side of indexBytes). Fails,
 * rather than returning rows, on any problem: the caller then parses that part itself and reports problems
 * with the right positions.
 */
export function indexTail(task: TailTask, progress?: (bytes: number) => void): TailMessage {
  // Decoded once, so the text can go back whole: the receiver cuts each record's text from it.
  const text = new TextDecoder('utf-8').decode(task.bytes);
  const parser = new StreamingParser();
  const table = new RecordTable({ keepText: false });
  parser.pushText(TAIL_PREFIX);
  const slice = Math.max(4096, Math.floor(task.sliceBytes) || TAIL_SLICE);
  for (let off = 0; off < text.length; off += slice) {
    table.add(parser.pushText(text.slice(off, off + slice)));
    progress?.(Math.round((Math.min(text.length, off + slice) / text.length) * task.bytes.length));
  }
  const end = parser.end();
  table.add(end.records);
  if (end.kind !== 'log') return { type: 'failed', reason: `the second half read as ${end.kind}` };
  if (end.problems.length) return { type: 'failed', reason: `the second half has problems (${end.problems[0].message})` };
  const lower = text.toLowerCase();
  const reply: TailMessage = { type: 'rows', rows: table.exportRows(), text };
  if (lower.length === text.length) reply.lower = lower;
  return reply;
}

/**
 * How to compute the search signatures of the rows of a 'rows' message (call before posting it, run after), from
 * the same search texts the receiving table cuts (importRows): undefined when the text's lower case changed its
 * length (then that table builds them itself).
 */
export function tailSignatures(m: TailMessage): (() => TailMessage) | undefined {
  if (m.type !== 'rows' || m.lower === undefined) return undefined;
  const lower = m.lower;
  // Copies: posting the rows transfers (empties) their arrays.
  const starts = m.rows.starts.slice();
  const ends = m.rows.ends.slice();
  const loose = new Map<number, string>();
  m.rows.looseRows.forEach((row, k) => loose.set(row, m.rows.looseTexts[k]));
  const at = TAIL_PREFIX.length;
  return () => ({ type: 'signatures', words: signaturesOf(starts.length, (k) => loose.get(k)?.toLowerCase() ?? lower.slice(starts[k] - at, ends[k] - at)) });
}

/** The buffers to transfer with a TailMessage. */
export function tailTransfer(m: TailMessage): ArrayBuffer[] {
  if (m.type === 'signatures') return [m.words.buffer as ArrayBuffer];
  if (m.type !== 'rows') return [];
  const r = m.rows;
  return [...r.codes, r.times, r.starts, r.ends, r.lines, r.endLines, r.looseRows].map((a) => a.buffer as ArrayBuffer);
}

export interface IndexOptions {
  /** For the parser (e.g. a `.jsonl` name makes a one-line file JSON Lines). */
  fileName?: string;
  /** Worker script running indexTail (out/worker-index-tail.js); without it, one thread does everything. */
  workerScript?: string;
  /** Files with fewer bytes are indexed on this thread alone (default 8 MiB): a worker costs ~50 ms to start. */
  parallelFrom?: number;
  /** Bytes parsed per slice (default 512 KiB); the thread yields between slices. */
  sliceBytes?: number;
  /** Awaited between slices (default: one setImmediate turn) so the thread stays responsive. */
  pause?: () => Promise<void>;
  /** Called after each slice with an estimate of the bytes read (both halves when split). */
  onProgress?: (bytesRead: number) => void;
  /** Polled after every pause; true stops the work (indexBytes then resolves undefined). */
  cancelled?: () => boolean;
  /**
   * How long to wait for the worker once this thread has reached the cut (default: 4 × the time that took, at
   * least 5 s). Past it the worker is stopped and this thread parses the rest.
   */
  workerTimeoutMs?: number;
  /** false: build no search index (IndexResult.searchIndex resolves at once). Default true. */
  searchIndex?: boolean;
  /** Told whether the second half went to the worker, or why not (for the log). */
  log?: (message: string) => void;
}

/** What indexBytes found (the records themselves went to the table: `records` is empty). */
export interface IndexResult extends ParseResult {
  /** How many of the table's records the worker thread indexed: 0 when this thread did everything. */
  workerRecords: number;
  /**
   * Resolves when the table's search index is complete (RecordTable.buildSearchIndex, run in slices on this
   * thread; the worker's rows get theirs from the worker). The table is fully usable before: the index only
   * makes quick-filter keystrokes faster. Never rejects; stops early when cancelled.
   */
  searchIndex: Promise<void>;
}

const DEFAULT_SLICE = 512 * 1024;
const DEFAULT_PARALLEL_FROM = 8 * 1024 * 1024;
/** Compressed bytes per slice when the parser has to decompress (damaged gzip): they expand 20-fold or more. */
const GZIP_SLICE = 32 * 1024;
/**
 * Share of the bytes the worker takes. A little less than half: it starts ~50 ms late and its rows take ~100 ms
 * to cross over. On the 100 MB viewer bench file, both sides finished within ~50 ms of each other at 0.45–0.46.
 */
const WORKER_SHARE = 0.45;
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
  const stop = () => options.cancelled?.() === true;
  const parser = new StreamingParser({ fileName: options.fileName });
  const take = (records: CloudTrailRecord[]) => {
    if (records.length) table.add(records);
  };
  const canSplit = !gz && options.workerScript !== undefined && bytes.length >= (options.parallelFrom ?? DEFAULT_PARALLEL_FROM);
  let tail: Tail | undefined;
  let tried = false;
  let cut = bytes.length;
  try {
    for (let off = 0; off < bytes.length; ) {
      const end = Math.min(off + slice, cut);
      take(parser.push(bytes.subarray(off, end)));
      off = end;
      if (canSplit && !tried && table.size > 0 && parser.inRecordsArray) {
        // Once a record was read its first key is known: look for the cut (once), start the worker.
        tried = true;
        const at = findCut(bytes, Math.floor(bytes.length * (1 - WORKER_SHARE)), firstKey(table));
        if (at > off) {
          tail = startTail(options.workerScript!, copyOf(bytes, at), slice, options.searchIndex !== false);
          cut = at;
        }
      }
      options.onProgress?.(off + (tail ? tail.progress : 0));
      await pause();
      if (stop()) return undefined;
      // Damaged .gz: the parser inflates a bounded amount per push; drain the rest in turns too.
      while (parser.backlog) {
        take(parser.push(new Uint8Array(0)));
        await pause();
        if (stop()) return undefined;
      }
      if (off === cut && tail) {
        const boundary = parser.recordBoundary();
        const waited = options.workerTimeoutMs ?? Math.max(5000, 4 * (performance.now() - started));
        const reply = await withTimeout(tail.result, waited, { type: 'failed', reason: `the worker did not answer within ${Math.round(waited)} ms` });
        if (stop()) return undefined;
        let why = boundary ? '' : `byte ${cut} is not between two records`;
        if (boundary && reply.type === 'rows') {
          const first = table.size;
          let imported = false;
          try {
            table.importRows(reply.rows, { text: reply.text, lower: reply.lower, offset: TAIL_PREFIX.length }, { offset: boundary.offset - TAIL_PREFIX.length, line: boundary.line - 1 });
            imported = true;
          } catch (e) {
            why = e instanceof Error ? e.message : String(e); // importRows adds nothing when it throws
          }
          if (imported) {
            options.onProgress?.(bytes.length);
            options.log?.(`second half indexed by a worker: ${reply.rows.count} records from byte ${cut}`);
            const searchIndex = buildSearchIndex(table, pause, stop, { first, signatures: tail.signatures, cancel: tail.cancel }, options.searchIndex !== false);
            tail = undefined; // it still sends the signatures; buildSearchIndex ends it
            return { ...parser.endAtBoundary(reply.text.length), workerRecords: reply.rows.count, searchIndex };
          }
        } else if (reply.type === 'failed') why ||= reply.reason;
        tail?.cancel();
        tail = undefined;
        options.log?.(`indexing the rest on one thread: ${why}`);
        cut = bytes.length;
      }
    }
    const result = parser.end();
    take(result.records);
    return { ...result, records: [], workerRecords: 0, searchIndex: buildSearchIndex(table, pause, stop, undefined, options.searchIndex !== false) };
  } finally {
    tail?.cancel();
  }
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
 * Builds the table's search index in slices: this thread's rows first, then (when a worker indexed rows from
 * `first` on) the worker's signatures for those, then whatever is still missing.
 */
async function buildSearchIndex(
  table: RecordTable,
  pause: () => Promise<void>,
  stop: () => boolean,
  worker?: { first: number; signatures: Promise<Uint32Array | undefined>; cancel: () => void },
  wanted = true,
): Promise<void> {
  try {
    if (!wanted) return;
    const upTo = worker ? worker.first : Infinity;
    while (!table.buildSearchIndex(performance.now() + INDEX_SLICE_MS, upTo)) {
      await pause();
      if (stop()) return;
    }
    if (worker) {
      const words = await worker.signatures;
      if (stop()) return;
      if (words) table.setSearchIndex(worker.first, words);
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

interface Tail {
  /** The worker's rows (or why there are none). */
  result: Promise<TailMessage>;
  /** Then the search signatures of those rows; undefined when it sends none. */
  signatures: Promise<Uint32Array | undefined>;
  /** Bytes of its part the worker has indexed so far. */
  readonly progress: number;
  /** Ends the worker (settling whatever it has not sent yet). */
  cancel(): void;
}

function startTail(script: string, bytes: Uint8Array, sliceBytes: number, wantSignatures: boolean): Tail {
  let progress = 0;
  let worker: Worker | undefined;
  let settleRows!: (m: TailMessage) => void;
  let settleWords!: (w: Uint32Array | undefined) => void;
  const result = new Promise<TailMessage>((resolve) => (settleRows = resolve));
  const signatures = new Promise<Uint32Array | undefined>((resolve) => (settleWords = resolve));
  const end = (reason: string) => {
    // Settling twice is a no-op: whatever already arrived stays.
    settleRows({ type: 'failed', reason });
    settleWords(undefined);
    const w = worker;
    worker = undefined;
    void w?.terminate();
  };
  try {
    worker = new Worker(script);
    worker.on('message', (m: TailMessage) => {
      if (!m) return;
      if (m.type === 'progress') progress = m.bytes;
      else if (m.type === 'rows') settleRows(m);
      else if (m.type === 'signatures') {
        settleWords(m.words);
        end('done');
      } else if (m.type === 'failed') end(m.reason);
    });
    worker.on('error', (e) => end(`the worker failed: ${e instanceof Error ? e.message : String(e)}`));
    worker.on('exit', (code) => end(`the worker exited (code ${code})`));
    const task: TailTask = { bytes, sliceBytes, signatures: wantSignatures };
    worker.postMessage(task, [bytes.buffer as ArrayBuffer]);
  } catch (e) {
    end(`no worker thread: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    result,
    signatures,
    get progress() {
      return progress;
    },
    cancel: () => end('cancelled'),
  };
}
