/**
 * Column dictionaries: the interned display strings of one column, addressed by a dense code, with their sort
 * ranks. Row storage (table.ts) keeps one code per row and column; views (view.ts) sort and filter on codes.
 */
import { MAX_CELL_LENGTH, displayCell } from './columns';

/**
 * Interned strings of one column, addressed by a dense code. In `unique` mode (columns whose values are
 * nearly all different: time, event ID) every row gets its own code and no hash map is kept — hashing
 * 80k one-off strings cost more than everything else in add().
 */
export class Dictionary {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Sort rank per code (equal values share a rank); rebuilt lazily when values were added. */
  private ranks: Uint32Array | undefined;

  /** Raw value → code, so the display clean-up runs once per distinct value, not once per row. */
  private readonly rawIds = new Map<string, number>();
  private lastRaw: string | undefined;
  private lastCode = 0;

  /**
   * @param unique one value per row (times, event IDs): no lookup.
   * @param detaches copy values cut from a bigger text before keeping them (see detach); false for a dictionary
   *   that is posted or adopted right away (RowsBuilder), where the copy would be wasted.
   */
  constructor(
    readonly unique = false,
    private readonly detaches = true,
  ) {}

  /** Code of a raw (not yet display-safe) value. */
  codeOfRaw(raw: string): number {
    if (this.unique) {
      const v = displayCell(raw);
      this.values.push(this.detaches ? detach(v) : v);
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
    if (raw.length <= MAX_CELL_LENGTH) this.rawIds.set(this.detaches ? detach(raw) : raw, c);
    return c;
  }

  code(s: string): number {
    if (this.unique) {
      this.values.push(this.detaches ? detach(s) : s);
      return this.values.length - 1;
    }
    let c = this.ids.get(s);
    if (c === undefined) {
      c = this.values.length;
      const kept = this.detaches ? detach(s) : s;
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

export function compareValues(a: string, la: string, b: string, lb: string): number {
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
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

