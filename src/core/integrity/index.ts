export * from './gzip-hash';
export * from './keys';
export * from './layout';
export * from './validate';
export * from './download';
export * from './report';
export * from './digest-listing';
