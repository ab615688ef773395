/**
 * The rows of a table as plain data that survives postMessage (the typed arrays can be transferred), so a worker
 * thread can index part of a file and the table on the main thread can take its rows over: see
 * RecordTable.exportRows / importRows. The records' texts travel separately, as one string that holds them all at
 * their range offsets (the file's text); only records whose text is not that slice carry their own.
 */
import { COLUMNS } from './columns';
import type { Dictionary } from './dictionary';

const NCOL = COLUMNS.length;

export interface TableRows {
  count: number;
  /** Per column (COLUMNS order): the distinct cell values of these rows, and each row's code into them. */
  values: string[][];
  codes: Uint32Array[];
  times: Float64Array;
  /** As in range(): offsets and lines, -1 / 0 when the parser gave no range. */
  starts: Float64Array;
  ends: Float64Array;
  lines: Uint32Array;
  endLines: Uint32Array;
  /** Rows whose text is their own (not the slice of the file at their range), ascending, and those texts. */
  looseRows: Uint32Array;
  looseTexts: string[];
  /**
   * Where each non-loose row's text starts in the source text (RowsSource), when that is not its range start:
   * rows whose ranges are those of the joined document while their texts are still in their file's text
   * (RowsBuilder). Entries of loose rows are ignored.
   */
  textStarts?: Float64Array;
  /** Rows decoded from a gzip member whose checksum failed (CloudTrailRecord.unverified), ascending. */
  unverifiedRows?: Uint32Array;
}

/**
 * Where importRows finds the texts of rows that are not loose: `text` from offset `offset` of the ranges on; or
 * `bytes` instead of `text`, one byte per character of it (ASCII text a worker handed over), decoded only when a
 * text is first needed (a search, the detail pane), not while rows are imported.
 */
export type RowsSource = { text: string; offset: number } | { bytes: Uint8Array; offset: number };

/** Throws unless `rows` has every array and each is long enough for `count` rows (rows may come from another thread). */
export function checkRows(rows: TableRows): void {
  const n = rows.count;
  const ok =
    Number.isInteger(n) &&
    n >= 0 &&
    rows.values.length === NCOL &&
    rows.codes.length === NCOL &&
    rows.codes.every((a, c) => a.length >= n && (n === 0 || maxOf(a, n) < rows.values[c].length)) &&
    [rows.times, rows.starts, rows.ends, rows.lines, rows.endLines, rows.textStarts ?? rows.times].every((a) => a.length >= n) &&
    (rows.unverifiedRows ?? []).every((r) => r < n) &&
    rows.looseRows.length === rows.looseTexts.length &&
    rows.looseRows.every((r, k) => r < n && (k === 0 || r > rows.looseRows[k - 1]) && typeof rows.looseTexts[k] === 'string');
  if (!ok) throw new Error('importRows: the rows are incomplete or inconsistent.');
}

function maxOf(a: Uint32Array, n: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) if (a[k] > m) m = a[k];
  return m;
}

/** Row storage as a table or a RowsBuilder keeps it (arrays longer than the row count). */
export interface RowArrays {
  dicts: readonly Dictionary[];
  codes: readonly Uint32Array[];
  times: Float64Array;
  starts: Float64Array;
  ends: Float64Array;
  lines: Uint32Array;
  endLines: Uint32Array;
}

/**
 * The first `n` rows of `a` as TableRows with the given loose texts: fresh copies, ready to transfer. Every array
 * is a view into one new ArrayBuffer (rowsTransfer lists it): one buffer per piece to move between threads
 * instead of two dozen, which the receiver's garbage collector sees as one external allocation, not many.
 */
export function rowsOf(n: number, a: RowArrays, looseRows: ArrayLike<number>, looseTexts: string[], unverified: Iterable<number>, textStarts?: Float64Array): TableRows {
  const u = Uint32Array.from(unverified).sort();
  const f64 = (textStarts ? 4 : 3) * n;
  const u32 = (a.codes.length + 2) * n + looseRows.length + u.length;
  const buffer = new ArrayBuffer(f64 * 8 + u32 * 4);
  let at = 0;
  const take64 = (src: Float64Array) => {
    const v = new Float64Array(buffer, at, n);
    v.set(src.subarray(0, n));
    at += n * 8;
    return v;
  };
  const take32 = (src: ArrayLike<number>, len: number) => {
    const v = new Uint32Array(buffer, at, len);
    if (src instanceof Uint32Array) v.set(src.subarray(0, len));
    else for (let k = 0; k < len; k++) v[k] = src[k];
    at += len * 4;
    return v;
  };
  const rows: TableRows = {
    count: n,
    values: a.dicts.map((d) => d.values.slice()),
    times: take64(a.times),
    starts: take64(a.starts),
    ends: take64(a.ends),
    codes: [],
    lines: new Uint32Array(0),
    endLines: new Uint32Array(0),
    looseRows: new Uint32Array(0),
    looseTexts,
  };
  if (textStarts) rows.textStarts = take64(textStarts);
  rows.codes = a.codes.map((c) => take32(c, n));
  rows.lines = take32(a.lines, n);
  rows.endLines = take32(a.endLines, n);
  rows.looseRows = take32(looseRows, looseRows.length);
  if (u.length) rows.unverifiedRows = take32(u, u.length);
  return rows;
}

/** The buffers to list in postMessage's transfer list to move `rows` without a copy (each once). */
export function rowsTransfer(rows: TableRows): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const arr of [...rows.codes, rows.times, rows.starts, rows.ends, rows.lines, rows.endLines, rows.looseRows, rows.textStarts, rows.unverifiedRows]) if (arr) out.add(arr.buffer as ArrayBuffer);
  return [...out];
}
