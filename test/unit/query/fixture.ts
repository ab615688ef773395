/**
 * A generated investigation fixture: deterministic records that hit every library query (and plenty that must
 * not), written as CloudTrail delivers them (AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/*.json.gz) plus
 * one JSON Lines export with all-lower-case keys, so the normalisation path is part of every answer.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export type Rec = Record<string, any>;

const ACCOUNT = '111122223333';
const REGIONS = ['us-east-1', 'eu-west-1', 'ap-south-1'];
const IPS = ['203.0.113.10', '198.51.100.7', '192.0.2.44'];
const AGENTS = ['aws-cli/2.15.0', 'Boto3/1.34.0', 'console.amazonaws.com'];

const ids = {
  root: { type: 'Root', principalId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: 'ASIAROOT000000000001' },
  alice: { type: 'IAMUser', principalId: 'AIDAALICE', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', userName: 'alice' },
  bob: { type: 'IAMUser', principalId: 'AIDABOB', arn: `arn:aws:iam::${ACCOUNT}:user/bob`, accountId: ACCOUNT, accessKeyId: 'AKIABOB0000000000000', userName: 'bob' },
  session: {
    type: 'AssumedRole', principalId: 'AROAADMIN:session-name', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/session-name`, accountId: ACCOUNT, accessKeyId: 'ASIASESSION000000001',
    sessionContext: { attributes: { mfaAuthenticated: 'false', creationDate: '2024-03-01T00:00:00Z' }, sessionIssuer: { type: 'Role', principalId: 'AROAADMIN', arn: `arn:aws:iam::${ACCOUNT}:role/Admin`, accountId: ACCOUNT, userName: 'Admin' } },
  },
  other: { type: 'AssumedRole', principalId: 'AROAOTHER:ci', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/CI/ci`, accountId: ACCOUNT, accessKeyId: 'ASIAOTHER00000000001' },
};

const SPECIAL: [string, string, (Rec | null)?, (Rec | null)?][] = [
  // [eventSource, eventName, requestParameters, responseElements, extra]
  ['cloudtrail.amazonaws.com', 'StopLogging', { name: 'main' }],
  ['cloudtrail.amazonaws.com', 'DeleteTrail', { name: 'main' }],
  ['cloudtrail.amazonaws.com', 'PutEventSelectors', { trailName: 'main' }],
  ['cloudtrail.amazonaws.com', 'UpdateTrail', { name: 'main' }],
  ['cloudtrail.amazonaws.com', 'StartLogging', { name: 'main' }],
  ['iam.amazonaws.com', 'CreateUser', { userName: 'mallory' }],
  ['iam.amazonaws.com', 'CreateAccessKey', { userName: 'mallory' }, { accessKey: { accessKeyId: 'AKIANEW0000000000001', userName: 'mallory' } }],
  ['iam.amazonaws.com', 'AttachUserPolicy', { userName: 'mallory', policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }],
  ['iam.amazonaws.com', 'PutRolePolicy', { roleName: 'Admin', policyName: 'x' }],
  ['iam.amazonaws.com', 'AttachRolePolicy', { roleName: 'Admin', policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
  ['iam.amazonaws.com', 'CreateRole', { roleName: 'backdoor' }],
  ['iam.amazonaws.com', 'UpdateAssumeRolePolicy', { roleName: 'Admin' }],
  ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { groupId: 'sg-1', ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '0.0.0.0/0' }] } }] } }],
  ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { groupId: 'sg-2', ipPermissions: { items: [{ ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }] } }],
  ['ec2.amazonaws.com', 'AuthorizeSecurityGroupIngress', { groupId: 'sg-3', ipPermissions: { items: [{ ipv6Ranges: { items: [{ cidrIpv6: '::/0' }] } }] } }],
  ['s3.amazonaws.com', 'PutBucketPolicy', { bucketName: 'data-bucket' }],
  ['s3.amazonaws.com', 'PutBucketAcl', { bucketName: 'logs-bucket' }],
  ['s3.amazonaws.com', 'DeleteBucketPublicAccessBlock', { bucketName: 'data-bucket' }],
  ['s3.amazonaws.com', 'GetBucketPolicy', { bucketName: 'data-bucket' }],
  ['kms.amazonaws.com', 'ScheduleKeyDeletion', { keyId: 'k1', pendingWindowInDays: 7 }],
  ['kms.amazonaws.com', 'DisableKey', { keyId: 'k2' }],
  ['kms.amazonaws.com', 'Decrypt', {}],
  ['guardduty.amazonaws.com', 'DeleteDetector', { detectorId: 'd1' }],
  ['config.amazonaws.com', 'StopConfigurationRecorder', { configurationRecorderName: 'default' }],
  ['secretsmanager.amazonaws.com', 'GetSecretValue', { secretId: 's1' }],
  ['ssm.amazonaws.com', 'GetParameter', { name: 'p', withDecryption: true }],
  ['organizations.amazonaws.com', 'LeaveOrganization', null],
  ['organizations.amazonaws.com', 'DescribeOrganization', null],
];
const NOISE = [['ec2.amazonaws.com', 'DescribeInstances'], ['s3.amazonaws.com', 'ListBuckets'], ['sts.amazonaws.com', 'GetCallerIdentity'], ['iam.amazonaws.com', 'ListUsers']];
const DENIED = ['AccessDenied', 'AccessDeniedException', 'Client.UnauthorizedOperation', 'ThrottlingException'];

/** A small deterministic pseudo-random generator (mulberry32). */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function makeRecords(count = 600, seed = 7): Rec[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const who = [ids.root, ids.alice, ids.bob, ids.session, ids.other];
  const out: Rec[] = [];
  const t0 = Date.parse('2024-03-01T00:00:00Z');
  for (let i = 0; i < count; i++) {
    // unique, increasing times over three days: ORDER BY eventtime is deterministic
    const time = new Date(t0 + i * 431_000 + Math.floor(r() * 1000)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const id = pick(who);
    const region = i < 20 ? 'us-east-1' : pick(REGIONS);
    let rec: Rec;
    const roll = r();
    if (roll < 0.12) {
      // console sign-in: success with / without MFA, or failure
      const kind = pick(['ok-mfa', 'ok-nomfa', 'fail']);
      const user = pick([ids.alice, ids.bob, ids.root]);
      rec = {
        eventSource: 'signin.amazonaws.com', eventName: 'ConsoleLogin', userIdentity: user,
        responseElements: { ConsoleLogin: kind === 'fail' ? 'Failure' : 'Success' },
        additionalEventData: { MFAUsed: kind === 'ok-mfa' ? 'Yes' : 'No', LoginTo: 'https://console.aws.amazon.com' },
        ...(kind === 'fail' ? { errorMessage: 'Failed authentication' } : {}),
      };
    } else if (roll < 0.45) {
      const [src, name, req, resp] = pick(SPECIAL);
      rec = { eventSource: src, eventName: name, userIdentity: id, requestParameters: req ?? null, responseElements: resp ?? null };
    } else {
      const [src, name] = pick(NOISE);
      rec = { eventSource: src, eventName: name, userIdentity: id, requestParameters: null, responseElements: null };
    }
    if (rec.eventName !== 'ConsoleLogin' && r() < 0.15) {
      rec.errorCode = pick(DENIED);
      rec.errorMessage = 'not allowed';
    }
    out.push({
      eventVersion: '1.09',
      eventTime: time,
      awsRegion: region,
      sourceIPAddress: pick(IPS),
      userAgent: pick(AGENTS),
      requestID: `req-${i}`,
      eventID: `evt-${String(i).padStart(5, '0')}`,
      readOnly: /^(Describe|List|Get)/.test(rec.eventName),
      eventType: 'AwsApiCall',
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: 'Management',
      ...rec,
    });
  }
  return out;
}

const JSON_TEXT = new Set(['requestparameters', 'responseelements', 'additionaleventdata']);

/** Keys lower-cased, the free-form fields as JSON text: what an Athena / CloudTrail Lake export looks like. */
function lowerKeys(v: any): any {
  if (Array.isArray(v)) return v.map(lowerKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), JSON_TEXT.has(k.toLowerCase()) && x !== null ? JSON.stringify(x) : lowerKeys(x)]));
  }
  return v;
}

/**
 * Writes the records: most as hourly `.json.gz` log files in the AWSLogs layout (named for their delivery, 5 min
 * after the hour's last event), the last 40 as a JSON Lines export with lower-case keys (the shape of Athena /
 * CloudTrail Lake exports).
 */
export function writeFixture(records: Rec[], dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-query-fx-'))): string {
  const main = records.slice(0, records.length - 40);
  const tail = records.slice(records.length - 40);
  const groups = new Map<string, Rec[]>();
  for (const rec of main) {
    const key = `${rec.awsRegion}|${rec.eventTime.slice(0, 13)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(rec);
  }
  let n = 0;
  for (const [key, recs] of groups) {
    const [region, hour] = key.split('|');
    const delivered = new Date(Date.parse(hour + ':00:00Z') + 65 * 60_000);
    const y = delivered.getUTCFullYear();
    const mo = String(delivered.getUTCMonth() + 1).padStart(2, '0');
    const d = String(delivered.getUTCDate()).padStart(2, '0');
    const stamp = `${y}${mo}${d}T${String(delivered.getUTCHours()).padStart(2, '0')}${String(delivered.getUTCMinutes()).padStart(2, '0')}Z`;
    const folder = path.join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', region, String(y), mo, d);
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, `${ACCOUNT}_CloudTrail_${region}_${stamp}_f${n++}.json.gz`), gzipSync(JSON.stringify({ Records: recs })));
  }
  fs.writeFileSync(path.join(dir, 'export.jsonl'), tail.map((r) => JSON.stringify(lowerKeys(r))).join('\n') + '\n');
  return dir;
}
