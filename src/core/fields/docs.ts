/**
 * The documentation tables behind hovers and the record viewer's detail pane: one entry per CloudTrail
 * record field, `userIdentity` sub-field, digest-file field and container key.
 *
 * Written in our own words from the project's reference notes (shared/reference/record-fields.md and
 * log-files.md), which cite the AWS pages linked from each entry. `since` is only set where the source states
 * the eventVersion that introduced a field. Pure data plus tiny builders: no `vscode` import.
 */

/** Documentation for one field. `path` is the display form, e.g. `resources[].ARN`. */
export interface FieldDoc {
  path: string;
  title: string;
  type: string;
  summary: string;
  /** eventVersion that introduced the field, e.g. `1.08` (only when a source says so). */
  since?: string;
  url?: string;
  /** Meaning of each documented value (keys are the value's text, `true`/`false` for booleans). */
  values?: Record<string, string>;
  notes?: string[];
  /**
   * The field holds service-specific content whose nested keys are not documented here
   * (e.g. `requestParameters`). Nested keys are expected to be undocumented.
   */
  freeForm?: boolean;
}

/** Which table a path is looked up in. */
export type DocKind =
  /** A field inside one event record (the default). */
  | 'event'
  /** A field of a digest file (integrity validation). */
  | 'digest'
  /** A field of a `lookup-events` `Events[]` wrapper object (`EventId`, `CloudTrailEvent`, …). */
  | 'lookup'
  /** A key of the file's container: `Records`, `Events`, `NextToken`. */
  | 'container';

/** A documentation entry with look-up extras that are not part of the public {@link FieldDoc}. */
export interface DocEntry extends FieldDoc {
  /** Path segments (array levels omitted), used as the look-up key. */
  segments: string[];
  /** Describes values that are not enumerated but recognisable by shape (e.g. access key prefixes). */
  hint?: (value: string) => string | undefined;
}

// AWS pages, one per source tag of the reference notes.
export const URL = {
  recordContents: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html',
  userIdentity: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html',
  insightDetails: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-insight-details.html',
  events: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-events.html',
  sharedEventId: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/shared-event-ID.html',
  quotas: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/WhatIsCloudTrail-Limits.html',
  consoleSignIn: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html',
  assumeRoot: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-track-privileged-tasks.html',
  iamCloudTrail: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html',
  iamIds: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids',
  identityCenter: 'https://docs.aws.amazon.com/singlesignon/latest/userguide/understanding-sign-in-events.html',
  iotLegacy: 'https://docs.aws.amazon.com/iot/latest/developerguide/iot-using-cloudtrail.html',
  digest: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-digest-file-structure.html',
  logFiles: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html',
  lookupEvent: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html',
  lookupEvents: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html',
  cpl: 'https://github.com/aws/aws-cloudtrail-processing-library',
  s3Logging: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html',
  aggregated: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aggregated-events.html',
  aggregating: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/aggregating-data-events.html',
  enriched: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-context-events.html',
  contextKeySelector: 'https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_ContextKeySelector.html',
  networkEvents: 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-network-events.html',
} as const;

type Opts = Partial<Pick<DocEntry, 'since' | 'url' | 'values' | 'notes' | 'freeForm' | 'hint'>>;

/** Builds an entry; `path` uses `.` between levels and `[]` after array fields (`resources[].ARN`). */
function doc(path: string, title: string, type: string, summary: string, opts: Opts = {}): DocEntry {
  const segments = path.split('.').map((s) => s.replace(/\[\]$/, ''));
  return { path, title, type, summary, ...opts, segments };
}

/** Recognisable AWS unique-ID prefixes (IAM User Guide, "Unique identifiers"). */
const ID_PREFIXES: [string, string][] = [
  ['AKIA', 'a long-term access key (IAM user or root)'],
  ['ASIA', 'a temporary access key issued by AWS STS'],
  ['AIDA', 'the unique ID of an IAM user'],
  ['AROA', 'the unique ID of an IAM role (after the colon comes the session name)'],
  ['AGPA', 'the unique ID of an IAM group'],
  ['ANPA', 'the unique ID of a managed policy'],
];

function idPrefixHint(value: string): string | undefined {
  for (const [prefix, meaning] of ID_PREFIXES) {
    if (value.startsWith(prefix)) return `Starts with \`${prefix}\`: ${meaning}.`;
  }
  return undefined;
}

function accessKeyHint(value: string): string | undefined {
  if (value === '') return 'Empty: CloudTrail left the key out (this happens for some sign-in and service events).';
  return idPrefixHint(value);
}

function sourceIpHint(value: string): string | undefined {
  if (/^AWS Internal/i.test(value)) return 'Not an IP address: the request originated inside AWS.';
  if (/\.amazonaws\.com$/i.test(value)) return 'Not an IP address: an AWS service made the call on your behalf.';
  return undefined;
}

function versionHint(value: string): string | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(value);
  if (!m) return undefined;
  return `Major version ${Number(m[1])}, minor version ${Number(m[2])} (compare the minor part as a number).`;
}

const IDENTITY_TYPES: Record<string, string> = {
  Root: 'The account root user signed the request with its own credentials.',
  IAMUser: "An IAM user's long-term credentials signed the request.",
  AssumedRole:
    'Temporary credentials obtained by assuming a role with AWS STS (for example an EC2 instance profile, a cross-account role, or an IAM Identity Center permission set role named AWSReservedSSO_…). `sessionContext.sessionIssuer` names the role.',
  Role: 'A persistent IAM identity acting as a role.',
  FederatedUser: 'Temporary credentials issued by `sts:GetFederationToken` to a federated user.',
  Directory: 'A call made through a directory service, for example by Amazon WorkDocs or Amazon QuickSight.',
  AWSAccount: 'Another AWS account made the call, for example by assuming a role that you own.',
  AWSService: 'An account that belongs to an AWS service made the call.',
  Unknown:
    'CloudTrail could not determine the identity type. Older IAM Identity Center sign-in events also used this value.',
  SAMLUser: 'Temporary credentials from `sts:AssumeRoleWithSAML` (SAML 2.0 federation).',
  WebIdentityUser:
    'Temporary credentials from `sts:AssumeRoleWithWebIdentity` (an OpenID Connect or social identity provider such as Amazon Cognito, Google or Facebook).',
  IdentityCenterUser: 'The request was made on behalf of an IAM Identity Center user (sign-in or access portal actions).',
};

const ISSUER_TYPES: Record<string, string> = {
  Root: 'The temporary credentials were obtained by the account root user.',
  IAMUser: 'The temporary credentials were obtained by an IAM user.',
  Role: 'The temporary credentials came from assuming an IAM role.',
};

const EVENT_TYPES: Record<string, string> = {
  AwsApiCall: 'An API operation was called.',
  AwsServiceEvent:
    'The AWS service generated the event itself (key rotation, another account using your resource, sign-in steps…); `serviceEventDetails` says what happened.',
  AwsConsoleAction: 'An action taken in the AWS Management Console that is not an API call.',
  AwsConsoleSignIn: 'A sign-in to the AWS Management Console (root, IAM user, federated, SAML or role switch).',
  AwsConsoleSignin: 'Misspelled variant of `AwsConsoleSignIn` found in some AWS documentation examples; treat it the same.',
  AwsCloudTrailInsight:
    'A CloudTrail Insights event: unusual API call or error rates. Such records have no `userIdentity`, `eventName`, `eventSource`, `sourceIPAddress` or `userAgent`; see `insightDetails`.',
  AwsVpceEvent: 'A network activity event: a call that went through a VPC endpoint.',
  AwsAggregatedEvent:
    'An aggregated data event: a 5-minute summary of many data events (see `timeWindow` and `summary`). It names no single caller or API call; `eventId` and `accountId` replace `eventID` and `recipientAccountId`.',
};

const EVENT_CATEGORIES: Record<string, string> = {
  Management: 'A management (control plane) operation on resources of your account.',
  Data: 'A data event: an operation on or inside a resource, such as reading an S3 object or invoking a Lambda function.',
  Insight: 'An Insights event about unusual API activity.',
  NetworkActivity: 'A network activity event recorded for a call made through a VPC endpoint.',
  Aggregated: 'An aggregated event: a trail with aggregation turned on summarises its data events in 5-minute windows.',
};

function errorCodeHint(value: string): string | undefined {
  if (value === 'VpceAccessDenied') return 'A network activity event: the VPC endpoint policy denied the call (the copy goes to the endpoint owner).';
  return undefined;
}

/** Every documented field of one event record, including `userIdentity` and nested objects. */
export const EVENT_DOCS: DocEntry[] = [
  // --- top level -------------------------------------------------------------------------------------
  doc('eventTime', 'Event time', 'string (ISO 8601, UTC)',
    'When the request finished, as measured by the clock of the host that served the API endpoint. Always UTC, e.g. `2023-07-19T21:33:41Z`.',
    { since: '1.0', url: URL.recordContents }),
  doc('eventVersion', 'Record format version', 'string',
    'Version of the record format, `<major>.<minor>`. A minor increase adds fields; a major increase would mean an incompatible change. The current version is 1.11.',
    { since: '1.0', url: URL.recordContents, hint: versionHint,
      notes: ['Real records pad the minor part with a zero (`1.05`); compare both parts as integers.'] }),
  doc('userIdentity', 'Caller identity', 'object',
    'Who made the request and which kind of credentials were used. See `type` for the kind of identity.',
    { since: '1.0', url: URL.userIdentity, notes: ['Absent from Insights events.'] }),
  doc('eventSource', 'Event source', 'string',
    'The service the request went to, usually `<service>.amazonaws.com` (with exceptions: CloudWatch is `monitoring.amazonaws.com`).',
    { since: '1.0', url: URL.recordContents }),
  doc('eventName', 'Event name', 'string',
    'The API action that was requested, or a non-API event such as `ConsoleLogin`.',
    { since: '1.0', url: URL.recordContents }),
  doc('awsRegion', 'AWS Region', 'string',
    'Region the request was sent to, such as `us-east-2`. Some global events are always recorded in a fixed Region (root console sign-in appears in `us-east-1`).',
    { since: '1.0', url: URL.recordContents }),
  doc('sourceIPAddress', 'Source IP address', 'string',
    'Where the request came from. Not always an IP address: when an AWS service calls on your behalf it holds the service name (e.g. `ec2.amazonaws.com`), and AWS-originated events often show `AWS Internal/…`. For console actions it is the address of the underlying customer resource.',
    { since: '1.0', url: URL.recordContents, hint: sourceIpHint,
      notes: ['Spelled with capital I, P and A: `sourceIPAddress`.'] }),
  doc('userAgent', 'User agent', 'string',
    'The client that sent the request: the console (`signin.amazonaws.com`, `console.amazonaws.com`), an AWS service, an SDK or the CLI. At most 1 KB.',
    { since: '1.0', url: URL.recordContents }),
  doc('errorCode', 'Error code', 'string',
    'The service error code when the request failed. At most 1 KB. Some services report errors inside `responseElements` instead.',
    { since: '1.0', url: URL.recordContents, hint: errorCodeHint,
      notes: ['In network activity events, `VpceAccessDenied` means the VPC endpoint policy denied the call.'] }),
  doc('errorMessage', 'Error message', 'string',
    'Human-readable description of the failure, including authorization failures. At most 1 KB.',
    { since: '1.0', url: URL.recordContents }),
  doc('requestParameters', 'Request parameters', 'object or null',
    "The request's parameters as defined by the called service's API. At most 100 KB.",
    { since: '1.0', url: URL.recordContents, freeForm: true }),
  doc('responseElements', 'Response elements', 'object or null',
    'What the service returned, for operations that change state; `null` for read operations. At most 100 KB. May include `x-amz-request-id` / `x-amz-id-2` for AWS Support.',
    { since: '1.0', url: URL.recordContents, freeForm: true }),
  doc('additionalEventData', 'Additional event data', 'object',
    'Extra facts about the request that are neither parameters nor response, e.g. whether MFA was used at sign-in or the S3 signature version. At most 28 KB.',
    { since: '1.0', url: URL.recordContents, freeForm: true }),
  doc('requestID', 'Request ID', 'string',
    'Identifier the called service gave to the request. At most 1 KB.',
    { since: '1.01', url: URL.recordContents, notes: ['Spelled `requestID` (capital ID).'] }),
  doc('eventID', 'Event ID', 'string (GUID)',
    'Unique identifier CloudTrail gave to this event. Two records with the same `eventID` are duplicates of one event.',
    { since: '1.01', url: URL.recordContents, notes: ['Aggregated events spell it `eventId` (lower-case d).'] }),
  doc('eventType', 'Event type', 'string',
    'The kind of event: API call, service event, console action, console sign-in, Insights or network activity.',
    { since: '1.02', url: URL.recordContents, values: EVENT_TYPES }),
  doc('apiVersion', 'API version', 'string',
    'Version of the API that was called, for `AwsApiCall` events.',
    { since: '1.01', url: URL.recordContents }),
  doc('managementEvent', 'Management event', 'boolean',
    'Whether the event is a management event. Written from eventVersion 1.06 on for API calls, console actions, console sign-ins and service events.',
    { since: '1.06', url: URL.recordContents,
      values: { true: 'A management event.', false: 'Not a management event (e.g. a data event).' } }),
  doc('readOnly', 'Read-only', 'boolean',
    'Whether the operation only reads (`true`) or may change something (`false`).',
    { since: '1.01', url: URL.recordContents,
      values: { true: 'A read-only operation.', false: 'A write (mutating) operation.' } }),
  doc('resources', 'Resources', 'array of objects',
    'The resources the request touched, each with its ARN, owning account and resource type.',
    { since: '1.01', url: URL.recordContents }),
  doc('resources[].ARN', 'Resource ARN', 'string',
    'Amazon Resource Name of a resource the request touched. Note the upper-case key `ARN`.',
    { since: '1.01', url: URL.recordContents }),
  doc('resources[].ARNPrefix', 'Resource ARN prefix', 'string',
    'Used instead of `ARN` when the request covered every resource under a prefix (seen for S3 directory buckets).',
    { url: URL.recordContents }),
  doc('resources[].accountId', 'Resource owner account', 'string (12 digits)',
    'Account that owns the resource.',
    { since: '1.01', url: URL.recordContents }),
  doc('resources[].type', 'Resource type', 'string',
    'Resource type in the form `AWS::<service>::<type>`, e.g. `AWS::IAM::Role`.',
    { since: '1.01', url: URL.recordContents }),
  doc('recipientAccountId', 'Recipient account', 'string (12 digits)',
    'The account that received this copy of the event. It differs from `userIdentity.accountId` for cross-account access, where the resource owner gets its own copy.',
    { since: '1.02', url: URL.recordContents, notes: ['Spelled `recipientAccountId` (lower-case d).'] }),
  doc('serviceEventDetails', 'Service event details', 'object',
    'For `AwsServiceEvent` records: what triggered the service event and how it ended. At most 100 KB.',
    { since: '1.05', url: URL.recordContents, freeForm: true,
      notes: ['Some hand-written fixtures store it as a JSON-encoded string instead of an object.'] }),
  doc('sharedEventID', 'Shared event ID', 'string (GUID)',
    'When one action is delivered to several accounts, every copy carries this same ID (each copy keeps its own `eventID`). Absent when caller and resource owner are the same account. In Insights events it identifies the episode: the Start and End events share it.',
    { since: '1.03', url: URL.sharedEventId }),
  doc('vpcEndpointId', 'VPC endpoint', 'string',
    'The VPC endpoint through which the request reached the service.',
    { since: '1.04', url: URL.recordContents }),
  doc('vpcEndpointAccountId', 'VPC endpoint owner', 'string (12 digits)',
    'Account that owns the VPC endpoint. Network activity events are delivered to this account.',
    { url: URL.events, notes: ['The eventVersion that introduced it is not stated in the sources we used (about 1.09).'] }),
  doc('eventCategory', 'Event category', 'string',
    'The category of the event; the same values are used to filter LookupEvents.',
    { since: '1.07', url: URL.recordContents, values: EVENT_CATEGORIES }),
  doc('addendum', 'Addendum', 'object',
    'Explains why an event was delivered late or delivered again with corrected data.',
    { since: '1.08', url: URL.recordContents }),
  doc('addendum.reason', 'Addendum reason', 'string',
    'Why this addendum exists.',
    { since: '1.08', url: URL.recordContents,
      values: {
        DELIVERY_DELAY: 'The event reached CloudTrail late (e.g. because of high traffic or a network problem).',
        UPDATED_DATA: 'Fields of an earlier record were missing or wrong; this record replaces it (see `updatedFields`).',
        SERVICE_OUTAGE: 'The service that logs the event had an outage and logged it afterwards.',
      } }),
  doc('addendum.updatedFields', 'Updated fields', 'string',
    'With reason `UPDATED_DATA`: the record fields that were corrected.',
    { since: '1.08', url: URL.recordContents }),
  doc('addendum.originalRequestID', 'Original request ID', 'string',
    'With reason `UPDATED_DATA`: the `requestID` of the record being corrected.',
    { since: '1.08', url: URL.recordContents }),
  doc('addendum.originalEventID', 'Original event ID', 'string',
    'With reason `UPDATED_DATA`: the `eventID` of the record being corrected.',
    { since: '1.08', url: URL.recordContents }),
  doc('sessionCredentialFromConsole', 'Console session credentials', 'string "true"',
    'Present, with value `true`, only when the request was made with AWS Management Console session credentials.',
    { since: '1.08', url: URL.recordContents,
      values: { true: 'The call was made from an AWS Management Console session.' },
      notes: ['When the console used a proxy client, `tlsDetails` is left out.'] }),
  doc('edgeDeviceDetails', 'Edge device details', 'object',
    'The edge device targeted by the request (at introduction: S3 on Outposts devices). At most 28 KB.',
    { since: '1.08', url: URL.recordContents, freeForm: true }),
  doc('edgeDeviceDetails.deviceFamily', 'Device family', 'string',
    'Family of the edge device, as modelled by AWS\'s CloudTrail Processing Library.',
    { since: '1.08', url: URL.cpl }),
  doc('edgeDeviceDetails.deviceId', 'Device ID', 'string',
    'Identifier of the edge device, as modelled by AWS\'s CloudTrail Processing Library.',
    { since: '1.08', url: URL.cpl }),
  doc('edgeDeviceDetails.snowJobId', 'Snow job ID', 'string',
    'AWS Snow Family job related to the device, as modelled by AWS\'s CloudTrail Processing Library.',
    { since: '1.08', url: URL.cpl }),
  doc('tlsDetails', 'TLS details', 'object',
    'TLS parameters of the connection that carried the request. Logged even when only some parts are known.',
    { since: '1.08', url: URL.recordContents }),
  doc('tlsDetails.tlsVersion', 'TLS version', 'string',
    'TLS protocol version negotiated for the request, e.g. `TLSv1.2`.',
    { since: '1.08', url: URL.recordContents }),
  doc('tlsDetails.cipherSuite', 'Cipher suite', 'string',
    'TLS cipher suite negotiated for the request.',
    { since: '1.08', url: URL.recordContents }),
  doc('tlsDetails.clientProvidedHostHeader', 'Host header', 'string',
    'Host name the client sent; normally the fully qualified name of the service endpoint.',
    { since: '1.08', url: URL.recordContents }),
  doc('eventContext', 'Event context (enriched events)', 'object',
    'Context that CloudTrail adds to management and data events of an event data store configured for enriched events: the resource tag keys, principal tag keys and IAM global condition keys (such as `aws:PrincipalAccount` or `aws:SourceIp`) that the store\'s context key selectors ask for — tag keys through a selector of type `TagContext`, condition keys through `RequestContext`. Never present on network activity events.',
    { url: URL.enriched, freeForm: true,
      notes: [
        'A configured key appears only when it applies: a condition key that played no part in the authorization of this call is left out, and tags added after a resource was created may show up late.',
        'The names of the sub-fields and the eventVersion that introduced the field are not stated in the sources we used (see also ' + URL.contextKeySelector + ').',
      ] }),
  doc('omitted', 'Omitted', 'boolean',
    '`true` when CloudTrail cut a field of this record because it exceeded its size limit.',
    { url: URL.recordContents, values: { true: 'At least one field of this record was truncated.' } }),

  // --- aggregated events ----------------------------------------------------------------------------------
  doc('accountId', 'Account (aggregated event)', 'string (12 digits)',
    'In an aggregated event: the account that received it (ordinary records use `recipientAccountId`).',
    { since: '1.0', url: URL.aggregated, notes: ['Aggregated events have their own eventVersion series, starting at `1.0`.'] }),
  doc('timeWindow', 'Aggregation window', 'object',
    'In an aggregated event: the interval whose data events this record summarises.',
    { since: '1.0', url: URL.aggregated }),
  doc('timeWindow.windowStart', 'Window start', 'string (ISO 8601, UTC)',
    'Start of the aggregation window (included).',
    { since: '1.0', url: URL.aggregated }),
  doc('timeWindow.windowEnd', 'Window end', 'string (ISO 8601, UTC)',
    'End of the aggregation window (not included).',
    { since: '1.0', url: URL.aggregated }),
  doc('timeWindow.windowSize', 'Window size', 'string (ISO 8601 duration)',
    'Length of the window, e.g. `PT5M` for five minutes; equals `windowEnd − windowStart`.',
    { since: '1.0', url: URL.aggregated }),
  doc('summary', 'Aggregation summary', 'object',
    'In an aggregated event: the summary of the data events in the window, grouped by a primary dimension (`eventName`, `resourceARN` or `userIdentity`, depending on the aggregation template) and broken down by further dimensions.',
    { since: '1.0', url: URL.aggregated }),
  doc('summary.primaryDimension', 'Primary dimension', 'object',
    'The main grouping of this summary. It follows the aggregation template: `eventName` for API_ACTIVITY, `resourceARN` for RESOURCE_ACCESS, `userIdentity` for USER_ACTIONS.',
    { since: '1.0', url: URL.aggregated }),
  doc('summary.primaryDimension.dimension', 'Dimension', 'string',
    'The field the events are grouped by.',
    { since: '1.0', url: URL.aggregating,
      values: { eventName: 'Grouped by API action (API_ACTIVITY template).', resourceARN: 'Grouped by resource (RESOURCE_ACCESS template).', userIdentity: 'Grouped by caller (USER_ACTIONS template).' } }),
  doc('summary.primaryDimension.statistics', 'Statistics', 'array of objects',
    'One entry per value of the dimension, with its count.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.primaryDimension.statistics[].name', 'Value', 'string',
    'A value of the dimension: an API action name, a resource ARN or a caller.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.primaryDimension.statistics[].value', 'Count', 'number',
    'How many data events in the window had this value.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.primaryDimension.aggregationType', 'Aggregation type', 'string',
    'How the statistics were computed.',
    { since: '1.0', url: URL.aggregating, values: { Count: 'Each statistic is a number of events.' } }),
  doc('summary.details', 'Breakdown', 'array of objects',
    'Further dimensions that break the summary down (for example by resource, API action, user agent, source IP address or error code).',
    { since: '1.0', url: URL.aggregated }),
  doc('summary.details[].dimension', 'Dimension', 'string',
    'The field this breakdown groups by.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.details[].statistics', 'Statistics', 'array of objects',
    'One entry per value of the dimension, with its count.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.details[].statistics[].name', 'Value', 'string',
    'A value of the dimension.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.details[].statistics[].value', 'Count', 'number',
    'How many data events in the window had this value.',
    { since: '1.0', url: URL.aggregating }),
  doc('summary.details[].aggregationType', 'Aggregation type', 'string',
    'How the statistics were computed.',
    { since: '1.0', url: URL.aggregating, values: { Count: 'Each statistic is a number of events.' } }),

  // --- Insights ----------------------------------------------------------------------------------------
  doc('insightDetails', 'Insight details', 'object',
    'Describes an Insights event: which API showed unusual call or error rates, and the statistics behind it.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.state', 'Insight state', 'string',
    'Whether this event opens or closes an Insights episode.',
    { since: '1.07', url: URL.insightDetails,
      values: { Start: 'Unusual activity began.', End: 'The unusual activity is over.' } }),
  doc('insightDetails.eventSource', 'Insight event source', 'string',
    'The service endpoint of the API whose activity was unusual.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.eventName', 'Insight event name', 'string',
    'The API whose activity was unusual.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightType', 'Insight type', 'string',
    'What was unusual.',
    { since: '1.07', url: URL.insightDetails,
      values: { ApiCallRateInsight: 'The rate of calls to the API.', ApiErrorRateInsight: 'The rate of failed calls to the API.' } }),
  doc('insightDetails.errorCode', 'Insight error code', 'string',
    'For error-rate insights: the error code whose rate was unusual.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext', 'Insight context', 'object',
    'Statistics and the main contributors of the unusual activity.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics', 'Insight statistics', 'object',
    'Normal (baseline) and unusual (insight) averages, with the durations they cover.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics.baseline', 'Baseline', 'object',
    'The normal level of activity, measured over at least the seven days before the episode.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics.baseline.average', 'Baseline average', 'number',
    'Average calls (or errors) per minute during the baseline period.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics.insight', 'Insight level', 'object',
    'The unusual level of activity.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics.insight.average', 'Insight average', 'number',
    'Average calls (or errors) per minute: over the first minute for a Start event, over the whole episode for an End event.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics.insightDuration', 'Insight duration', 'number (minutes)',
    'How long the unusual activity lasted, in minutes.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.statistics.baselineDuration', 'Baseline duration', 'number (minutes)',
    'Length of the baseline period in minutes (at least 10080, i.e. seven days).',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions', 'Attributions', 'array of objects',
    'Who or what contributed most to the unusual activity, compared with the baseline. Optional.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions[].attribute', 'Attribute', 'string',
    'The dimension these contributors are grouped by.',
    { since: '1.07', url: URL.insightDetails,
      values: {
        userIdentityArn: 'Grouped by caller ARN.',
        userAgent: 'Grouped by client user agent.',
        errorCode: 'Grouped by error code (the string "null" stands for calls without an error code).',
      } }),
  doc('insightDetails.insightContext.attributions[].insight', 'Top contributors (insight)', 'array of objects',
    'Up to five values that contributed most during the unusual activity, each with its average.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions[].insight[].value', 'Contributor value', 'string',
    'A caller ARN, user agent or error code (the string "null" means no error code).',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions[].insight[].average', 'Contributor average', 'number',
    'Average calls (or errors) per minute attributed to this value during the insight.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions[].baseline', 'Top contributors (baseline)', 'array of objects',
    'Up to five values that contributed most during the baseline period, each with its average.',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions[].baseline[].value', 'Contributor value', 'string',
    'A caller ARN, user agent or error code (the string "null" means no error code).',
    { since: '1.07', url: URL.insightDetails }),
  doc('insightDetails.insightContext.attributions[].baseline[].average', 'Contributor average', 'number',
    'Average calls (or errors) per minute attributed to this value during the baseline.',
    { since: '1.07', url: URL.insightDetails }),

  // --- userIdentity --------------------------------------------------------------------------------------
  doc('userIdentity.type', 'Identity type', 'string',
    'Which kind of identity made the request. The other `userIdentity` fields present depend on it.',
    { url: URL.userIdentity, values: IDENTITY_TYPES }),
  doc('userIdentity.principalId', 'Principal ID', 'string',
    'Unique identifier of the caller. For temporary credentials it combines the role ID and the session name (`AROA…:session-name`).',
    { url: URL.userIdentity, hint: idPrefixHint }),
  doc('userIdentity.arn', 'Caller ARN', 'string',
    'ARN of the principal that made the call. Can be an empty string, e.g. for IAM Identity Center sign-in steps.',
    { url: URL.userIdentity }),
  doc('userIdentity.accountId', 'Caller account', 'string (12 digits)',
    'Account that owns the entity that granted the permissions; for temporary credentials, the account of the user or role they were issued to.',
    { url: URL.userIdentity }),
  doc('userIdentity.accessKeyId', 'Access key ID', 'string',
    'The access key that signed the request; a temporary key for STS credentials. May be missing or empty: CloudTrail omits it in some cases for security reasons.',
    { url: URL.userIdentity, hint: accessKeyHint }),
  doc('userIdentity.userName', 'User name', 'string',
    'Friendly name of the caller; what it contains depends on `type` (for the root user, the account alias if one is set).',
    { url: URL.userIdentity,
      values: { HIDDEN_DUE_TO_SECURITY_REASONS: 'A failed console sign-in with an unknown user name: CloudTrail hides what was typed, since it may be a password.' } }),
  doc('userIdentity.invokedBy', 'Invoked by', 'string',
    'The AWS service that made the request on the caller\'s behalf, e.g. `ec2.amazonaws.com` or `AWS Internal`.',
    { url: URL.userIdentity,
      notes: ['The legacy AWS IoT documentation example shows it as an object with `serviceAccountId`.'] }),
  doc('userIdentity.invokedBy.serviceAccountId', 'Service account (legacy)', 'string',
    'Only in the legacy AWS IoT documentation shape, where `invokedBy` was an object: the account of the invoking service.',
    { url: URL.iotLegacy }),
  doc('userIdentity.invokedByDelegate', 'Invoked by delegate', 'object',
    'Newer field naming an account that acted as a delegate (modelled by AWS\'s CloudTrail Processing Library since October 2025).',
    { url: URL.cpl, notes: ['Its exact meaning is not described in the sources we used.'] }),
  doc('userIdentity.invokedByDelegate.accountId', 'Delegate account', 'string (12 digits)',
    'Account of the delegate named by `invokedByDelegate`.',
    { url: URL.cpl }),
  doc('userIdentity.sessionContext', 'Session context', 'object',
    'Present when the request was signed with temporary credentials (or a console session with MFA): where the credentials came from and when they were issued.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.sessionIssuer', 'Session issuer', 'object',
    'The identity that obtained the temporary credentials: a role, an IAM user or the root user.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.sessionIssuer.type', 'Issuer type', 'string',
    'Kind of identity that issued the session.',
    { url: URL.userIdentity, values: ISSUER_TYPES }),
  doc('userIdentity.sessionContext.sessionIssuer.principalId', 'Issuer principal ID', 'string',
    'Unique ID of the identity that issued the session (a role ID starts with `AROA`).',
    { url: URL.userIdentity, hint: idPrefixHint }),
  doc('userIdentity.sessionContext.sessionIssuer.arn', 'Issuer ARN', 'string',
    'ARN of the role, user or root account that issued the session.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.sessionIssuer.accountId', 'Issuer account', 'string (12 digits)',
    'Account that owns the identity that issued the session.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.sessionIssuer.userName', 'Issuer name', 'string',
    'Friendly name of the role or user that issued the session.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.attributes', 'Session attributes', 'object',
    'When the temporary credentials were issued and whether MFA was used.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.attributes.creationDate', 'Session creation date', 'string (ISO 8601)',
    'When the temporary credentials were issued, in UTC.',
    { url: URL.userIdentity,
      notes: ['Both `20131102T010628Z` and `2023-07-19T21:11:57Z` forms occur; the legacy IoT example uses `Fri Apr 08 23:51:10 UTC 2016`.'] }),
  doc('userIdentity.sessionContext.attributes.mfaAuthenticated', 'MFA authenticated', 'string "true" / "false"',
    'Whether the root or IAM user behind the credentials had signed in with multi-factor authentication.',
    { url: URL.userIdentity,
      values: {
        true: 'The user behind the session signed in with MFA.',
        false: 'No MFA was used to obtain this session.',
      } }),
  doc('userIdentity.sessionContext.webIdFederationData', 'Web identity federation data', 'object',
    'For sessions from web identity federation: the identity provider and the attributes it supplied. Often present but empty (`{}`).',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.webIdFederationData.federatedProvider', 'Federated provider', 'string',
    'The web identity provider that authenticated the user, e.g. `accounts.google.com`.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.webIdFederationData.attributes', 'Federation attributes', 'object',
    'Identifiers supplied by the identity provider, such as application and user IDs.',
    { url: URL.userIdentity, freeForm: true }),
  doc('userIdentity.sessionContext.sourceIdentity', 'Source identity', 'string',
    'The original identity carried along a chain of `AssumeRole*` calls when administrators require a source identity. In the STS call that sets it, look in `requestParameters.sourceIdentity` instead.',
    { url: URL.userIdentity }),
  doc('userIdentity.sessionContext.ec2RoleDelivery', 'EC2 role credential delivery', 'string',
    'How an EC2 instance obtained its role credentials from the instance metadata service.',
    { url: URL.userIdentity,
      values: {
        '1.0': 'Delivered through IMDSv1 (unauthenticated requests to the metadata service).',
        '2.0': 'Delivered through IMDSv2 (session-token protected metadata requests).',
      } }),
  doc('userIdentity.sessionContext.assumedRoot', 'Assumed root session', 'string "true"',
    'Marks events made with a short-term root session obtained through `sts:AssumeRoot` (centralised root access for member accounts).',
    { url: URL.assumeRoot, values: { true: 'The session is a privileged root session obtained with sts:AssumeRoot.' } }),
  doc('userIdentity.identityProvider', 'Identity provider', 'string',
    'Only for `SAMLUser` and `WebIdentityUser`: the SAML name qualifier, or the issuer of the web identity token (`cognito-identity.amazon.com`, `www.amazon.com`, `accounts.google.com`, `graph.facebook.com`).',
    { url: URL.userIdentity }),
  doc('userIdentity.onBehalfOf', 'On behalf of', 'object',
    'For `IdentityCenterUser`: the IAM Identity Center user the request was made for.',
    { url: URL.userIdentity }),
  doc('userIdentity.onBehalfOf.userId', 'Identity Center user ID', 'string',
    'The user\'s ID in the Identity Center identity store.',
    { url: URL.identityCenter }),
  doc('userIdentity.onBehalfOf.identityStoreArn', 'Identity store ARN', 'string',
    'ARN of the identity store that holds the user.',
    { url: URL.identityCenter }),
  doc('userIdentity.credentialId', 'Credential ID', 'string',
    'Identifier of the IAM Identity Center credential (session) used for the request.',
    { url: URL.userIdentity }),
  doc('userIdentity.inScopeOf', 'In scope of', 'object',
    'Newer field describing the resource or service the credentials were scoped to; AWS\'s CloudTrail Processing Library models `sourceArn`, `sourceAccount`, `issuerType` and `credentialsIssuedTo` inside it.',
    { url: URL.cpl, notes: ['Its exact meaning is not described in the sources we used.'] }),
  doc('userIdentity.inScopeOf.sourceArn', 'Scope source ARN', 'string',
    'ARN of the resource the credentials were scoped to (as modelled by AWS\'s parser).',
    { url: URL.cpl }),
  doc('userIdentity.inScopeOf.sourceAccount', 'Scope source account', 'string (12 digits)',
    'Account of the resource the credentials were scoped to (as modelled by AWS\'s parser).',
    { url: URL.cpl }),
  doc('userIdentity.inScopeOf.issuerType', 'Scope issuer type', 'string',
    'Kind of resource that obtained the credentials (as modelled by AWS\'s parser).',
    { url: URL.cpl }),
  doc('userIdentity.inScopeOf.credentialsIssuedTo', 'Credentials issued to', 'string',
    'The entity the scoped credentials were issued to (as modelled by AWS\'s parser).',
    { url: URL.cpl }),

  // --- common keys inside free-form objects -------------------------------------------------------------
  doc('additionalEventData.MFAUsed', 'MFA used', 'string',
    'Console sign-in: whether multi-factor authentication was used.',
    { url: URL.consoleSignIn, values: { Yes: 'MFA was used to sign in.', No: 'No MFA at sign-in.' } }),
  doc('additionalEventData.LoginTo', 'Login destination', 'string',
    'Console sign-in: the URL the user was signing in to.',
    { url: URL.consoleSignIn }),
  doc('additionalEventData.MobileVersion', 'Mobile version', 'string',
    'Console sign-in: whether the sign-in came from the mobile console (`Yes` / `No`).',
    { url: URL.consoleSignIn }),
  doc('additionalEventData.SignatureVersion', 'Signature version', 'string',
    'The AWS signature version that signed the request (e.g. `SigV4`).',
    { url: URL.s3Logging }),
  doc('additionalEventData.CipherSuite', 'Cipher suite', 'string',
    'TLS cipher suite used by the request (reported by Amazon S3).',
    { url: URL.s3Logging }),
  doc('additionalEventData.AuthenticationMethod', 'Authentication method', 'string',
    'How an S3 request was authenticated (e.g. `AuthHeader`, `QueryString`).',
    { url: URL.s3Logging }),
  doc('additionalEventData.bytesTransferredIn', 'Bytes in', 'number',
    'Amazon S3: bytes sent by the client in the request body.',
    { url: URL.s3Logging }),
  doc('additionalEventData.bytesTransferredOut', 'Bytes out', 'number',
    'Amazon S3: bytes returned to the client in the response body.',
    { url: URL.s3Logging }),
  doc('additionalEventData.x-amz-id-2', 'S3 extended request ID', 'string',
    'Amazon S3 host ID of the request; give it to AWS Support together with the request ID.',
    { url: URL.s3Logging }),
  doc('responseElements.ConsoleLogin', 'Console login result', 'string',
    'Console sign-in: whether the sign-in succeeded.',
    { url: URL.consoleSignIn,
      values: { Success: 'The sign-in succeeded.', Failure: 'The sign-in failed; `errorMessage` says why.' } }),

  // --- shapes that are not CloudTrail's own --------------------------------------------------------------
  doc('@timestamp', 'Logstash timestamp', 'string',
    'Added by Logstash/Elastic pipelines, not by CloudTrail: when the pipeline ingested the record. Such exports often lack `eventTime`.',
    { url: URL.recordContents }),
  doc('@version', 'Logstash version', 'string',
    'Added by Logstash/Elastic pipelines, not by CloudTrail: the pipeline\'s event schema version.',
    { url: URL.recordContents }),
  doc('timestamp', 'Timestamp (legacy)', 'string',
    'Only in the legacy AWS IoT documentation shape: the event time as epoch seconds in a string.',
    { url: URL.iotLegacy }),
  doc('RecipientAccountList', 'Recipient accounts (legacy)', 'array',
    'Only in the legacy AWS IoT documentation shape; not part of the current record format.',
    { url: URL.iotLegacy }),
  doc('Annotation', 'Annotation (legacy)', 'string',
    'Only in the legacy AWS IoT documentation shape; not part of the current record format.',
    { url: URL.iotLegacy }),
];

/**
 * Misspelled keys found in real files, mapped to the field they stand for. The lower-case form is used.
 * `RequestParamters` is in the legacy AWS IoT example; `accesKeyId` in hand-written detection-rule fixtures.
 */
export const EVENT_ALIASES: Record<string, { target: string[]; note: string }> = {
  requestparamters: { target: ['requestParameters'], note: 'This key is misspelled (`RequestParamters`), as in the legacy AWS IoT example.' },
  'useridentity\u0000acceskeyid': {
    target: ['userIdentity', 'accessKeyId'],
    note: 'This key is misspelled (`accesKeyId`); CloudTrail writes `accessKeyId`.',
  },
};

/** Documentation for a Panther enrichment field (`p_*`), which Panther adds to stored records. */
export function pantherDoc(key: string): DocEntry {
  return {
    path: 'p_*',
    segments: [key],
    title: 'Panther field',
    type: 'any',
    summary: 'Added by the Panther SIEM when it stored the record (keys starting with `p_`), not by CloudTrail.',
    freeForm: true,
  };
}

/** Digest-file fields (log file integrity validation). */
export const DIGEST_DOCS: DocEntry[] = [
  doc('awsAccountId', 'Account', 'string (12 digits)', 'The account this digest belongs to.', { url: URL.digest }),
  doc('digestStartTime', 'Digest start', 'string (ISO 8601, UTC)',
    'Start of the interval of log-file delivery times (not event times) that this digest covers.', { url: URL.digest }),
  doc('digestEndTime', 'Digest end', 'string (ISO 8601, UTC)',
    'End of the delivery interval covered. Also the first line of the string that is signed, and the timestamp in the digest\'s S3 key.',
    { url: URL.digest }),
  doc('digestS3Bucket', 'Digest bucket', 'string',
    'Bucket this digest was delivered to. A validator checks it matches where the file was actually read from.',
    { url: URL.digest }),
  doc('digestS3Object', 'Digest object key', 'string',
    'S3 key this digest was delivered to (without the bucket). A file moved elsewhere fails validation.',
    { url: URL.digest }),
  doc('digestPublicKeyFingerprint', 'Public key fingerprint', 'string (hex)',
    'Fingerprint of the public key that verifies this digest\'s signature; pick the key with this fingerprint from `ListPublicKeys` in the digest\'s Region.',
    { url: URL.digest, notes: ['The field list in the AWS docs calls it `publicKeyFingerprint`; the JSON uses this name.'] }),
  doc('digestSignatureAlgorithm', 'Signature algorithm', 'string',
    'Algorithm used to sign this digest.',
    { url: URL.digest, values: { SHA256withRSA: 'RSA PKCS#1 v1.5 signature over a SHA-256 hash.' },
      notes: ['The signature itself is not in the file: it is S3 object metadata (`x-amz-meta-signature`).'] }),
  doc('newestEventTime', 'Newest event', 'string or null',
    'Latest event time across all log files listed; null when no files were delivered in the hour.',
    { url: URL.digest }),
  doc('oldestEventTime', 'Oldest event', 'string or null',
    'Earliest event time across all log files listed; null when none. Can precede `digestStartTime` when delivery was late.',
    { url: URL.digest }),
  doc('previousDigestS3Bucket', 'Previous digest bucket', 'string or null',
    'Bucket of the previous digest in the chain; null in a starting digest.', { url: URL.digest }),
  doc('previousDigestS3Object', 'Previous digest object key', 'string or null',
    'S3 key of the previous digest; null in a starting digest.', { url: URL.digest }),
  doc('previousDigestHashValue', 'Previous digest hash', 'string (hex) or null',
    'SHA-256 of the previous digest file after decompression.', { url: URL.digest }),
  doc('previousDigestHashAlgorithm', 'Previous digest hash algorithm', 'string or null',
    'Hash algorithm of `previousDigestHashValue`.', { url: URL.digest, values: { 'SHA-256': 'SHA-256, hex-encoded.' } }),
  doc('previousDigestSignature', 'Previous digest signature', 'string (hex) or null',
    'The previous digest\'s signature, which that file does not contain itself; lets a validator walk back the chain. Null in a starting digest.',
    { url: URL.digest }),
  doc('logFiles', 'Log files', 'array of objects',
    'The log files delivered during the digest interval, with their hashes. Empty for an hour without deliveries — which proves nothing was delivered.',
    { url: URL.digest }),
  doc('logFiles[].s3Bucket', 'Log file bucket', 'string', 'Bucket of the log file.', { url: URL.digest }),
  doc('logFiles[].s3Object', 'Log file object key', 'string', 'S3 key of the log file.', { url: URL.digest }),
  doc('logFiles[].hashValue', 'Log file hash', 'string (hex)',
    'Hash of the log file after gunzip; a changed or replaced file no longer matches.', { url: URL.digest }),
  doc('logFiles[].hashAlgorithm', 'Hash algorithm', 'string',
    'Algorithm of `hashValue`.', { url: URL.digest, values: { 'SHA-256': 'SHA-256, hex-encoded.' } }),
  doc('logFiles[].newestEventTime', 'Newest event in file', 'string',
    'Latest event time in this log file (also the log file\'s own timestamp).', { url: URL.digest }),
  doc('logFiles[].oldestEventTime', 'Oldest event in file', 'string',
    'Earliest event time in this log file.', { url: URL.digest }),
];

/** Keys of an `Events[]` element in `aws cloudtrail lookup-events` output (the API's `Event` type). */
export const LOOKUP_DOCS: DocEntry[] = [
  doc('EventId', 'Event ID', 'string', 'CloudTrail\'s ID of the event (the record\'s `eventID`).', { url: URL.lookupEvent }),
  doc('EventName', 'Event name', 'string', 'The API action (the record\'s `eventName`).', { url: URL.lookupEvent }),
  doc('ReadOnly', 'Read-only', 'string', 'Whether the action only reads: `"true"` or `"false"`.', { url: URL.lookupEvent }),
  doc('AccessKeyId', 'Access key ID', 'string', 'Access key that signed the request, if any.', { url: URL.lookupEvent, hint: accessKeyHint }),
  doc('EventTime', 'Event time', 'timestamp', 'When the event happened (LookupEvents returns it as a date).', { url: URL.lookupEvent }),
  doc('EventSource', 'Event source', 'string', 'Service endpoint of the request (the record\'s `eventSource`).', { url: URL.lookupEvent }),
  doc('Username', 'User name', 'string', 'Name of the caller as shown in Event history.', { url: URL.lookupEvent }),
  doc('Resources', 'Resources', 'array of objects', 'Resources referenced by the event, as shown in Event history.', { url: URL.lookupEvent }),
  doc('Resources[].ResourceType', 'Resource type', 'string', 'Type of the resource, e.g. `AWS::S3::Bucket`.', { url: URL.lookupEvent }),
  doc('Resources[].ResourceName', 'Resource name', 'string', 'Name or ID of the resource.', { url: URL.lookupEvent }),
  doc('CloudTrailEvent', 'CloudTrail event', 'string (JSON)',
    'The complete event record, serialised as a JSON string. CloudTrail Lens parses it to show the record.',
    { url: URL.lookupEvent }),
];

/** Keys of the file containers that hold records. */
export const CONTAINER_DOCS: DocEntry[] = [
  doc('Records', 'Records', 'array of objects',
    'The events of a CloudTrail log file. They are not in any particular order, and the same event can occur twice (same `eventID`).',
    { url: URL.logFiles }),
  doc('Events', 'Events', 'array',
    'Events returned by `LookupEvents` (Event history); each holds the full record in `CloudTrailEvent`, or the record itself in some documentation examples.',
    { url: URL.lookupEvents }),
  doc('NextToken', 'Next token', 'string',
    'Pagination token: pass it to the next `lookup-events` call to get more results.',
    { url: URL.lookupEvents }),
];
