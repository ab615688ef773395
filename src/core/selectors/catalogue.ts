/**
 * What CloudTrail accepts in advanced event selectors: fields, the operators each allows, which fields each
 * event category allows on trails and on event data stores, and known values. Facts come from the project
 * reference (shared/reference/selectors.md §1–§4, §7); the wording of the docs strings is ours.
 * Pure data plus small lookups — no `vscode` import.
 */
import { RESOURCE_TYPES, type ResourceTypeInfo } from './resourceTypes';

export { RESOURCE_TYPES, type ResourceTypeInfo };

export type Target = 'trail' | 'event-data-store';

export const OPERATORS = ['Equals', 'StartsWith', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith'] as const;
export type Operator = (typeof OPERATORS)[number];
export const POSITIVE_OPERATORS: readonly Operator[] = ['Equals', 'StartsWith', 'EndsWith'];
export const NEGATIVE_OPERATORS: readonly Operator[] = ['NotEquals', 'NotStartsWith', 'NotEndsWith'];
export function isOperator(s: string): s is Operator {
  return (OPERATORS as readonly string[]).includes(s);
}
export function isNegative(op: Operator): boolean {
  return op.startsWith('Not');
}

export const OPERATOR_DOCS: Record<Operator, string> = {
  Equals: 'Includes events whose field is exactly one of the listed values (case-sensitive).',
  StartsWith: 'Includes events whose field begins with one of the listed prefixes. Use this instead of a trailing `*`.',
  EndsWith: 'Includes events whose field ends with one of the listed suffixes.',
  NotEquals: 'Excludes events whose field is exactly one of the listed values.',
  NotStartsWith: 'Excludes events whose field begins with one of the listed prefixes.',
  NotEndsWith: 'Excludes events whose field ends with one of the listed suffixes.',
};

/** Categories trails accept. */
export const TRAIL_CATEGORIES = ['Management', 'Data', 'NetworkActivity'] as const;
/** Categories only event data stores (CloudTrail Lake) accept; for them eventCategory is the only field. */
export const EDS_ONLY_CATEGORIES = ['Insight', 'ConfigurationItem', 'Evidence', 'ActivityAuditLog'] as const;
export const ALL_CATEGORIES: readonly string[] = [...TRAIL_CATEGORIES, ...EDS_ONLY_CATEGORIES];

export const CATEGORY_DOCS: Record<string, string> = {
  Management: 'Management (control-plane) events such as CreateBucket or RunInstances. Logged by default on new trails.',
  Data: 'Data (data-plane) events on resources, such as S3 GetObject or Lambda Invoke. Needs a `resources.type` field selector. Billed separately, often high volume.',
  NetworkActivity: 'Calls made through a VPC endpoint (eventType `AwsVpceEvent`). Needs an `eventSource` field selector with `Equals` and one source.',
  Insight: 'CloudTrail Insights events (unusual API call or error rates). Event data stores only; no other field can be used.',
  ConfigurationItem: 'AWS Config configuration items. Event data stores only; no other field can be used.',
  Evidence: 'AWS Audit Manager evidence. Event data stores only; no other field can be used.',
  ActivityAuditLog: 'Events from outside AWS sent through CloudTrail Lake integrations. Event data stores only; no other field can be used.',
};

export interface FieldInfo {
  name: string;
  doc: string;
  /** Operators the field accepts in general (category/target specific narrowing is in {@link allowedOperators}). */
  operators: readonly Operator[];
}

const ALL_OPS = OPERATORS;
export const FIELDS: Readonly<Record<string, FieldInfo>> = {
  eventCategory: {
    name: 'eventCategory',
    doc: 'Required in every advanced selector; picks the kind of events the selector logs. `Equals` only.',
    operators: ['Equals'],
  },
  readOnly: {
    name: 'readOnly',
    doc: 'Whether the call only reads (`"true"`) or may change something (`"false"`). Omit it to log both. Management and data events only. `Equals` only.',
    operators: ['Equals'],
  },
  'resources.type': {
    name: 'resources.type',
    doc: 'The resource type whose data events are logged, e.g. `AWS::S3::Object`. Required for data events; only one `resources.type` field selector per selector — add another selector for another type. `Equals` only.',
    operators: ['Equals'],
  },
  'resources.ARN': {
    name: 'resources.ARN',
    doc: 'The ARN of the resource. With `Equals`/`NotEquals` the value must be the full ARN of a resource of the selected type; for every object of one S3 bucket use `StartsWith` with the bucket ARN and a trailing `/`. Data events only.',
    operators: ALL_OPS,
  },
  eventName: {
    name: 'eventName',
    doc: 'The API action, e.g. `PutObject` or `Invoke`. Data and network activity events; management events on event data stores only.',
    operators: ALL_OPS,
  },
  eventSource: {
    name: 'eventSource',
    doc: 'The service endpoint, e.g. `kms.amazonaws.com`. On trails, management events accept only `NotEquals` with `kms.amazonaws.com` and/or `rdsdata.amazonaws.com`. Network activity events require it, with `Equals` and one source per field selector.',
    operators: ALL_OPS,
  },
  eventType: {
    name: 'eventType',
    doc: "The record's `eventType`, e.g. `AwsApiCall` or `AwsServiceEvent` (use `NotEquals AwsServiceEvent` to drop events AWS services emit). Management events on event data stores; data events.",
    operators: ALL_OPS,
  },
  sessionCredentialFromConsole: {
    name: 'sessionCredentialFromConsole',
    doc: 'Whether the call used a console session (`"true"`/`"false"`). `Equals`/`NotEquals` only. Management events on event data stores; data events.',
    operators: ['Equals', 'NotEquals'],
  },
  'userIdentity.arn': {
    name: 'userIdentity.arn',
    doc: "The caller's ARN (`userIdentity.arn` of the record). Management events on event data stores; data events.",
    operators: ALL_OPS,
  },
  errorCode: {
    name: 'errorCode',
    doc: 'Network activity events only; the only value is `VpceAccessDenied` (calls a VPC endpoint policy denied). `Equals` only.',
    operators: ['Equals'],
  },
  vpcEndpointId: {
    name: 'vpcEndpointId',
    doc: 'Network activity events only: the VPC endpoint the call went through, e.g. `vpce-0123456789abcdef0`.',
    operators: ALL_OPS,
  },
};
export const FIELD_NAMES: readonly string[] = Object.keys(FIELDS);

/** Fields each category allows, per target (reference §3.1, newest rules). */
const MANAGEMENT_TRAIL = ['eventCategory', 'eventSource', 'readOnly'];
const MANAGEMENT_EDS = [...MANAGEMENT_TRAIL, 'eventName', 'eventType', 'sessionCredentialFromConsole', 'userIdentity.arn'];
const DATA = [
  'eventCategory', 'resources.type', 'eventName', 'eventSource', 'eventType', 'readOnly', 'resources.ARN',
  'sessionCredentialFromConsole', 'userIdentity.arn',
];
const NETWORK = ['eventCategory', 'eventSource', 'eventName', 'errorCode', 'vpcEndpointId'];

/** Fields allowed for a category on a target; undefined when the category itself is not allowed there. */
export function allowedFields(category: string, target: Target): readonly string[] | undefined {
  switch (category) {
    case 'Management':
      return target === 'trail' ? MANAGEMENT_TRAIL : MANAGEMENT_EDS;
    case 'Data':
      return DATA;
    case 'NetworkActivity':
      return NETWORK;
    default:
      if ((EDS_ONLY_CATEGORIES as readonly string[]).includes(category)) {
        return target === 'event-data-store' ? ['eventCategory'] : undefined;
      }
      return undefined;
  }
}

/** True when the field is allowed for the category on the other target (for a more helpful message). */
export function allowedOnOtherTarget(field: string, category: string, target: Target): boolean {
  const other: Target = target === 'trail' ? 'event-data-store' : 'trail';
  return allowedFields(category, other)?.includes(field) ?? false;
}

/** Operators the field accepts for a category on a target. */
export function allowedOperators(field: string, category: string | undefined, target: Target): readonly Operator[] {
  if (field === 'eventSource') {
    if (category === 'Management' && target === 'trail') return ['NotEquals'];
    if (category === 'NetworkActivity') return ['Equals'];
  }
  return FIELDS[field]?.operators ?? OPERATORS;
}

/** Sources a trail may exclude from management events (the only eventSource use on trail management selectors). */
export const TRAIL_MANAGEMENT_EXCLUDABLE_SOURCES = ['kms.amazonaws.com', 'rdsdata.amazonaws.com'];

/** Network activity sources at launch (2024-11), confirmed by the API model. */
export const NETWORK_SOURCES_VERIFIED = [
  'cloudtrail.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 'secretsmanager.amazonaws.com',
];
/**
 * Services the 2026 user guide lists for network activity events whose endpoint name we are confident of.
 * The guide gives service names, not strings, so these are our reading; anything else ending in
 * `.amazonaws.com` is a warning, never an error.
 */
export const NETWORK_SOURCES_LISTED = [
  's3.amazonaws.com', 'sts.amazonaws.com', 'lambda.amazonaws.com', 'dynamodb.amazonaws.com', 'sqs.amazonaws.com',
  'sns.amazonaws.com', 'rds.amazonaws.com', 'states.amazonaws.com', 'glue.amazonaws.com',
  'cloudformation.amazonaws.com', 'cloudhsm.amazonaws.com', 'codedeploy.amazonaws.com',
  'elasticfilesystem.amazonaws.com', 'autoscaling.amazonaws.com', 'iot.amazonaws.com', 'sso.amazonaws.com',
  'identitystore.amazonaws.com', 'transfer.amazonaws.com', 'license-manager.amazonaws.com',
  'servicediscovery.amazonaws.com', 'swf.amazonaws.com', 'appconfig.amazonaws.com', 'athena.amazonaws.com',
  'bedrock.amazonaws.com', 'rekognition.amazonaws.com', 'textract.amazonaws.com', 'sagemaker.amazonaws.com',
  'quicksight.amazonaws.com', 'lakeformation.amazonaws.com', 'cloudcontrolapi.amazonaws.com',
];
export const NETWORK_SOURCES = [...NETWORK_SOURCES_VERIFIED, ...NETWORK_SOURCES_LISTED];

/** `eventType` values a CloudTrail record can carry (record-fields reference). */
export const EVENT_TYPES = [
  'AwsApiCall', 'AwsServiceEvent', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsCloudTrailInsight', 'AwsVpceEvent',
];

export const ERROR_CODES = ['VpceAccessDenied'];
export const BOOLEAN_STRINGS = ['true', 'false'];

/** Data-event API names we know per resource type (suggestions only; never used to reject a value). */
export const EVENT_NAMES_BY_TYPE: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Object': [
    'GetObject', 'PutObject', 'DeleteObject', 'DeleteObjects', 'CopyObject', 'HeadObject', 'GetObjectAcl',
    'PutObjectAcl', 'GetObjectTagging', 'PutObjectTagging', 'DeleteObjectTagging', 'GetObjectAttributes',
    'RestoreObject', 'SelectObjectContent', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy',
    'CompleteMultipartUpload', 'AbortMultipartUpload', 'ListParts', 'PutObjectRetention', 'PutObjectLegalHold',
  ],
  'AWS::Lambda::Function': ['Invoke', 'InvokeWithResponseStream'],
  'AWS::DynamoDB::Table': [
    'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem',
    'TransactGetItems', 'TransactWriteItems', 'ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction',
  ],
  'AWS::DynamoDB::Stream': ['GetRecords', 'GetShardIterator', 'DescribeStream'],
  'AWS::SNS::Topic': ['Publish', 'PublishBatch'],
  'AWS::SQS::Queue': [
    'SendMessage', 'SendMessageBatch', 'ReceiveMessage', 'DeleteMessage', 'DeleteMessageBatch',
    'ChangeMessageVisibility', 'ChangeMessageVisibilityBatch',
  ],
  'AWS::EC2::Snapshot': [
    'StartSnapshot', 'CompleteSnapshot', 'PutSnapshotBlock', 'GetSnapshotBlock', 'ListChangedBlocks', 'ListSnapshotBlocks',
  ],
  'AWS::IoT::Certificate': ['VerifyClientDeviceIdentity', 'VerifyClientDeviceIoTCertificateAssociation'],
  'AWS::IoT::Thing': [
    'ListThingGroupsForCoreDevices', 'PutCertificateAuthorities', 'VerifyClientDeviceIoTCertificateAssociation',
  ],
  'AWS::GreengrassV2::Deployment': ['GetDeploymentConfiguration'],
  'AWS::Bedrock::Model': ['InvokeModel', 'InvokeModelWithResponseStream', 'Converse', 'ConverseStream'],
};
/** API names seen in network activity events for the launch sources. */
export const EVENT_NAMES_BY_SOURCE: Readonly<Record<string, readonly string[]>> = {
  'kms.amazonaws.com': ['Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncrypt', 'Sign', 'Verify'],
  'secretsmanager.amazonaws.com': ['GetSecretValue', 'BatchGetSecretValue', 'DescribeSecret', 'PutSecretValue'],
  'cloudtrail.amazonaws.com': ['LookupEvents', 'DescribeTrails', 'GetTrailStatus', 'PutAuditEvents'],
  'ec2.amazonaws.com': ['DescribeInstances', 'RunInstances', 'DescribeVpcs', 'CreateTags'],
};

/** Resource types the basic (`EventSelectors`) form accepts. */
export const BASIC_RESOURCE_TYPES = ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table'];
export const READ_WRITE_TYPES = ['ReadOnly', 'WriteOnly', 'All'];

/** Resource types that have no ARN, so `resources.ARN` cannot be used with them. */
export const TYPES_WITHOUT_ARN = ['AWS::XRay::Trace'];

export const LIMITS = {
  valuesPerTrail: 500,
  advancedSelectorsPerEventDataStore: 5,
  basicSelectors: 5,
  basicDataResources: 250,
  fieldLength: 1000,
  valueLength: 2048,
  nameLength: 1000,
};

/** Service-model pattern for `Field`: `[\w|\d|\.|_]+` (the `|` inside the class is literal). */
export const FIELD_PATTERN = /^[\w|.]+$/;

/** Turns an ARN format into a concrete template: `<partition>` → `aws`, other placeholders kept. */
export function arnTemplate(format: string, partition = 'aws'): string {
  return format.replace('<partition>', partition);
}

/**
 * Regular expression for an ARN format: placeholders match one or more characters other than `:`
 * (`<object_path>` and the final placeholder may contain `/`). Used to flag Equals values that cannot be
 * an ARN of the selected type.
 */
export function arnFormatRegExp(format: string): RegExp {
  const parts = format.split(/(<[^>]+>)/);
  let src = '';
  for (const p of parts) {
    if (!p) continue;
    if (p.startsWith('<')) src += p === '<partition>' ? 'aws[a-z-]*' : '[^:]+';
    else src += p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp('^' + src + '$');
}

/** Damerau-free Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return 99;
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = [i];
    for (let j = 1; j <= n; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[n];
}

/** The intended name for a wrong-case or misspelt one: case-insensitive match first, then edit distance ≤ 2. */
export function closestName(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  const exactCi = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCi) return exactCi;
  let best: string | undefined;
  let bestD = 3;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  // Very short inputs match too much by edit distance.
  return best && input.length >= 4 ? best : undefined;
}

export function resourceTypeInfo(type: string): ResourceTypeInfo | undefined {
  return Object.prototype.hasOwnProperty.call(RESOURCE_TYPES, type) ? RESOURCE_TYPES[type] : undefined;
}
export const RESOURCE_TYPE_NAMES: readonly string[] = Object.keys(RESOURCE_TYPES);
