/**
 * Record text for the combined viewer: parse a file and hand back each record's JSON *text* rather than its event
 * object. The text is the record's own slice of the decompressed file whenever the record is exactly what the file
 * holds (or the record core's own `CloudTrailRecord.text`), so big integers keep their digits and keys such as
 * `__proto__` stay plain text; records renamed from another shape (legacy layouts) are written out with the
 * lossless stringify instead. Runs in the parse workers; pure (no `vscode`).
 */
import { decodeUtf8, parseBytes, parseText, stringifyJson, type CloudTrailRecord, type ParseResult } from '../records';
import { gunzipWhole, isGzip } from '../records/gunzip';

/** Decompressed files up to this size are decoded as one string here (parseBytes feeds bigger ones in pieces). */
const ONE_STRING_MAX = 128 * 1024 * 1024;

const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/**
 * parseBytes, plus the decompressed text the record ranges point into (and its UTF-8 bytes). The text is left out (and records are
 * then serialised) when the gzip stream is damaged — the core's tolerant decoder reports that — or the file is
 * too big for one string.
 */
export function parseKeepingText(bytes: Uint8Array, name?: string, options: { maxDecompressed?: number } = {}): { result: ParseResult; text?: string; data?: Uint8Array } {
  let data: Uint8Array = bytes;
  const gzipped = isGzip(bytes);
  if (gzipped) {
    const g = gunzipWhole(bytes, { maxBytes: options.maxDecompressed });
    // Damaged, cut or over the cap: the record core reports it (and keeps what can be trusted).
    if (g.error) return { result: parseBytes(bytes, name, options) };
    data = g.bytes;
  }
  if (data.length > ONE_STRING_MAX) return { result: parseBytes(bytes, name, options) };
  // Same decoding as parseBytes (UTF-8, a leading BOM dropped), so the ranges are offsets into this string.
  const text = decodeUtf8(data);
  const result = parseText(text, name);
  result.gzipped = gzipped;
  // `data` decodes to `text` (the same decoder): a worker can hand the bytes over instead of copying the string.
  return { result, text, data };
}

/** One record's JSON text: the parser's own copy, else its slice of `text`, else a lossless serialisation. */
export function recordText(rec: CloudTrailRecord, text?: string): string {
  // The record core hands out the text of `event` when one exists (the file's slice, or a lookup-events entry's
  // CloudTrailEvent string); it cuts it for JSON.parse anyway.
  const given = (rec as { text?: unknown }).text;
  if (typeof given === 'string' && given.length > 0) return given;
  if (text !== undefined && isFileSlice(rec, text)) return text.slice(rec.range.startOffset, rec.range.endOffset);
  return stringifyJson(rec.event);
}

/**
 * True when the record's JSON text is exactly `text` at its range: the record was not normalised from another
 * shape, its range lies in `text`, its own text (if the parser gave one) has that length, and the slice is one
 * JSON object (a JSON Lines range could include a line's trailing blanks).
 */
export function isFileSlice(rec: CloudTrailRecord, text: string): boolean {
  const r = rec.range;
  const given = rec.text;
  return (
    rec.original === undefined &&
    r !== undefined &&
    r.startOffset >= 0 &&
    r.endOffset > r.startOffset &&
    r.endOffset <= text.length &&
    (!given || given.length === r.endOffset - r.startOffset) &&
    text.charCodeAt(r.startOffset) === OPEN_BRACE &&
    text.charCodeAt(r.endOffset - 1) === CLOSE_BRACE
  );
}

/** The records' texts joined by `,\n`, with the end offset of each record (for cutting at a record cap). */
export function joinRecordTexts(records: readonly CloudTrailRecord[], text?: string): { text: string; ends: Uint32Array } {
  const parts: string[] = new Array(records.length);
  const ends = new Uint32Array(records.length);
  let len = 0;
  for (let i = 0; i < records.length; i++) {
    const t = recordText(records[i], text);
    parts[i] = t;
    len += (i ? 2 : 0) + t.length;
    ends[i] = len;
  }
  return { text: parts.join(',\n'), ends };
}

/** `{"Records":[…]}` around pieces that each hold one or more record texts joined by `,\n`. */
export function recordsDocument(pieces: readonly string[]): string {
  const parts = pieces.filter((p) => p.length > 0);
  return parts.length ? `{"Records":[\n${parts.join(',\n')}\n]}\n` : '{"Records":[]}\n';
}
