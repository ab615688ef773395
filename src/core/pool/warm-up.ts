/**
 * A pool worker's warm-up: a synthetic CloudTrail log file, made here, that a worker parses a few times into
 * ingest pieces before any real file arrives. A new worker runs its first files slowly (module start, the
 * interpreter, then JIT compilation of the parser, the row builder and zlib's path); after the warm-up the first
 * real "Open All Events" runs at the speed of a pool that has already worked. Measured in test/bench/folder.bench.ts.
 *
 * The records are invented (no account, key or address in them is real) but have the shapes that matter to the hot
 * loops: every userIdentity type the row builder reads, nested request parameters, resources, error codes.
 */
import { gzipSync } from 'node:zlib';

/** The sample's file name: as CloudTrail names its files, so the sample takes the path a delivered log file takes. */
export const WARM_UP_NAME = '000000000000_CloudTrail_us-east-1_20240201T0000Z_warmup0000000000.json.gz';
/** Records in one warm-up file. */
export const WARM_UP_RECORDS = 250;
/** Times a worker parses the file: enough for the hot loops to be compiled (see the folder bench's warm-up line). */
export const WARM_UP_ROUNDS = 6;

const SERVICES: readonly [source: string, names: readonly string[]][] = [
  ['s3.amazonaws.com', ['GetObject', 'PutObject', 'ListBuckets', 'DeleteObject', 'GetBucketAcl']],
  ['ec2.amazonaws.com', ['DescribeInstances', 'RunInstances', 'DescribeSecurityGroups', 'StopInstances']],
  ['sts.amazonaws.com', ['AssumeRole', 'GetCallerIdentity', 'AssumeRoleWithWebIdentity']],
  ['iam.amazonaws.com', ['ListRoles', 'CreateUser', 'AttachRolePolicy', 'GetPolicyVersion']],
  ['kms.amazonaws.com', ['Decrypt', 'GenerateDataKey', 'Encrypt']],
  ['lambda.amazonaws.com', ['Invoke', 'ListFunctions20150331', 'UpdateFunctionCode20150331v2']],
];
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'us-west-2'];
const ERRORS = ['AccessDenied', 'ThrottlingException', 'Client.UnauthorizedOperation', 'NoSuchKey'];

function hex(n: number, width: number): string {
  return (n >>> 0).toString(16).padStart(width, '0').slice(-width);
}

function identity(i: number): Record<string, unknown> {
  const account = '000000000000';
  switch (i % 5) {
    case 0:
      return { type: 'IAMUser', principalId: `AIDAWARMUP${hex(i, 8)}`, arn: `arn:aws:iam::${account}:user/warm-up-${i % 7}`, accountId: account, accessKeyId: `AKIAWARMUP${hex(i, 10)}`, userName: `warm-up-${i % 7}` };
    case 1:
    case 2:
      return {
        type: 'AssumedRole',
        principalId: `AROAWARMUP${hex(i, 6)}:session-${i % 11}`,
        arn: `arn:aws:sts::${account}:assumed-role/WarmUpRole${i % 3}/session-${i % 11}`,
        accountId: account,
        accessKeyId: `ASIAWARMUP${hex(i * 7, 10)}`,
        sessionContext: {
          sessionIssuer: { type: 'Role', principalId: `AROAWARMUP${hex(i, 6)}`, arn: `arn:aws:iam::${account}:role/WarmUpRole${i % 3}`, accountId: account, userName: `WarmUpRole${i % 3}` },
          webIdFederationData: {},
          attributes: { creationDate: `2024-01-0${1 + (i % 9)}T10:00:00Z`, mfaAuthenticated: i % 4 === 0 ? 'true' : 'false' },
        },
        ...(i % 6 === 1 ? { sourceIdentity: `warm-up-${i % 5}` } : {}),
      };
    case 3:
      return { type: 'AWSService', invokedBy: 'cloudtrail.amazonaws.com' };
    default:
      return { type: 'Root', principalId: account, arn: `arn:aws:iam::${account}:root`, accountId: account, accessKeyId: '' };
  }
}

/** The i-th synthetic record. */
export function warmUpRecord(i: number): Record<string, unknown> {
  const [source, names] = SERVICES[i % SERVICES.length];
  const name = names[(i >> 1) % names.length];
  const second = i % 86_400;
  const time = `2024-02-${String(1 + (i % 28)).padStart(2, '0')}T${String(Math.floor(second / 3600)).padStart(2, '0')}:${String(Math.floor(second / 60) % 60).padStart(2, '0')}:${String(second % 60).padStart(2, '0')}Z`;
  const failed = i % 9 === 4;
  const record: Record<string, unknown> = {
    eventVersion: i % 4 === 0 ? '1.08' : '1.09',
    userIdentity: identity(i),
    eventTime: time,
    eventSource: source,
    eventName: name,
    awsRegion: REGIONS[i % REGIONS.length],
    sourceIPAddress: i % 5 === 3 ? 'cloudtrail.amazonaws.com' : `192.0.2.${i % 250}`,
    userAgent: i % 3 === 0 ? 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 botocore/2.4.5' : 'Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux',
    requestParameters: i % 8 === 7 ? null : { bucketName: `warm-up-bucket-${i % 4}`, key: `logs/${i}/part-${i % 13}.json`, filter: [{ name: 'tag:team', values: ['a', `b${i % 3}`] }], maxResults: 50 + (i % 50) },
    responseElements: failed ? null : i % 2 === 0 ? { credentials: { accessKeyId: `ASIAWARMUP${hex(i * 13, 10)}`, expiration: 'Feb 1, 2024, 11:00:00 AM', sessionToken: 'x'.repeat(40) } } : null,
    requestID: `${hex(i * 2654435761, 8)}-${hex(i, 4)}-4000-8000-${hex(i * 40503, 12)}`,
    eventID: `${hex(i * 97, 8)}-${hex(i * 3, 4)}-4000-9000-${hex(i * 7919, 12)}`,
    readOnly: /^(Get|List|Describe)/.test(name),
    eventType: 'AwsApiCall',
    managementEvent: source !== 's3.amazonaws.com',
    recipientAccountId: '000000000000',
    eventCategory: source === 's3.amazonaws.com' ? 'Data' : 'Management',
    tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${source.split('.')[0]}.amazonaws.com` },
  };
  if (failed) {
    record.errorCode = ERRORS[i % ERRORS.length];
    record.errorMessage = `Warm-up record ${i} failed on purpose.`;
  }
  if (source === 's3.amazonaws.com') {
    record.resources = [
      { type: 'AWS::S3::Object', ARN: `arn:aws:s3:::warm-up-bucket-${i % 4}/logs/${i}` },
      { accountId: '000000000000', type: 'AWS::S3::Bucket', ARN: `arn:aws:s3:::warm-up-bucket-${i % 4}` },
    ];
    record.additionalEventData = { bytesTransferredIn: i % 1000, bytesTransferredOut: (i * 7) % 5000, 'x-amz-id-2': hex(i * 31, 16) };
  }
  return record;
}

/** One gzipped log file of `records` synthetic records, as CloudTrail delivers them. */
export function warmUpSample(records = WARM_UP_RECORDS): Uint8Array {
  return gzipSync(JSON.stringify({ Records: Array.from({ length: records }, (_, i) => warmUpRecord(i)) }));
}
