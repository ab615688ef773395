/**
 * Public keys fetched online with CloudTrail ListPublicKeys (all pages) for one Region, for digests whose key no
 * local file holds.
 */
import type { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { loadCloudTrailSdk } from '../aws/sdk';
import { KeyRing } from './keys';

export async function listPublicKeys(client: CloudTrailClient, region: string, range?: { start?: Date; end?: Date }): Promise<KeyRing> {
  const { ListPublicKeysCommand } = await loadCloudTrailSdk();
  const ring = new KeyRing();
  let token: string | undefined;
  do {
    const out = await client.send(new ListPublicKeysCommand({ StartTime: range?.start, EndTime: range?.end, NextToken: token }));
    for (const k of out.PublicKeyList ?? []) {
      if (!k.Value || !k.Fingerprint) continue;
      ring.add({
        fingerprint: k.Fingerprint,
        der: Buffer.from(k.Value),
        region,
        validityStart: k.ValidityStartTime?.toISOString(),
        validityEnd: k.ValidityEndTime?.toISOString(),
      });
    }
    token = out.NextToken;
  } while (token);
  return ring;
}
