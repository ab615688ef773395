/**
 * RecordTable: the indexed, filterable, sortable model behind the record viewer. See index.ts for the
 * documented API and the storage design.
 */
import { BATCH_TEXT, losslessToJsonCalls, type BatchText, type CloudTrailRecord, type JsonObject, type TextRange } from '../records/types';
import { COLUMNS, COLUMN_INDEX, MAX_CELL_LENGTH, displayCell, plainReadsSafe, rawCellsInto, timeOf, type ColumnId } from './columns';
import { parseLossless, stringifyJson } from '../json';
import { WORDS, addSignature, needleTest, passes, type NeedleTest } from './pairs';
import { CasePatches } from './case-patch';
import { NOT_PLAIN, TokenIndex, needleKind, type TokenExport, type TokenMatch } from './tokens';
import { grow } from './grow';

export interface Chip {
  column: ColumnId;
  /** The cell text as returned by rows() / distinctValues(). */
  value: string;
  /** true: "exclude this value"; false: "only this value". */
  exclude: boolean;
}

export interface Filter {
  /** Quick filter: case-insensitive substring over every value in the record. Empty = no text filter. */
  text: string;
  chips: Chip[];
  /** Inclusive time range in epoch ms; records without a readable time fail a time-range filter. */
  from?: number;
  to?: number;
}

export interface Sort {
  column: ColumnId;
  descending: boolean;
}

export interface ViewCounts {
  /** Records in the current view (after filtering). */
  matched: number;
  /** All records in the table. */
  total: number;
}

export interface Row {
  /** Table index of the record (0-based insertion order; = CloudTrailRecord.index for a single file). */
  index: number;
  /** Display text of every column, in COLUMNS order; sanitised (no bidi/control characters) and bounded. */
  cells: string[];
  /** The call failed (errorCode present). */
  error: boolean;
  readOnly: boolean | undefined;
}

export interface QueryOptions {
  /** Aborting rejects the promise with an AbortError and leaves the previous view in place. */
  signal?: AbortSignal;
  /** Called between slices with the number of records examined so far. */
  onProgress?: (done: number, total: number) => void;
  /** Longest synchronous slice in ms before yielding to the event loop (default 8). */
  sliceMs?: number;
}

export const EMPTY_FILTER: Filter = Object.freeze({ text: '', chips: [] }) as Filter;
export const DEFAULT_SORT: Sort = Object.freeze({ column: 'time', descending: true }) as Sort;

const NCOL = COLUMNS.length;
/** How many recent text-filter results are kept (each is four bytes per record). */
const MASK_CACHE = 24;
/** Records sampled for the character frequencies that pick a search anchor. */
const FREQ_SAMPLE = 256;
const TIME = COLUMN_INDEX.time;
const ERROR = COLUMN_INDEX.errorCode;

/**
 * Interned strings of one column, addressed by a dense code. In `unique` mode (columns whose values are
 * nearly all different: time, event ID) every row gets its own code and no hash map is kept — hashing
 * 80k one-off strings cost more than everything else in add().
 */
class Dictionary {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Sort rank per code (equal values share a rank); rebuilt lazily when values were added. */
  private ranks: Uint32Array | undefined;

  /** Raw value → code, so the display clean-up runs once per distinct value, not once per row. */
  private readonly rawIds = new Map<string, number>();
  private lastRaw: string | undefined;
  private lastCode = 0;

  constructor(readonly unique = false) {}

  /** Code of a raw (not yet display-safe) value. */
  codeOfRaw(raw: string): number {
    if (this.unique) {
      this.values.push(detach(displayCell(raw)));
      return this.values.length - 1;
    }
    // Neighbouring records often share a value (region, account, source…): skip the hash lookup then.
    if (raw === this.lastRaw) return this.lastCode;
    let c = this.rawIds.get(raw);
    if (c !== undefined) {
      this.lastRaw = raw;
      this.lastCode = c;
      return c;
    }
    c = this.code(displayCell(raw));
    // Values too long for a cell are not remembered raw (they are rare and would be kept whole).
    if (raw.length <= MAX_CELL_LENGTH) this.rawIds.set(detach(raw), c);
    return c;
  }

  code(s: string): number {
    if (this.unique) {
      this.values.push(detach(s));
      return this.values.length - 1;
    }
    let c = this.ids.get(s);
    if (c === undefined) {
      c = this.values.length;
      const kept = detach(s);
      this.values.push(kept);
      this.ids.set(kept, c);
      // ranks stay as they are: stale but still correct for the older codes (see cachedRank).
    }
    return c;
  }

  /** Codes of `values` (display form, e.g. another table's dictionary), adding the new ones. */
  adopt(values: readonly string[]): Uint32Array {
    const map = new Uint32Array(values.length);
    if (this.unique) {
      // One value per row, and strings that arrived by postMessage share memory with nothing: no detach.
      const at = this.values.length;
      for (let k = 0; k < values.length; k++) {
        this.values.push(values[k]);
        map[k] = at + k;
      }
      return map;
    }
    for (let k = 0; k < values.length; k++) map[k] = this.code(values[k]);
    return map;
  }

  /** Ranks of the codes known when they were last built (maybe fewer than values), without rebuilding. */
  cachedRank(): Uint32Array {
    return this.ranks ?? new Uint32Array(0);
  }

  /** Every code whose value is `s`. */
  codesOf(s: string): number[] {
    if (!this.unique) {
      const c = this.ids.get(s);
      return c === undefined ? [] : [c];
    }
    const out: number[] = [];
    const v = this.values;
    for (let i = 0; i < v.length; i++) if (v[i] === s) out.push(i);
    return out;
  }

  /** Case-insensitive order, then code-unit order; the empty value sorts after everything. */
  rank(): Uint32Array {
    if (this.ranks && this.ranks.length === this.values.length) return this.ranks;
    const vals = this.values;
    // The order of compareValues, from one native sort of plain strings (no comparator calls, which made
    // ranking 80k event IDs take ~0.4 s): lower-cased value, NUL, value, NUL, code. Cell values hold no NUL
    // (control characters are replaced for display), so the NULs only separate the parts, and a value that is
    // a prefix of another sorts first, as in compareValues. Empty values go last.
    const keys: string[] = [];
    const empty: number[] = [];
    for (let i = 0; i < vals.length; i++) {
      if (vals[i] === '') empty.push(i);
      else keys.push(vals[i].toLowerCase() + '\0' + vals[i] + '\0' + i);
    }
    keys.sort();
    const codes = keys.map((k) => Number(k.slice(k.lastIndexOf('\0') + 1)));
    for (const i of empty) codes.push(i);
    const r = new Uint32Array(vals.length);
    let rank = 0;
    codes.forEach((c, i) => {
      if (i > 0 && vals[c] !== vals[codes[i - 1]]) rank++;
      r[c] = rank;
    });
    this.ranks = r;
    return r;
  }
}

function compareValues(a: string, la: string, b: string, lb: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  if (la !== lb) return la < lb ? -1 : 1;
  return a < b ? -1 : 1;
}

/**
 * A copy of `s` that does not share memory with the text it was cut from. Parsers often return slices
 * of a big chunk; interning such a slice would keep the whole chunk alive.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

type U32 = Uint32Array<ArrayBuffer>;
type I32 = Int32Array<ArrayBuffer>;


function abortError(): Error {
  const e = new Error('The query was cancelled.');
  e.name = 'AbortError';
  return e;
}

/**
 * Text-filter result of one needle: per record the first match offset in its search text (or a lower bound of it,
 * when the signatures or the tokens answered), or NO_MATCH.
 */
interface Hits {
  hits: I32;
  /** Records 0 … done-1 are examined. */
  done: number;
  /** Which tokens held the needle, when the token index answered it (TokenIndex.narrowing, to narrow a longer needle). */
  tokens?: TokenMatch;
}
const NO_MATCH = -1;

/**
 * The rows of a RecordTable as plain data that survives postMessage (the typed arrays can be transferred), so
 * a worker thread can index part of a file and the table on the main thread can take its rows over: see
 * RecordTable.exportRows / importRows. The records' texts travel separately, as one string that holds them all
 * at their range offsets (the file's text); only records whose text is not that slice carry their own.
 */
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
}

/**
 * Rows whose search texts are still to be made. Texts that are slices of one string (the parser's batch text, or
 * the text importRows cut them from) are lower-cased in one call over the span they cover: `cover[k]` is the
 * offset of row first+k's text in `coverText`, or -1.
 */
interface LowerBatch {
  first: number;
  count: number;
  cover: Float64Array;
  coverText: string | undefined;
  /** Rows of the batch done so far. */
  done: number;
}

/** Where importRows finds the texts of rows that are not loose: `text` from offset `offset` of the ranges on. */
export interface RowsSource {
  text: string;
  /** Range offset of text[0]. */
  offset: number;
}

export interface TableOptions {
  /**
   * false: keep no text for records whose text is the file's slice at their range (only their columns and
   * ranges), for a table that is built only to exportRows() (the receiver has the file's text). Such a table
   * cannot be searched or asked for record texts. Default true.
   */
  keepText?: boolean;
}

export class RecordTable {
  private readonly keepText: boolean;
  /** Without keepText: texts of the records that are not their file slice, by row. */
  private readonly loose = new Map<number, string>();
  private n = 0;
  private readonly dicts: Dictionary[] = COLUMNS.map((c) => new Dictionary(c.id === 'time' || c.id === 'eventId'));
  /** codes[col][row] */
  private codes: U32[] = COLUMNS.map(() => new Uint32Array(1024));
  private times = new Float64Array(1024);
  /**
   * Lower-cased record JSON text, the haystack of the quick filter. Made after the rows are added (lowerUpTo: in
   * the background, or when a search or the search index first needs it), not while a file is being indexed.
   */
  private readonly search: (string | undefined)[] = [];
  /** Batches of rows whose search text is still to be made, in row order, from toLowerHead on. */
  private toLower: (LowerBatch | undefined)[] = [];
  private toLowerHead = 0;
  /** Rows below this one have their search text. */
  private lowered = 0;
  /**
   * Record JSON text: the text the parser handed out, a slice of the caller's source text, or our own JSON.
   * Undefined once compactTexts() replaced it by a case patch (the text is then rebuilt from `search`).
   */
  private readonly texts: (string | undefined)[] = [];
  /** Case patches of rows < patches.rows whose text is undefined (see compactTexts). */
  private readonly patches = new CasePatches();
  private starts = new Float64Array(1024);
  private ends = new Float64Array(1024);
  private lines = new Uint32Array(1024);
  private endLines = new Uint32Array(1024);
  private tMin = Infinity;
  private tMax = -Infinity;

  // ---- current view ----
  private filter: Filter = EMPTY_FILTER;
  private sort: Sort = DEFAULT_SORT;
  /** All records in sort order (length n), or undefined when it must be rebuilt. */
  private order: Uint32Array | undefined;
  /**
   * Text-filter result per record (first match offset or a lower bound, or NO_MATCH), valid for records
   * < textDone and for needle `textNeedle`. Knowing where the match is makes typing cheap: the longer needle can
   * only start near it.
   */
  private textHits: I32 = new Int32Array(1024);
  private textNeedle = '';
  private textDone = 0;
  /** While narrowing: the result of a needle contained in textNeedle at `shift`, for records < base.done. */
  private base: (Hits & { shift: number }) | undefined;
  /** The token index's answer for textNeedle (made on first use), and what it may narrow from. */
  private textTokens: TokenMatch | undefined;
  private baseTokens: TokenMatch | undefined;
  /** Matched records in sort order. */
  private view: Uint32Array | undefined;
  private viewLen = 0;
  /** Per chip column: allowed[code] = 1 when the value passes; undefined when the column is unconstrained. */
  private allowed: (Uint8Array | undefined)[] = [];
  private readonly listeners = new Set<() => void>();
  /** Text-filter results of recent needles (see prepareText). */
  private readonly maskCache = new Map<string, Hits>();
  /** Character counts over the first FREQ_SAMPLE records' search text (see anchorOf). */
  private charFreq: Uint32Array | undefined;
  private freqSampled = 0;
  /**
   * Search index: the character-pair signature (pairs.ts) of each row's search text, WORDS words per row, valid
   * where hasPairs[row] is 1. Built after indexing (buildSearchIndex, or setSearchIndex with signatures computed
   * elsewhere); the quick filter skips the rows whose signature rules a needle out.
   */
  private pairs: U32 = new Uint32Array(0);
  private hasPairs = new Uint8Array(0);
  /** Rows below this one all have a signature. */
  private pairsDone = 0;
  /**
   * The other half of the search index: each row's tokens (tokens.ts), which answer needles that can only occur
   * inside one JSON token from a dictionary of distinct tokens. Built after the signatures, for rows in order.
   */
  private readonly tokens = new TokenIndex();

  constructor(options: TableOptions = {}) {
    this.keepText = options.keepText !== false;
  }

  /** Number of records in the table. */
  get size(): number {
    return this.n;
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
      this.search.push(undefined);
      row++;
    }
    if (this.keepText) this.toLower.push({ first, count: records.length, cover, coverText, done: 0 });
    this.n = need;
    this.extendView(first, need);
    for (const l of this.listeners) l();
  }

  /**
   * Makes the quick filter's search texts (each record's lower case) of the rows below `upTo`, stopping at
   * `deadline` (performance.now() ms); true when they are all made. Adding rows does not make them (it would slow
   * indexing down): this does, in slices after indexing, or the first search or buildSearchIndex that needs them.
   */
  makeSearchTexts(deadline = Infinity, upTo = Infinity): boolean {
    this.searchable();
    return this.lowerUpTo(Math.min(this.n, upTo), deadline);
  }

  /** Makes the search texts of the rows below `end`, batch by batch; see makeSearchTexts. */
  private lowerUpTo(end: number, deadline = Infinity): boolean {
    while (this.lowered < end) {
      const b = this.toLower[this.toLowerHead]!;
      // Pieces of a few hundred KB: one big batch (an import) must not hold the thread for long.
      const to = Math.min(b.count, b.done + 512);
      this.lowerPiece(b, b.done, to);
      b.done = to;
      this.lowered = b.first + to;
      if (to === b.count) {
        // Done: let go of the batch (and of the text it was cut from).
        this.toLower[this.toLowerHead++] = undefined;
        if (this.toLowerHead === this.toLower.length) {
          this.toLower = [];
          this.toLowerHead = 0;
        }
      }
      if (deadline !== Infinity && performance.now() >= deadline) break;
    }
    return this.lowered >= end;
  }

  /** Makes the search texts of rows b.first+from … b.first+to-1. */
  private lowerPiece(b: LowerBatch, from: number, to: number): void {
    const texts = this.texts;
    const search = this.search;
    const cover = b.cover;
    const coverText = b.coverText;
    let lower: string | undefined;
    let lo = Infinity;
    if (coverText !== undefined) {
      let hi = -1;
      let covered = 0;
      for (let k = from; k < to; k++) {
        const a = cover[k];
        if (a < 0) continue;
        const len = texts[b.first + k]!.length;
        if (a < lo) lo = a;
        if (a + len > hi) hi = a + len;
        covered += len;
      }
      // One call over the span (its gaps are only separators) is much cheaper than one per record, and the
      // result is one big string instead of thousands of small ones the garbage collector has to move.
      if (hi > lo && hi <= coverText.length && hi - lo <= covered * 1.25 + 4096) {
        lower = coverText.slice(lo, hi).toLowerCase();
        // A few characters change length when lower-cased (e.g. U+0130): then offsets no longer match.
        if (lower.length !== hi - lo) lower = undefined;
      }
    }
    for (let k = from; k < to; k++) {
      const t = texts[b.first + k]!;
      const a = cover[k];
      search[b.first + k] = lower !== undefined && a >= 0 ? lower.slice(a - lo, a - lo + t.length) : t.toLowerCase();
    }
  }

  /**
   * Every row as TableRows, for importRows() in another table (e.g. across a worker boundary). The typed arrays
   * are fresh copies: list their buffers in postMessage's transfer list. A table that keeps texts exports them all
   * as loose texts.
   */
  exportRows(): TableRows {
    const n = this.n;
    const looseRows = this.keepText ? Uint32Array.from({ length: n }, (_, k) => k) : Uint32Array.from([...this.loose.keys()].sort((a, b) => a - b));
    return {
      count: n,
      values: this.dicts.map((d) => d.values.slice()),
      codes: this.codes.map((a) => a.slice(0, n)),
      times: this.times.slice(0, n),
      starts: this.starts.slice(0, n),
      ends: this.ends.slice(0, n),
      lines: this.lines.slice(0, n),
      endLines: this.endLines.slice(0, n),
      looseRows,
      looseTexts: this.keepText ? Array.from({ length: n }, (_, k) => this.textOf(k)) : Array.from(looseRows, (k) => this.loose.get(k)!),
    };
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
    const texts = new Array<string>(count);
    const cover = new Float64Array(count).fill(-1);
    const loose = rows.looseRows;
    for (let j = 0, next = 0; j < count; j++) {
      if (next < loose.length && loose[next] === j) {
        texts[j] = rows.looseTexts[next++];
        continue;
      }
      const a = rows.starts[j] - (source ? source.offset : 0);
      const b = rows.ends[j] - (source ? source.offset : 0);
      if (!source || !(a >= 0 && b > a && b <= source.text.length) || source.text.charCodeAt(a) !== 123 || source.text.charCodeAt(b - 1) !== 125) {
        throw new Error(`importRows: no text for row ${j}.`);
      }
      texts[j] = source.text.slice(a, b);
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
      this.search.push(undefined);
    }
    this.toLower.push({ first, count, cover, coverText: source?.text, done: 0 });
    this.n = need;
    this.extendView(first, need);
    for (const l of this.listeners) l();
  }

  /**
   * Builds the search index for the rows below `upTo`: a 256-byte character-pair signature for each that has none
   * yet, then their tokens (tokens.ts), in row order. Stops at `deadline` (performance.now() ms); returns true
   * when all those rows have both. Only speed depends on it: rows without them are searched in full.
   */
  buildSearchIndex(deadline = Infinity, upTo = Infinity): boolean {
    this.searchable();
    const n = Math.min(this.n, upTo);
    if (!this.lowerUpTo(n, deadline)) return false;
    // Room for every row at once, not just those below upTo: the worker's signatures come next, and replacing a
    // big buffer by a bigger one leaves the C allocator holding memory.
    this.reservePairs(this.n);
    const words = this.pairs;
    const has = this.hasPairs;
    let i = this.pairsDone;
    for (; i < n; i++) {
      if (!has[i]) {
        const t = this.search[i]!;
        addSignature(t, 0, t.length, words, i * WORDS);
        has[i] = 1;
      }
      if ((i & 127) === 127 && performance.now() >= deadline) {
        this.pairsDone = i + 1;
        return false;
      }
    }
    this.pairsDone = n;
    const tokens = this.tokens;
    for (let r = tokens.rows; r < n && tokens.add(this.search[r]!); r++) {
      if ((r & 63) === 63 && performance.now() >= deadline) {
        tokens.seal();
        return r + 1 >= n;
      }
    }
    tokens.seal();
    if (n === this.n) tokens.trim();
    return true;
  }

  /**
   * Sizes of the search index: rows with a signature, rows in the token index and whether it closed (a file of
   * mostly one-off values: it stopped taking rows, see tokens.ts), its distinct tokens, and its bytes.
   */
  searchIndexStats(): { signed: number; tokenRows: number; closed: boolean; tokens: number; fieldNames: number; shapes: number; bytes: number } {
    const t = this.tokens.stats();
    return { signed: this.pairsDone, tokenRows: this.tokens.rows, closed: this.tokens.closed, tokens: t.values, fieldNames: t.keys, shapes: t.shapes, bytes: t.bytes + this.hasPairs.length * (WORDS * 4 + 1) };
  }

  /** A copy of the row's search signature (WORDS words), or undefined while it has none. */
  searchSignature(index: number): Uint32Array | undefined {
    this.check(index);
    return index < this.hasPairs.length && this.hasPairs[index] ? this.pairs.slice(index * WORDS, (index + 1) * WORDS) : undefined;
  }

  /** Whether every row has its search signature and its tokens. */
  get searchIndexed(): boolean {
    return this.pairsDone >= this.n && (this.tokens.rows >= this.n || this.tokens.closed);
  }

  /**
   * Signatures computed elsewhere (searchSignatures over the same search texts, e.g. in the worker that indexed
   * these rows) for rows first … first + words.length / WORDS - 1, and optionally their tokens (a TokenIndex's
   * export over the same texts), taken when the token index has every row before `first` (else
   * buildSearchIndex tokenizes them).
   */
  setSearchIndex(first: number, words: Uint32Array, tokens?: TokenExport): void {
    const count = Math.floor(words.length / WORDS);
    if (!Number.isInteger(first) || first < 0 || first + count > this.n) throw new RangeError('setSearchIndex: rows out of range');
    this.reservePairs(first + count);
    this.pairs.set(words.subarray(0, count * WORDS), first * WORDS);
    this.hasPairs.fill(1, first, first + count);
    while (this.pairsDone < this.n && this.hasPairs[this.pairsDone]) this.pairsDone++;
    if (tokens && tokens.rows === count && this.tokens.rows === first) this.tokens.append(tokens);
  }

  /** Share of the first rows with a signature that pass `test` (1 when none has one). */
  private passRate(test: NeedleTest): number {
    const has = this.hasPairs;
    const m = Math.min(this.n, has.length, 512);
    let seen = 0;
    let pass = 0;
    for (let i = 0; i < m; i++) {
      if (!has[i]) continue;
      seen++;
      if (passes(test, this.pairs, i * WORDS)) pass++;
    }
    return seen ? pass / seen : 1;
  }

  private reservePairs(rows: number): void {
    if (this.hasPairs.length >= rows) return;
    const cap = Math.max(rows, 1024);
    const words = new Uint32Array(cap * WORDS);
    words.set(this.pairs);
    this.pairs = words;
    const has = new Uint8Array(cap);
    has.set(this.hasPairs);
    this.hasPairs = has;
  }

  /** Called after every add() (e.g. to refresh counts in the UI). Returns an unsubscribe function. */
  onDidAdd(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sets filter and sort synchronously and returns the counts. Typing that extends the previous text
   * only re-examines the records that matched before. */
  setView(filter: Filter, sort: Sort = this.sort): ViewCounts {
    this.searchable();
    const f = normaliseFilter(filter);
    const needle = f.text.toLowerCase();
    this.prepareText(needle);
    this.runText(this.n, Infinity);
    return this.finishView(f, sort);
  }

  /**
   * Like setView but examines records in time slices, yielding to the event loop between them, so the
   * extension host stays responsive on huge tables. Rejects with an AbortError when `signal` aborts; the
   * previous view then stays in place.
   */
  async query(filter: Filter, sort: Sort = this.sort, opts: QueryOptions = {}): Promise<ViewCounts> {
    this.searchable();
    const f = normaliseFilter(filter);
    const needle = f.text.toLowerCase();
    const sliceMs = opts.sliceMs ?? 8;
    if (opts.signal?.aborted) throw abortError();
    // prepareText starts a new result array for a new needle, so restoring these leaves the current view intact.
    const saved = { hits: this.textHits, needle: this.textNeedle, done: this.textDone, base: this.base, tokens: this.textTokens, baseTokens: this.baseTokens };
    this.prepareText(needle);
    try {
      while (this.textDone < this.n) {
        this.runText(this.n, performance.now() + sliceMs);
        opts.onProgress?.(this.textDone, this.n);
        if (this.textDone < this.n) {
          await new Promise<void>((r) => setImmediate(r));
          if (opts.signal?.aborted) throw abortError();
        }
      }
    } catch (e) {
      this.textHits = saved.hits;
      this.textNeedle = saved.needle;
      this.textDone = saved.done;
      this.base = saved.base;
      this.textTokens = saved.tokens;
      this.baseTokens = saved.baseTokens;
      throw e;
    }
    return this.finishView(f, sort);
  }

  /** The active filter and sort. */
  get currentFilter(): Filter {
    return this.filter;
  }
  get currentSort(): Sort {
    return this.sort;
  }

  counts(): ViewCounts {
    this.ensureView();
    return { matched: this.viewLen, total: this.n };
  }

  /** Rows `start … start+count-1` of the current view (clamped to the view). */
  rows(start: number, count: number): Row[] {
    this.ensureView();
    const view = this.view!;
    const s = Math.max(0, Math.floor(Number.isFinite(start) ? start : 0));
    const e = Math.min(this.viewLen, s + Math.max(0, Math.floor(Number.isFinite(count) ? count : 0)));
    const out: Row[] = [];
    for (let p = s; p < e; p++) out.push(this.row(view[p]));
    return out;
  }

  /** Table indexes of the current view's rows `start … start+count-1`. */
  indexes(start: number, count: number): number[] {
    this.ensureView();
    const s = Math.max(0, Math.floor(start));
    const e = Math.min(this.viewLen, s + Math.max(0, Math.floor(count)));
    return Array.from(this.view!.subarray(s, e));
  }

  /** Position of record `index` in the current view, or -1 when it is filtered out. */
  positionOf(index: number): number {
    this.ensureView();
    const v = this.view!;
    for (let p = 0; p < this.viewLen; p++) if (v[p] === index) return p;
    return -1;
  }

  /** One row by table index (regardless of the filter). */
  row(index: number): Row {
    this.check(index);
    const cells = new Array<string>(NCOL);
    for (let c = 0; c < NCOL; c++) cells[c] = this.dicts[c].values[this.codes[c][index]];
    const ro = cells[COLUMN_INDEX.readOnly];
    return { index, cells, error: cells[ERROR] !== '', readOnly: ro === 'true' ? true : ro === 'false' ? false : undefined };
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
    return this.textOf(index);
  }

  private textOf(index: number): string {
    // A text is dropped only after its search text was made (compactTexts).
    return this.texts[index] ?? this.patches.rebuild(index, this.search[index]!);
  }

  /**
   * Drops the original text of the rows below `upTo` (in order, from the first not done yet) that can be
   * rebuilt from their lower-cased search text and a case patch (case-patch.ts): plain-ASCII records, nearly
   * all of them. That halves what the table holds for texts; recordText() and event() give the same text as
   * before. Stops at `deadline` (performance.now() ms); returns true when all those rows are done.
   */
  compactTexts(deadline = Infinity, upTo = Infinity): boolean {
    this.searchable();
    const n = Math.min(this.n, upTo);
    if (!this.lowerUpTo(n, deadline)) return false;
    const p = this.patches;
    const texts = this.texts;
    const search = this.search;
    for (let i = p.rows; i < n; i++) {
      const t = texts[i]!;
      // A kept text is copied: a slice would keep the whole batch text it was cut from alive.
      texts[i] = p.add(t, search[i]!) ? undefined : detach(t);
      if ((i & 127) === 127 && performance.now() >= deadline) return i + 1 >= n;
    }
    return true;
  }

  /** Whether compactTexts() has done every row. */
  get textsCompacted(): boolean {
    return this.patches.rows >= this.n;
  }

  /** The full record for the detail pane, re-parsed from its text (big integers stay LosslessNumber). */
  event(index: number): JsonObject {
    this.check(index);
    this.searchable();
    const v = parseLossless(this.textOf(index));
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
  distinctValues(column: ColumnId, limit = 100, scope: 'all' | 'view' = 'all'): { value: string; count: number }[] {
    const c = COLUMN_INDEX[column];
    const dict = this.dicts[c];
    const counts = new Uint32Array(dict.values.length);
    const codes = this.codes[c];
    if (scope === 'view') {
      this.ensureView();
      const v = this.view!;
      for (let p = 0; p < this.viewLen; p++) counts[codes[v[p]]]++;
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

  /**
   * Points the text result at `needle`. Results of recent needles are kept, so backspace is instant, and a
   * needle that contains an earlier one only re-tests the records that matched it, starting the search where
   * the earlier needle matched (typing narrows, and usually costs a comparison per record).
   */
  private prepareText(needle: string): void {
    if (needle === this.textNeedle) return;
    const cache = this.maskCache;
    if (this.textNeedle !== '' && this.textDone > 0) {
      // Whatever is cached is never written again: a needle taken from the cache gets a copy.
      cache.delete(this.textNeedle);
      const t = this.textTokens;
      const tokens = t ? TokenIndex.narrowing(t) : this.baseTokens;
      cache.set(this.textNeedle, { hits: this.textHits, done: this.textDone, tokens });
      if (cache.size > MASK_CACHE) cache.delete(cache.keys().next().value as string);
    }
    this.textNeedle = needle;
    this.textDone = 0;
    this.base = undefined;
    this.textTokens = undefined;
    this.baseTokens = undefined;
    this.textHits = new Int32Array(Math.max(1024, this.n));
    if (needle === '') return;
    const hit = cache.get(needle);
    if (hit) {
      this.textHits.set(hit.hits.subarray(0, hit.done));
      this.textDone = hit.done;
      this.baseTokens = hit.tokens;
      return;
    }
    let best: Hits | undefined;
    let bestKey = '';
    for (const [k, v] of cache) {
      if (k.length > bestKey.length && needle.includes(k)) {
        best = v;
        bestKey = k;
      }
    }
    if (best) {
      this.base = { hits: best.hits, done: best.done, shift: needle.indexOf(bestKey) };
      this.baseTokens = best.tokens;
    }
  }

  /**
   * Where in `needle` to anchor the search: indexOf scans for the pattern's first character, so a needle
   * starting with a common letter ("accessdenied") is much slower than one starting with a rare one. Returns
   * the index of a clearly rarer character of the needle (by frequency in a sample of the records), or 0.
   */
  private anchorOf(needle: string): number {
    if (needle.length < 2) return 0;
    const n = this.n;
    if (this.freqSampled < FREQ_SAMPLE && this.freqSampled < n) {
      // Sampled once from the first records (cheap: a few hundred KB); the choice only affects speed.
      const freq = (this.charFreq ??= new Uint32Array(65536));
      freq.fill(0);
      const m = Math.min(n, FREQ_SAMPLE);
      this.lowerUpTo(m);
      for (let r = 0; r < m; r++) {
        const t = this.search[r]!;
        for (let k = 0; k < t.length; k++) freq[t.charCodeAt(k)]++;
      }
      this.freqSampled = m;
    }
    const freq = this.charFreq;
    if (!freq) return 0;
    let best = 0;
    for (let k = 1; k < needle.length; k++) if (freq[needle.charCodeAt(k)] < freq[needle.charCodeAt(best)]) best = k;
    // Verifying each candidate costs a little, so only switch for a character at most ~60 % as frequent.
    return freq[needle.charCodeAt(best)] * 5 < freq[needle.charCodeAt(0)] * 3 ? best : 0;
  }

  /** Examines records from textDone up to `end`, stopping at `deadline` (performance.now() ms). */
  private runText(end: number, deadline: number): void {
    this.textHits = grow(this.textHits, end);
    const needle = this.textNeedle;
    const h = this.textHits;
    const s = this.search;
    let i = this.textDone;
    if (needle === '') {
      h.fill(0, i, end);
      this.textDone = end;
      return;
    }
    const base = this.base;
    const j = this.anchorOf(needle);
    const tail = needle.slice(j);
    // With a signature, a row is skipped when it lacks a character pair of the needle, and a needle of one or
    // two plain characters needs no text search at all (then the hit is a lower bound of the match offset,
    // which is all that narrowing needs).
    let test = this.hasPairs.length > 0 ? needleTest(needle) : undefined;
    // Testing the signature costs a little per row: not worth it for a needle nearly every row could hold.
    if (test && !test.exact && this.passRate(test) > 0.9) test = undefined;
    const has = this.hasPairs;
    const words = this.pairs;
    const sigEnd = test ? Math.min(end, has.length) : 0;
    const exact = test !== undefined && test.exact;
    // A needle that can only occur inside one JSON token is answered from the rows' tokens (tokens.ts), unless
    // the signatures answer it alone. Then the hit is a lower bound of the match offset (0 or the base's).
    const tokens = this.tokens;
    let tm = this.textTokens;
    if (tm === undefined && !exact && i < tokens.rows && needleKind(needle) !== NOT_PLAIN) {
      tm = this.textTokens = tokens.match(needle, this.baseTokens);
    }
    const tmRows = tm ? tm.rows : 0;
    // While narrowing, a match of the needle contains a match of the base needle `shift` characters in: it
    // cannot start before (base match − shift), and records the base needle missed cannot match at all.
    const bh = base ? base.hits : h;
    const shift = base ? base.shift : 0;
    const baseDone = base ? base.done : 0;
    while (i < end) {
      const stop = Math.min(end, i + 2048);
      // Search texts not made yet (typing while the file is still being indexed) are made here, block by block.
      this.lowerUpTo(stop);
      for (; i < stop; i++) {
        let from = 0;
        if (i < baseDone) {
          const p = bh[i];
          if (p < 0) {
            h[i] = NO_MATCH;
            continue;
          }
          from = p > shift ? p - shift : 0;
        }
        if (i < tmRows) {
          const t = tokens.test(i, tm!);
          if (t >= 0) {
            h[i] = t === 1 ? from : NO_MATCH;
            continue;
          }
        }
        if (i < sigEnd && has[i] === 1) {
          if (!passes(test!, words, i * WORDS)) {
            h[i] = NO_MATCH;
            continue;
          }
          if (exact) {
            h[i] = from;
            continue;
          }
        }
        h[i] = j === 0 ? s[i]!.indexOf(needle, from) : findFrom(s[i]!, needle, from, j, tail);
      }
      if (deadline !== Infinity && performance.now() >= deadline) break;
    }
    this.textDone = i;
    if (base && i >= base.done) this.base = undefined;
  }

  private finishView(f: Filter, sort: Sort): ViewCounts {
    const sortChanged = sort.column !== this.sort.column || sort.descending !== this.sort.descending;
    this.filter = f;
    if (sortChanged) {
      this.sort = { column: sort.column, descending: !!sort.descending };
      this.order = undefined;
    }
    this.buildAllowed();
    this.view = undefined;
    this.ensureView();
    return { matched: this.viewLen, total: this.n };
  }

  private buildAllowed(): void {
    const allowed: (Uint8Array | undefined)[] = new Array(NCOL).fill(undefined);
    const byCol = new Map<number, { only: string[]; exclude: string[] }>();
    for (const chip of this.filter.chips) {
      const c = COLUMN_INDEX[chip.column];
      let g = byCol.get(c);
      if (!g) byCol.set(c, (g = { only: [], exclude: [] }));
      (chip.exclude ? g.exclude : g.only).push(chip.value);
    }
    for (const [c, g] of byCol) {
      const dict = this.dicts[c];
      // Sized generously so values added later (codes beyond the current dictionary) read as 0 / 1 correctly via fallback.
      const a = new Uint8Array(dict.values.length).fill(g.only.length ? 0 : 1);
      for (const v of g.only) for (const k of dict.codesOf(v)) a[k] = 1;
      for (const v of g.exclude) for (const k of dict.codesOf(v)) a[k] = 0;
      allowed[c] = a;
    }
    this.allowed = allowed;
  }

  /** Whether a record passes chips and time range (the text part is in textHits). */
  private passesStructured(i: number): boolean {
    const f = this.filter;
    if (f.from !== undefined || f.to !== undefined) {
      const t = this.times[i];
      if (Number.isNaN(t)) return false;
      if (f.from !== undefined && t < f.from) return false;
      if (f.to !== undefined && t > f.to) return false;
    }
    const al = this.allowed;
    for (let c = 0; c < NCOL; c++) {
      const a = al[c];
      if (!a) continue;
      const code = this.codes[c][i];
      if (code < a.length) {
        if (!a[code]) return false;
      } else if (!this.allowsNewValue(c, code)) return false;
    }
    return true;
  }

  /** A value first seen after the chips were compiled: recompile that column lazily. */
  private allowsNewValue(c: number, code: number): boolean {
    const old = this.allowed[c]!;
    const dict = this.dicts[c];
    const col = COLUMNS[c].id;
    const only = this.filter.chips.filter((x) => x.column === col && !x.exclude).map((x) => x.value);
    const excl = this.filter.chips.filter((x) => x.column === col && x.exclude).map((x) => x.value);
    const a = new Uint8Array(dict.values.length);
    a.set(old);
    for (let k = old.length; k < a.length; k++) {
      const v = dict.values[k];
      a[k] = (only.length === 0 || only.includes(v)) && !excl.includes(v) ? 1 : 0;
    }
    this.allowed[c] = a;
    return a[code] === 1;
  }

  /** Comparator of two records for the active sort; ties keep insertion order (stable). */
  private comparator(fresh = true): (a: number, b: number) => number {
    const desc = this.sort.descending ? -1 : 1;
    const c = COLUMN_INDEX[this.sort.column];
    if (c === TIME) {
      const t = this.times;
      return (a, b) => {
        const x = t[a];
        const y = t[b];
        const xn = x !== x; // NaN: missing time sorts last in both directions
        const yn = y !== y;
        if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
        return x === y ? a - b : (x < y ? -1 : 1) * desc;
      };
    }
    const codes = this.codes[c];
    const dict = this.dicts[c];
    // Merging new rows must not re-sort a big dictionary on every add: use the ranks we have, and
    // string comparison for values newer than them (both give the same order).
    const rank = fresh ? dict.rank() : dict.cachedRank();
    const vals = dict.values;
    return (a, b) => {
      const ca = codes[a];
      const cb = codes[b];
      if (ca === cb) return a - b;
      let r: number;
      if (ca < rank.length && cb < rank.length) r = rank[ca] - rank[cb];
      else r = compareValues(vals[ca], vals[ca].toLowerCase(), vals[cb], vals[cb].toLowerCase());
      if (vals[ca] === vals[cb]) return a - b;
      // Empty values stay last in both directions.
      if (vals[ca] === '' || vals[cb] === '') return vals[ca] === '' ? 1 : -1;
      return r === 0 ? a - b : r * desc;
    };
  }

  /** All records in sort order, built on demand. */
  private sorted(): Uint32Array {
    if (this.order && this.order.length === this.n) return this.order;
    const n = this.n;
    const c = COLUMN_INDEX[this.sort.column];
    if (c !== TIME) {
      // Counting sort on value ranks: O(n), stable by construction.
      const rank = this.dicts[c].rank();
      const codes = this.codes[c];
      const vals = this.dicts[c].values;
      const m = rank.length;
      const bucketOf = (i: number) => {
        const code = codes[i];
        if (vals[code] === '') return m; // empty last
        const r = rank[code];
        return this.sort.descending ? m - 1 - r : r;
      };
      const counts = new Uint32Array(m + 2);
      for (let i = 0; i < n; i++) counts[bucketOf(i) + 1]++;
      for (let k = 1; k < counts.length; k++) counts[k] += counts[k - 1];
      const out = new Uint32Array(n);
      for (let i = 0; i < n; i++) out[counts[bucketOf(i)]++] = i;
      this.order = out;
      return out;
    }
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort(this.comparator());
    this.order = idx;
    return idx;
  }

  private ensureView(): void {
    if (this.view) return;
    const order = this.sorted();
    // text mask may lag behind n when records were added during an async query; finish it now.
    if (this.textDone < this.n) this.runText(this.n, Infinity);
    const m = this.textHits;
    const out = new Uint32Array(Math.max(16, this.n));
    let k = 0;
    const structured = this.filter.chips.length > 0 || this.filter.from !== undefined || this.filter.to !== undefined;
    for (let p = 0; p < order.length; p++) {
      const i = order[p];
      if (m[i] >= 0 && (!structured || this.passesStructured(i))) out[k++] = i;
    }
    this.view = out;
    this.viewLen = k;
  }

  /** Records first…end-1 were just added: merge them into the sorted order and the view. */
  private extendView(first: number, end: number): void {
    if (!this.order && !this.view) return;
    const cmp = this.comparator(false);
    const fresh = new Uint32Array(end - first);
    for (let i = first; i < end; i++) fresh[i - first] = i;
    fresh.sort(cmp);
    if (this.order) this.order = mergeSorted(this.order, this.order.length, fresh, fresh.length, cmp);
    if (this.view) {
      this.runText(end, Infinity);
      const m = this.textHits;
      const structured = this.filter.chips.length > 0 || this.filter.from !== undefined || this.filter.to !== undefined;
      const hits = new Uint32Array(fresh.length);
      let h = 0;
      for (let p = 0; p < fresh.length; p++) {
        const i = fresh[p];
        if (m[i] >= 0 && (!structured || this.passesStructured(i))) hits[h++] = i;
      }
      if (h > 0) {
        this.view = mergeSorted(this.view, this.viewLen, hits, h, cmp);
        this.viewLen += h;
      }
    }
  }
}

function mergeSorted(a: Uint32Array, na: number, b: Uint32Array, nb: number, cmp: (x: number, y: number) => number): Uint32Array {
  const out = new Uint32Array(na + nb);
  let i = 0;
  let j = 0;
  let k = 0;
  // Fast path: everything new goes after (common when a file is in order and the sort follows it).
  if (na === 0 || cmp(a[na - 1], b[0]) <= 0) {
    out.set(a.subarray(0, na), 0);
    out.set(b.subarray(0, nb), na);
    return out;
  }
  while (i < na && j < nb) out[k++] = cmp(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  while (i < na) out[k++] = a[i++];
  while (j < nb) out[k++] = b[j++];
  return out;
}

/**
 * `h.indexOf(needle, from)`, found by scanning for `tail` (= needle.slice(j), starting with a rarer
 * character) and checking the `j` characters before each candidate. Any match at x ≥ from has `tail` at
 * x + j, so the first verified candidate is the first match.
 */
function findFrom(h: string, needle: string, from: number, j: number, tail: string): number {
  // While narrowing, the match usually starts exactly where the shorter needle's did.
  if (h.startsWith(needle, from)) return from;
  for (;;) {
    const q = h.indexOf(tail, from + j);
    if (q < 0) return NO_MATCH;
    const st = q - j;
    if (h.startsWith(needle, st)) return st;
    from = st + 1;
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

function normaliseFilter(f: Filter | undefined): Filter {
  const text = typeof f?.text === 'string' ? f.text : '';
  const chips = Array.isArray(f?.chips)
    ? f!.chips.filter((c) => c && typeof c.value === 'string' && Object.prototype.hasOwnProperty.call(COLUMN_INDEX, c.column)).map((c) => ({ column: c.column, value: c.value, exclude: !!c.exclude }))
    : [];
  const num = (x: unknown) => (typeof x === 'number' && !Number.isNaN(x) ? x : undefined);
  return { text, chips, from: num(f?.from), to: num(f?.to) };
}

/** Throws unless `rows` has every array and each is long enough for `count` rows (rows may come from another thread). */
function checkRows(rows: TableRows): void {
  const n = rows.count;
  const ok =
    Number.isInteger(n) &&
    n >= 0 &&
    rows.values.length === NCOL &&
    rows.codes.length === NCOL &&
    rows.codes.every((a, c) => a.length >= n && (n === 0 || maxOf(a, n) < rows.values[c].length)) &&
    [rows.times, rows.starts, rows.ends, rows.lines, rows.endLines].every((a) => a.length >= n) &&
    rows.looseRows.length === rows.looseTexts.length &&
    rows.looseRows.every((r, k) => r < n && (k === 0 || r > rows.looseRows[k - 1]) && typeof rows.looseTexts[k] === 'string');
  if (!ok) throw new Error('importRows: the rows are incomplete or inconsistent.');
}

function maxOf(a: Uint32Array, n: number): number {
  let m = 0;
  for (let k = 0; k < n; k++) if (a[k] > m) m = a[k];
  return m;
}
