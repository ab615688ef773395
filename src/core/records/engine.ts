/**
 * The record engine: finds record boundaries in CloudTrail-shaped JSON text with a cheap scanner and hands each
 * record's slice to the native `JSON.parse` (or to the lossless parser when the slice holds a long number).
 *
 * It works on text that arrives in pieces (`feed`) and keeps only what it still needs, so the same code serves
 * `parseText` (one piece) and `StreamingParser` (many pieces). Every state of the walker can be left when the
 * text runs out and re-entered when more arrives; positions are absolute offsets into the whole text.
 *
 * Recovery rules: a broken record inside a `Records`/`Events`/top-level array is reported and the walker
 * re-synchronises on the next thing that looks like a record start; in JSON Lines a broken line is reported and
 * the next line is read; a cut file yields every record that was complete before the cut. A record inside which
 * another record starts is damaged (a span copied twice can still be valid JSON); a `Records` array that ends
 * early, or a log whose first characters are damaged, is read on from the next record start. Records are
 * numbered in messages by their position in the file, damaged ones included.
 *
 * Limits: one record (JSON Lines line, single event) holds at most `maxValueSize` characters (64 MB by default);
 * a larger one is skipped with a `too-large` problem and its text is dropped as it is scanned. Work stays linear
 * on hostile shapes: unclosed records are matched in one pass, and a long value's text is joined in doubling steps.
 */
import { JsonSyntaxError, parseLossless } from '../json/lossless';
import {
  digestInfo,
  isDigest,
  isPlainObject,
  looksLikeRecord,
  normaliseLegacyIot,
  normaliseLowercase,
  recordStyle,
} from './normalise';
import { recordVerdict } from './shapes';
import { BATCH_TEXT, CloudTrailRecord, DigestInfo, FileKind, JsonObject, JsonValue, Problem, Severity } from './types';

/** Text that may hold a number a double would not reproduce (long digit runs, exponents, -0). */
const NEEDS_LOSSLESS = /\d{16,}|\d[eE]|-0/;

/** Records nested deeper than this are reported and skipped (no real CloudTrail record comes close). */
export const MAX_DEPTH = 1000;
/** After this many problems only a count is kept, so hostile input cannot grow the list without bound. */
const MAX_PROBLEMS = 200;

const enum St {
  Top,
  ObjKey,
  ObjValue,
  ObjAfter,
  Elem,
  ElemScan,
  ElemAfter,
  Resync,
  SkipLine,
  Done,
}

const enum Scan {
  Done,
  Need,
}

/** Resumable scanner that finds where one JSON value ends, without building it. */
class ValueScanner {
  pos = 0;
  depth = 0;
  inString = false;
  big = false;
  tooDeep = false;
  end = -1;
  /** Nesting allowed inside the value being scanned (a member of a top-level object gets one level less). */
  maxDepth = MAX_DEPTH;

  start(at: number, maxDepth = MAX_DEPTH) {
    this.maxDepth = maxDepth;
    this.pos = at;
    this.depth = 0;
    this.inString = false;
    this.big = false;
    this.tooDeep = false;
    this.end = -1;
  }

  /**
   * Advances over `buf` (whose first character is at absolute offset `base`) up to absolute `limit`.
   * Returns Done (value ends at `this.end`, exclusive) or Need (more text required).
   */
  run(buf: string, base: number, limit: number, final: boolean): Scan {
    let i = this.pos - base;
    const lim = limit - base;
    let depth = this.depth;
    if (this.inString) {
      const r = this.skipString(buf, i, lim);
      if (r < 0) {
        this.pos = lim + base;
        return Scan.Need;
      }
      i = r;
      this.inString = false;
    }
    // A value that is not an object/array (number, literal) ends at the first delimiter.
    if (depth === 0 && i < lim) {
      const c = buf.charCodeAt(i);
      if (c !== 123 && c !== 91) {
        if (c === 34) {
          const r = this.skipString(buf, i + 1, lim);
          if (r < 0) {
            this.pos = lim + base;
            this.inString = true;
            return Scan.Need;
          }
          this.end = r + base;
          this.pos = this.end;
          return Scan.Done;
        }
        let j = i;
        let digits = 0;
        let exp = false;
        while (j < lim) {
          const d = buf.charCodeAt(j);
          if (d === 44 || d === 93 || d === 125 || d === 32 || d === 10 || d === 13 || d === 9 || d === 34 || d === 123 || d === 91) break;
          if (d >= 48 && d <= 57) digits++;
          else if (d === 101 || d === 69) exp = true;
          j++;
        }
        if (j >= lim && !final) return Scan.Need;
        // Long digit runs, exponents (1e400, 1e-400) and a minus sign (-0) may not survive a double: let the
        // lossless parser decide number by number.
        if (digits > 15 || (c !== 116 && c !== 102 && exp) || c === 45) this.big = true;
        this.end = j + base;
        this.pos = this.end;
        return Scan.Done;
      }
    }
    while (i < lim) {
      const c = buf.charCodeAt(i);
      if (c === 34) {
        const r = this.skipString(buf, i + 1, lim);
        if (r < 0) {
          this.pos = lim + base;
          this.depth = depth;
          this.inString = true;
          return Scan.Need;
        }
        i = r;
      } else if (c === 123 || c === 91) {
        depth++;
        i++;
        if (depth > this.maxDepth) this.tooDeep = true;
      } else if (c === 125 || c === 93) {
        depth--;
        i++;
        if (depth === 0) {
          this.end = i + base;
          this.pos = this.end;
          this.depth = 0;
          return Scan.Done;
        }
      } else if (c >= 48 && c <= 57) {
        // Count the digit run: only long runs can lose precision in a double.
        let j = i + 1;
        while (j < lim) {
          const d = buf.charCodeAt(j);
          if (d < 48 || d > 57) break;
          j++;
        }
        // Long runs can lose precision in a double; an exponent after a run (1e400, 1e-400) can overflow or
        // underflow; "-0" loses its sign. The lossless parser keeps the text of exactly those numbers.
        if (j - i > 15) this.big = true;
        else if (j < lim) {
          const n = buf.charCodeAt(j);
          if (n === 101 || n === 69 || (c === 48 && i > 0 && buf.charCodeAt(i - 1) === 45)) this.big = true;
        }
        if (j >= lim && !final) {
          // The run may continue in the next piece: rescan it then.
          this.pos = i + base;
          this.depth = depth;
          return Scan.Need;
        }
        i = j;
      } else {
        i++;
      }
    }
    this.pos = i + base;
    this.depth = depth;
    return Scan.Need;
  }

  /** From just after an opening quote, returns the index after the closing quote, or -1 if not before `lim`. */
  private skipString(buf: string, from: number, lim: number): number {
    let j = from;
    for (;;) {
      const q = buf.indexOf('"', j);
      if (q < 0 || q >= lim) return -1;
      if (buf.charCodeAt(q - 1) !== 92) return q + 1;
      let k = q - 1;
      while (buf.charCodeAt(k) === 92) k--;
      if ((q - 1 - k) % 2 === 0) return q + 1;
      j = q + 1;
    }
  }
}

/** Default most characters one record (or JSON Lines line, or single event) may have; larger ones are skipped. */
export const DEFAULT_MAX_VALUE = 64 * 1024 * 1024;
/** The largest limit that can be set: V8 cannot hold much more in one string. */
export const MAX_MAX_VALUE = 256 * 1024 * 1024;
/** Once this much of one value is held, further text is joined in doubling steps (see RecordEngine.feed). */
const DEFER_FROM = 1 << 20;

export interface EngineOptions {
  /**
   * Most characters (UTF-16 code units; bytes for ASCII text) one record may have, and likewise one JSON Lines
   * line or single-event file. A larger one is skipped with a `too-large` problem and its text is not kept, so a
   * hostile value (a gzip holding one 600 MB string) cannot exhaust memory. Default 64 MB.
   */
  maxValueSize?: number;
}

const mb = (n: number) => `${Math.round((n / 1048576) * 10) / 10} MB`;

export interface EngineResult {
  kind: FileKind;
  problems: Problem[];
  digest?: DigestInfo;
  textLength: number;
}

/** Field names a record may start with, for finding record starts before the first good record was read. */
const RECORD_KEY = /^(eventVersion|eventTime|eventName|eventSource|userIdentity|eventID|awsRegion|EventId|CloudTrailEvent|additionalEventData|apiVersion)$/;

const isWs = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 0xfeff;

export class RecordEngine {
  private buf = '';
  /** Absolute offset of buf[0]. */
  private base = 0;
  /** Absolute read position. */
  private pos = 0;
  private final = false;
  private state: St = St.Top;
  private readonly scanner = new ValueScanner();

  // Top-level value bookkeeping.
  private topCount = 0;
  private topStart = 0;
  private topBig = false;
  /** A member of the current top-level object is nested more than MAX_DEPTH levels (counting the object). */
  private topDeep = false;
  private topFirstLine = 0;
  private topKeys: string[] = [];
  private multi = false;
  private lineMode = false;
  private firstValueOneLine = false;
  /** End of the current line in line mode (absolute), else -1. */
  private lineLimit = -1;
  /** Container of records the walker is in: a `Records`/`Events` array inside an object, or a top-level array. */
  private container: 'Records' | 'Events' | 'array' | undefined;
  private containerDone = false;
  private elemStart = 0;
  private elemAfterComma = false;
  private recordFirstKey: string | undefined;
  private resyncFrom = 0;

  // Line tracking: `line` is the 1-based line of absolute offset `lineAt`; `lastNl` the offset of the newline
  // that starts that line (-1 for the first line).
  private line = 1;
  private lineAt = 0;
  private lastNl = -1;

  private kindSet: FileKind | undefined;
  private sawLookupElements = false;
  private nonRecordWarnings = 0;
  private digest: DigestInfo | undefined;
  private recordCount = 0;
  /**
   * Entries started inside record containers so far, damaged and skipped ones included: the number a message
   * gives a record ("Record 7") is its position in the file, not the count of good records before it.
   */
  private entryNo = 0;
  private out: CloudTrailRecord[] = [];
  private problems: Problem[] = [];
  private suppressed = 0;
  private textLength = 0;

  /** The buffer the records in `out` were cut from, while they all come from one (see BATCH_TEXT). */
  private outBuf: string | undefined;
  private outBase = 0;
  private outGen = -1;
  /** Bumped whenever `buf` is replaced. */
  private bufGen = 0;

  /** Records completed since the last call. */
  take(): CloudTrailRecord[] {
    const r = this.out;
    if (r.length && this.outBuf !== undefined) Object.defineProperty(r, BATCH_TEXT, { value: { text: this.outBuf, offset: this.outBase } });
    this.out = [];
    this.outBuf = undefined;
    return r;
  }

  get count(): number {
    return this.recordCount;
  }

  /** The walk is over: more text cannot add records or problems (e.g. the input was found to be binary). */
  get done(): boolean {
    return this.state === St.Done;
  }

  constructor(options: EngineOptions = {}) {
    this.maxValue = Math.min(MAX_MAX_VALUE, Math.max(1024, Math.floor(options.maxValueSize ?? DEFAULT_MAX_VALUE)));
  }

  feed(text: string): void {
    if (this.state === St.Done) {
      this.textLength += text.length;
      return;
    }
    this.textLength += text.length;
    // Text arriving while one long value is read is collected and joined in doubling steps: appending every
    // piece to the held text (and searching it again) made one huge value take quadratic time.
    if (this.pendingLen > 0 || (!this.oversize && this.held() >= DEFER_FROM)) {
      this.pending.push(text);
      this.pendingLen += text.length;
      const held = this.held();
      if (this.pendingLen < held && held + this.pendingLen <= this.maxValue) return;
      text = this.pending.length === 1 ? this.pending[0] : this.pending.join('');
      this.pending = [];
      this.pendingLen = 0;
    }
    this.buf = this.buf.length ? this.buf + text : text;
    this.bufGen++;
    this.walk();
    this.checkSize();
    this.trim();
  }

  finish(): EngineResult {
    if (this.pendingLen > 0 && this.state !== St.Done) {
      const text = this.pending.join('');
      this.pending = [];
      this.pendingLen = 0;
      this.buf = this.buf.length ? this.buf + text : text;
      this.bufGen++;
    }
    this.final = true;
    if (this.state !== St.Done) this.walk();
    return this.result();
  }

  // ---- size limits ------------------------------------------------------------------------------------------

  /** Most characters one value may have (see {@link EngineOptions.maxValueSize}). */
  private readonly maxValue: number;
  /** Text not yet appended to `buf` (see feed). */
  private pending: string[] = [];
  private pendingLen = 0;
  /** The value being scanned is larger than maxValue: its text is not kept, it is skipped at its end. */
  private oversize: { line: number; column: number } | undefined;
  /** The current top-level object (without a records container) is larger than maxValue: not kept, skipped. */
  private topOversize: { line: number; column: number } | undefined;
  /** Where the value the scanner is reading in state ObjValue started. */
  private scanStart = 0;

  /** Characters held in `buf` for the value being read (0 when nothing long is being held). */
  private held(): number {
    let from = -1;
    switch (this.state) {
      case St.ElemScan:
        from = this.elemStart;
        break;
      case St.ObjValue:
      case St.ObjKey:
      case St.ObjAfter:
        from = !this.container && !this.topOversize ? this.topStart : this.state === St.ObjValue ? this.scanStart : -1;
        break;
      case St.Top:
        // Waiting for the end of a JSON Lines line.
        from = this.lineMode ? this.pos : -1;
        break;
    }
    return from < 0 ? 0 : this.base + this.buf.length - from;
  }

  /** After a walk that needs more text: values that grew past the limit stop being kept. */
  private checkSize() {
    if (this.final || this.state === St.Done) return;
    const end = this.base + this.buf.length;
    if (!this.oversize && (this.state === St.ElemScan || this.state === St.ObjValue)) {
      const from = this.state === St.ElemScan ? this.elemStart : this.scanStart;
      if (end - from > this.maxValue) this.oversize = this.lineCol(from);
    }
    const inTop = this.state === St.ObjKey || this.state === St.ObjValue || this.state === St.ObjAfter;
    if (inTop && !this.container && !this.topOversize && end - this.topStart > this.maxValue) this.topOversize = this.lineCol(this.topStart);
    // Last resort (e.g. one property name of hundreds of MB): stop rather than hold text without bound.
    // (V8 strings end near 2^29 characters: stay below, whatever the limit.)
    if (this.buf.length - Math.max(0, this.pos - this.base) > Math.min(2 * this.maxValue + (1 << 24), 500 * 1048576)) {
      this.problem(
        'error',
        'too-large',
        `More than ${mb(Math.min(2 * this.maxValue, 500 * 1048576))} of text without a place where reading can go on (one name or value is far too large). The rest of the file was not read.`,
        this.pos,
      );
      this.state = St.Done;
      this.buf = '';
      this.base = end;
      this.bufGen++;
    }
  }

  private limitHint(): string {
    return `${mb(this.maxValue)}, the limit for one record (raise it with the CLI's --max-value-mb if you trust the file)`;
  }

  /** Best guess of the kind from what has been read so far (for sniffing a prefix). */
  guessKind(): FileKind {
    if (this.kindSet) return this.currentKind();
    if (this.container === 'Records') return 'log';
    if (this.container === 'Events') return 'lookup-events';
    if (this.state === St.Done) return 'unknown';
    if (this.container === 'array') {
      const head = this.buf.slice(Math.max(0, this.elemStart - this.base), Math.max(0, this.elemStart - this.base) + 4096);
      if (/"CloudTrailEvent"\s*:/.test(head)) return 'console-export';
      return /"(eventVersion|eventTime|eventName|eventSource|userIdentity|eventID)"\s*:/i.test(head) ? 'array' : 'unknown';
    }
    if (this.topKeys.length) {
      const o = {} as JsonObject;
      for (const k of this.topKeys) Object.defineProperty(o, k, { value: 1, enumerable: true });
      if (isDigest(o)) return 'digest';
      if (o['detail-type'] !== undefined && o['detail'] !== undefined) return 'eventbridge';
      if (looksLikeRecord(o)) return recordStyle(o) === 'legacy-iot' ? 'legacy-iot' : 'event';
    }
    return 'unknown';
  }

  /**
   * True when reading more text cannot change the kind any more (for sniffing a prefix): the records container
   * was found, a second top-level value showed the file is JSON Lines, the first element of a top-level array
   * decided it, or the walk is over.
   */
  kindSettled(): boolean {
    if (this.state === St.Done) return true;
    // A `Records` array is CloudTrail only when its first entry is a CloudTrail record (Lambda payloads share the shape).
    if (this.container === 'Records') return this.recordCount > 0 || this.kindSet === 'unknown';
    if (this.container === 'Events') return true;
    if (this.multi) return this.kindSet !== undefined;
    if (this.container === 'array') return this.kindSet !== undefined;
    return false;
  }

  private currentKind(): FileKind {
    const kind: FileKind = this.kindSet ?? 'unknown';
    return this.multi && kind !== 'unknown' && kind !== 'log' && kind !== 'lookup-events' && kind !== 'eventbridge' ? 'jsonl' : kind;
  }

  private result(): EngineResult {
    const kind = this.currentKind();
    const problems = this.problems.slice();
    if (this.suppressed) {
      problems.push({
        severity: 'warning',
        message: `${this.suppressed} more problems were found but are not listed.`,
        line: this.line,
        column: 1,
        code: 'more-problems',
      });
    }
    const r: EngineResult = { kind, problems, textLength: this.textLength };
    if (this.digest) r.digest = this.digest;
    return r;
  }

  // ---- positions ------------------------------------------------------------------------------------------

  /** Absolute offset of the first newline at or after lineAt, when known (else -1). */
  private nextNl = -1;
  /** When nextNl is -1: no newline exists in [lineAt, nlScanned). Keeps newline search linear on one-line files. */
  private nlScanned = 0;

  /** Moves the line counter forward to absolute offset `abs` (must be >= lineAt and still in buf). */
  private advanceLines(abs: number) {
    while (this.lineAt < abs) {
      if (this.nextNl < 0) {
        const from = Math.max(this.lineAt, this.nlScanned) - this.base;
        const nl = this.buf.indexOf('\n', from);
        if (nl < 0) {
          this.nlScanned = this.base + this.buf.length;
          this.lineAt = abs;
          return;
        }
        this.nextNl = nl + this.base;
      }
      if (this.nextNl >= abs) {
        this.lineAt = abs;
        return;
      }
      this.line++;
      this.lastNl = this.nextNl;
      this.lineAt = this.nextNl + 1;
      this.nextNl = -1;
    }
  }

  /** Line and column (1-based) of an absolute offset still held in buf. */
  private lineCol(abs: number): { line: number; column: number } {
    if (abs >= this.lineAt) {
      this.advanceLines(abs);
      return { line: this.line, column: abs - this.lastNl };
    }
    // Backwards (e.g. the start of a record already counted past): count the newlines in between.
    const buf = this.buf;
    const stop = Math.max(0, abs - this.base);
    let n = 0;
    let j = this.lineAt - this.base;
    let firstNl = -1;
    for (;;) {
      const nl = buf.lastIndexOf('\n', j - 1);
      if (nl < stop || nl < 0) break;
      n++;
      firstNl = nl;
      j = nl;
    }
    void firstNl;
    if (n === 0) return { line: this.line, column: abs - this.lastNl };
    const prev = stop > 0 ? buf.lastIndexOf('\n', stop - 1) : -1;
    const lineStartNl = prev >= 0 ? prev + this.base : this.base === 0 ? -1 : this.base - 1;
    return { line: this.line - n, column: abs - lineStartNl };
  }

  /** The 1-based position of the record being read, for messages. */
  private ordinal(): number {
    return this.container ? this.entryNo : this.recordCount + 1;
  }

  private problem(severity: Severity, code: string, message: string, abs: number) {
    if (this.problems.length >= MAX_PROBLEMS) {
      this.suppressed++;
      return;
    }
    const { line, column } = this.lineCol(Math.max(this.base, Math.min(abs, this.base + this.buf.length)));
    this.problems.push({ severity, message, line, column, code });
  }

  /** Adds a problem at a known line/column (used by the public layer for gzip errors). */
  addProblem(p: Problem) {
    if (this.problems.length >= MAX_PROBLEMS) this.suppressed++;
    else this.problems.push(p);
  }

  /** The walk is inside the `Records` array of a `{"Records":[…]}` log. */
  get inRecordsArray(): boolean {
    return this.container === 'Records' && !this.containerDone && this.state !== St.Done;
  }

  /**
   * When everything read so far ends between two records of a `{"Records":[…]}` array (the next value would be
   * the next record, and no text is held back): the absolute offset and line of that end. Otherwise undefined.
   * Lets a caller hand the rest of the file to another parser (see core/table/indexer.ts) and check afterwards
   * that the place it cut really was a record boundary.
   */
  recordBoundary(): { offset: number; line: number } | undefined {
    if (this.final || this.pendingLen > 0 || this.state !== St.Elem || this.container !== 'Records' || this.containerDone) return undefined;
    const end = this.base + this.buf.length;
    if (this.pos !== end) return undefined;
    return { offset: end, line: this.lineCol(end).line };
  }

  /**
   * The result so far, without the end-of-input checks of finish(): for a parse stopped at a recordBoundary()
   * whose rest was parsed elsewhere. `restLength` is added to textLength.
   */
  resultAtBoundary(restLength: number): EngineResult {
    const r = this.result();
    r.textLength += restLength;
    return r;
  }

  /** Line/column of the end of the text read so far. */
  endPosition(): { line: number; column: number } {
    return this.lineCol(this.base + this.buf.length);
  }

  // ---- memory -----------------------------------------------------------------------------------------------

  private trim() {
    if (this.final) return;
    let keep = this.pos;
    switch (this.state) {
      case St.ElemScan:
        keep = this.oversize ? Math.max(this.base, this.scanner.pos - 4096) : this.elemStart;
        break;
      case St.ObjValue:
        if (this.oversize) keep = Math.max(this.base, this.scanner.pos - 4096);
        break;
      case St.Resync:
        keep = Math.max(this.base, this.resyncFrom - 64);
        break;
      case St.Done:
        keep = this.base + this.buf.length;
        break;
    }
    // The whole top-level object is parsed at its end unless it turned out to hold a record container.
    if (this.topCount >= 0 && !this.container && !this.topOversize && (this.state === St.ObjKey || this.state === St.ObjValue || this.state === St.ObjAfter)) {
      keep = Math.min(keep, this.topStart);
    }
    const drop = keep - this.base;
    if (drop < 1 << 20 && drop < this.buf.length / 2) return;
    this.advanceLines(keep);
    this.buf = this.buf.slice(drop);
    this.bufGen++;
    this.base = keep;
  }

  // ---- walker -------------------------------------------------------------------------------------------------

  /** Absolute end of readable text for the current value (line end in line mode). */
  private limit(): number {
    return this.lineLimit >= 0 ? this.lineLimit : this.base + this.buf.length;
  }

  /** Skips whitespace from pos; returns the char code there, or -1 if the limit was reached. */
  private skipWs(): number {
    const buf = this.buf;
    const lim = this.limit() - this.base;
    let i = this.pos - this.base;
    while (i < lim && isWs(buf.charCodeAt(i))) i++;
    this.pos = i + this.base;
    return i < lim ? buf.charCodeAt(i) : -1;
  }

  /** True when the limit we ran into is final (end of the text or end of the line in line mode). */
  private atHardEnd(): boolean {
    return this.final || (this.lineLimit >= 0 && this.lineLimit < this.base + this.buf.length);
  }

  private walk() {
    for (;;) {
      switch (this.state) {
        case St.Done:
          return;
        case St.Top:
          if (!this.stepTop()) return;
          break;
        case St.ObjKey:
          if (!this.stepObjKey()) return;
          break;
        case St.ObjValue: {
          const r = this.scanner.run(this.buf, this.base, this.limit(), this.atHardEnd());
          if (r === Scan.Need) {
            if (this.atHardEnd()) {
              this.broken('ends in the middle of a value', this.pos, true);
              break;
            }
            return;
          }
          this.topBig ||= this.scanner.big;
          this.topDeep ||= this.scanner.tooDeep;
          this.oversize = undefined;
          this.pos = this.scanner.end;
          this.state = St.ObjAfter;
          break;
        }
        case St.ObjAfter:
          if (!this.stepObjAfter()) return;
          break;
        case St.Elem:
          if (!this.stepElem()) return;
          break;
        case St.ElemScan: {
          const r = this.scanner.run(this.buf, this.base, this.limit(), this.atHardEnd());
          if (r === Scan.Need) {
            if (this.atHardEnd()) {
              this.unclosedElement();
              break;
            }
            return;
          }
          this.pos = this.scanner.end;
          this.state = St.ElemAfter;
          if (this.oversize || this.scanner.end - this.elemStart > this.maxValue) {
            const at = this.oversize ?? this.lineCol(this.elemStart);
            this.oversize = undefined;
            this.addProblem({
              severity: 'error',
              message: `Record ${this.entryNo} (to line ${this.lineCol(this.scanner.end - 1).line}) is larger than ${this.limitHint()}. It was skipped; the records after it were read.`,
              line: at.line,
              column: at.column,
              code: 'too-large',
            });
          } else this.emitElement(this.elemStart, this.scanner.end, this.scanner.big, this.scanner.tooDeep);
          break;
        }
        case St.ElemAfter:
          if (!this.stepElemAfter()) return;
          break;
        case St.Resync:
          if (!this.stepResync()) return;
          break;
        case St.SkipLine:
          if (!this.stepSkipLine()) return;
          break;
      }
    }
  }

  private stepTop(): boolean {
    this.lineLimit = -1;
    const c = this.skipWs();
    if (c < 0) {
      if (this.final) {
        if (this.topCount === 0) this.notCloudTrail(this.textLength === 0 ? 'empty' : 'blank');
        this.state = St.Done;
        return true;
      }
      return false;
    }
    const start = this.pos;
    if (this.topCount > 0 && !this.multi && c !== 123 && c !== 91) {
      // Record text right after the end of a `{"Records":[…]}` log: the array was ended early by damage.
      const r = this.resumeRecords(start);
      if (r === undefined) return false;
      if (r) return true;
    }
    if (this.topCount > 0 && !this.multi && c !== 123 && c !== 91 && !this.firstValueOneLine) {
      // Text after one pretty-printed value (e.g. the stray "," of a copy from documentation): the file is that
      // one value, not JSON Lines.
      this.problem(
        'warning',
        'trailing-text',
        `Unexpected ${describe(c)} after the end of the JSON value; it was ignored. Remove it (and anything after it) to make the file valid JSON.`,
        start,
      );
      this.skipLineFrom(start);
      return true;
    }
    if (this.topCount > 0) {
      if (!this.multi) {
        this.multi = true;
        this.lineMode = this.firstValueOneLine && this.lineCol(start).line > this.topFirstLine;
      }
      if (this.lineMode) {
        const nl = this.buf.indexOf('\n', start - this.base);
        if (nl < 0 && !this.final) {
          if (this.base + this.buf.length - start <= this.maxValue) return false;
          this.problem('error', 'too-large', `This line is longer than ${this.limitHint()}. It was skipped; the other lines were read.`, start);
          this.skipLineFrom(start);
          return true;
        }
        this.lineLimit = nl < 0 ? this.base + this.buf.length : nl + this.base;
      }
      if (c !== 123 && c !== 91) {
        this.problem('error', 'invalid-json', 'This line is not a JSON object; it was skipped. Each line of a JSON Lines file must hold one event.', start);
        this.skipLineFrom(start);
        return true;
      }
    } else if (c !== 123 && c !== 91) {
      this.notCloudTrail(this.looksBinary(start) ? 'binary' : 'text');
      this.state = St.Done;
      return true;
    }
    this.topCount++;
    this.topStart = start;
    this.topBig = false;
    this.topDeep = false;
    this.topOversize = undefined;
    this.topKeys = [];
    this.topFirstLine = this.lineCol(start).line;
    this.container = undefined;
    this.containerDone = false;
    this.pos = start + 1;
    if (c === 123) {
      this.state = St.ObjKey;
      this.elemAfterComma = false;
    } else {
      this.container = 'array';
      this.elemAfterComma = false;
      this.state = St.Elem;
    }
    return true;
  }

  private looksBinary(start: number): boolean {
    const sample = this.buf.slice(start - this.base, start - this.base + 512);
    let bad = 0;
    for (let i = 0; i < sample.length; i++) {
      const c = sample.charCodeAt(i);
      if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
    }
    return bad > 0 && bad * 20 >= sample.length ? true : sample.indexOf('\u0000') >= 0;
  }

  private notCloudTrail(why: 'empty' | 'blank' | 'binary' | 'text' | 'json', looksLike?: string, at?: number) {
    this.kindSet = 'unknown';
    if (looksLike !== undefined) {
      this.problem(
        'error',
        'not-cloudtrail',
        `This is not a CloudTrail file: this is ${looksLike}, whose entries are not CloudTrail records. Open a CloudTrail log file, a lookup-events output, EventBridge events of CloudTrail records or a JSON Lines export of events.`,
        at ?? this.topStart,
      );
      return;
    }
    const msg = {
      empty: 'The file is empty, so it is not a CloudTrail file. Open a CloudTrail log file (.json or .json.gz).',
      blank: 'The file holds only whitespace, so it is not a CloudTrail file. Open a CloudTrail log file (.json or .json.gz).',
      binary:
        'This is not a CloudTrail file: it holds binary data, not JSON text. CloudTrail log files are JSON, optionally gzip-compressed (.json.gz); other compression formats are not supported.',
      text: 'This is not a CloudTrail file: it does not start with JSON ("{" or "["). Open a CloudTrail log file, a lookup-events output or a JSON Lines export of events.',
      json: 'This JSON is not CloudTrail data: it has none of the CloudTrail record fields (eventName, eventTime, userIdentity…). Open a CloudTrail log file, a lookup-events output or a JSON Lines export of events.',
    }[why];
    this.problem('error', 'not-cloudtrail', msg, at ?? (why === 'json' ? this.topStart : this.pos));
  }

  /** Reads `"key"` `:` at pos; returns the key and moves pos to the value, or undefined if more text is needed. */
  private readKey(): string | undefined | null {
    const buf = this.buf;
    const lim = this.limit() - this.base;
    const i = this.pos - this.base;
    let j = i + 1;
    let q: number;
    for (;;) {
      q = buf.indexOf('"', j);
      if (q < 0 || q >= lim) return undefined;
      let k = q - 1;
      while (buf.charCodeAt(k) === 92) k--;
      if ((q - 1 - k) % 2 === 0) break;
      j = q + 1;
    }
    let key: string;
    try {
      key = JSON.parse(buf.slice(i, q + 1)) as string;
    } catch {
      return null;
    }
    let p = q + 1;
    while (p < lim && isWs(buf.charCodeAt(p))) p++;
    if (p >= lim) return undefined;
    if (buf.charCodeAt(p) !== 58) return null;
    p++;
    while (p < lim && isWs(buf.charCodeAt(p))) p++;
    if (p >= lim) return undefined;
    this.pos = p + this.base;
    return key;
  }

  private stepObjKey(): boolean {
    const c = this.skipWs();
    if (c < 0) return this.needOrBroken('ends in the middle of an object');
    if (c === 125 && !this.elemAfterComma) {
      this.pos++;
      this.endTopObject();
      return true;
    }
    if (c !== 34) {
      this.broken(`expected a property name in double quotes, found ${describe(c)}`, this.pos, false);
      return true;
    }
    const keyAt = this.pos;
    const key = this.readKey();
    if (key === undefined) {
      this.pos = keyAt;
      return this.needOrBroken('ends in the middle of a property name');
    }
    if (key === null) {
      this.broken('expected a property name followed by ":"', keyAt, false);
      return true;
    }
    this.topKeys.push(key);
    const v = this.buf.charCodeAt(this.pos - this.base);
    if (key !== 'Records' && key !== 'Events' && v === 91 && !this.container && this.topCount === 1 && this.topKeys.length === 1 && this.firstElementIsRecord()) {
      // `{"Rocords":[{"eventVersion"…` — the log's one key damaged: read the array as the Records array, and say so.
      this.problem('warning', 'damaged-header', `The records array is named ${JSON.stringify(key)}, not "Records" (damaged text?). It was read as the Records array.`, this.pos);
      this.container = 'Records';
      this.kindSet = 'log';
      this.pos++;
      this.elemAfterComma = false;
      this.state = St.Elem;
      return true;
    }
    if ((key === 'Records' || key === 'Events') && v === 91 && !this.container) {
      this.container = key;
      this.kindSet = key === 'Records' ? 'log' : 'lookup-events';
      this.pos++;
      this.elemAfterComma = false;
      this.state = St.Elem;
      return true;
    }
    // The top-level object is one level already: a record is too deep by the same rule wherever it sits.
    this.scanStart = this.pos;
    this.scanner.start(this.pos, MAX_DEPTH - 1);
    this.state = St.ObjValue;
    return true;
  }

  private stepObjAfter(): boolean {
    const c = this.skipWs();
    if (c < 0) return this.needOrBroken('ends in the middle of an object');
    if (c === 44) {
      this.pos++;
      this.elemAfterComma = true;
      this.state = St.ObjKey;
      return true;
    }
    if (c === 125) {
      this.pos++;
      this.endTopObject();
      return true;
    }
    this.broken(`expected "," or "}" after a property value, found ${describe(c)}`, this.pos, false);
    return true;
  }

  private endTopObject() {
    const end = this.pos;
    if (this.topCount === 1) this.firstValueOneLine = this.lineCol(end).line === this.topFirstLine;
    this.state = St.Top;
    if (this.container) return;
    if (this.topOversize || end - this.topStart > this.maxValue) {
      const at = this.topOversize ?? this.lineCol(this.topStart);
      const what = this.multi ? 'The record on this line' : 'The record';
      this.addProblem({ severity: 'error', message: `${what} is larger than ${this.limitHint()}. It was skipped.`, line: at.line, column: at.column, code: 'too-large' });
      return;
    }
    this.handleWholeObject(this.topStart, end);
  }

  private stepElem(): boolean {
    const c = this.skipWs();
    if (c < 0) return this.needOrUnclosedContainer();
    if (c === 93) {
      // `]` (a trailing comma before it is tolerated).
      this.pos++;
      this.endContainer();
      return true;
    }
    this.elemStart = this.pos;
    this.entryNo++;
    this.scanner.start(this.pos);
    this.state = St.ElemScan;
    return true;
  }

  private stepElemAfter(): boolean {
    const c = this.skipWs();
    if (c < 0) return this.needOrUnclosedContainer();
    if (c === 44) {
      this.pos++;
      this.state = St.Elem;
      return true;
    }
    if (c === 93) {
      this.pos++;
      this.endContainer();
      return true;
    }
    this.problem('error', 'invalid-json', `Expected "," or "]" after record ${this.entryNo}, found ${describe(c)}. Records after this point may be missing; check the file around here.`, this.pos);
    this.startResync(this.pos);
    return true;
  }

  private endContainer() {
    if (this.container === 'array') {
      const end = this.pos;
      if (this.topCount === 1) this.firstValueOneLine = this.lineCol(end).line === this.topFirstLine;
      if (!this.kindSet) this.kindSet = 'array';
      this.state = St.Top;
    } else {
      this.containerDone = true;
      this.state = St.ObjAfter;
    }
  }

  /** Out of text: wait for more, or report the structural break when nothing more will come. */
  private needOrBroken(msg: string): boolean {
    if (!this.atHardEnd()) return false;
    this.broken(msg, this.pos, true);
    return true;
  }

  private needOrUnclosedContainer(): boolean {
    if (!this.atHardEnd()) return false;
    const what = this.container === 'array' ? 'array' : `"${this.container}" array`;
    if (this.lineMode) {
      this.problem('error', 'invalid-json', `This line ends before the ${what} is closed. The records on it that were complete are shown.`, this.pos);
      this.skipLineFrom(this.pos);
    } else {
      this.problem(
        'error',
        'truncated-json',
        `The file ends before the ${what} is closed (truncated?). Showing the ${this.recordCount} records read before the end; download or copy the file again to get the rest.`,
        this.pos,
      );
      this.state = St.Done;
    }
    return true;
  }

  /**
   * A structural error in a top-level object (a single event, a JSON Lines line, or the wrapper around the
   * records). `atEnd` tells that the text simply ran out.
   */
  private broken(msg: string, at: number, atEnd: boolean) {
    if (this.containerDone && this.resumeRecords(at)) return;
    if (!this.container && !this.lineMode && !this.multi && this.topCount === 1) {
      // Damage in the first characters of a log (`{""Records":[…`): read on from the first record start.
      const next = this.findRecordStart(at, this.final);
      if (next >= 0 && next - at < 4096) {
        this.problem('error', 'invalid-json', `The JSON is not valid here: ${msg}. The start of the file is damaged; reading went on at the first record (line ${this.lineCol(next).line}).`, at);
        this.container = 'Records';
        this.kindSet = 'log';
        this.state = St.Elem;
        this.pos = next;
        return;
      }
    }
    if (this.containerDone) {
      this.problem('warning', 'invalid-json', `The JSON ${msg} after the records. All records were read; the rest was ignored.`, at);
      if (this.lineMode) this.skipLineFrom(at);
      else this.state = St.Done;
      return;
    }
    if (this.lineMode || this.multi) {
      this.problem('error', 'invalid-json', `This line is not a complete JSON object (it ${msg}). It was skipped; the other lines were read.`, at);
    } else if (atEnd && this.final) {
      this.problem('error', 'truncated-json', `The file ${msg} (truncated?). Download or copy it again to get the complete text.`, at);
    } else {
      this.problem('error', 'invalid-json', `The JSON is not valid here: ${msg}. Fix the text there or download the file again.`, at);
    }
    // Continue on a later line that starts a JSON object: this is how a damaged line of a JSON Lines file is
    // stepped over (searching from the start of the damaged value, so the very next line is not lost).
    this.skipLineFrom(this.lineMode ? Math.max(at, this.lineLimit) : this.topStart);
  }

  /** The text at pos (just after a `[`) starts with a record-looking object (see {@link isRecordStart}). */
  private firstElementIsRecord(): boolean {
    const buf = this.buf;
    let i = this.pos - this.base + 1;
    while (i < buf.length && isWs(buf.charCodeAt(i))) i++;
    return buf.charCodeAt(i) === 123 && this.isRecordStart(i);
  }

  /**
   * After the `Records` array of a log ended (its `]` was read), unexpected text at `at` that is followed by a
   * record start means damage closed the array early (a span copied twice in a one-line log does that): report
   * it and read on in the array from that record. True if resumed, false if not, undefined if more text is
   * needed to tell. Not for JSON Lines (each line is its own value there).
   */
  private resumeRecords(at: number): boolean | undefined {
    if (this.lineMode || this.multi) return false;
    // A log whose array ended early, or (one value read so far) a log whose start was damaged into an object.
    if (!(this.container === 'Records' && this.containerDone) && !(this.container === undefined && this.topCount === 1)) return false;
    const next = this.findRecordStart(at, this.final);
    if (next < 0) return this.final || this.base + this.buf.length - at > 1 << 16 ? false : undefined;
    const what = this.container === 'Records' ? 'The "Records" array ends early here' : 'The start of the file is damaged (it does not open a "Records" array)';
    this.problem(
      'error',
      'invalid-json',
      `${what} (damaged text?): more records follow. Reading went on at the next record (line ${this.lineCol(next).line}, column ${this.lineCol(next).column}); records between may be missing. Download or copy the file again to get it intact.`,
      at,
    );
    this.container = 'Records';
    this.kindSet = 'log';
    this.containerDone = false;
    this.state = St.Elem;
    this.pos = next;
    return true;
  }

  private skipLineFrom(abs: number) {
    this.pos = Math.max(this.base, abs);
    this.state = St.SkipLine;
  }

  private stepSkipLine(): boolean {
    // Move to the next line that can start a top-level value: in JSON Lines mode any non-blank line, otherwise a
    // line whose first character is `{` (column 1, so nested objects of pretty-printed JSON do not count).
    const buf = this.buf;
    let j = this.pos - this.base;
    for (;;) {
      const nl = buf.indexOf('\n', j);
      if (nl < 0) {
        if (this.final) {
          this.state = St.Done;
          return true;
        }
        this.pos = Math.max(this.pos, buf.length - 1 + this.base);
        return false;
      }
      if (nl + 1 >= buf.length && !this.final) {
        this.pos = nl + this.base;
        return false;
      }
      const c = buf.charCodeAt(nl + 1);
      if (c === 123 || (this.lineMode && c !== 10 && c !== 13)) {
        this.pos = nl + 1 + this.base;
        this.lineLimit = -1;
        this.container = undefined;
        this.containerDone = false;
        if (this.topCount > 0) this.multi = true;
        this.state = St.Top;
        return true;
      }
      j = nl + 1;
    }
  }

  /** The text ran out (for good) inside a record. */
  private unclosedElement() {
    const start = this.elemStart;
    if (this.oversize) {
      const at = this.oversize;
      this.oversize = undefined;
      this.addProblem({
        severity: 'error',
        message: `The file ends inside record ${this.entryNo}, which is larger than ${this.limitHint()} (truncated?). Showing the ${this.recordCount} records before it.`,
        line: at.line,
        column: at.column,
        code: 'too-large',
      });
      this.state = St.Done;
      return;
    }
    if (this.lineMode) {
      this.problem('error', 'invalid-json', `Record ${this.ordinal()} is incomplete: the line ends before it closes. It was skipped; the other lines were read.`, start);
      this.skipLineFrom(this.lineLimit);
      return;
    }
    // A later record start means the damage is local; otherwise the file was cut here.
    let next = this.findRecordStart(start + 1, true);
    if (next >= 0) {
      this.problem('error', 'invalid-json', `Record ${this.ordinal()} is damaged (its brackets do not close). It was skipped; the records after it were read.`, start);
      // Record starts whose brackets do not close either are skipped here, without scanning each to the end of
      // the text again (that made a file of unclosed records take quadratic time).
      const unclosed = this.unclosedStarts(start);
      while (next >= 0 && unclosed.has(next)) {
        this.entryNo++;
        this.problem('error', 'invalid-json', `Record ${this.entryNo} is damaged (its brackets do not close). It was skipped; the records after it were read.`, next);
        next = this.findRecordStart(next + 1, true);
      }
      if (next < 0) {
        this.state = St.Done;
        return;
      }
      this.pos = next;
      this.state = St.Elem;
      return;
    }
    this.problem(
      'error',
      'truncated-json',
      `The file ends in the middle of record ${this.ordinal()} (truncated?). Showing the ${this.recordCount} records before it; download or copy the file again to get the rest.`,
      start,
    );
    this.state = St.Done;
  }

  /** Result of {@link unclosedStarts}: the text from `from` on was matched once; these record starts never close. */
  private unclosedMemo: { from: number; starts: Set<number> } | undefined;

  /**
   * One pass over the rest of the text (which is all in `buf`: only called at the end of the input) matching
   * brackets outside strings from `from`: returns the record starts (see {@link isRecordStart}) whose bracket is
   * never closed. Later calls for a start inside the same span reuse the answer, so this stays linear.
   */
  private unclosedStarts(from: number): Set<number> {
    const memo = this.unclosedMemo;
    if (memo && from >= memo.from) return memo.starts;
    const buf = this.buf;
    const stack: number[] = [];
    const n = buf.length;
    let i = Math.max(0, from - this.base);
    while (i < n) {
      const c = buf.charCodeAt(i);
      if (c === 34) {
        // Skip the string (an escaped quote does not end it).
        let j = i + 1;
        for (;;) {
          const q = buf.indexOf('"', j);
          if (q < 0) {
            j = n;
            break;
          }
          let k = q - 1;
          while (buf.charCodeAt(k) === 92) k--;
          if ((q - 1 - k) % 2 === 0) {
            j = q + 1;
            break;
          }
          j = q + 1;
        }
        i = j;
        continue;
      }
      if (c === 123 || c === 91) stack.push(c === 123 && this.isRecordStart(i) ? i + this.base : -1);
      else if (c === 125 || c === 93) stack.pop();
      i++;
    }
    const starts = new Set<number>();
    for (const p of stack) if (p >= 0) starts.add(p);
    this.unclosedMemo = { from, starts };
    return starts;
  }

  private startResync(from: number) {
    if (this.lineMode) {
      this.skipLineFrom(Math.max(from, this.lineLimit));
      return;
    }
    this.resyncFrom = from + 1;
    this.state = St.Resync;
  }

  private stepResync(): boolean {
    const next = this.findRecordStart(this.resyncFrom, this.final);
    if (next >= 0) {
      this.pos = next;
      this.state = St.Elem;
      return true;
    }
    if (this.final) {
      this.state = St.Done;
      return true;
    }
    // Keep looking once more text is here; never search the same text twice.
    this.resyncFrom = Math.max(this.resyncFrom, this.base + this.buf.length - 256);
    return false;
  }

  /**
   * Finds the next `{` that starts a record: preceded by `,` or `[` and followed by the first key the good
   * records of this file start with (or any CloudTrail field name if none was read yet). Returns -1 if none.
   */
  private findRecordStart(fromAbs: number, final: boolean): number {
    const buf = this.buf;
    let j = Math.max(0, fromAbs - this.base);
    const limit = buf.length - (final ? 0 : 256);
    for (;;) {
      const b = buf.indexOf('{', j);
      if (b < 0 || b >= limit) return -1;
      j = b + 1;
      if (this.isRecordStart(b)) return b + this.base;
    }
  }

  /**
   * The first record start (see {@link isRecordStart}) strictly inside the record text [start, end); -1 if none.
   * One native search for `"<first key>"` per record (the first key of the file's records, or of this one).
   */
  private nestedRecordStart(start: number, end: number): number {
    const buf = this.buf;
    let needle: string;
    if (this.recordFirstKey !== undefined) needle = JSON.stringify(this.recordFirstKey);
    else {
      // The first record: its own first key is what the next record would start with.
      let q = start - this.base + 1;
      while (q < buf.length && isWs(buf.charCodeAt(q))) q++;
      const close = buf.charCodeAt(q) === 34 ? buf.indexOf('"', q + 1) : -1;
      if (close < 0 || close - q > 64 || !RECORD_KEY.test(buf.slice(q + 1, close))) return -1;
      needle = buf.slice(q, close + 1);
    }
    const from = start - this.base + 1;
    // Searched within the record only: indexOf has no end bound, and when the next record does not start with
    // the needle (files mixing record shapes) an unbounded search would run to the end of the buffer for every
    // record. A slice of a flat string is a view in V8, not a copy.
    const own = buf.slice(from, end - this.base);
    let j = 0;
    for (;;) {
      const found = own.indexOf(needle, j);
      if (found < 0) return -1;
      j = found + 1;
      const q = from + found;
      let b = q - 1;
      while (b > 0 && isWs(buf.charCodeAt(b))) b--;
      if (buf.charCodeAt(b) === 123 && b + this.base > start && this.isRecordStart(b)) return b + this.base;
    }
  }

  /**
   * The `{` at buf index `b` looks like the start of a record: preceded by `,` or `[` and followed by the first
   * key the good records of this file start with (or any CloudTrail field name if none was read yet).
   */
  private isRecordStart(b: number): boolean {
    const buf = this.buf;
    let p = b - 1;
    while (p >= 0 && isWs(buf.charCodeAt(p))) p--;
    const before = p >= 0 ? buf.charCodeAt(p) : -1;
    if (before !== 44 && before !== 91) return false;
    let q = b + 1;
    while (q < buf.length && isWs(buf.charCodeAt(q))) q++;
    if (buf.charCodeAt(q) !== 34) return false;
    const close = buf.indexOf('"', q + 1);
    if (close < 0 || close - q > 64) return false;
    const k = buf.slice(q + 1, close);
    return this.recordFirstKey !== undefined ? k === this.recordFirstKey : RECORD_KEY.test(k);
  }

  // ---- building records ---------------------------------------------------------------------------------------

  private parseSlice(start: number, end: number, big: boolean): { value?: JsonValue; text?: string; error?: string; errorAt?: number } {
    const text = this.buf.slice(start - this.base, end - this.base);
    if (!big) {
      try {
        return { value: JSON.parse(text) as JsonValue, text };
      } catch {
        // Fall through: the lossless parser gives a precise position (and agrees on validity).
      }
    }
    try {
      return { value: parseLossless(text), text };
    } catch (e) {
      if (e instanceof JsonSyntaxError) return { error: e.message, errorAt: start + e.offset };
      return { error: String(e), errorAt: start };
    }
  }

  private range(start: number, end: number) {
    const s = this.lineCol(start).line;
    const e = this.lineCol(Math.max(start, end - 1)).line;
    return { startLine: s, endLine: e, startOffset: start, endOffset: end };
  }

  private emitElement(start: number, end: number, big: boolean, tooDeep: boolean) {
    if (tooDeep) {
      this.problem('error', 'too-deep', `Record ${this.ordinal()} is nested more than ${MAX_DEPTH} levels deep, which no CloudTrail record does. It was skipped.`, start);
      return;
    }
    // The next record starting inside this one means the text around here is damaged (e.g. a span copied twice
    // can still be valid JSON that swallows the rest of a one-line log): skip this record, read on from there.
    const inner = this.nestedRecordStart(start, end);
    if (inner >= 0) {
      const at = this.lineCol(inner);
      this.problem(
        'error',
        'invalid-json',
        `Record ${this.ordinal()} is damaged: another record starts inside it (line ${at.line}, column ${at.column}). It was skipped; reading went on from there. Download or copy the file again to get it intact.`,
        start,
      );
      this.pos = inner;
      this.state = St.Elem;
      return;
    }
    const { value, text, error, errorAt } = this.parseSlice(start, end, big);
    if (error !== undefined) {
      this.problem('error', 'invalid-json', `Record ${this.ordinal()} is not valid JSON (${error}). It was skipped; fix the text there or download the file again.`, errorAt ?? start);
      // The scanner's idea of where this record ends cannot be trusted (brackets may be unbalanced): look for the
      // next record start after this one's beginning instead.
      this.startResync(start);
      return;
    }
    if (!isPlainObject(value) && this.container === 'array' && this.recordCount === 0) {
      this.notCloudTrail('json');
      this.state = St.Done;
      return;
    }
    if (!isPlainObject(value)) {
      this.problem('warning', 'not-an-object', `This entry is ${describeValue(value)}, not an event object; it was skipped.`, start);
      return;
    }
    this.addRecord(value, text!, start, end, this.container !== 'array');
  }

  /** Classifies and stores one record-like object. */
  private addRecord(value: JsonObject, sourceText: string, start: number, end: number, fromContainer: boolean) {
    let event = value;
    let original: JsonValue | undefined;
    // JSON text of `event` (see CloudTrailRecord.text): the file's own slice, or the wrapper's CloudTrailEvent string.
    let text: string | undefined = sourceText;
    const verdict = recordVerdict(value);
    if (!verdict.record && verdict.looksLike !== undefined) {
      if (this.recordCount === 0) {
        this.notCloudTrail('json', verdict.looksLike, start);
        this.state = St.Done;
        return;
      }
      if (this.nonRecordWarnings++ < 20) {
        this.problem('warning', 'not-a-record', `Record ${this.ordinal()} is ${verdict.looksLike}, not a CloudTrail record; it is shown as it is.`, start);
      }
    }
    const inner = value['CloudTrailEvent'];
    if (verdict.envelope) {
      // EventBridge envelope: the record is its `detail`; no text of the file is exactly that object.
      event = verdict.detail!;
      original = value;
      text = undefined;
      if (this.recordCount === 0 && (!this.kindSet || this.kindSet === 'array' || this.kindSet === 'event')) this.kindSet = 'eventbridge';
    } else if (typeof inner === 'string') {
      // lookup-events / console export entry: the full record is a JSON string.
      // Console "Event history → Download events → JSON": we could not pin down one documented shape. Some
      // downloads are `{"Records":[…full records…]}` (read as kind 'log', indistinguishable from a delivered log),
      // others a bare array of LookupEvents-style entries (`EventId`, `EventName`, …, `CloudTrailEvent` string),
      // which is kind 'console-export'. Both work; for the latter the record is the parsed `CloudTrailEvent`,
      // the entry as downloaded is kept in `original`, and its range covers the whole entry.
      this.sawLookupElements = true;
      let parsed: JsonValue | undefined;
      try {
        parsed = NEEDS_LOSSLESS.test(inner) ? parseLossless(inner) : (JSON.parse(inner) as JsonValue);
      } catch (e) {
        this.problem('error', 'invalid-json', `The CloudTrailEvent text of record ${this.ordinal()} is not valid JSON (${e instanceof Error ? e.message : e}). The summary fields are shown instead.`, start);
      }
      if (isPlainObject(parsed)) {
        event = parsed;
        original = value;
        text = inner;
      }
    }
    if (this.container === 'array' && this.recordCount === 0 && (!this.kindSet || this.kindSet === 'array')) {
      this.kindSet = this.sawLookupElements ? 'console-export' : 'array';
    }
    if (verdict.envelope) {
      if (this.recordCount === 0 && this.container === 'array') this.kindSet = 'eventbridge';
    }
    const style = recordStyle(event);
    if (style !== 'standard') {
      // Renamed fields: no text says what the normalised event says; consumers serialise `event` if they need it.
      text = undefined;
      original ??= event;
      event = style === 'legacy-iot' ? normaliseLegacyIot(event) : normaliseLowercase(event);
    }
    if (!looksLikeRecord(event) && !looksLikeRecord(value)) {
      if (this.recordCount === 0 && (!fromContainer || this.container === 'Records')) {
        // The first object of a bare array / JSON Lines file / `Records` array decides whether this is CloudTrail
        // at all (other AWS payloads, e.g. Lambda events, also come as {"Records": [...]}).
        this.notCloudTrail('json', undefined, this.container === 'Records' ? start : undefined);
        this.state = St.Done;
        return;
      }
      if (this.nonRecordWarnings++ < 20) {
        this.problem('warning', 'not-a-record', `Record ${this.ordinal()} has none of the CloudTrail fields (eventName, eventTime…); it is shown as it is.`, start);
      }
    }
    if (this.recordFirstKey === undefined && this.container) {
      const k = Object.keys(value)[0];
      if (k !== undefined) this.recordFirstKey = k;
    }
    const rec: CloudTrailRecord = { index: this.recordCount++, event, range: this.range(start, end) };
    if (original !== undefined) rec.original = original;
    if (text !== undefined) rec.text = text;
    // Track whether every record of the batch is a slice of one buffer (the BATCH_TEXT hint).
    const isSlice = text !== undefined && original === undefined;
    if (this.out.length === 0) {
      this.outBuf = isSlice ? this.buf : undefined;
      this.outBase = this.base;
      this.outGen = this.bufGen;
    } else if (!isSlice || this.outGen !== this.bufGen) this.outBuf = undefined;
    this.out.push(rec);
  }

  private handleWholeObject(start: number, end: number) {
    if (this.topDeep) {
      const what = this.multi ? `The record on line ${this.lineCol(start).line}` : 'The record';
      this.problem('error', 'too-deep', `${what} is nested more than ${MAX_DEPTH} levels deep, which no CloudTrail record does. It was skipped.`, start);
      return;
    }
    const { value, text, error, errorAt } = this.parseSlice(start, end, this.topBig);
    if (error !== undefined || !isPlainObject(value)) {
      const where = this.multi ? 'This line' : 'The file';
      this.problem('error', 'invalid-json', `${where} is not valid JSON (${error}). Fix the text there or download the file again.`, errorAt ?? start);
      return;
    }
    if (!this.multi && isDigest(value)) {
      this.kindSet = 'digest';
      this.digest = digestInfo(value);
      return;
    }
    this.addRecord(value, text!, start, end, false);
    if (this.state === St.Done) return;
    if (!this.kindSet) this.kindSet = recordStyle(value) === 'legacy-iot' ? 'legacy-iot' : 'event';
  }
}

function describe(c: number): string {
  if (c < 0) return 'the end of the text';
  if (c < 32) return `control character U+${c.toString(16).padStart(4, '0')}`;
  return JSON.stringify(String.fromCharCode(c));
}

function describeValue(v: JsonValue | undefined): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'a number';
  return `a ${typeof v}`;
}
