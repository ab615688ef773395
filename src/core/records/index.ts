/**
 * The record core: one entry point that takes a file's bytes (or text) and returns what the file is, its
 * records with their positions, and its problems. Everything here is synchronous and never throws on bad input.
 */
import { stringifyJson as stringifyLossless } from '../json/lossless';
import { RecordEngine } from './engine';
import { GunzipStream, gunzipWhole, isGzip, GunzipError } from './gunzip';
import { CloudTrailRecord, FileKind, JsonValue, ParseResult, Problem } from './types';

export * from './types';
export { MAX_DEPTH } from './engine';

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

function decodeUtf8(bytes: Uint8Array): string {
  // TextDecoder drops a leading UTF-8 BOM, like editors do, so offsets match what an editor shows.
  return new TextDecoder('utf-8').decode(bytes);
}

/** A one-line `.jsonl`/`.ndjson` file holds a single event; its name tells it is meant as JSON Lines. */
const JSONL_NAME = /\.(jsonl|ndjson)(\.gz)?$/i;

function finishResult(engine: RecordEngine, records: CloudTrailRecord[], gzipped: boolean, gzErr: GunzipError | undefined, fileName: string | undefined): ParseResult {
  const r = engine.finish();
  if (r.kind === 'event' && fileName && JSONL_NAME.test(fileName)) r.kind = 'jsonl';
  const all = records.length ? records.concat(engine.take()) : engine.take();
  if (gzErr) {
    const p = gzipProblem(gzErr, engine.count, engine.endPosition());
    r.problems.unshift(p);
  }
  const result: ParseResult = { kind: r.kind, records: all, problems: r.problems, gzipped, textLength: r.textLength };
  if (r.digest) result.digest = r.digest;
  return result;
}

/** Parses decoded text. Offsets in the result are offsets into `text` as given. */
export function parseText(text: string, fileName?: string): ParseResult {
  const engine = new RecordEngine();
  engine.feed(text);
  return finishResult(engine, [], false, undefined, fileName);
}

/** Parses a file's bytes: gzip is detected from the magic bytes, UTF-8 with or without BOM. */
export function parseBytes(bytes: Uint8Array, fileName?: string): ParseResult {
  let data = bytes;
  let gzErr: GunzipError | undefined;
  const gzipped = isGzip(bytes);
  if (gzipped) {
    const g = gunzipWhole(bytes);
    data = g.bytes;
    gzErr = g.error;
  }
  const engine = new RecordEngine();
  if (data.length <= ONE_STRING_MAX) engine.feed(decodeUtf8(data));
  else {
    // Too big for one JS string (V8 caps strings near 512 M characters): feed it in pieces instead.
    const decoder = new TextDecoder('utf-8');
    for (let i = 0; i < data.length; i += ONE_STRING_MAX) engine.feed(decoder.decode(data.subarray(i, i + ONE_STRING_MAX), { stream: true }));
    engine.feed(decoder.decode());
  }
  return finishResult(engine, [], gzipped, gzErr, fileName);
}

/** Cheap guess of the kind from the start of the text (the first 64 KB). 'unknown' if not CloudTrail. */
export function sniffKind(text: string): FileKind {
  const engine = new RecordEngine();
  if (text.length <= SNIFF_CHARS) {
    engine.feed(text);
    return engine.finish().kind;
  }
  engine.feed(text.slice(0, SNIFF_CHARS));
  return engine.guessKind();
}

/**
 * Incremental parser for files too big to hold twice in memory: feed raw file bytes (gzip or not) as they
 * arrive; each `push` returns the records completed so far.
 */
export class StreamingParser {
  private readonly engine = new RecordEngine();
  private gzip: GunzipStream | undefined;
  private decided = false;
  private head: Uint8Array | undefined;
  private readonly decoder = new TextDecoder('utf-8');
  private gzipped = false;
  private ended = false;

  constructor(readonly options: { fileName?: string } = {}) {}

  push(chunk: Uint8Array): CloudTrailRecord[] {
    if (this.ended || chunk.length === 0) return [];
    if (!this.decided) {
      // Need two bytes to tell gzip from text.
      const joined = this.head ? concat(this.head, chunk) : chunk;
      if (joined.length < 2) {
        this.head = joined.slice();
        return [];
      }
      this.head = undefined;
      this.decided = true;
      this.gzipped = isGzip(joined);
      if (this.gzipped) this.gzip = new GunzipStream();
      chunk = joined;
    }
    this.feedBytes(chunk);
    return this.engine.take();
  }

  end(): ParseResult {
    if (this.ended) throw new Error('StreamingParser.end() was already called');
    this.ended = true;
    if (!this.decided && this.head) {
      this.decided = true;
      this.feedText(this.decoder.decode(this.head, { stream: true }));
    }
    let gzErr: GunzipError | undefined;
    if (this.gzip) {
      for (const piece of this.gzip.finish()) this.feedText(this.decoder.decode(piece, { stream: true }));
      gzErr = this.gzip.error;
    }
    this.feedText(this.decoder.decode());
    return finishResult(this.engine, [], this.gzipped, gzErr, this.options.fileName);
  }

  private feedBytes(chunk: Uint8Array) {
    if (this.gzip) {
      for (const piece of this.gzip.push(chunk)) this.feedText(this.decoder.decode(piece, { stream: true }));
    } else {
      this.feedText(this.decoder.decode(chunk, { stream: true }));
    }
  }

  private feedText(text: string) {
    if (text.length) this.engine.feed(text);
  }
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
