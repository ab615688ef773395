/** Snippets in CloudFormation YAML/JSON templates and Terraform files: offered at the right places, and valid once inserted. */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import type { Parser } from 'web-tree-sitter';
import { cloudFormationJsonSnippets, cloudFormationYamlSnippets, terraformSnippets } from '../../../src/core/selectors/templateSnippets';
import { completeCloudFormation, readCloudFormation, validateCloudFormation } from '../../../src/core/selectors/cloudformation';
import { loadHclParser, readTerraform, validateTerraform } from '../../../src/core/selectors/terraform';
import type { SelectorCompletion } from '../../../src/core/selectors';

/** A snippet as VS Code inserts it with every placeholder left at its default (first choice) and the line's leading whitespace. */
function insert(text: string, item: SelectorCompletion): string {
  const values = new Map<string, string>();
  let body = item.insertText.replace(/\$\{(\d+)(?::([^}]*)|\|([^|]*)\|)\}/g, (_m, n: string, def?: string, choices?: string) => {
    const v = def ?? choices!.split(',')[0];
    if (!values.has(n)) values.set(n, v);
    return values.get(n)!;
  });
  body = body.replace(/\$(\d+)/g, (_m, n: string) => values.get(n) ?? '');
  const ls = text.lastIndexOf('\n', item.range.offset - 1) + 1;
  const lead = /^[ \t]*/.exec(text.slice(ls, item.range.offset))![0];
  body = body.split('\n').map((l, i) => (i && l ? lead + l : l)).join('\n');
  return text.slice(0, item.range.offset) + body + text.slice(item.range.offset + item.range.length);
}
// log-bucket-loop is left out: a "log all S3 objects" snippet in a trail that writes to an S3 bucket rightly gets that
// warning (the snippet cannot know the bucket); every other error or warning counts.
const errors = (ds: { severity: string; code: string; message: string }[]) => ds.filter((d) => (d.severity === 'error' || d.severity === 'warning') && d.code !== 'log-bucket-loop').map((d) => `${d.code}: ${d.message}`);

let parser: Parser;
before(async () => {
  parser = await loadHclParser();
});

describe('template snippets', () => {
  const yaml = "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: b\n  ";
  it('CloudFormation YAML: resources under Resources, valid once inserted', () => {
    const items = cloudFormationYamlSnippets(yaml, yaml.length);
    assert.deepEqual(items.map((i) => i.label), ['CloudTrail trail with advanced event selectors', 'CloudTrail event data store with advanced event selectors']);
    for (const it of items) {
      const text = insert(yaml, it);
      const t = readCloudFormation(text);
      assert.equal(t.error, undefined, text);
      assert.equal(t.resources.length, 1, text);
      assert.equal(t.resources[0].advanced?.value.t, 'list');
      assert.deepEqual(errors(validateCloudFormation(text)), [], text);
    }
    // Not inside another resource's properties, not at the top level.
    assert.deepEqual(cloudFormationYamlSnippets(yaml + 'Tra', yaml.length + 3).map((i) => i.range.length), [3, 3], 'a typed word is replaced');
    const inBucket = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      ";
    assert.deepEqual(cloudFormationYamlSnippets(inBucket, inBucket.length), []);
    assert.deepEqual(cloudFormationYamlSnippets('Resources:\n', 'Resources:\n'.length), []);
  });

  it('CloudFormation YAML: the common selectors as items of a CloudTrail resource\'s AdvancedEventSelectors', () => {
    const base = "Resources:\n  Trail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n      S3BucketName: logs\n      IsLogging: true\n      AdvancedEventSelectors:\n        - Name: mgmt\n          FieldSelectors:\n            - Field: eventCategory\n              Equals: [Management]\n        ";
    const items = cloudFormationYamlSnippets(base, base.length);
    assert.ok(items.length >= 8, items.map((i) => i.label).join(', '));
    for (const it of items) {
      const text = insert(base, it);
      assert.deepEqual(errors(validateCloudFormation(text)), [], `${it.label}\n${text}`);
      assert.ok(readCloudFormation(text).resources[0].advanced!.value.t === 'list');
    }
    // Same selectors written at the key's column.
    const flush = base.replace(/\n {8}- Name/, '\n      - Name').replace(/\n {10}/g, '\n        ').replace(/\n {12}/g, '\n          ').replace(/\n {14}/g, '\n            ').replace(/ {8}$/, '      - ');
    assert.ok(cloudFormationYamlSnippets(flush, flush.length).length >= 8, flush);
    // Not for another resource type.
    const sns = base.replace('AWS::CloudTrail::Trail', 'AWS::SNS::Topic');
    assert.deepEqual(cloudFormationYamlSnippets(sns, sns.length), []);
  });

  it('CloudFormation JSON: resources as members of Resources, valid once inserted (with the commas they need)', () => {
    const head = '{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {\n    "Bucket": {\n      "Type": "AWS::S3::Bucket",\n      "Properties": { "BucketName": "b" }\n    }';
    // After the last resource (with and without its comma), before the first one, in an empty Resources object,
    // and over a key being typed.
    const cases: [string, number][] = [];
    for (const t of [head + ',\n    \n  }\n}\n', head + '\n    \n  }\n}\n']) cases.push([t, t.indexOf('\n    \n') + 5]);
    const first = head.replace('"Resources": {\n', '"Resources": {\n    \n') + '\n  }\n}\n';
    cases.push([first, first.indexOf('\n    \n') + 5]);
    const empty = '{ "AWSTemplateFormatVersion": "2010-09-09", "Resources": {  } }';
    cases.push([empty, empty.indexOf('{  }') + 2]);
    const typed = head + ',\n    "Clo"\n  }\n}\n';
    cases.push([typed, typed.indexOf('"Clo"') + 4]);
    for (const [tpl, at] of cases) {
      const items = cloudFormationJsonSnippets(tpl, at);
      assert.deepEqual(items.map((i) => i.label), ['CloudTrail trail with advanced event selectors', 'CloudTrail event data store with advanced event selectors'], tpl);
      for (const it of items) {
        const text = insert(tpl, it);
        const t = readCloudFormation(text, true);
        assert.equal(t.error, undefined, text);
        assert.doesNotThrow(() => JSON.parse(text), text);
        const ct = t.resources.filter((r) => r.type.startsWith('AWS::CloudTrail::'));
        assert.equal(ct.length, 1, text);
        assert.equal(ct[0].advanced?.value.t, 'list');
        assert.deepEqual(errors(validateCloudFormation(text, { json: true })), [], text);
      }
    }
    assert.equal(cloudFormationJsonSnippets(typed, typed.indexOf('"Clo"') + 4)[0].range.length, 5, 'the typed key is replaced');
    // Not inside a resource, its properties, another top-level section, or at the top level.
    const inBucket = head.replace('{ "BucketName": "b" }', '{ "BucketName": "b",  }') + '\n  }\n}\n';
    assert.deepEqual(cloudFormationJsonSnippets(inBucket, inBucket.indexOf(',  }') + 2), []);
    assert.deepEqual(cloudFormationJsonSnippets(inBucket, inBucket.indexOf('"Type"')), []);
    const params = '{ "Parameters": {  }, "Resources": {} }';
    assert.deepEqual(cloudFormationJsonSnippets(params, params.indexOf('{  }') + 2), []);
    assert.deepEqual(cloudFormationJsonSnippets(params, 1), []);
  });

  it('CloudFormation JSON: the common selectors as items of a CloudTrail resource\'s AdvancedEventSelectors', () => {
    const tpl = (type: string, items: string) => `{\n  "Resources": {\n    "Trail": {\n      "Type": "${type}",\n      "Properties": {\n        "S3BucketName": "logs",\n        "IsLogging": true,\n        "AdvancedEventSelectors": [${items}]\n      }\n    }\n  }\n}\n`;
    const mgmt = '{ "Name": "mgmt", "FieldSelectors": [ { "Field": "eventCategory", "Equals": ["Management"] } ] }';
    for (const [type, items, where] of [
      ['AWS::CloudTrail::Trail', `\n          ${mgmt},\n          \n        `, '\n          \n'],
      ['AWS::CloudTrail::Trail', `\n          ${mgmt}\n          \n        `, '\n          \n'],
      ['AWS::CloudTrail::Trail', '\n          \n        ', '\n          \n'],
      ['AWS::CloudTrail::EventDataStore', `\n          \n          ${mgmt}\n        `, '\n          \n'],
    ] as const) {
      const base = tpl(type, items);
      const at = base.indexOf(where) + where.length - 1;
      const got = cloudFormationJsonSnippets(base, at);
      assert.ok(got.length >= 8, `${got.map((i) => i.label).join(', ')}\n${base}`);
      for (const it of got) {
        const text = insert(base, it);
        assert.doesNotThrow(() => JSON.parse(text), `${it.label}\n${text}`);
        assert.deepEqual(errors(validateCloudFormation(text, { json: true })), [], `${it.label}\n${text}`);
        const adv = readCloudFormation(text, true).resources[0].advanced!.value;
        assert.ok(adv.t === 'list' && adv.items.length === (items.includes('mgmt') ? 1 : 0) + (it.insertText.match(/"FieldSelectors"/g) ?? []).length, text);
      }
      // The embedded selector JSON offers no snippets of its own there (so none are offered twice).
      assert.deepEqual(completeCloudFormation(base, at, { json: true }).filter((i) => i.kind === 'snippet'), []);
    }
    const base = tpl('AWS::CloudTrail::Trail', `\n          ${mgmt}\n        `);
    // Not inside an existing selector, not in its FieldSelectors, not for another resource type, not in other properties.
    assert.deepEqual(cloudFormationJsonSnippets(base, base.indexOf('"Name"') - 1), []);
    assert.deepEqual(cloudFormationJsonSnippets(base, base.indexOf('{ "Field"') - 1), []);
    assert.deepEqual(cloudFormationJsonSnippets(base, base.indexOf('"logs"') + 2), []);
    const sns = tpl('AWS::SNS::Topic', '\n          \n        ');
    assert.deepEqual(cloudFormationJsonSnippets(sns, sns.indexOf('\n          \n') + 11), []);
  });

  it('Terraform: resources at the top level, selectors inside them, field selectors inside a selector', () => {
    const top = 'resource "aws_s3_bucket" "logs" {\n  bucket = "logs"\n}\n\n';
    const items = terraformSnippets(top, top.length);
    assert.deepEqual(items.map((i) => i.label), ['aws_cloudtrail with advanced event selectors', 'aws_cloudtrail_event_data_store with advanced event selectors']);
    for (const it of items) {
      const text = insert(top, it);
      const rs = readTerraform(text, parser);
      assert.equal(rs.length, 1, text);
      assert.deepEqual(errors(validateTerraform(text, parser)), [], text);
    }
    const trail = 'resource "aws_cloudtrail" "t" {\n  name           = "t"\n  s3_bucket_name = "logs"\n  # a comment with { a brace\n  \n}\n';
    const at = trail.indexOf('  \n}') + 2;
    const sels = terraformSnippets(trail, at);
    assert.ok(sels.length >= 8);
    for (const it of sels) {
      const text = insert(trail, it);
      assert.deepEqual(errors(validateTerraform(text, parser)), [], `${it.label}\n${text}`);
      assert.ok(readTerraform(text, parser)[0].advanced, text);
    }
    const inSel = 'resource "aws_cloudtrail" "t" {\n  advanced_event_selector {\n    fi\n  }\n}\n';
    const fs = terraformSnippets(inSel, inSel.indexOf('fi') + 2);
    assert.ok(fs.some((f) => f.label === 'field_selector eventCategory'), fs.map((f) => f.label).join(','));
    assert.equal(inSel.slice(fs[0].range.offset, fs[0].range.offset + fs[0].range.length), 'fi');
    // Nothing inside an unrelated resource, or inside a string or an expression.
    const bucket = 'resource "aws_s3_bucket" "b" {\n  \n}\n';
    assert.deepEqual(terraformSnippets(bucket, bucket.indexOf('  \n') + 2), []);
    const tags = 'resource "aws_cloudtrail" "t" {\n  tags = {\n    \n  }\n}\n';
    assert.deepEqual(terraformSnippets(tags, tags.indexOf('    \n') + 4), []);
  });
});
