/**
 * A cheap check, before handing a user's document to a recursive parser (jsonc-parser's `parseTree` overflows
 * the call stack near 10,000 levels): where, if anywhere, the text nests objects and arrays deeper than a limit.
 * Strings are skipped (a bracket inside a string does not count); comments are not understood, which only makes
 * the answer more cautious. Linear time, no allocation.
 */
export function nestingTooDeepAt(text: string, max: number): number {
  let depth = 0;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string; a quote preceded by an odd run of backslashes does not end it.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) return -1;
        let k = q - 1;
        while (text.charCodeAt(k) === 92) k--;
        j = q + 1;
        if ((q - 1 - k) % 2 === 0) break;
      }
      i = j;
      continue;
    }
    if (c === 123 || c === 91) {
      if (++depth > max) return i;
    } else if ((c === 125 || c === 93) && depth > 0) depth--;
    i++;
  }
  return -1;
}

/** Nesting a syntax tree of a user's document may have; deeper documents are read without a tree. */
export const TREE_MAX_NESTING = 512;
