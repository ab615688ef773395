/**
 * Builds an AWSLogs folder the way CloudTrail writes it, signed with a key pair made here: gzipped log files, an
 * hourly digest chain (hash of the uncompressed previous digest, previousDigestSignature, signing string), the
 * newest digest's `head-object` sidecar and a `list-public-keys` JSON file. Tests then tamper with it.
 */
import { createHash, generateKeyPairSync, sign, KeyObject } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface ChainFixture {
  root: string;
  account: string;
  region: string;
  /** Relative paths, oldest first. */
  digests: string[];
  /** logs[hour] = relative paths of that hour's log files. */
  logs: string[][];
  privateKey: KeyObject;
  fingerprint: string;
  bucket: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const compact = (d: Date, seconds: boolean) =>
  `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${seconds ? pad(d.getUTCSeconds()) : ''}Z`;
const iso = (d: Date) => d.toISOString().replace('.000', '');
const dayPath = (d: Date) => `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;

let keyCache: { privateKey: KeyObject; publicDer: Buffer; fingerprint: string } | undefined;
export function keyPair() {
  if (!keyCache) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const publicDer = publicKey.export({ format: 'der', type: 'pkcs1' });
    keyCache = { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
  }
  return keyCache;
}

export function otherKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicDer = publicKey.export({ format: 'der', type: 'pkcs1' });
  return { privateKey, publicDer, fingerprint: createHash('md5').update(publicDer).digest('hex') };
}

export function signDigest(privateKey: KeyObject, endTime: string, bucket: string, key: string, sha: string, prevSig: string | null): string {
  const text = [endTime, `${bucket}/${key}`, sha, prevSig ?? 'null'].join('\n');
  return sign('sha256', Buffer.from(text, 'utf8'), privateKey).toString('hex');
}

export function logContent(account: string, region: string, when: Date, n: number): string {
  const records = Array.from({ length: n }, (_, i) => ({
    eventVersion: '1.08',
    eventTime: iso(new Date(when.getTime() - (i + 1) * 60_000)),
    eventSource: 's3.amazonaws.com',
    eventName: i % 2 ? 'GetObject' : 'PutObject',
    awsRegion: region,
    sourceIPAddress: `198.51.100.${i % 250}`,
    recipientAccountId: account,
    eventID: `00000000-0000-4000-8000-${String(when.getTime() + i).padStart(12, '0').slice(-12)}`,
  }));
  return JSON.stringify({ Records: records });
}

export interface ChainOptions {
  hours?: number;
  logsPerHour?: number;
  recordsPerLog?: number;
  orgId?: string;
  /** Key prefix inside the bucket (also used as the local folder before AWSLogs). */
  prefix?: string;
  start?: Date;
  trail?: string;
  account?: string;
  region?: string;
  /** Leave out the newest digest's sidecar. */
  noSidecar?: boolean;
  noKeysFile?: boolean;
}

/** Writes the chain under `root` and returns what it wrote. */
export function writeChain(root: string, o: ChainOptions = {}): ChainFixture {
  const account = o.account ?? '111122223333';
  const region = o.region ?? 'us-east-1';
  const bucket = 'trail-bucket';
  const trail = o.trail ?? 'org_trail';
  const hours = o.hours ?? 5;
  const start = o.start ?? new Date(Date.UTC(2026, 0, 31, 21, 0, 0));
  const { privateKey, publicDer, fingerprint } = keyPair();
  const base = `${o.prefix ? o.prefix + '/' : ''}AWSLogs/${o.orgId ? o.orgId + '/' : ''}${account}`;
  const digests: string[] = [];
  const logs: string[][] = [];
  let prev: { key: string; sha: string; sig: string } | undefined;
  for (let h = 0; h < hours; h++) {
    const hStart = new Date(start.getTime() + h * 3600_000);
    const hEnd = new Date(hStart.getTime() + 3600_000);
    const entries = [];
    const hourLogs: string[] = [];
    for (let i = 0; i < (o.logsPerHour ?? 2); i++) {
      const when = new Date(hStart.getTime() + (i * 20 + 5) * 60_000);
      const name = `${account}_CloudTrail_${region}_${compact(when, false)}_${'Abc' + String(h * 100 + i).padStart(13, '0')}.json.gz`;
      const key = `${base}/CloudTrail/${region}/${dayPath(when)}/${name}`;
      const text = logContent(account, region, when, o.recordsPerLog ?? 20);
      fs.mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
      fs.writeFileSync(path.join(root, key), gzipSync(text));
      hourLogs.push(key);
      entries.push({
        s3Bucket: bucket,
        s3Object: key,
        hashValue: createHash('sha256').update(text).digest('hex'),
        hashAlgorithm: 'SHA-256',
        newestEventTime: iso(new Date(when.getTime() - 60_000)),
        oldestEventTime: iso(new Date(when.getTime() - (o.recordsPerLog ?? 20) * 60_000)),
      });
    }
    logs.push(hourLogs);
    const dkey = `${base}/CloudTrail-Digest/${region}/${dayPath(hEnd)}/${account}_CloudTrail-Digest_${region}_${trail}_${region}_${compact(hEnd, true)}.json.gz`;
    const digest = {
      awsAccountId: account,
      digestStartTime: iso(hStart),
      digestEndTime: iso(hEnd),
      digestS3Bucket: bucket,
      digestS3Object: dkey,
      digestPublicKeyFingerprint: fingerprint,
      digestSignatureAlgorithm: 'SHA256withRSA',
      newestEventTime: entries.length ? entries[entries.length - 1].newestEventTime : null,
      oldestEventTime: entries.length ? entries[0].oldestEventTime : null,
      previousDigestS3Bucket: prev ? bucket : null,
      previousDigestS3Object: prev ? prev.key : null,
      previousDigestHashValue: prev ? prev.sha : null,
      previousDigestHashAlgorithm: prev ? 'SHA-256' : null,
      previousDigestSignature: prev ? prev.sig : null,
      logFiles: entries,
    };
    const text = JSON.stringify(digest);
    const sha = createHash('sha256').update(text).digest('hex');
    const sig = signDigest(privateKey, digest.digestEndTime, bucket, dkey, sha, prev?.sig ?? null);
    fs.mkdirSync(path.dirname(path.join(root, dkey)), { recursive: true });
    fs.writeFileSync(path.join(root, dkey), gzipSync(text));
    digests.push(dkey);
    prev = { key: dkey, sha, sig };
    if (h === hours - 1 && !o.noSidecar) {
      // What `aws s3api head-object` prints for a digest object.
      const head = {
        AcceptRanges: 'bytes',
        LastModified: hEnd.toUTCString(),
        ContentLength: gzipSync(text).length,
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
        ServerSideEncryption: 'AES256',
        Metadata: { signature: sig, 'signature-algorithm': 'SHA256withRSA' },
      };
      fs.writeFileSync(path.join(root, dkey + '.metadata.json'), JSON.stringify(head, null, 4));
    }
  }
  if (!o.noKeysFile) writeKeysFile(path.join(root, 'public-keys.json'), [{ der: publicDer, fingerprint }]);
  return { root, account, region, digests, logs, privateKey, fingerprint, bucket };
}

/** What `aws cloudtrail list-public-keys` prints. */
export function writeKeysFile(file: string, keys: { der: Buffer; fingerprint: string }[]): void {
  const list = keys.map((k) => ({
    Value: k.der.toString('base64'),
    ValidityStartTime: '2026-01-01T00:00:00+00:00',
    ValidityEndTime: '2026-12-31T00:00:00+00:00',
    Fingerprint: k.fingerprint,
  }));
  fs.writeFileSync(file, JSON.stringify({ PublicKeyList: list }, null, 4));
}
