/**
 * RecordTable: the rows behind the record viewer, shared by every editor of a document. It stores the rows
 * (per-column codes into dictionaries, times, ranges) and composes the other parts, one job each:
 * - dictionary.ts — interned cell values of a column and their sort ranks;
 * - texts.ts — record texts, their lower-cased search texts, and compaction;
 * - search-index.ts — signatures and tokens that make the quick filter fast;
 * - transfer.ts — the rows as plain data for a worker boundary (exportRows / importRows);
 * - rows.ts — RowsBuilder: those rows made straight from parsed events, without a table (a worker's pieces);
 * - view.ts — a filter, sort and its hits: each editor owns one (createView).
 * See index.ts for the documented API and the storage design.
 */
import { BATCH_TEXT, losslessToJsonCalls, type BatchText, type CloudTrailRecord, type JsonObject, type TextRange } from '../records/types';
import { COLUMNS, COLUMN_INDEX, plainReadsSafe, rawCellsInto, timeOf, type ColumnId } from './columns';
import { parseLossless, stringifyJson } from '../json';
import { Dictionary } from './dictionary';
import { TextStore } from './texts';
import { SearchIndex, type SearchIndexStats } from './search-index';
import { checkRows, rowsOf, type RowsSource, type TableRows } from './transfer';
import { TableView, DEFAULT_SORT, type Filter, type QueryOptions, type Row, type Sort, type ViewCounts, type ViewStore } from './view';
import type { TokenExport } from './tokens';
import { grow } from './grow';

export { DEFAULT_SORT, EMPTY_FILTER, TableView } from './view';
export type { Chip, Filter, QueryOptions, Row, Sort, ViewCounts } from './view';
export type { RowsSource, TableRows } from './transfer';

const NCOL = COLUMNS.length;
const ERROR = COLUMN_INDEX.errorCode;

type U32 = Uint32Array<ArrayBuffer>;

export interface TableOptions {
  /**
   * false: keep no text for records whose text is the file's slice at their range (only their columns and
   * ranges), for a table that is built only to exportRows() (the receiver has the file's text). Such a table
   * cannot be searched or asked for record texts. Default true.
   */
  keepText?: boolean;
}

export class RecordTable implements ViewStore {
  private readonly keepText: boolean;
  /** Without keepText: texts of the records that are not their file slice, by row. */
  private readonly loose = new Map<number, string>();
  private n = 0;
  private readonly dicts: Dictionary[] = COLUMNS.map((c) => new Dictionary(c.id === 'time' || c.id === 'eventId'));
  /** codes[col][row] */
  private codes: U32[] = COLUMNS.map(() => new Uint32Array(1024));
  private times = new Float64Array(1024);
  private starts = new Float64Array(1024);
  private ends = new Float64Array(1024);
  private lines = new Uint32Array(1024);
  private endLines = new Uint32Array(1024);
  /** Rows decoded from a gzip member whose checksum failed (CloudTrailRecord.unverified): their values may be altered. */
  private readonly unverifiedRows = new Set<number>();
  private tMin = Infinity;
  private tMax = -Infinity;
  private readonly texts = new TextStore();
  private readonly index = new SearchIndex();
  /** Views following this table's rows (each editor's, and the default one). */
  private readonly views = new Set<TableView>();
  /** The view behind the table's own setView/query/rows/counts (for callers with one view: CLI, benches). */
  private own: TableView | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(options: TableOptions = {}) {
    this.keepText = options.keepText !== false;
  }

  /** Number of records in the table. */
  get size(): number {
    return this.n;
  }

  /**
   * A new view (filter, sort, hits) of this table's rows, e.g. one per editor. It follows added rows until its
   * dispose(); views never disturb each other.
   */
  createView(): TableView {
    this.searchable();
    return new TableView(this);
  }

  // ---- ViewStore: what views read ----
  columnCodes(c: number): Uint32Array {
    return this.codes[c];
  }
  dictionary(c: number): Dictionary {
    return this.dicts[c];
  }
  timeArray(): Float64Array {
    return this.times;
  }
  textsPart(): TextStore {
    return this.texts;
  }
  indexPart(): SearchIndex {
    return this.index;
  }
  attach(view: TableView): () => void {
    this.views.add(view);
    return () => this.views.delete(view);
  }

  /**
   * Appends records (e.g. each batch returned by StreamingParser.push). Cheap: extracts the column strings
   * and the search text, then drops the parsed event object. Record text is `record.text` when the record
   * core gave one; else, when `sourceText` is given, a slice of it (no copy):
   * `sourceText[range.startOffset - sourceOffset … range.endOffset - sourceOffset]` must be the record's JSON;
   * otherwise the table keeps its own compact JSON of the event.
   * The current view is updated incrementally (new matching rows are merged in sort order).
   */
  add(records: readonly CloudTrailRecord[], sourceText?: string, sourceOffset = 0): void {
    if (records.length === 0) return;
    const first = this.n;
    const need = first + records.length;
    for (let c = 0; c < NCOL; c++) this.codes[c] = grow(this.codes[c], need);
    this.times = grow(this.times, need);
    this.starts = grow(this.starts, need);
    this.ends = grow(this.ends, need);
    this.lines = grow(this.lines, need);
    this.endLines = grow(this.endLines, need);
    const dicts = this.dicts;
    const codes = this.codes;
    // Texts that are slices of one string (the parser's batch text, or sourceText) are lower-cased later in one
    // call over the span they cover; `cover[k]` is the offset of record k's text in that string, or -1.
    const hint = (records as { [BATCH_TEXT]?: BatchText })[BATCH_TEXT];
    const hinted = hint !== undefined && typeof hint.text === 'string' && typeof hint.offset === 'number';
    const coverText = hinted ? hint.text : sourceText;
    const cover = new Float64Array(records.length).fill(-1);
    let row = first;
    // One scratch row for the whole batch, and the prototype check once per batch rather than per record.
    const raw: string[] = new Array<string>(NCOL);
    const plainSafe = plainReadsSafe();
    for (let k = 0; k < records.length; k++) {
      const rec = records[k];
      const ev = rec.event;
      rawCellsInto(ev, raw, plainSafe);
      for (let c = 0; c < NCOL; c++) codes[c][row] = dicts[c].codeOfRaw(raw[c]);
      if (rec.unverified) this.unverifiedRows.add(row);
      const t = timeOf(ev);
      this.times[row] = t;
      if (t < this.tMin) this.tMin = t;
      if (t > this.tMax) this.tMax = t;
      const r = rec.range;
      this.starts[row] = r ? r.startOffset : -1;
      this.ends[row] = r ? r.endOffset : -1;
      this.lines[row] = r ? r.startLine : 0;
      this.endLines[row] = r ? r.endLine : 0;
      const given = (rec as { text?: unknown }).text;
      if (!this.keepText) {
        const slice = typeof given === 'string' && !rec.original && r !== undefined && given.length === r.endOffset - r.startOffset && given.charCodeAt(0) === 123;
        if (!slice) this.loose.set(row, typeof given === 'string' && given.charCodeAt(0) === 123 ? given : compactJson(ev));
        row++;
        continue;
      }
      let text: string | undefined;
      // The record core hands out the JSON text of `event` (a slice it made anyway): no serialisation needed.
      if (typeof given === 'string' && given.charCodeAt(0) === 123 /* { */) {
        text = given;
        if (hinted && r) cover[k] = r.startOffset - hint.offset;
      } else if (!hinted && sourceText !== undefined && r && r.endOffset > r.startOffset && !rec.original) {
        const a = r.startOffset - sourceOffset;
        const b = r.endOffset - sourceOffset;
        // Use the source only when the slice really is this record's JSON object.
        if (a >= 0 && b <= sourceText.length && sourceText.charCodeAt(a) === 123 /* { */ && sourceText.charCodeAt(b - 1) === 125 /* } */) {
          text = sourceText.slice(a, b);
          cover[k] = a;
        }
      }
      if (text === undefined) text = compactJson(ev);
      this.texts.push(text);
      row++;
    }
    if (this.keepText) this.texts.endBatch(first, records.length, cover, coverText);
    this.n = need;
    for (const v of this.views) v.extend(first, need);
    for (const l of this.listeners) l();
  }

  /**
   * Makes the quick filter's search texts (each record's lower case) of the rows below `upTo`, stopping at

  /**
   * Makes the quick filter's search texts (each record's lower case) of the rows below `upTo`, stopping at
   * `deadline` (performance.now() ms); true when they are all made. Adding rows does not make them (it would slow
   * indexing down): this does, in slices after indexing, or the first search or buildSearchIndex that needs them.
   */
  makeSearchTexts(deadline = Infinity, upTo = Infinity): boolean {
    this.searchable();
    return this.texts.lowerUpTo(Math.min(this.n, upTo), deadline);
  }


  /**
   * Every row as TableRows, for importRows() in another table (e.g. across a worker boundary). The typed arrays
   * are fresh copies: list their buffers in postMessage's transfer list. A table that keeps texts exports them all
   * as loose texts.
   */
  exportRows(): TableRows {
    const n = this.n;
    const looseRows = this.keepText ? Uint32Array.from({ length: n }, (_, k) => k) : Uint32Array.from([...this.loose.keys()].sort((a, b) => a - b));
    const looseTexts = this.keepText ? Array.from({ length: n }, (_, k) => this.texts.text(k)) : Array.from(looseRows, (k) => this.loose.get(k)!);
    return rowsOf(n, { dicts: this.dicts, codes: this.codes, times: this.times, starts: this.starts, ends: this.ends, lines: this.lines, endLines: this.endLines }, looseRows, looseTexts, this.unverifiedRows);
  }

  /**
   * Appends the rows another table exported (exportRows), as if their records had been added here. The texts
   * of rows that are not loose are cut from `source` at their ranges. Then their offsets and lines are moved by
   * `shift` (e.g. when the other table indexed a later part of the same file). Throws, adding nothing, when the
   * rows are inconsistent or a text is missing.
   */
  importRows(rows: TableRows, source?: RowsSource, shift: { offset: number; line: number } = { offset: 0, line: 0 }): void {
    if (!this.keepText) throw new Error('importRows: this table keeps no texts.');
    checkRows(rows);
    const count = rows.count;
    // Texts first: they are what can be missing.
    const texts = new Array<string | undefined>(count);
    const cover = new Float64Array(count).fill(-1);
    const loose = rows.looseRows;
    const text = source && 'text' in source ? source.text : undefined;
    const bytes = source && 'bytes' in source ? source.bytes : undefined;
    const size = text !== undefined ? text.length : bytes !== undefined ? bytes.length : 0;
    // Bytes stand for one character each: their texts are cut when first needed (TextStore's lazy batch).
    const lengths = bytes ? new Float64Array(count) : undefined;
    for (let j = 0, next = 0; j < count; j++) {
      if (next < loose.length && loose[next] === j) {
        texts[j] = rows.looseTexts[next++];
        continue;
      }
      const a = (rows.textStarts ? rows.textStarts[j] : rows.starts[j]) - (source ? source.offset : 0);
      const b = a + rows.ends[j] - rows.starts[j];
      const ok = a >= 0 && b > a && b <= size && (text !== undefined ? text.charCodeAt(a) === 123 && text.charCodeAt(b - 1) === 125 : bytes![a] === 123 && bytes![b - 1] === 125);
      if (!ok) throw new Error(`importRows: no text for row ${j}.`);
      if (text !== undefined) texts[j] = text.slice(a, b);
      else lengths![j] = b - a;
      cover[j] = a;
    }
    if (count === 0) return;
    const first = this.n;
    const need = first + count;
    for (let c = 0; c < NCOL; c++) {
      this.codes[c] = grow(this.codes[c], need);
      const map = this.dicts[c].adopt(rows.values[c]);
      const src = rows.codes[c];
      const dst = this.codes[c];
      for (let r = 0; r < count; r++) dst[first + r] = map[src[r]];
    }
    this.times = grow(this.times, need);
    this.starts = grow(this.starts, need);
    this.ends = grow(this.ends, need);
    this.lines = grow(this.lines, need);
    this.endLines = grow(this.endLines, need);
    this.times.set(rows.times.subarray(0, count), first);
    for (let r = 0; r < count; r++) {
      const t = rows.times[r];
      if (t < this.tMin) this.tMin = t;
      if (t > this.tMax) this.tMax = t;
      const known = rows.starts[r] >= 0;
      this.starts[first + r] = known ? rows.starts[r] + shift.offset : -1;
      this.ends[first + r] = known ? rows.ends[r] + shift.offset : -1;
      this.lines[first + r] = known ? rows.lines[r] + shift.line : 0;
      this.endLines[first + r] = known ? rows.endLines[r] + shift.line : 0;
      this.texts.push(texts[r]);
    }
    if (rows.unverifiedRows) for (const r of rows.unverifiedRows) this.unverifiedRows.add(first + r);
    this.texts.endBatch(first, count, cover, text, bytes && { bytes, lengths: lengths! });
    this.n = need;
    for (const v of this.views) v.extend(first, need);
    for (const l of this.listeners) l();
  }

  /**
   * Builds the search index for the rows below `upTo`: a 256-byte character-pair signature for each that has none
   * yet, then their tokens (tokens.ts), in row order. Stops at `deadline` (performance.now() ms); returns true
   * when all those rows have both. Only speed depends on it: rows without them are searched in full.

  /**
   * Builds the search index for the rows below `upTo` (search-index.ts), in row order. Stops at `deadline`
   * (performance.now() ms); returns true when all those rows are indexed. Only speed depends on it.
   */
  buildSearchIndex(deadline = Infinity, upTo = Infinity): boolean {
    this.searchable();
    const n = Math.min(this.n, upTo);
    if (!this.texts.lowerUpTo(n, deadline)) return false;
    return this.index.build(this.texts.searchTexts(0), n, this.n, deadline);
  }

  /**
   * Sizes of the search index: rows with a signature, rows in the token index and whether it closed (a file of
   * mostly one-off values: it stopped taking rows, see tokens.ts), its distinct tokens, and its bytes.
   */
  searchIndexStats(): SearchIndexStats {
    return this.index.stats();
  }

  /** A copy of the row's search signature (WORDS words), or undefined while it has none. */
  searchSignature(index: number): Uint32Array | undefined {
    this.check(index);
    return this.index.signature(index);
  }

  /** Whether every row has its search signature and its tokens. */
  get searchIndexed(): boolean {
    return this.index.complete(this.n);
  }

  /**
   * Signatures computed elsewhere (searchSignatures over the same search texts, e.g. in the worker that indexed
   * these rows) for rows first … first + words.length / WORDS - 1, and optionally their tokens (a TokenIndex's
   * export over the same texts), taken when the token index has every row before `first` (else
   * buildSearchIndex tokenizes them).
   */
  setSearchIndex(first: number, words: Uint32Array, tokens?: TokenExport): void {
    this.index.set(first, words, this.n, tokens);
  }

  /** Called after every add() (e.g. to refresh counts in the UI). Returns an unsubscribe function. */
  onDidAdd(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- the table's own view (one-view callers); editors use createView() ----
  private ownView(): TableView {
    return (this.own ??= this.createView());
  }

  /** Sets the own view's filter and sort synchronously (see TableView.setView). */
  setView(filter: Filter, sort?: Sort): ViewCounts {
    return this.ownView().setView(filter, sort);
  }

  /** Sets the own view's filter and sort in slices (see TableView.query). */
  query(filter: Filter, sort?: Sort, opts: QueryOptions = {}): Promise<ViewCounts> {
    return this.ownView().query(filter, sort, opts);
  }

  /** The own view's filter and sort. */
  get currentFilter(): Filter {
    return this.own?.currentFilter ?? this.ownView().currentFilter;
  }
  get currentSort(): Sort {
    return this.own?.currentSort ?? DEFAULT_SORT;
  }

  counts(): ViewCounts {
    return this.ownView().counts();
  }

  /** Rows `start … start+count-1` of the own view (clamped to the view). */
  rows(start: number, count: number): Row[] {
    return this.ownView().rows(start, count);
  }

  /** Table indexes of the own view's rows `start … start+count-1`. */
  indexes(start: number, count: number): number[] {
    return this.ownView().indexes(start, count);
  }

  /** Position of record `index` in the own view, or -1 when it is filtered out. */
  positionOf(index: number): number {
    return this.ownView().positionOf(index);
  }

  /** One row by table index (regardless of the filter). */
  row(index: number): Row {
    this.check(index);
    const cells = new Array<string>(NCOL);
    for (let c = 0; c < NCOL; c++) cells[c] = this.dicts[c].values[this.codes[c][index]];
    const ro = cells[COLUMN_INDEX.readOnly];
    const row: Row = { index, cells, error: cells[ERROR] !== '', readOnly: ro === 'true' ? true : ro === 'false' ? false : undefined };
    if (this.unverifiedRows.has(index)) row.unverified = true;
    return row;
  }

  /** Whether the record came from a gzip member whose checksum failed (its values may have been altered). */
  unverified(index: number): boolean {
    return this.unverifiedRows.has(index);
  }

  /**
   * Marks the rows whose text reaches past decompressed offset `from` as unverified: what a streaming reader does
   * when the gzip damage (ParseResult.untrusted) is known only after those rows were added.
   */
  markUnverifiedFrom(from: number): number {
    let marked = 0;
    for (let row = 0; row < this.n; row++) {
      if (this.ends[row] > from && !this.unverifiedRows.has(row)) {
        this.unverifiedRows.add(row);
        marked++;
      }
    }
    return marked;
  }

  /** How many records are unverified (see unverified()). */
  get unverifiedCount(): number {
    return this.unverifiedRows.size;
  }

  /** The display text of one cell. */
  cell(index: number, column: ColumnId): string {
    this.check(index);
    const c = COLUMN_INDEX[column];
    return this.dicts[c].values[this.codes[c][index]];
  }

  /** The record's JSON text (the original slice of the file when available, else compact JSON). */
  recordText(index: number): string {
    this.check(index);
    this.searchable();
    return this.texts.text(index);
  }

  /**
   * Drops the original text of the rows below `upTo` (in order, from the first not done yet) that can be
   * rebuilt from their lower-cased search text and a case patch (case-patch.ts): plain-ASCII records, nearly
   * all of them. That halves what the table holds for texts; recordText() and event() give the same text as
   * before. Stops at `deadline` (performance.now() ms); returns true when all those rows are done.
   */
  compactTexts(deadline = Infinity, upTo = Infinity): boolean {
    this.searchable();
    return this.texts.compact(Math.min(this.n, upTo), deadline);
  }

  /** Whether compactTexts() has done every row. */
  get textsCompacted(): boolean {
    return this.texts.compactedRows >= this.n;
  }

  /** The full record for the detail pane, re-parsed from its text (big integers stay LosslessNumber). */
  event(index: number): JsonObject {
    this.check(index);
    this.searchable();
    const v = parseLossless(this.texts.text(index));
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`Record ${index} is not a JSON object.`);
    return v as JsonObject;
  }

  /** Where the record is in the file (offsets/lines of the decompressed text), when the parser said. */
  range(index: number): TextRange | undefined {
    this.check(index);
    if (this.starts[index] < 0) return undefined;
    return { startLine: this.lines[index], endLine: this.endLines[index], startOffset: this.starts[index], endOffset: this.ends[index] };
  }

  /** Epoch ms of the record's time (NaN when missing). */
  time(index: number): number {
    this.check(index);
    return this.times[index];
  }

  /** Earliest and latest event time over all records (undefined when no record has a time). */
  timeBounds(): { min?: number; max?: number } {
    return this.tMin <= this.tMax ? { min: this.tMin, max: this.tMax } : {};
  }

  /**
   * Most frequent values of a column with their counts, for chip pickers. `scope: 'view'` counts only the
   * rows of the current view. Sorted by count (descending), then value.
   */
  distinctValues(column: ColumnId, limit = 100, scope: 'all' | 'view' = 'all', view?: TableView): { value: string; count: number }[] {
    const c = COLUMN_INDEX[column];
    const dict = this.dicts[c];
    const counts = new Uint32Array(dict.values.length);
    const codes = this.codes[c];
    if (scope === 'view') {
      (view ?? this.ownView()).countValues(column, counts);
    } else {
      for (let i = 0; i < this.n; i++) counts[codes[i]]++;
    }
    const out: { value: string; count: number }[] = [];
    if (dict.unique) {
      const byValue = new Map<string, number>();
      for (let k = 0; k < counts.length; k++) if (counts[k]) byValue.set(dict.values[k], (byValue.get(dict.values[k]) ?? 0) + counts[k]);
      for (const [value, count] of byValue) out.push({ value, count });
    } else {
      for (let k = 0; k < counts.length; k++) if (counts[k]) out.push({ value: dict.values[k], count: counts[k] });
    }
    out.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
    return out.slice(0, Math.max(0, limit));
  }

  // ---------------------------------------------------------------- internals

  private searchable(): void {
    if (!this.keepText) throw new Error('This table keeps no texts (keepText: false): it can only be exported.');
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.n) throw new RangeError(`No record ${index} (table has ${this.n}).`);
  }
}

/** Compact JSON of an event: JSON.stringify (fast) unless a LosslessNumber needs the lossless writer. */
function compactJson(ev: JsonObject): string {
  try {
    // LosslessNumber.toJSON is counted: when it ran, the fast text holds the number as a string, so redo it.
    const before = losslessToJsonCalls();
    const s = JSON.stringify(ev);
    if (losslessToJsonCalls() === before) return s;
  } catch {
    // fall through to the lossless writer
  }
  return stringifyJson(ev);
}
