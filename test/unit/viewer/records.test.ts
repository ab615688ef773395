/** The argument of `cloudtrailLens.openRecords`: events (written out losslessly) or a ready text (kept as it is). */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LosslessNumber, parseText } from '../../../src/core/records';
import { parseLossless } from '../../../src/core/json';
import { DEFAULT_RECORDS_TITLE, openRecordsInput } from '../../../src/viewer/records';

const TEXT = '{"Records":[\n{"eventName":"A","n":12345678901234567890,"__proto__":{"polluted":1}}\n]}\n';

describe('openRecords argument', () => {
  it('takes a ready {"Records":[…]} text as it is', () => {
    const r = openRecordsInput({ title: '  Day 2024-03-05 ', text: TEXT, events: [{ eventName: 'ignored' }] });
    assert.equal(r.title, 'Day 2024-03-05');
    assert.equal(r.text, TEXT);
  });

  it('writes events out with exact big numbers and plain __proto__ keys', () => {
    // Events as the AWS explorer hands them: parsed losslessly, so a "__proto__" key is an own property.
    const events = (parseLossless(TEXT) as { Records: unknown[] }).Records;
    const { text, title } = openRecordsInput({ events });
    assert.equal(title, DEFAULT_RECORDS_TITLE);
    assert.ok(text.includes('12345678901234567890'));
    const back = parseText(text);
    assert.equal(back.kind, 'log');
    const ev = back.records[0].event;
    assert.ok(ev.n instanceof LosslessNumber);
    assert.equal(String(ev.n), '12345678901234567890');
    assert.ok(Object.prototype.hasOwnProperty.call(ev, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('anything malformed becomes an empty list with the default title', () => {
    for (const arg of [undefined, null, 42, 'x', { title: 7, events: 'no' }, { text: 5 }]) {
      const r = openRecordsInput(arg);
      assert.equal(r.title, DEFAULT_RECORDS_TITLE);
      assert.deepEqual(JSON.parse(r.text), { Records: [] });
    }
  });
});
