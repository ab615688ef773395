/**
 * The viewer's timeline and field counts for one editor's current view, computed on the extension host from the
 * table's per-column codes and times (core/insight), so the webview receives aggregates only: its memory does not
 * depend on the record count. Pure: no `vscode`.
 */
import { COLUMNS, COLUMN_INDEX, isColumnId, type RecordTable } from '../core/table';
import { countCodes, countValues, histogram, parsePath, summarise, valuesAtPath, type FieldCounts } from '../core/insight';
import type { FieldCountsData, TimelineData } from '../protocol/protocol';

/** Values listed per field. */
export const FIELD_TOP = 10;
/** Split series shown by name; the rest are "other". */
const SPLIT_SERIES = 5;
/** Longest value text sent per field value. */
const VALUE_MAX = 300;

/** Columns listed in the Fields panel: all but the time (the timeline shows it) and unique IDs. */
export const FIELD_COLUMNS = COLUMNS.filter((c) => c.id !== 'time' && c.id !== 'eventId').map((c) => c.id);

/** The timeline of `rows` (table indexes), split into errors vs. successes or by a column's top values. */
export function timelineOf(table: RecordTable, rows: ArrayLike<number>, split: string, maxBars?: number): TimelineData {
  const times = table.timeArray();
  const col = isColumnId(split) && split !== 'time' && split !== 'eventId' ? split : undefined;
  let seriesNames: string[];
  let seriesOf: (k: number) => number;
  if (!col) {
    const c = COLUMN_INDEX.errorCode;
    const codes = table.columnCodes(c);
    const vals = table.dictionary(c).values;
    seriesNames = ['successes', 'errors'];
    seriesOf = (k) => (vals[codes[rows[k]]] === '' ? 0 : 1);
  } else {
    const c = COLUMN_INDEX[col];
    const codes = table.columnCodes(c);
    const vals = table.dictionary(c).values;
    const top = countCodes(col, rows, codes, vals, SPLIT_SERIES);
    const map = new Int32Array(vals.length).fill(-1);
    seriesNames = top.top.map((t) => t.value);
    top.top.forEach((t, i) => {
      for (let code = 0; code < vals.length; code++) if (vals[code] === t.value) map[code] = i;
    });
    const other = top.distinct > top.top.length || top.missing > 0;
    if (other) seriesNames.push(top.missing > 0 && top.distinct <= top.top.length ? '(empty)' : 'other');
    const last = seriesNames.length - 1;
    seriesOf = (k) => {
      const s = map[codes[rows[k]]];
      return s >= 0 ? s : last;
    };
    if (seriesNames.length === 0) seriesNames = ['events'];
  }
  const h = histogram({ count: rows.length, time: (k) => times[rows[k]], series: seriesOf, seriesNames, maxBars });
  return {
    start: h.start,
    bucketMs: h.bucketMs,
    bucketLabel: h.bucketLabel,
    series: h.series.map((s) => cut(s)),
    counts: h.counts,
    totals: h.totals,
    total: h.total,
    undated: h.undated,
    summary: summarise(h),
    split: col ?? '',
  };
}

/** Top values of every listed column among `rows`. */
export function columnCounts(table: RecordTable, rows: ArrayLike<number>): FieldCountsData[] {
  return FIELD_COLUMNS.map((id) => {
    const c = COLUMN_INDEX[id];
    return toData(countCodes(id, rows, table.columnCodes(c), table.dictionary(c).values, FIELD_TOP), 'column', COLUMNS[c].title);
  });
}

/**
 * Top values at a field path among `rows` (a parse per record, in slices that yield to the event loop). Rejects
 * with an AbortError when `signal` aborts.
 */
export async function pathCounts(table: RecordTable, rows: ArrayLike<number>, path: string, signal?: AbortSignal): Promise<FieldCountsData> {
  const keys = parsePath(path);
  const title = path.length > 200 ? path.slice(0, 200) + '…' : path;
  if (!keys) {
    return { field: path, kind: 'path', title, rows: rows.length, missing: rows.length, distinct: 0, top: [], error: `"${title}" is not a field path. Write it like requestParameters.bucketName.` };
  }
  const values: (string[] | undefined)[] = new Array(rows.length);
  let deadline = performance.now() + 10;
  for (let k = 0; k < rows.length; k++) {
    try {
      values[k] = valuesAtPath(table.event(rows[k]), keys);
    } catch {
      values[k] = undefined;
    }
    if (performance.now() > deadline) {
      await new Promise<void>((r) => setImmediate(r));
      if (signal?.aborted) {
        const e = new Error('cancelled');
        e.name = 'AbortError';
        throw e;
      }
      deadline = performance.now() + 10;
    }
  }
  return toData(countValues(path, rows.length, (k) => values[k], FIELD_TOP), 'path', title);
}

function toData(f: FieldCounts, kind: 'column' | 'path', title: string): FieldCountsData {
  return { field: f.field, kind, title, rows: f.rows, missing: f.missing, distinct: f.distinct, top: f.top.map((t) => (t.value.length > VALUE_MAX ? { ...t, value: cut(t.value), cut: true } : t)) };
}

function cut(s: string): string {
  return s.length > VALUE_MAX ? s.slice(0, VALUE_MAX) + '…' : s;
}
