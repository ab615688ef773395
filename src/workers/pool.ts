/**
 * The one worker thread of the pool (src/core/pool): runs each task kind of src/core/pool/protocol.ts with a thin
 * call into the core. Bundled to out/worker-pool.js.
 */
import { parentPort, threadId } from 'node:worker_threads';
import { parseFileTask, parseReplyTransfer } from '../core/local/parse-task';
import { indexChunks } from '../core/table/indexer';
import { hashGzipFile } from '../core/integrity/gzip-hash';
import { WARM_UP_ROUNDS, warmUpSample } from '../core/pool/warm-up';
import type { FromWorker, PoolTask, ToWorker } from '../core/pool/protocol';

const port = parentPort;
if (!port) throw new Error('the pool worker must run as a worker thread');

/** Named as CloudTrail names its files, so the sample takes the path a delivered log file takes. */
const WARM_UP_NAME = '000000000000_CloudTrail_us-east-1_20240201T0000Z_warmup0000000000.json.gz';

const running = new Map<number, AbortController>();

/** Task kinds that can stop part-way when cancelled (the others run one synchronous step and need no signal). */
const STOPPABLE = new Set<PoolTask['kind']>(['hash-file', 'warm-up']);
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
    case 'warm-up': {
      // The same call a real file gets (parse into a piece); the piece is dropped.
      const sample = warmUpSample();
      let records = 0;
      for (let i = 0; i < (task.rounds ?? WARM_UP_ROUNDS) && !signal.aborted; i++) {
        const reply = await parseFileTask({ id: i, name: WARM_UP_NAME, bytes: sample, asPieces: true });
        if (!reply.ok) throw new Error(`warm-up parse failed: ${reply.message}`);
        records += reply.count;
      }
      return [{ records, thread: threadId }, []];
    }
    default:
      throw new Error(`unknown task kind ${(task as { kind: string }).kind}`);
  }
}
