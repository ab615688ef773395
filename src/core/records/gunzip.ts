/**
 * The one gzip decoder of the product: every caller (viewer, "Open as JSON", parse workers, CLI, record core)
 * decompresses through this module, with the same decompressed-size cap and the same damage reports.
 *
 * - `gunzipWhole` (synchronous) and `gunzipAsync` (native zlib on libuv's thread pool, off the calling thread)
 *   use Node's zlib for an intact stream — measured 4–7 × faster than the JavaScript decoder below
 *   (test/bench/records.bench.ts) — and only when zlib fails do they re-decode with `GunzipStream`, which keeps
 *   every byte before the damage and says where trust ends.
 * - `GunzipStream` is a small synchronous, incremental DEFLATE decoder (RFC 1951/1952). It stays for what the
 *   benchmark shows zlib and fflate do not give: a synchronous incremental API with bounded output per call
 *   (`StreamingParser.push()` returns records synchronously; zlib's sync calls are one-shot, its streams
 *   asynchronous), and, for a damaged stream, the DEFLATE block where trust ends (issue 14, D5) and the check of
 *   every member's CRC (fflate's streaming decoder does not check it).
 * - Every path stops at `maxBytes` decompressed bytes (issue 14, D4: default 4 GiB, setting
 *   `cloudtrailLens.maxDecompressedMB`) with a `gzip-too-large` error; everything before the cap is kept.
 */
import * as zlib from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';

/** Default cap on the decompressed size of one file (issue 14, D4). */
export const DEFAULT_MAX_DECOMPRESSED = 4 * 1024 * 1024 * 1024;

export interface GunzipOptions {
  /** Most decompressed bytes (default DEFAULT_MAX_DECOMPRESSED); past it decoding stops with `gzip-too-large`. */
  maxBytes?: number;
}

/** The cap in force for `options` (a positive whole number of bytes). */
export function decompressedCap(options?: GunzipOptions): number {
  const m = options?.maxBytes;
  return typeof m === 'number' && m > 0 && Number.isFinite(m) ? Math.floor(m) : DEFAULT_MAX_DECOMPRESSED;
}

/** "4 GiB", "512 MiB", "1.5 KiB": a byte count for messages. */
export function formatBytes(n: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${n} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[u]}`;
}

function tooLarge(cap: number, compressedOffset: number): GunzipError {
  return {
    code: 'gzip-too-large',
    message: `The file decompresses to more than ${formatBytes(cap)}, the decompressed-size limit (a gzip bomb, or a bigger file than allowed)`,
    compressedOffset,
  };
}

export interface GunzipError {
  code: 'truncated-gzip' | 'corrupt-gzip' | 'gzip-trailing-data' | 'gzip-too-large';
  message: string;
  /** Offset in the compressed input where the problem was detected. */
  compressedOffset: number;
  /**
   * Damage inside the compressed data (not a cut): output from this decompressed byte on cannot be trusted.
   * For a decoding error, the start of the DEFLATE block in which it was found (a damaged block decodes wrong
   * bytes before the decoder notices); for a checksum mismatch, the start of the member (nothing locates it).
   */
  untrustedFromOut?: number;
  /** Compressed offset matching `untrustedFromOut`. */
  untrustedFromIn?: number;
  /** True when the damage could not be located (checksum mismatch): the whole member is unverified. */
  unlocated?: boolean;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

// ---- tables -------------------------------------------------------------------------------------------------
const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

interface Huffman {
  /** Entry = symbol << 4 | code length; length 0 marks an invalid code. */
  table: Int32Array;
  bits: number;
}

class DataError extends Error {}
/** Thrown internally when the decoder needs more input than it has. */
const NEED = { need: true };

function buildHuffman(lengths: ArrayLike<number>, n: number): Huffman {
  let max = 0;
  const count = new Int32Array(16);
  for (let i = 0; i < n; i++) {
    const l = lengths[i];
    if (l > max) max = l;
    count[l]++;
  }
  if (max === 0) return { table: new Int32Array(2), bits: 1 };
  count[0] = 0;
  // Over-subscribed code sets are invalid; incomplete ones are allowed (their unused entries stay 0).
  let left = 1;
  for (let len = 1; len <= 15; len++) {
    left = (left << 1) - count[len];
    if (left < 0) throw new DataError('invalid Huffman code lengths');
  }
  const next = new Int32Array(16);
  let code = 0;
  for (let len = 1; len <= 15; len++) {
    code = (code + count[len - 1]) << 1;
    next[len] = code;
  }
  const size = 1 << max;
  const table = new Int32Array(size);
  for (let sym = 0; sym < n; sym++) {
    const len = lengths[sym];
    if (!len) continue;
    let c = next[len]++;
    let rev = 0;
    for (let k = 0; k < len; k++) {
      rev = (rev << 1) | (c & 1);
      c >>= 1;
    }
    const entry = (sym << 4) | len;
    for (let j = rev; j < size; j += 1 << len) table[j] = entry;
  }
  return { table, bits: max };
}

let fixedLit: Huffman | undefined;
let fixedDist: Huffman | undefined;
function fixedTables(): [Huffman, Huffman] {
  if (!fixedLit || !fixedDist) {
    const l = new Uint8Array(288);
    l.fill(8, 0, 144);
    l.fill(9, 144, 256);
    l.fill(7, 256, 280);
    l.fill(8, 280, 288);
    fixedLit = buildHuffman(l, 288);
    fixedDist = buildHuffman(new Uint8Array(30).fill(5), 30);
  }
  return [fixedLit, fixedDist];
}

let crcTable: Int32Array | undefined;
function crc32(data: Uint8Array, crc: number): number {
  const native = (zlib as unknown as { crc32?: (d: Uint8Array, v: number) => number }).crc32;
  if (typeof native === 'function') return native(data, crc);
  if (!crcTable) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c;
    }
  }
  let c = ~crc;
  for (let i = 0; i < data.length; i++) c = crcTable[(c ^ data[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

const WINDOW = 32768;
/** Most bytes one call of the block decoder produces before they are handed out. */
const STEP = 1 << 20;

/** How a call decoding block data ended. */
const BLOCK_END = 0;
const NEED_INPUT = 1;
const PAUSED = 2;
type CodesResult = typeof BLOCK_END | typeof NEED_INPUT | typeof PAUSED;

/**
 * Incremental gunzip. `push` returns the decompressed bytes that are certain so far; `finish` flushes whatever
 * could be decoded (even from a cut or damaged stream) and reports the damage.
 */
export class GunzipStream {
  private inBuf = new Uint8Array(0);
  private inPos = 0;
  private inLen = 0;
  /** Compressed offset of inBuf[0]. */
  private inBase = 0;
  private bitBuf = 0;
  private bitCnt = 0;
  private out = new Uint8Array(1 << 18);
  private outPos = 0;
  /** out[emitFrom..outPos) has not been handed out yet. */
  private emitFrom = 0;
  private phase: 'header' | 'block-header' | 'codes' | 'stored' | 'trailer' | 'member-end' | 'done' | 'error' = 'header';
  /** Tables of the Huffman block being decoded (phase 'codes'). */
  private lit: Huffman | undefined;
  private dist: Huffman | undefined;
  /** Bytes still to copy from the stored block being read (phase 'stored'). */
  private storedLeft = 0;
  private lastBlock = false;
  private crc = 0;
  private memberSize = 0;
  private members = 0;
  error: GunzipError | undefined;
  totalOut = 0;
  /** Decompressed / compressed offsets where the block being decoded, and the current member, began. */
  private blockOut = 0;
  private blockIn = 0;
  private memberOut = 0;
  private memberIn = 0;
  /** The last push stopped at its output budget with input left to decode (call push again, or finish). */
  paused = false;
  private readonly cap: number;

  constructor(options?: GunzipOptions) {
    this.cap = decompressedCap(options);
  }

  /**
   * Appends compressed bytes and decodes what they complete, producing at most about `budget` bytes of output
   * (bounded work per call: a small, highly compressed chunk can expand a thousandfold). When the budget stops
   * it, `paused` is set; pushing again (even an empty chunk) continues.
   */
  push(chunk: Uint8Array, budget = Infinity): Uint8Array[] {
    this.append(chunk);
    this.run(false, budget);
    this.takeOutput();
    return this.drain();
  }

  finish(): Uint8Array[] {
    this.run(true, Infinity);
    this.takeOutput();
    const out = this.drain();
    if (!this.error && this.phase !== 'done' && this.phase !== 'member-end') {
      this.error = {
        code: 'truncated-gzip',
        message: 'The gzip stream ends early (file truncated?)',
        compressedOffset: this.inBase + this.inLen,
      };
    }
    return out;
  }

  private append(chunk: Uint8Array) {
    if (chunk.length === 0) return;
    const keep = this.inLen - this.inPos;
    if (this.inPos > 0 && keep + chunk.length > this.inBuf.length - this.inPos) {
      // Drop consumed input; the bit position is always inside [inPos, inLen).
      this.inBuf.copyWithin(0, this.inPos, this.inLen);
      this.inBase += this.inPos;
      this.inLen = keep;
      this.inPos = 0;
    }
    if (this.inLen + chunk.length > this.inBuf.length) {
      const nb = new Uint8Array(Math.max(this.inBuf.length * 2, this.inLen + chunk.length, 65536));
      nb.set(this.inBuf.subarray(0, this.inLen));
      this.inBuf = nb;
    }
    this.inBuf.set(chunk, this.inLen);
    this.inLen += chunk.length;
  }

  /** Hands out what was decoded since the last call; true when that reached the cap and decoding ended. */
  private takeOutput(): boolean {
    if (this.outPos === this.emitFrom) return false;
    let piece = this.out.slice(this.emitFrom, this.outPos);
    let capped = false;
    if (this.totalOut + piece.length > this.cap) {
      // D4: nothing past the decompressed-size cap is handed out; decoding ends here.
      piece = piece.subarray(0, this.cap - this.totalOut);
      this.error = tooLarge(this.cap, this.inBase + this.inPos);
      this.phase = 'error';
      capped = true;
    }
    this.crc = crc32(piece, this.crc);
    this.memberSize += piece.length;
    this.totalOut += piece.length;
    this.emitFrom = this.outPos;
    if (this.outPos > WINDOW * 4) {
      // Keep only the last 32 KB as back-reference window.
      this.out.copyWithin(0, this.outPos - WINDOW, this.outPos);
      this.outPos = this.emitFrom = WINDOW;
    }
    this.pending.push(piece);
    return capped;
  }

  private pending: Uint8Array[] = [];

  private drain(): Uint8Array[] {
    const p = this.pending;
    this.pending = [];
    return p;
  }

  /** Bytes after a complete member that are not a whole member: a warning, every record before them is there. */
  private trailing() {
    this.error = {
      code: 'gzip-trailing-data',
      message: 'The file has extra bytes after the compressed data; they were ignored',
      compressedOffset: this.inBase + this.inPos,
    };
    this.phase = 'done';
  }

  private fail(code: GunzipError['code'], message: string) {
    this.error = { code, message, compressedOffset: this.inBase + this.inPos };
    this.phase = 'error';
  }

  private run(final: boolean, budget: number) {
    this.paused = false;
    let produced = 0;
    try {
      for (;;) {
        if (this.phase === 'done' || this.phase === 'error') return;
        if (produced >= budget) {
          this.paused = true;
          return;
        }
        if (this.phase === 'header' || this.phase === 'member-end') {
          if (this.phase === 'member-end') {
            const rest = this.inLen - this.inPos;
            if (rest === 0) {
              if (final) this.phase = 'done';
              return;
            }
            if (rest < 2 && !final) return;
            if (!(this.inBuf[this.inPos] === 0x1f && this.inBuf[this.inPos + 1] === 0x8b)) {
              // Bytes after a complete member: zero padding is common and harmless; anything else is worth a note.
              let zeros = true;
              for (let i = this.inPos; i < this.inLen; i++) if (this.inBuf[i] !== 0) zeros = false;
              if (!zeros && this.members > 0) this.trailing();
              this.phase = 'done';
              return;
            }
          }
          if (!this.readHeader(final)) return;
          continue;
        }
        if (this.phase === 'trailer') {
          if (!this.readTrailer(final)) return;
          continue;
        }
        if (this.phase === 'block-header') {
          // Block headers (with their code tables) are small: on shortage, re-read them later from the start.
          const save = { inPos: this.inPos, bitBuf: this.bitBuf, bitCnt: this.bitCnt };
          this.blockOut = this.totalOut + (this.outPos - this.emitFrom);
          this.blockIn = this.inBase + this.inPos - (this.bitCnt >> 3);
          try {
            this.blockHeader();
          } catch (e) {
            if (e !== NEED) throw e;
            this.inPos = save.inPos;
            this.bitBuf = save.bitBuf;
            this.bitCnt = save.bitCnt;
            if (final) this.phase = 'error';
            return;
          }
          continue;
        }
        // 'codes' and 'stored' resume exactly where they stopped; their output so far is final.
        const before = this.outPos;
        // At most STEP bytes per call, then handed out (and the window compacted): memory stays bounded whatever
        // the expansion, and the cap is checked between steps.
        const r = this.phase === 'codes' ? this.codes(Math.min(this.emitFrom + STEP, this.outPos + (budget - produced))) : this.stored() ? BLOCK_END : NEED_INPUT;
        produced += this.outPos - before;
        if (r === PAUSED) {
          // Hand out what was decoded so far: the window compaction in takeOutput keeps `out` small.
          this.takeOutput();
          continue;
        }
        if (r === NEED_INPUT) {
          if (final) this.phase = 'error';
          return;
        }
        if (this.lastBlock) {
          // Give back whole bytes still held in the bit buffer before reading the trailer.
          this.inPos -= this.bitCnt >> 3;
          this.bitBuf = 0;
          this.bitCnt = 0;
          // Over the cap, takeOutput ends decoding: that is the error, not the checksum of the member it cut short.
          if (!this.takeOutput()) this.phase = 'trailer';
        } else {
          this.phase = 'block-header';
          if (this.outPos - this.emitFrom > 1 << 20) this.takeOutput();
        }
      }
    } catch (e) {
      if (e instanceof DataError) {
        this.fail('corrupt-gzip', `The gzip data is damaged (${e.message})`);
        this.error!.untrustedFromOut = this.blockOut;
        this.error!.untrustedFromIn = this.blockIn;
      }
      else throw e;
    }
  }

  private readHeader(final: boolean): boolean {
    const b = this.inBuf;
    let p = this.inPos;
    const end = this.inLen;
    if (end - p < 10) {
      if (final) {
        if (this.members > 0 && end - p > 0) this.trailing();
        else if (this.members === 0) this.fail('truncated-gzip', 'The gzip header is incomplete (file truncated?)');
        else this.phase = 'done';
      }
      return false;
    }
    if (b[p] !== 0x1f || b[p + 1] !== 0x8b) {
      this.fail('corrupt-gzip', 'This is not gzip data (bad magic bytes)');
      return false;
    }
    if (b[p + 2] !== 8) {
      this.fail('corrupt-gzip', 'Unknown gzip compression method');
      return false;
    }
    const flags = b[p + 3];
    p += 10;
    const short = () => {
      // After a complete member, a cut header is extra bytes (every record is there), not a truncated file.
      if (final) {
        if (this.members > 0) this.trailing();
        else this.fail('truncated-gzip', 'The gzip header is incomplete (file truncated?)');
      }
      return false;
    };
    if (flags & 4) {
      if (end - p < 2) return short();
      const xlen = b[p] | (b[p + 1] << 8);
      p += 2 + xlen;
      if (p > end) return short();
    }
    for (const flag of [8, 16]) {
      if (flags & flag) {
        while (p < end && b[p] !== 0) p++;
        if (p >= end) return short();
        p++;
      }
    }
    if (flags & 2) {
      p += 2;
      if (p > end) return short();
    }
    this.memberIn = this.inBase + this.inPos;
    this.inPos = p;
    this.bitBuf = 0;
    this.bitCnt = 0;
    this.lastBlock = false;
    this.crc = 0;
    this.memberSize = 0;
    this.memberOut = this.totalOut;
    // A new member starts with an empty window (everything before was handed out at the member's end).
    this.outPos = this.emitFrom = 0;
    this.phase = 'block-header';
    return true;
  }

  private readTrailer(final: boolean): boolean {
    if (this.inLen - this.inPos < 8) {
      if (final) this.fail('truncated-gzip', 'The gzip stream ends early (file truncated?)');
      return false;
    }
    const b = this.inBuf;
    const p = this.inPos;
    const crc = (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)) >>> 0;
    const size = (b[p + 4] | (b[p + 5] << 8) | (b[p + 6] << 16) | (b[p + 7] << 24)) >>> 0;
    this.inPos += 8;
    if (crc !== this.crc >>> 0 || size !== this.memberSize >>> 0) {
      this.fail('corrupt-gzip', 'The gzip checksum does not match: the file is damaged and the damage cannot be located');
      this.error!.untrustedFromOut = this.memberOut;
      this.error!.untrustedFromIn = this.memberIn;
      this.error!.unlocated = true;
      return false;
    }
    this.members++;
    this.phase = 'member-end';
    return true;
  }

  private ensureOut(n: number) {
    if (this.outPos + n <= this.out.length) return;
    const nb = new Uint8Array(Math.max(this.out.length * 2, this.outPos + n));
    nb.set(this.out.subarray(0, this.outPos));
    this.out = nb;
  }

  private bits(n: number): number {
    while (this.bitCnt < n) {
      if (this.inPos >= this.inLen) throw NEED;
      this.bitBuf |= this.inBuf[this.inPos++] << this.bitCnt;
      this.bitCnt += 8;
    }
    const v = this.bitBuf & ((1 << n) - 1);
    this.bitBuf >>>= n;
    this.bitCnt -= n;
    return v;
  }

  /** Reads a block header (and its code tables); sets the phase for the block body. */
  private blockHeader() {
    const hdr = this.bits(3);
    const type = hdr >> 1;
    if (type === 0) {
      // Stored block: byte-align, then LEN/NLEN and raw bytes.
      const bitBuf = this.bitBuf;
      const bitCnt = this.bitCnt;
      this.inPos -= bitCnt >> 3;
      this.bitBuf = 0;
      this.bitCnt = 0;
      if (this.inLen - this.inPos < 4) {
        this.bitBuf = bitBuf;
        this.bitCnt = bitCnt;
        this.inPos += bitCnt >> 3;
        throw NEED;
      }
      const b = this.inBuf;
      const p = this.inPos;
      const len = b[p] | (b[p + 1] << 8);
      const nlen = b[p + 2] | (b[p + 3] << 8);
      if ((len ^ 0xffff) !== nlen) throw new DataError('invalid stored block lengths');
      this.inPos += 4;
      this.storedLeft = len;
      this.lastBlock = (hdr & 1) === 1;
      this.phase = 'stored';
      return;
    }
    if (type === 1) [this.lit, this.dist] = fixedTables();
    else if (type === 2) [this.lit, this.dist] = this.dynamicTables();
    else throw new DataError('invalid block type');
    this.lastBlock = (hdr & 1) === 1;
    this.phase = 'codes';
  }

  /** Copies stored bytes; true when the block is complete. */
  private stored(): boolean {
    const avail = Math.min(this.storedLeft, this.inLen - this.inPos);
    this.ensureOut(avail);
    this.out.set(this.inBuf.subarray(this.inPos, this.inPos + avail), this.outPos);
    this.outPos += avail;
    this.inPos += avail;
    this.storedLeft -= avail;
    return this.storedLeft === 0;
  }

  private dynamicTables(): [Huffman, Huffman] {
    const hlit = this.bits(5) + 257;
    const hdist = this.bits(5) + 1;
    const hclen = this.bits(4) + 4;
    if (hlit > 286 || hdist > 30) throw new DataError('too many length or distance symbols');
    const cl = new Uint8Array(19);
    for (let i = 0; i < hclen; i++) cl[CL_ORDER[i]] = this.bits(3);
    const clh = buildHuffman(cl, 19);
    const lengths = new Uint8Array(hlit + hdist);
    let i = 0;
    while (i < hlit + hdist) {
      const sym = this.decode(clh);
      if (sym < 16) lengths[i++] = sym;
      else {
        let rep: number;
        let val = 0;
        if (sym === 16) {
          if (i === 0) throw new DataError('repeat with no previous length');
          val = lengths[i - 1];
          rep = 3 + this.bits(2);
        } else if (sym === 17) rep = 3 + this.bits(3);
        else rep = 11 + this.bits(7);
        if (i + rep > hlit + hdist) throw new DataError('too many code lengths');
        while (rep--) lengths[i++] = val;
      }
    }
    if (lengths[256] === 0) throw new DataError('missing end-of-block code');
    return [buildHuffman(lengths.subarray(0, hlit), hlit), buildHuffman(lengths.subarray(hlit), hdist)];
  }

  private decode(h: Huffman): number {
    // Fill up to h.bits bits if possible; at the end of input, decode with what is there.
    while (this.bitCnt < h.bits && this.inPos < this.inLen) {
      this.bitBuf |= this.inBuf[this.inPos++] << this.bitCnt;
      this.bitCnt += 8;
    }
    const e = h.table[this.bitBuf & ((1 << h.bits) - 1)];
    const len = e & 15;
    if (len === 0) {
      if (this.bitCnt < h.bits) throw NEED;
      throw new DataError('invalid Huffman code');
    }
    if (len > this.bitCnt) throw NEED;
    this.bitBuf >>>= len;
    this.bitCnt -= len;
    return e >> 4;
  }

  /**
   * Decodes literal/length codes until the end of the block, until the input runs out, or until the output
   * reaches `stopAt`. Stops at a symbol boundary, so the next call resumes exactly there and everything
   * produced so far is final.
   */
  private codes(stopAt: number): CodesResult {
    const lit = this.lit as Huffman;
    const dist = this.dist as Huffman;
    // Hot loop: local copies of the state, written back on every exit path.
    const inBuf = this.inBuf;
    const inLen = this.inLen;
    const lt = lit.table;
    const lbits = lit.bits;
    const lmask = (1 << lbits) - 1;
    const dt = dist.table;
    const dbits = dist.bits;
    const dmask = (1 << dbits) - 1;
    let inPos = this.inPos;
    let bitBuf = this.bitBuf;
    let bitCnt = this.bitCnt;
    let out = this.out;
    let outPos = this.outPos;
    // State at the start of the current symbol, restored when the input runs out in the middle of it.
    let sPos = inPos;
    let sBuf = bitBuf;
    let sCnt = bitCnt;
    try {
      for (;;) {
        sPos = inPos;
        sBuf = bitBuf;
        sCnt = bitCnt;
        if (outPos >= stopAt) {
          this.inPos = inPos;
          this.bitBuf = bitBuf;
          this.bitCnt = bitCnt;
          this.outPos = outPos;
          return PAUSED;
        }
        while (bitCnt < lbits && inPos < inLen) {
          bitBuf |= inBuf[inPos++] << bitCnt;
          bitCnt += 8;
        }
        let e = lt[bitBuf & lmask];
        let len = e & 15;
        if (len === 0 || len > bitCnt) {
          if (bitCnt < lbits) throw NEED;
          throw new DataError('invalid literal/length code');
        }
        bitBuf >>>= len;
        bitCnt -= len;
        let sym = e >> 4;
        if (sym < 256) {
          if (outPos >= out.length) {
            this.outPos = outPos;
            this.ensureOut(1);
            out = this.out;
          }
          out[outPos++] = sym;
          continue;
        }
        if (sym === 256) break;
        sym -= 257;
        if (sym >= 29) throw new DataError('invalid length symbol');
        let n = LEN_EXTRA[sym];
        while (bitCnt < n) {
          if (inPos >= inLen) throw NEED;
          bitBuf |= inBuf[inPos++] << bitCnt;
          bitCnt += 8;
        }
        const length = LEN_BASE[sym] + (bitBuf & ((1 << n) - 1));
        bitBuf >>>= n;
        bitCnt -= n;
        while (bitCnt < dbits && inPos < inLen) {
          bitBuf |= inBuf[inPos++] << bitCnt;
          bitCnt += 8;
        }
        e = dt[bitBuf & dmask];
        len = e & 15;
        if (len === 0 || len > bitCnt) {
          if (bitCnt < dbits) throw NEED;
          throw new DataError('invalid distance code');
        }
        bitBuf >>>= len;
        bitCnt -= len;
        const dsym = e >> 4;
        if (dsym >= 30) throw new DataError('invalid distance symbol');
        n = DIST_EXTRA[dsym];
        while (bitCnt < n) {
          if (inPos >= inLen) throw NEED;
          bitBuf |= inBuf[inPos++] << bitCnt;
          bitCnt += 8;
        }
        const d = DIST_BASE[dsym] + (bitBuf & ((1 << n) - 1));
        bitBuf >>>= n;
        bitCnt -= n;
        if (d > outPos) throw new DataError('invalid distance too far back');
        if (outPos + length > out.length) {
          this.outPos = outPos;
          this.ensureOut(length);
          out = this.out;
        }
        let from = outPos - d;
        for (let k = 0; k < length; k++) out[outPos++] = out[from++];
      }
    } catch (e) {
      this.outPos = outPos;
      if (e !== NEED) {
        this.inPos = inPos;
        this.bitBuf = bitBuf;
        this.bitCnt = bitCnt;
        throw e;
      }
      this.inPos = sPos;
      this.bitBuf = sBuf;
      this.bitCnt = sCnt;
      return NEED_INPUT;
    }
    this.inPos = inPos;
    this.bitBuf = bitBuf;
    this.bitCnt = bitCnt;
    this.outPos = outPos;
    return BLOCK_END;
  }
}

export interface WholeResult {
  bytes: Uint8Array;
  error?: GunzipError;
}

/** zlib's output cap for `cap` (a Buffer cannot be larger than buffer.constants.MAX_LENGTH). */
function zlibCap(cap: number): number {
  return Math.min(cap, bufferConstants.MAX_LENGTH);
}

/** Largest output chunk asked of zlib from a gzip trailer's size (a hint only; a bigger file takes more chunks). */
const MAX_CHUNK_HINT = 64 * 1024 * 1024;

/**
 * zlib's output chunk size for a whole gzip buffer: the decompressed size its trailer states (ISIZE, of the last
 * member), so an ordinary log file comes out as one buffer. With zlib's default 16 KiB chunks it comes out in
 * pieces that are then joined by a copy (measured on the folder bench's files: 25% of zlib's time). The trailer is
 * only trusted as a hint: the chunk is bounded by the cap, by deflate's largest ratio (1032:1) and by 64 MiB, so a
 * lying trailer costs one extra chunk or one unused allocation of that bound, never more.
 */
export function chunkSizeHint(bytes: Uint8Array, cap: number): number {
  const n = bytes.length;
  if (n < 18) return zlib.constants.Z_DEFAULT_CHUNK;
  const isize = (bytes[n - 4] | (bytes[n - 3] << 8) | (bytes[n - 2] << 16) | (bytes[n - 1] << 24)) >>> 0;
  // Exactly the stated size: the output then owns its whole buffer and is transferred to another thread as it is
  // (zlib asks for one more chunk to see the stream end, and drops it unused). Never below zlib's default: the
  // trailer states only the last member's size, and a tiny last member after a big one must not make zlib work in
  // tiny chunks.
  return Math.max(zlib.constants.Z_DEFAULT_CHUNK, Math.min(isize, cap, n * 1032, MAX_CHUNK_HINT));
}

/**
 * zlib's output is a view of its last chunk: when the trailer overstated the size by far, copy the output out so
 * that the oversized chunk is not kept alive by it.
 */
function ownSize(out: Buffer, chunkSize: number): Buffer {
  return out.byteOffset === 0 && out.buffer.byteLength === chunkSize && out.length < chunkSize / 2 && chunkSize > zlib.constants.Z_DEFAULT_CHUNK ? Buffer.from(out) : out;
}

/** The tolerant decoder over a whole buffer: the readable prefix (up to the cap) and what went wrong. */
export function gunzipTolerant(bytes: Uint8Array, options?: GunzipOptions): WholeResult {
  const g = new GunzipStream(options);
  const pieces = g.push(bytes);
  pieces.push(...g.finish());
  let total = 0;
  for (const p of pieces) total += p.length;
  const outBytes = new Uint8Array(total);
  let o = 0;
  for (const p of pieces) {
    outBytes.set(p, o);
    o += p.length;
  }
  return { bytes: outBytes, error: g.error };
}

/**
 * Decompresses a complete gzip buffer on the calling thread, keeping the good prefix when the stream is cut or
 * damaged, and stopping at the decompressed-size cap.
 */
export function gunzipWhole(bytes: Uint8Array, options?: GunzipOptions): WholeResult {
  const cap = decompressedCap(options);
  try {
    const chunkSize = chunkSizeHint(bytes, zlibCap(cap));
    return { bytes: ownSize(zlib.gunzipSync(bytes, { maxOutputLength: zlibCap(cap), chunkSize }), chunkSize) };
  } catch {
    // Damaged, cut or over the cap: the tolerant decoder reports what went wrong and keeps the readable prefix.
  }
  return gunzipTolerant(bytes, { maxBytes: cap });
}

/**
 * Like gunzipWhole, but an intact stream is decompressed by native zlib off the calling thread (libuv's pool):
 * for the extension host. Only a damaged, cut or oversized stream is then decoded here by the tolerant decoder.
 */
export async function gunzipAsync(bytes: Uint8Array, options?: GunzipOptions): Promise<WholeResult> {
  const fast = await gunzipNative(bytes, options);
  if (fast) return { bytes: fast };
  return gunzipTolerant(bytes, options);
}

/**
 * Native zlib only, off the calling thread: the decompressed bytes of an intact stream within the cap, or
 * undefined (damaged, cut, or over the cap) — then hand the compressed bytes to a StreamingParser, which decodes
 * them in bounded slices and reports the damage or the cap.
 */
export function gunzipNative(bytes: Uint8Array, options?: GunzipOptions): Promise<Uint8Array | undefined> {
  const cap = decompressedCap(options);
  return new Promise((resolve) => {
    const chunkSize = chunkSizeHint(bytes, zlibCap(cap));
    zlib.gunzip(bytes, { maxOutputLength: zlibCap(cap), chunkSize }, (err, out) => resolve(err ? undefined : ownSize(out, chunkSize)));
  });
}
