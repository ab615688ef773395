import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LosslessNumber } from '../../../src/core/records/types';
import {
  allFieldDocs,
  describeValue,
  hoverMarkdown,
  hoverPlain,
  isFreeFormPath,
  lookupDigestField,
  lookupField,
} from '../../../src/core/fields';

const AWS_DOC = /^https:\/\/(docs\.aws\.amazon\.com|github\.com\/aws)\//;

/** Splits the display notation `a.b[].c` used in the reference notes into a look-up path. */
function p(dotted: string): string[] {
  return dotted.split('.').map((s) => s.replace(/\[\]$/, ''));
}

// The userIdentity sub-fields named in the task and in record-fields.md §3 (typed by hand from the reference).
const USER_IDENTITY_FIELDS = [
  'userIdentity',
  'userIdentity.type',
  'userIdentity.principalId',
  'userIdentity.arn',
  'userIdentity.accountId',
  'userIdentity.accessKeyId',
  'userIdentity.userName',
  'userIdentity.invokedBy',
  'userIdentity.invokedByDelegate',
  'userIdentity.sessionContext',
  'userIdentity.sessionContext.sessionIssuer',
  'userIdentity.sessionContext.sessionIssuer.type',
  'userIdentity.sessionContext.sessionIssuer.principalId',
  'userIdentity.sessionContext.sessionIssuer.arn',
  'userIdentity.sessionContext.sessionIssuer.accountId',
  'userIdentity.sessionContext.sessionIssuer.userName',
  'userIdentity.sessionContext.attributes',
  'userIdentity.sessionContext.attributes.creationDate',
  'userIdentity.sessionContext.attributes.mfaAuthenticated',
  'userIdentity.sessionContext.webIdFederationData',
  'userIdentity.sessionContext.sourceIdentity',
  'userIdentity.sessionContext.ec2RoleDelivery',
  'userIdentity.sessionContext.assumedRoot',
  'userIdentity.identityProvider',
  'userIdentity.onBehalfOf',
  'userIdentity.credentialId',
  'userIdentity.inScopeOf',
];

// Top-level fields of record-fields.md §2 with the "Since" column where the reference states one.
const TOP_LEVEL: [string, string | undefined][] = [
  ['eventTime', '1.0'],
  ['eventVersion', '1.0'],
  ['userIdentity', '1.0'],
  ['eventSource', '1.0'],
  ['eventName', '1.0'],
  ['awsRegion', '1.0'],
  ['sourceIPAddress', '1.0'],
  ['userAgent', '1.0'],
  ['errorCode', '1.0'],
  ['errorMessage', '1.0'],
  ['requestParameters', '1.0'],
  ['responseElements', '1.0'],
  ['additionalEventData', '1.0'],
  ['requestID', '1.01'],
  ['eventID', '1.01'],
  ['eventType', '1.02'],
  ['apiVersion', '1.01'],
  ['managementEvent', '1.06'],
  ['readOnly', '1.01'],
  ['resources', '1.01'],
  ['recipientAccountId', '1.02'],
  ['serviceEventDetails', '1.05'],
  ['sharedEventID', '1.03'],
  ['vpcEndpointId', '1.04'],
  ['vpcEndpointAccountId', undefined],
  ['eventCategory', '1.07'],
  ['addendum', '1.08'],
  ['sessionCredentialFromConsole', '1.08'],
  ['edgeDeviceDetails', '1.08'],
  ['tlsDetails', '1.08'],
  ['eventContext', undefined],
  ['omitted', undefined],
  ['insightDetails', '1.07'],
];

const NESTED = [
  'tlsDetails.tlsVersion',
  'tlsDetails.cipherSuite',
  'tlsDetails.clientProvidedHostHeader',
  'addendum.reason',
  'addendum.updatedFields',
  'addendum.originalRequestID',
  'addendum.originalEventID',
  'resources[].ARN',
  'resources[].accountId',
  'resources[].type',
  'insightDetails.state',
  'insightDetails.eventSource',
  'insightDetails.eventName',
  'insightDetails.insightType',
  'insightDetails.errorCode',
  'insightDetails.insightContext.statistics.baseline.average',
  'insightDetails.insightContext.statistics.insight.average',
  'insightDetails.insightContext.statistics.insightDuration',
  'insightDetails.insightContext.statistics.baselineDuration',
  'insightDetails.insightContext.attributions[].attribute',
  'insightDetails.insightContext.attributions[].insight[].value',
  'insightDetails.insightContext.attributions[].baseline[].average',
];

// Digest fields of log-files.md §2.2.
const DIGEST_FIELDS = [
  'awsAccountId',
  'digestStartTime',
  'digestEndTime',
  'digestS3Bucket',
  'digestS3Object',
  'digestPublicKeyFingerprint',
  'digestSignatureAlgorithm',
  'newestEventTime',
  'oldestEventTime',
  'previousDigestS3Bucket',
  'previousDigestS3Object',
  'previousDigestHashValue',
  'previousDigestHashAlgorithm',
  'previousDigestSignature',
  'logFiles',
  'logFiles[].s3Bucket',
  'logFiles[].s3Object',
  'logFiles[].hashValue',
  'logFiles[].hashAlgorithm',
  'logFiles[].newestEventTime',
  'logFiles[].oldestEventTime',
];

describe('field documentation tables', () => {
  it('documents every userIdentity sub-field with a summary and an AWS link', () => {
    for (const field of USER_IDENTITY_FIELDS) {
      const doc = lookupField(p(field));
      assert.ok(doc, `no doc for ${field}`);
      assert.equal(doc.path, field);
      assert.ok(doc.summary.length > 20, `summary too short for ${field}`);
      assert.match(doc.url ?? '', AWS_DOC, `no AWS link for ${field}`);
    }
  });

  it('documents every top-level field with the eventVersion that introduced it', () => {
    for (const [field, since] of TOP_LEVEL) {
      const doc = lookupField([field]);
      assert.ok(doc, `no doc for ${field}`);
      assert.equal(doc.since, since, `since for ${field}`);
      assert.match(doc.url ?? '', AWS_DOC, field);
    }
  });

  it('documents nested tlsDetails, addendum, resources and insightDetails fields', () => {
    for (const field of NESTED) {
      const doc = lookupField(p(field));
      assert.ok(doc, `no doc for ${field}`);
      assert.equal(doc.path, field);
    }
  });

  it('documents every digest-file field only in the digest table', () => {
    for (const field of DIGEST_FIELDS) {
      const doc = lookupDigestField(p(field));
      assert.ok(doc, `no digest doc for ${field}`);
      assert.match(doc.url ?? '', /cloudtrail-log-file-validation-digest-file-structure/);
      assert.deepEqual(lookupField(p(field), 'digest'), doc);
    }
    assert.equal(lookupField(['digestS3Object']), undefined, 'digest fields are not event fields');
  });

  it('gives every entry a title, a type and a non-empty summary', () => {
    for (const kind of ['event', 'digest', 'lookup', 'container'] as const) {
      for (const d of allFieldDocs(kind)) {
        assert.ok(d.title && d.type && d.summary, `${kind} ${d.path}`);
      }
    }
  });
});

describe('lookupField', () => {
  it('ignores array indices', () => {
    assert.equal(lookupField(['resources', 3, 'ARN'])?.path, 'resources[].ARN');
    assert.equal(
      lookupField(['insightDetails', 'insightContext', 'attributions', 0, 'insight', 4, 'value'])?.path,
      'insightDetails.insightContext.attributions[].insight[].value',
    );
  });

  it('falls back to a case-insensitive match after the exact one', () => {
    assert.equal(lookupField(['useridentity', 'sessioncontext', 'sessionissuer', 'username'])?.path,
      'userIdentity.sessionContext.sessionIssuer.userName');
    assert.equal(lookupField(['resources', 0, 'arn'])?.path, 'resources[].ARN');
    assert.equal(lookupField(['SourceIpAddress'])?.path, 'sourceIPAddress');
    assert.equal(lookupField(['eventname'])?.path, 'eventName');
  });

  it('maps known misspellings to the real field and says so', () => {
    const doc = lookupField(['userIdentity', 'accesKeyId']);
    assert.equal(doc?.path, 'userIdentity.accessKeyId');
    assert.ok(doc?.notes?.some((n) => n.includes('misspelled')));
    assert.equal(lookupField(['RequestParamters'])?.path, 'requestParameters');
  });

  it('returns nothing for unknown keys and keys inside free-form objects', () => {
    assert.equal(lookupField(['noSuchField']), undefined);
    assert.equal(lookupField(['requestParameters', 'bucketName']), undefined);
    assert.equal(lookupField([]), undefined);
    assert.equal(lookupField(['__proto__']), undefined);
    assert.equal(lookupField(['constructor']), undefined);
    assert.equal(lookupField([0, 1]), undefined);
  });

  it('marks service-specific objects as free-form', () => {
    assert.equal(isFreeFormPath(['requestParameters', 'bucketName']), true);
    assert.equal(isFreeFormPath(['responseElements', 'credentials', 'accessKeyId']), true);
    assert.equal(isFreeFormPath(['serviceEventDetails', 'x']), true);
    assert.equal(isFreeFormPath(['additionalEventData', 'anything']), true);
    assert.equal(isFreeFormPath(['eventContext', 'tags']), true);
    assert.equal(isFreeFormPath(['p_enrichment', 'ipinfo_asn']), true);
    assert.equal(isFreeFormPath(['userIdentity', 'bogus']), false);
    assert.equal(isFreeFormPath(['requestParameters']), false);
  });

  it('returns copies that callers cannot use to corrupt the tables', () => {
    const doc = lookupField(['eventType']);
    assert.ok(doc?.values);
    doc.values.AwsApiCall = 'changed';
    assert.notEqual(lookupField(['eventType'])?.values?.AwsApiCall, 'changed');
  });
});

describe('describeValue', () => {
  // Values listed in record-fields.md §3, §4 and the eventCategory row of §2.
  const IDENTITY_TYPES = ['Root', 'IAMUser', 'AssumedRole', 'Role', 'FederatedUser', 'Directory', 'AWSAccount',
    'AWSService', 'Unknown', 'SAMLUser', 'WebIdentityUser', 'IdentityCenterUser'];
  const EVENT_TYPES = ['AwsApiCall', 'AwsServiceEvent', 'AwsConsoleAction', 'AwsConsoleSignIn', 'AwsCloudTrailInsight',
    'AwsVpceEvent', 'AwsConsoleSignin'];
  const CATEGORIES = ['Management', 'Data', 'Insight', 'NetworkActivity'];

  it('explains every userIdentity.type value of the reference, each differently', () => {
    const seen = new Set<string>();
    for (const t of IDENTITY_TYPES) {
      const text = describeValue(['userIdentity', 'type'], t);
      assert.ok(text, `no meaning for ${t}`);
      seen.add(text);
    }
    assert.equal(seen.size, IDENTITY_TYPES.length);
    assert.match(describeValue(['userIdentity', 'type'], 'AssumedRole') ?? '', /AssumeRole|assum/i);
    assert.match(describeValue(['userIdentity', 'type'], 'SAMLUser') ?? '', /AssumeRoleWithSAML/);
  });

  it('explains eventType, eventCategory and sessionIssuer.type values', () => {
    for (const t of EVENT_TYPES) assert.ok(describeValue(['eventType'], t), t);
    for (const c of CATEGORIES) assert.ok(describeValue(['eventCategory'], c), c);
    for (const t of ['Root', 'IAMUser', 'Role']) {
      assert.ok(describeValue(['userIdentity', 'sessionContext', 'sessionIssuer', 'type'], t), t);
    }
    assert.match(describeValue(['addendum', 'reason'], 'UPDATED_DATA') ?? '', /updatedFields|corrected|replaces/);
    assert.match(describeValue(['userIdentity', 'sessionContext', 'ec2RoleDelivery'], '2.0') ?? '', /IMDSv2/);
  });

  it('treats booleans, strings and lossless numbers by their text', () => {
    assert.ok(describeValue(['readOnly'], true));
    assert.notEqual(describeValue(['readOnly'], true), describeValue(['readOnly'], false));
    assert.equal(describeValue(['sessionCredentialFromConsole'], true), describeValue(['sessionCredentialFromConsole'], 'true'));
    assert.equal(describeValue(['eventType'], new LosslessNumber('AwsApiCall')),
      describeValue(['eventType'], 'AwsApiCall'));
  });

  it('recognises values by shape where there is no fixed list', () => {
    assert.match(describeValue(['userIdentity', 'accessKeyId'], 'ASIAIOSFODNN7EXAMPLE') ?? '', /temporary/);
    assert.match(describeValue(['userIdentity', 'accessKeyId'], 'AKIAIOSFODNN7EXAMPLE') ?? '', /long-term/);
    assert.match(describeValue(['sourceIPAddress'], 'AWS Internal/3') ?? '', /inside AWS/);
    assert.match(describeValue(['sourceIPAddress'], 'ec2.amazonaws.com') ?? '', /AWS service/);
    assert.equal(describeValue(['sourceIPAddress'], '203.0.113.5'), undefined);
  });

  it('returns nothing for undocumented values, objects and unknown fields', () => {
    assert.equal(describeValue(['eventType'], 'SomethingNew'), undefined);
    assert.equal(describeValue(['eventType'], 'toString'), undefined);
    assert.equal(describeValue(['eventType'], { a: 1 }), undefined);
    assert.equal(describeValue(['eventType'], null), undefined);
    assert.equal(describeValue(['nope'], 'x'), undefined);
  });
});

describe('hover text', () => {
  it('renders title, path, type, version, summary, value meaning and link as Markdown', () => {
    const md = hoverMarkdown(['eventCategory'], 'Data');
    assert.ok(md);
    assert.match(md, /\*\*Event category\*\* `eventCategory`/);
    assert.match(md, /since eventVersion 1\.07/);
    assert.match(md, /`Data`: A data event/);
    assert.match(md, /\[AWS documentation\]\(https:\/\/docs\.aws\.amazon\.com\/[^)]+\)/);
  });

  it('never echoes an unknown value into the Markdown', () => {
    const hostile = '<img src=x onerror=alert(1)>](javascript:alert(1)) `x`';
    const md = hoverMarkdown(['userIdentity', 'type'], hostile) ?? '';
    assert.ok(md.includes('Identity type'));
    assert.ok(!md.includes('<img'));
    assert.ok(!md.includes('javascript:'));
    const key = hoverMarkdown(['p_<script>`'], 'x') ?? '';
    assert.ok(key.includes('Panther'));
    assert.ok(!key.includes('<script>'));
  });

  it('gives the same content as plain text for webviews', () => {
    const plain = hoverPlain(['userIdentity', 'type'], 'AssumedRole');
    assert.ok(plain);
    assert.equal(plain.title, 'Identity type (userIdentity.type)');
    assert.match(plain.body, /AssumedRole: Temporary credentials/);
    assert.ok(!plain.body.includes('`'));
    assert.equal(plain.url, lookupField(['userIdentity', 'type'])?.url);
    assert.equal(hoverPlain(['nope']), undefined);
  });

  it('documents lookup-events wrapper and container keys in their own tables', () => {
    assert.match(hoverMarkdown(['CloudTrailEvent'], undefined, 'lookup') ?? '', /JSON string/);
    assert.match(hoverMarkdown(['Records'], undefined, 'container') ?? '', /not in any particular order/);
    assert.equal(hoverMarkdown(['CloudTrailEvent']), undefined);
  });
});
