/**
 * Streaming SHA-256 of the decompressed content of one gzip member, as CloudTrail computes it, plus a check that
 * nothing follows that member. The gzip header is parsed here and the deflate data goes to zlib's raw inflater,
 * which stops at the end of the deflate stream and tells how many input bytes it used: anything after the 8-byte
 * trailer is extra data (a second gzip member or garbage) that `gunzip` tools would silently read or ignore.
 *
 * Decompression runs on libuv's thread pool (zlib's async API) while hashing runs on the calling thread, so several
 * files hashed at once keep every core busy; the whole file is never held in memory.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { constants as bufferConstants } from 'node:buffer';
import { DEFAULT_MAX_DECOMPRESSED } from '../records/gunzip';

export interface GzipHashResult {
  /** Hex SHA-256 of the decompressed bytes of the first gzip member (undefined when it could not be decompressed). */
  sha256?: string;
  /** Bytes on disk. */
  size: number;
  /** Decompressed bytes of the first member. */
  uncompressed: number;
  /** Bytes after the first member's trailer (0 when none). */
  trailingBytes: number;
  /** Why the file could not be read or decompressed. */
  error?: string;
}

const CHUNK = 256 * 1024;

/** Length of the gzip header at the start of `b`, or a reason it is not one (undefined = need more bytes). */
function headerLength(b: Buffer): number | string | undefined {
  if (b.length < 10) return b.length >= 2 && (b[0] !== 0x1f || b[1] !== 0x8b) ? 'not a gzip file' : undefined;
  if (b[0] !== 0x1f || b[1] !== 0x8b) return 'not a gzip file';
  if (b[2] !== 8) return 'unknown gzip compression method';
  const flags = b[3];
  let p = 10;
  if (flags & 4) {
    if (b.length < p + 2) return undefined;
    p += 2 + b.readUInt16LE(p);
  }
  for (const bit of [8, 16]) {
    if (flags & bit) {
      const end = b.indexOf(0, p);
      if (end < 0) return b.length > 1 << 20 ? 'gzip header too long' : undefined;
      p = end + 1;
    }
  }
  if (flags & 2) p += 2;
  return b.length >= p ? p : undefined;
}

/** Hashes one `.gz` file (at most `maxDecompressed` decompressed bytes). Never throws: problems come back in `error`. */
export function hashGzipFile(file: string, signal?: AbortSignal, maxDecompressed = DEFAULT_MAX_DECOMPRESSED): Promise<GzipHashResult> {
  return new Promise((resolve) => {
    const hash = createHash('sha256');
    const inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
    const input = fs.createReadStream(file, { highWaterMark: CHUNK });
    let size = 0;
    let uncompressed = 0;
    let head: Buffer | undefined = Buffer.alloc(0);
    let headLen = 0;
    let done = false;
    const finish = (r: Omit<GzipHashResult, 'size'>) => {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      input.destroy();
      inflate.destroy();
      resolve({ size, ...r });
    };
    const onAbort = () => finish({ uncompressed, trailingBytes: 0, error: 'cancelled' });
    signal?.addEventListener('abort', onAbort);
    if (signal?.aborted) return onAbort();

    inflate.on('data', (d: Buffer) => {
      uncompressed += d.length;
      // The product's decompression cap (issue 14, D4): a bomb named like a log stops here.
      if (uncompressed > maxDecompressed) return finish({ uncompressed, trailingBytes: 0, error: `decompresses to more than ${maxDecompressed} bytes (the decompression limit)` });
      hash.update(d);
    });
    inflate.on('error', (e) => finish({ uncompressed, trailingBytes: 0, error: `cannot decompress: ${e.message}` }));
    inflate.on('end', () => {
      const used = headLen + inflate.bytesWritten;
      input.destroy(); // what follows the member is measured from the file size, not read
      // Wait for the whole file size (the read stream may still be running), then read the trailer.
      const conclude = () => {
        fs.stat(file, (err, st) => {
          if (err) return finish({ uncompressed, trailingBytes: 0, error: `cannot read: ${err.message}` });
          size = st.size;
          if (size < used + 8) return finish({ uncompressed, trailingBytes: 0, error: 'gzip trailer missing (file truncated)' });
          fs.open(file, 'r', (e1, fd) => {
            if (e1) return finish({ uncompressed, trailingBytes: 0, error: `cannot read: ${e1.message}` });
            const t = Buffer.alloc(8);
            fs.read(fd, t, 0, 8, used, (e2) => {
              fs.close(fd, () => undefined);
              if (e2) return finish({ uncompressed, trailingBytes: 0, error: `cannot read: ${e2.message}` });
              if (t.readUInt32LE(4) !== uncompressed % 2 ** 32) {
                return finish({ uncompressed, trailingBytes: 0, error: 'gzip trailer does not match the content length (damaged file)' });
              }
              finish({ sha256: hash.digest('hex'), uncompressed, trailingBytes: size - used - 8 });
            });
          });
        });
      };
      conclude();
    });
    input.on('error', (e) => finish({ uncompressed, trailingBytes: 0, error: `cannot read: ${e.message}` }));
    input.on('data', (chunk: Buffer | string) => {
      const c = chunk as Buffer;
      if (head) {
        head = Buffer.concat([head, c]);
        const h = headerLength(head);
        if (typeof h === 'string') return finish({ uncompressed, trailingBytes: 0, error: h });
        if (h === undefined) return;
        headLen = h;
        const rest = head.subarray(h);
        head = undefined;
        if (rest.length && !inflate.write(rest)) input.pause();
        return;
      }
      if (inflate.writableEnded || inflate.destroyed) return;
      if (!inflate.write(c)) input.pause();
    });
    inflate.on('drain', () => input.resume());
    input.on('end', () => {
      if (head) return finish({ uncompressed, trailingBytes: 0, error: head.length ? 'gzip header truncated' : 'empty file' });
      if (!inflate.writableEnded && !inflate.destroyed) inflate.end();
    });
  });
}

/** Reads a small gzip file whole (digest files): first member's bytes, trailing byte count, or an error. */
export function gunzipFirstMember(data: Buffer): { content?: Buffer; trailingBytes: number; error?: string } {
  const h = headerLength(data);
  if (typeof h === 'string') return { trailingBytes: 0, error: h };
  if (h === undefined) return { trailingBytes: 0, error: 'gzip header truncated' };
  try {
    // Bounded like every other gzip path (issue 14, D4): a digest-named bomb stops at the product's cap.
    const r = zlib.inflateRawSync(data.subarray(h), { info: true, maxOutputLength: Math.min(DEFAULT_MAX_DECOMPRESSED, bufferConstants.MAX_LENGTH) }) as unknown as {
      buffer: Buffer;
      engine: zlib.InflateRaw;
    };
    const used = h + r.engine.bytesWritten;
    if (data.length < used + 8) return { trailingBytes: 0, error: 'gzip trailer missing (file truncated)' };
    if (data.readUInt32LE(used + 4) !== r.buffer.length % 2 ** 32) {
      return { trailingBytes: 0, error: 'gzip trailer does not match the content length (damaged file)' };
    }
    return { content: r.buffer, trailingBytes: data.length - used - 8 };
  } catch (e) {
    return { trailingBytes: 0, error: `cannot decompress: ${(e as Error).message}` };
  }
}
