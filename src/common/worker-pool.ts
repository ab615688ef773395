/**
 * The extension's one worker pool (src/core/pool): the viewer, "Open All Events", the selector dry run and integrity
 * validation all run their tasks on it, so together they never start more workers than there are cores.
 * Workers start on first use, or earlier through warmSharedWorkerPool, and do not keep the extension host alive
 * while idle.
 */
import * as path from 'node:path';
import { WorkerPool, type WarmUpReport } from '../core/pool';
import { log } from './log';

let shared: WorkerPool | undefined;
let warmed: Promise<WarmUpReport | undefined> | undefined;

/** The shared pool (created on first call; `extensionPath` locates out/worker-pool.js). */
export function sharedWorkerPool(extensionPath: string): WorkerPool {
  shared ??= new WorkerPool(path.join(extensionPath, 'out', 'worker-pool.js'));
  return shared;
}

/**
 * Starts the shared pool's workers and warms them (WorkerPool.warmUp) in the background, once per session: called
 * when the explorer shows a log folder, so that the first "Open All Events" runs on workers that are ready. A
 * failure is only logged; the files are still read, the first ones more slowly.
 */
export function warmSharedWorkerPool(extensionPath: string): Promise<WarmUpReport | undefined> {
  warmed ??= sharedWorkerPool(extensionPath)
    .warmUp()
    .then(
      (r) => {
        log().info(`worker pool: ${r.workers} worker${r.workers === 1 ? '' : 's'} started and warmed up in ${r.ms.toFixed(0)} ms (${r.records} sample records)`);
        return r;
      },
      (err: unknown) => {
        log().warn(`worker pool: warm-up failed (${err instanceof Error ? err.message : String(err)}); log files are still read, the first ones more slowly`);
        return undefined;
      },
    );
  return warmed;
}

/** The shared pool's warm-up, once it was asked for (test hook `cloudtrailLens.pool._warmUp`). */
export function sharedWarmUp(): Promise<WarmUpReport | undefined> | undefined {
  return warmed;
}

/** Terminates the shared pool's workers (on deactivation). */
export function disposeSharedWorkerPool(): void {
  shared?.dispose();
  shared = undefined;
  warmed = undefined;
}
