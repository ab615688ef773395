/** SQL investigations over CloudTrail logs: the `cloudtrail` table, DuckDB for local folders, Athena for S3. */
export * from './schema';
export * from './sources';
export * from './duckdb';
export * from './format';
export * from './library';
export * from './notebook';
