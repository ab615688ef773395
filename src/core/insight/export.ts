/**
 * Export of the viewer's current view (filtered, sorted, chosen columns) as a CloudTrail log
 * (`{"Records":[…]}`), JSON Lines or CSV. Records are written from their JSON text as read (so numbers keep
 * every digit); JSON Lines needs one line per record, so pretty-printed text is compacted by dropping the
 * whitespace between tokens, never by re-serialising values.
 *
 * The writer is a generator of chunks (about `chunkChars` characters each), so the caller can write them to
 * a file, report progress and stop between chunks.
 */

export type ExportFormat = 'log' | 'jsonl' | 'csv';

export const EXPORT_FORMATS: readonly { id: ExportFormat; label: string; extension: string; description: string }[] = [
  { id: 'log', label: 'CloudTrail log', extension: 'json', description: '{"Records":[…]}, as CloudTrail delivers logs' },
  { id: 'jsonl', label: 'JSON Lines', extension: 'jsonl', description: 'one record per line' },
  { id: 'csv', label: 'CSV', extension: 'csv', description: 'the columns as shown, then the whole record as JSON' },
];

export interface ExportSource {
  /** Rows to write, in order. */
  count: number;
  /** The record's JSON text (as in the file, or compact JSON). */
  text(k: number): string;
  /** CSV only: the cell texts of the chosen columns, in order. */
  cells?(k: number): readonly string[];
  /** CSV only: the chosen columns' titles. */
  headers?: readonly string[];
}

/** Writes `source` in `format`; each yielded string is a piece of the file. `done` counts rows written. */
export function* exportChunks(format: ExportFormat, source: ExportSource, chunkChars = 1 << 20): Generator<{ text: string; done: number }> {
  const parts: string[] = [];
  let size = 0;
  const flush = (done: number) => {
    const text = parts.join('');
    parts.length = 0;
    size = 0;
    return { text, done };
  };
  if (format === 'log') {
    parts.push('{"Records":[');
    size = 12;
  } else if (format === 'csv') {
    const headers = [...(source.headers ?? []), 'record'];
    parts.push(headers.map(csvField).join(',') + '\r\n');
  }
  for (let k = 0; k < source.count; k++) {
    let piece: string;
    const text = source.text(k);
    if (format === 'log') piece = (k ? ',\n' : '\n') + text;
    else if (format === 'jsonl') piece = compactJsonText(text) + '\n';
    else piece = [...(source.cells?.(k) ?? []), compactJsonText(text)].map(csvField).join(',') + '\r\n';
    parts.push(piece);
    size += piece.length;
    if (size >= chunkChars) yield flush(k + 1);
  }
  if (format === 'log') parts.push(source.count ? '\n]}\n' : ']}\n');
  yield flush(source.count);
}

/** Characters that make a spreadsheet read a cell as a formula (or a DDE command) when they start it. */
const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, with quotes doubled. A value that a
 * spreadsheet would run as a formula (leading `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`, so opening the
 * export never runs record content.
 */
export function csvField(value: string): string {
  let v = value;
  if (v.length && FORMULA_START.has(v[0])) v = "'" + v;
  return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
}

/**
 * Drops the whitespace between JSON tokens (outside strings), leaving every string and number as written.
 * Text that is not JSON keeps its characters; only whitespace outside double-quoted runs goes.
 */
export function compactJsonText(text: string): string {
  // Fast path: most record texts (compact CloudTrail logs) have no whitespace outside strings.
  if (!/[\s]/.test(text)) return text;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
      continue;
    }
    if (c === 34) inString = true;
    else if (c === 32 || c === 10 || c === 13 || c === 9) {
      out += text.slice(from, i);
      from = i + 1;
    }
  }
  return out + text.slice(from);
}

/**
 * UTF-8 bytes of an export, gathered chunk by chunk into one growing buffer (doubling), so a big export costs
 * about its size once more than the text it is made of, and is written with one call (VS Code's file system
 * API writes whole files).
 */
export class ByteSink {
  private buf: Uint8Array;
  private len = 0;
  private readonly encoder = new TextEncoder();

  constructor(initialBytes = 1 << 20) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
  }

  push(text: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    const need = this.len + text.length * 3;
    if (need > this.buf.length) {
      const next = new Uint8Array(Math.max(need, this.buf.length * 2));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.len += this.encoder.encodeInto(text, this.buf.subarray(this.len)).written;
  }

  get size(): number {
    return this.len;
  }

  /** The bytes written so far (a view, not a copy). */
  bytes(): Uint8Array {
    return this.buf.subarray(0, this.len);
  }
}
