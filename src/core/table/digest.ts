/** View model of a CloudTrail digest file: one row per log file it vouches for. */
import type { DigestInfo } from '../records/types';
import { displayCell } from './columns';

export interface DigestRow {
  /** `s3://bucket/key` of the log file. */
  object: string;
  bucket: string;
  key: string;
  hash: string;
  algorithm: string;
  /** ISO times as in the digest ('' when null). */
  oldestEventTime: string;
  newestEventTime: string;
}

export interface DigestView {
  account: string;
  start: string;
  end: string;
  /** `s3://…` of the previous digest, '' for the first digest of a chain. */
  previous: string;
  previousHash: string;
  rows: DigestRow[];
}

const str = (v: unknown): string => (typeof v === 'string' ? displayCell(v) : '');

/** Rows for the digest table, in the order the digest lists them; tolerant of missing fields. */
export function digestRows(info: DigestInfo): DigestRow[] {
  const list = Array.isArray(info?.logFiles) ? info.logFiles : [];
  return list.map((f) => {
    const bucket = str(f?.s3Bucket);
    const key = str(f?.s3Object);
    return {
      object: bucket || key ? `s3://${bucket}/${key}` : '',
      bucket,
      key,
      hash: str(f?.hashValue),
      algorithm: str(f?.hashAlgorithm),
      oldestEventTime: str(f?.oldestEventTime),
      newestEventTime: str(f?.newestEventTime),
    };
  });
}

/** Header facts plus rows. */
export function digestView(info: DigestInfo): DigestView {
  const pb = str(info?.previousDigestS3Bucket);
  const po = str(info?.previousDigestS3Object);
  return {
    account: str(info?.awsAccountId),
    start: str(info?.digestStartTime),
    end: str(info?.digestEndTime),
    previous: pb || po ? `s3://${pb}/${po}` : '',
    previousHash: str(info?.previousDigestHashValue),
    rows: digestRows(info),
  };
}
