/**
 * Record texts: each row's JSON text, its lower-cased search text (the quick filter's haystack), and their
 * compaction. Rows are appended in batches; a batch's search texts are made later (lowerUpTo), in pieces, and a
 * row's original text can then be dropped for a case patch (compact) from which it is rebuilt exactly.
 */
import { decodeUtf8 } from '../records';
import { CasePatches } from './case-patch';
import { detach } from './dictionary';

/** Records sampled for the character frequencies that pick a search anchor. */
const FREQ_SAMPLE = 256;

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
  /**
   * Texts not made yet: `coverText` is still these bytes, one per character (ASCII from a worker), and the rows
   * at cover[k] >= 0 have no text until the batch is decoded (at its first use: see decodeBatch).
   */
  lazy?: { bytes: Uint8Array; lengths: Float64Array };
  /** Rows of the batch done so far. */
  done: number;
}

export class TextStore {
  /**
   * Record JSON text: the text the parser handed out, a slice of the caller's source text, or our own JSON.
   * Undefined once compact() replaced it by a case patch (the text is then rebuilt from `search`).
   */
  private readonly texts: (string | undefined)[] = [];
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
  /** Case patches of rows < patches.rows whose text is undefined (see compact). */
  private readonly patches = new CasePatches();
  /** Character counts over the first FREQ_SAMPLE records' search text (see anchorOf). */
  private charFreq: Uint32Array | undefined;
  private freqSampled = 0;

  /** Number of rows. */
  get size(): number {
    return this.texts.length;
  }

  /**
   * Appends one row's text; its search text is made when its batch is lowered (see endBatch). Undefined: the
   * text is in the batch's bytes (endBatch's `lazy`) and is cut from them when first needed.
   */
  push(text: string | undefined): void {
    this.texts.push(text);
    this.search.push(undefined);
  }

  /**
   * Closes the batch of rows first … first+count-1 (pushed since the last batch); see LowerBatch for cover. With
   * `lazy`, the texts pushed as undefined are cover[k] … cover[k] + lengths[k] of the bytes once decoded.
   */
  endBatch(first: number, count: number, cover: Float64Array, coverText: string | undefined, lazy?: LowerBatch['lazy']): void {
    this.toLower.push({ first, count, cover, coverText, lazy, done: 0 });
  }

  /** The row's JSON text (rebuilt from its search text and case patch once compacted). */
  text(index: number): string {
    const t = this.texts[index];
    if (t !== undefined) return t;
    // Not made yet (a lazy batch: always at or after the rows lowered so far), or dropped by compact (only ever
    // after its search text was made, so below them).
    if (index >= this.lowered) {
      this.decodeBatch(this.batchOf(index));
      return this.texts[index]!;
    }
    return this.patches.rebuild(index, this.search[index]!);
  }

  /** The batch still to be lowered that holds row `index` (batches are in row order). */
  private batchOf(index: number): LowerBatch {
    let lo = this.toLowerHead;
    let hi = this.toLower.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.toLower[mid]!.first <= index) lo = mid;
      else hi = mid - 1;
    }
    return this.toLower[lo]!;
  }

  /** Makes the texts of a lazy batch: one decode of its bytes, each row's text a slice of that string. */
  private decodeBatch(b: LowerBatch): void {
    const lazy = b.lazy;
    if (!lazy) return;
    const text = decodeUtf8(lazy.bytes);
    const texts = this.texts;
    for (let k = 0; k < b.count; k++) {
      const a = b.cover[k];
      if (a >= 0 && texts[b.first + k] === undefined) texts[b.first + k] = text.slice(a, a + lazy.lengths[k]);
    }
    b.coverText = text;
    b.lazy = undefined;
  }

  /**
   * The search texts; those of rows below `end` are made first. The array is live: index it only below `end`
   * (or below the `end` of a later call).
   */
  searchTexts(end: number): readonly (string | undefined)[] {
    this.lowerUpTo(end);
    return this.search;
  }

  /** Makes the search texts of the rows below `end`, batch by batch, stopping at `deadline`; true when all are made. */
  lowerUpTo(end: number, deadline = Infinity): boolean {
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
    this.decodeBatch(b);
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
   * Drops the original text of the rows below `n` (in order, from the first not done yet) that can be rebuilt
   * from their search text and a case patch (case-patch.ts). Stops at `deadline`; true when all are done.
   */
  compact(n: number, deadline = Infinity): boolean {
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

  /** Rows that compact() has done. */
  get compactedRows(): number {
    return this.patches.rows;
  }

  /**
   * Where in `needle` to anchor the search: indexOf scans for the pattern's first character, so a needle
   * starting with a common letter ("accessdenied") is much slower than one starting with a rare one. Returns
   * the index of a clearly rarer character of the needle (by frequency in a sample of the records), or 0.
   */
  anchorOf(needle: string): number {
    if (needle.length < 2) return 0;
    const n = this.size;
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
}
