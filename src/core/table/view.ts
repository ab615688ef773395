/**
 * A view of a table: one editor's filter, sort, text-filter hits and narrowing cache. Every editor of a document
 * owns its own view over the shared table (RecordTable.createView), so two editors with different filters never
 * recompute each other's; a view is kept up to date incrementally as rows are added, until it is disposed.
 */
import { COLUMNS, COLUMN_INDEX, type ColumnId } from './columns';
import { compareValues, type Dictionary } from './dictionary';
import { WORDS, needleTest, passes } from './pairs';
import { NOT_PLAIN, TokenIndex, needleKind, type TokenMatch } from './tokens';
import type { SearchIndex } from './search-index';
import type { TextStore } from './texts';
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
  /** Only these records: `only[i] === 1` keeps table index i (records added later are out). E.g. an identity trace. */
  only?: Uint8Array;
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
  /** Decoded from a gzip member whose checksum failed: the values may have been altered (see CloudTrailRecord.unverified). */
  unverified?: boolean;
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
const TIME = COLUMN_INDEX.time;

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

/** What a view reads from its table (RecordTable implements it). Arrays may be replaced as rows are added. */
export interface ViewStore {
  readonly size: number;
  /** Codes of column `c` (COLUMNS order), one per row. */
  columnCodes(c: number): Uint32Array;
  dictionary(c: number): Dictionary;
  /** Epoch ms per row (NaN: no time). */
  timeArray(): Float64Array;
  textsPart(): TextStore;
  indexPart(): SearchIndex;
  row(index: number): Row;
  /** Calls view.extend(first, end) after rows are added, until the returned function is called. */
  attach(view: TableView): () => void;
}

export class TableView {
  private filter: Filter = EMPTY_FILTER;
  private sort: Sort = DEFAULT_SORT;
  /** All records in sort order (length n), or undefined when it must be rebuilt. */
  private order: Uint32Array | undefined;
  /** All records newest first (see byTime), kept while the table does not grow. */
  private timeOrder: Uint32Array | undefined;
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
  /** Token-index answer of textNeedle (computed once per needle), and the narrowing hint from its base. */
  private textTokens: TokenMatch | undefined;
  private baseTokens: TokenMatch | undefined;
  /** The current view: indexes of the matching records in sort order (first viewLen entries). */
  private view: Uint32Array | undefined;
  private viewLen = 0;
  /** Per chip column: allowed[code] = 1 when the value passes; undefined when the column is unconstrained. */
  private allowed: (Uint8Array | undefined)[] = [];
  /** Text-filter results of recent needles (see prepareText). */
  private readonly maskCache = new Map<string, Hits>();
  private detach: (() => void) | undefined;

  constructor(private readonly store: ViewStore) {
    this.detach = store.attach(this);
  }

  /** Stops following the table's new rows (the view's results stay readable as they are). */
  dispose(): void {
    this.detach?.();
    this.detach = undefined;
  }

  private get n(): number {
    return this.store.size;
  }

  setView(filter: Filter, sort: Sort = this.sort): ViewCounts {
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
    for (let p = s; p < e; p++) out.push(this.store.row(view[p]));
    return out;
  }

  /** Table indexes of the current view's rows `start … start+count-1`. */
  indexes(start: number, count: number): number[] {
    this.ensureView();
    const s = Math.max(0, Math.floor(start));
    const e = Math.min(this.viewLen, s + Math.max(0, Math.floor(count)));
    return Array.from(this.view!.subarray(s, e));
  }

  /**
   * The current view's table indexes in view order, without a copy (valid until the view changes): what the
   * timeline and field counts read.
   */
  viewIndexes(): Uint32Array {
    this.ensureView();
    return this.view!.subarray(0, this.viewLen);
  }

  /** Position of record `index` in the current view, or -1 when it is filtered out. */
  positionOf(index: number): number {
    this.ensureView();
    const v = this.view!;
    for (let p = 0; p < this.viewLen; p++) if (v[p] === index) return p;
    return -1;
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

  /** Examines records from textDone up to `end`, stopping at `deadline` (performance.now() ms). */
  private runText(end: number, deadline: number): void {
    this.textHits = grow(this.textHits, end);
    const needle = this.textNeedle;
    const h = this.textHits;
    const txt = this.store.textsPart();
    const idx = this.store.indexPart();
    const s = txt.searchTexts(0);
    let i = this.textDone;
    if (needle === '') {
      h.fill(0, i, end);
      this.textDone = end;
      return;
    }
    const base = this.base;
    const j = txt.anchorOf(needle);
    const tail = needle.slice(j);
    // With a signature, a row is skipped when it lacks a character pair of the needle, and a needle of one or
    // two plain characters needs no text search at all (then the hit is a lower bound of the match offset,
    // which is all that narrowing needs).
    let test = idx.signed.length > 0 ? needleTest(needle) : undefined;
    // Testing the signature costs a little per row: not worth it for a needle nearly every row could hold.
    if (test && !test.exact && idx.passRate(test, this.n) > 0.9) test = undefined;
    const has = idx.signed;
    const words = idx.words;
    const sigEnd = test ? Math.min(end, has.length) : 0;
    const exact = test !== undefined && test.exact;
    // A needle that can only occur inside one JSON token is answered from the rows' tokens (tokens.ts), unless
    // the signatures answer it alone. Then the hit is a lower bound of the match offset (0 or the base's).
    const tokens = idx.tokens;
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
      txt.lowerUpTo(stop);
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
      const dict = this.store.dictionary(c);
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
    if (f.only && f.only[i] !== 1) return false;
    if (f.from !== undefined || f.to !== undefined) {
      const t = this.store.timeArray()[i];
      if (Number.isNaN(t)) return false;
      if (f.from !== undefined && t < f.from) return false;
      if (f.to !== undefined && t > f.to) return false;
    }
    const al = this.allowed;
    for (let c = 0; c < NCOL; c++) {
      const a = al[c];
      if (!a) continue;
      const code = this.store.columnCodes(c)[i];
      if (code < a.length) {
        if (!a[code]) return false;
      } else if (!this.allowsNewValue(c, code)) return false;
    }
    return true;
  }

  /** A value first seen after the chips were compiled: recompile that column lazily. */
  private allowsNewValue(c: number, code: number): boolean {
    const old = this.allowed[c]!;
    const dict = this.store.dictionary(c);
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
      const t = this.store.timeArray();
      return (a, b) => {
        const x = t[a];
        const y = t[b];
        const xn = x !== x; // NaN: missing time sorts last in both directions
        const yn = y !== y;
        if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
        return x === y ? a - b : (x < y ? -1 : 1) * desc;
      };
    }
    const codes = this.store.columnCodes(c);
    const dict = this.store.dictionary(c);
    // Merging new rows must not re-sort a big dictionary on every add: use the ranks we have, and
    // string comparison for values newer than them (both give the same order).
    const rank = fresh ? dict.rank() : dict.cachedRank();
    const vals = dict.values;
    const tie = newestFirst(this.store.timeArray());
    return (a, b) => {
      const ca = codes[a];
      const cb = codes[b];
      if (ca === cb) return tie(a, b);
      let r: number;
      if (ca < rank.length && cb < rank.length) r = rank[ca] - rank[cb];
      else r = compareValues(vals[ca], vals[ca].toLowerCase(), vals[cb], vals[cb].toLowerCase());
      if (vals[ca] === vals[cb]) return tie(a, b);
      // Empty values stay last in both directions.
      if (vals[ca] === '' || vals[cb] === '') return vals[ca] === '' ? 1 : -1;
      return r === 0 ? tie(a, b) : r * desc;
    };
  }

  /** All records newest first (missing times last, then insertion order): the order ties keep under any column. */
  private byTime(): Uint32Array {
    if (this.timeOrder && this.timeOrder.length === this.n) return this.timeOrder;
    const n = this.n;
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    idx.sort(newestFirst(this.store.timeArray()));
    this.timeOrder = idx;
    return idx;
  }

  /** All records in sort order, built on demand. */
  private sorted(): Uint32Array {
    if (this.order && this.order.length === this.n) return this.order;
    const n = this.n;
    const c = COLUMN_INDEX[this.sort.column];
    if (c !== TIME) {
      // Counting sort on value ranks: O(n), stable by construction.
      const rank = this.store.dictionary(c).rank();
      const codes = this.store.columnCodes(c);
      const vals = this.store.dictionary(c).values;
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
      // Stable over the records in time order: ties under any column keep time order, newest first.
      const byTime = this.byTime();
      for (let p = 0; p < n; p++) {
        const i = byTime[p];
        out[counts[bucketOf(i)]++] = i;
      }
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
    const structured = this.filter.chips.length > 0 || this.filter.from !== undefined || this.filter.to !== undefined || this.filter.only !== undefined;
    for (let p = 0; p < order.length; p++) {
      const i = order[p];
      if (m[i] >= 0 && (!structured || this.passesStructured(i))) out[k++] = i;
    }
    this.view = out;
    this.viewLen = k;
  }

  /** Records first…end-1 were just added: merge them into the sorted order and the view. */
  extend(first: number, end: number): void {
    if (!this.order && !this.view) return;
    const cmp = this.comparator(false);
    const fresh = new Uint32Array(end - first);
    for (let i = first; i < end; i++) fresh[i - first] = i;
    fresh.sort(cmp);
    if (this.order) this.order = mergeSorted(this.order, this.order.length, fresh, fresh.length, cmp);
    if (this.view) {
      this.runText(end, Infinity);
      const m = this.textHits;
      const structured = this.filter.chips.length > 0 || this.filter.from !== undefined || this.filter.to !== undefined || this.filter.only !== undefined;
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

  /** Most frequent values of a column among the view's rows (see RecordTable.distinctValues). */
  countValues(column: ColumnId, counts: Uint32Array): void {
    this.ensureView();
    const codes = this.store.columnCodes(COLUMN_INDEX[column]);
    const v = this.view!;
    for (let p = 0; p < this.viewLen; p++) counts[codes[v[p]]]++;
  }
}


/** Newest first; records without a time last; equal times in insertion order. */
function newestFirst(t: Float64Array): (a: number, b: number) => number {
  return (a, b) => {
    const x = t[a];
    const y = t[b];
    const xn = x !== x;
    const yn = y !== y;
    if (xn || yn) return xn === yn ? a - b : xn ? 1 : -1;
    return x === y ? a - b : x > y ? -1 : 1;
  };
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


function normaliseFilter(f: Filter | undefined): Filter {
  const text = typeof f?.text === 'string' ? f.text : '';
  const chips = Array.isArray(f?.chips)
    ? f!.chips.filter((c) => c && typeof c.value === 'string' && Object.prototype.hasOwnProperty.call(COLUMN_INDEX, c.column)).map((c) => ({ column: c.column, value: c.value, exclude: !!c.exclude }))
    : [];
  const num = (x: unknown) => (typeof x === 'number' && !Number.isNaN(x) ? x : undefined);
  const out: Filter = { text, chips, from: num(f?.from), to: num(f?.to) };
  if (f?.only instanceof Uint8Array) out.only = f.only;
  return out;
}

