/**
 * Invisible characters that can change what a reader sees — bidirectional controls (which reorder text, e.g.
 * make `exe.txt` read as `txt.exe`), DEL and the C1 controls — and the two ways they are written down:
 * - the webview shows each one as a styled marker `⟪U+202E⟫` and never lets the browser apply it;
 * - the table core replaces them in cell text with a plain stand-in `<U+202E>` (src/core/table displayCell).
 * The webview turns the core's stand-ins back into markers so table cells and the detail pane look the same, and
 * the host accepts both notations in the quick filter, so text copied from the view finds its record again.
 * Pure: used by the webview bundle and by the host.
 */

/** The characters shown as markers (C0 controls are not here: the core shows them as control pictures ␀…␟). */
const HIDDEN_CLASS = '[\\u007F-\\u009F\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069]';

/** Global regex of the hidden characters (callers reset lastIndex or use replace). */
export const HIDDEN = new RegExp(HIDDEN_CLASS, 'g');
const ONE_HIDDEN = new RegExp(`^${HIDDEN_CLASS}$`);
/** `<U+202E>`, the table core's stand-in. */
const STAND_IN = /<U\+([0-9A-Fa-f]{4})>/g;
/** `⟪U+202E⟫` (the webview's marker) or `<U+202E>` (the core's stand-in). */
const EITHER = /(?:⟪U\+([0-9A-Fa-f]{4})⟫|<U\+([0-9A-Fa-f]{4})>)/g;

export function isHidden(ch: string): boolean {
  return ONE_HIDDEN.test(ch);
}

/** `⟪U+202E⟫` for U+202E. */
export function markerToken(ch: string): string {
  return `⟪U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟫`;
}

/** True for the bidirectional controls (as opposed to DEL/C1), for the marker's tooltip. */
export function isBidiControl(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

function decodeHex(whole: string, hex: string): string {
  const ch = String.fromCharCode(parseInt(hex, 16));
  return isHidden(ch) ? ch : whole;
}

/**
 * The core's cell text with its stand-ins turned back into the characters they stand for (only for the
 * characters the core replaces; any other `<U+…>` is left as it is). The result must only be shown through the
 * marker rendering, which never lets those characters reach the page unmarked.
 */
export function decodeStandIns(s: string): string {
  if (s.indexOf('<U+') < 0) return s;
  return s.replace(STAND_IN, decodeHex);
}

/** Filter text with either notation (`⟪U+202E⟫`, `<U+202E>`) of a hidden character turned into the character. */
export function decodeMarkers(s: string): string {
  if (s.indexOf('U+') < 0) return s;
  return s.replace(EITHER, (whole: string, a: string | undefined, b: string | undefined) => decodeHex(whole, a ?? b ?? ''));
}
