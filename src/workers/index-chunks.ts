/**
 * Worker thread of the record viewer's indexing (src/core/table/indexer.ts): indexes chunks of a big log file
 * from its end backwards, into a RecordTable per chunk, and posts their rows, then their search index (signatures
 * and tokens).
 * Bundled to out/worker-index-chunks.js.
 */
import { parentPort } from 'node:worker_threads';
import { indexChunks, type ChunkMessage, type ChunksTask } from '../core/table/indexer';

const port = parentPort;
if (!port) throw new Error('index-chunks must run as a worker thread');

port.once('message', (task: ChunksTask) => {
  try {
    indexChunks(task, (m, transfer) => port.postMessage(m, transfer));
  } catch (e) {
    port.postMessage({ type: 'failed', chunk: -1, reason: `indexing failed: ${e instanceof Error ? e.message : String(e)}` } satisfies ChunkMessage);
    port.postMessage({ type: 'done' } satisfies ChunkMessage);
  }
});
