/**
 * Query errors checked by name and code, not `instanceof`: the query feature is its own bundle (out/query.js) and
 * errors also cross the worker process, so a QueryError made by another copy of the class must still be recognised.
 */
export type QueryErrorCode = 'sql' | 'binding' | 'cancelled' | 'input' | 'engine';

export interface QueryErrorLike extends Error {
  readonly line?: number;
  readonly column?: number;
  readonly code: QueryErrorCode;
}

/** A query error with the 1-based SQL position when the engine reported one. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
    readonly code: QueryErrorCode = 'sql',
  ) {
    super(message);
  }
}

const CODES: readonly string[] = ['sql', 'binding', 'cancelled', 'input', 'engine'];

export function isQueryError(e: unknown): e is QueryErrorLike {
  return e instanceof Error && e.name === 'QueryError' && CODES.includes((e as { code?: unknown }).code as string);
}
