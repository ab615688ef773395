/**
 * The search index of a table's rows, in two parts that only make the quick filter faster (results never depend
 * on it): each row's character-pair signature (pairs.ts, WORDS words per row), which rules rows out and answers
 * one- and two-character needles without reading text; and the token index (tokens.ts), which answers needles
 * that can only occur inside one JSON token. Built in row order over the rows' search texts, or taken from
 * signatures and tokens computed elsewhere (a worker).
 */
import { WORDS, addSignature, passes, type NeedleTest } from './pairs';
import { TokenIndex, type TokenExport } from './tokens';

type U32 = Uint32Array<ArrayBuffer>;

export interface SearchIndexStats {
  signed: number;
  tokenRows: number;
  closed: boolean;
  tokens: number;
  fieldNames: number;
  shapes: number;
  bytes: number;
}

export class SearchIndex {
  /** Signature words of each row, valid where hasPairs[row] is 1. */
  private pairs: U32 = new Uint32Array(0);
  private hasPairs = new Uint8Array(0);
  /** Rows below this one all have a signature. */
  private pairsDone = 0;
  /** Each row's tokens, for rows in order. */
  readonly tokens = new TokenIndex();

  /** Signature words (WORDS per row) and which rows have one: read by the quick filter's hot loop. */
  get words(): Uint32Array {
    return this.pairs;
  }
  get signed(): Uint8Array {
    return this.hasPairs;
  }
  /** Rows below this one all have a signature. */
  get signedRows(): number {
    return this.pairsDone;
  }

  /**
   * Indexes rows up to `n` of `size` rows from their search texts (all made below n), stopping at `deadline`;
   * true when all those rows have both parts.
   */
  build(search: readonly (string | undefined)[], n: number, size: number, deadline = Infinity): boolean {
    // Room for every row at once, not just those below n: the worker's signatures come next, and replacing a
    // big buffer by a bigger one leaves the C allocator holding memory.
    this.reserve(size);
    const words = this.pairs;
    const has = this.hasPairs;
    let i = this.pairsDone;
    for (; i < n; i++) {
      if (!has[i]) {
        const t = search[i]!;
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
    for (let r = tokens.rows; r < n && tokens.add(search[r]!); r++) {
      if ((r & 63) === 63 && performance.now() >= deadline) {
        tokens.seal();
        return r + 1 >= n;
      }
    }
    tokens.seal();
    if (n === size) tokens.trim();
    return true;
  }

  /** Whether every one of `size` rows has its signature and its tokens. */
  complete(size: number): boolean {
    return this.pairsDone >= size && (this.tokens.rows >= size || this.tokens.closed);
  }

  stats(): SearchIndexStats {
    const t = this.tokens.stats();
    return { signed: this.pairsDone, tokenRows: this.tokens.rows, closed: this.tokens.closed, tokens: t.values, fieldNames: t.keys, shapes: t.shapes, bytes: t.bytes + this.hasPairs.length * (WORDS * 4 + 1) };
  }

  /** A copy of the row's signature, or undefined while it has none. */
  signature(index: number): Uint32Array | undefined {
    return index < this.hasPairs.length && this.hasPairs[index] ? this.pairs.slice(index * WORDS, (index + 1) * WORDS) : undefined;
  }

  /** Signatures (and optionally tokens) of rows first … first+count-1 of `size` rows, computed elsewhere. */
  set(first: number, words: Uint32Array, size: number, tokens?: TokenExport): void {
    const count = Math.floor(words.length / WORDS);
    if (!Number.isInteger(first) || first < 0 || first + count > size) throw new RangeError('setSearchIndex: rows out of range');
    this.reserve(first + count);
    this.pairs.set(words.subarray(0, count * WORDS), first * WORDS);
    this.hasPairs.fill(1, first, first + count);
    while (this.pairsDone < size && this.hasPairs[this.pairsDone]) this.pairsDone++;
    if (tokens && tokens.rows === count && this.tokens.rows === first) this.tokens.append(tokens);
  }

  /** Share of the first rows (of `size`) with a signature that pass `test` (1 when none has one). */
  passRate(test: NeedleTest, size: number): number {
    const has = this.hasPairs;
    const m = Math.min(size, has.length, 512);
    let seen = 0;
    let pass = 0;
    for (let i = 0; i < m; i++) {
      if (!has[i]) continue;
      seen++;
      if (passes(test, this.pairs, i * WORDS)) pass++;
    }
    return seen ? pass / seen : 1;
  }

  private reserve(rows: number): void {
    if (this.hasPairs.length >= rows) return;
    const cap = Math.max(rows, 1024);
    const words = new Uint32Array(cap * WORDS);
    words.set(this.pairs);
    this.pairs = words;
    const has = new Uint8Array(cap);
    has.set(this.hasPairs);
    this.hasPairs = has;
  }
}
