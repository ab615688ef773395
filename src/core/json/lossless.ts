/**
 * Lossless JSON: a parser that keeps numbers whose text a JS double cannot reproduce (integers above 2^53,
 * over-long decimals) as {@link LosslessNumber}, and a serialiser that writes them back byte for byte.
 *
 * The parser is iterative (explicit stack), so hostile nesting depth cannot overflow the call stack, and it
 * stores every key with `Object.defineProperty`, so `__proto__` and friends stay plain own data.
 */
import { JsonObject, JsonValue, LosslessNumber } from '../records/types';

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the parsed text where the problem is. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** Defines an own, enumerable data property: safe for untrusted keys such as `__proto__`. */
export function setOwn(obj: object, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Decides how a number token is represented. A token is kept as text (a {@link LosslessNumber}) when a double
 * would change it: many digits printed differently, overflow to Infinity (`1e400`), underflow to 0 (`1e-400`) or
 * a negative zero (`-0`). Everything ordinary stays a plain number.
 */
export function numberFromText(text: string): number | LosslessNumber {
  const n = Number(text);
  // Overflow (1e400 → Infinity), underflow (1e-400 → 0) and -0 would be written back differently: keep the text.
  if (!Number.isFinite(n)) return new LosslessNumber(text);
  if (n === 0) {
    if (text.charCodeAt(0) === 45) return new LosslessNumber(text);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 101 || c === 69) break;
      if (c >= 49 && c <= 57) return new LosslessNumber(text);
    }
    return n;
  }
  if (text.length <= 15) return n;
  let digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
  }
  if (digits <= 15) return n;
  return String(n) === text ? n : new LosslessNumber(text);
}

/** True only for real {@link LosslessNumber} instances; an object that merely looks like one is data. */
export function isLosslessNumber(v: unknown): v is LosslessNumber {
  return LosslessNumber.is(v);
}

const WS = (c: number) => c === 32 || c === 10 || c === 13 || c === 9;

interface Frame {
  /** The container being filled. */
  value: JsonValue[] | JsonObject;
  isArray: boolean;
  /** Pending key for objects. */
  key: string;
}

/**
 * Parses `text.slice(start, end)` as one JSON value. Throws {@link JsonSyntaxError} with the absolute offset of
 * the first problem. Trailing whitespace is allowed, anything else after the value is an error.
 */
export function parseLossless(text: string, start = 0, end = text.length): JsonValue {
  let i = start;
  const stack: Frame[] = [];
  let result: JsonValue | undefined;
  let haveResult = false;

  const fail = (msg: string, at = i): never => {
    throw new JsonSyntaxError(at >= end ? 'Unexpected end of JSON input' : msg, Math.min(at, end));
  };
  const skipWs = () => {
    while (i < end && WS(text.charCodeAt(i))) i++;
  };
  const readString = (): string => {
    // i is at the opening quote.
    const open = i;
    let j = i + 1;
    let simple: boolean;
    for (;;) {
      const q = text.indexOf('"', j);
      if (q < 0 || q >= end) fail('Unterminated string', end);
      let bs = 0;
      for (let k = q - 1; k > open && text.charCodeAt(k) === 92; k--) bs++;
      if (bs % 2 === 0) {
        j = q;
        break;
      }
      j = q + 1;
    }
    const raw = text.slice(open, j + 1);
    i = j + 1;
    simple = raw.indexOf('\\') < 0;
    if (simple) {
      // Control characters are invalid inside JSON strings; JSON.parse checks them for us below when needed.
      for (let k = open + 1; k < j; k++) if (text.charCodeAt(k) < 32) fail('Bad control character in string', k);
      return raw.slice(1, -1);
    }
    try {
      return JSON.parse(raw) as string;
    } catch {
      return fail('Bad escape in string', open);
    }
  };
  const readNumber = (): number | LosslessNumber => {
    const s = i;
    if (text.charCodeAt(i) === 45) i++;
    const digitsFrom = i;
    while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === digitsFrom) fail('No number after minus sign');
    if (text.charCodeAt(digitsFrom) === 48 && i - digitsFrom > 1) fail('Leading zero in number', digitsFrom);
    if (i < end && text.charCodeAt(i) === 46) {
      i++;
      const f = i;
      while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      if (i === f) fail('Unterminated fractional number');
    }
    if (i < end && (text.charCodeAt(i) === 101 || text.charCodeAt(i) === 69)) {
      i++;
      if (i < end && (text.charCodeAt(i) === 43 || text.charCodeAt(i) === 45)) i++;
      const e = i;
      while (i < end && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      if (i === e) fail('Exponent part is missing a number');
    }
    return numberFromText(text.slice(s, i));
  };
  const put = (v: JsonValue) => {
    const top = stack[stack.length - 1];
    if (!top) {
      result = v;
      haveResult = true;
    } else if (top.isArray) (top.value as JsonValue[]).push(v);
    else setOwn(top.value, top.key, v);
  };

  // States: expecting a value, or after a value inside a container.
  let expectValue = true;
  for (;;) {
    skipWs();
    if (expectValue) {
      if (i >= end) fail('Unexpected end of JSON input');
      const c = text.charCodeAt(i);
      if (c === 123 /* { */) {
        i++;
        const obj = {} as JsonObject;
        const frame: Frame = { value: obj, isArray: false, key: '' };
        skipWs();
        if (text.charCodeAt(i) === 125) {
          i++;
          put(obj);
          expectValue = false;
        } else {
          if (text.charCodeAt(i) !== 34) fail('Expected a property name');
          frame.key = readString();
          skipWs();
          if (text.charCodeAt(i) !== 58) fail("Expected ':' after property name");
          i++;
          // Attach now so the container is reachable from its parent even while filling it.
          put(obj);
          stack.push(frame);
          continue;
        }
      } else if (c === 91 /* [ */) {
        i++;
        const arr: JsonValue[] = [];
        skipWs();
        put(arr);
        if (text.charCodeAt(i) === 93) {
          i++;
          expectValue = false;
        } else {
          stack.push({ value: arr, isArray: true, key: '' });
          continue;
        }
      } else if (c === 34) {
        put(readString());
        expectValue = false;
      } else if (c === 45 || (c >= 48 && c <= 57)) {
        put(readNumber());
        expectValue = false;
      } else if (text.startsWith('true', i)) {
        i += 4;
        put(true);
        expectValue = false;
      } else if (text.startsWith('false', i)) {
        i += 5;
        put(false);
        expectValue = false;
      } else if (text.startsWith('null', i)) {
        i += 4;
        put(null);
        expectValue = false;
      } else {
        fail(`Unexpected character ${JSON.stringify(text[i])}`);
      }
      if (i > end) fail('Unexpected end of JSON input', end);
    } else {
      const top = stack[stack.length - 1];
      if (!top) {
        if (i < end) fail('Unexpected text after the JSON value');
        break;
      }
      if (i >= end) fail('Unexpected end of JSON input');
      const c = text.charCodeAt(i);
      if (c === 44 /* , */) {
        i++;
        if (!top.isArray) {
          skipWs();
          if (text.charCodeAt(i) !== 34) fail('Expected a property name');
          top.key = readString();
          skipWs();
          if (text.charCodeAt(i) !== 58) fail("Expected ':' after property name");
          i++;
        }
        expectValue = true;
      } else if ((c === 93 && top.isArray) || (c === 125 && !top.isArray)) {
        i++;
        stack.pop();
      } else {
        fail(top.isArray ? "Expected ',' or ']'" : "Expected ',' or '}'");
      }
    }
  }
  if (!haveResult) fail('Unexpected end of JSON input');
  return result as JsonValue;
}

/**
 * Serialises a value like `JSON.stringify(value, null, indent)`, except that {@link LosslessNumber}s are written
 * as their original text. Non-finite numbers become `null`, `undefined` members are left out (as JSON does).
 * A value nested deeper than {@link MAX_WRITE_DEPTH} (the record core refuses records half as deep, with a
 * problem) throws a RangeError instead of being cut silently; a cycle (impossible in parsed data) is written as
 * `null`.
 */
/** Deepest nesting {@link stringifyJson} writes (twice the record core's limit). */
export const MAX_WRITE_DEPTH = 2000;

export function stringifyJson(value: JsonValue, indent?: number): string {
  const pad = indent && indent > 0 ? ' '.repeat(Math.min(10, Math.floor(indent))) : '';
  const parts: string[] = [];
  const seen = new Set<object>();
  const write = (v: unknown, depth: number, nl: string): void => {
    if (v === null || v === undefined) {
      parts.push('null');
      return;
    }
    switch (typeof v) {
      case 'string':
        parts.push(JSON.stringify(v));
        return;
      case 'number':
        parts.push(Number.isFinite(v) ? String(v) : 'null');
        return;
      case 'boolean':
        parts.push(v ? 'true' : 'false');
        return;
      case 'bigint':
        parts.push(v.toString());
        return;
      case 'object':
        break;
      default:
        parts.push('null');
        return;
    }
    if (isLosslessNumber(v)) {
      parts.push(v.text);
      return;
    }
    const o = v as object;
    if (depth > MAX_WRITE_DEPTH) throw new RangeError(`The value is nested more than ${MAX_WRITE_DEPTH} levels deep, too deep to write as JSON.`);
    if (seen.has(o)) {
      parts.push('null');
      return;
    }
    seen.add(o);
    const inner = pad ? nl + pad : '';
    if (Array.isArray(o)) {
      if (o.length === 0) parts.push('[]');
      else {
        parts.push('[');
        for (let k = 0; k < o.length; k++) {
          if (k) parts.push(',');
          parts.push(inner);
          write(o[k], depth + 1, inner);
        }
        parts.push(pad ? nl + ']' : ']');
      }
    } else {
      const keys = Object.keys(o);
      let first = true;
      parts.push('{');
      for (const key of keys) {
        const item = (o as Record<string, unknown>)[key];
        if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
        if (!first) parts.push(',');
        first = false;
        parts.push(inner, JSON.stringify(key), pad ? ': ' : ':');
        write(item, depth + 1, inner);
      }
      parts.push(first ? '}' : pad ? nl + '}' : '}');
    }
    seen.delete(o);
  };
  write(value, 0, '\n');
  return parts.join('');
}

/**
 * Removes the whitespace between the tokens of a valid JSON text, keeping every token (strings with their
 * escapes, numbers such as `0.0` or `1e400`) byte for byte. Linear; for text that already parsed.
 */
export function minifyJson(text: string): string {
  const parts: string[] = [];
  let runStart = 0;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      // Skip the string: find the closing quote not preceded by an odd number of backslashes.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        let k = q - 1;
        while (text.charCodeAt(k) === 92) k--;
        if ((q - 1 - k) % 2 === 0) {
          j = q + 1;
          break;
        }
        j = q + 1;
      }
      i = j;
    } else if (WS(c)) {
      if (i > runStart) parts.push(text.slice(runStart, i));
      while (i < n && WS(text.charCodeAt(i))) i++;
      runStart = i;
    } else i++;
  }
  if (runStart === 0) return text;
  if (runStart < n) parts.push(text.slice(runStart));
  return parts.join('');
}
