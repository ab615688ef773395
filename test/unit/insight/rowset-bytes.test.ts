import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ByteSink, exportChunks } from '../../../src/core/insight';
import { RecordTable } from '../../../src/core/table';
import { parseBytes } from '../../../src/core/records';

function tableOf(n: number): RecordTable {
  const records = Array.from({ length: n }, (_, i) => ({
    eventTime: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    eventName: i % 3 === 0 ? 'PutObject' : 'GetObject',
    eventSource: 's3.amazonaws.com',
    userIdentity: { type: 'IAMUser', userName: `u${i % 4}` },
  }));
  const t = new RecordTable();
  t.add(parseBytes(new TextEncoder().encode(JSON.stringify({ Records: records })), 'rows.json').records);
  return t;
}

describe('row sets (Filter.only)', () => {
  it('keeps only the set, ANDed with chips and the text filter, in the view order', () => {
    const t = tableOf(30);
    const only = new Uint8Array(t.size);
    for (const i of [1, 3, 6, 9, 12, 20]) only[i] = 1;
    assert.deepEqual(t.setView({ text: '', chips: [], only }, { column: 'time', descending: false }), { matched: 6, total: 30 });
    assert.deepEqual(t.indexes(0, 100), [1, 3, 6, 9, 12, 20]);
    t.setView({ text: '', chips: [{ column: 'eventName', value: 'PutObject', exclude: false }], only }, { column: 'time', descending: true });
    assert.deepEqual(t.indexes(0, 100), [12, 9, 6, 3]);
    t.setView({ text: '"u1"', chips: [], only });
    assert.deepEqual(t.indexes(0, 100).sort((a, b) => a - b), [1, 9]);
    // Without it, everything is back.
    assert.equal(t.setView({ text: '', chips: [] }).matched, 30);
  });

  it('leaves records added later out of the set', () => {
    const t = tableOf(5);
    const only = new Uint8Array(t.size).fill(1);
    t.setView({ text: '', chips: [], only });
    t.add(parseBytes(new TextEncoder().encode(JSON.stringify({ Records: [{ eventTime: '2027-01-01T00:00:00Z', eventName: 'New' }] })), 'more.json').records);
    assert.deepEqual(t.counts(), { matched: 5, total: 6 });
  });
});

describe('ByteSink', () => {
  it('holds the UTF-8 bytes of every chunk, growing as needed', () => {
    const sink = new ByteSink(16);
    const pieces = ['{"a":"é"}', '\n', 'x'.repeat(1000), '{"b":"𝄞 ✓"}'];
    for (const p of pieces) sink.push(p);
    const want = new TextEncoder().encode(pieces.join(''));
    assert.equal(sink.size, want.length);
    assert.deepEqual(Buffer.from(sink.bytes()), Buffer.from(want));
  });

  it('gathers an export byte for byte as the joined chunks', () => {
    const texts = Array.from({ length: 500 }, (_, i) => `{"i":${i},"n":12345678901234567890${i},"s":"ü, \\"q\\""}`);
    const sink = new ByteSink(64);
    let joined = '';
    for (const c of exportChunks('csv', { count: texts.length, text: (k) => texts[k], headers: ['I'], cells: (k) => [String(k)] }, 256)) {
      sink.push(c.text);
      joined += c.text;
    }
    assert.equal(new TextDecoder().decode(sink.bytes()), joined);
  });
});
