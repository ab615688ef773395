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

/**
 * A number whose text cannot round-trip through a JS double (e.g. an integer above 2^53).
 * The exact source text is kept; `toJSON` is not used, so serialise through the core's `stringify`.
 */
export class LosslessNumber {
  readonly isLosslessNumber = true;
  constructor(readonly text: string) {}
  valueOf(): number {
    return Number(this.text);
  }
  toString(): string {
    return this.text;
  }
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
  /** For shapes that were normalised (legacy IoT, lookup-events wrapper): the value as it was in the file. */
  original?: JsonValue;
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
}
