/**
 * The one protocol between the worker pool (pool.ts) and its worker threads (src/workers/pool.ts). Every kind of
 * work is a task kind here; plain data only (structured clone, typed arrays transferred).
 *
 * A task is answered by exactly one final message (`result` or `error`); a task kind that streams (index-chunks)
 * posts `event` messages before it.
 */
import type { ParseReply, ParseTask } from '../local/protocol';
import type { ChunkMessage, ChunksTask } from '../table/indexer';
import type { GzipHashResult } from '../integrity/gzip-hash';

/** Parse one CloudTrail file (events, record texts, a piece for the ingest path, or a count): core/local/parse-task.ts. */
export interface ParseFileTask {
  kind: 'parse-file';
  /** Its `id` is the caller's own (echoed in the reply); the pool numbers tasks separately. */
  parse: ParseTask;
}

/** Index chunks of one big log from its end backwards (core/table/indexer.ts), streaming a ChunkMessage per step. */
export interface IndexChunksTask {
  kind: 'index-chunks';
  chunks: ChunksTask;
}

/** SHA-256 of the decompressed bytes of one gzip file, streamed from disk (core/integrity/gzip-hash.ts). */
export interface HashFileTask {
  kind: 'hash-file';
  path: string;
  /** Most decompressed bytes (default: the core's DEFAULT_MAX_DECOMPRESSED). */
  maxDecompressed?: number;
}

/**
 * Parse a synthetic log file (core/pool/warm-up.ts) `rounds` times into ingest pieces and keep nothing: started on
 * each worker before real work arrives, so the first real files run at a warm worker's speed.
 */
export interface WarmUpTask {
  kind: 'warm-up';
  rounds?: number;
}

export type PoolTask = ParseFileTask | IndexChunksTask | HashFileTask | WarmUpTask;
export type TaskKind = PoolTask['kind'];

/** What each task kind answers with (its final message). */
export interface TaskResults {
  'parse-file': ParseReply;
  'index-chunks': { chunks: number };
  'hash-file': GzipHashResult;
  /** Records parsed in all (rounds × records per sample), and by which worker thread. */
  'warm-up': { records: number; thread: number };
}

/** What a streaming task kind posts before its result. */
export interface TaskEvents {
  'parse-file': never;
  'index-chunks': ChunkMessage;
  'hash-file': never;
  'warm-up': never;
}

/** Pool → worker. */
export type ToWorker = { type: 'task'; id: number; task: PoolTask } | { type: 'cancel'; id: number };

/** Worker → pool. */
export type FromWorker =
  | { type: 'event'; id: number; event: TaskEvents[TaskKind] }
  | { type: 'result'; id: number; result: TaskResults[TaskKind] }
  | { type: 'error'; id: number; message: string };
