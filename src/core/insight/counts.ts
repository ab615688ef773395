/**
 * The viewer's "Fields" panel: for a column, or any field path of the records, the most frequent values in
 * the current view with their counts and share, and how many distinct values there are.
 *
 * Columns are counted from the table's per-column codes (one increment per row, no strings touched);
 * other paths read each record of the view (`valuesAtPath` on the parsed record), so they cost a parse per
 * record and are asked for on demand only.
 */
export { parsePath, valuesAtPath } from '../records/paths';

export interface ValueCount {
  value: string;
  count: number;
  /** count / rows counted (0–1). */
  share: number;
}

export interface FieldCounts {
  /** The column id or field path counted. */
  field: string;
  /** Rows looked at. */
  rows: number;
  /** Rows where the field is absent or empty (not in `top`). */
  missing: number;
  distinct: number;
  /** Most frequent first; ties in value order (so the list is stable between runs). */
  top: ValueCount[];
}

/** Counts by code: `codes[i]` is row i's code into `dictionary`; `rows` the view's row indexes. */
export function countCodes(field: string, rows: ArrayLike<number>, codes: ArrayLike<number>, dictionary: readonly string[], limit = 10): FieldCounts {
  const tally = new Uint32Array(dictionary.length);
  for (let k = 0; k < rows.length; k++) tally[codes[rows[k]]]++;
  const entries: [string, number][] = [];
  let missing = 0;
  for (let c = 0; c < tally.length; c++) {
    if (tally[c] === 0) continue;
    if (dictionary[c] === '') missing += tally[c];
    else entries.push([dictionary[c], tally[c]]);
  }
  return finish(field, rows.length, missing, entries, limit);
}

/** Counts the strings `valueOf(k)` gives for k in [0, n): undefined or empty is "missing"; an array counts each distinct element once. */
export function countValues(field: string, n: number, valueOf: (k: number) => string | string[] | undefined, limit = 10): FieldCounts {
  const tally = new Map<string, number>();
  let missing = 0;
  for (let k = 0; k < n; k++) {
    const v = valueOf(k);
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) {
      missing++;
      continue;
    }
    if (Array.isArray(v)) {
      for (const one of new Set(v)) tally.set(one, (tally.get(one) ?? 0) + 1);
    } else tally.set(v, (tally.get(v) ?? 0) + 1);
  }
  return finish(field, n, missing, [...tally], limit);
}

function finish(field: string, rows: number, missing: number, entries: [string, number][], limit: number): FieldCounts {
  entries.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const top = entries.slice(0, Math.max(0, limit)).map(([value, count]) => ({ value, count, share: rows ? count / rows : 0 }));
  return { field, rows, missing, distinct: entries.length, top };
}
