/**
 * Files the record viewer's integration and e2e tests open, generated into a folder at test time (gzip and
 * 200 kB strings do not belong in the repository). Sources: the shared corpus and test/support/hostile.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { hostileLogText } from './hostile';

export interface ViewerFixtures {
  dir: string;
  /** A corpus log (stratus-red-team array file, 56 events) rewritten as `{"Records":[…]}` and gzipped, CloudTrail name. */
  gz: string;
  gzEvents: Record<string, unknown>[];
  /** The same log cut in the middle of the gzip stream. */
  truncatedGz: string;
  /** A digest file from the user guide, gzipped, CloudTrail digest name. */
  digestGz: string;
  digest: { logFiles: { s3Bucket: string; s3Object: string; hashValue: string }[]; awsAccountId: string };
  hostile: string;
  /** Many generated records, to exercise virtual scrolling. */
  big: string;
  bigCount: number;
  /** JSON Lines with one broken line (committed fixture, copied here). */
  jsonl: string;
}

export interface FixtureSources {
  /** The corpus folder (test/support/paths.ts `corpusDir`, or $CLOUDTRAIL_LENS_CORPUS in the VS Code server). */
  corpusDir: string;
  /** test/fixtures/workspace/viewer/broken-lines.jsonl (or its copy in the test workspace). */
  jsonl: string;
  bigCount?: number;
}

export function bigEvents(count: number): Record<string, unknown>[] {
  const names = ['GetObject', 'PutObject', 'ListBuckets', 'AssumeRole', 'DescribeInstances', 'CreateUser', 'DeleteTrail'];
  const out: Record<string, unknown>[] = [];
  const t0 = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    out.push({
      eventVersion: '1.08',
      userIdentity: { type: 'IAMUser', principalId: `AIDA${i % 50}`, arn: `arn:aws:iam::111122223333:user/user${i % 50}`, accountId: '111122223333', userName: `user${i % 50}` },
      eventTime: new Date(t0 + i * 60_000).toISOString().replace('.000Z', 'Z'),
      eventSource: 's3.amazonaws.com',
      eventName: names[i % names.length],
      awsRegion: i % 3 === 0 ? 'eu-west-1' : 'us-east-1',
      sourceIPAddress: `198.51.100.${i % 250}`,
      userAgent: 'aws-cli/2.15',
      requestParameters: { bucketName: `bucket-${i % 20}`, key: `object-${i}` },
      responseElements: null,
      eventID: `evt-${String(i).padStart(8, '0')}`,
      readOnly: i % 2 === 0,
      eventType: 'AwsApiCall',
      recipientAccountId: '111122223333',
      ...(i % 11 === 0 ? { errorCode: 'AccessDenied', errorMessage: 'Access Denied' } : {}),
    });
  }
  return out;
}

export function writeViewerFixtures(dir: string, src: FixtureSources): ViewerFixtures {
  const bigCount = src.bigCount ?? 20_000;
  fs.mkdirSync(dir, { recursive: true });
  const sendCommand = path.join(src.corpusDir, 'stratus-red-team', 'aws.execution.ssm-send-command.json');
  const digestFile = path.join(src.corpusDir, 'awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-validation-digest-file-structure__01.json');
  const gzEvents = JSON.parse(fs.readFileSync(sendCommand, 'utf8')) as Record<string, unknown>[];
  const logText = JSON.stringify({ Records: gzEvents }, null, 1);
  const gzBytes = zlib.gzipSync(Buffer.from(logText));
  const gz = path.join(dir, '111122223333_CloudTrail_us-east-1_20240731T1310Z_AbCdEfGhIjKlMnOp.json.gz');
  fs.writeFileSync(gz, gzBytes);
  const truncatedGz = path.join(dir, '111122223333_CloudTrail_us-east-1_20240731T1320Z_TrUnCaTeD0000000.json.gz');
  fs.writeFileSync(truncatedGz, gzBytes.subarray(0, Math.floor(gzBytes.length * 0.6)));
  const digestText = fs.readFileSync(digestFile, 'utf8');
  const digestGz = path.join(dir, '111122223333_CloudTrail-Digest_us-east-2_your-trail-name_us-east-2_20150817T150131Z.json.gz');
  fs.writeFileSync(digestGz, zlib.gzipSync(Buffer.from(digestText)));
  const hostile = path.join(dir, 'hostile.json');
  fs.writeFileSync(hostile, hostileLogText());
  const big = path.join(dir, 'big.json');
  fs.writeFileSync(big, JSON.stringify({ Records: bigEvents(bigCount) }));
  const jsonl = path.join(dir, 'broken-lines.jsonl');
  fs.copyFileSync(src.jsonl, jsonl);
  return { dir, gz, gzEvents, truncatedGz, digestGz, digest: JSON.parse(digestText), hostile, big, bigCount, jsonl };
}
