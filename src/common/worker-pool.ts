/**
 * The extension's one worker pool (src/core/pool): the viewer, "Open All Events", the selector dry run and integrity
 * validation all run their tasks on it, so together they never start more workers than there are cores.
 * Workers start on first use and do not keep the extension host alive while idle.
 */
import * as path from 'node:path';
import { WorkerPool } from '../core/pool';

let shared: WorkerPool | undefined;

/** The shared pool (created on first call; `extensionPath` locates out/worker-pool.js). */
export function sharedWorkerPool(extensionPath: string): WorkerPool {
  shared ??= new WorkerPool(path.join(extensionPath, 'out', 'worker-pool.js'));
  return shared;
}

/** Terminates the shared pool's workers (on deactivation). */
export function disposeSharedWorkerPool(): void {
  shared?.dispose();
  shared = undefined;
}
