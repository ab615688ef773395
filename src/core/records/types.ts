/**
 * Types shared by everything that reads CloudTrail files: the parser, the CLI, the viewer, the explorer
 * and the selector dry run. Pure data: no `vscode` import anywhere under src/core.
 */

/** What a file turned out to be, detected from its content (never from its name alone). */
export type FileKind =
  /** `{"Records": [...]}`, the shape CloudTrail delivers to S3 (plain or gzipped). */
  | 'log'
  /** A JSON array of event records. */
  | 'array'
  /** A single event record object. */
  | 'event'
  /** JSON Lines: one event object per line. */
  | 'jsonl'
  /** Saved output of `aws cloudtrail lookup-events` (`{"Events": [...]}`, records in `CloudTrailEvent`). */
  | 'lookup-events'
  /** The CloudTrail console's Event history JSON download. */
  | 'console-export'
  /** A CloudTrail digest file (integrity validation). */
  | 'digest'
  /**
   * EventBridge events of CloudTrail records ("AWS API Call via CloudTrail" …): one envelope, an array of them or
   * JSON Lines. Each record is the envelope's `detail`; the envelope is the record's `original`.
   */
  | 'eventbridge'
  /** The legacy PascalCase AWS IoT documentation shape (normalised to standard names). */
  | 'legacy-iot'
  /** Anything else. */
  | 'unknown';

export type Severity = 'error' | 'warning' | 'info';

/** A problem found while reading a file. Lines and columns are 1-based, in the decompressed text. */
export interface Problem {
  severity: Severity;
  message: string;
  line: number;
  column: number;
  /** Stable machine-readable identifier, e.g. `truncated-gzip`, `invalid-json`, `not-cloudtrail`. */
  code?: string;
}

/** Where a record sits in the decompressed text. Lines are 1-based; offsets are UTF-16 code unit offsets. */
export interface TextRange {
  startLine: number;
  endLine: number;
  startOffset: number;
  endOffset: number;
}

/** A JSON value as the core hands it out. Integers beyond 2^53 are kept as {@link LosslessNumber}. */
export type JsonValue = string | number | boolean | null | LosslessNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

let toJsonCalls = 0;

/**
 * A number whose text a JS double would not reproduce (an integer above 2^53, an over-long decimal, `1e400`,
 * `-0`, `1e-400`). The exact source text is kept.
 *
 * Recognised only as a real instance (a private-field brand check, {@link LosslessNumber.is}), never by its shape:
 * record data such as `{"isLosslessNumber": true, "text": "1},{…"}` is plain data and is written back as such.
 * Serialise through the core's `stringifyJson`. `JSON.stringify` calls `toJSON`, which gives the text as a JSON
 * *string* (never raw text) and is counted, so a fast path can tell that it must fall back to the lossless writer
 * ({@link losslessToJsonCalls}).
 */
export class LosslessNumber {
  readonly #text: string;
  constructor(text: string) {
    this.#text = String(text);
  }
  /** The number exactly as it was written in the file. */
  get text(): string {
    return this.#text;
  }
  /** True only for real instances made by this module (data cannot imitate it). */
  static is(v: unknown): v is LosslessNumber {
    return typeof v === 'object' && v !== null && #text in v;
  }
  valueOf(): number {
    return Number(this.#text);
  }
  toString(): string {
    return this.#text;
  }
  toJSON(): string {
    toJsonCalls++;
    return this.#text;
  }
}

/** How many times `JSON.stringify` met a {@link LosslessNumber} so far (compare before/after one call). */
export function losslessToJsonCalls(): number {
  return toJsonCalls;
}

/**
 * Internal hint between the record core and the record table (not part of the documented API): a batch of
 * records handed out by the core may carry, under this non-enumerable key, the string its records' `text`
 * values were cut from, with the file offset of its first character. Every record of such a batch has `text`
 * equal to `hint.text.slice(range.startOffset - hint.offset, range.endOffset - hint.offset)`, so a consumer can
 * process the whole batch text in one call instead of one call per record.
 */
export const BATCH_TEXT: unique symbol = Symbol.for('cloudtrail-lens.records.batch-text');
export interface BatchText {
  text: string;
  offset: number;
}

export interface CloudTrailRecord {
  /** 0-based position of the record in the file. */
  index: number;
  /**
   * The event with standard CloudTrail field names (`eventTime`, `userIdentity`, …). Built with
   * null-prototype-safe parsing: keys such as `__proto__` are plain own data properties.
   */
  event: JsonObject;
  /** Where the record's text is in the decompressed file. */
  range: TextRange;
  /** For shapes that were normalised or unwrapped (legacy IoT, lookup-events wrapper, EventBridge envelope): the value as it was in the file. */
  original?: JsonValue;
  /**
   * The JSON text of `event`, exactly as read, when such a text exists; parsing it (losslessly) gives `event` back.
   * - The usual case (the file's object already uses the standard field names): the record's own slice of the
   *   decompressed file, i.e. the text at `range.startOffset … range.endOffset`.
   * - lookup-events / console-export entries: the entry's `CloudTrailEvent` string (the standard-named event),
   *   not the wrapper object; `range` still covers the whole entry and `original` holds the wrapper.
   * - Normalised spellings (legacy IoT, all-lower-case keys): absent, since no text in the file says what the
   *   renamed event says; serialise `event` (with the core's `stringifyJson`) if you need text.
   * The parser cuts this text anyway to hand it to `JSON.parse`, so it costs nothing extra; it may share memory
   * with the chunk it was cut from (a V8 sliced string), so copy or join it before keeping it for long.
   */
  text?: string;
  /**
   * Set when the record was decoded from a gzip member whose checksum failed and the damage could not be
   * located: its values may have been altered (see the `corrupt-gzip` problem).
   */
  unverified?: true;
}

/** One entry of a digest file's `logFiles` list. */
export interface DigestLogFile {
  s3Bucket: string;
  s3Object: string;
  hashValue: string;
  hashAlgorithm: string;
  newestEventTime: string | null;
  oldestEventTime: string | null;
}

export interface DigestInfo {
  awsAccountId?: string;
  digestStartTime?: string;
  digestEndTime?: string;
  digestS3Bucket?: string;
  digestS3Object?: string;
  newestEventTime?: string | null;
  oldestEventTime?: string | null;
  previousDigestS3Bucket?: string | null;
  previousDigestS3Object?: string | null;
  previousDigestHashValue?: string | null;
  previousDigestHashAlgorithm?: string | null;
  previousDigestSignature?: string | null;
  digestPublicKeyFingerprint?: string;
  digestSignatureAlgorithm?: string;
  logFiles: DigestLogFile[];
}

export interface ParseResult {
  kind: FileKind;
  records: CloudTrailRecord[];
  problems: Problem[];
  /** Present when kind is `digest`. */
  digest?: DigestInfo;
  /** True when the bytes were gzip-compressed. */
  gzipped: boolean;
  /** Size of the decompressed text in UTF-16 code units. */
  textLength: number;
  /**
   * Gzip damage: the decompressed text cannot be trusted from text offset `from` on. `located` false means a
   * checksum mismatch (records reaching past `from` are marked `unverified`); true means the damage was found
   * there (records reaching past `from` are withheld; a streaming consumer that already received some drops
   * those whose `range.endOffset` exceeds `from`).
   */
  untrusted?: { from: number; located: boolean };
}
