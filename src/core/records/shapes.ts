/**
 * Shape verdicts that decide whether an object is a CloudTrail record, the one place every reader (the record
 * engine, and through it the viewer, the log-folder tree, `records` and `match`) asks:
 * - EventBridge envelopes ("AWS API Call via CloudTrail" and the other "… via CloudTrail" detail types): the
 *   CloudTrail record is the envelope's `detail`; the envelope is kept as the record's original.
 * - Look-alikes: Lambda event payloads (S3 event notifications, SQS, SNS, Kinesis, DynamoDB Streams…) also come as
 *   `{"Records": [...]}` and some of their entries even carry `eventName`/`eventTime`. Their `eventSource` is
 *   `aws:<service>` (SNS: `EventSource`), where a CloudTrail record names an endpoint (`s3.amazonaws.com`).
 */
import { isPlainObject, looksLikeRecord } from './normalise';
import type { JsonObject } from './types';

const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

/** The envelope keys EventBridge puts around every event (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html). */
function isEnvelope(o: JsonObject): boolean {
  return typeof o['detail-type'] === 'string' && typeof o['source'] === 'string' && hasOwn(o, 'detail');
}

/**
 * The CloudTrail record inside an EventBridge envelope, or undefined when `o` is not an envelope or its `detail`
 * is not a CloudTrail record.
 */
export function eventBridgeDetail(o: JsonObject): JsonObject | undefined {
  if (!isEnvelope(o)) return undefined;
  const d = o['detail'];
  return isPlainObject(d) && looksLikeRecord(d) && !lookAlike(d) ? d : undefined;
}

const LAMBDA_SOURCES: Record<string, string> = {
  s3: 'an S3 event notification',
  sqs: 'an SQS message batch as Lambda receives it',
  sns: 'an SNS notification as Lambda receives it',
  kinesis: 'a Kinesis Data Streams record batch as Lambda receives it',
  dynamodb: 'a DynamoDB Streams record batch as Lambda receives it',
  ses: 'an SES email receiving event',
  codecommit: 'a CodeCommit trigger event',
};

/**
 * What a non-CloudTrail object that could pass for a record looks like ("an S3 event notification"), or
 * undefined when it is not a recognised look-alike.
 */
export function lookAlike(o: JsonObject): string | undefined {
  const src = typeof o['eventSource'] === 'string' ? o['eventSource'] : typeof o['EventSource'] === 'string' ? o['EventSource'] : undefined;
  if (src !== undefined && /^aws:/i.test(src)) {
    const service = src.slice(4).toLowerCase();
    return LAMBDA_SOURCES[service] ?? `a Lambda event from ${src.slice(4) || 'an AWS service'}`;
  }
  // The same payloads without (or with an unusual) eventSource: their service-specific body key.
  if (isPlainObject(o['s3']) && typeof o['eventName'] === 'string' && !/\.amazonaws\.com$/.test(String(o['eventSource'] ?? ''))) return LAMBDA_SOURCES.s3;
  if (isPlainObject(o['Sns'])) return LAMBDA_SOURCES.sns;
  if (typeof o['receiptHandle'] === 'string' && hasOwn(o, 'body')) return LAMBDA_SOURCES.sqs;
  if (isPlainObject(o['kinesis']) && typeof o['eventSourceARN'] === 'string') return LAMBDA_SOURCES.kinesis;
  if (isPlainObject(o['dynamodb']) && typeof o['eventSourceARN'] === 'string') return LAMBDA_SOURCES.dynamodb;
  if (isEnvelope(o) && !eventBridgeDetail(o)) return `an EventBridge event of type "${String(o['detail-type'])}" that does not carry a CloudTrail record`;
  return undefined;
}

export type RecordVerdict =
  /** A CloudTrail record as it stands. */
  | { record: true; envelope?: undefined; detail?: undefined; looksLike?: undefined }
  /** An EventBridge envelope around a CloudTrail record (`detail`). */
  | { record: true; envelope: JsonObject; detail: JsonObject; looksLike?: undefined }
  /** Not a CloudTrail record; `looksLike` says what it is when recognisable. */
  | { record: false; looksLike?: string; envelope?: undefined; detail?: undefined };

/** The one verdict: is this object a CloudTrail record (or an envelope of one)? */
export function recordVerdict(o: JsonObject): RecordVerdict {
  const detail = eventBridgeDetail(o);
  if (detail) return { record: true, envelope: o, detail };
  const alike = lookAlike(o);
  if (alike) return { record: false, looksLike: alike };
  return looksLikeRecord(o) ? { record: true } : { record: false };
}
