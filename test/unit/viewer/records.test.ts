/**
 * The argument of `cloudtrailLens.openRecords`: events (a plan the viewer ingests; their JSON, made on demand, is
 * lossless), an ingest plan, or a ready text (kept as it is).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LosslessNumber, parseText } from '../../../src/core/records';
import { parseLossless } from '../../../src/core/json';
import { DEFAULT_RECORDS_TITLE, openRecordsInput, type CombinedRecords } from '../../../src/viewer/records';
import { RecordTable } from '../../../src/core/table';
import { ingest } from '../../../src/core/ingest/ingest';
import { recordsDocumentOfTable } from '../../../src/core/ingest/records';

/** The `{"Records":[…]}` text a combined view of the argument generates when asked ("Open as JSON"). */
async function textOf(arg: unknown): Promise<{ title: string; text: string }> {
  const r = openRecordsInput(arg);
  if ('text' in r) return r;
  const table = new RecordTable();
  await ingest(table, (r as CombinedRecords).plan);
  return { title: r.title, text: recordsDocumentOfTable(table) };
}

const TEXT = '{"Records":[\n{"eventName":"A","n":12345678901234567890,"__proto__":{"polluted":1}}\n]}\n';

describe('openRecords argument', () => {
  it('takes a ready {"Records":[…]} text as it is', () => {
    const r = openRecordsInput({ title: '  Day 2024-03-05 ', text: TEXT, events: [{ eventName: 'ignored' }] });
    assert.equal(r.title, 'Day 2024-03-05');
    assert.equal('text' in r && r.text, TEXT);
  });

  it('writes events out with exact big numbers and plain __proto__ keys', async () => {
    // Events as the AWS explorer hands them: parsed losslessly, so a "__proto__" key is an own property.
    const events = (parseLossless(TEXT) as { Records: unknown[] }).Records;
    const { text, title } = await textOf({ events });
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

  it('takes an ingest plan and the caller\'s hooks', () => {
    const onDone = () => undefined;
    const plan = { sources: [{ kind: 'events' as const, events: [{ eventName: 'A' }] }] };
    const r = openRecordsInput({ title: 'account 1 · 2 files', plan, onDone, events: [{ eventName: 'ignored' }] }) as CombinedRecords;
    assert.equal(r.title, 'account 1 · 2 files');
    assert.equal(r.plan, plan);
    assert.equal(r.onDone, onDone);
  });

  it('anything malformed becomes an empty list with the default title', async () => {
    for (const arg of [undefined, null, 42, 'x', { title: 7, events: 'no' }, { text: 5 }, { plan: { sources: 'no' } }]) {
      const r = await textOf(arg);
      assert.equal(r.title, DEFAULT_RECORDS_TITLE);
      assert.deepEqual(JSON.parse(r.text), { Records: [] });
    }
  });
});
