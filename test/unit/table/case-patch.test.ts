/**
 * Compacted texts (src/core/table/case-patch.ts, RecordTable.compactTexts): a record's text rebuilt from its lower
 * case and its case patch must be the original, character for character, for every record of the corpus, hostile
 * records and text whose lower case is unusual; records that cannot be rebuilt keep their text; searching and
 * event() give the same answers before and after.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { CasePatches } from '../../../src/core/table/case-patch';
import { RecordTable } from '../../../src/core/table';
import { indexBytes } from '../../../src/core/table/indexer';
import { parseText } from '../../../src/core/records';
import type { CloudTrailRecord } from '../../../src/core/records/types';
import { corpusRecords, oddCaseEvents } from './corpus';
import { hostileEvents } from '../../support/hostile';
import { prng } from '../../support/prng';
import * as path from 'node:path';
import { repoRoot } from '../../support/paths';

const WORKER = path.join(repoRoot, 'build', 'src', 'workers', 'pool.js');

function roundTrip(texts: string[]): { accepted: number } {
  const p = new CasePatches();
  const ok = texts.map((t) => p.add(t, t.toLowerCase()));
  texts.forEach((t, k) => {
    if (ok[k]) assert.equal(p.rebuild(k, t.toLowerCase()), t, `row ${k}: ${JSON.stringify(t.slice(0, 80))}`);
  });
  assert.equal(p.rows, texts.length);
  return { accepted: ok.filter(Boolean).length };
}

describe('case patches', () => {
  test('ASCII texts come back exactly: capitals at the edges, runs across digits and punctuation, no capitals', () => {
    const texts = [
      '',
      'a',
      'A',
      'lower only',
      'UPPER ONLY',
      'AIDACKCEVSQ6C2EXAMPLE',
      '{"eventName":"ConsoleLogin","userIdentity":{"type":"IAMUser"}}',
      'X1-2_3.4/5:6 Y',
      'aB',
      'Ba',
      '1A2b3C4',
      'ends in capitals: ABC',
      '--__ A --',
      '\u0000\u0001A\u007f',
    ];
    assert.equal(roundTrip(texts).accepted, texts.length);
  });

  test('runs and gaps longer than one word holds', () => {
    const long = 'A'.repeat(5000) + 'b' + 'C'.repeat(2047) + 'd' + 'E'.repeat(2048);
    const gap = 'x' + 'y'.repeat(2 ** 21 + 5) + 'Z';
    assert.equal(roundTrip([long, gap, long + gap]).accepted, 3);
  });

  test('random ASCII text in mixed case', () => {
    const rnd = prng(11);
    const texts: string[] = [];
    for (let k = 0; k < 400; k++) {
      let s = '';
      const len = Math.floor(rnd() * 300);
      for (let i = 0; i < len; i++) s += String.fromCharCode(rnd() < 0.3 ? 65 + Math.floor(rnd() * 26) : Math.floor(rnd() * 128));
      texts.push(s);
    }
    assert.equal(roundTrip(texts).accepted, texts.length);
  });

  test('non-ASCII texts and lower cases of another length are refused (the caller keeps them)', () => {
    const p = new CasePatches();
    assert.equal(p.add('Kelvin \u212a', 'kelvin k'), false);
    assert.equal(p.add('É', 'é'), false);
    assert.equal(p.add('plain é', 'plain é'), false);
    assert.equal(p.add('ABC', 'abcd'), false);
    assert.equal(p.add('Fine', 'fine'), true);
    assert.equal(p.rebuild(4, 'fine'), 'Fine');
    assert.equal(p.rows, 5);
  });
});

describe('RecordTable.compactTexts', () => {
  const odd = oddCaseEvents();
  const source = JSON.stringify({ Records: [...hostileEvents(), ...odd] }, null, 1);
  const records: CloudTrailRecord[] = [...corpusRecords(), ...parseText(source).records];

  test('every record keeps its text, its event and its search results', () => {
    const t = new RecordTable();
    t.add(records);
    const texts = Array.from({ length: t.size }, (_, k) => t.recordText(k));
    const events = Array.from({ length: t.size }, (_, k) => t.event(k));
    const needles = ['a', 'IAM', 'consolelogin', '<script', '\u202e', 'é', 'ı', 'k', 'ß', '"eventname":"', 'zzzz'];
    const found = (x: RecordTable) =>
      needles.map((s) => {
        x.setView({ text: s, chips: [] }, { column: 'time', descending: false });
        return x.indexes(0, 1e7);
      });
    const before = found(t);
    assert.ok(!t.textsCompacted);
    assert.ok(t.compactTexts());
    assert.ok(t.textsCompacted);
    for (let k = 0; k < t.size; k++) {
      assert.equal(t.recordText(k), texts[k], `record ${k}`);
      assert.deepEqual(t.event(k), events[k], `record ${k}`);
    }
    assert.deepEqual(found(t), before);
  });

  test('it works in slices, stops at the deadline, and goes on where it stopped', () => {
    const t = new RecordTable();
    t.add(records);
    const texts = Array.from({ length: t.size }, (_, k) => t.recordText(k));
    assert.equal(t.compactTexts(Infinity, 300), true);
    assert.ok(!t.textsCompacted);
    let calls = 0;
    while (!t.compactTexts(0)) calls++;
    assert.ok(calls >= Math.floor((t.size - 300) / 128) - 1, `${calls} calls`);
    assert.ok(t.textsCompacted);
    texts.forEach((x, k) => assert.equal(t.recordText(k), x));
  });

  test('indexBytes compacts in the background, on one thread and on two', async () => {
    const body = records.map((r) => JSON.stringify(r.event)).join(',');
    const bytes = new TextEncoder().encode(`{"Records":[${Array(12).fill(body).join(',')}]}`);
    const plain = new RecordTable();
    plain.add(parseText(new TextDecoder().decode(bytes)).records);
    for (const parallelFrom of [Infinity, 0]) {
      const t = new RecordTable();
      const logs: string[] = [];
      const r = await indexBytes(bytes, t, { parallelFrom, sliceBytes: 64 * 1024, chunkBytes: 256 * 1024, chunkWorkers: WORKER, log: (m) => logs.push(m) });
      await r!.searchIndex;
      // The two-thread run really shared the work (else it would test the one-thread path twice).
      assert.equal(r!.workerRecords > 0, parallelFrom === 0, logs.join('; '));
      assert.ok(t.textsCompacted);
      assert.equal(t.size, plain.size);
      for (let k = 0; k < t.size; k++) assert.equal(t.recordText(k), plain.recordText(k), `record ${k}`);
    }
  });
});
