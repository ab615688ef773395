/**
 * The record core: one entry point that takes a file's bytes (or text) and returns what the file is, its
 * records with their positions, and its problems. Everything here is synchronous and never throws on bad input.
 */
import { stringifyJson as stringifyLossless } from '../json/lossless';
import { EngineOptions, RecordEngine } from './engine';
import { GunzipStream, gunzipWhole, isGzip, GunzipError } from './gunzip';

export { DEFAULT_MAX_DECOMPRESSED } from './gunzip';
import { CloudTrailRecord, FileKind, JsonValue, ParseResult, Problem } from './types';

export * from './types';
export { MAX_DEPTH, DEFAULT_MAX_VALUE, type EngineOptions } from './engine';
export { eventBridgeDetail, lookAlike, recordVerdict, type RecordVerdict } from './shapes';

/** Inputs above this many bytes are decoded and scanned in pieces. */
const ONE_STRING_MAX = 128 * 1024 * 1024;

/** How much text `sniffKind` looks at. */
const SNIFF_CHARS = 64 * 1024;

function gzipProblem(err: GunzipError, recordCount: number, pos: { line: number; column: number }): Problem {
  const kept = `Showing the ${recordCount} record${recordCount === 1 ? '' : 's'} read before the damage`;
  let message: string;
  if (err.code === 'truncated-gzip') {
    message = `The gzip stream ends early (file truncated?). ${kept}; download the file again to get the rest.`;
  } else if (err.code === 'gzip-trailing-data') {
    message = `${err.message}. All records before them were read.`;
  } else if (err.code === 'gzip-too-large') {
    message = `${err.message}. ${kept.replace('before the damage', 'before the limit')}; raise the limit (setting cloudtrailLens.maxDecompressedMB) only if you trust the file.`;
  } else {
    message = `${err.message} near compressed byte ${err.compressedOffset}. ${kept}; records after it may be missing or wrong. Download the file again.`;
  }
  return {
    severity: err.code === 'gzip-trailing-data' ? 'warning' : 'error',
    message,
    line: pos.line,
    column: pos.column,
    code: err.code,
  };
}

const utf8 = new TextDecoder('utf-8');

/**
 * The record core's decoding of a file's bytes (UTF-8, invalid bytes as U+FFFD): every place that turns the same
 * bytes into text uses it, so offsets into the text agree everywhere.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  // TextDecoder drops a leading UTF-8 BOM, like editors do, so offsets match what an editor shows.
  return utf8.decode(bytes);
}

/** Where `data` can be cut so that no UTF-8 sequence is split: before a trailing, incomplete sequence. */
function completeUtf8(data: Uint8Array): number {
  const n = data.length;
  let i = n - 1;
  let cont = 0;
  while (i >= 0 && cont < 3 && (data[i] & 0xc0) === 0x80) {
    i--;
    cont++;
  }
  if (i < 0) return n;
  const b = data[i];
  const need = b >= 0xf0 && b < 0xf8 ? 4 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xc0 && b < 0xe0 ? 2 : 1;
  return n - i < need ? i : n;
}

/**
 * UTF-8 decoding of a byte stream in pieces, with exactly the output of one TextDecoder over the whole stream
 * (leading BOM dropped, invalid bytes as U+FFFD). TextDecoder's own `stream: true` mode returns two-byte strings
 * in V8 even for ASCII text, which doubles the memory of everything cut from them and slows JSON.parse; decoding
 * each piece up to its last complete character in non-stream mode gives compact one-byte strings.
 */
class Utf8Pieces {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private carry: Uint8Array | undefined;
  private started = false;

  /** Bytes of an incomplete character are waiting for the next piece. */
  get pending(): boolean {
    return this.carry !== undefined;
  }

  decode(bytes: Uint8Array, final = false): string {
    let data = bytes;
    if (this.carry) {
      data = concat(this.carry, bytes);
      this.carry = undefined;
    }
    const cut = final ? data.length : completeUtf8(data);
    if (cut < data.length) this.carry = copyOf(data.subarray(cut));
    let text = cut > 0 ? this.decoder.decode(data.subarray(0, cut)) : '';
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }
}

/** A one-line `.jsonl`/`.ndjson` file holds a single event; its name tells it is meant as JSON Lines. */
const JSONL_NAME = /\.(jsonl|ndjson)(\.gz)?$/i;

/** What a streaming caller already handed out: the text end offsets of those records (for gzip damage counts). */
interface HandedOut {
  ends: number[];
}

function finishResult(
  engine: RecordEngine,
  records: CloudTrailRecord[],
  gzipped: boolean,
  gzErr: GunzipError | undefined,
  fileName: string | undefined,
  outToChar?: (bytes: number) => number,
  handed?: HandedOut,
): ParseResult {
  const r = engine.finish();
  if (r.kind === 'event' && fileName && JSONL_NAME.test(fileName)) r.kind = 'jsonl';
  let all = records.length ? records.concat(engine.take()) : engine.take();
  let untrusted: ParseResult['untrusted'];
  if (gzErr && gzErr.untrustedFromOut !== undefined && outToChar) {
    // Damage inside the compressed data: nothing decoded after the point where trust ends is shown as good.
    const from = outToChar(gzErr.untrustedFromOut);
    untrusted = { from, located: !gzErr.unlocated };
    const earlier = handed ? handed.ends.filter((e) => e > from).length : 0;
    const past = all.filter((x) => x.range.endOffset > from);
    const firstLine = past.length ? past[0].range.startLine : engine.endPosition().line;
    const n = earlier + past.length;
    const recs = `${n} record${n === 1 ? '' : 's'}`;
    let message: string;
    if (gzErr.unlocated) {
      for (const x of past) x.unverified = true;
      message =
        `${gzErr.message}. The ${recs} decoded from this gzip member (from line ${firstLine}, compressed byte ${gzErr.untrustedFromIn} on) ` +
        `are unverified: any of their values may have been altered. Download the file again.`;
    } else {
      all = all.filter((x) => x.range.endOffset <= from);
      message =
        `${gzErr.message}, found near compressed byte ${gzErr.compressedOffset}. The data cannot be trusted from compressed byte ` +
        `${gzErr.untrustedFromIn} on (decompressed line ${firstLine}): the ${recs} reaching past that point ${past.length < n ? 'are unreliable and' : 'are'} not shown` +
        `; the records before it are shown. Download the file again.`;
    }
    r.problems.unshift({ severity: 'error', message, line: firstLine, column: 1, code: gzErr.code });
  } else if (gzErr) {
    const p = gzipProblem(gzErr, engine.count, engine.endPosition());
    r.problems.unshift(p);
  }
  const result: ParseResult = { kind: r.kind, records: all, problems: r.problems, gzipped, textLength: r.textLength };
  if (untrusted) result.untrusted = untrusted;
  if (r.digest) result.digest = r.digest;
  return result;
}

/** Parses decoded text. Offsets in the result are offsets into `text` as given. */
export function parseText(text: string, fileName?: string, options?: EngineOptions): ParseResult {
  const engine = new RecordEngine(options);
  engine.feed(text);
  return finishResult(engine, [], false, undefined, fileName);
}

/**
 * Parses a file's bytes: gzip is detected from the magic bytes, UTF-8 with or without BOM. `options.maxDecompressed`
 * caps the decompressed size of gzip input (default DEFAULT_MAX_DECOMPRESSED); the engine options cap values.
 */
export function parseBytes(
  bytes: Uint8Array,
  fileName?: string,
  options: { maxDecompressed?: number } & EngineOptions = {},
): ParseResult {
  let data = bytes;
  let gzErr: GunzipError | undefined;
  const gzipped = isGzip(bytes);
  if (gzipped) {
    const g = gunzipWhole(bytes, { maxBytes: options.maxDecompressed });
    data = g.bytes;
    gzErr = g.error;
  }
  const engine = new RecordEngine(options);
  const outToChar = (b: number) => decodeUtf8(data.subarray(0, Math.min(b, data.length))).length;
  if (data.length <= ONE_STRING_MAX) engine.feed(decodeUtf8(data));
  else {
    // Too big for one JS string (V8 caps strings near 512 M characters): feed it in pieces instead.
    const decoder = new Utf8Pieces();
    for (let i = 0; i < data.length; i += ONE_STRING_MAX) engine.feed(decoder.decode(data.subarray(i, i + ONE_STRING_MAX)));
    engine.feed(decoder.decode(new Uint8Array(0), true));
  }
  return finishResult(engine, [], gzipped, gzErr, fileName, outToChar);
}

/**
 * Cheap guess of the kind from the start of the text: the first 64 KB, read further only while that prefix
 * leaves the answer open (a first event longer than 64 KB, or ending just before the cut, could still be the
 * first line of a JSON Lines file). Further reading stops as soon as the kind is settled or the text read so far
 * is clearly not CloudTrail. 'unknown' if not CloudTrail.
 */
export function sniffKind(text: string): FileKind {
  const engine = new RecordEngine();
  let at = 0;
  let step = SNIFF_CHARS;
  for (;;) {
    const end = Math.min(text.length, at + step);
    engine.feed(at === 0 && end === text.length ? text : text.slice(at, end));
    at = end;
    if (at >= text.length) return engine.finish().kind;
    if (engine.kindSettled()) return engine.guessKind();
    const guess = engine.guessKind();
    if (guess === 'unknown') return guess;
    // Growing steps keep the total work linear even when the first value is very long.
    step *= 2;
  }
}

/** Default most decompressed bytes one `push` inflates (see StreamingParser). */
const INFLATE_PER_PUSH = 16 * 1024 * 1024;

/**
 * Incremental parser for files too big to hold twice in memory: feed raw file bytes (gzip or not) as they
 * arrive; each `push` returns the records completed so far.
 *
 * Gzip input is inflated here, synchronously, by a JavaScript decoder (Node's zlib has no public synchronous
 * incremental API: its sync calls are one-shot and its streams are asynchronous). To keep every call short, one
 * `push` inflates at most `maxInflatePerPush` bytes (16 MB by default — a small, highly compressed chunk can
 * expand a thousandfold); the rest stays queued and `backlog` is true. Call `push(new Uint8Array(0))` while
 * `backlog` is true (e.g. between event-loop turns), or let `end()` finish it. For a whole, undamaged .gz file
 * already in memory, `zlib.gunzip` (asynchronous, native) followed by pushing the plain bytes is much faster.
 */
export class StreamingParser {
  private readonly engine: RecordEngine;
  private gzip: GunzipStream | undefined;
  private decided = false;
  private head: Uint8Array | undefined;
  private readonly decoder = new Utf8Pieces();
  private gzipped = false;
  private ended = false;

  /** `maxDecompressed`: most decompressed bytes of gzip input (default DEFAULT_MAX_DECOMPRESSED, issue 14 D4). */
  constructor(
    readonly options: { fileName?: string; maxInflatePerPush?: number; maxDecompressed?: number } & EngineOptions = {},
  ) {
    this.engine = new RecordEngine(options);
  }

  /** Compressed input is queued that the next `push` (an empty chunk will do) or `end()` inflates. */
  get backlog(): boolean {
    return !this.ended && this.gzip !== undefined && this.gzip.paused;
  }

  push(chunk: Uint8Array): CloudTrailRecord[] {
    if (this.ended || (chunk.length === 0 && !this.backlog)) return [];
    if (!this.decided) {
      // Need two bytes to tell gzip from text.
      const joined = this.head ? concat(this.head, chunk) : chunk;
      if (joined.length < 2) {
        this.head = copyOf(joined);
        return [];
      }
      this.head = undefined;
      this.decided = true;
      this.gzipped = isGzip(joined);
      if (this.gzipped) this.gzip = new GunzipStream({ maxBytes: this.options.maxDecompressed });
      chunk = joined;
    }
    this.feedBytes(chunk);
    const recs = this.engine.take();
    if (this.gzip) for (const r of recs) this.handed.ends.push(r.range.endOffset);
    return recs;
  }

  /**
   * Like push, for a caller that holds decoded text (e.g. the whole file decoded in one go): offsets in the
   * records are offsets into the concatenation of the texts pushed. Not for input that began as bytes.
   */
  pushText(text: string): CloudTrailRecord[] {
    if (this.ended) return [];
    if (!this.decided) this.decided = true;
    else if (this.gzip || this.head || this.decoder.pending) throw new Error('StreamingParser.pushText() after bytes');
    this.feedText(text);
    return this.engine.take();
  }

  end(): ParseResult {
    if (this.ended) throw new Error('StreamingParser.end() was already called');
    this.ended = true;
    if (!this.decided && this.head) {
      this.decided = true;
      this.feedText(this.decoder.decode(this.head));
    }
    let gzErr: GunzipError | undefined;
    if (this.gzip) {
      for (const piece of this.gzip.finish()) this.feedPiece(piece);
      gzErr = this.gzip.error;
    }
    this.feedText(this.decoder.decode(new Uint8Array(0), true));
    return finishResult(this.engine, [], this.gzipped, gzErr, this.options.fileName, (b) => this.outToChar(b), this.handed);
  }

  /**
   * Nothing more can come of further input (the file was already found not to be CloudTrail, e.g. binary): a
   * reader may stop reading and call `end()`. Endless inputs such as `/dev/zero` end this way.
   */
  get finished(): boolean {
    return this.engine.done;
  }

  /** The text read so far ends inside the `Records` array of a `{"Records":[…]}` log. */
  get inRecordsArray(): boolean {
    return !this.ended && this.engine.inRecordsArray;
  }

  /**
   * When the bytes pushed so far (plain text, not gzip) end exactly between two records of a `{"Records":[…]}`
   * array: the offset (in decoded text) and line where the next record would start, and how many records came
   * before it. Otherwise undefined. A caller that had the rest of the file parsed by another parser (e.g. in a
   * worker thread, starting at this byte) uses it to check that cut, then ends with endAtBoundary().
   */
  recordBoundary(): { offset: number; line: number; records: number } | undefined {
    if (this.ended || !this.decided || this.gzip || this.decoder.pending) return undefined;
    const b = this.engine.recordBoundary();
    return b && { ...b, records: this.engine.count };
  }

  /**
   * Ends a parse stopped at a recordBoundary() whose rest (`restLength` characters of text) was parsed
   * elsewhere without problems: the result has the kind and problems found up to the boundary, and no records
   * (they were all returned by push). Throws when the parser is not at a record boundary.
   */
  endAtBoundary(restLength: number): ParseResult {
    if (!this.recordBoundary()) throw new Error('StreamingParser.endAtBoundary(): not at a record boundary');
    this.ended = true;
    const r = this.engine.resultAtBoundary(restLength);
    const result: ParseResult = { kind: r.kind, records: this.engine.take(), problems: r.problems, gzipped: false, textLength: r.textLength };
    if (r.digest) result.digest = r.digest;
    return result;
  }

  private feedBytes(chunk: Uint8Array) {
    if (this.gzip) {
      const budget = this.options.maxInflatePerPush ?? INFLATE_PER_PUSH;
      for (const piece of this.gzip.push(chunk, budget > 0 ? budget : INFLATE_PER_PUSH)) this.feedPiece(piece);
    } else {
      this.feedText(this.decoder.decode(chunk));
    }
  }

  /** Decompressed bytes / text characters fed so far, and one (bytes, chars) mark per piece (gzip only). */
  private outBytes = 0;
  private chars = 0;
  private readonly marks: number[] = [];
  private readonly handed: HandedOut = { ends: [] };

  private feedPiece(piece: Uint8Array) {
    this.marks.push(this.outBytes, this.chars);
    this.outBytes += piece.length;
    const text = this.decoder.decode(piece);
    this.chars += text.length;
    this.feedText(text);
  }

  /** Text offset at or before decompressed byte `b` (the start of the piece holding it: errs towards distrust). */
  private outToChar(b: number): number {
    for (let i = this.marks.length - 2; i >= 0; i -= 2) if (this.marks[i] <= b) return this.marks[i + 1];
    return 0;
  }

  private feedText(text: string) {
    if (text.length) this.engine.feed(text);
  }
}

/** A copy that owns its memory (a Node Buffer's `slice()` is a view the caller may overwrite). */
function copyOf(a: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length);
  r.set(a);
  return r;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const r = new Uint8Array(a.length + b.length);
  r.set(a, 0);
  r.set(b, a.length);
  return r;
}

/** Lossless JSON text of a value: numbers kept as {@link LosslessNumber} are written exactly as they were read. */
export function stringifyJson(value: JsonValue, indent?: number): string {
  return stringifyLossless(value, indent);
}
