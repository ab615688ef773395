type Growable = Uint8Array<ArrayBuffer> | Uint32Array<ArrayBuffer> | Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer>;

/** Returns `a`, or a copy of it with room for at least `need` elements (doubling, so appends stay amortised O(1)). */
export function grow<T extends Growable>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (length: number) => T)(Math.max(need, a.length * 2, 1024));
  b.set(a as never);
  return b;
}
