/**
 * The one-parse handoff (src/core/ingest/records.ts): a table filled from pieces holds exactly what a table that
 * parses the materialised `{"Records":[…]}` document holds — same cells, texts, events and ranges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordTable } from '../../../src/core/table';
import { assertSameTable } from '../../support/tables';
import { parseText } from '../../../src/core/records';
import { cutPiece, fillTable, pieceOf, pieceOfEvents, recordsDocumentOf } from '../../../src/core/ingest/records';
import type { JsonObject } from '../../../src/core/records/types';
import { corpusRecords } from '../table/corpus';

const same = assertSameTable;

test('pieces fill a table exactly as parsing their document does', () => {
  const all = corpusRecords().slice(0, 300);
  // Pretty-printed texts too, so records span several lines.
  const texts = all.map((r, k) => (k % 3 === 0 ? JSON.stringify(r.event, null, 2) : JSON.stringify(r.event)));
  const pieces = [pieceOf(all.slice(0, 100), texts.slice(0, 100)), pieceOfEvents([]), pieceOf(all.slice(100), texts.slice(100))];
  const filled = new RecordTable();
  fillTable(filled, pieces);
  const doc = recordsDocumentOf(pieces);
  const parsed = new RecordTable();
  parsed.add(parseText(doc).records, doc);
  same(filled, parsed);
  assert.equal(filled.size, 300);
  // The text the ranges point at is each record's text.
  const r = filled.range(150)!;
  assert.equal(doc.slice(r.startOffset, r.endOffset), filled.recordText(150));
});

test('in-memory events and a cut piece', () => {
  const events: JsonObject[] = Array.from({ length: 20 }, (_, i) => ({ eventName: `E${i}`, eventTime: '2024-01-01T00:00:00Z', big: i }));
  const piece = pieceOfEvents([...events, null, 'not an event']);
  assert.equal(piece.rows.count, 20);
  const cut = cutPiece(piece, 5);
  const t = new RecordTable();
  fillTable(t, [cut]);
  assert.equal(t.size, 5);
  assert.deepEqual(t.event(4), events[4]);
  const doc = recordsDocumentOf([cut]);
  assert.equal((JSON.parse(doc) as { Records: unknown[] }).Records.length, 5);
});
