import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eventPathAt, stripContainer, type PathAt } from '../../../src/core/fields';
import { treeOf } from '../../../src/core/fields/paths';
import { nestingTooDeepAt } from '../../../src/core/json';
import type { FileKind } from '../../../src/core/records/types';

/**
 * Offset of the `n`-th occurrence (0-based) of `needle` in `text`, plus `delta` characters — computed from
 * the sample text itself, so expectations do not depend on the code under test.
 */
function at(text: string, needle: string, n = 0, delta = 1): number {
  let i = -1;
  for (let k = 0; k <= n; k++) {
    i = text.indexOf(needle, i + 1);
    if (i < 0) throw new Error(`${needle} #${n} not in sample`);
  }
  return i + delta;
}

function check(r: PathAt | undefined, text: string, token: string, expected: Partial<PathAt>): void {
  assert.ok(r, `nothing found for ${token}`);
  for (const [k, v] of Object.entries(expected)) assert.deepEqual((r as unknown as Record<string, unknown>)[k], v, k);
  assert.equal(text.slice(r.offset, r.offset + r.length), token, 'range covers the token');
}

const EVENT = '{"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::111122223333:role/R"}}},"resources":[{"ARN":"arn:aws:s3:::b","type":"AWS::S3::Bucket"}],"readOnly":true}';

describe('eventPathAt', () => {
  it('strips Records[i] in a log file, for keys and values', () => {
    const text = `{"Records":[${EVENT},\n${EVENT}]}`;
    check(eventPathAt(text, at(text, '"type"', 0), 'log'), text, '"type"', {
      docKind: 'event', path: ['userIdentity', 'type'], fullPath: ['Records', 0, 'userIdentity', 'type'],
      isKey: true, value: 'AssumedRole',
    });
    check(eventPathAt(text, at(text, '"AssumedRole"', 1, 3), 'log'), text, '"AssumedRole"', {
      path: ['userIdentity', 'type'], fullPath: ['Records', 1, 'userIdentity', 'type'], isKey: false, value: 'AssumedRole',
    });
    check(eventPathAt(text, at(text, '"ARN"', 1), 'log'), text, '"ARN"', { path: ['resources', 0, 'ARN'], isKey: true });
    check(eventPathAt(text, at(text, 'true', 0, 2), 'log'), text, 'true', { path: ['readOnly'], isKey: false, value: true });
    check(eventPathAt(text, at(text, '"Records"'), 'log'), text, '"Records"', { docKind: 'container', path: ['Records'] });
  });

  it('ignores punctuation, whitespace and object/array values', () => {
    const text = `{"Records":[${EVENT}]}`;
    assert.equal(eventPathAt(text, at(text, ':{"type"', 0, 0), 'log'), undefined);
    assert.equal(eventPathAt(text, 0, 'log'), undefined);
    assert.equal(eventPathAt(text, text.length, 'log'), undefined);
    assert.equal(eventPathAt(text, -5, 'log'), undefined);
  });

  it('strips the index of a root array', () => {
    const text = `[\n  ${EVENT},\n  ${EVENT}\n]`;
    check(eventPathAt(text, at(text, '"arn"', 1), 'array'), text, '"arn"', {
      path: ['userIdentity', 'sessionContext', 'sessionIssuer', 'arn'],
      fullPath: [1, 'userIdentity', 'sessionContext', 'sessionIssuer', 'arn'],
    });
  });

  it('uses the root object of a single event and of the legacy IoT shape', () => {
    check(eventPathAt(EVENT, at(EVENT, '"eventVersion"'), 'event'), EVENT, '"eventVersion"', { path: ['eventVersion'], value: '1.08' });
    const iot = '{"UserIdentity":{"type":"AssumedRole"},"RequestParamters":{"x":1}}';
    check(eventPathAt(iot, at(iot, '"type"'), 'legacy-iot'), iot, '"type"', { path: ['UserIdentity', 'type'] });
  });

  it('computes the path from the line alone in JSON Lines, with offsets in the whole text', () => {
    const line2 = '{"eventName":"GetObject","userIdentity":{"type":"IAMUser"}}';
    // Line 1 is broken JSON: it must not affect line 2.
    const text = `{"eventName": "Broken", "userIdentity": {\n${line2}\r\n${EVENT}\n`;
    check(eventPathAt(text, at(text, '"IAMUser"', 0, 2), 'jsonl'), text, '"IAMUser"', {
      path: ['userIdentity', 'type'], fullPath: ['userIdentity', 'type'], isKey: false, value: 'IAMUser',
    });
    check(eventPathAt(text, at(text, '"readOnly"'), 'jsonl'), text, '"readOnly"', { path: ['readOnly'], value: true });
    check(eventPathAt(text, at(text, '"eventName"', 0), 'jsonl'), text, '"eventName"', { path: ['eventName'], value: 'Broken' });
  });

  it('reads the line when a single-event file turns out to hold more values (JSON Lines)', () => {
    const line2 = '{"eventName":"PutObject","eventCategory":"Data"}';
    const text = `${EVENT}\n${line2}\n`;
    check(eventPathAt(text, at(text, '"Data"', 0, 2), 'event'), text, '"Data"', { path: ['eventCategory'], value: 'Data' });
    check(eventPathAt(text, at(text, '"readOnly"'), 'event'), text, '"readOnly"', { path: ['readOnly'], fullPath: ['readOnly'] });
  });

  it('handles lookup-events output with inline records and with API wrappers', () => {
    const inline = `{"NextToken":"abc","Events":[${EVENT}]}`;
    check(eventPathAt(inline, at(inline, '"type"'), 'lookup-events'), inline, '"type"', { docKind: 'event', path: ['userIdentity', 'type'] });
    check(eventPathAt(inline, at(inline, '"NextToken"'), 'lookup-events'), inline, '"NextToken"', { docKind: 'container', path: ['NextToken'] });
    const wrapper = '{"Events":[{"EventId":"e1","EventName":"ListBuckets","Resources":[{"ResourceType":"AWS::S3::Bucket"}],"CloudTrailEvent":"{\\"eventVersion\\":\\"1.08\\"}"}]}';
    check(eventPathAt(wrapper, at(wrapper, '"EventName"'), 'lookup-events'), wrapper, '"EventName"', { docKind: 'lookup', path: ['EventName'] });
    check(eventPathAt(wrapper, at(wrapper, '"ResourceType"'), 'lookup-events'), wrapper, '"ResourceType"', {
      docKind: 'lookup', path: ['Resources', 0, 'ResourceType'],
    });
    check(eventPathAt(wrapper, at(wrapper, '"Events"'), 'lookup-events'), wrapper, '"Events"', { docKind: 'container', path: ['Events'] });
  });

  it('maps top-level digest keys to the digest table', () => {
    const text = '{"awsAccountId":"111122223333","logFiles":[{"s3Bucket":"b","hashValue":"ab"}]}';
    check(eventPathAt(text, at(text, '"awsAccountId"'), 'digest'), text, '"awsAccountId"', { docKind: 'digest', path: ['awsAccountId'] });
    check(eventPathAt(text, at(text, '"hashValue"'), 'digest'), text, '"hashValue"', { docKind: 'digest', path: ['logFiles', 0, 'hashValue'] });
  });

  it('finds nothing in files that are not CloudTrail or outside the container', () => {
    assert.equal(eventPathAt(EVENT, at(EVENT, '"type"'), 'unknown'), undefined);
    const text = `{"Records":[${EVENT}],"other":{"eventName":"x"}}`;
    assert.equal(eventPathAt(text, at(text, '"eventName"'), 'log'), undefined);
    assert.equal(eventPathAt(text, at(text, '"other"'), 'log'), undefined);
  });

  it('gives the same token from the streaming scan as from the tree', () => {
    const text = `{"Records":[${EVENT},${EVENT}]}`;
    for (const [needle, n, delta] of [['"type"', 1, 2], ['"AssumedRole"', 1, 4], ['"ARN"', 0, 1], ['true', 1, 1]] as const) {
      const offset = at(text, needle, n, delta);
      const tree = eventPathAt(text, offset, 'log');
      const scan = eventPathAt(text, offset, 'log', null);
      assert.ok(tree && scan, needle);
      assert.deepEqual(
        { path: scan.path, isKey: scan.isKey, offset: scan.offset, length: scan.length },
        { path: tree.path, isKey: tree.isKey, offset: tree.offset, length: tree.length },
        needle,
      );
      if (!tree.isKey) assert.equal(scan.value, tree.value);
    }
  });

  it('survives truncated and hostile input', () => {
    const truncated = `{"Records":[${EVENT.slice(0, 60)}`;
    const r = eventPathAt(truncated, at(truncated, '"type"'), 'log');
    assert.deepEqual(r?.path, ['userIdentity', 'type']);
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    assert.equal(eventPathAt(deep, 2500, 'array'), undefined);
    const proto = '{"__proto__":{"type":"Root"}}';
    assert.deepEqual(eventPathAt(proto, at(proto, '"type"'), 'event')?.path, ['__proto__', 'type']);
  });
});

describe('stripContainer', () => {
  const cases: [FileKind, (string | number)[], unknown][] = [
    ['log', ['Records', 2, 'eventName'], { docKind: 'event', path: ['eventName'] }],
    ['log', [0, 'eventName'], undefined],
    ['array', [4, 'eventName'], { docKind: 'event', path: ['eventName'] }],
    ['array', ['eventName'], undefined],
    ['event', ['eventName'], { docKind: 'event', path: ['eventName'] }],
    ['jsonl', ['userIdentity', 'type'], { docKind: 'event', path: ['userIdentity', 'type'] }],
    ['lookup-events', ['Events', 0, 'CloudTrailEvent'], { docKind: 'lookup', path: ['CloudTrailEvent'] }],
    ['lookup-events', ['Events', 0, 'eventTime'], { docKind: 'event', path: ['eventTime'] }],
    ['lookup-events', ['eventTime'], undefined],
    ['console-export', [3, 'CloudTrailEvent'], { docKind: 'lookup', path: ['CloudTrailEvent'] }],
    ['console-export', [3, 'userIdentity', 'type'], { docKind: 'event', path: ['userIdentity', 'type'] }],
    ['digest', ['digestEndTime'], { docKind: 'digest', path: ['digestEndTime'] }],
    ['unknown', ['eventTime'], undefined],
    ['log', [], undefined],
  ];
  for (const [kind, path, expected] of cases) {
    it(`${kind} ${JSON.stringify(path)}`, () => assert.deepEqual(stripContainer(path, kind), expected));
  }
});

describe('deeply nested documents (issue 14)', () => {
  it('a record with a 20,000-deep value still gets hovers: the recursive tree parser is not used on it', () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const text = `{"eventVersion":"1.08","eventName":"GetObject","requestParameters":${deep},"awsRegion":"us-east-1"}`;
    const r = eventPathAt(text, text.indexOf('"eventName"') + 2, 'event');
    assert.deepEqual(r?.path, ['eventName']);
    const after = eventPathAt(text, text.indexOf('"us-east-1"') + 2, 'event');
    assert.deepEqual(after?.path, ['awsRegion']);
    // The same document as a JSON Lines line.
    const lines = `{"eventName":"A"}\n${text}\n`;
    assert.deepEqual(eventPathAt(lines, lines.indexOf('"awsRegion"') + 2, 'jsonl')?.path, ['awsRegion']);
  });

  it('nestingTooDeepAt finds where the limit is passed, ignoring brackets inside strings', () => {
    assert.equal(nestingTooDeepAt('[[["[[[[[[[["]]]', 3), -1);
    assert.equal(nestingTooDeepAt('[[[[]]]]', 3), 3);
    assert.equal(nestingTooDeepAt('{"a\\"[[[[":[{}]}', 3), -1);
    assert.equal(nestingTooDeepAt('{"a\\\\":[[{}]]}', 2), 8);
    assert.equal(treeOf('['.repeat(600) + ']'.repeat(600)), undefined);
    assert.ok(treeOf('{"a":[1]}'));
  });
});
