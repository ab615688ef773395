/**
 * Parses many CloudTrail files in parallel as parse-file tasks of the worker pool (src/core/pool; one worker per
 * core by default). Each task runs the same `parseBytes` as the extension (core/local/parse-task.ts); only the events (or, with `asText`, the records' JSON text) travel
 * back, in job order.
 *
 * Reading: a job either names a local path (the worker reads it itself: fastest, nothing crosses threads twice) or
 * supplies a `read()` that returns the bytes (used for remote/virtual file systems through vscode.workspace.fs);
 * those bytes are transferred to the worker, not copied.
 */
import { decodeUtf8 } from '../records';
import { LosslessNumber, type DigestInfo, type FileKind, type JsonObject, type JsonValue, type Problem } from '../records/types';
import type { LosslessRef, ParseReply, ParseTask } from './protocol';
import { recordsDocument } from './record-text';
import { WorkerPool, WorkerCrashed, TaskCancelled, defaultPoolSize } from '../pool/pool';
import type { RecordsPiece } from '../ingest/records';

export { defaultPoolSize };

export interface PoolJob {
  /** Shown in problems and progress (usually the path relative to the added folder). */
  name: string;
  /** Local file path the worker can read directly. */
  path?: string;
  /** Otherwise: how to get the bytes. Called lazily, at most a few at a time, so memory stays bounded. */
  read?: () => Promise<Uint8Array>;
}

export interface FileOutcome {
  name: string;
  /** Set when the file was parsed (possibly with problems). */
  kind?: FileKind;
  gzipped?: boolean;
  problems: Problem[];
  recordCount: number;
  digest?: DigestInfo;
  /** Reading or parsing failed entirely (the message says why). */
  error?: string;
  /** Not parsed because the run was cancelled or the record cap was reached first. */
  skipped?: boolean;
}

export interface PoolRunResult {
  /** Events of all parsed files, in job order, at most `maxRecords` (empty with `asText` or `discardEvents`). */
  events: JsonObject[];
  /** With `asText`: the same records as one `{"Records":[…]}` JSON text, in job order, at most `maxRecords`. */
  text?: string;
  /** Records returned (in `events` or in `text`). */
  kept: number;
  files: FileOutcome[];
  /** Events seen before the cap cut them (≥ events.length). */
  recordsSeen: number;
  truncated: boolean;
  cancelled: boolean;
}

export interface RunOptions {
  /** Stop after this many records (default: no cap). */
  maxRecords?: number;
  /** Abort to cancel: workers are terminated at once and the run resolves with `cancelled: true`. */
  signal?: AbortSignal;
  /** Called after each file. */
  onProgress?: (filesDone: number, filesTotal: number, records: number) => void;
  /** Count only: workers parse but send no events back (per-file outcomes and counts are still returned). */
  discardEvents?: boolean;
  /**
   * Return the records as one `{"Records":[…]}` text (`result.text`) instead of event objects. Each record is its
   * original text from the file where possible, so this thread never parses or serialises a record: the cheapest
   * way to hand many files to the record viewer, which reads text anyway.
   */
  asText?: boolean;
  /** Most decompressed bytes of each gzip file (default: the core's DEFAULT_MAX_DECOMPRESSED; issue 14 D4). */
  maxDecompressed?: number;
  /**
   * Called once for every file as soon as it is done (files finish in any order; `index` is the job's), with its
   * records as a piece (record texts and their table rows, made in the worker: src/core/ingest/records.ts) when
   * it has any. The result then carries no events and no text. Used by the ingest path (src/core/ingest).
   */
  onFile?: (index: number, outcome: FileOutcome, piece: RecordsPiece | undefined) => void;
  /** With `asText`: most characters of record text to return (default MAX_TEXT_CHARS); more counts as truncated. */
  maxTextChars?: number;
}

/**
 * Longest combined text `asText` builds (characters). V8 strings end near 2^29 characters; staying well below
 * leaves room for the document's bytes and the viewer's index. Records beyond it are left out like the record cap.
 */
export const MAX_TEXT_CHARS = 400_000_000;

export class ParsePool {
  /** The worker pool the files are parsed on (shared when one was given). */
  readonly workers: WorkerPool;
  private readonly ownsWorkers: boolean;
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  /**
   * @param workers the shared worker pool, or the path of the pool's worker script (out/worker-pool.js in the
   * extension) to start a pool of its own.
   * @param size number of workers of its own pool (default: os.availableParallelism()).
   */
  constructor(workers: string | WorkerPool, size: number = defaultPoolSize()) {
    this.ownsWorkers = typeof workers === 'string';
    this.workers = typeof workers === 'string' ? new WorkerPool(workers, size) : workers;
  }

  get size(): number {
    return this.workers.size;
  }

  /** Parses the jobs. Runs on one pool are serialised; concurrent calls wait their turn. */
  run(jobs: readonly PoolJob[], options: RunOptions = {}): Promise<PoolRunResult> {
    const next = this.queue.then(() => this.runNow(jobs, options));
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Terminates the workers of its own pool (a later run starts fresh ones); a shared pool is left running. */
  terminate(): void {
    if (this.ownsWorkers) this.workers.terminate();
  }

  dispose(): void {
    this.disposed = true;
    if (this.ownsWorkers) this.workers.dispose();
  }

  private async runNow(jobs: readonly PoolJob[], options: RunOptions): Promise<PoolRunResult> {
    if (this.disposed) throw new Error('parse pool is disposed');
    const total = jobs.length;
    const maxRecords = options.maxRecords ?? Number.POSITIVE_INFINITY;
    const files: FileOutcome[] = jobs.map((j) => ({ name: j.name, problems: [], recordCount: 0, skipped: true }));
    const perFile: (JsonObject[] | undefined)[] = new Array(total);
    const perFileText: ({ text: string; ends: Uint32Array } | undefined)[] = new Array(total);
    const asPieces = !!options.onFile && !options.discardEvents;
    const asText = !!options.asText && !options.discardEvents && !asPieces;
    let nextJob = 0;
    let done = 0;
    let records = 0;
    let cancelled = options.signal?.aborted ?? false;
    let capped = false;
    // Workers that die before ever answering (missing script, broken bundle) would fail every file one by one.
    let crashes = 0;
    let answered = false;
    let fatal: string | undefined;

    // Aborting drops the queued tasks and tells running ones to stop (the pool's cancel); every task's promise
    // settles at once.
    const run = new AbortController();
    const onAbort = () => {
      cancelled = true;
      run.abort();
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const handle = (index: number, reply: ParseReply) => {
      piece = undefined;
      handleReply(index, reply);
      options.onFile?.(index, files[index], piece);
    };
    let piece: RecordsPiece | undefined;
    const handleReply = (index: number, reply: ParseReply) => {
      const outcome = files[index];
      outcome.skipped = undefined;
      if (!reply.ok) {
        if (cancelled) {
          outcome.skipped = true;
          return;
        }
        outcome.error = reply.message;
        if (reply.message.startsWith(CRASH_PREFIX) && !answered && ++crashes >= 3) fatal = reply.message;
        return;
      }
      answered = true;
      outcome.kind = reply.kind;
      outcome.gzipped = reply.gzipped;
      outcome.problems = reply.problems;
      outcome.recordCount = reply.count;
      if (reply.digest) outcome.digest = reply.digest;
      records += reply.count;
      if (records >= maxRecords) capped = true;
      if (asPieces) {
        if (reply.count > 0 && reply.rows) {
          // ASCII bytes are kept as they are: the table decodes them when a text is first needed, not now.
          if (reply.recordsBytes && reply.recordsAscii) piece = { text: '', rows: reply.rows, bytes: reply.recordsBytes };
          else {
            const text = reply.recordsBytes ? decodeUtf8(reply.recordsBytes) : reply.recordsText;
            if (text !== undefined) piece = { text, rows: reply.rows };
          }
        }
      } else if (asText) {
        if (reply.count > 0 && reply.recordsText !== undefined && reply.recordEnds) perFileText[index] = { text: reply.recordsText, ends: reply.recordEnds };
      } else if (!options.discardEvents && reply.count > 0) {
        const events = JSON.parse(reply.eventsJson) as JsonObject[];
        reviveLossless(events, reply.lossless);
        perFile[index] = events;
      }
    };

    const perWorker = this.workers.perWorker;
    const size = Math.max(1, Math.min(this.size, total));
    const lane = async (): Promise<void> => {
      const inFlight = new Set<Promise<void>>();
      const startOne = async (): Promise<void> => {
        const index = nextJob++;
        const job = jobs[index];
        const id = this.nextId++;
        let task: ParseTask;
        const transfer: ArrayBuffer[] = [];
        try {
          if (job.path !== undefined) {
            task = { id, name: job.name, path: job.path, countOnly: options.discardEvents, asText, asPieces, maxDecompressed: options.maxDecompressed };
          } else if (job.read) {
            const bytes = ownBuffer(await job.read());
            task = { id, name: job.name, bytes, countOnly: options.discardEvents, asText, asPieces, maxDecompressed: options.maxDecompressed };
            transfer.push(bytes.buffer as ArrayBuffer);
          } else {
            throw new Error('nothing to read');
          }
        } catch (err) {
          handle(index, { id, ok: false, message: `could not read: ${err instanceof Error ? err.message : String(err)}` });
          done++;
          options.onProgress?.(done, total, records);
          return;
        }
        if (cancelled || capped) return;
        const reply = await this.workers.run({ kind: 'parse-file', parse: task }, { transfer, signal: run.signal }).catch(
          (err: unknown): ParseReply => ({
            id,
            ok: false,
            message: err instanceof WorkerCrashed ? `${CRASH_PREFIX}: ${err.why}` : err instanceof TaskCancelled ? 'cancelled' : err instanceof Error ? err.message : String(err),
          }),
        );
        handle(index, reply);
        done++;
        options.onProgress?.(done, total, records);
      };
      // Each lane keeps up to two files in flight so a worker never waits for this thread between files.
      while (nextJob < total && !cancelled && !capped && fatal === undefined) {
        const p = startOne().finally(() => inFlight.delete(p));
        inFlight.add(p);
        if (inFlight.size >= perWorker) await Promise.race(inFlight);
      }
      await Promise.all(inFlight);
    };

    try {
      await Promise.all(Array.from({ length: size }, () => lane()));
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    if (fatal !== undefined && !answered) {
      this.workers.terminate();
      throw new Error(`the parse workers could not start (${fatal}); try reinstalling the extension`);
    }

    const events: JsonObject[] = [];
    let truncated = false;
    let text: string | undefined;
    let kept = 0;
    if (asText) {
      const pieces: string[] = [];
      let chars = 0;
      const maxChars = options.maxTextChars ?? MAX_TEXT_CHARS;
      for (const piece of perFileText) {
        if (!piece) continue;
        const n = piece.ends.length;
        // Whole records only, within the record cap and within what one JS string can hold.
        let take = Math.min(n, maxRecords - kept);
        while (take > 0 && chars + piece.ends[take - 1] > maxChars) take--;
        if (take < n) {
          if (take > 0) pieces.push(piece.text.slice(0, piece.ends[take - 1]));
          kept += take;
          truncated = true;
          break;
        }
        pieces.push(piece.text);
        chars += piece.text.length + 2;
        kept += n;
      }
      text = recordsDocument(pieces);
    } else if (!options.discardEvents) {
      for (const list of perFile) {
        if (!list) continue;
        if (events.length + list.length > maxRecords) {
          for (let i = 0; events.length < maxRecords && i < list.length; i++) events.push(list[i]);
          truncated = true;
          break;
        }
        for (const e of list) events.push(e);
      }
    }
    if (!asText) kept = events.length;
    if (records > maxRecords || (capped && files.some((f) => f.skipped))) truncated = true;
    const result: PoolRunResult = { events, kept, files, recordsSeen: records, truncated, cancelled };
    if (text !== undefined) result.text = text;
    return result;
  }
}

/** Prefix of the error given to files a crashed worker was holding. */
const CRASH_PREFIX = 'parse worker failed';

/** A Uint8Array that owns its whole ArrayBuffer, so it can be transferred without taking unrelated bytes along. */
export function ownBuffer(bytes: Uint8Array): Uint8Array {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes;
  return new Uint8Array(bytes);
}

/** Puts LosslessNumber instances back where the worker found them (structured clone drops the class). */
export function reviveLossless(events: JsonObject[], refs: readonly LosslessRef[]): void {
  for (const [eventIndex, path] of refs) {
    let parent: JsonValue = events[eventIndex];
    for (let i = 0; i < path.length - 1; i++) {
      parent = (parent as Record<string | number, JsonValue>)?.[path[i]];
    }
    const key = path[path.length - 1];
    const holder = parent as Record<string | number, JsonValue> | undefined;
    // The worker's JSON text holds the number as a string (LosslessNumber.toJSON); only these paths are revived.
    const value = holder?.[key] as unknown;
    if (holder && typeof value === 'string') holder[key] = new LosslessNumber(value);
  }
}

/** Lists where LosslessNumber instances sit in the events (run in the worker before posting). */
export function findLossless(events: readonly JsonObject[]): LosslessRef[] {
  const out: LosslessRef[] = [];
  const path: (string | number)[] = [];
  const walk = (v: JsonValue, eventIndex: number): void => {
    if (v === null || typeof v !== 'object') return;
    // Only real instances: an event that merely contains {"isLosslessNumber": true, …} stays plain data.
    if (v instanceof LosslessNumber) {
      out.push([eventIndex, [...path]]);
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i], eventIndex);
        path.pop();
      }
      return;
    }
    for (const k of Object.keys(v)) {
      path.push(k);
      walk((v as JsonObject)[k], eventIndex);
      path.pop();
    }
  };
  events.forEach((e, i) => walk(e, i));
  return out;
}
