/**
 * Token index: the quick filter's shortcut for needles that can only occur inside one token of a record's JSON.
 *
 * ## Why it is exact
 *
 * The tokenizer below splits a text into string contents (from a `"` to the next unescaped `"`, escapes kept as
 * they are written) and, between strings, bare runs: the longest runs of characters that are not whitespace or
 * control characters, not `"` and not one of `{ } [ ] ,` (numbers, `true`, `null`, and the `:` before a bare
 * value). It needs no valid JSON: any text splits this way.
 *
 * Take a needle without `"`, `{`, `}`, `[`, `]`, `,` and without any character below U+0020 (a "plain" needle;
 * see needleKind). An occurrence of it in the text holds no `"`, so it lies inside one string's content or
 * between two strings. Between strings, it holds none of the characters that end a bare run, so it lies inside
 * one bare run. Either way it lies inside one token, and the converse is obvious (every token is a piece of the
 * text). So: the needle occurs in the text if and only if it occurs in one of the text's tokens.
 *
 * A needle that holds spaces (but is otherwise plain) has the same property in a text with no whitespace
 * between its tokens (compact JSON, as CloudTrail writes its log files): there a space can only be inside a
 * string. Rows with whitespace between tokens (pretty-printed JSON) are not answered for such needles.
 *
 * Runs made only of `:` are left out (in JSON, the colon between a key and a string value); a needle made only of
 * colons is therefore not plain.
 *
 * ## What it keeps
 *
 * Each distinct token once, in a dictionary (many values repeat across records: ARNs, user agents, regions,
 * event names; in the 100 MB bench log about a tenth of the value text is distinct). Per row: the ids of its value tokens,
 * and a shape: the set of its field names (few distinct sets per file). A query scans the dictionary once for
 * the needle, marks the shapes that hold a matching field name, and then answers each row from its ids.
 */

import { grow } from './grow';

const QUOTE = 34;
const BACKSLASH = 92;
const COLON = 58;

/** 1 for the characters that end a bare run: whitespace and control characters, `"`, `{`, `}`, `[`, `]`, `,`. */
const STOP = (() => {
  const t = new Uint8Array(65536);
  t.fill(1, 0, 33);
  for (const ch of '"{}[],') t[ch.charCodeAt(0)] = 1;
  return t;
})();

/** A needle that tokens cannot answer. */
export const NOT_PLAIN = 0;
/** A plain needle without spaces: answered in every row. */
export const PLAIN = 1;
/** A plain needle with spaces: answered in the rows whose tokens have no whitespace between them. */
export const PLAIN_SPACED = 2;

/** How the token index can answer `needle` (already lower-cased as the search texts are). */
export function needleKind(needle: string): typeof NOT_PLAIN | typeof PLAIN | typeof PLAIN_SPACED {
  if (needle.length === 0) return NOT_PLAIN;
  let spaced = false;
  let colons = true;
  for (let k = 0; k < needle.length; k++) {
    const c = needle.charCodeAt(k);
    if (c === 32) spaced = true;
    else if (STOP[c]) return NOT_PLAIN;
    if (c !== COLON) colons = false;
  }
  if (colons) return NOT_PLAIN;
  return spaced ? PLAIN_SPACED : PLAIN;
}

/** Which tokens of one dictionary hold a needle. */
export interface DictionaryMatch {
  /** Per token id (below `count`): 1 when the token holds the needle. */
  readonly hits: Uint8Array;
  /** Dictionary size when it was made. */
  readonly count: number;
  /** Ids of the matching tokens, ascending (to narrow a longer needle); undefined when there were too many. */
  readonly ids: Uint32Array | undefined;
}

/** The result of one needle, good for the rows that were indexed when it was made (see TokenIndex.test). */
export interface TokenMatch {
  readonly needle: string;
  /** Rows below this one are answered. */
  readonly rows: number;
  readonly spaced: boolean;
  readonly values: DictionaryMatch;
  readonly keys: DictionaryMatch;
  /** Per shape: 1 when one of its field names holds the needle. */
  readonly shapeHits: Uint8Array;
}

/**
 * A token index as plain data that survives postMessage (the typed arrays can be transferred): a worker thread
 * indexes the rows it parsed, and the table on the main thread appends them (TokenIndex.export / append).
 */
export interface TokenExport {
  rows: number;
  /** Characters of the rows' texts (for the size budget). */
  chars: number;
  /** Each dictionary's tokens in id order, each followed by `"`, and their lengths. */
  values: string;
  valueLens: Uint32Array;
  keys: string;
  keyLens: Uint32Array;
  /** Shape q's field-name ids are shapeKeys[shapeAt[q] … shapeAt[q+1]). */
  shapeAt: Uint32Array;
  shapeKeys: Uint32Array;
  /** Per row: its shape, 1 when it has whitespace between tokens, and its value ids ids[rowAt[r] … rowAt[r+1]). */
  rowShape: Uint32Array;
  rowSpaced: Uint8Array;
  rowAt: Uint32Array;
  ids: Uint32Array;
}

/** More matching tokens than this are not listed (the next needle then scans the whole dictionary). */
const MAX_LISTED = 1 << 16;
/**
 * A chunk of the dictionary's text shorter than this takes the next tokens in as well (so that many small seals do
 * not make many tiny chunks). Small, because each merge copies the chunk.
 */
const MERGE_BELOW = 1 << 14;
/**
 * The index stops taking rows once it holds more than this many bytes per character of the rows it took (after
 * MIN_ROWS rows): a file of mostly one-off values would make the dictionary as big as the text, and the later
 * rows are searched in full instead. On the 100 MB bench log it holds about 0.2 bytes per character.
 */
const MAX_BYTES_PER_CHAR = 0.5;
const MIN_ROWS = 4096;
/** Token ids per page of the rows' lists (1 MB). */
const PAGE = 1 << 18;
const SEED = 0x811c9dc5 | 0;
const PRIME = 0x01000193;
const ENCODER = new TextEncoder();
const EMPTY = new Uint8Array(0);

type U32 = Uint32Array<ArrayBuffer>;
type I32 = Int32Array<ArrayBuffer>;
type U8 = Uint8Array<ArrayBuffer>;
type Codes = Uint8Array | Uint16Array;

/**
 * Distinct tokens, each with a dense id. Their text is kept in a few long strings (chunks), each token followed
 * by `"`, which no plain needle holds, so no match spans two tokens; a query scans the chunks with indexOf.
 */
class Dictionary {
  count = 0;
  private lens: U32 = new Uint32Array(1024);
  /** Where a sealed token is: its chunk and its offset there. */
  private chunkOf: U32 = new Uint32Array(1024);
  private offs: U32 = new Uint32Array(1024);
  private readonly chunks: string[] = [];
  /** First token id of each chunk. */
  private readonly chunkFirst: number[] = [];
  /**
   * Tokens not sealed yet (ids pendingFirst … count-1): where they are, the text and the offset. Positions, not
   * strings: a string per new token would survive into the garbage collector's old generation and make it grow
   * its young one for good.
   */
  private pendingText: string[] = [];
  private pendingAt: U32 = new Uint32Array(1024);
  private pendingFirst = 0;
  /** Open-addressing table of (hash, id + 1) pairs, at most half full; 0 as id + 1 marks a free slot. */
  private slots: I32 = new Int32Array(1 << 11);
  /** Characters of text kept. */
  chars = 0;

  /** Bytes held, roughly. */
  get bytes(): number {
    return this.chars + this.slots.length * 4 + this.lens.length * 12;
  }

  /** Id of the token codes[a, e) (hash h), adding it when new; s is the same text as a string. */
  intern(s: string, codes: Codes, a: number, e: number, h: number): number {
    const len = e - a;
    if (this.slots.length === 0) this.refill();
    const slots = this.slots;
    const mask = (slots.length >>> 1) - 1;
    let slot = h & mask;
    for (;;) {
      const v = slots[2 * slot + 1];
      if (v === 0) break;
      if (slots[2 * slot] === h && this.lens[v - 1] === len && this.same(v - 1, codes, a, len)) return v - 1;
      slot = (slot + 1) & mask;
    }
    const id = this.count++;
    if (this.lens.length <= id) {
      this.lens = grow(this.lens, id + 1);
      this.chunkOf = grow(this.chunkOf, id + 1);
      this.offs = grow(this.offs, id + 1);
    }
    this.lens[id] = len;
    this.chars += len + 1;
    const p = id - this.pendingFirst;
    if (p === this.pendingAt.length) this.pendingAt = grow(this.pendingAt, p + 1);
    this.pendingText.push(s);
    this.pendingAt[p] = a;
    slots[2 * slot] = h;
    slots[2 * slot + 1] = id + 1;
    if (this.count * 4 > slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2);
    const mask = (slots.length >>> 1) - 1;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k + 1] === 0) continue;
      let q = old[k] & mask;
      while (slots[2 * q + 1] !== 0) q = (q + 1) & mask;
      slots[2 * q] = old[k];
      slots[2 * q + 1] = old[k + 1];
    }
    this.slots = slots;
  }

  /**
   * Drops what only adding tokens needs (the hash table, half the dictionary's memory on a big file) and the
   * room kept for growth; the next intern() rebuilds the table from the tokens' text.
   */
  trim(): void {
    this.seal();
    const n = this.count;
    if (this.lens.length > n) {
      this.lens = this.lens.slice(0, n);
      this.chunkOf = this.chunkOf.slice(0, n);
      this.offs = this.offs.slice(0, n);
    }
    this.slots = new Int32Array(0);
  }

  /** Every token, in id order, each followed by `"`, and their lengths. */
  export(): { text: string; lens: U32 } {
    this.seal();
    return { text: this.chunks.join(''), lens: this.lens.slice(0, this.count) };
  }

  /**
   * Takes in the tokens of another dictionary's export (checked by the caller: the lengths add up to the text);
   * returns each one's id here.
   */
  absorb(text: string, lens: Uint32Array): U32 {
    const codes = codesOf(text);
    const map = new Uint32Array(lens.length);
    let a = 0;
    for (let k = 0; k < lens.length; k++) {
      const e = a + lens[k];
      let h = SEED;
      for (let j = a; j < e; j++) h = Math.imul(h ^ codes[j], PRIME);
      map[k] = this.intern(text, codes, a, e, h);
      a = e + 1;
    }
    // The new tokens point into `text` until sealed: seal now, so that it can go.
    this.seal();
    return map;
  }

  /** Rebuilds the hash table dropped by trim(), hashing every token's text again (trim() sealed them all). */
  private refill(): void {
    let size = 1 << 11;
    while (size < this.count * 4) size *= 2;
    const slots = new Int32Array(size);
    const mask = (size >>> 1) - 1;
    for (let id = 0; id < this.count; id++) {
      const t = this.chunks[this.chunkOf[id]];
      const o = this.offs[id];
      let h = SEED;
      for (let j = 0; j < this.lens[id]; j++) h = Math.imul(h ^ t.charCodeAt(o + j), PRIME);
      let q = h & mask;
      while (slots[2 * q + 1] !== 0) q = (q + 1) & mask;
      slots[2 * q] = h;
      slots[2 * q + 1] = id + 1;
    }
    this.slots = slots;
  }

  /** Whether token `id` (of length len) is codes[a, a+len). */
  private same(id: number, codes: Codes, a: number, len: number): boolean {
    let t: string;
    let o: number;
    if (id >= this.pendingFirst) {
      t = this.pendingText[id - this.pendingFirst];
      o = this.pendingAt[id - this.pendingFirst];
    } else {
      t = this.chunks[this.chunkOf[id]];
      o = this.offs[id];
    }
    for (let j = 0; j < len; j++) if (t.charCodeAt(o + j) !== codes[a + j]) return false;
    return true;
  }

  /** Moves the tokens added since the last call into the chunks, where queries scan. */
  seal(): void {
    const count = this.count - this.pendingFirst;
    if (count === 0) return;
    const last = this.chunks.length - 1;
    const merge = last >= 0 && this.chunks[last].length < MERGE_BELOW;
    const c = merge ? last : this.chunks.length;
    let o = merge ? this.chunks[last].length : 0;
    for (let j = 0; j < count; j++) {
      const id = this.pendingFirst + j;
      this.chunkOf[id] = c;
      this.offs[id] = o;
      o += this.lens[id] + 1;
    }
    const parts = new Array<string>(count);
    for (let j = 0; j < count; j++) {
      const at = this.pendingAt[j];
      parts[j] = this.pendingText[j].substring(at, at + this.lens[this.pendingFirst + j]);
    }
    // One new string: the chunk never keeps the records' texts (or the batches they were cut from) alive.
    const text = parts.join('"') + '"';
    if (merge) this.chunks[last] += text;
    else {
      this.chunks.push(text);
      this.chunkFirst.push(this.pendingFirst);
    }
    this.pendingText = [];
    this.pendingFirst = this.count;
  }

  /**
   * The tokens that hold `needle`. With `from`, the match of a needle that `needle` contains, only the tokens
   * it listed (and those added since) are tested.
   */
  match(needle: string, from: DictionaryMatch | undefined, fromNeedle: string | undefined): DictionaryMatch {
    this.seal();
    const count = this.count;
    const hits = new Uint8Array(count);
    const found: number[] = [];
    if (from?.ids && fromNeedle !== undefined && from.count <= count && needle.includes(fromNeedle)) {
      this.testListed(needle, from.ids, hits, found);
      this.scan(needle, from.count, hits, found);
    } else this.scan(needle, 0, hits, found);
    return { hits, count, ids: found.length <= MAX_LISTED ? Uint32Array.from(found) : undefined };
  }

  /** Marks every token from id `first` on that holds `needle`. */
  private scan(needle: string, first: number, hits: Uint8Array, found: number[]): void {
    for (let c = 0; c < this.chunks.length; c++) {
      const end = c + 1 < this.chunks.length ? this.chunkFirst[c + 1] : this.count;
      if (end <= first) continue;
      const lo = Math.max(first, this.chunkFirst[c]);
      const chunk = this.chunks[c];
      let pos = this.offs[lo];
      let left = lo;
      for (;;) {
        const p = chunk.indexOf(needle, pos);
        if (p < 0) break;
        // The token holding p: the last one (from `left` on) that starts at or before it.
        let l = left;
        let r = end - 1;
        while (l < r) {
          const m = (l + r + 1) >>> 1;
          if (this.offs[m] <= p) l = m;
          else r = m - 1;
        }
        hits[l] = 1;
        found.push(l);
        left = l + 1;
        if (left >= end) break;
        pos = this.offs[left];
      }
    }
  }

  /** Marks each of `ids` (ascending) that holds `needle`. */
  private testListed(needle: string, ids: Uint32Array, hits: Uint8Array, found: number[]): void {
    let chunk = -1;
    // The first occurrence of the needle at or after the current token's start, in the current chunk.
    let next = -1;
    for (let j = 0; j < ids.length; j++) {
      const id = ids[j];
      const c = this.chunkOf[id];
      const o = this.offs[id];
      if (c !== chunk) {
        chunk = c;
        next = -1;
      }
      if (next !== Infinity && next < o) {
        const p = this.chunks[c].indexOf(needle, o);
        next = p < 0 ? Infinity : p;
      }
      if (next < o + this.lens[id]) {
        hits[id] = 1;
        found.push(id);
      }
    }
  }
}

/** Buffers codesOf may reuse (it replaces them when they are too small). */
interface CodeBuffers {
  bytes: U8;
  units: Uint16Array<ArrayBuffer>;
}

/**
 * The code units of `s` at the start of a typed array, much faster to read than charCodeAt on a (usually sliced)
 * string: bytes when it is all ASCII (nearly every record), else 16-bit units.
 */
function codesOf(s: string, buffers: CodeBuffers = { bytes: new Uint8Array(0), units: new Uint16Array(0) }): Codes {
  const L = s.length;
  if (buffers.bytes.length < L) buffers.bytes = new Uint8Array(Math.max(L, buffers.bytes.length * 2));
  const r = ENCODER.encodeInto(s, buffers.bytes);
  if (r.read === L && r.written === L) return buffers.bytes;
  if (buffers.units.length < L) buffers.units = new Uint16Array(Math.max(L, buffers.units.length * 2));
  const u = buffers.units;
  for (let k = 0; k < L; k++) u[k] = s.charCodeAt(k);
  return u;
}

/** Whether an export's parts fit together (every id in range, the lengths adding up to the texts). */
function consistent(x: TokenExport): boolean {
  const n = x.rows;
  const count = (lens: Uint32Array) => lens.reduce((sum, l) => sum + l + 1, 0);
  const below = (a: ArrayLike<number>, from: number, to: number, limit: number) => {
    for (let k = from; k < to; k++) if (!(a[k] < limit)) return false;
    return true;
  };
  if (!Number.isInteger(n) || n < 0 || typeof x.values !== 'string' || typeof x.keys !== 'string') return false;
  const u32 = [x.valueLens, x.keyLens, x.shapeAt, x.shapeKeys, x.rowShape, x.rowAt, x.ids];
  if (!u32.every((a) => a instanceof Uint32Array) || !(x.rowSpaced instanceof Uint8Array)) return false;
  if (count(x.valueLens) !== x.values.length || count(x.keyLens) !== x.keys.length) return false;
  const shapes = x.shapeAt.length - 1;
  if (shapes < 0 || x.shapeAt[0] !== 0 || x.shapeAt[shapes] !== x.shapeKeys.length) return false;
  for (let q = 0; q < shapes; q++) if (x.shapeAt[q] > x.shapeAt[q + 1]) return false;
  if (x.rowShape.length !== n || x.rowSpaced.length !== n || x.rowAt.length !== n + 1 || x.rowAt[0] !== 0 || x.rowAt[n] !== x.ids.length) return false;
  for (let r = 0; r < n; r++) if (x.rowAt[r] > x.rowAt[r + 1]) return false;
  return below(x.shapeKeys, 0, x.shapeKeys.length, x.keyLens.length) && below(x.rowShape, 0, n, shapes) && below(x.ids, 0, x.ids.length, x.valueLens.length);
}

function mix(id: number): number {
  let h = Math.imul(id ^ (id >>> 15), 0x2c1b3c6d);
  h = Math.imul(h ^ (h >>> 12), 0x297a2d39);
  return h ^ (h >>> 15);
}

export class TokenIndex {
  private readonly values = new Dictionary();
  private readonly keys = new Dictionary();

  // ---- shapes: sets of field names ----
  private shapeCount = 0;
  private shapeHashes: I32 = new Int32Array(256);
  /** Shape q's field-name ids are shapeKeys[shapeAt[q] … shapeAt[q+1]). */
  private shapeAt: U32 = new Uint32Array(257);
  private shapeKeys: U32 = new Uint32Array(4096);
  private shapeSlots: I32 = new Int32Array(1 << 9);
  /** Per field name: the stamp of the row (or appended shape) that last listed it, to list each name once. */
  private stamps: U32 = new Uint32Array(1024);
  private stamp = 0;
  /** The field names of the row (or appended shape) being listed, how many, and their order-free hash. */
  private scratch: U32 = new Uint32Array(256);
  private listed = 0;
  private listedHash = 0;

  // ---- rows ----
  private n = 0;
  /**
   * The rows' value token ids, in pages of PAGE ids after a small first one (a row never spans two): row r's are
   * pages[rowPage[r]][rowFrom[r] … rowTo[r]). Pages are never reallocated: growing one big array by doubling
   * frees ever bigger buffers, and the C allocator then keeps far more memory than the index holds.
   */
  private readonly pages: U32[] = [new Uint32Array(1 << 12)];
  private used = 0;
  private rowPage: U32 = new Uint32Array(1024);
  private rowFrom: U32 = new Uint32Array(1024);
  private rowTo: U32 = new Uint32Array(1024);
  private shapes: U32 = new Uint32Array(1024);
  /** 1 for rows with whitespace between their tokens. */
  private spacedRows: U8 = new Uint8Array(1024);
  /** Characters of the rows taken. */
  private chars = 0;
  private full = false;

  /** The row being indexed, as code units (see codesOf). */
  private readonly buffers: CodeBuffers = { bytes: new Uint8Array(1 << 14), units: new Uint16Array(0) };

  /** Rows indexed so far (rows are added in order, from 0). */
  get rows(): number {
    return this.n;
  }

  /** Whether the index takes no more rows (see MAX_BYTES_PER_CHAR); the rows after `rows` are searched in full. */
  get closed(): boolean {
    return this.full;
  }

  /** Sizes, for tests and benchmarks: distinct value tokens, field names, shapes, and the bytes held. */
  stats(): { values: number; keys: number; shapes: number; bytes: number } {
    let bytes = this.values.bytes + this.keys.bytes + this.rowPage.length * 17 + this.shapeKeys.length * 4;
    for (const p of this.pages) bytes += p.length * 4;
    return { values: this.values.count, keys: this.keys.count, shapes: this.shapeCount, bytes };
  }

  /** Indexes the next row's (lower-cased) text; false, taking nothing, once the index is closed. */
  add(s: string): boolean {
    if (this.full) return false;
    const L = s.length;
    this.tokenize(s, codesOf(s, this.buffers), L);
    this.chars += L;
    if ((this.n & 255) === 0) this.checkBudget();
    return true;
  }

  /** Closes the index when it holds too much for the text it took (see MAX_BYTES_PER_CHAR). */
  private checkBudget(): void {
    if (this.n >= MIN_ROWS && this.stats().bytes > this.chars * MAX_BYTES_PER_CHAR) this.full = true;
  }

  private tokenize(s: string, codes: Codes, L: number): void {
    const row = this.n;
    this.startShape();
    let page = this.pages[this.pages.length - 1];
    let used = this.used;
    let from = used;
    let spaced = 0;
    let k = 0;
    while (k < L) {
      const c = codes[k];
      let a: number;
      let e: number;
      let h = SEED;
      let key = false;
      if (c === QUOTE) {
        a = k + 1;
        e = a;
        while (e < L) {
          const d = codes[e];
          if (d === QUOTE) break;
          h = Math.imul(h ^ d, PRIME);
          e++;
          if (d === BACKSLASH && e < L) {
            h = Math.imul(h ^ codes[e], PRIME);
            e++;
          }
        }
        k = e + 1;
        if (e === a) continue;
        let m = k;
        while (m < L && codes[m] <= 32) m++;
        key = m < L && codes[m] === COLON;
      } else if (STOP[c] === 1) {
        if (c <= 32) spaced = 1;
        k++;
        continue;
      } else {
        a = k;
        e = k;
        let colons = true;
        while (e < L) {
          const d = codes[e];
          if (STOP[d] === 1) break;
          if (d !== COLON) colons = false;
          h = Math.imul(h ^ d, PRIME);
          e++;
        }
        k = e;
        if (colons) continue;
      }
      if (key) this.listKey(this.keys.intern(s, codes, a, e, h));
      else {
        const id = this.values.intern(s, codes, a, e, h);
        if (used === page.length) {
          // Full: this row starts again on a new page (twice its ids so far, if that is more than a page).
          const next: U32 = new Uint32Array(Math.max(PAGE, 2 * (used - from)));
          next.set(page.subarray(from, used));
          this.pages.push(next);
          page = next;
          used -= from;
          from = 0;
        }
        page[used++] = id;
      }
    }
    if (this.shapes.length <= row) this.growRows(row + 1);
    this.shapes[row] = this.shapeOf();
    this.spacedRows[row] = spaced;
    this.rowPage[row] = this.pages.length - 1;
    this.rowFrom[row] = from;
    this.rowTo[row] = used;
    this.used = used;
    this.n = row + 1;
  }

  private growRows(need: number): void {
    this.shapes = grow(this.shapes, need);
    this.spacedRows = grow(this.spacedRows, need);
    this.rowPage = grow(this.rowPage, need);
    this.rowFrom = grow(this.rowFrom, need);
    this.rowTo = grow(this.rowTo, need);
  }

  /** Starts listing the field names of a new row or shape (listKey, then shapeOf). */
  private startShape(): void {
    this.stamp++;
    this.listed = 0;
    this.listedHash = 0;
  }

  /** Lists field name `id`, once. */
  private listKey(id: number): void {
    if (this.stamps.length <= id) this.stamps = grow(this.stamps, id + 1);
    if (this.stamps[id] === this.stamp) return;
    this.stamps[id] = this.stamp;
    if (this.listed === this.scratch.length) this.scratch = grow(this.scratch, this.listed + 1);
    this.scratch[this.listed++] = id;
    this.listedHash = (this.listedHash + mix(id)) | 0;
  }

  /** Id of the shape holding exactly the names listed since startShape(), adding it when new. */
  private shapeOf(): number {
    const keys = this.listed;
    const stamp = this.stamp;
    const h = (this.listedHash ^ keys) | 0;
    let mask = this.shapeSlots.length - 1;
    let slot = h & mask;
    for (;;) {
      const v = this.shapeSlots[slot];
      if (v === 0) break;
      const q = v - 1;
      if (this.shapeHashes[q] === h && this.shapeAt[q + 1] - this.shapeAt[q] === keys && this.holds(q, stamp)) return q;
      slot = (slot + 1) & mask;
    }
    const q = this.shapeCount++;
    if (this.shapeHashes.length <= q) this.shapeHashes = grow(this.shapeHashes, q + 1);
    if (this.shapeAt.length < q + 2) this.shapeAt = grow(this.shapeAt, q + 2);
    const from = this.shapeAt[q];
    this.shapeKeys = grow(this.shapeKeys, from + keys);
    this.shapeKeys.set(this.scratch.subarray(0, keys), from);
    this.shapeAt[q + 1] = from + keys;
    this.shapeHashes[q] = h;
    this.shapeSlots[slot] = q + 1;
    if (this.shapeCount * 2 > this.shapeSlots.length) {
      this.shapeSlots = new Int32Array(this.shapeSlots.length * 2);
      mask = this.shapeSlots.length - 1;
      for (let t = 0; t < this.shapeCount; t++) {
        let p = this.shapeHashes[t] & mask;
        while (this.shapeSlots[p] !== 0) p = (p + 1) & mask;
        this.shapeSlots[p] = t + 1;
      }
    }
    return q;
  }

  /** Whether every name of shape q is stamped `stamp` (with equal sizes: the row's names are the shape's). */
  private holds(q: number, stamp: number): boolean {
    for (let j = this.shapeAt[q]; j < this.shapeAt[q + 1]; j++) if (this.stamps[this.shapeKeys[j]] !== stamp) return false;
    return true;
  }

  /**
   * Gives back what is kept only for adding rows (the dictionaries' hash tables and room to grow); call when no
   * rows are expected. Adding more rows still works: it costs a rehash of the dictionaries first.
   */
  trim(): void {
    this.values.trim();
    this.keys.trim();
  }

  /** Makes the tokens added so far visible to queries (match() does it too; cheaper in small steps). */
  seal(): void {
    this.values.seal();
    this.keys.seal();
  }

  /**
   * Which tokens and shapes hold `needle` (plain, see needleKind). With `from`, the match of a needle that
   * `needle` contains, only the tokens that held it (and those added since) are tested.
   */
  match(needle: string, from?: TokenMatch): TokenMatch {
    const values = this.values.match(needle, from?.values, from?.needle);
    const keys = this.keys.match(needle, from?.keys, from?.needle);
    const shapeHits = new Uint8Array(this.shapeCount);
    for (let q = 0; q < this.shapeCount; q++) {
      for (let j = this.shapeAt[q]; j < this.shapeAt[q + 1]; j++) {
        if (keys.hits[this.shapeKeys[j]] === 1) {
          shapeHits[q] = 1;
          break;
        }
      }
    }
    return { needle, rows: this.n, spaced: needle.includes(' '), values, keys, shapeHits };
  }

  /** The index as plain data for append() in another thread's index; undefined once closed. */
  export(): TokenExport | undefined {
    if (this.full) return undefined;
    const values = this.values.export();
    const keys = this.keys.export();
    const n = this.n;
    const rowAt = new Uint32Array(n + 1);
    for (let r = 0; r < n; r++) rowAt[r + 1] = rowAt[r] + this.rowTo[r] - this.rowFrom[r];
    const ids = new Uint32Array(rowAt[n]);
    for (let r = 0; r < n; r++) ids.set(this.pages[this.rowPage[r]].subarray(this.rowFrom[r], this.rowTo[r]), rowAt[r]);
    return {
      rows: n,
      chars: this.chars,
      values: values.text,
      valueLens: values.lens,
      keys: keys.text,
      keyLens: keys.lens,
      shapeAt: this.shapeAt.slice(0, this.shapeCount + 1),
      shapeKeys: this.shapeKeys.slice(0, this.shapeAt[this.shapeCount]),
      rowShape: this.shapes.slice(0, n),
      rowSpaced: this.spacedRows.slice(0, n),
      rowAt,
      ids,
    };
  }

  /** The buffers of an export, for postMessage's transfer list. */
  static transferables(x: TokenExport): ArrayBuffer[] {
    return [x.valueLens, x.keyLens, x.shapeAt, x.shapeKeys, x.rowShape, x.rowSpaced, x.rowAt, x.ids].map((a) => a.buffer as ArrayBuffer);
  }

  /**
   * Appends the rows of another index's export, as if their texts had been added here. False, taking nothing,
   * when this index is closed or the export is inconsistent (it may come from another thread).
   */
  append(x: TokenExport): boolean {
    if (this.full || !consistent(x)) return false;
    const values = this.values.absorb(x.values, x.valueLens);
    const keys = this.keys.absorb(x.keys, x.keyLens);
    const shapeCount = x.shapeAt.length - 1;
    const shapes = new Uint32Array(shapeCount);
    for (let q = 0; q < shapeCount; q++) {
      this.startShape();
      for (let j = x.shapeAt[q]; j < x.shapeAt[q + 1]; j++) this.listKey(keys[x.shapeKeys[j]]);
      shapes[q] = this.shapeOf();
    }
    let page = this.pages[this.pages.length - 1];
    let used = this.used;
    for (let r = 0; r < x.rows; r++) {
      const a = x.rowAt[r];
      const len = x.rowAt[r + 1] - a;
      if (used + len > page.length) {
        page = new Uint32Array(Math.max(PAGE, len));
        this.pages.push(page);
        used = 0;
      }
      const row = this.n;
      if (this.shapes.length <= row) this.growRows(row + 1);
      this.rowPage[row] = this.pages.length - 1;
      this.rowFrom[row] = used;
      for (let j = 0; j < len; j++) page[used++] = values[x.ids[a + j]];
      this.rowTo[row] = used;
      this.shapes[row] = shapes[x.rowShape[r]];
      this.spacedRows[row] = x.rowSpaced[r];
      this.n = row + 1;
    }
    this.used = used;
    this.chars += x.chars;
    this.checkBudget();
    return true;
  }

  /** `m` without its per-token results: all that match() needs to narrow from it (cheap to keep). */
  static narrowing(m: TokenMatch): TokenMatch {
    const strip = (d: DictionaryMatch): DictionaryMatch => ({ hits: EMPTY, count: d.count, ids: d.ids });
    return { needle: m.needle, rows: 0, spaced: m.spaced, values: strip(m.values), keys: strip(m.keys), shapeHits: EMPTY };
  }

  /**
   * Whether row `row` holds the needle of `m`: 1 yes, 0 no, -1 when `m` cannot say (a row indexed after `m` was
   * made, or a needle with spaces in a row with whitespace between its tokens).
   */
  test(row: number, m: TokenMatch): number {
    if (row >= m.rows || (m.spaced && this.spacedRows[row] === 1)) return -1;
    if (m.shapeHits[this.shapes[row]] === 1) return 1;
    const hits = m.values.hits;
    const ids = this.pages[this.rowPage[row]];
    for (let j = this.rowFrom[row], end = this.rowTo[row]; j < end; j++) if (hits[ids[j]] === 1) return 1;
    return 0;
  }
}
