// Record text for the combined viewer: each record's own text from the file, or a lossless serialisation when the
// record was normalised or the file's text is not available. Expected texts are the pieces this test wrote.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { joinRecordTexts, parseKeepingText, recordText, recordsDocument } from '../../../src/core/local/record-text';
import { LosslessNumber, parseBytes, parseText, type CloudTrailRecord } from '../../../src/core/records';

const enc = (s: string) => new TextEncoder().encode(s);

/** Three records as they would sit in a delivered file: odd spacing, a big number, a `__proto__` key, bidi text. */
const RECORDS = [
  '{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"GetObject","eventSource":"s3.amazonaws.com","additionalEventData":{"bytesTransferredOut":12345678901234567890}}',
  '{ "eventVersion" : "1.08",\n  "eventTime": "2024-01-01T00:01:00Z", "eventName": "PutObject",\n  "requestParameters": {"__proto__": {"polluted": true}, "key": "invoice\u202Etxt.exe"} }',
  '{"eventVersion":"1.09","eventTime":"2024-01-01T00:02:00Z","eventName":"ListBuckets","n":1.5e300,"s":"\\u0000\\"quoted\\""}',
];
const FILE = `\uFEFF{"Records": [\n${RECORDS.join(' ,\n')}\n]}\n`;

describe('record text', () => {
  for (const [label, bytes] of [['plain', enc(FILE)], ['gzipped', gzipSync(enc(FILE))]] as const) {
    it(`keeps each record's own text from a ${label} file`, () => {
      const { result, text } = parseKeepingText(bytes, 'x.json');
      assert.ok(text !== undefined);
      const reference = parseBytes(bytes, 'x.json');
      assert.equal(result.kind, reference.kind);
      assert.equal(result.gzipped, label === 'gzipped');
      assert.deepEqual(result.problems, reference.problems);
      assert.deepEqual(result.records.map((r) => r.event), reference.records.map((r) => r.event));
      const joined = joinRecordTexts(result.records, text);
      assert.equal(joined.text, RECORDS.join(',\n'));
      // The end offsets cut between records.
      assert.deepEqual([...joined.ends].map((e) => joined.text.slice(0, e)), [1, 2, 3].map((k) => RECORDS.slice(0, k).join(',\n')));
    });
  }

  it('a document built from the texts reads back with exact numbers and plain __proto__ keys', () => {
    const { result, text } = parseKeepingText(gzipSync(enc(FILE)));
    const joined = joinRecordTexts(result.records, text);
    const doc = recordsDocument(['', joined.text.slice(0, joined.ends[1]), joined.text.slice(joined.ends[1] + 2)]);
    assert.deepEqual(JSON.parse(doc).Records.map((r: { eventName: string }) => r.eventName), ['GetObject', 'PutObject', 'ListBuckets']);
    const back = parseText(doc);
    assert.equal(back.kind, 'log');
    assert.equal(back.problems.length, 0);
    const big = (back.records[0].event.additionalEventData as Record<string, unknown>).bytesTransferredOut;
    assert.ok(big instanceof LosslessNumber);
    assert.equal(String(big), '12345678901234567890');
    const rp = back.records[1].event.requestParameters as Record<string, unknown>;
    assert.ok(Object.prototype.hasOwnProperty.call(rp, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(rp.key, 'invoice\u202Etxt.exe');
    assert.equal(recordsDocument([]), '{"Records":[]}\n');
    assert.deepEqual(JSON.parse(recordsDocument([])), { Records: [] });
  });

  it('writes normalised records (lookup-events entries) as the event, not the entry, with exact numbers', () => {
    const inner = '{"eventVersion":"1.08","eventTime":"2024-01-01T00:00:00Z","eventName":"RunInstances","eventSource":"ec2.amazonaws.com","n":98765432109876543210}';
    const file = JSON.stringify({ Events: [{ EventId: 'e1', EventName: 'RunInstances', CloudTrailEvent: inner }] });
    const { result, text } = parseKeepingText(enc(file));
    assert.equal(result.records.length, 1);
    const t = joinRecordTexts(result.records, text).text;
    assert.ok(!t.includes('CloudTrailEvent'), 'not the lookup-events entry');
    assert.ok(t.includes('98765432109876543210'), t);
    assert.deepEqual(Object.keys(JSON.parse(t)), Object.keys(JSON.parse(inner)));
  });

  it('damaged gzip: no text, the salvaged records are serialised and the damage is reported as parseBytes does', () => {
    const whole = gzipSync(enc(`{"Records":[${Array.from({ length: 400 }, (_, i) => RECORDS[i % 3]).join(',')}]}`));
    const cut = whole.subarray(0, Math.floor(whole.length * 0.6));
    const { result, text } = parseKeepingText(cut);
    const reference = parseBytes(cut);
    assert.equal(text, undefined);
    assert.ok(result.records.length > 0 && result.records.length < 400);
    assert.deepEqual(result.problems, reference.problems);
    assert.ok(result.problems.some((p) => p.code === 'truncated-gzip'));
    const parsed = JSON.parse(recordsDocument([joinRecordTexts(result.records, text).text])).Records as { eventName: string }[];
    assert.deepEqual(parsed.map((r) => r.eventName), result.records.map((r) => r.event.eventName));
  });

  it("uses the parser's own record text when it gives one; a normalised record without it is serialised", () => {
    const event = { eventName: 'A', n: new LosslessNumber('12345678901234567890') };
    const range = { startLine: 1, endLine: 1, startOffset: 0, endOffset: 3 };
    const given = '{"eventName":"A","n":12345678901234567890}';
    const withText = { index: 0, event, range, text: given } as CloudTrailRecord;
    assert.equal(recordText(withText, '{"x":1}'), given);
    // A lookup-events entry: `text` is the event's JSON even though `original` holds the wrapper.
    assert.equal(recordText({ ...withText, original: { EventName: 'A' } } as CloudTrailRecord, '{"x":1}'), given);
    // Renamed fields (no text given): the range is the original spelling, so the event is written out.
    const renamed = { index: 0, event, range: { ...range, endOffset: 7 }, original: { EventName: 'A' } } as CloudTrailRecord;
    assert.equal(recordText(renamed, '{"x":1}'), '{"eventName":"A","n":12345678901234567890}');
    // No text given, not normalised: the record's slice of the file.
    assert.equal(recordText({ index: 0, event, range: { ...range, endOffset: 7 } }, '{"x":1} '), '{"x":1}');
    // A range that is not one JSON object (out of bounds, or not braces) falls back to serialising.
    assert.equal(recordText({ index: 0, event, range }, '[1]'), '{"eventName":"A","n":12345678901234567890}');
    assert.equal(recordText({ index: 0, event, range: { ...range, endOffset: 99 } }, '{ }'), '{"eventName":"A","n":12345678901234567890}');
  });
});
