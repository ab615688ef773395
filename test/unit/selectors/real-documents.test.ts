/**
 * Issue 13 part 2 / issue 14 D12: selector documents as people really have them — not strict JSON, AWS's own
 * get-event-selectors output with empty operator lists, exact object ARNs, CloudFormation type names, and
 * absurdly deep nesting.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, validate } from '../../../src/core/selectors';
import { run as lint } from '../../../src/cli/lint';
import { applyFix, cat, codes, expectOne, noErrors, sel } from './helpers';

const S3 = { Field: 'resources.type', Equals: ['AWS::S3::Object'] };

function cli(dir: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), cwd: dir }, out, err };
}

describe('documents that are not strict JSON', () => {
  const lenient = [
    '[',
    '  // management events only',
    '  {',
    '    "Name": "mgmt", /* the name */',
    '    "FieldSelectors": [',
    '      { "Field": "eventCategory", "Equals": ["Management"], },',
    '    ],',
    '  },',
    ']',
    '',
  ].join('\n');

  it('reports every comment and trailing comma as an error at its position', () => {
    const found = analyze(lenient).diagnostics.filter((d) => d.code === 'json-comment' || d.code === 'json-trailing-comma');
    const at = (d: { offset: number; length: number }) => lenient.slice(d.offset, d.offset + d.length);
    assert.deepEqual(found.map((d) => [d.code, at(d), d.line, d.column, d.severity]), [
      ['json-comment', '// management events only', 2, 3, 'error'],
      ['json-comment', '/* the name */', 4, 21, 'error'],
      ['json-trailing-comma', ',', 6, 59, 'error'],
      ['json-trailing-comma', ',', 6, 62, 'error'],
      ['json-trailing-comma', ',', 7, 6, 'error'],
      ['json-trailing-comma', ',', 8, 4, 'error'],
    ]);
    for (const d of found) assert.match(d.message, /AWS CLI/);
  });

  it('each fix removes its comment or comma; "remove all" leaves strict JSON with the same content', () => {
    for (const d of analyze(lenient).diagnostics.filter((x) => x.code.startsWith('json-'))) {
      const fixed = applyFix(lenient, d);
      const again = analyze(fixed).diagnostics.filter((x) => x.code.startsWith('json-'));
      assert.equal(again.length, 5, `one fewer after fixing ${d.code} at ${d.line}:${d.column}`);
    }
    const first = analyze(lenient).diagnostics.find((d) => d.code === 'json-comment')!;
    const strict = applyFix(lenient, first, 'Remove all 6 comments and trailing commas');
    assert.deepEqual(JSON.parse(strict), [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);
    noErrors(strict);
    // A comment alone on its line goes with its line.
    assert.ok(!/\n\s*\n/.test(strict), strict);
  });

  it('lint exits 1 and prints the positions', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-strict-'));
    try {
      fs.writeFileSync(path.join(dir, 'lenient.json'), lenient);
      const x = cli(dir);
      assert.equal(await lint(['lenient.json'], x.io), 1);
      const lines = x.out.join('').trim().split('\n');
      assert.ok(lines.includes('lenient.json:2:3: error: Comments are not JSON: the AWS CLI (file://) and the CloudTrail API reject this document. Remove the comment. [json-comment]'), lines.join('\n'));
      assert.equal(lines.filter((l) => l.endsWith('[json-trailing-comma]')).length, 4);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('strict JSON stays quiet', () => {
    assert.deepEqual(codes(JSON.parse(JSON.stringify(lenient.replace(/\/\/.*|\/\*.*?\*\/|,(?=\s*[\]}])/g, '')))), []);
  });
});

describe('AWS get-event-selectors output with empty operator lists', () => {
  // The shape AWS returns: every operator present, unused ones as [].
  const fsel = (field: string, equals: string[], startsWith: string[] = []) => ({
    Field: field, Equals: equals, StartsWith: startsWith, EndsWith: [], NotEquals: [], NotStartsWith: [], NotEndsWith: [],
  });
  const output = JSON.stringify({
    TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t',
    AdvancedEventSelectors: [
      { Name: 'mgmt', FieldSelectors: [fsel('eventCategory', ['Management'])] },
      { Name: 's3', FieldSelectors: [fsel('eventCategory', ['Data']), fsel('resources.type', ['AWS::S3::Object']), { ...fsel('resources.ARN', [], ['arn:aws:s3:::b/']), Equals: [] }] },
    ],
  }, null, 2);

  it('one diagnostic per empty list, saying the output must lose them', () => {
    const all = analyze(output).diagnostics.filter((d) => d.severity === 'error');
    const empty = (output.match(/: \[\]/g) ?? []).length;
    assert.equal(empty, 20);
    assert.deepEqual([...new Set(all.map((d) => d.code))], ['operator-empty']);
    assert.equal(all.length, empty);
    for (const d of all) {
      assert.equal(output.slice(d.offset, d.offset + d.length), '[]');
      assert.match(d.message, /get-event-selectors output .* remove them before sending/);
    }
  });

  it('one quick fix removes every empty list at once', () => {
    const d = analyze(output).diagnostics.find((x) => x.code === 'operator-empty')!;
    const fixed = applyFix(output, d, 'Remove all 20 empty operator lists');
    noErrors(fixed);
    const parsed = JSON.parse(fixed);
    assert.deepEqual(parsed.AdvancedEventSelectors[1].FieldSelectors[2], { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::b/'] });
    assert.deepEqual(parsed.AdvancedEventSelectors[0].FieldSelectors, [{ Field: 'eventCategory', Equals: ['Management'] }]);
  });

  it('a single empty list on an operator the field does not allow is still one diagnostic', () => {
    const t = sel({ Field: 'eventCategory', Equals: ['Management'], StartsWith: [] });
    const d = expectOne(t, 'operator-empty', '[]', {}, 'error');
    assert.deepEqual(codes(t), ['operator-empty']);
    assert.deepEqual(JSON.parse(applyFix(t, d)), [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }]);
  });
});

describe('S3 ARNs and resource types', () => {
  it('exact S3 object ARNs with Equals / NotEquals are accepted', () => {
    for (const op of ['Equals', 'NotEquals']) {
      noErrors(sel(cat('Data'), S3, { Field: 'resources.ARN', [op]: ['arn:aws:s3:::amzn-s3-demo-bucket/path/to/object.jpg'] }));
      noErrors(sel(cat('Data'), S3, { Field: 'resources.ARN', [op]: ['arn:aws:s3:::bucket/key'] }));
    }
    // A different service is still wrong.
    assert.deepEqual(codes(sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['arn:aws:sqs:us-east-1:1:q'] })), ['arn-format']);
  });

  it('the wildcard fix for arn:aws:s3:::*/* does not suggest another wildcard', () => {
    const t = sel(cat('Data'), S3, { Field: 'resources.ARN', Equals: ['arn:aws:s3:::*/*'] });
    const d = expectOne(t, 'wildcard', '"arn:aws:s3:::*/*"', {}, 'error');
    assert.doesNotMatch(d.message, /"arn:aws:s3:::\*\/"/);
    const fixed = applyFix(t, d);
    assert.deepEqual(JSON.parse(fixed)[0].FieldSelectors[2], { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::'] });
    noErrors(fixed);
    const basic = JSON.stringify([{ ReadWriteType: 'All', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::*/*'] }] }]);
    noErrors(applyFix(basic, expectOne(basic, 'wildcard', '"arn:aws:s3:::*/*"')));
  });

  it('AWS::S3::Bucket keeps its warning and names AWS::S3::Object', () => {
    const t = sel(cat('Data'), { Field: 'resources.type', Equals: ['AWS::S3::Bucket'] });
    const d = expectOne(t, 'value-unknown', '"AWS::S3::Bucket"', {}, 'warning');
    assert.match(d.message, /Did you mean `AWS::S3::Object`\?/);
    assert.equal(d.fixes?.[0].title, 'Change to AWS::S3::Object');
    noErrors(applyFix(t, d));
  });
});

describe('D12: deep nesting', () => {
  it('a 100,000-deep document reports "nesting too deep" where the limit was passed', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const d = analyze(deep, { fileName: 'x.selectors.json' }).diagnostics;
    assert.deepEqual(d.map((x) => [x.code, x.offset, x.line, x.column]), [['nesting-too-deep', 64, 1, 65]]);
    assert.match(d[0].message, /^Nesting too deep/);
    // Not a *.selectors.json name and an object at the top: the same.
    const obj = '{"AdvancedEventSelectors":' + '[{"a":'.repeat(50_000);
    assert.deepEqual(validate(obj).map((x) => x.code), ['nesting-too-deep']);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctl-deep-'));
    try {
      fs.writeFileSync(path.join(dir, 'deep.json'), deep);
      const x = cli(dir);
      assert.equal(await lint(['deep.json'], x.io), 1);
      assert.match(x.out.join(''), /^deep\.json:1:65: error: Nesting too deep.*\[nesting-too-deep\]\n$/);
      assert.doesNotMatch(x.out.join(''), /call stack/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  it('real documents are far below the limit', () => {
    noErrors(JSON.stringify({ TrailName: 'my-trail', AdvancedEventSelectors: [{ Name: 'n', FieldSelectors: [cat('Management')] }] }));
  });
});
