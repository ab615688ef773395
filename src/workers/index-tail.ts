/**
 * Worker thread of the record viewer's indexing (src/core/table/indexer.ts): indexes the second half of a big
 * log file into a RecordTable of its own and posts the rows back. Bundled to out/worker-index-tail.js.
 */
import { parentPort } from 'node:worker_threads';
import { indexTail, tailSignatures, tailTransfer, type TailMessage, type TailTask } from '../core/table/indexer';

const port = parentPort;
if (!port) throw new Error('index-tail must run as a worker thread');

port.once('message', (task: TailTask) => {
  let reply: TailMessage;
  try {
    let last = 0;
    reply = indexTail(task, (bytes) => {
      // Progress a few times per second is plenty; every slice would be ~200 messages for 100 MB.
      if (bytes - last >= 4 * 1024 * 1024 || bytes === task.bytes.length) {
        last = bytes;
        port.postMessage({ type: 'progress', bytes } satisfies TailMessage);
      }
    });
  } catch (e) {
    reply = { type: 'failed', reason: `indexing failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  // The rows go first (the viewer waits for them); the search signatures of those rows follow.
  const signatures = task.signatures ? tailSignatures(reply) : undefined;
  port.postMessage(reply, tailTransfer(reply));
  if (reply.type !== 'rows') return;
  let words: TailMessage | undefined;
  try {
    words = signatures?.();
  } catch {
    words = undefined;
  }
  if (words) port.postMessage(words, tailTransfer(words));
  else port.postMessage({ type: 'failed', reason: 'no search signatures' } satisfies TailMessage);
});
