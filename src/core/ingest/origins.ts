/**
 * Where each row of a combined table came from: a source file (Open All Events, query results), or a Region and
 * account (LookupEvents). Stored as runs of consecutive rows, so a day of 288 files costs 288 entries, not one per
 * record. Pure (no `vscode`).
 */

export interface Origin {
  /** What the detail header and the Source column show: a file's name, or `us-east-1 · 123456789012`. */
  label: string;
  /** The source file (a URI string or path, opaque here), when the records were read from one. */
  file?: string;
  /** Longer description (e.g. the file's path relative to its log folder); defaults to `label`. */
  description?: string;
}

/** A row's origin and its position among the records taken from that origin (0-based). */
export interface RowOrigin {
  origin: Origin;
  /** Position of the record in its source (for a file: its record index there, when the whole file was read). */
  indexInSource: number;
}

interface Run {
  first: number;
  count: number;
  origin: Origin;
  /** Index in the source of the run's first row. */
  sourceIndex: number;
}

export class Origins {
  private readonly runs: Run[] = [];

  /** Rows first … first + count - 1 came from `origin` (records `sourceIndex` … of it). Rows must come in order. */
  add(first: number, count: number, origin: Origin, sourceIndex = 0): void {
    if (count <= 0) return;
    const last = this.runs[this.runs.length - 1];
    if (last && last.origin === origin && last.first + last.count === first && last.sourceIndex + last.count === sourceIndex) {
      last.count += count;
      return;
    }
    if (last && first < last.first + last.count) throw new Error('Origins.add: rows must be added in order');
    this.runs.push({ first, count, origin, sourceIndex });
  }

  /** Where row `row` came from, or undefined when nothing was recorded for it. */
  at(row: number): RowOrigin | undefined {
    let lo = 0;
    let hi = this.runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = this.runs[mid];
      if (row < r.first) hi = mid - 1;
      else if (row >= r.first + r.count) lo = mid + 1;
      else return { origin: r.origin, indexInSource: r.sourceIndex + (row - r.first) };
    }
    return undefined;
  }

  /** The distinct origins, in row order. */
  list(): Origin[] {
    const seen = new Set<Origin>();
    for (const r of this.runs) seen.add(r.origin);
    return [...seen];
  }

  /** True when any row has an origin. */
  get any(): boolean {
    return this.runs.length > 0;
  }
}
