/** CloudFormation templates: selectors in AWS::CloudTrail::Trail / EventDataStore resources, through the real yaml parser. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';
import { readCloudFormation, validateCloudFormation, completeCloudFormation, hoverCloudFormation } from '../../../src/core/selectors/cloudformation';
import { detectInfraFormat } from '../../../src/core/selectors/infra';
import { applyTextEdits, type SelectorDiagnostic } from '../../../src/core/selectors';

const fixture = (name: string) => fs.readFileSync(path.join(repoRoot, 'test/fixtures/infra', name), 'utf8');
const shown = (ds: SelectorDiagnostic[]) => ds.filter((d) => d.severity !== 'hint');
/** 1-based line of the first line containing `marker` (after `after`, if given). */
function lineOf(text: string, marker: string, after = ''): number {
  const from = after ? text.indexOf(after) : 0;
  const at = text.indexOf(marker, from);
  assert.ok(at >= 0, `marker ${marker}`);
  return text.slice(0, at).split('\n').length;
}

describe('CloudFormation templates', () => {
  it('valid YAML and JSON templates (after the user guide examples) produce nothing', () => {
    for (const f of ['trail-valid.yaml', 'trail-valid.json']) {
      const text = fixture(f);
      assert.deepEqual(shown(validateCloudFormation(text)).map((d) => [d.code, d.line, d.message]), [], f);
    }
  });

  it('finds trails and event data stores with their targets, and nothing else', () => {
    const t = readCloudFormation(fixture('trail-valid.json'));
    assert.deepEqual(t.resources.map((r) => [r.name, r.target]), [['myTrail', 'trail'], ['myEventDataStore', 'event-data-store']]);
    const unrelated = 'Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      AdvancedEventSelectors: [{FieldSelectors: []}]\n';
    assert.deepEqual(readCloudFormation(unrelated).resources, []);
    assert.deepEqual(validateCloudFormation(unrelated), []);
  });

  it('each rule fires at its line in the template', () => {
    const text = fixture('mistakes.yaml');
    const ds = shown(validateCloudFormation(text));
    const at = (code: string) => {
      const found = ds.filter((d) => d.code === code);
      assert.equal(found.length, 1, `${code}: ${JSON.stringify(ds.map((d) => [d.code, d.line]))}`);
      return found[0];
    };
    const wildcard = at('wildcard');
    assert.equal(wildcard.line, lineOf(text, 'arn:aws:s3:::*'));
    assert.equal(text.slice(wildcard.offset, wildcard.offset + wildcard.length), 'arn:aws:s3:::*');
    const misspelt = at('field-misspelt');
    assert.equal(misspelt.line, lineOf(text, 'Field: eventcategory'));
    assert.equal(misspelt.severity, 'error');
    // The literal S3BucketName feeds the own-log-bucket check.
    assert.equal(at('log-bucket-loop').line, lineOf(text, 'Name: own bucket'));
    assert.match(at('log-bucket-loop').message, /org-trail-logs/);
    // Parameter defaults and mappings resolve; the problem is reported at the intrinsic.
    const param = at('value-unknown');
    assert.equal(text.slice(param.offset, param.offset + param.length), '!Ref ObjectType');
    assert.match(param.message, /AWS::S3::Objects/);
    assert.equal(param.fixes, undefined, 'a resolved value is not edited at the !Ref');
    const mapped = at('category-target');
    assert.equal(mapped.line, lineOf(text, '!FindInMap'));
    assert.equal(ds.length, 5, JSON.stringify(ds.map((d) => d.code)));
  });

  it('quick fixes edit the template in place', () => {
    const text = fixture('mistakes.yaml');
    const d = validateCloudFormation(text).find((x) => x.code === 'field-misspelt')!;
    const fixed = applyTextEdits(text, d.fixes![0].edits);
    assert.ok(fixed.includes('            - Field: eventCategory\n              Equals: [Management]'));
    assert.equal(shown(validateCloudFormation(fixed)).filter((x) => x.code === 'field-misspelt').length, 0);
    // Quoted YAML keeps its quotes.
    const quoted = text.replace('Field: eventcategory', "Field: 'eventcategory'");
    const q = validateCloudFormation(quoted).find((x) => x.code === 'field-misspelt')!;
    assert.ok(applyTextEdits(quoted, q.fixes![0].edits).includes("Field: 'eventCategory'"));
  });

  it('intrinsic functions never produce an error', () => {
    const ds = shown(validateCloudFormation(fixture('intrinsics.yaml')));
    assert.deepEqual(ds.filter((d) => d.severity === 'error').map((d) => [d.code, d.line]), []);
    // An intrinsic next to a real mistake: the literal mistake is still reported.
    const text = fixture('intrinsics.yaml').replace('            - Field: eventCategory\n              Equals: [!Ref Category]', '            - Field: eventCategory\n              Equals: [!Ref Category]\n            - Field: eventname\n              Equals: [""]');
    const codes = shown(validateCloudFormation(text)).map((d) => d.code).sort();
    assert.deepEqual(codes, ['field-misspelt', 'value-empty']);
  });

  it('JSON templates: positions point into the JSON text', () => {
    const text = fixture('trail-valid.json').replace('"Equals": ["Insight"]', '"Equals": ["Insights"]');
    const ds = shown(validateCloudFormation(text));
    assert.equal(ds.length, 1, JSON.stringify(ds));
    assert.equal(ds[0].line, lineOf(text, '"Insights"'));
    assert.equal(text.slice(ds[0].offset, ds[0].offset + ds[0].length), '"Insights"');
  });

  it('completes a Field value and hovers a field name', () => {
    const text = fixture('mistakes.yaml');
    const at = text.indexOf('eventcategory') + 5;
    const items = completeCloudFormation(text, at);
    const item = items.find((i) => i.label === 'eventCategory');
    assert.ok(item, items.map((i) => i.label).join());
    assert.equal(text.slice(item.range.offset, item.range.offset + item.range.length), 'eventcategory');
    assert.equal(item.insertText, 'eventCategory');
    const h = hoverCloudFormation(text, text.indexOf('resources.type') + 3);
    assert.ok(h && /resource type/i.test(h.markdown), h?.markdown);
    assert.equal(text.slice(h.offset, h.offset + h.length), 'resources.type');
  });

  it('detects templates by content, cheaply', () => {
    assert.equal(detectInfraFormat(fixture('trail-valid.yaml'), 'stack.yaml'), 'cloudformation-yaml');
    assert.equal(detectInfraFormat(fixture('trail-valid.json'), 'stack.json'), 'cloudformation-json');
    assert.equal(detectInfraFormat('Resources:\n  B:\n    Type: AWS::S3::Bucket\n', 'stack.yaml'), undefined);
    assert.equal(detectInfraFormat('key: value\n', 'x.yml'), undefined);
  });
});

describe('CloudFormation: PutEventConfiguration settings', () => {
  it('valid settings produce nothing; hovers explain them', () => {
    const text = fixture('event-config.yaml');
    assert.deepEqual(shown(validateCloudFormation(text)).map((d) => [d.code, d.line]), []);
    const h = hoverCloudFormation(text, text.indexOf('      ContextKeySelectors:') + 8);
    assert.ok(h && /Large/.test(h.markdown), h?.markdown);
    const t = hoverCloudFormation(text, text.indexOf('Templates') + 2);
    assert.ok(t && /USER_ACTIONS/.test(t.markdown), t?.markdown);
  });

  it('documented rules fire at their lines', () => {
    const text = fixture('event-config.yaml')
      .replace('MaxEventSize: Large', 'MaxEventSize: Standard')
      .replace('Type: TagContext', 'Type: TagContexts')
      .replace('EventCategory: Data', 'EventCategory: Management')
      .replace('USER_ACTIONS]', 'USER_ACTION]');
    const ds = shown(validateCloudFormation(text));
    const line = (code: string) => ds.filter((d) => d.code === code).map((d) => d.line);
    assert.deepEqual(line('event-size-context'), [lineOf(text, 'MaxEventSize: Standard')]);
    assert.deepEqual(line('context-key-type'), [lineOf(text, 'TagContexts')]);
    assert.deepEqual(line('aggregation-category'), [lineOf(text, 'EventCategory: Management')]);
    assert.deepEqual(line('aggregation-template'), [lineOf(text, 'USER_ACTION]')]);
    assert.equal(ds.length, 4, JSON.stringify(ds.map((d) => d.code)));
    const three = fixture('event-config.yaml').replace('      AdvancedEventSelectors:', '        - Type: TagContext\n          Equals: [x]\n      AdvancedEventSelectors:');
    assert.deepEqual(shown(validateCloudFormation(three)).map((d) => d.code), ['context-key-count']);
  });
});

describe('CloudFormation: large templates', () => {
  it('only the CloudTrail blocks are parsed, with the same results and positions as a full parse', () => {
    const small = fixture('mistakes.yaml');
    // Unrelated resources before and after the trail push the template past the size where blocks are sliced.
    let before = '';
    let after = '';
    for (let i = 0; i < 300; i++) {
      before += `  Queue${i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: !Sub "q-${i}"\n`;
      after += `  Topic${i}:\n    Type: AWS::SNS::Topic\n    # not AWS::CloudTrail::Trail\n`;
    }
    const big = small.replace('Resources:\n', `Resources:\n${before}`) + after;
    assert.ok(big.length > 16 * 1024);
    const want = shown(validateCloudFormation(small)).map((d) => [d.code, small.slice(d.offset, d.offset + d.length), d.line + before.split('\n').length - 1]);
    const got = shown(validateCloudFormation(big)).map((d) => [d.code, big.slice(d.offset, d.offset + d.length), d.line]);
    assert.deepEqual(got, want);
  });
});
