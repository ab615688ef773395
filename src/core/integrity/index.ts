export * from './gzip-hash';
export * from './keys';
export * from './layout';
export * from './validate';
