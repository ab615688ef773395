/**
 * The extension's side of local queries: forks the query worker (out/worker-query.js) on the first query — not at
 * activation — and talks to it over IPC. One query at a time per client; a crash of the worker fails the running
 * query with a clear message and the next query starts a new worker.
 */
import { ChildProcess, fork } from 'node:child_process';
import type { EngineSettings, LocalQuery, QueryResult } from './duckdb';
import { QueryError } from './errors';

interface Pending {
  resolve: (r: QueryResult) => void;
  reject: (e: QueryError) => void;
  onProgress?: (message: string) => void;
}

export class QueryWorkerClient {
  private child?: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly workerPath: string) {}

  private start(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.connected) return this.child;
    const child = fork(this.workerPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    child.on('message', (m: { type: string; id: number; message?: string; result?: QueryResult; error?: { message: string; line?: number; column?: number; code?: QueryError['code'] } }) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.onProgress?.(m.message ?? '');
      else if (m.type === 'result') {
        this.pending.delete(m.id);
        p.resolve(m.result!);
      } else if (m.type === 'error') {
        this.pending.delete(m.id);
        p.reject(new QueryError(m.error!.message, m.error!.line, m.error!.column, m.error!.code ?? 'engine'));
      }
    });
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      for (const [id, p] of this.pending) {
        this.pending.delete(id);
        p.reject(new QueryError(`The query engine stopped (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim().split('\n').pop()}` : ''}. Run the query again; lower cloudtrailLens.query.memoryLimit if it ran out of memory.`, undefined, undefined, 'engine'));
      }
    });
    this.child = child;
    return child;
  }

  run(query: LocalQuery, settings: EngineSettings, onProgress?: (message: string) => void, signal?: { onCancel(cb: () => void): void }): Promise<QueryResult> {
    const child = this.start();
    const id = this.nextId++;
    return new Promise<QueryResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      signal?.onCancel(() => child.connected && child.send({ type: 'cancel', id }));
      child.send({ type: 'query', id, query, settings });
    });
  }

  /** Process id of the running worker (benchmarks read its peak RSS); undefined when none runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** True once a worker process was started (activation must not start one). */
  get started(): boolean {
    return this.child !== undefined;
  }

  dispose(): void {
    if (this.child) {
      this.child.kill();
      this.child = undefined;
    }
  }
}
