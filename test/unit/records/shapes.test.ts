import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpusDir } from '../../support/paths';
import { parseBytes, parseText, sniffKind, LosslessNumber, StreamingParser } from '../../../src/core/records';
import { errors, lineOf, prng } from './helpers';

const enc = (s: string) => new TextEncoder().encode(s);
const ev = (i: number, extra: Record<string, unknown> = {}) => ({
  eventVersion: '1.08',
  eventTime: `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
  eventSource: 's3.amazonaws.com',
  eventName: `Op${i}`,
  awsRegion: 'us-east-1',
  sourceIPAddress: '192.0.2.1',
  userIdentity: { type: 'IAMUser', arn: `arn:aws:iam::111122223333:user/u${i}` },
  eventID: `id-${i}`,
  ...extra,
});
const names = (r: { records: { event: Record<string, unknown> }[] }) => r.records.map((x) => x.event.eventName);

describe('log files {"Records": [...]}', () => {
  const events = [ev(1), ev(2), ev(3)];
  const compact = JSON.stringify({ Records: events });
  test('compact', () => {
    const r = parseText(compact);
    assert.equal(r.kind, 'log');
    assert.deepEqual(names(r), ['Op1', 'Op2', 'Op3']);
    assert.deepEqual(r.problems, []);
  });
  test('UTF-8 BOM (bytes and text)', () => {
    const r = parseBytes(enc('\ufeff' + compact));
    assert.equal(r.kind, 'log');
    assert.equal(r.records.length, 3);
    assert.deepEqual(r.problems, []);
    assert.equal(parseText('\ufeff' + compact).records.length, 3);
  });
  test('pretty-printed with CRLF line ends; ranges point at the right lines', () => {
    const text = JSON.stringify({ Records: events }, null, 2).replace(/\n/g, '\r\n');
    const r = parseText(text);
    assert.equal(r.kind, 'log');
    assert.equal(r.records.length, 3);
    for (const rec of r.records) {
      assert.equal(rec.range.startLine, lineOf(text, rec.range.startOffset));
      assert.equal(rec.range.endLine, lineOf(text, rec.range.endOffset - 1));
      assert.equal(text[rec.range.startOffset], '{');
      assert.equal(text[rec.range.endOffset - 1], '}');
      assert.deepEqual(JSON.parse(text.slice(rec.range.startOffset, rec.range.endOffset)), rec.event);
    }
    // The first record opens on line 3 of the pretty text: `{`, `"Records": [`, then the record.
    assert.equal(r.records[0].range.startLine, 3);
  });
  test('gzip detected by magic bytes, whatever the name', () => {
    const r = parseBytes(gzipSync(enc(compact)), 'notes.txt');
    assert.equal(r.gzipped, true);
    assert.equal(r.kind, 'log');
    assert.equal(r.records.length, 3);
  });
  test('a .gz name with plain content is read as text', () => {
    const r = parseBytes(enc(compact), 'x.json.gz');
    assert.equal(r.gzipped, false);
    assert.equal(r.records.length, 3);
  });
  test('other keys around Records are ignored', () => {
    const r = parseText(JSON.stringify({ before: { a: [1, 2] }, Records: [ev(1)], after: 'x' }));
    assert.equal(r.kind, 'log');
    assert.equal(r.records.length, 1);
    assert.deepEqual(r.problems, []);
  });
  test('empty Records', () => {
    const r = parseText('{"Records":[]}');
    assert.equal(r.kind, 'log');
    assert.deepEqual(r.records, []);
    assert.deepEqual(r.problems, []);
  });
});

describe('other shapes', () => {
  test('single event', () => {
    const r = parseText(JSON.stringify(ev(7), null, 4));
    assert.equal(r.kind, 'event');
    assert.equal(r.records.length, 1);
    assert.equal(r.records[0].event.eventName, 'Op7');
    assert.equal(r.records[0].range.startLine, 1);
    assert.equal(r.records[0].range.endLine, JSON.stringify(ev(7), null, 4).split('\n').length);
  });
  test('array of events', () => {
    const r = parseText(JSON.stringify([ev(1), ev(2)]));
    assert.equal(r.kind, 'array');
    assert.deepEqual(names(r), ['Op1', 'Op2']);
  });
  test('JSON Lines, with blank lines and CRLF', () => {
    const text = [ev(1), ev(2), ev(3)].map((e) => JSON.stringify(e)).join('\r\n\r\n') + '\r\n';
    const r = parseText(text);
    assert.equal(r.kind, 'jsonl');
    assert.deepEqual(names(r), ['Op1', 'Op2', 'Op3']);
    assert.deepEqual(r.records.map((x) => x.range.startLine), [1, 3, 5]);
    assert.deepEqual(r.problems, []);
  });
  test('concatenated pretty objects (jq output)', () => {
    const text = [ev(1), ev(2)].map((e) => JSON.stringify(e, null, 2)).join('\n') + '\n';
    const r = parseText(text);
    assert.equal(r.kind, 'jsonl');
    assert.deepEqual(names(r), ['Op1', 'Op2']);
    assert.deepEqual(r.problems, []);
  });
  test('lookup-events output: records from the CloudTrailEvent strings, entry kept as original', () => {
    const out = {
      Events: [1, 2].map((i) => ({
        EventId: `id-${i}`,
        EventName: `Op${i}`,
        ReadOnly: 'true',
        EventTime: '2024-01-01T00:00:00+00:00',
        Resources: [],
        CloudTrailEvent: JSON.stringify(ev(i)),
      })),
      NextToken: 'abc',
    };
    const r = parseText(JSON.stringify(out, null, 2));
    assert.equal(r.kind, 'lookup-events');
    assert.deepEqual(names(r), ['Op1', 'Op2']);
    assert.deepEqual(r.records[0].event, ev(1));
    assert.equal((r.records[1].original as Record<string, unknown>).EventId, 'id-2');
  });
  test('lookup-events with the records inline (documentation Insights example)', () => {
    const file = path.join(corpusDir, 'awsdocs-examples', 'cloudtrail-ug__view-insights-events-cli__01.json');
    const r = parseBytes(fs.readFileSync(file));
    assert.equal(r.kind, 'lookup-events');
    assert.ok(r.records.length >= 1);
    assert.equal(r.records[0].event.eventType, 'AwsCloudTrailInsight');
    assert.equal(r.records[0].original, undefined);
  });
  test('console export as an array of lookup-style events', () => {
    const arr = [1, 2, 3].map((i) => ({ EventId: `id-${i}`, EventName: `Op${i}`, CloudTrailEvent: JSON.stringify(ev(i)) }));
    const r = parseText(JSON.stringify(arr));
    assert.equal(r.kind, 'console-export');
    assert.deepEqual(names(r), ['Op1', 'Op2', 'Op3']);
  });
  test('console export as {"Records": [...]} reads as a log', () => {
    assert.equal(parseText(JSON.stringify({ Records: [ev(1)] }, null, 2)).kind, 'log');
  });
  test('digest file', () => {
    const file = path.join(corpusDir, 'awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-validation-digest-file-structure__01.json');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as { logFiles: { s3Object: string; hashValue: string }[]; digestEndTime: string };
    const r = parseBytes(gzipSync(fs.readFileSync(file)));
    assert.equal(r.kind, 'digest');
    assert.equal(r.records.length, 0);
    assert.equal(r.digest?.digestEndTime, raw.digestEndTime);
    assert.deepEqual(r.digest?.logFiles.map((f) => [f.s3Object, f.hashValue]), raw.logFiles.map((f) => [f.s3Object, f.hashValue]));
  });
  test('empty-hour digest', () => {
    const file = path.join(corpusDir, 'awsdocs-examples', 'cloudtrail-ug__cloudtrail-log-file-validation-digest-file-structure__02.json');
    const r = parseBytes(fs.readFileSync(file));
    assert.equal(r.kind, 'digest');
    assert.equal(r.digest?.newestEventTime, null);
  });
  test('legacy AWS IoT PascalCase shape is normalised; original kept', () => {
    const file = path.join(corpusDir, 'awsdocs-examples', 'iot-dg__iot-using-cloudtrail__01.json');
    const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    const r = parseBytes(fs.readFileSync(file));
    assert.equal(r.kind, 'legacy-iot');
    const e = r.records[0].event;
    assert.equal(e.eventName, raw.EventName);
    assert.equal(e.sourceIPAddress, raw.SourceIpAddress);
    assert.deepEqual(e.requestParameters, raw.RequestParamters);
    assert.deepEqual(e.userIdentity, raw.UserIdentity);
    assert.equal(e.eventID, raw.EventID);
    assert.equal(e.errorCode, undefined, 'empty-string fields mean "absent"');
    assert.deepEqual(r.records[0].original, raw);
  });
  test('legacy IoT: eventTime comes from the epoch timestamp when EventTime is missing', () => {
    const r = parseText(JSON.stringify({ timestamp: '1460159496', EventName: 'AttachPolicy', UserIdentity: { type: 'Root' } }));
    assert.equal(r.kind, 'legacy-iot');
    assert.equal(r.records[0].event.eventTime, new Date(1460159496 * 1000).toISOString().replace('.000Z', 'Z'));
  });
  test('all-lower-case keys are normalised to the standard names (original kept)', () => {
    const line = { eventname: 'GetRecords', eventsource: 'dynamodb.amazonaws.com', eventtime: '2023-01-10 21:04:02', useridentity: { arn: 'a', accountid: '1' }, sourceipaddress: '1.2.3.4', custom: 1 };
    const r = parseText(JSON.stringify(line) + '\n' + JSON.stringify(ev(2)) + '\n');
    assert.equal(r.kind, 'jsonl');
    const e = r.records[0].event;
    assert.equal(e.eventName, 'GetRecords');
    assert.equal(e.eventTime, '2023-01-10 21:04:02');
    assert.equal(e.sourceIPAddress, '1.2.3.4');
    assert.deepEqual(e.userIdentity, { arn: 'a', accountId: '1' });
    assert.equal(e.custom, 1);
    assert.equal(e.eventname, undefined);
    assert.deepEqual(r.records[0].original, line);
    assert.equal(r.records[1].original, undefined, 'standard records are not copied');
  });
});

describe('not CloudTrail', () => {
  const cases: [string, Uint8Array][] = [
    ['empty file', new Uint8Array(0)],
    ['whitespace only', enc('  \n\n ')],
    ['plain text', enc('hello world\nthis is a note\n')],
    ['random JSON object', enc('{"name": "x", "values": [1, 2, 3]}')],
    ['random JSON array', enc('[1, 2, 3]')],
    ['array of unrelated objects', enc('[{"a": 1}, {"b": 2}]')],
    ['JSON Lines of unrelated objects', enc('{"a": 1}\n{"b": 2}\n')],
    ['a JSON string', enc('"eventName"')],
    ['binary', (() => {
      const r = prng(7);
      const b = new Uint8Array(4096);
      for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
      b[0] = 0x00;
      return b;
    })()],
    ['zip file header', enc('PK\u0003\u0004\u0014\u0000\u0000\u0000')],
  ];
  for (const [name, bytes] of cases) {
    test(name, () => {
      const r = parseBytes(bytes);
      assert.equal(r.kind, 'unknown');
      assert.deepEqual(r.records, []);
      const nc = r.problems.filter((p) => p.code === 'not-cloudtrail');
      assert.equal(nc.length, 1, JSON.stringify(r.problems));
      assert.equal(nc[0].severity, 'error');
      assert.ok(nc[0].message.length > 20);
      assert.equal(sniffKind(new TextDecoder().decode(bytes)), 'unknown');
    });
  }
});

describe('sniffKind', () => {
  test('looks only at the start of a big file', () => {
    const big = JSON.stringify({ Records: Array.from({ length: 3000 }, (_, i) => ev(i)) });
    assert.ok(big.length > 200_000);
    assert.equal(sniffKind(big), 'log');
    assert.equal(sniffKind(big.slice(0, 100_000)), 'log', 'a cut file still sniffs as a log');
    assert.equal(sniffKind(JSON.stringify(Array.from({ length: 3000 }, (_, i) => ev(i)))), 'array');
    assert.equal(sniffKind(Array.from({ length: 3000 }, (_, i) => JSON.stringify(ev(i))).join('\n')), 'jsonl');
    assert.equal(sniffKind(JSON.stringify(ev(1))), 'event');
  });

  // A JSON Lines file whose first line does not end inside the first 64 KB used to sniff as a single 'event'.
  const pad = (n: number) => ({ requestParameters: { note: 'p'.repeat(n) } });
  const cases: [string, string, string][] = [
    ['JSON Lines whose first line is longer than 64 KB', [ev(0, pad(70_000)), ev(1), ev(2)].map((e) => JSON.stringify(e)).join('\n'), 'jsonl'],
    ['JSON Lines whose first line ends just after 64 KB', [ev(0, pad(65_300)), ev(1), ev(2)].map((e) => JSON.stringify(e)).join('\r\n') + '\r\n', 'jsonl'],
    ['JSON Lines with a long first line and a BOM', '\ufeff' + [ev(0, pad(200_000)), ev(1)].map((e) => JSON.stringify(e)).join('\n'), 'jsonl'],
    ['one event bigger than 64 KB', JSON.stringify(ev(0, pad(150_000)), null, 2), 'event'],
    ['one event bigger than 64 KB, then blank lines', JSON.stringify(ev(0, pad(150_000))) + '\n\n\n', 'event'],
    ['a log whose Records key comes after 64 KB', JSON.stringify({ eventVersion: '1.08', comment: 'c'.repeat(80_000), Records: [ev(1), ev(2)] }), 'log'],
    ['an array whose first record is bigger than 64 KB', JSON.stringify([ev(0, pad(90_000)), ev(1)]), 'array'],
    ['big JSON that is not CloudTrail', JSON.stringify({ name: 'x', packages: Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`p${i}`, { version: '1.0.0' }])) }), 'unknown'],
  ];
  for (const [label, text, kind] of cases) {
    test(label, () => {
      assert.ok(text.length > 64 * 1024, 'the case needs more than the first 64 KB');
      assert.equal(sniffKind(text), kind);
      assert.equal(parseText(text).kind, kind, 'the full parse agrees');
    });
  }
});

describe('record text', () => {
  test('is the exact slice of the file for standard records, in every shape', () => {
    const pretty = JSON.stringify({ Records: [ev(1), ev(2, { n: 12345678901234567890 })] }, null, 2);
    const jsonl = [ev(3), ev(4)].map((e) => JSON.stringify(e)).join('\n') + '\n';
    for (const text of [pretty, jsonl, JSON.stringify([ev(5)]), JSON.stringify(ev(6), null, 1)]) {
      const r = parseText(text);
      assert.ok(r.records.length > 0);
      for (const rec of r.records) {
        assert.equal(rec.text, text.slice(rec.range.startOffset, rec.range.endOffset));
        assert.deepEqual(JSON.parse(rec.text!), JSON.parse(text.slice(rec.range.startOffset, rec.range.endOffset)));
      }
    }
  });
  test('is the CloudTrailEvent string for lookup-events entries', () => {
    const inner = JSON.stringify(ev(7));
    const r = parseText(JSON.stringify({ Events: [{ EventId: 'id-7', EventName: 'Op7', CloudTrailEvent: inner }] }));
    assert.equal(r.kind, 'lookup-events');
    assert.equal(r.records[0].text, inner);
    assert.equal(r.records[0].event.eventName, 'Op7');
  });
  test('is absent for normalised spellings (its fields were renamed)', () => {
    const r = parseText('{"eventname":"Lower","eventsource":"s3.amazonaws.com","eventtime":"2024-01-01T00:00:00Z"}');
    assert.equal(r.records[0].event.eventName, 'Lower');
    assert.equal(r.records[0].text, undefined);
  });
  test('streaming hands out the same text', () => {
    const text = JSON.stringify({ Records: Array.from({ length: 200 }, (_, i) => ev(i)) });
    const bytes = enc(text);
    const p = new StreamingParser();
    const got: string[] = [];
    for (let i = 0; i < bytes.length; i += 777) for (const rec of p.push(bytes.subarray(i, i + 777))) got.push(rec.text!);
    for (const rec of p.end().records) got.push(rec.text!);
    assert.deepEqual(got, parseText(text).records.map((r) => text.slice(r.range.startOffset, r.range.endOffset)));
  });
});

describe('values', () => {
  test('big integers stay exact and are marked lossless', () => {
    const text = '{"Records":[{"eventName":"A","requestParameters":{"n":12345678901234567890,"m":9007199254740993,"small":42,"f":1.5,"neg":-98765432109876543210}}]}';
    const r = parseText(text);
    assert.deepEqual(errors(r), []);
    const p = r.records[0].event.requestParameters as Record<string, unknown>;
    assert.ok(p.n instanceof LosslessNumber);
    assert.equal((p.n as LosslessNumber).text, '12345678901234567890');
    assert.equal((p.m as LosslessNumber).text, '9007199254740993');
    assert.equal((p.neg as LosslessNumber).text, '-98765432109876543210');
    assert.equal(p.small, 42);
    assert.equal(p.f, 1.5);
  });
  test('__proto__ keys stay plain data and pollute nothing', () => {
    const text = '{"Records":[{"eventName":"A","__proto__":{"polluted":"yes"},"requestParameters":{"constructor":{"prototype":{"polluted":"yes"}},"__proto__":{"polluted":"yes"}}}, {"eventname":"B","__proto__":{"polluted":"yes"}}]}';
    const r = parseText(text);
    assert.equal(r.records.length, 2);
    for (const rec of r.records) {
      assert.ok(Object.prototype.hasOwnProperty.call(rec.event, '__proto__'));
      assert.equal(Object.getPrototypeOf(rec.event), Object.prototype);
      assert.equal((rec.event as Record<string, unknown>).polluted, undefined);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    // Through the lossless path (long number present) as well.
    const r2 = parseText('{"eventName":"A","n":123456789012345678901,"__proto__":{"polluted":"yes"}}');
    assert.ok(Object.prototype.hasOwnProperty.call(r2.records[0].event, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
