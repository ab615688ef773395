/** Log folders without VS Code: layout recognition, grouping, scanning and the parallel parse pool. */
export * from './layout';
export * from './scan';
export * from './pool';
export { nodeLister } from './node-fs';
export type { ParseTask, ParseReply, LosslessRef } from './protocol';
export * from './record-text';
