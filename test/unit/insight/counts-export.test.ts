import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { compactJsonText, countCodes, countValues, csvField, exportChunks, parsePath, valuesAtPath } from '../../../src/core/insight';
import { parseLossless } from '../../../src/core/json';
import type { JsonObject } from '../../../src/core/records/types';
import { prng } from '../../support/prng';
import { parseCsv } from '../../support/csv';

describe('field counts', () => {
  it('countCodes agrees with counting the strings', () => {
    const rnd = prng(3);
    const dictionary = ['', 'GetObject', 'PutObject', 'ListBuckets', 'AssumeRole'];
    const codes = Uint32Array.from({ length: 2000 }, () => Math.floor(rnd() * dictionary.length));
    const rows = Uint32Array.from({ length: 700 }, () => Math.floor(rnd() * 2000));
    const c = countCodes('eventName', rows, codes, dictionary, 3);
    const direct = new Map<string, number>();
    let missing = 0;
    for (const r of rows) {
      const v = dictionary[codes[r]];
      if (!v) missing++;
      else direct.set(v, (direct.get(v) ?? 0) + 1);
    }
    assert.equal(c.rows, 700);
    assert.equal(c.missing, missing);
    assert.equal(c.distinct, direct.size);
    const want = [...direct].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 3);
    assert.deepEqual(c.top.map((t) => [t.value, t.count]), want);
    for (const t of c.top) assert.equal(t.share, t.count / 700);
  });

  it('reads field paths, through arrays and lower-case keys', () => {
    const ev = parseLossless(JSON.stringify({
      requestParameters: { bucketName: 'logs' },
      userIdentity: { sessionContext: { sessionIssuer: { userName: 'Admin' } } },
      resources: [{ ARN: 'arn:a' }, { ARN: 'arn:b' }, { type: 'x' }],
      tlsdetails: { tlsversion: 'TLSv1.3' },
    }).replace(/}$/, ',"big":12345678901234567890}')) as JsonObject;
    assert.deepEqual(valuesAtPath(ev, parsePath('requestParameters.bucketName')!), ['logs']);
    assert.deepEqual(valuesAtPath(ev, parsePath('userIdentity.sessionContext.sessionIssuer.userName')!), ['Admin']);
    assert.deepEqual(valuesAtPath(ev, parsePath('resources[].ARN')!), ['arn:a', 'arn:b']);
    assert.deepEqual(valuesAtPath(ev, parsePath('tlsDetails.tlsVersion')!), ['TLSv1.3']);
    assert.deepEqual(valuesAtPath(ev, parsePath('big')!), ['12345678901234567890']);
    assert.deepEqual(valuesAtPath(ev, parsePath('nothing.here')!), []);
    assert.equal(parsePath(''), undefined);
    assert.deepEqual(parsePath('a["x.y"].b'), ['a', 'x.y', 'b']);
  });

  it('countValues counts an array value once per row and empty as missing', () => {
    const vals = [['a', 'a', 'b'], 'a', undefined, '', ['b']];
    const c = countValues('f', vals.length, (k) => vals[k] as string | string[] | undefined);
    assert.equal(c.missing, 2);
    assert.deepEqual(c.top.map((t) => [t.value, t.count]), [['a', 2], ['b', 2]]);
  });
});

describe('export', () => {
  const texts = [
    '{"eventName":"A","n":12345678901234567890,"z":0.0}',
    '{\n  "eventName": "B, \\"quoted\\"",\n  "note": "line\\nbreak  with  spaces"\n}',
  ];
  const source = { count: 2, text: (k: number) => texts[k], cells: (k: number) => (k ? ['B, "quoted"', '=cmd|x'] : ['A', '-1']), headers: ['Event name', 'Note'] };

  it('a CloudTrail log reads back as the same records, numbers intact', () => {
    const out = [...exportChunks('log', source, 10)].map((c) => c.text).join('');
    assert.ok(out.startsWith('{"Records":['));
    const parsed = parseLossless(out) as JsonObject;
    const recs = parsed.Records as JsonObject[];
    assert.equal(recs.length, 2);
    assert.equal(String(recs[0].n), '12345678901234567890');
    assert.ok(out.includes('"z":0.0'), 'number text as written');
    assert.equal(recs[1].eventName, 'B, "quoted"');
    assert.deepEqual(parseLossless([...exportChunks('log', { count: 0, text: () => '' })].map((c) => c.text).join('')), { Records: [] });
  });

  it('JSON Lines has one record per line, whitespace inside strings kept', () => {
    const out = [...exportChunks('jsonl', source)].map((c) => c.text).join('');
    const lines = out.split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    assert.equal((parseLossless(lines[1]) as JsonObject).note, 'line\nbreak  with  spaces');
    assert.ok(lines[0].includes('12345678901234567890'));
  });

  it('CSV quotes commas, quotes and newlines, and neutralises formula starts', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    for (const c of ['=', '+', '-', '@']) assert.equal(csvField(`${c}SUM(A1)`), `'${c}SUM(A1)`);
    assert.equal(csvField('=a,b'), `"'=a,b"`);
    const out = [...exportChunks('csv', source)].map((c) => c.text).join('');
    const rows = parseCsv(out);
    assert.deepEqual(rows[0], ['Event name', 'Note', 'record']);
    assert.deepEqual(rows[1].slice(0, 2), ['A', "'-1"]);
    assert.deepEqual(rows[2].slice(0, 2), ['B, "quoted"', "'=cmd|x"]);
    assert.equal((parseLossless(rows[2][2]) as JsonObject).note, 'line\nbreak  with  spaces');
  });

  it('progress counts rows, chunk by chunk', () => {
    const many = { count: 1000, text: (k: number) => `{"i":${k}}` };
    const chunks = [...exportChunks('jsonl', many, 100)];
    assert.ok(chunks.length > 5);
    for (let i = 1; i < chunks.length; i++) assert.ok(chunks[i].done >= chunks[i - 1].done);
    assert.equal(chunks[chunks.length - 1].done, 1000);
  });

  it('compactJsonText drops whitespace between tokens only', () => {
    assert.equal(compactJsonText('{ "a" : [ 1 , 2 ] , "b" : "x  y\\" z" }'), '{"a":[1,2],"b":"x  y\\" z"}');
    const plain = '{"a":1}';
    assert.equal(compactJsonText(plain), plain);
  });
});

