/**
 * Character-pair signatures: for each record, which pairs of neighbouring characters its text contains, with
 * characters folded into 45 classes (letters without case, digits, seven common punctuation marks, the space, and
 * one class for everything else). A needle can only occur in a record whose signature holds every pair of the
 * needle, so the quick filter tests these bits first and searches the text of the records that pass; for a needle
 * of one or two characters that all have a class of their own, the bits are the answer.
 *
 * 45 × 45 pairs = 2025 bits, kept in WORDS 32-bit words (256 bytes) per record.
 */

const CLASSES = 45;
const OTHER = CLASSES - 1;
/** Uint32 words per record. */
export const WORDS = 64;

/** Class of each UTF-16 code unit: ASCII letters, digits and the punctuation above have their own, the rest OTHER. */
const CLASS = (() => {
  const c = new Uint8Array(65536).fill(OTHER);
  for (let k = 0; k < 26; k++) {
    c[97 + k] = k;
    c[65 + k] = k;
  }
  for (let k = 0; k < 10; k++) c[48 + k] = 26 + k;
  const punct = '":,.-/_ ';
  for (let k = 0; k < punct.length; k++) c[punct.charCodeAt(k)] = 36 + k;
  return c;
})();

/** One signature being built: a small local array is cheaper to update than a slot of the big one. */
const scratch = new Int32Array(WORDS);

/**
 * ORs the signature of text[from, to) into words[at … at+WORDS-1]. The last character is paired with OTHER, so
 * every character of the text is the first of some pair (which is what one-character needles test).
 */
export function addSignature(text: string, from: number, to: number, words: Uint32Array, at: number): void {
  if (to <= from) return;
  const w = scratch;
  w.fill(0);
  let prev = CLASS[text.charCodeAt(from)] * CLASSES;
  for (let k = from + 1; k < to; k++) {
    const cl = CLASS[text.charCodeAt(k)];
    const bit = prev + cl;
    w[bit >>> 5] |= 1 << (bit & 31);
    prev = cl * CLASSES;
  }
  const bit = prev + OTHER;
  w[bit >>> 5] |= 1 << (bit & 31);
  for (let j = 0; j < WORDS; j++) words[at + j] |= w[j];
}

/**
 * What a record's signature must hold for `needle` to occur in its text: every group of (word, mask) needs
 * one word with a common bit. `exact` when holding it also proves the needle occurs (case-insensitively).
 */
export interface NeedleTest {
  groups: { word: number; mask: number }[][];
  exact: boolean;
}

export function needleTest(needle: string): NeedleTest | undefined {
  if (needle.length === 0) return undefined;
  const cls = Array.from(needle, (ch) => CLASS[ch.charCodeAt(0)]);
  // Array.from splits by code point; a pair of surrogates is one non-ASCII character either way (OTHER).
  const exact = needle.length <= 2 && cls.length === needle.length && cls.every((c) => c !== OTHER);
  const groups: { word: number; mask: number }[][] = [];
  if (cls.length === 1) {
    // Any pair that starts with this class: bits c*CLASSES … c*CLASSES+CLASSES-1.
    const byWord = new Map<number, number>();
    for (let x = 0; x < CLASSES; x++) {
      const bit = cls[0] * CLASSES + x;
      byWord.set(bit >>> 5, (byWord.get(bit >>> 5) ?? 0) | (1 << (bit & 31)));
    }
    groups.push([...byWord].map(([word, mask]) => ({ word, mask })));
    return { groups, exact };
  }
  // Every pair of the needle: merged per word (all bits of a word required → one group per bit).
  const seen = new Set<number>();
  for (let k = 1; k < cls.length; k++) {
    const bit = cls[k - 1] * CLASSES + cls[k];
    if (seen.has(bit)) continue;
    seen.add(bit);
    groups.push([{ word: bit >>> 5, mask: 1 << (bit & 31) }]);
  }
  return { groups, exact };
}

/** Whether the signature at words[at…] passes `t`. */
export function passes(t: NeedleTest, words: Uint32Array, at: number): boolean {
  const g = t.groups;
  for (let k = 0; k < g.length; k++) {
    const alts = g[k];
    let ok = false;
    for (let j = 0; j < alts.length; j++) {
      if ((words[at + alts[j].word] & alts[j].mask) !== 0) {
        ok = true;
        break;
      }
    }
    if (!ok) return false;
  }
  return true;
}

/**
 * Signatures of many texts at once, WORDS words each, in a fresh array (e.g. to send from a worker):
 * text(k) is the k-th text.
 */
export function signaturesOf(count: number, text: (k: number) => string): Uint32Array {
  const words = new Uint32Array(count * WORDS);
  for (let k = 0; k < count; k++) {
    const t = text(k);
    addSignature(t, 0, t.length, words, k * WORDS);
  }
  return words;
}
