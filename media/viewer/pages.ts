/**
 * Page cache for the virtual table: the webview never holds all rows, only recently used pages of the current
 * generation (see src/protocol/protocol.ts). Pure logic, unit-tested in test/unit/viewer.
 */

/** A small least-recently-used map (Map iteration order is insertion order; re-inserting marks use). */
export class Lru<K, V> {
  private readonly map = new Map<K, V>();
  constructor(readonly capacity: number) {
    if (capacity < 1) throw new RangeError('capacity must be at least 1');
  }
  get size(): number {
    return this.map.size;
  }
  get(key: K): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  /** The value without marking it used. */
  peek(key: K): V | undefined {
    return this.map.get(key);
  }
  has(key: K): boolean {
    return this.map.has(key);
  }
  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as K;
      this.map.delete(oldest);
    }
  }
  clear(): void {
    this.map.clear();
  }
  keys(): K[] {
    return [...this.map.keys()];
  }
}

/** Pages of rows for one generation; changing generation drops everything (rows moved or changed). */
export class PageCache<R> {
  private generation = -1;
  private readonly pages: Lru<number, R[]>;
  /** Pages requested and not answered yet, with the id of the request. */
  private readonly pending = new Map<number, number>();

  constructor(readonly pageSize: number, capacity: number) {
    this.pages = new Lru(capacity);
  }

  get currentGeneration(): number {
    return this.generation;
  }

  /** Switches to a new generation, dropping cached and pending pages. Returns true if it changed. */
  reset(generation: number): boolean {
    if (generation === this.generation) return false;
    this.generation = generation;
    this.pages.clear();
    this.pending.clear();
    return true;
  }

  pageOf(pos: number): number {
    return Math.floor(pos / this.pageSize);
  }

  /** The row at a view position, if its page is cached. */
  row(pos: number): R | undefined {
    const page = this.pages.get(this.pageOf(pos));
    return page?.[pos % this.pageSize];
  }

  /**
   * Pages needed to show positions [first, last] (inclusive) that are neither cached nor requested,
   * within `total` rows. Marks nothing: call {@link markPending} for the ones actually requested.
   */
  missing(first: number, last: number, total: number): number[] {
    const out: number[] = [];
    if (total <= 0) return out;
    const a = this.pageOf(Math.max(0, first));
    const b = this.pageOf(Math.min(total - 1, Math.max(first, last)));
    for (let p = a; p <= b; p++) if (!this.pages.has(p) && !this.pending.has(p)) out.push(p);
    return out;
  }

  markPending(page: number, requestId: number): void {
    this.pending.set(page, requestId);
  }

  /** Stores a page answer; ignored (returns false) when it belongs to another generation or was superseded. */
  accept(generation: number, start: number, rows: R[], requestId?: number): boolean {
    if (generation !== this.generation) return false;
    const page = this.pageOf(start);
    if (requestId !== undefined && this.pending.has(page) && this.pending.get(page) !== requestId) return false;
    this.pending.delete(page);
    this.pages.set(page, rows);
    return true;
  }

  /** Every cached row (for fitting a column to its content). */
  loadedRows(): R[] {
    const out: R[] = [];
    for (const k of this.pages.keys()) {
      const page = this.pages.peek(k);
      if (page) out.push(...page);
    }
    return out;
  }

  get cachedPages(): number {
    return this.pages.size;
  }
}

/** Calls `fn` once, `ms` after the last of a burst of calls (filter typing). */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number): ((...args: A) => void) & { flush(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastArgs: A | undefined;
  const wrapped = (...args: A) => {
    lastArgs = args;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      fn(...(lastArgs as A));
    }, ms);
  };
  wrapped.flush = () => {
    if (timer === undefined) return;
    clearTimeout(timer);
    timer = undefined;
    fn(...(lastArgs as A));
  };
  return wrapped;
}
