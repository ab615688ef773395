/**
 * A real pool worker script that dies (exit code 3) on the tasks `dies` picks: for testing how the pool handles a
 * crashed worker without mocking the pool. Written into `dir`; returns its path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** `dies` is a JavaScript expression over the task message `m`, e.g. `m.task.parse?.name === 'boom'`. */
export function crashyWorker(dir: string, workerScript: string, dies: string): string {
  const file = path.join(dir, 'crashy-worker.js');
  fs.writeFileSync(
    file,
    // Registered before the real worker's handler, so it runs first.
    `const { parentPort } = require('node:worker_threads');
     parentPort.on('message', (m) => { if (m.type === 'task' && (${dies})) process.exit(3); });
     require(${JSON.stringify(workerScript)});`,
  );
  return file;
}
