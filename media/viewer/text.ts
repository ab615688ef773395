/**
 * Pure text helpers for the viewer webview (no DOM): making hidden characters visible, cutting long cell text,
 * and splitting JSON text into coloured tokens. Unit-tested in test/unit/viewer.
 */

import { HIDDEN, decodeStandIns, markerToken } from '../../src/protocol/markers';

export { decodeStandIns, isBidiControl } from '../../src/protocol/markers';

/**
 * Characters shown as markers instead of being obeyed: bidirectional controls, DEL and C1 controls (see
 * src/viewer/markers.ts). Event data is attacker-controlled; a right-to-left override would reorder what the user
 * reads (e.g. make `exe.txt` look like `txt.exe`).
 */
const BIDI = HIDDEN;

export interface TextPiece {
  text: string;
  /** A replaced control character, to be styled as a marker. */
  marker?: boolean;
}

/** `⟪U+202E⟫` for U+202E. */
export function bidiToken(ch: string): string {
  return markerToken(ch);
}

export function hasBidi(s: string): boolean {
  BIDI.lastIndex = 0;
  return BIDI.test(s);
}

/** Splits a string into plain pieces and marker pieces (one per hidden character). */
export function markBidi(s: string): TextPiece[] {
  const out: TextPiece[] = [];
  let last = 0;
  BIDI.lastIndex = 0;
  for (let m = BIDI.exec(s); m; m = BIDI.exec(s)) {
    if (m.index > last) out.push({ text: s.slice(last, m.index) });
    out.push({ text: bidiToken(m[0]), marker: true });
    last = m.index + m[0].length;
  }
  if (last < s.length || out.length === 0) out.push({ text: s.slice(last) });
  return out;
}

/** The same as {@link markBidi}, flattened to one string (for titles and plain text). */
export function visibleText(s: string): string {
  BIDI.lastIndex = 0;
  return s.replace(BIDI, bidiToken);
}

/**
 * Pieces of a table cell as the host sends it (the table core's sanitised text): the core's `<U+202E>` stand-ins
 * become the same styled markers the detail pane shows for the real characters.
 */
export function markCell(s: string): TextPiece[] {
  return markBidi(decodeStandIns(s));
}

/** Cuts `s` to at most `max` characters, not splitting a surrogate pair, and says whether it did. */
export function truncate(s: string, max: number): { text: string; cut: boolean } {
  if (s.length <= max) return { text: s, cut: false };
  let end = Math.max(0, max - 1);
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // do not leave half a surrogate pair
  return { text: s.slice(0, end) + '…', cut: true };
}

/** Line breaks and tabs inside one cell would break the row layout; show them as visible escapes. */
export function singleLine(s: string): string {
  return s.replace(/\r\n|[\r\n\t]/g, (c) => (c === '\t' ? '\\t' : c === '\r' ? '\\r' : '\\n'));
}

export type TokenKind = 'key' | 'string' | 'arn' | 'number' | 'literal' | 'punct' | 'space';
export interface Token {
  kind: TokenKind;
  text: string;
}

const ARN = /^"arn:aws[a-z-]*:/;

/**
 * Splits JSON text into tokens for syntax colouring. It never fails: anything it does not recognise becomes
 * punctuation, so hostile or broken text still renders (as text) in full.
 */
export function tokenizeJson(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      j = Math.min(j + 1, n);
      const str = text.slice(i, j);
      // A string followed by a colon is a key.
      let k = j;
      while (k < n && (text[k] === ' ' || text[k] === '\t')) k++;
      const kind: TokenKind = text[k] === ':' ? 'key' : ARN.test(str) ? 'arn' : 'string';
      out.push({ kind, text: str });
      i = j;
    } else if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      let j = i + 1;
      while (j < n && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++;
      out.push({ kind: 'space', text: text.slice(i, j) });
      i = j;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < n && /[0-9eE+\-.]/.test(text[j])) j++;
      out.push({ kind: 'number', text: text.slice(i, j) });
      i = j;
    } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
      out.push({ kind: 'literal', text: text.slice(i, i + 4) });
      i += 4;
    } else if (text.startsWith('false', i)) {
      out.push({ kind: 'literal', text: 'false' });
      i += 5;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/** True for values worth the ARN colour in the tree view. */
export function isArn(s: string): boolean {
  return s.startsWith('arn:aws');
}

/** Thousands separators without depending on the webview's locale data. */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "N of M" as the viewer's status shows it. */
export function countText(matched: number, total: number, loading: boolean): string {
  const base = matched === total ? `${formatCount(total)} records` : `${formatCount(matched)} of ${formatCount(total)}`;
  return loading ? `${base} (indexing…)` : base;
}
