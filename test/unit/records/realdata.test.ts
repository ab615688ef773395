/**
 * Issue 13, part 2: shapes found in real files. EventBridge envelopes are read as records, Lambda event payloads
 * that also have a `Records` array are refused, and a stray comma after one pretty-printed event is a positioned
 * warning. Inputs: our own fixtures written from AWS's documented shapes (test/corpus/own, test/fixtures/shapes).
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpusDir, repoRoot } from '../../support/paths';
import { parseBytes, parseText, recordVerdict, sniffKind, StreamingParser, type JsonObject } from '../../../src/core/records';
import { errors } from './helpers';

const own = (f: string) => path.join(corpusDir, 'own', f);
const shapes = (f: string) => path.join(repoRoot, 'test', 'fixtures', 'shapes', f);
const read = (f: string) => fs.readFileSync(f);

/** The envelopes of a file, found here with JSON.parse / line splitting only. */
function envelopesOf(file: string): JsonObject[] {
  const text = fs.readFileSync(file, 'utf8');
  if (file.endsWith('.jsonl')) return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as JsonObject);
  const v = JSON.parse(text) as JsonObject | JsonObject[];
  return Array.isArray(v) ? v : [v];
}

describe('EventBridge envelopes ("AWS API Call via CloudTrail")', () => {
  for (const f of ['eventbridge-api-call.json', 'eventbridge-api-calls.array.json', 'eventbridge-api-calls.jsonl']) {
    test(`${f}: kind eventbridge, each record is the detail, the envelope is the original`, () => {
      const want = envelopesOf(own(f));
      assert.ok(want.length >= 1 && want.every((e) => e['detail-type'] === 'AWS API Call via CloudTrail'));
      const r = parseBytes(read(own(f)), f);
      assert.deepEqual(errors(r), []);
      assert.equal(r.kind, 'eventbridge');
      assert.equal(r.records.length, want.length);
      r.records.forEach((rec, i) => {
        assert.deepEqual(rec.event, want[i].detail);
        assert.deepEqual(rec.original, want[i]);
      });
      // The same through gzip, streaming in small pieces, and the sniffer (viewer / hovers / tree).
      assert.equal(parseBytes(gzipSync(read(own(f))), f + '.gz').records.length, want.length);
      const sp = new StreamingParser({ fileName: f });
      const bytes = read(own(f));
      const got = [];
      for (let i = 0; i < bytes.length; i += 97) got.push(...sp.push(bytes.subarray(i, i + 97)));
      const end = sp.end();
      got.push(...end.records);
      assert.equal(end.kind, 'eventbridge');
      assert.deepEqual(got.map((x) => x.event), want.map((e) => e.detail));
      assert.equal(sniffKind(bytes.toString('utf8')), 'eventbridge');
    });
  }

  test('an EventBridge event that does not carry a CloudTrail record is refused, saying what it is', () => {
    const r = parseText(JSON.stringify({ version: '0', id: 'x', 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', account: '111122223333', time: '2026-01-01T00:00:00Z', region: 'eu-west-1', resources: [], detail: { 'instance-id': 'i-1', state: 'running' } }));
    assert.equal(r.kind, 'unknown');
    assert.equal(r.records.length, 0);
    assert.equal(errors(r)[0].code, 'not-cloudtrail');
    assert.match(errors(r)[0].message, /EventBridge event of type "EC2 Instance State-change Notification"/);
  });
});

describe('look-alikes: Lambda event payloads with a Records array', () => {
  const cases: [string, RegExp][] = [
    ['lambda-s3-notification.json', /this is an S3 event notification/],
    ['lambda-sqs-batch.json', /this is an SQS message batch/],
    ['lambda-sns-notification.json', /this is an SNS notification/],
    ['lambda-kinesis-batch.json', /this is a Kinesis Data Streams record batch/],
    ['lambda-dynamodb-stream.json', /this is a DynamoDB Streams record batch/],
  ];
  for (const [f, what] of cases) {
    test(`${f}: not a CloudTrail file, says what it looks like, no records`, () => {
      const bytes = read(shapes(f));
      const r = parseBytes(bytes, f);
      assert.equal(r.kind, 'unknown');
      assert.equal(r.records.length, 0);
      const errs = errors(r);
      assert.equal(errs.length, 1);
      assert.equal(errs[0].code, 'not-cloudtrail');
      assert.match(errs[0].message, /^This is not a CloudTrail file/);
      assert.match(errs[0].message, what);
      // Positioned at the first entry of the Records array.
      const text = bytes.toString('utf8');
      const entry = text.indexOf('{', text.indexOf('['));
      assert.equal(errs[0].line, text.slice(0, entry).split('\n').length);
      assert.equal(sniffKind(text), 'unknown');
      const sp = new StreamingParser({ fileName: f });
      assert.deepEqual(sp.push(bytes), []);
      assert.equal(sp.end().kind, 'unknown');
      // The one verdict the engine uses.
      const first = (JSON.parse(text) as { Records: JsonObject[] }).Records[0];
      const v = recordVerdict(first);
      assert.equal(v.record, false);
      assert.match(v.looksLike ?? '', new RegExp(what.source.replace('this is ', '')));
    });
  }

  test('a Records array whose first entry has no CloudTrail field is not CloudTrail either', () => {
    const r = parseText('{"Records":[{"id":1,"name":"x"},{"id":2}]}');
    assert.equal(r.kind, 'unknown');
    assert.equal(r.records.length, 0);
    assert.equal(errors(r)[0].code, 'not-cloudtrail');
  });

  test('CloudTrail logs, JSON Lines and arrays of CloudTrail records are still accepted', () => {
    const rec = { eventVersion: '1.11', eventSource: 's3.amazonaws.com', eventName: 'GetObject', eventTime: '2026-01-01T00:00:00Z', awsRegion: 'eu-west-1' };
    assert.equal(parseText(JSON.stringify({ Records: [rec, rec] })).kind, 'log');
    assert.equal(parseText(JSON.stringify({ Records: [] })).kind, 'log');
    assert.equal(parseText(JSON.stringify([rec])).kind, 'array');
    assert.equal(sniffKind(JSON.stringify({ Records: [rec] })), 'log');
    assert.equal(recordVerdict(rec).record, true);
  });

  test('a look-alike entry after CloudTrail records is kept, with a warning', () => {
    const rec = { eventVersion: '1.11', eventSource: 's3.amazonaws.com', eventName: 'GetObject' };
    const s3 = (JSON.parse(read(shapes('lambda-s3-notification.json')).toString('utf8')) as { Records: JsonObject[] }).Records[0];
    const r = parseText(JSON.stringify({ Records: [rec, s3] }));
    assert.equal(r.kind, 'log');
    assert.equal(r.records.length, 2);
    assert.ok(r.problems.some((p) => p.code === 'not-a-record' && /S3 event notification/.test(p.message)));
  });
});

describe('one pretty-printed event followed by a stray ","', () => {
  test('is an event with a warning positioned at the comma, not JSON Lines', () => {
    const bytes = read(shapes('event-trailing-comma.json'));
    const text = bytes.toString('utf8');
    const r = parseBytes(bytes, 'event-trailing-comma.json');
    assert.equal(r.kind, 'event');
    assert.equal(r.records.length, 1);
    assert.deepEqual(errors(r), []);
    assert.equal(r.problems.length, 1);
    const comma = text.lastIndexOf(',');
    const before = text.slice(0, comma).split('\n');
    assert.equal(r.problems[0].code, 'trailing-text');
    assert.equal(r.problems[0].line, before.length);
    assert.equal(r.problems[0].column, before[before.length - 1].length + 1);
    assert.match(r.problems[0].message, /","/);
    assert.equal(sniffKind(text), 'event');
  });

  test('JSON Lines with one bad line stay JSON Lines', () => {
    const r = parseText('{"eventName":"A","eventTime":"t"}\nnot json\n{"eventName":"B","eventTime":"t"}\n');
    assert.equal(r.kind, 'jsonl');
    assert.equal(r.records.length, 2);
  });
});
