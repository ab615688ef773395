/**
 * One block per validator rule: a valid document that must stay quiet and an invalid one whose diagnostic
 * must have the right code, severity and exact range; quick fixes are applied and the result re-checked.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyze, convertBasicFix, applyTextEdits, DIAGNOSTIC_CODES, detectSelectorDocument, validate } from '../../../src/core/selectors';
import { applyFix, cat, codes, diags, expectOne, noErrors, sel } from './helpers';

const S3 = { Field: 'resources.type', Equals: ['AWS::S3::Object'] };
const seenCodes = new Set<string>();
function track(text: string, options = {}) {
  for (const d of analyze(text, options).diagnostics) seenCodes.add(d.code);
}

describe('document detection', () => {
  it('detects the supported shapes by content', () => {
    assert.deepEqual(detectSelectorDocument(sel(cat('Management'))), { kind: 'advanced-array' });
    assert.deepEqual(detectSelectorDocument('[{"ReadWriteType":"All"}]'), { kind: 'basic-array', target: 'trail' });
    assert.deepEqual(detectSelectorDocument('{"TrailARN":"arn:aws:cloudtrail:us-east-1:1:trail/t","AdvancedEventSelectors":[]}'), { kind: 'object', target: 'trail' });
    assert.deepEqual(detectSelectorDocument('{"Name":"s","RetentionPeriod":7,"AdvancedEventSelectors":[]}'), { kind: 'object', target: 'event-data-store' });
    assert.deepEqual(detectSelectorDocument('{"Name":"s","MultiRegionEnabled":true,"AdvancedEventSelectors":[]}'), { kind: 'object', target: 'event-data-store' });
    assert.deepEqual(detectSelectorDocument('{"AdvancedEventSelectors":[]}'), { kind: 'object' });
  });
  it('leaves other JSON alone, but accepts any *.selectors.json', () => {
    assert.equal(detectSelectorDocument('{"Records":[{"eventName":"x"}]}', 'log.json'), undefined);
    assert.equal(detectSelectorDocument('[1,2,3]', 'data.json'), undefined);
    assert.equal(detectSelectorDocument('{"selectors": 1}', 'package.json'), undefined);
    assert.deepEqual(detectSelectorDocument('', 'mine.selectors.json'), { kind: 'empty' });
    assert.deepEqual(detectSelectorDocument('[]', 'mine.selectors.json'), { kind: 'advanced-array' });
    assert.deepEqual(validate('', { fileName: 'mine.selectors.json' }), []);
    assert.deepEqual(validate('{"Records":[]}', { fileName: 'x.json' }), []);
  });
  it('the document target wins over the option; the option is the fallback', () => {
    const t = JSON.stringify({ TrailName: 'my-trail', AdvancedEventSelectors: [{ FieldSelectors: [cat('Insight')] }] });
    assert.ok(codes(t, { target: 'event-data-store' }).includes('category-target'));
    const eds = JSON.stringify({ Name: 'store', RetentionPeriod: 90, AdvancedEventSelectors: [{ FieldSelectors: [cat('Insight')] }] });
    assert.deepEqual(codes(eds, { target: 'trail' }), []);
    assert.equal(analyze(eds).target, 'event-data-store');
    assert.equal(analyze(sel(cat('Insight')), { target: 'event-data-store' }).targetFromDocument, false);
  });
});

describe('structure rules', () => {
  it('json-syntax', () => {
    const t = '[{"FieldSelectors": [ {"Field": "eventCategory" "Equals": ["Data"]} ]}]';
    track(t);
    const d = diags(t).find((x) => x.code === 'json-syntax');
    assert.ok(d);
    assert.equal(t.slice(d.offset, d.offset + d.length), '"Equals"');
  });
  it('truncated and hostile input never throws', () => {
    const base = JSON.stringify([{ Name: 'n', FieldSelectors: [cat('Data'), S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'] }] }]);
    for (let i = 0; i <= base.length; i++) validate(base.slice(0, i), { fileName: 'x.selectors.json' });
    validate('['.repeat(5000), { fileName: 'x.selectors.json' });
    validate(JSON.stringify([{ FieldSelectors: [{ Field: '__proto__', Equals: ['constructor'] }] }]));
    validate(JSON.stringify({ AdvancedEventSelectors: { constructor: 1 }, EventSelectors: 'x' }));
  });
  it('key-case on selector, field selector, operator and root keys, with fixes', () => {
    const t = JSON.stringify([{ name: 'x', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] }], null, 2);
    track(t);
    const ds = diags(t).filter((d) => d.code === 'key-case');
    assert.deepEqual(ds.map((d) => t.slice(d.offset, d.offset + d.length)), ['"name"', '"fieldSelectors"', '"field"', '"equals"']);
    let fixed = t;
    for (const d of [...ds].reverse()) fixed = applyFix(fixed, d);
    noErrors(fixed);
    const root = '{"TrailName":"my-trail","advancedEventSelectors":[{"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}';
    const d = expectOne(root, 'key-case', '"advancedEventSelectors"');
    noErrors(applyFix(root, d));
  });
  it('unknown-key', () => {
    const t = sel(cat('Data'), { ...S3, Contains: ['x'] });
    track(t);
    expectOne(t, 'unknown-key', '"Contains"', {}, 'error');
  });
  it('selector-not-object, field-selector-not-object, not-array', () => {
    const t = '[ "oops", {"FieldSelectors": [ 42, {"Field":"eventCategory","Equals":["Management"]} ]}, {"FieldSelectors": {"Field":"x"}} ]';
    track(t);
    expectOne(t, 'selector-not-object', '"oops"', {}, 'error');
    expectOne(t, 'field-selector-not-object', '42', {}, 'error');
    expectOne(t, 'not-array', '{"Field":"x"}', {}, 'error');
    const op = sel(cat('Data'), S3, { Field: 'eventName', Equals: 'PutObject' });
    expectOne(op, 'not-array', '"PutObject"', {}, 'error');
  });
  it('name-invalid', () => {
    const t = JSON.stringify([{ Name: 'x'.repeat(1001), FieldSelectors: [cat('Management')] }]);
    track(t);
    expectOne(t, 'name-invalid', JSON.stringify('x'.repeat(1001)), {}, 'error');
    noErrors(JSON.stringify([{ Name: 'x'.repeat(1000), FieldSelectors: [cat('Management')] }]));
  });
  it('field-selectors-missing / field-selectors-empty (with eventCategory fixes)', () => {
    const o = { fileName: 'mine.selectors.json' };
    const t = '[{"Name": "n"}]';
    track(t, o);
    expectOne(t, 'field-selectors-missing', '{', o, 'error');
    const e = '[{"Name": "n", "FieldSelectors": []}]';
    track(e, o);
    const d = expectOne(e, 'field-selectors-empty', '[]', o, 'error');
    noErrors(applyFix(e, d, 'Add eventCategory Management'), o);
  });
  it('field-missing and field-pattern (non-string, too long)', () => {
    const t = '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Equals": ["x"]}]}]';
    track(t);
    expectOne(t, 'field-missing', '{"Equals": ["x"]}', {}, 'error');
    expectOne(sel(cat('Data'), S3, { Field: 7, Equals: ['x'] }), 'field-pattern', '7');
    expectOne(sel(cat('Data'), S3, { Field: 'a'.repeat(1001), Equals: ['x'] }), 'field-pattern', JSON.stringify('a'.repeat(1001)));
  });
  it('field-misspelt (wrong case and typo) with fix; field-unknown is a warning', () => {
    const t = sel(cat('Data'), S3, { Field: 'ResourcesARN', StartsWith: ['arn:aws:s3:::b/'] });
    track(t);
    noErrors(applyFix(t, expectOne(t, 'field-misspelt', '"ResourcesARN"', {}, 'error')).replace('ResourcesARN', 'resources.ARN'));
    const t2 = sel(cat('Data'), S3, { Field: 'eventname', Equals: ['PutObject'] });
    const d = expectOne(t2, 'field-misspelt', '"eventname"', {}, 'error');
    noErrors(applyFix(t2, d));
    const u = sel(cat('Data'), S3, { Field: 'eventTypeName', Equals: ['x'] });
    track(u);
    expectOne(u, 'field-unknown', '"eventTypeName"', {}, 'warning');
  });
  it('a misspelt eventCategory does not also report category-missing', () => {
    const t = sel({ Field: 'EventCategory', Equals: ['Data'] }, S3);
    assert.deepEqual(codes(t), ['field-misspelt']);
  });
});

describe('field / category / target rules', () => {
  it('field-not-allowed for the category (any target) and per target', () => {
    const t = sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }, { Field: 'readOnly', Equals: ['true'] });
    track(t);
    expectOne(t, 'field-not-allowed', '"readOnly"', {}, 'error');
    const m = sel(cat('Management'), { Field: 'eventName', Equals: ['CreateBucket'] });
    expectOne(m, 'field-not-allowed', '"eventName"', { target: 'trail' });
    noErrors(m, { target: 'event-data-store' });
    const ins = sel(cat('Insight'), { Field: 'eventName', Equals: ['x'] });
    expectOne(ins, 'field-not-allowed', '"eventName"', { target: 'event-data-store' });
  });
  it('data events accept the newer fields on trails', () => {
    noErrors(sel(cat('Data'), S3, { Field: 'eventType', NotEquals: ['AwsServiceEvent'] }, { Field: 'userIdentity.arn', StartsWith: ['arn:aws:iam::111122223333:'] }, { Field: 'sessionCredentialFromConsole', Equals: ['true'] }));
  });
  it('category value invalid with fix, category-multiple', () => {
    const t = sel(cat('data'), S3);
    track(t);
    const d = expectOne(t, 'value-invalid', '"data"', {}, 'error');
    noErrors(applyFix(t, d));
    const m = sel({ Field: 'eventCategory', Equals: ['Data', 'Management'] }, S3);
    track(m);
    expectOne(m, 'category-multiple', '"eventCategory"', {}, 'warning');
  });
  it('operator-not-allowed with Equals ["…*"] → StartsWith fix', () => {
    const t = sel(cat('Data'), S3, { Field: 'sessionCredentialFromConsole', StartsWith: ['t'] });
    expectOne(t, 'operator-not-allowed', '"StartsWith"');
    const w = sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::my-bucket/logs/*'] });
    const d = expectOne(w, 'wildcard', '"arn:aws:s3:::my-bucket/logs/*"', {}, 'error');
    const fixed = applyFix(w, d);
    assert.match(fixed, /"StartsWith": \[\s*"arn:aws:s3:::my-bucket\/logs\/"\s*\]/);
    noErrors(fixed);
    const ev = sel(cat('Data'), S3, { Field: 'eventName', Equals: ['Get*'] });
    const dw = expectOne(ev, 'wildcard', '"Get*"', {}, 'warning');
    noErrors(applyFix(ev, dw));
    const sw = sel(cat('Data'), S3, { Field: 'eventName', StartsWith: ['Get*'] });
    expectOne(sw, 'wildcard', '"Get*"', {}, 'warning');
  });
  it('value-not-string and value-too-long', () => {
    const t = sel(cat('Management'), { Field: 'readOnly', Equals: [true] });
    track(t);
    const d = expectOne(t, 'value-not-string', 'true', {}, 'error');
    noErrors(applyFix(t, d));
    const long = sel(cat('Data'), S3, { Field: 'eventName', Equals: ['x'.repeat(2049)] });
    track(long);
    expectOne(long, 'value-too-long', JSON.stringify('x'.repeat(2049)), {}, 'error');
    noErrors(sel(cat('Data'), S3, { Field: 'eventName', Equals: ['x'.repeat(2048)] }));
  });
  it('readOnly wrong case is fixed to lower case', () => {
    const t = sel(cat('Management'), { Field: 'readOnly', Equals: ['True'] });
    noErrors(applyFix(t, expectOne(t, 'value-invalid', '"True"')));
  });
});

describe('value rules', () => {
  it('resources.type: known, wrong case (error + fix), new-looking (warning), malformed (error)', () => {
    noErrors(sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::Bedrock::AgentAlias'] }));
    const wc = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::s3::object'] });
    noErrors(applyFix(wc, expectOne(wc, 'value-invalid', '"AWS::s3::object"', {}, 'error')));
    const nu = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::Brandnew::Widget'] });
    track(nu);
    expectOne(nu, 'value-unknown', '"AWS::Brandnew::Widget"', {}, 'warning');
    expectOne(sel(cat('Data'), { Field: 'resources.type', Equals: ['S3Object'] }), 'value-invalid', '"S3Object"', {}, 'error');
    const q = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::QApps:QApp'] });
    noErrors(applyFix(q, expectOne(q, 'value-invalid', '"AWS::QApps:QApp"')));
  });
  it('resources.type with two values warns', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object', 'AWS::Lambda::Function'] });
    expectOne(t, 'resources-type-multiple', '"AWS::Lambda::Function"', {}, 'warning');
  });
  it('resources-type-missing: the inserted fix makes the selector valid', () => {
    const t = sel(cat('Data'), { Field: 'readOnly', Equals: ['false'] });
    const d = expectOne(t, 'resources-type-missing', '"Data"');
    const fixed = applyFix(t, d, 'Add resources.type AWS::Lambda::Function');
    noErrors(fixed);
    assert.ok(JSON.parse(fixed)[0].FieldSelectors.some((f: { Field: string; Equals?: string[] }) => f.Field === 'resources.type' && f.Equals?.[0] === 'AWS::Lambda::Function'));
    // Inline layout stays inline.
    const inline = '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}]}]';
    const fixedInline = applyFix(inline, expectOne(inline, 'resources-type-missing', '"Data"'));
    assert.equal(fixedInline.split('\n').length, 1);
    noErrors(fixedInline);
  });
  it('resources-type-missing: the first fix is the type the other fields point at', () => {
    const first = (t: string) => {
      const d = expectOne(t, 'resources-type-missing', '"Data"');
      const preferred = d.fixes?.filter((f) => f.preferred).map((f) => f.title);
      assert.deepEqual(preferred, [d.fixes?.[0].title], 'the first fix is the preferred one');
      return d.fixes?.[0].title;
    };
    assert.equal(first(sel(cat('Data'), { Field: 'eventName', Equals: ['Invoke'] })), 'Add resources.type AWS::Lambda::Function');
    assert.equal(first(sel(cat('Data'), { Field: 'eventName', Equals: ['PutItem', 'GetItem'] })), 'Add resources.type AWS::DynamoDB::Table');
    assert.equal(first(sel(cat('Data'), { Field: 'eventName', Equals: ['Publish'] })), 'Add resources.type AWS::SNS::Topic');
    assert.equal(first(sel(cat('Data'), { Field: 'eventSource', Equals: ['lambda.amazonaws.com'] })), 'Add resources.type AWS::Lambda::Function');
    assert.equal(first(sel(cat('Data'), { Field: 'resources.ARN', StartsWith: ['arn:aws:dynamodb:us-east-1:123456789012:table/orders'] })), 'Add resources.type AWS::DynamoDB::Table');
    assert.equal(first(sel(cat('Data'), { Field: 'resources.ARN', StartsWith: ['arn:aws:sqs:us-east-1:123456789012:jobs'] })), 'Add resources.type AWS::SQS::Queue');
    // Nothing to go by: S3 objects first, as before; the basic types are always offered.
    const plain = sel(cat('Data'), { Field: 'readOnly', Equals: ['true'] });
    assert.equal(first(plain), 'Add resources.type AWS::S3::Object');
    const titles = expectOne(plain, 'resources-type-missing', '"Data"').fixes!.map((f) => f.title);
    for (const t of ['AWS::S3::Object', 'AWS::Lambda::Function', 'AWS::DynamoDB::Table']) assert.ok(titles.includes(`Add resources.type ${t}`), t);
    // The chosen fix makes the selector valid.
    const invoke = sel(cat('Data'), { Field: 'eventName', Equals: ['Invoke'] });
    noErrors(applyFix(invoke, expectOne(invoke, 'resources-type-missing', '"Data"')));
  });
  it('arn-format messages read "an ARN of an AWS::… resource"', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::bucket/key'] });
    const d = expectOne(t, 'arn-format', '"arn:aws:s3:::bucket/key"');
    assert.match(d.message, /an ARN of an AWS::Lambda::Function resource/);
    assert.doesNotMatch(d.message, /\ba AWS::/);
  });
  it('event-source-missing: the fix inserts a network source', () => {
    const t = sel(cat('NetworkActivity'), { Field: 'errorCode', Equals: ['VpceAccessDenied'] });
    track(t);
    const fixed = applyFix(t, expectOne(t, 'event-source-missing', '"NetworkActivity"'), 'Add eventSource kms.amazonaws.com');
    noErrors(fixed);
  });
  it('network eventSource: known, listed, unknown-but-plausible, invalid', () => {
    noErrors(sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['secretsmanager.amazonaws.com'] }));
    noErrors(sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['s3.amazonaws.com'] }));
    expectOne(sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['newsvc.amazonaws.com'] }), 'value-unknown', '"newsvc.amazonaws.com"', {}, 'warning');
    expectOne(sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['kms'] }), 'value-invalid', '"kms"', {}, 'error');
  });
  it('errorCode and eventType values', () => {
    noErrors(sel(cat('Management'), { Field: 'eventType', NotEquals: ['AwsServiceEvent'] }), { target: 'event-data-store' });
    const t = sel(cat('Management'), { Field: 'eventType', NotEquals: ['awsserviceevent'] });
    noErrors(applyFix(t, expectOne(t, 'value-invalid', '"awsserviceevent"', { target: 'event-data-store' }), undefined), { target: 'event-data-store' });
    expectOne(sel(cat('Management'), { Field: 'eventType', Equals: ['SomethingNew'] }), 'value-unknown', '"SomethingNew"', { target: 'event-data-store' }, 'warning');
  });
  it('eventName written as an IAM action', () => {
    const t = sel(cat('Data'), S3, { Field: 'eventName', Equals: ['s3:GetObject'] });
    noErrors(applyFix(t, expectOne(t, 'value-unknown', '"s3:GetObject"', {}, 'warning')));
  });
  it('arn-not-supported for X-Ray traces', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::XRay::Trace'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:xray'] });
    track(t);
    expectOne(t, 'arn-not-supported', '"arn:aws:xray"', {}, 'error');
  });
  it('arn-format: wrong service is an error, odd shape a warning, right format quiet', () => {
    const lambda = { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] };
    noErrors(sel(cat('Data'), lambda, { Field: 'resources.ARN', Equals: ['arn:aws:lambda:us-east-1:111122223333:function:hello'] }));
    expectOne(sel(cat('Data'), lambda, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::bucket/'] }), 'arn-format', '"arn:aws:s3:::bucket/"', {}, 'error');
    expectOne(sel(cat('Data'), lambda, { Field: 'resources.ARN', Equals: ['arn:aws:lambda:us-east-1:111122223333:hello'] }), 'arn-format', '"arn:aws:lambda:us-east-1:111122223333:hello"', {}, 'warning');
    expectOne(sel(cat('Data'), lambda, { Field: 'resources.ARN', Equals: ['hello'] }), 'arn-format', '"hello"', {}, 'error');
    // Partial matches are the point of StartsWith.
    noErrors(sel(cat('Data'), lambda, { Field: 'resources.ARN', StartsWith: ['arn:aws:lambda:us-east-1:111122223333:function:dev-'] }));
  });
  it('s3-arn-slash: StartsWith warns, Equals errors, fix adds the slash', () => {
    const t = sel(cat('Data'), S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::my-bucket'] });
    track(t);
    const d = expectOne(t, 's3-arn-slash', '"arn:aws:s3:::my-bucket"', {}, 'warning');
    const fixed = applyFix(t, d);
    assert.ok(fixed.includes('"arn:aws:s3:::my-bucket/"'));
    noErrors(fixed);
    expectOne(sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::my-bucket'] }), 's3-arn-slash', '"arn:aws:s3:::my-bucket"', {}, 'error');
    const basic = JSON.stringify([{ DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::my-bucket'] }] }]);
    noErrors(applyFix(basic, expectOne(basic, 's3-arn-slash', '"arn:aws:s3:::my-bucket"')));
  });
  it('userIdentity.arn and vpcEndpointId sanity warnings', () => {
    expectOne(sel(cat('Data'), S3, { Field: 'userIdentity.arn', Equals: ['alice'] }), 'value-unknown', '"alice"', {}, 'warning');
    expectOne(sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['kms.amazonaws.com'] }, { Field: 'vpcEndpointId', Equals: ['0123'] }), 'value-unknown', '"0123"', {}, 'warning');
  });
});

describe('selector-level rules', () => {
  it('contradiction: Equals cancelled by NotEquals / NotStartsWith; disjoint Equals', () => {
    const t = sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::b/k'] }, { Field: 'resources.ARN', NotEquals: ['arn:aws:s3:::b/k'] });
    track(t);
    expectOne(t, 'contradiction', '"arn:aws:s3:::b/k"', {}, 'warning');
    const p = sel(cat('Data'), S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/logs/'], NotStartsWith: ['arn:aws:s3:::b/'] });
    expectOne(p, 'contradiction', '"arn:aws:s3:::b/logs/"', {}, 'warning');
    const two = sel(cat('Data'), S3, { Field: 'eventName', Equals: ['GetObject'] }, { Field: 'eventName', Equals: ['PutObject'] });
    const d = expectOne(two, 'contradiction', '"Equals"', {}, 'warning');
    assert.ok(d.offset > two.indexOf('GetObject'));
    // Not contradictory: exclusion narrower than inclusion.
    noErrors(sel(cat('Data'), S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'], NotStartsWith: ['arn:aws:s3:::b/tmp/'] }));
  });
  it('duplicate-selector (order of field selectors and values ignored) and duplicate-field-selector', () => {
    const t = JSON.stringify([
      { Name: 'a', FieldSelectors: [cat('Management'), { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }] },
      { Name: 'b', FieldSelectors: [{ Field: 'eventSource', NotEquals: ['rdsdata.amazonaws.com', 'kms.amazonaws.com'] }, cat('Management')] },
    ], null, 1);
    track(t);
    expectOne(t, 'duplicate-selector', '"b"', {}, 'warning');
    const f = sel(cat('Data'), S3, { Field: 'readOnly', Equals: ['true'] }, { Field: 'readOnly', Equals: ['true'] });
    track(f);
    const d = expectOne(f, 'duplicate-field-selector', '"readOnly"', {}, 'warning');
    assert.ok(d.offset > f.indexOf('readOnly'));
  });
  it('selector-count: more than 5 on an event data store only', () => {
    const six = JSON.stringify(Array.from({ length: 6 }, (_, i) => ({ Name: `s${i}`, FieldSelectors: [cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'eventName', Equals: [`Api${i}`] }] })));
    track(six, { target: 'event-data-store' });
    expectOne(six, 'selector-count', '"s5"', { target: 'event-data-store' }, 'error');
    assert.ok(!codes(six, { target: 'trail' }).includes('selector-count'));
  });
  it('value-count hint shows the running count', () => {
    const a = analyze(sel(cat('Management'), { Field: 'eventSource', NotEquals: ['kms.amazonaws.com', 'rdsdata.amazonaws.com'] }));
    assert.equal(a.valueCount, 3);
    const h = a.diagnostics.find((d) => d.code === 'value-count');
    assert.equal(h?.severity, 'hint');
    assert.match(h!.message, /^3 of 500 values/);
    seenCodes.add('value-count');
  });
  it('trail-name', () => {
    for (const bad of ['ab', 'my--namespace', 'my-_namespace', '-abc', '192.168.0.1']) {
      const t = JSON.stringify({ TrailName: bad, AdvancedEventSelectors: [{ FieldSelectors: [cat('Management')] }] });
      track(t);
      expectOne(t, 'trail-name', JSON.stringify(bad), {}, 'error');
    }
    for (const good of ['my-trail', 'a.b_c-d', 'arn:aws:cloudtrail:us-east-2:123456789012:trail/MyTrail']) {
      noErrors(JSON.stringify({ TrailName: good, AdvancedEventSelectors: [{ FieldSelectors: [cat('Management')] }] }));
    }
  });
});

describe('log bucket loop', () => {
  const allS3 = { Name: 'all S3', FieldSelectors: [cat('Data'), S3] };
  it('flags all-S3 data selectors when the bucket is in the document (S3BucketName)', () => {
    const t = JSON.stringify({ TrailName: 'my-trail', S3BucketName: 'trail-logs', AdvancedEventSelectors: [allS3] }, null, 2);
    track(t);
    const d = expectOne(t, 'log-bucket-loop', '"all S3"', {}, 'warning');
    const fixed = applyFix(t, d);
    assert.deepEqual(validate(fixed).filter((x) => x.severity !== 'hint'), []);
    assert.ok(fixed.includes('"NotStartsWith": ["arn:aws:s3:::trail-logs/"]'));
  });
  it('uses the logBucket option and respects filters that exclude the bucket', () => {
    const t = JSON.stringify([allS3]);
    assert.ok(codes(t, { logBucket: 'trail-logs' }).includes('log-bucket-loop'));
    assert.ok(!codes(t).includes('log-bucket-loop'), 'unknown bucket: no warning');
    const readOnly = JSON.stringify([{ FieldSelectors: [cat('Data'), S3, { Field: 'readOnly', Equals: ['true'] }] }]);
    assert.ok(!codes(readOnly, { logBucket: 'trail-logs' }).includes('log-bucket-loop'), 'CloudTrail only writes');
    const other = JSON.stringify([{ FieldSelectors: [cat('Data'), S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::data-bucket/'] }] }]);
    assert.ok(!codes(other, { logBucket: 'trail-logs' }).includes('log-bucket-loop'));
    const same = JSON.stringify([{ FieldSelectors: [cat('Data'), S3, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::trail-logs/'] }] }]);
    assert.ok(codes(same, { logBucket: 'trail-logs' }).includes('log-bucket-loop'));
  });
  it('basic selectors too', () => {
    const t = JSON.stringify({ TrailName: 'my-trail', S3BucketName: 'trail-logs', EventSelectors: [{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] });
    expectOne(t, 'log-bucket-loop', '"arn:aws:s3"', {}, 'warning');
    const ro = JSON.stringify({ TrailName: 'my-trail', S3BucketName: 'trail-logs', EventSelectors: [{ ReadWriteType: 'ReadOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] });
    assert.ok(!codes(ro).includes('log-bucket-loop'));
  });
});

describe('basic selector rules', () => {
  it('basic-on-event-data-store', () => {
    const t = JSON.stringify({ Name: 'store', RetentionPeriod: 7, EventSelectors: [{ ReadWriteType: 'All' }] });
    track(t);
    expectOne(t, 'basic-on-event-data-store', '"EventSelectors"', {}, 'error');
  });
  it('basic-selector-count and basic-data-resource-count', () => {
    const six = JSON.stringify(Array.from({ length: 6 }, () => ({ ReadWriteType: 'All' })));
    track(six);
    expectOne(six, 'basic-selector-count', '{"ReadWriteType":"All"}', {}, 'error');
    const values = Array.from({ length: 251 }, (_, i) => `arn:aws:s3:::bucket-${i}/`);
    const many = JSON.stringify([{ DataResources: [{ Type: 'AWS::S3::Object', Values: values }] }]);
    track(many);
    expectOne(many, 'basic-data-resource-count', '"arn:aws:s3:::bucket-250/"', {}, 'error');
    // The "all resources" prefix does not count.
    noErrors(JSON.stringify([{ DataResources: [{ Type: 'AWS::S3::Object', Values: [...values.slice(0, 250), 'arn:aws:s3'] }] }]));
  });
  it('basic-value, basic-exclude-source, basic-resource-type', () => {
    const t = JSON.stringify([{ IncludeManagementEvents: 'true', ExcludeManagementEventSources: ['s3.amazonaws.com'], DataResources: [{ Type: 'AWS::SNS::Topic', Values: ['arn:aws:sns'] }] }]);
    track(t);
    noErrors(applyFix(JSON.stringify([{ IncludeManagementEvents: 'true' }]), expectOne(JSON.stringify([{ IncludeManagementEvents: 'true' }]), 'basic-value', '"true"')));
    expectOne(t, 'basic-exclude-source', '"s3.amazonaws.com"', {}, 'error');
    const d = expectOne(t, 'basic-resource-type', '"AWS::SNS::Topic"', {}, 'error');
    assert.ok(d.fixes?.[0].title.startsWith('Convert'));
  });
  it('convert basic selectors: root array, object, and merge when mixed', () => {
    const basic = [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'], DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::b/'] }, { Type: 'AWS::Lambda::Function', Values: ['arn:aws:lambda'] }] }];
    const rootText = JSON.stringify(basic, null, 2);
    const fix = convertBasicFix(rootText)!;
    const out = JSON.parse(applyTextEdits(rootText, fix.edits));
    assert.deepEqual(out.map((s: { FieldSelectors: unknown }) => s.FieldSelectors), [
      [cat('Management'), { Field: 'readOnly', Equals: ['false'] }, { Field: 'eventSource', NotEquals: ['kms.amazonaws.com'] }],
      [cat('Data'), S3, { Field: 'readOnly', Equals: ['false'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'] }],
      [cat('Data'), { Field: 'resources.type', Equals: ['AWS::Lambda::Function'] }, { Field: 'readOnly', Equals: ['false'] }],
    ]);
    noErrors(applyTextEdits(rootText, fix.edits));
    const objText = JSON.stringify({ TrailName: 'my-trail', EventSelectors: basic }, null, 2);
    const objOut = applyTextEdits(objText, convertBasicFix(objText)!.edits);
    assert.deepEqual(Object.keys(JSON.parse(objOut)), ['TrailName', 'AdvancedEventSelectors']);
    noErrors(objOut);
    const mixed = JSON.stringify({ TrailName: 'my-trail', EventSelectors: basic, AdvancedEventSelectors: [{ Name: 'x', FieldSelectors: [cat('Data'), { Field: 'resources.type', Equals: ['AWS::SNS::Topic'] }] }] }, null, 2);
    const mOut = applyFix(mixed, expectOne(mixed, 'mixed-selectors', '"EventSelectors"'));
    const parsed = JSON.parse(mOut);
    assert.equal(parsed.EventSelectors, undefined);
    assert.equal(parsed.AdvancedEventSelectors.length, 4);
    assert.equal(parsed.AdvancedEventSelectors[0].Name, 'x');
    noErrors(mOut);
  });
});

describe('catalogue of codes', () => {
  it('every diagnostic code in DIAGNOSTIC_CODES is produced by some test above', () => {
    // Codes produced only by tests in the other files of this folder.
    for (const t of [
      sel({ Field: 'readOnly', Equals: ['true'] }), sel(cat('Data')), sel(cat('Data'), S3, { Field: 'eventName' }),
      sel(cat('Data'), S3, { Field: 'eventName', Equals: [] }), sel(cat('Data'), S3, { Field: 'eventName', Equals: [''] }),
      sel(cat('Data'), S3, { Field: 'event*Name', Equals: ['x'] }), sel(cat('Insight')),
      sel(cat('NetworkActivity'), { Field: 'eventSource', Equals: ['kms.amazonaws.com', 'ec2.amazonaws.com'] }),
      sel(cat('Data'), S3, S3), sel(cat('Data'), { Field: 'resources.type', StartsWith: ['AWS::S3'] }),
      sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::b/*'] }),
      sel(cat('Management'), { Field: 'userIdentity.arn', Equals: ['arn:aws:iam::1:user/a'] }),
      sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['hello'] }),
      JSON.stringify({ TrailName: 'tt-t', EventSelectors: [], AdvancedEventSelectors: [] }),
      JSON.stringify([{ FieldSelectors: [cat('Data'), S3, { Field: 'eventName', Equals: Array.from({ length: 600 }, (_, i) => `A${i}`) }] }]),
      JSON.stringify([{ ReadWriteType: 'read-only', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::*'] }, { Type: 'AWS::S3::Object', Values: [] }] }]),
      sel(cat('Data'), S3, { Field: 'eventName', Equals: ['x'.repeat(3000)] }),
      '[ // c\n{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]},]}]', '['.repeat(100),
    ]) track(t);
    const missing = Object.keys(DIAGNOSTIC_CODES).filter((c) => !seenCodes.has(c));
    assert.deepEqual(missing, []);
  });
});
