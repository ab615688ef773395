/**
 * Downloading a trail's log and digest files from S3 into a local folder that keeps the bucket's key layout
 * (`[prefix/]AWSLogs/[o-id/]<account>/CloudTrail|CloudTrail-Digest/<region>/YYYY/MM/DD/…`), so the folder can be
 * validated offline (src/core/integrity/validate.ts):
 *   - each digest's S3 object metadata (which holds the newest digest's signature) is saved beside it as
 *     `<digest>.metadata.json`, in the shape `aws s3api head-object` prints;
 *   - the public keys of each Region (ListPublicKeys) are merged into `public-keys.json` at the folder root.
 * Several objects are fetched at once; each goes to a `.part` file renamed when complete, and a file already
 * present with the object's size (and, for digests, its sidecar) is skipped, so an interrupted download resumes.
 * Nothing here is tied to VS Code; nothing is written to AWS.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3Sdk } from '../aws/sdk';
import { KeyRing } from './keys';
import { KEYS_FILE, METADATA_SUFFIX } from './validate';

export interface TrailLocation {
  bucket: string;
  /** The trail's S3 key prefix (without AWSLogs). */
  keyPrefix?: string;
  /** Organization trails: the `o-…` folder under AWSLogs. */
  orgId?: string;
}

export interface DownloadSelection extends TrailLocation {
  accounts: string[];
  regions: string[];
  start: Date;
  end: Date;
}

export interface PlannedObject {
  key: string;
  size: number;
  kind: 'log' | 'digest';
  region: string;
}

export interface DownloadResult {
  downloaded: number;
  skipped: number;
  failed: { key: string; error: string }[];
  bytes: number;
  /** Local paths of the digest files (for key fetching and reports). */
  digestRegions: string[];
  cancelled: boolean;
}

const HOUR = 3600_000;
const pad = (n: number) => String(n).padStart(2, '0');

/** `[prefix/]AWSLogs/[o-id/]` */
export function awsLogsRoot(t: TrailLocation): string {
  const p = (t.keyPrefix ?? '').replace(/^\/+|\/+$/g, '');
  return `${p ? p + '/' : ''}AWSLogs/${t.orgId ? t.orgId + '/' : ''}`;
}

async function listPrefixes(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<string[]> {
  const { ListObjectsV2Command } = await loadS3Sdk();
  const out: string[] = [];
  let token: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, Delimiter: '/', ContinuationToken: token }), { abortSignal: signal });
    for (const p of r.CommonPrefixes ?? []) if (p.Prefix) out.push(p.Prefix.slice(prefix.length).replace(/\/$/, ''));
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return out;
}

async function listKeys(client: S3Client, bucket: string, prefix: string, signal?: AbortSignal): Promise<{ key: string; size: number }[]> {
  const { ListObjectsV2Command } = await loadS3Sdk();
  const out: { key: string; size: number }[] = [];
  let token: string | undefined;
  do {
    const r = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }), { abortSignal: signal });
    for (const o of r.Contents ?? []) if (o.Key && !o.Key.endsWith('/')) out.push({ key: o.Key, size: Number(o.Size ?? 0) });
    token = r.IsTruncated ? r.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** Organization IDs under AWSLogs/ (organization trails write under AWSLogs/o-…/). */
export async function listOrganizations(client: S3Client, t: TrailLocation, signal?: AbortSignal): Promise<string[]> {
  return (await listPrefixes(client, t.bucket, awsLogsRoot({ ...t, orgId: undefined }), signal)).filter((p) => /^o-[a-z0-9]{10,32}$/.test(p));
}

/** Account folders under the trail's AWSLogs/ root. */
export async function listAccounts(client: S3Client, t: TrailLocation, signal?: AbortSignal): Promise<string[]> {
  return (await listPrefixes(client, t.bucket, awsLogsRoot(t), signal)).filter((p) => /^\d{12}$/.test(p));
}

/** Regions that have log or digest folders for an account. */
export async function listRegions(client: S3Client, t: TrailLocation, account: string, signal?: AbortSignal): Promise<string[]> {
  const base = `${awsLogsRoot(t)}${account}/`;
  const [logs, digests] = await Promise.all([listPrefixes(client, t.bucket, `${base}CloudTrail/`, signal), listPrefixes(client, t.bucket, `${base}CloudTrail-Digest/`, signal)]);
  return [...new Set([...logs, ...digests])].sort();
}

/** The UTC days (`YYYY/MM/DD`) from `a` to `b` inclusive. */
export function daysBetween(a: Date, b: Date): string[] {
  const out: string[] = [];
  let t = Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate());
  for (; t <= b.getTime() && out.length < 3700; t += 24 * HOUR) {
    const d = new Date(t);
    out.push(`${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`);
  }
  return out;
}

/** Time in a log (minute) or digest (second) file name. */
export function timeFromKey(key: string): number | undefined {
  const m = /_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})?Z(?:_[^/]*)?\.json\.gz$/.exec(key);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +(m[6] ?? 0)) : undefined;
}

/**
 * The objects to fetch: log files delivered in [start, end], and the digests that can list them (digests ending in
 * [start, end + 2 h]: a log file is listed by the digest of the hour it was delivered in, written up to an hour
 * later).
 */
export async function planDownload(client: S3Client, sel: DownloadSelection, signal?: AbortSignal): Promise<PlannedObject[]> {
  const out: PlannedObject[] = [];
  const digestEnd = new Date(sel.end.getTime() + 2 * HOUR);
  const root = awsLogsRoot(sel);
  for (const account of sel.accounts) {
    for (const region of sel.regions) {
      for (const [kind, folder, until] of [
        ['log', 'CloudTrail', sel.end],
        ['digest', 'CloudTrail-Digest', digestEnd],
      ] as const) {
        for (const day of daysBetween(sel.start, until)) {
          for (const o of await listKeys(client, sel.bucket, `${root}${account}/${folder}/${region}/${day}/`, signal)) {
            const t = timeFromKey(o.key);
            if (t === undefined || t < sel.start.getTime() || t > until.getTime()) continue;
            if (!o.key.endsWith('.json.gz')) continue;
            out.push({ ...o, kind, region });
          }
        }
      }
    }
  }
  return out;
}

/** Where an S3 key goes under `dest` (refusing keys that would leave it). */
export function localPathFor(dest: string, key: string): string {
  const parts = key.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '..' || p === '.' || p.includes('\\') || p.includes('\0'))) throw new Error(`unsafe object key ${JSON.stringify(key)}`);
  return path.join(dest, ...parts);
}

/** What `aws s3api head-object` prints, from a GetObject answer. */
function headShape(r: { AcceptRanges?: string; LastModified?: Date; ContentLength?: number; ETag?: string; ContentType?: string; ContentEncoding?: string; ServerSideEncryption?: string; Metadata?: Record<string, string> }): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  if (r.AcceptRanges) o.AcceptRanges = r.AcceptRanges;
  if (r.LastModified) o.LastModified = r.LastModified.toISOString().replace('.000Z', '+00:00');
  if (r.ContentLength !== undefined) o.ContentLength = r.ContentLength;
  if (r.ETag) o.ETag = r.ETag;
  if (r.ContentType) o.ContentType = r.ContentType;
  if (r.ContentEncoding) o.ContentEncoding = r.ContentEncoding;
  if (r.ServerSideEncryption) o.ServerSideEncryption = r.ServerSideEncryption;
  o.Metadata = r.Metadata ?? {};
  return o;
}

async function writeBody(body: unknown, file: string, signal?: AbortSignal): Promise<number> {
  const part = `${file}.part`;
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const out = fs.createWriteStream(part);
  let n = 0;
  // The SDK's body checks the object's CRC when its source ends; after a cancel (the request aborted, or we stopped
  // reading) it then emits a checksum "mismatch" that nobody would be listening for: an uncaught exception in the
  // extension host. The for-await below still sees every error while it reads.
  const emitter = body as { on?: (ev: string, fn: () => void) => unknown } | undefined;
  if (emitter && typeof emitter.on === 'function') emitter.on('error', () => undefined);
  if (signal?.aborted) {
    (body as { destroy?: () => void } | undefined)?.destroy?.();
    throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
  }
  try {
    const stream = body as AsyncIterable<Uint8Array> | undefined;
    if (stream && Symbol.asyncIterator in Object(stream)) {
      for await (const chunk of stream) {
        if (signal?.aborted) throw Object.assign(new Error('cancelled'), { name: 'AbortError' });
        n += chunk.length;
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
      }
    } else if (body && typeof (body as { transformToByteArray?: unknown }).transformToByteArray === 'function') {
      const b = await (body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray();
      n = b.length;
      out.write(b);
    }
    await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    await fs.promises.rename(part, file);
    return n;
  } catch (e) {
    out.destroy();
    await fs.promises.rm(part, { force: true });
    throw e;
  }
}

export interface DownloadOptions {
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, key: string) => void;
}

/** Fetches the planned objects into `dest` (see the file comment). Never throws for one object's failure. */
export async function downloadObjects(client: S3Client, bucket: string, objects: PlannedObject[], dest: string, o: DownloadOptions = {}): Promise<DownloadResult> {
  const { GetObjectCommand } = await loadS3Sdk();
  const result: DownloadResult = { downloaded: 0, skipped: 0, failed: [], bytes: 0, digestRegions: [], cancelled: false };
  const regions = new Set<string>();
  let next = 0;
  let done = 0;
  const one = async (obj: PlannedObject) => {
    const file = localPathFor(dest, obj.key);
    const side = file + METADATA_SUFFIX;
    if (obj.kind === 'digest') regions.add(obj.region);
    try {
      const st = await fs.promises.stat(file).catch(() => undefined);
      const haveSide = obj.kind === 'log' || fs.existsSync(side);
      if (st && st.size === obj.size && haveSide) {
        result.skipped++;
        return;
      }
      // No abortSignal on the request itself: aborting a GetObject whose response has arrived leaves the SDK's
      // checksum stream to fail later with nobody listening (an uncaught "Checksum mismatch"). A cancel instead
      // stops before each request and between the chunks of each body (writeBody), which then destroys the body.
      if (o.signal?.aborted) return;
      const r = await client.send(new GetObjectCommand({ Bucket: bucket, Key: obj.key }));
      const n = await writeBody(r.Body, file, o.signal);
      if (obj.kind === 'digest') await fs.promises.writeFile(side, JSON.stringify(headShape(r), null, 4) + '\n');
      result.downloaded++;
      result.bytes += n;
    } catch (e) {
      if (o.signal?.aborted) return;
      result.failed.push({ key: obj.key, error: (e as Error).message });
    }
  };
  const worker = async () => {
    while (next < objects.length && !o.signal?.aborted) {
      const obj = objects[next++];
      await one(obj);
      o.onProgress?.(++done, objects.length, obj.key);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency ?? 8, objects.length)) }, worker));
  result.cancelled = o.signal?.aborted ?? false;
  result.digestRegions = [...regions].sort();
  return result;
}

/** Merges keys into `<dest>/public-keys.json` (list-public-keys shape, each key tagged with its Region). */
export function saveKeys(dest: string, keys: KeyRing): string {
  const file = path.join(dest, KEYS_FILE);
  const ring = new KeyRing();
  try {
    ring.addJson(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch {
    // no file yet, or unreadable: write a fresh one
  }
  for (const e of keys.entries()) ring.add(e);
  fs.mkdirSync(dest, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(ring.toJson(), null, 2) + '\n');
  return file;
}
