/**
 * Record texts kept as their lower case plus a small patch.
 *
 * A RecordTable needs each record's lower-cased text for the quick filter and its original text for the
 * detail pane. Keeping both doubles the biggest part of its memory. A record that is plain ASCII (nearly every
 * CloudTrail record) differs from its lower case only at its capital letters. So the original can be rebuilt
 * from the lower case and the places to upper-case: about 60 short runs in a 1.2 kB record, 4 bytes each.
 *
 * A run is a span that starts and ends with a capital letter and holds no small letter and no non-ASCII
 * character in between. Upper-casing such a span of the lower-case text gives back the original exactly,
 * because ASCII characters other than letters are their own upper case. A record with any non-ASCII character
 * keeps its original text: outside ASCII, lower case can change length or lose information (the Kelvin sign
 * becomes a plain "k").
 *
 * Runs are stored one per 32-bit word: the run's length in the low LEN_BITS bits, the number of characters since
 * the previous run in the others. Longer gaps and runs are split into several words.
 */

import { grow } from './grow';

const LEN_BITS = 11;
const MAX_LEN = (1 << LEN_BITS) - 1;
const MAX_GAP = 2 ** (32 - LEN_BITS) - 1;

/** Whether `text` holds a character outside ASCII. */
const NON_ASCII = /[^\x00-\x7f]/;

export class CasePatches {
  private words: Uint32Array<ArrayBuffer> = new Uint32Array(4096);
  private used = 0;
  /** Row k's runs are words[at[k] … at[k+1]). */
  private at: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  private count = 0;

  /** Rows patched so far (rows are added in order, from 0). */
  get rows(): number {
    return this.count;
  }

  /**
   * Adds the next row: true when `text` can be rebuilt from `lower` (its lower case) and the runs recorded
   * now; false when the caller must keep `text` (non-ASCII, or `lower` is not its lower case of the same length).
   */
  add(text: string, lower: string): boolean {
    const row = this.count;
    if (this.at.length < row + 2) this.at = grow(this.at, row + 2);
    this.at[row] = this.used;
    this.count = row + 1;
    const ok = text.length === lower.length && !NON_ASCII.test(text);
    if (ok) this.addRuns(text);
    this.at[row + 1] = this.used;
    return ok;
  }

  /** The original text of `row` (which add() accepted), rebuilt from its lower case. */
  rebuild(row: number, lower: string): string {
    const from = this.at[row];
    const to = this.at[row + 1];
    if (from === to) return lower;
    const parts: string[] = [];
    let pos = 0;
    for (let k = from; k < to; k++) {
      const w = this.words[k];
      const gap = w >>> LEN_BITS;
      const len = w & MAX_LEN;
      if (gap > 0) parts.push(lower.slice(pos, pos + gap));
      pos += gap;
      if (len > 0) parts.push(lower.slice(pos, pos + len).toUpperCase());
      pos += len;
    }
    parts.push(lower.slice(pos));
    return parts.join('');
  }

  /** Records the runs of the ASCII `text`. */
  private addRuns(text: string): void {
    let last = 0; // end of the previous run
    let start = -1; // start of the open run
    let end = -1; // end of the open run's last capital
    const n = text.length;
    for (let k = 0; k < n; k++) {
      const c = text.charCodeAt(k);
      if (c >= 65 && c <= 90) {
        if (start < 0) start = k;
        end = k + 1;
      } else if (start >= 0 && c >= 97 && c <= 122) {
        this.push(start - last, end - start);
        last = end;
        start = -1;
      }
    }
    if (start >= 0) this.push(start - last, end - start);
  }

  private push(gap: number, len: number): void {
    while (gap > MAX_GAP) {
      this.word(MAX_GAP, 0);
      gap -= MAX_GAP;
    }
    while (len > MAX_LEN) {
      this.word(gap, MAX_LEN);
      gap = 0;
      len -= MAX_LEN;
    }
    this.word(gap, len);
  }

  private word(gap: number, len: number): void {
    if (this.used === this.words.length) this.words = grow(this.words, this.used + 1);
    this.words[this.used++] = ((gap << LEN_BITS) | len) >>> 0;
  }
}
