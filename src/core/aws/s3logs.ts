/**
 * Browsing a trail's S3 bucket level by level (AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<mm>/<dd>/)
 * with ListObjectsV2 and Delimiter '/', and downloading one log file.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { loadS3Sdk } from './sdk';

export interface S3Listing {
  /** Sub-folders (full prefixes ending in '/'). */
  folders: string[];
  files: S3File[];
  /** Set when there is more than was listed; pass it back to continue. */
  continuationToken?: string;
}

export interface S3File {
  key: string;
  size: number;
  lastModified?: Date;
}

/** The prefix under which CloudTrail writes for a trail (`[<prefix>/]AWSLogs/`). */
export function logsRootPrefix(keyPrefix: string | undefined): string {
  const p = (keyPrefix ?? '').replace(/^\/+|\/+$/g, '');
  return p ? `${p}/AWSLogs/` : 'AWSLogs/';
}

/** The last path segment of a folder prefix or key, for labels. */
export function lastSegment(prefixOrKey: string): string {
  const trimmed = prefixOrKey.endsWith('/') ? prefixOrKey.slice(0, -1) : prefixOrKey;
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** What a folder level is, from its place under AWSLogs/ (organization trails add one level). */
export function describeLevel(prefix: string, root: string): string | undefined {
  if (!prefix.startsWith(root)) return undefined;
  const parts = prefix.slice(root.length).split('/').filter(Boolean);
  if (parts.length === 0) return undefined;
  const org = /^o-[a-z0-9]+$/.test(parts[0]);
  const rel = org ? parts.slice(1) : parts;
  if (org && rel.length === 0) return 'organization';
  const names = ['account', 'log type', 'region', 'year', 'month', 'day'];
  return names[rel.length - 1];
}

/**
 * Lists one level: up to `limit` entries (folders + files), following continuation tokens. Returns a
 * continuation token when the level has more.
 */
export async function listLevel(
  client: S3Client,
  bucket: string,
  prefix: string,
  options: { limit?: number; continuationToken?: string; signal?: AbortSignal } = {},
): Promise<S3Listing> {
  const { ListObjectsV2Command } = await loadS3Sdk();
  const limit = options.limit ?? 1000;
  const out: S3Listing = { folders: [], files: [] };
  let token = options.continuationToken;
  do {
    const res = await client.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        Delimiter: '/',
        ContinuationToken: token,
        MaxKeys: Math.min(1000, Math.max(1, limit - out.folders.length - out.files.length)),
      }),
      { abortSignal: options.signal },
    );
    for (const p of res.CommonPrefixes ?? []) if (p.Prefix) out.folders.push(p.Prefix);
    for (const o of res.Contents ?? []) {
      // Some tools create zero-byte "folder" marker objects named like the prefix itself.
      if (!o.Key || o.Key === prefix) continue;
      out.files.push({ key: o.Key, size: Number(o.Size ?? 0), lastModified: o.LastModified });
    }
    token = res.IsTruncated ? res.NextContinuationToken : undefined;
  } while (token && out.folders.length + out.files.length < limit);
  out.continuationToken = token;
  // Newest first reads best for date folders and log files (their names embed the timestamp).
  out.folders.sort((a, b) => b.localeCompare(a));
  out.files.sort((a, b) => b.key.localeCompare(a.key));
  return out;
}

export class ObjectTooLargeError extends Error {
  constructor(readonly size: number, readonly limit: number) {
    super(`The object is ${Math.round(size / 1048576)} MB, above the ${Math.round(limit / 1048576)} MB download limit.`);
    this.name = 'ObjectTooLargeError';
  }
}

/** Downloads an object's bytes, refusing objects above `maxBytes`. */
export async function getObjectBytes(
  client: S3Client,
  bucket: string,
  key: string,
  options: { maxBytes?: number; signal?: AbortSignal } = {},
): Promise<Uint8Array> {
  const { GetObjectCommand } = await loadS3Sdk();
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const res = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal });
  const size = Number(res.ContentLength ?? 0);
  if (size > maxBytes) {
    // Release the socket rather than reading a body we will not use.
    (res.Body as { destroy?: () => void } | undefined)?.destroy?.();
    throw new ObjectTooLargeError(size, maxBytes);
  }
  if (!res.Body) return new Uint8Array();
  return res.Body.transformToByteArray();
}
