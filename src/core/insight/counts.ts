/**
 * The viewer's "Fields" panel: for a column, or any field path of the records, the most frequent values in
 * the current view with their counts and share, and how many distinct values there are.
 *
 * Columns are counted from the table's per-column codes (one increment per row, no strings touched);
 * other paths read each record of the view (`valuesAtPath` on the parsed record), so they cost a parse per
 * record and are asked for on demand only.
 */
import type { JsonObject, JsonValue } from '../records/types';
import { isLosslessNumber } from '../json/lossless';

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

/**
 * Splits `a.b.c` (also `a.b[].c`, `a["x.y"]`, the notation of the field docs) into keys. Returns undefined for
 * a path it cannot read.
 */
export function parsePath(path: string): string[] | undefined {
  const keys: string[] = [];
  let i = 0;
  const p = path.trim();
  while (i < p.length) {
    if (p[i] === '.') {
      i++;
      continue;
    }
    if (p.startsWith('[]', i)) {
      i += 2;
      continue;
    }
    if (p[i] === '[' && p[i + 1] === '"') {
      const end = p.indexOf('"]', i + 2);
      if (end < 0) return undefined;
      keys.push(p.slice(i + 2, end));
      i = end + 2;
      continue;
    }
    let j = i;
    while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
    if (j === i) return undefined;
    keys.push(p.slice(i, j));
    i = j;
  }
  return keys.length ? keys : undefined;
}

/**
 * The values at `keys` in `event`, as display strings: arrays along the way are walked element by element
 * (so `resources.ARN` gives every resource's ARN), key case is matched exactly first, then ignoring case (for
 * lower-case-key exports). Objects at the end are written as compact JSON.
 */
export function valuesAtPath(event: JsonObject, keys: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue | undefined, k: number) => {
    if (v === undefined) return;
    if (Array.isArray(v)) {
      for (const e of v) walk(e, k);
      return;
    }
    if (k === keys.length) {
      const s = scalar(v);
      if (s !== '') out.push(s);
      return;
    }
    if (v === null || typeof v !== 'object' || isLosslessNumber(v)) return;
    walk(member(v as JsonObject, keys[k]), k + 1);
  };
  walk(event, 0);
  return out;
}

function member(o: JsonObject, key: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function scalar(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isLosslessNumber(v)) return String(v);
  const s = JSON.stringify(v, (_k, x: unknown) => (isLosslessNumber(x) ? String(x) : x));
  return s.length > 4096 ? s.slice(0, 4096) + '…' : s;
}
