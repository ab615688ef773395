/**
 * Field paths of a record (`requestParameters.bucketName`, `resources[].ARN`): reading what the Fields panel
 * counts and what a field-path filter chip keeps, so both agree on every record.
 */
import type { JsonObject, JsonValue } from './types';
import { isLosslessNumber } from '../json/lossless';

/**
 * Splits `a.b.c` (also `a.b[].c`, `a["x.y"]`, the notation of the field docs) into keys. Returns undefined for
 * a path it cannot read.
 */
export function parsePath(path: string): string[] | undefined {
  const keys: string[] = [];
  let i = 0;
  const p = path.trim();
  while (i < p.length) {
    if (p[i] === '.') {
      i++;
      continue;
    }
    if (p.startsWith('[]', i)) {
      i += 2;
      continue;
    }
    if (p[i] === '[' && p[i + 1] === '"') {
      const end = p.indexOf('"]', i + 2);
      if (end < 0) return undefined;
      keys.push(p.slice(i + 2, end));
      i = end + 2;
      continue;
    }
    let j = i;
    while (j < p.length && p[j] !== '.' && p[j] !== '[') j++;
    if (j === i) return undefined;
    keys.push(p.slice(i, j));
    i = j;
  }
  return keys.length ? keys : undefined;
}

/**
 * The values at `keys` in `event`, as display strings: arrays along the way are walked element by element
 * (so `resources.ARN` gives every resource's ARN), key case is matched exactly first, then ignoring case (for
 * lower-case-key exports). Objects at the end are written as compact JSON.
 */
export function valuesAtPath(event: JsonObject, keys: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (v: JsonValue | undefined, k: number) => {
    if (v === undefined) return;
    if (Array.isArray(v)) {
      for (const e of v) walk(e, k);
      return;
    }
    if (k === keys.length) {
      const s = scalar(v);
      if (s !== '') out.push(s);
      return;
    }
    if (v === null || typeof v !== 'object' || isLosslessNumber(v)) return;
    walk(member(v as JsonObject, keys[k]), k + 1);
  };
  walk(event, 0);
  return out;
}

function member(o: JsonObject, key: string): JsonValue | undefined {
  if (Object.prototype.hasOwnProperty.call(o, key)) return o[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(o)) if (k.toLowerCase() === lower) return o[k];
  return undefined;
}

function scalar(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isLosslessNumber(v)) return String(v);
  const s = JSON.stringify(v, (_k, x: unknown) => (isLosslessNumber(x) ? String(x) : x));
  return s.length > 4096 ? s.slice(0, 4096) + '…' : s;
}
