export { WorkerPool, TaskCancelled, WorkerCrashed, defaultPoolSize, type RunTaskOptions, type WarmUpReport } from './pool';
export type { PoolTask, TaskKind, TaskResults, TaskEvents, ParseFileTask, IndexChunksTask, HashFileTask, WarmUpTask } from './protocol';
export { warmUpSample, warmUpRecord, WARM_UP_NAME, WARM_UP_RECORDS, WARM_UP_ROUNDS } from './warm-up';
