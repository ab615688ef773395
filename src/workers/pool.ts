/**
 * The one worker thread of the pool (src/core/pool): runs each task kind of src/core/pool/protocol.ts with a thin
 * call into the core. Bundled to out/worker-pool.js.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { parseFileTask, parseReplyTransfer, parseWarmUp } from '../core/local/parse-task';
import { indexChunks } from '../core/table/indexer';
import { hashGzipFile } from '../core/integrity/gzip-hash';
import type { FromWorker, PoolTask, ToWorker } from '../core/pool/protocol';

const port = parentPort;
if (!port) throw new Error('the pool worker must run as a worker thread');

const running = new Map<number, AbortController>();

/** Task kinds that can stop part-way when cancelled (the others run one synchronous step and need no signal). */
const STOPPABLE = new Set<PoolTask['kind']>(['hash-file']);
const NEVER = new AbortController().signal;

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') return running.get(m.id)?.abort();
  let signal = NEVER;
  if (STOPPABLE.has(m.task.kind)) {
    const abort = new AbortController();
    running.set(m.id, abort);
    signal = abort.signal;
  }
  void run(m.id, m.task, signal)
    .then(([result, transfer]) => port.postMessage({ type: 'result', id: m.id, result } as FromWorker, transfer))
    .catch((e: unknown) => port.postMessage({ type: 'error', id: m.id, message: e instanceof Error ? e.message : String(e) } satisfies FromWorker))
    .finally(() => running.delete(m.id));
});

async function run(id: number, task: PoolTask, signal: AbortSignal): Promise<[unknown, ArrayBuffer[]]> {
  switch (task.kind) {
    case 'parse-file': {
      const reply = await parseFileTask(task.parse);
      return [reply, parseReplyTransfer(reply)];
    }
    case 'index-chunks': {
      let chunks = 0;
      try {
        indexChunks(task.chunks, (event, transfer) => {
          if (event.type === 'rows') chunks++;
          port!.postMessage({ type: 'event', id, event } satisfies FromWorker, transfer);
        });
      } catch (e) {
        port!.postMessage({ type: 'event', id, event: { type: 'failed', chunk: -1, reason: `indexing failed: ${e instanceof Error ? e.message : String(e)}` } } satisfies FromWorker);
        port!.postMessage({ type: 'event', id, event: { type: 'done' } } satisfies FromWorker);
      }
      return [{ chunks }, []];
    }
    case 'hash-file':
      return [await hashGzipFile(task.path, signal, task.maxDecompressed), []];
    case 'warm-up':
      return [{ records: await parseWarmUp(task.rounds), thread: threadId }, []];
    default:
      throw new Error(`unknown task kind ${(task as { kind: string }).kind}`);
  }
}
