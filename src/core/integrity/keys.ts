/**
 * CloudTrail public keys, as `aws cloudtrail list-public-keys` prints them (`{"PublicKeyList": [{Value, Fingerprint,
 * ValidityStartTime, ValidityEndTime}]}`, Value = base64 DER PKCS#1 RSA key), looked up by fingerprint.
 * A file may also be an object keyed by Region whose values have that shape, or list items may carry a `Region`.
 */
import { createPublicKey, KeyObject } from 'node:crypto';

export interface PublicKeyEntry {
  fingerprint: string;
  /** DER, PKCS#1. */
  der: Buffer;
  region?: string;
  validityStart?: string;
  validityEnd?: string;
}

interface RawKey {
  Value?: unknown;
  Fingerprint?: unknown;
  ValidityStartTime?: unknown;
  ValidityEndTime?: unknown;
  Region?: unknown;
}

function asTime(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return new Date(v * 1000).toISOString(); // the CLI can print epoch seconds
  if (v instanceof Date) return v.toISOString();
  return undefined;
}

export class KeyRing {
  private readonly byFingerprint = new Map<string, PublicKeyEntry>();
  private readonly objects = new Map<string, KeyObject>();

  get size(): number {
    return this.byFingerprint.size;
  }

  add(entry: PublicKeyEntry): void {
    this.byFingerprint.set(entry.fingerprint.toLowerCase(), entry);
  }

  get(fingerprint: string): PublicKeyEntry | undefined {
    return this.byFingerprint.get(fingerprint.toLowerCase());
  }

  /** The key object for a fingerprint, or a reason it cannot be used. */
  keyObject(fingerprint: string): KeyObject | string {
    const fp = fingerprint.toLowerCase();
    const cached = this.objects.get(fp);
    if (cached) return cached;
    const e = this.byFingerprint.get(fp);
    if (!e) return `no public key with fingerprint ${fingerprint}`;
    try {
      const k = createPublicKey({ key: e.der, format: 'der', type: 'pkcs1' });
      this.objects.set(fp, k);
      return k;
    } catch (err) {
      return `public key ${fingerprint} cannot be read: ${(err as Error).message}`;
    }
  }

  entries(): PublicKeyEntry[] {
    return [...this.byFingerprint.values()];
  }

  /** Adds every key of a parsed list-public-keys output (or Region map of them). Returns how many were added. */
  addJson(json: unknown, region?: string): number {
    let n = 0;
    if (Array.isArray(json)) {
      for (const k of json as RawKey[]) n += this.addRaw(k, region);
    } else if (json && typeof json === 'object') {
      const o = json as Record<string, unknown>;
      if (Array.isArray(o.PublicKeyList)) return this.addJson(o.PublicKeyList, region);
      for (const [r, v] of Object.entries(o)) if (v && typeof v === 'object') n += this.addJson(v, r);
    }
    return n;
  }

  private addRaw(k: RawKey, region?: string): number {
    if (!k || typeof k.Fingerprint !== 'string' || typeof k.Value !== 'string') return 0;
    const der = Buffer.from(k.Value, 'base64');
    if (der.length === 0) return 0;
    this.add({
      fingerprint: k.Fingerprint,
      der,
      region: typeof k.Region === 'string' ? k.Region : region,
      validityStart: asTime(k.ValidityStartTime),
      validityEnd: asTime(k.ValidityEndTime),
    });
    return 1;
  }

  /** The list-public-keys shape, with a `Region` on each item when known (what the tool saves). */
  toJson(): { PublicKeyList: Record<string, string>[] } {
    return {
      PublicKeyList: this.entries().map((e) => ({
        Value: e.der.toString('base64'),
        Fingerprint: e.fingerprint,
        ...(e.validityStart ? { ValidityStartTime: e.validityStart } : {}),
        ...(e.validityEnd ? { ValidityEndTime: e.validityEnd } : {}),
        ...(e.region ? { Region: e.region } : {}),
      })),
    };
  }
}

/** The text CloudTrail signs for a digest (lines joined with \n, no trailing newline). */
export function signingString(d: { digestEndTime: string; digestS3Bucket: string; digestS3Object: string; previousDigestSignature?: string | null }, digestSha256: string): string {
  return [d.digestEndTime, `${d.digestS3Bucket}/${d.digestS3Object}`, digestSha256, d.previousDigestSignature ?? 'null'].join('\n');
}
