/**
 * What the viewer shows, behind one interface: a log's records (backed by the core RecordTable) or a digest
 * file's list of log files. Pure: no `vscode`; the document and session adapt it to the editor.
 */
import type { DigestInfo, JsonObject, JsonValue } from '../core/records/types';
import { COLUMNS, COLUMN_INDEX, DEFAULT_SORT, MAX_CELL_LENGTH, RecordTable, digestView, isColumnId, rawCells, type TableView, type Filter, type Sort } from '../core/table';
import type { DocKind } from '../core/fields';
import { decodeMarkers, decodeStandIns } from '../protocol/markers';
import type { Origins } from '../core/ingest/origins';
import { CELL_MAX_CHARS, type RowSetRef, type ColumnInfo, type DigestHeader, type FieldCountsData, type RecordOrigin, type Row, type SortSpec, type TimeBoxNote, type TimelineData, type ViewFilter, type ViewerKind } from '../protocol/protocol';
import { formatUtc, parseTimeInput } from '../core/insight';
import { columnCounts, pathCounts, timelineOf } from './insight';

export interface Counts {
  matched: number;
  total: number;
  /** How the From / To boxes were read (records only). */
  time?: { from?: TimeBoxNote; to?: TimeBoxNote };
}

export interface RowSource {
  readonly kind: ViewerKind;
  readonly columns: ColumnInfo[];
  readonly defaultSort: SortSpec;
  /** Applies a filter and sort; rejects with an Error whose message is fit for the user when invalid. */
  setView(filter: ViewFilter, sort: SortSpec | undefined, signal?: AbortSignal): Promise<Counts>;
  counts(): Counts;
  rows(start: number, count: number): Row[];
  /** The full item for the detail pane and copy. */
  item(index: number): JsonValue;
  /** Documentation table and path prefix for the detail tree. */
  docs(index: number): { kind: DocKind; prefix: (string | number)[] };
  /** The exact, uncut value of a cell. */
  cellValue(index: number, column: string): string;
  /** 1-based line of the item in the (decompressed) file, when known. */
  line(index: number): number | undefined;
  /** The record came from a gzip member whose checksum failed. */
  unverified?(index: number): boolean;
  header?(): DigestHeader | undefined;
  /** Timeline and column counts of the current view (records only). */
  insight?(split: string, maxBars?: number): { timeline: TimelineData; fields: FieldCountsData[] };
  /** Counts at a field path over the current view (records only; a parse per record). */
  pathInsight?(path: string, signal?: AbortSignal): Promise<FieldCountsData>;
  /** Combined views: where the record came from. */
  origin?(index: number): RecordOrigin | undefined;
  /** Position of a record in the current view, or -1 when the view hides it. */
  positionOf?(index: number): number;
  /** Lets go of what the source holds on the shared document (its table view). */
  dispose?(): void;
  /** Holds a set of records (table indexes) that a filter can then name by id (records only). */
  defineRowSet?(rows: readonly number[], label: string): RowSetRef;
  /** Table indexes of the whole current view, in view order (records only; for export). */
  viewIndexes?(): number[];
}

/** Row sets a source keeps (each is one byte per record); older ones are dropped first. */
const MAX_ROW_SETS = 16;

function clip(s: string): { text: string; cut: boolean } {
  return s.length <= CELL_MAX_CHARS ? { text: s, cut: false } : { text: s.slice(0, CELL_MAX_CHARS), cut: true };
}

/** Parses a time bound typed by the user (UTC when no zone is given); throws a readable error. */
export function parseTimeBound(s: string | undefined, which: 'from' | 'to'): number | undefined {
  if (s === undefined || s.trim() === '') return undefined;
  let t = s.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) t += which === 'from' ? 'T00:00:00Z' : 'T23:59:59.999Z';
  else if (!/[zZ]$|[+-]\d\d:?\d\d$/.test(t)) t += 'Z';
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw new Error(`"${s.slice(0, 40)}" is not a time. Use a form like 2024-05-01T12:00 (UTC).`);
  return ms;
}

/**
 * Converts the webview's filter to the table's, reading the time boxes with relative ranges against `newest`
 * (the newest record's time). An unreadable box is not in force and gets an inline message in `time`.
 */
export function readViewFilter(f: ViewFilter, newest: number): { filter: Filter; time: { from?: TimeBoxNote; to?: TimeBoxNote } } {
  const filter = toTableFilter({ ...f, from: undefined, to: undefined });
  const time: { from?: TimeBoxNote; to?: TimeBoxNote } = {};
  for (const which of ['from', 'to'] as const) {
    const text = typeof f?.[which] === 'string' ? (f[which] as string).slice(0, 200) : '';
    if (!text.trim()) continue;
    const r = parseTimeInput(text, which, newest);
    if (!r.ok) time[which] = { error: r.message };
    else if (r.value !== undefined) {
      filter[which] = r.value;
      time[which] = { resolved: r.relative ? `${formatUtc(r.value)} (${r.relative})` : formatUtc(r.value) };
    }
  }
  return { filter, time };
}

/** Converts the webview's filter to the table's, validating everything (messages come from a webview). */
export function toTableFilter(f: ViewFilter): Filter {
  // The view shows hidden characters as `⟪U+202E⟫` (and the table core as `<U+202E>`): text copied from it and
  // pasted into the filter still finds the record, which holds the character itself.
  const text = typeof f?.text === 'string' ? decodeMarkers(f.text.slice(0, 10_000)) : '';
  const chips = (Array.isArray(f?.chips) ? f.chips : [])
    .filter((c) => c && isColumnId(c.column) && typeof c.value === 'string')
    .map((c) => ({ column: c.column as Filter['chips'][number]['column'], value: c.value, exclude: !!c.exclude }));
  const out: Filter = { text, chips };
  const from = parseTimeBound(f?.from, 'from');
  const to = parseTimeBound(f?.to, 'to');
  if (from !== undefined) out.from = from;
  if (to !== undefined) out.to = to;
  return out;
}

export function toTableSort(s: SortSpec | undefined): Sort {
  if (!s || !isColumnId(s.column)) return DEFAULT_SORT;
  return { column: s.column, descending: s.direction === 'desc' };
}

/** Id of the column a combined view adds after the table's own: where each record came from. */
export const SOURCE_COLUMN = 'source';

const SOURCE_INFO: ColumnInfo = {
  id: SOURCE_COLUMN,
  title: 'Source',
  width: 300,
  defaultVisible: true,
  description: 'Where the record came from: its log file, or Region · account for recent events (LookupEvents)',
  sortable: false,
  filterable: false,
};

export class RecordSource implements RowSource {
  readonly kind = 'records' as const;
  // Times are shown in the editor font; 20 characters need a little more room than the catalogue suggests.
  readonly columns: ColumnInfo[] = COLUMNS.map((c) => ({ ...c, width: c.id === 'time' ? Math.max(c.width, 200) : c.width }));
  readonly defaultSort: SortSpec = { column: DEFAULT_SORT.column, direction: DEFAULT_SORT.descending ? 'desc' : 'asc' };
  /** This editor's own filter, sort and hits over the table that every editor of the document shares. */
  private readonly view: TableView;

  /** @param origins where each row came from (combined views): adds the Source column and detail header. */
  constructor(
    readonly table: RecordTable,
    private readonly origins?: Origins,
  ) {
    this.view = table.createView();
    if (origins) this.columns.push({ ...SOURCE_INFO });
  }

  origin(index: number): RecordOrigin | undefined {
    const o = this.origins?.at(index);
    if (!o?.origin.label) return undefined;
    const out: RecordOrigin = { label: o.origin.label, canOpen: o.origin.file !== undefined };
    if (o.origin.description) out.description = o.origin.description;
    return out;
  }

  positionOf(index: number): number {
    return this.view.positionOf(index);
  }

  private readonly rowSets = new Map<number, Uint8Array>();
  private nextRowSet = 1;

  async setView(filter: ViewFilter, sort: SortSpec | undefined, signal?: AbortSignal): Promise<Counts> {
    const { filter: f, time } = readViewFilter(filter, this.table.timeBounds().max ?? NaN);
    if (filter?.rowSet && typeof filter.rowSet === 'object') {
      const only = this.rowSets.get(Number(filter.rowSet.id));
      if (!only) throw new Error('The records of that trace are no longer held (the editor was reopened): remove its filter chip, or trace the record again.');
      f.only = only;
    }
    const c = await this.view.query(f, toTableSort(sort), { signal });
    return time.from || time.to ? { ...c, time } : c;
  }

  defineRowSet(rows: readonly number[], label: string): RowSetRef {
    const n = this.table.size;
    const mask = new Uint8Array(n);
    let count = 0;
    for (const r of rows) {
      if (r >= 0 && r < n && mask[r] === 0) {
        mask[r] = 1;
        count++;
      }
    }
    const id = this.nextRowSet++;
    this.rowSets.set(id, mask);
    for (const old of this.rowSets.keys()) {
      if (this.rowSets.size <= MAX_ROW_SETS) break;
      this.rowSets.delete(old);
    }
    return { id, label, count };
  }

  viewIndexes(): number[] {
    return this.view.indexes(0, this.view.counts().matched);
  }

  insight(split: string, maxBars?: number): { timeline: TimelineData; fields: FieldCountsData[] } {
    const rows = this.view.viewIndexes();
    return { timeline: timelineOf(this.table, rows, split, maxBars), fields: columnCounts(this.table, rows) };
  }

  pathInsight(path: string, signal?: AbortSignal): Promise<FieldCountsData> {
    // A copy: the view may change while the path is counted in slices.
    return pathCounts(this.table, Uint32Array.from(this.view.viewIndexes()), path, signal);
  }

  counts(): Counts {
    return this.view.counts();
  }

  rows(start: number, count: number): Row[] {
    const TIME_AT = COLUMN_INDEX.time;
    return this.view.rows(start, count).map((r, i) => {
      const truncated: number[] = [];
      const cells = r.cells.map((c, at) => {
        // The Time column shows one normalised UTC form; the detail tree keeps the record's own text.
        if (at === TIME_AT) {
          const t = this.table.time(r.index);
          if (t === t) return formatUtc(t);
        }
        const { text, cut } = clip(c);
        if (cut || c.length > MAX_CELL_LENGTH) truncated.push(at);
        return text;
      });
      if (this.origins) cells.push(clip(this.origins.at(r.index)?.origin.label ?? '').text);
      const row: Row = { pos: start + i, index: r.index, cells };
      if (truncated.length) row.truncated = truncated;
      if (r.error) row.failed = true;
      if (r.unverified) row.unverified = true;
      return row;
    });
  }

  item(index: number): JsonValue {
    return this.table.event(index);
  }

  docs(): { kind: DocKind; prefix: (string | number)[] } {
    return { kind: 'event', prefix: [] };
  }

  cellValue(index: number, column: string): string {
    if (column === SOURCE_COLUMN && this.origins) return this.origins.at(index)?.origin.label ?? '';
    if (!isColumnId(column)) return '';
    return rawCells(this.table.event(index))[COLUMN_INDEX[column]] ?? '';
  }

  line(index: number): number | undefined {
    return this.table.range(index)?.startLine || undefined;
  }

  unverified(index: number): boolean {
    return this.table.unverified(index);
  }

  /** Stops the view following new rows (the editor closed). */
  dispose(): void {
    this.view.dispose();
  }
}

const DIGEST_COLUMNS: ColumnInfo[] = [
  { id: 'object', title: 'Log file', width: 520, defaultVisible: true, description: 'S3 location of the log file (s3Bucket/s3Object)' },
  { id: 'oldest', title: 'Oldest event', width: 180, defaultVisible: true, description: 'oldestEventTime of the log file' },
  { id: 'newest', title: 'Newest event', width: 180, defaultVisible: true, description: 'newestEventTime of the log file' },
  { id: 'hash', title: 'Hash', width: 300, defaultVisible: true, description: 'hashValue: hex hash of the uncompressed log file' },
  { id: 'algorithm', title: 'Algorithm', width: 90, defaultVisible: true, description: 'hashAlgorithm' },
];

/** A digest file: one row per log file it lists, with a simple text filter and sort of its own. */
export class DigestSource implements RowSource {
  readonly kind = 'digest' as const;
  readonly columns = DIGEST_COLUMNS;
  readonly defaultSort: SortSpec = { column: 'newest', direction: 'asc' };
  private readonly all: string[][];
  /** Lower-cased cell texts with the core's stand-ins decoded, for the text filter. */
  private readonly haystack: string[][];
  private view: number[];

  constructor(private readonly info: DigestInfo, private readonly raw: JsonObject | undefined) {
    const v = digestView(info);
    this.all = v.rows.map((r) => [r.object, r.oldestEventTime, r.newestEventTime, r.hash, r.algorithm]);
    this.haystack = this.all.map((cells) => cells.map((c) => decodeStandIns(c).toLowerCase()));
    this.view = this.all.map((_, i) => i);
  }

  header(): DigestHeader {
    const v = digestView(this.info);
    const fields: [string, string][] = [
      ['Account', v.account],
      ['Period (delivery time)', v.start || v.end ? `${v.start} – ${v.end}` : ''],
      ['Log files', String(v.rows.length)],
      ['Previous digest', v.previous || '(none: this digest starts a chain)'],
    ];
    if (v.previousHash) fields.push(['Previous digest hash', v.previousHash]);
    return { fields };
  }

  async setView(filter: ViewFilter, sort: SortSpec | undefined): Promise<Counts> {
    const needle = decodeMarkers(typeof filter?.text === 'string' ? filter.text : '').toLowerCase();
    const chips = Array.isArray(filter?.chips) ? filter.chips : [];
    const colAt = (id: string) => this.columns.findIndex((c) => c.id === id);
    let idx = this.all.map((_, i) => i).filter((i) => !needle || this.haystack[i].some((c) => c.includes(needle)));
    for (const chip of chips) {
      const at = colAt(chip.column);
      if (at < 0) continue;
      idx = idx.filter((i) => (this.all[i][at] === chip.value) !== !!chip.exclude);
    }
    const s = sort ?? this.defaultSort;
    const at = colAt(s.column);
    if (at >= 0) {
      const dir = s.direction === 'desc' ? -1 : 1;
      idx.sort((a, b) => {
        const x = this.all[a][at];
        const y = this.all[b][at];
        return x === y ? a - b : x < y ? -dir : dir;
      });
    }
    this.view = idx;
    return this.counts();
  }

  counts(): Counts {
    return { matched: this.view.length, total: this.all.length };
  }

  rows(start: number, count: number): Row[] {
    const s = Math.max(0, Math.floor(start));
    return this.view.slice(s, s + Math.max(0, count)).map((index, i) => ({
      pos: s + i,
      index,
      cells: this.all[index].map((c) => clip(c).text),
    }));
  }

  item(index: number): JsonValue {
    const files = this.raw?.logFiles;
    if (Array.isArray(files) && files[index] !== undefined) return files[index];
    return (this.info.logFiles[index] ?? null) as unknown as JsonValue;
  }

  docs(index: number): { kind: DocKind; prefix: (string | number)[] } {
    return { kind: 'digest', prefix: ['logFiles', index] };
  }

  cellValue(index: number, column: string): string {
    const at = this.columns.findIndex((c) => c.id === column);
    return at >= 0 ? (this.all[index]?.[at] ?? '') : '';
  }

  line(): number | undefined {
    return undefined;
  }
}
