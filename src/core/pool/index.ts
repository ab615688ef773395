export { WorkerPool, TaskCancelled, WorkerCrashed, defaultPoolSize, type RunTaskOptions } from './pool';
export type { PoolTask, TaskKind, TaskResults, TaskEvents, ParseFileTask, IndexChunksTask, HashFileTask } from './protocol';
