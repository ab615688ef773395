/** Completion and hover at given positions (the cursor is where `|` is in each fixture). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { applyTextEdits, complete, hover, RESOURCE_TYPES, validate, type SelectorCompletion, type ValidateOptions } from '../../../src/core/selectors';

function at(src: string, options: ValidateOptions = {}): { items: SelectorCompletion[]; text: string; offset: number } {
  const offset = src.indexOf('|');
  assert.ok(offset >= 0);
  const text = src.slice(0, offset) + src.slice(offset + 1);
  return { items: complete(text, offset, options), text, offset };
}
const labels = (items: SelectorCompletion[]) => items.map((i) => i.label);

/** Applies an item (snippet placeholders reduced to their default text) and returns the new text. */
function accept(text: string, item: SelectorCompletion): string {
  let insert = item.insertText;
  if (item.snippet) {
    // Placeholders take their default (first choice); bare $n mirrors that placeholder's default.
    const defaults = new Map<string, string>();
    insert = insert
      .replace(/\$\{(\d+)\|([^,|]*)[^}]*\|\}/g, (_m, n: string, v: string) => (defaults.set(n, v), v))
      .replace(/\$\{(\d+):([^}]*)\}/g, (_m, n: string, v: string) => (defaults.set(n, v), v))
      .replace(/\$(\d+)/g, (_m, n: string) => defaults.get(n) ?? '');
  }
  return applyTextEdits(text, [{ offset: item.range.offset, length: item.range.length, newText: insert }]);
}

describe('completion', () => {
  it('field names allowed for the category and target', () => {
    const mgmt = '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "|"}]}]';
    assert.deepEqual(labels(at(mgmt).items).sort(), ['eventSource', 'readOnly']);
    assert.deepEqual(labels(at(mgmt, { target: 'event-data-store' }).items).sort(), ['eventName', 'eventSource', 'eventType', 'readOnly', 'sessionCredentialFromConsole', 'userIdentity.arn']);
    const net = '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, {"Field": "ev|"}]}]';
    assert.deepEqual(labels(at(net).items).sort(), ['errorCode', 'eventName', 'eventSource', 'vpcEndpointId']);
  });
  it('replaces the whole string token under the cursor', () => {
    const { items, text } = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resou|rces"}]}]');
    const t = items.find((i) => i.label === 'resources.type')!;
    assert.equal(text.slice(t.range.offset, t.range.offset + t.range.length), '"resources"');
    assert.match(accept(text, t), /\{"Field": "resources.type"\}/);
  });
  it('operators allowed for the field (keys of a field selector)', () => {
    const { items } = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", |}]}]');
    assert.deepEqual(labels(items), ['Equals']);
    const arn = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.ARN", "StartsWith": ["x"], |}]}]');
    assert.deepEqual(labels(arn.items), ['Equals', 'EndsWith', 'NotEquals', 'NotStartsWith', 'NotEndsWith']);
    const src = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}, {"Field": "eventSource", |}]}]');
    assert.deepEqual(labels(src.items), ['NotEquals']);
    const accepted = accept(src.text, src.items[0]);
    assert.match(accepted, /"NotEquals": \[""\]/);
  });
  it('eventCategory values per target', () => {
    assert.deepEqual(labels(at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["|"]}]}]').items), ['Management', 'Data', 'NetworkActivity']);
    assert.equal(at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["|"]}]}]', { target: 'event-data-store' }).items.length, 7);
  });
  it('readOnly, errorCode and network eventSource values', () => {
    assert.deepEqual(labels(at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "readOnly", "Equals": [|]}]}]').items), ['true', 'false']);
    assert.deepEqual(labels(at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, {"Field": "errorCode", "Equals": ["|"]}]}]').items), ['VpceAccessDenied']);
    const src = labels(at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, {"Field": "eventSource", "Equals": ["|"]}]}]').items);
    for (const s of ['cloudtrail.amazonaws.com', 'ec2.amazonaws.com', 'kms.amazonaws.com', 'secretsmanager.amazonaws.com']) assert.ok(src.includes(s));
  });
  it('all resources.type values with their service', () => {
    const { items } = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["|"]}]}]');
    assert.equal(items.length, Object.keys(RESOURCE_TYPES).length);
    const s3 = items.find((i) => i.label === 'AWS::S3::Object')!;
    assert.match(s3.detail!, /Amazon S3/);
    assert.match(s3.documentation!, /arn:<partition>:s3:::<bucket_name>\//);
  });
  it('eventName suggestions for the selected resource type', () => {
    const { items } = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::Lambda::Function"]}, {"Field": "eventName", "Equals": ["|"]}]}]');
    assert.deepEqual(labels(items), ['Invoke', 'InvokeWithResponseStream']);
  });
  it('ARN templates for resources.ARN of the selected type', () => {
    const { items, text } = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::DynamoDB::Table"]}, {"Field": "resources.ARN", "Equals": [|]}]}]');
    assert.deepEqual(labels(items), ['arn:aws:dynamodb:<region>:<account_ID>:table/<table_name>']);
    const out = accept(text, items[0]);
    assert.ok(out.includes('"arn:aws:dynamodb:region:account_ID:table/table_name"'));
  });
  it('selector snippets where a selector can go, with commas', () => {
    const { items, text } = at('[\n  {"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}\n  |\n]');
    const want = ['Log all data events of a type', 'S3 writes for one bucket', 'Management events without KMS and RDS Data API', 'Network activity denied at VPC endpoints',
      'Lambda invocations of one function', 'DynamoDB data events', 'Exclude AWS service events', 'IoT thing data events', 'IoT Greengrass PutCertificateAuthorities calls', 'All Greengrass data events'];
    assert.deepEqual(labels(items), want);
    for (const item of items) {
      const out = accept(text, item).replace(/\t/g, '  ');
      const parsed = JSON.parse(out);
      assert.ok(parsed.length >= 2, item.label);
      const problems = validate(out, { logBucket: undefined }).filter((d) => d.severity === 'error');
      assert.deepEqual(problems.map((p) => p.message), [], item.label);
    }
  });
  it('field selector snippets inside FieldSelectors, limited to the category', () => {
    const { items, text } = at('[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["NetworkActivity"]}, |]}]');
    assert.deepEqual(labels(items).map((l) => /"Field": "([^"]+)"/.exec(l)![1]).sort(), ['errorCode', 'eventName', 'eventSource', 'vpcEndpointId']);
    const src = items.find((i) => i.label.includes('"eventSource"'))!;
    const out = accept(text, src);
    assert.deepEqual(JSON.parse(out)[0].FieldSelectors[1], { Field: 'eventSource', Equals: ['cloudtrail.amazonaws.com'] });
  });
  it('document snippets in an empty *.selectors.json, none in other JSON', () => {
    const items = complete('', 0, { fileName: 'team.selectors.json' });
    assert.deepEqual(labels(items), ['Advanced event selectors (array for --advanced-event-selectors)', 'put-event-selectors document (--cli-input-json)']);
    for (const i of items) {
      const out = accept('', i).replace(/\t/g, '  ');
      assert.deepEqual(validate(out, { fileName: 'team.selectors.json' }).filter((d) => d.severity === 'error'), [], i.label);
    }
    assert.deepEqual(complete('{"Records": []}', 1, { fileName: 'x.json' }), []);
  });
});

describe('hover', () => {
  const doc = '[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Data"]}, {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}, {"Field": "resources.ARN", "StartsWith": ["arn:aws:s3:::b/"]}]}]';
  const h = (needle: string, opts: ValidateOptions = {}) => hover(doc, doc.indexOf(needle) + 2, opts);
  it('a resources.type shows its service and ARN format', () => {
    const r = h('"AWS::S3::Object"')!;
    assert.match(r.markdown, /Amazon S3/);
    assert.match(r.markdown, /arn:<partition>:s3:::<bucket_name>\//);
    assert.equal(doc.slice(r.offset, r.offset + r.length), '"AWS::S3::Object"');
  });
  it('fields, operators and category values', () => {
    assert.match(h('"resources.ARN"')!.markdown, /trailing `\/`/);
    assert.match(h('"StartsWith"')!.markdown, /begins with/);
    assert.match(h('"Data"')!.markdown, /resources\.type/);
    assert.equal(hover('{"Records": []}', 3), undefined);
  });
});
