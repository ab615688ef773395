/**
 * One pool of worker threads for every kind of background work (parse a file, index chunks of a big log, hash a
 * log file): see protocol.ts for the task kinds. Shareable: the extension keeps one, the CLI and benches make one.
 *
 * - Workers start lazily, at most `size` of them (default: every core the OS lets us use).
 * - A worker holds up to `perWorker` tasks at once (so it never waits for this thread between two files); a task
 *   kind that runs long and synchronously (index-chunks) takes a worker for itself.
 * - `run(task, { signal })`: aborting drops a queued task; a running one is told to stop (index-chunks: its worker
 *   is terminated and replaced, since it runs one synchronous loop). The promise rejects with TaskCancelled.
 * - A worker that crashes (out of memory, a bug, a broken bundle) fails only the tasks it held, with WorkerCrashed
 *   saying so; a new worker takes its place for the tasks still queued.
 */
import { Worker } from 'node:worker_threads';
import * as os from 'node:os';
import type { FromWorker, PoolTask, TaskEvents, TaskKind, TaskResults, ToWorker } from './protocol';

/** Default pool size: every core the OS lets us use. */
export function defaultPoolSize(): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

/** The task was cancelled (its signal aborted, or the pool was disposed) before it finished. */
export class TaskCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'TaskCancelled';
  }
}

/** The worker running the task died. `message` starts with "worker failed: ". */
export class WorkerCrashed extends Error {
  constructor(readonly why: string) {
    super(`worker failed: ${why}`);
    this.name = 'WorkerCrashed';
  }
}

export interface RunTaskOptions<K extends TaskKind> {
  /** Buffers to hand to the worker instead of copying them (they become unusable here). */
  transfer?: ArrayBuffer[];
  signal?: AbortSignal;
  /** Messages a streaming task posts before its result (index-chunks). */
  onEvent?: (event: TaskEvents[K]) => void;
}

interface Pending {
  id: number;
  task: PoolTask;
  transfer: ArrayBuffer[];
  onEvent?: (event: never) => void;
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
  /** Settled already (cancelled): a late answer is dropped. */
  settled: boolean;
  slot?: Slot;
  cleanup: () => void;
}

/** What a warm-up did: distinct workers warmed, records parsed in all, and how long it took. */
export interface WarmUpReport {
  workers: number;
  records: number;
  ms: number;
}

interface Slot {
  worker: Worker;
  tasks: Map<number, Pending>;
  /** Gone (crashed or terminated): takes nothing more. */
  dead: boolean;
}

/** Task kinds that keep a worker busy for long in one synchronous loop: they get a worker for themselves. */
const EXCLUSIVE: ReadonlySet<TaskKind> = new Set(['index-chunks']);

export class WorkerPool {
  private slots: Slot[] = [];
  private queue: Pending[] = [];
  private nextId = 1;
  private disposed = false;
  private warming?: Promise<WarmUpReport>;

  /**
   * @param workerScript absolute path of the worker entry (out/worker-pool.js in the extension, build/src/workers/pool.js in tests).
   * @param size most workers (default: os.availableParallelism()).
   * @param perWorker most tasks a worker holds at once (default 2).
   */
  constructor(
    readonly workerScript: string,
    readonly size: number = defaultPoolSize(),
    readonly perWorker = 2,
  ) {}

  /** Workers running now (for tests and logs). */
  get workers(): number {
    return this.slots.length;
  }

  /**
   * Starts every worker and has each parse a synthetic log file a few times (task kind `warm-up`), so that the first
   * real files run at the speed of a worker that has already worked (a new worker reads its first files slowly while
   * its code is compiled). Once per set of workers: the same promise until terminate(), after which the next call
   * warms the new ones. A real task sent meanwhile waits behind at most one warm-up on its worker.
   */
  warmUp(rounds?: number): Promise<WarmUpReport> {
    if (this.disposed) return Promise.reject(new Error('the worker pool is disposed'));
    if (!this.warming) {
      const started = performance.now();
      const warming = Promise.all(Array.from({ length: this.size }, () => this.run({ kind: 'warm-up', rounds }))).then((done) => ({
        workers: new Set(done.map((r) => r.thread)).size,
        records: done.reduce((n, r) => n + r.records, 0),
        ms: performance.now() - started,
      }));
      // A failed warm-up may be tried again (the workers are replaced as they crash).
      warming.catch(() => {
        if (this.warming === warming) this.warming = undefined;
      });
      this.warming = warming;
    }
    return this.warming;
  }

  /** Runs one task; resolves with its result, rejects with TaskCancelled, WorkerCrashed or the task's own error. */
  run<K extends TaskKind>(task: Extract<PoolTask, { kind: K }>, options: RunTaskOptions<K> = {}): Promise<TaskResults[K]> {
    if (this.disposed) return Promise.reject(new Error('the worker pool is disposed'));
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(new TaskCancelled());
    return new Promise<TaskResults[K]>((resolve, reject) => {
      const p: Pending = {
        id: this.nextId++,
        task,
        transfer: options.transfer ?? [],
        onEvent: options.onEvent as ((e: never) => void) | undefined,
        resolve: resolve as (r: unknown) => void,
        reject,
        settled: false,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
      };
      const onAbort = () => this.cancel(p);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.queue.push(p);
      this.dispatch();
    });
  }

  /** Terminates every worker; running and queued tasks reject with TaskCancelled. Later runs start fresh workers. */
  terminate(): void {
    this.warming = undefined;
    const queued = this.queue;
    this.queue = [];
    for (const p of queued) this.settle(p, new TaskCancelled());
    for (const s of this.slots.slice()) this.kill(s, new TaskCancelled());
  }

  dispose(): void {
    this.disposed = true;
    this.terminate();
  }

  private settle(p: Pending, error: Error | undefined, result?: unknown): void {
    if (p.settled) return;
    p.settled = true;
    p.cleanup();
    if (error) p.reject(error);
    else p.resolve(result);
  }

  private cancel(p: Pending): void {
    if (p.settled) return;
    const q = this.queue.indexOf(p);
    if (q >= 0) this.queue.splice(q, 1);
    const slot = p.slot;
    this.settle(p, new TaskCancelled());
    if (!slot || slot.dead) return;
    if (EXCLUSIVE.has(p.task.kind)) {
      // One synchronous loop: it cannot read a message; the worker goes, a new one replaces it when needed.
      this.kill(slot, new TaskCancelled());
      this.dispatch();
      return;
    }
    // The worker stops what it can (a hash stream) and answers; the slot stays busy until it does.
    slot.worker.postMessage({ type: 'cancel', id: p.id } satisfies ToWorker);
  }

  /** Removes a slot and fails what it held. */
  private kill(slot: Slot, error: Error): void {
    if (slot.dead) return;
    slot.dead = true;
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
    for (const p of slot.tasks.values()) this.settle(p, error);
    slot.tasks.clear();
    void slot.worker.terminate();
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerScript);
    const slot: Slot = { worker, tasks: new Map(), dead: false };
    worker.on('message', (m: FromWorker) => {
      const p = slot.tasks.get(m?.id);
      if (!p) return;
      if (m.type === 'event') {
        if (!p.settled) p.onEvent?.(m.event as never);
        return;
      }
      slot.tasks.delete(m.id);
      if (slot.tasks.size === 0) worker.unref();
      if (m.type === 'result') this.settle(p, undefined, m.result);
      else this.settle(p, new Error(m.message));
      this.dispatch();
    });
    const crashed = (why: string) => {
      if (slot.dead) return;
      this.kill(slot, new WorkerCrashed(why));
      // Tasks still queued get a new worker.
      this.dispatch();
    };
    worker.on('error', (err) => crashed(err instanceof Error ? err.message : String(err)));
    worker.on('exit', (code) => crashed(`exited with code ${code}`));
    worker.unref();
    return slot;
  }

  /** Hands queued tasks to workers with room, starting workers up to `size`. */
  private dispatch(): void {
    while (this.queue.length > 0 && !this.disposed) {
      const p = this.queue[0];
      const exclusive = EXCLUSIVE.has(p.task.kind);
      const fits = (s: Slot) => !s.dead && (exclusive ? s.tasks.size === 0 : s.tasks.size < this.perWorker && ![...s.tasks.values()].some((t) => EXCLUSIVE.has(t.task.kind)));
      // The least busy worker with room, else a new one.
      let slot: Slot | undefined;
      for (const s of this.slots) if (fits(s) && (!slot || s.tasks.size < slot.tasks.size)) slot = s;
      if (slot && slot.tasks.size > 0 && this.slots.length < this.size) slot = undefined;
      if (!slot) {
        if (this.slots.length >= this.size) return;
        try {
          slot = this.spawn();
        } catch (e) {
          this.queue.shift();
          this.settle(p, new WorkerCrashed(`could not start: ${e instanceof Error ? e.message : String(e)}`));
          continue;
        }
        this.slots.push(slot);
      }
      this.queue.shift();
      p.slot = slot;
      slot.tasks.set(p.id, p);
      // Keep the process alive only while a worker has work (a CLI must not exit mid-run, nor hang after).
      slot.worker.ref();
      try {
        slot.worker.postMessage({ type: 'task', id: p.id, task: p.task } satisfies ToWorker, p.transfer);
      } catch (e) {
        slot.tasks.delete(p.id);
        this.settle(p, e instanceof Error ? e : new Error(String(e)));
      }
    }
  }
}
