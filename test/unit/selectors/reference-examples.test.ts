/**
 * Every example of shared/reference/selectors.md: the §5.1 worked examples (valid and each row of the
 * invalid table), the seed's Greengrass selectors, and the basic-selector examples of §6.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cat, codes, diags, expectOne, noErrors, sel } from './helpers';

describe('§5.1 valid examples', () => {
  it('trail, S3 writes for one bucket', () => {
    noErrors(`[{"Name": "S3 writes in my-bucket",
  "FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["Data"]},
    {"Field": "resources.type", "Equals": ["AWS::S3::Object"]},
    {"Field": "readOnly", "Equals": ["false"]},
    {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::my-bucket/"]}]}]`);
  });
  it('trail, management events except KMS and RDS Data API', () => {
    noErrors(`[{"FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["Management"]},
    {"Field": "eventSource", "NotEquals": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]}]}]`);
  });
  it('network activity denied through VPC endpoints to KMS', () => {
    noErrors(`[{"FieldSelectors": [
    {"Field": "eventCategory", "Equals": ["NetworkActivity"]},
    {"Field": "eventSource", "Equals": ["kms.amazonaws.com"]},
    {"Field": "errorCode", "Equals": ["VpceAccessDenied"]}]}]`);
  });
  it('several operators in one field selector and a repeated non-type field are not rejected', () => {
    noErrors(sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
      { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'], NotEndsWith: ['.tmp'] },
      { Field: 'eventName', Equals: ['PutObject', 'GetObject'] }, { Field: 'eventName', NotEquals: ['DeleteObject'] }));
  });
});

describe('§5.1 invalid examples (one row each)', () => {
  it('no eventCategory field selector', () => {
    const t = sel({ Field: 'readOnly', Equals: ['true'] });
    expectOne(t, 'category-missing', '"FieldSelectors"', {}, 'error');
  });
  it('eventCategory with NotEquals', () => {
    const t = sel({ Field: 'eventCategory', NotEquals: ['Data'] });
    expectOne(t, 'operator-not-allowed', '"NotEquals"', {}, 'error');
  });
  it('Data without resources.type', () => {
    const t = sel(cat('Data'));
    expectOne(t, 'resources-type-missing', '"Data"', {}, 'error');
  });
  it('two resources.type field selectors', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] });
    const d = diags(t).filter((x) => x.code === 'resources-type-multiple');
    assert.equal(d.length, 1);
    assert.equal(t.slice(d[0].offset, d[0].offset + d[0].length), '"resources.type"');
    assert.ok(d[0].offset > t.indexOf('AWS::S3::Object'), 'flags the second one');
  });
  it('resources.type with StartsWith', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', StartsWith: ['AWS::S3'] });
    expectOne(t, 'operator-not-allowed', '"StartsWith"', {}, 'error');
  });
  it('readOnly "yes"', () => {
    const t = sel(cat('Management'), { Field: 'readOnly', Equals: ['yes'] });
    expectOne(t, 'value-invalid', '"yes"', {}, 'error');
  });
  it('resources.ARN Equals with a wildcard', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::bucket/*'] });
    expectOne(t, 'wildcard', '"arn:aws:s3:::bucket/*"', {}, 'error');
  });
  it('trail management eventSource Equals s3', () => {
    const t = sel(cat('Management'), { Field: 'eventSource', Equals: ['s3.amazonaws.com'] });
    const d = expectOne(t, 'operator-not-allowed', '"Equals"', {}, 'error');
    // The second "Equals" in the text is the eventSource one.
    assert.equal(d.offset, t.indexOf('"Equals"', t.indexOf('eventSource')));
    expectOne(t, 'value-invalid', '"s3.amazonaws.com"', {}, 'error');
  });
  it('trail management userIdentity.arn', () => {
    const t = sel(cat('Management'), { Field: 'userIdentity.arn', Equals: ['arn:aws:iam::111122223333:user/a'] });
    expectOne(t, 'field-not-allowed', '"userIdentity.arn"', {}, 'error');
    // Event data stores accept it.
    noErrors(t, { target: 'event-data-store' });
  });
  it('errorCode AccessDenied', () => {
    const t = sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }, { Field: 'errorCode', Equals: ['AccessDenied'] });
    expectOne(t, 'value-invalid', '"AccessDenied"', {}, 'error');
  });
  it('errorCode outside NetworkActivity', () => {
    const t = sel(cat('Management'), { Field: 'errorCode', Equals: ['VpceAccessDenied'] });
    expectOne(t, 'field-not-allowed', '"errorCode"', {}, 'error');
  });
  it('NetworkActivity without eventSource', () => {
    const t = sel(cat('NetworkActivity'));
    expectOne(t, 'event-source-missing', '"NetworkActivity"', {}, 'error');
  });
  it('NetworkActivity with two sources in one Equals', () => {
    const t = sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['kms.amazonaws.com', 'ec2.amazonaws.com'] });
    expectOne(t, 'event-source-multiple', '"ec2.amazonaws.com"', {}, 'error');
  });
  it('field selector without operator', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName' });
    expectOne(t, 'operator-missing', '"eventName"', {}, 'error');
  });
  it('empty operator list and empty value', () => {
    const t1 = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: [] });
    expectOne(t1, 'operator-empty', '[]', {}, 'error');
    const t2 = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: [''] });
    expectOne(t2, 'value-empty', '""', {}, 'error');
  });
  it('Field with a wildcard', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'event*Name', Equals: ['PutObject'] });
    expectOne(t, 'field-pattern', '"event*Name"', {}, 'error');
  });
  it('501 values', () => {
    const names = Array.from({ length: 497 }, (_, i) => `Api${i}`);
    const ok = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: names }, { Field: 'readOnly', Equals: ['true'] });
    // 1 + 1 + 497 + 1 = 500: allowed, and the count is reported as a hint.
    assert.ok(!codes(ok).includes('value-budget'));
    const a = diags(ok).length;
    assert.equal(a, 0);
    const over = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: [...names, 'OneMore'] }, { Field: 'readOnly', Equals: ['true'] });
    expectOne(over, 'value-budget', '[', {}, 'error');
  });
  it('Insight on a trail', () => {
    const t = sel(cat('Insight'));
    expectOne(t, 'category-target', '"Insight"', {}, 'error');
    noErrors(t, { target: 'event-data-store' });
  });
  it('both EventSelectors and AdvancedEventSelectors', () => {
    const t = JSON.stringify({ TrailName: 'my-trail', EventSelectors: [{ ReadWriteType: 'All' }], AdvancedEventSelectors: [{ FieldSelectors: [cat('Management')] }] }, null, 2);
    expectOne(t, 'mixed-selectors', '"EventSelectors"', {}, 'error');
  });
});

describe('seed examples (AWS IoT Greengrass data events)', () => {
  it('all four Greengrass selectors are valid', () => {
    const t = JSON.stringify([
      ['Log all certificate data events', 'AWS::IoT::Certificate'],
      ['Log all component version data events', 'AWS::GreengrassV2::ComponentVersion'],
      ['Log all deployment version', 'AWS::GreengrassV2::Deployment'],
      ['Log all thing data events', 'AWS::IoT::Thing'],
    ].map(([Name, t]) => ({ Name, FieldSelectors: [cat('Data'), { Field: 'resources.type', Equals: [t] }] })));
    noErrors(t);
  });
  it('PutCertificateAuthorities filter is valid', () => {
    noErrors(JSON.stringify([{ Name: 'Log IoT Greengrass PutCertificateAuthorities API calls', FieldSelectors: [cat('Data'), { Field: 'resources.type', Equals: ['AWS::IoT::Thing'] }, { Field: 'eventName', Equals: ['PutCertificateAuthorities'] }] }]));
  });
});

describe('§6 basic selectors', () => {
  it('the logged PutEventSelectors example shape with empty Values is flagged', () => {
    const t = JSON.stringify([{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: false, DataResources: [{ Type: 'AWS::S3::Object', Values: [] }], ExcludeManagementEventSources: [] }], null, 2);
    expectOne(t, 'basic-values-empty', '[]', {}, 'error');
  });
  it('valid prefixes', () => {
    noErrors(JSON.stringify([{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3', 'arn:aws:s3:::bucket/'] }, { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }], ExcludeManagementEventSources: ['kms.amazonaws.com'] }]));
  });
  it('read-only spelling', () => {
    const t = JSON.stringify([{ ReadWriteType: 'read-only' }]);
    const d = expectOne(t, 'basic-read-write-type', '"read-only"', {}, 'error');
    assert.equal(d.fixes?.[0].title, 'Change to ReadOnly');
  });
  it('observed wildcard errors', () => {
    for (const [v, fixed] of [['arn:aws:s3:::*', 'arn:aws:s3'], ['arn:aws:lambda:*', 'arn:aws:lambda'], ['arn:aws:s3:::cg-*/*', undefined]] as const) {
      const t = JSON.stringify([{ DataResources: [{ Type: v.includes('lambda') ? 'AWS::Lambda::Function' : 'AWS::S3::Object', Values: [v] }] }]);
      const d = expectOne(t, 'wildcard', JSON.stringify(v), {}, 'error');
      if (fixed) assert.equal(d.fixes?.[0].title, `Change to ${fixed}`);
    }
  });
});
