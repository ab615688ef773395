/**
 * Recognising record-like objects and bringing unusual spellings to the standard CloudTrail field names.
 *
 * Decisions (see also the README text of the `records` command):
 * - All-lower-case keys (CloudTrail Lake / Athena exports, Panther fixtures: `eventname`, `useridentity`) ARE
 *   normalised to the standard camelCase names, because every consumer (viewer columns, selectors, hovers) looks
 *   fields up by their standard name. Only keys whose lower-case form is a known CloudTrail field are renamed;
 *   values are untouched (`eventtime: "2023-01-10 21:04:02"` stays as written). The file's object is kept in
 *   `record.original`.
 * - The legacy AWS IoT documentation shape (PascalCase keys, `RequestParamters`, epoch-seconds `timestamp`,
 *   empty strings meaning "not set") is normalised the same way; empty-string values of its PascalCase fields
 *   are dropped because in that shape "" means "absent", and `eventTime` is derived from `timestamp` when the
 *   record has no `EventTime`.
 * New objects are filled with `setOwn` (defineProperty), never plain assignment, so hostile keys stay data.
 */
import { setOwn } from '../json/lossless';
import { DigestInfo, DigestLogFile, JsonObject, JsonValue, LosslessNumber } from './types';

/** Standard top-level record fields (record-fields.md §2, §5). */
const TOP_FIELDS = [
  'eventTime', 'eventVersion', 'userIdentity', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress',
  'userAgent', 'errorCode', 'errorMessage', 'requestParameters', 'responseElements', 'additionalEventData',
  'requestID', 'eventID', 'eventType', 'apiVersion', 'managementEvent', 'readOnly', 'resources',
  'recipientAccountId', 'serviceEventDetails', 'sharedEventID', 'vpcEndpointId', 'vpcEndpointAccountId',
  'eventCategory', 'addendum', 'sessionCredentialFromConsole', 'edgeDeviceDetails', 'tlsDetails', 'eventContext',
  'omitted', 'insightDetails', 'annotation',
];
/** Fields nested in `userIdentity` and its session context. */
const IDENTITY_FIELDS = [
  'type', 'principalId', 'arn', 'accountId', 'accessKeyId', 'userName', 'sessionContext', 'invokedBy',
  'identityProvider', 'sourceIdentity', 'credentialId', 'onBehalfOf', 'inScopeOf', 'invokedByDelegate',
  'attributes', 'mfaAuthenticated', 'creationDate', 'sessionIssuer', 'webIdFederationData', 'federatedProvider',
  'ec2RoleDelivery', 'assumedRoot', 'userId', 'identityStoreArn', 'issuerType',
];
/** Resource entries keep their upper-case `ARN`. */
const RESOURCE_FIELDS = ['ARN', 'ARNPrefix', 'accountId', 'type'];

const byLower = (names: string[]) => {
  const m = new Map<string, string>();
  for (const n of names) m.set(n.toLowerCase(), n);
  return m;
};
const TOP = byLower(TOP_FIELDS);
const IDENTITY = byLower(IDENTITY_FIELDS);
const RESOURCE = byLower(RESOURCE_FIELDS);
/** Legacy IoT spellings that are not just a case change. */
const IOT_ALIASES = new Map<string, string>([['requestparamters', 'requestParameters'], ['recipientaccountlist', 'recipientAccountList']]);

/** Keys whose presence marks an object as a CloudTrail record (compared case-insensitively). */
const MARKERS = new Set([
  'eventversion', 'eventtime', 'eventname', 'eventsource', 'useridentity', 'eventid', 'insightdetails',
  'sourceipaddress', 'requestparameters', 'requestparamters', 'eventtype', 'recipientaccountid', 'awsregion',
  'cloudtrailevent',
]);

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

export function isPlainObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !LosslessNumber.is(v);
}

/** True when an object carries at least one CloudTrail record field (any spelling). */
export function looksLikeRecord(o: JsonObject): boolean {
  for (const k of Object.keys(o)) if (MARKERS.has(k.toLowerCase())) return true;
  return false;
}

export type RecordStyle = 'standard' | 'lowercase' | 'legacy-iot';

/** Which spelling convention an object uses. */
export function recordStyle(o: JsonObject): RecordStyle {
  let lower = false;
  let pascal = false;
  for (const k of Object.keys(o)) {
    const std = TOP.get(k.toLowerCase());
    if (std === k) return 'standard';
    if (k === 'RequestParamters') pascal = true;
    else if (std) {
      if (k === k.toLowerCase()) lower = true;
      else if (k.charCodeAt(0) >= 65 && k.charCodeAt(0) <= 90) pascal = true;
    }
  }
  return pascal ? 'legacy-iot' : lower ? 'lowercase' : 'standard';
}

function renameKeys(o: JsonObject, table: Map<string, string>, nested: (key: string, v: JsonValue) => JsonValue): JsonObject {
  const out = {} as JsonObject;
  for (const k of Object.keys(o)) {
    const std = table.get(k.toLowerCase()) ?? k;
    // A standard key already present wins over a renamed duplicate.
    if (std !== k && hasOwn(o, std)) {
      setOwn(out, k, o[k]);
      continue;
    }
    setOwn(out, std, nested(std, o[k]));
  }
  return out;
}

function normaliseIdentity(v: JsonValue): JsonValue {
  if (!isPlainObject(v)) return v;
  return renameKeys(v, IDENTITY, (_k, x) => normaliseIdentity(x));
}

function normaliseNested(key: string, v: JsonValue): JsonValue {
  if (key === 'userIdentity') return normaliseIdentity(v);
  if (key === 'resources' && Array.isArray(v)) return v.map((r) => (isPlainObject(r) ? renameKeys(r, RESOURCE, (_k, x) => x) : r));
  return v;
}

/** Lower-case keys → standard names. */
export function normaliseLowercase(o: JsonObject): JsonObject {
  return renameKeys(o, TOP, normaliseNested);
}

/** Legacy PascalCase AWS IoT shape → standard names (see the module comment). */
export function normaliseLegacyIot(o: JsonObject): JsonObject {
  const out = {} as JsonObject;
  for (const k of Object.keys(o)) {
    const lower = k.toLowerCase();
    const std = IOT_ALIASES.get(lower) ?? TOP.get(lower) ?? (k === 'timestamp' ? k : k.charAt(0).toLowerCase() + k.slice(1));
    const v = o[k];
    if (v === '' && k !== std) continue;
    if (hasOwn(out, std)) continue;
    setOwn(out, std, normaliseNested(std, v));
  }
  if (!hasOwn(out, 'eventTime')) {
    const ts = o['timestamp'];
    const secs = typeof ts === 'string' && /^\d{1,12}$/.test(ts) ? Number(ts) : typeof ts === 'number' ? ts : NaN;
    if (Number.isFinite(secs)) {
      const d = new Date(secs * 1000);
      if (!Number.isNaN(d.getTime())) setOwn(out, 'eventTime', d.toISOString().replace(/\.000Z$/, 'Z'));
    }
  }
  return out;
}

/** Digest files: recognised by their digest-only fields. */
export function isDigest(o: JsonObject): boolean {
  return (
    hasOwn(o, 'digestS3Object') ||
    hasOwn(o, 'digestPublicKeyFingerprint') ||
    (hasOwn(o, 'digestStartTime') && hasOwn(o, 'digestEndTime')) ||
    (Array.isArray(o['logFiles']) && hasOwn(o, 'awsAccountId'))
  );
}

const str = (v: JsonValue | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const strOrNull = (v: JsonValue | undefined): string | null | undefined => (v === null ? null : str(v));

export function digestInfo(o: JsonObject): DigestInfo {
  const logFiles: DigestLogFile[] = [];
  if (Array.isArray(o['logFiles'])) {
    for (const f of o['logFiles']) {
      if (!isPlainObject(f)) continue;
      logFiles.push({
        s3Bucket: str(f['s3Bucket']) ?? '',
        s3Object: str(f['s3Object']) ?? '',
        hashValue: str(f['hashValue']) ?? '',
        hashAlgorithm: str(f['hashAlgorithm']) ?? '',
        newestEventTime: strOrNull(f['newestEventTime']) ?? null,
        oldestEventTime: strOrNull(f['oldestEventTime']) ?? null,
      });
    }
  }
  const info: DigestInfo = { logFiles };
  const copy = <K extends keyof DigestInfo>(k: K, nullable: boolean) => {
    const v = nullable ? strOrNull(o[k]) : str(o[k]);
    if (v !== undefined) (info as unknown as Record<string, unknown>)[k] = v;
  };
  copy('awsAccountId', false);
  copy('digestStartTime', false);
  copy('digestEndTime', false);
  copy('digestS3Bucket', false);
  copy('digestS3Object', false);
  copy('newestEventTime', true);
  copy('oldestEventTime', true);
  copy('previousDigestS3Bucket', true);
  copy('previousDigestS3Object', true);
  copy('previousDigestHashValue', true);
  copy('previousDigestHashAlgorithm', true);
  copy('previousDigestSignature', true);
  copy('digestPublicKeyFingerprint', false);
  copy('digestSignatureAlgorithm', false);
  return info;
}
