/**
 * What a digest file lists, for the log-folder tree: its period and each log object's key and file name, plus
 * where the listed object would sit locally (the same `AWSLogs/…` tail under the digest's own prefix folder).
 */
import { gunzipFirstMember } from './gzip-hash';

export interface DigestListing {
  startTime?: string;
  endTime?: string;
  logFiles: { s3Bucket: string; s3Object: string; name: string; hashValue: string; localRel?: string }[];
}

/** Parses a digest file's bytes (gzipped or plain JSON). `digestRel` is the digest's path relative to its folder. */
export function readDigestListing(bytes: Uint8Array, digestRel: string): DigestListing | { error: string } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let text: string;
  if (buf[0] === 0x1f && buf[1] === 0x8b) {
    const g = gunzipFirstMember(buf);
    if (!g.content) return { error: g.error ?? 'cannot decompress' };
    text = g.content.toString('utf8');
  } else text = buf.toString('utf8');
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    return { error: `not JSON: ${(e as Error).message}` };
  }
  if (!j || typeof j !== 'object' || !Array.isArray(j.logFiles)) return { error: 'not a CloudTrail digest file (no logFiles list)' };
  // The account folder holds both trees: <base>/CloudTrail-Digest/… beside <base>/CloudTrail/….
  const parts = digestRel.split('/');
  const i = parts.lastIndexOf('CloudTrail-Digest');
  const base = i > 0 ? parts.slice(0, i).join('/') + '/' : '';
  const logFiles: DigestListing['logFiles'] = [];
  for (const lf of j.logFiles as Record<string, unknown>[]) {
    if (!lf || typeof lf.s3Object !== 'string') continue;
    const objParts = lf.s3Object.split('/');
    const k = objParts.lastIndexOf('CloudTrail');
    logFiles.push({
      s3Bucket: typeof lf.s3Bucket === 'string' ? lf.s3Bucket : '',
      s3Object: lf.s3Object,
      name: lf.s3Object.slice(lf.s3Object.lastIndexOf('/') + 1),
      hashValue: typeof lf.hashValue === 'string' ? lf.hashValue : '',
      localRel: i >= 0 && k >= 0 ? base + objParts.slice(k).join('/') : undefined,
    });
  }
  return {
    startTime: typeof j.digestStartTime === 'string' ? j.digestStartTime : undefined,
    endTime: typeof j.digestEndTime === 'string' ? j.digestEndTime : undefined,
    logFiles,
  };
}
