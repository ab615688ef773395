/**
 * The one-parse handoff (src/core/ingest/records.ts): a table filled from pieces holds exactly what a table that
 * parses the materialised `{"Records":[…]}` document holds — same cells, texts, events and ranges.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordTable } from '../../../src/core/table';
import { assertSameTable } from '../../support/tables';
import { parseText } from '../../../src/core/records';
import { cutPiece, fillTable, pieceOf, pieceOfEvents, pieceOfFile, recordsDocumentOf } from '../../../src/core/ingest/records';
import type { CloudTrailRecord, JsonObject } from '../../../src/core/records/types';
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

test('a file piece keeps the file text as it is: rows point into it; without a text, records carry their own', () => {
  const all = corpusRecords().slice(0, 120).map((r) => r.event);
  // One file as CloudTrail writes it, pretty-printed in part so that records span lines.
  const body = all.map((e, k) => (k % 4 === 0 ? JSON.stringify(e, null, 2) : JSON.stringify(e)));
  const text = `{"Records":[\n${body.join(',\n')}\n]}\n`;
  const parsed = parseText(text);
  assert.equal(parsed.records.length, all.length);
  const piece = pieceOfFile(parsed.records, text);
  assert.equal(piece.text, text, 'nothing joined or copied');
  assert.ok(piece.rows.textStarts, 'each text is found in the file text');
  assert.equal(piece.rows.looseRows.length, 0);
  // The ranges are those of the joined texts, not of the file.
  assert.notEqual(piece.rows.starts[1], piece.rows.textStarts![1]);
  const filled = new RecordTable();
  fillTable(filled, [piece, pieceOf(parsed.records.slice(0, 3), body.slice(0, 3).map((t) => JSON.stringify(JSON.parse(t))))]);
  const doc = recordsDocumentOf([piece]);
  const fromDoc = new RecordTable();
  fromDoc.add(parseText(doc).records, doc);
  for (let i = 0; i < all.length; i++) {
    assert.equal(filled.recordText(i), body[i], `row ${i} text`);
    const r = filled.range(i)!;
    const d = fromDoc.range(i)!;
    assert.deepEqual([r.startOffset, r.endOffset, r.startLine, r.endLine], [d.startOffset, d.endOffset, d.startLine, d.endLine], `row ${i} range`);
  }
  assert.equal(filled.size, all.length + 3);
  // A cut keeps the file text whole and the first rows' texts.
  const cut = cutPiece(piece, 7);
  const t = new RecordTable();
  fillTable(t, [cut]);
  assert.equal(t.size, 7);
  assert.equal(t.recordText(6), body[6]);
  // Without a usable text (e.g. read some other way), every record carries its own.
  const loose = pieceOfFile(parsed.records.slice(0, 5), undefined);
  assert.equal(loose.rows.looseRows.length, 5);
  const u = new RecordTable();
  fillTable(u, [loose]);
  assert.deepEqual(u.event(2), all[2]);
});

test('records marked unverified stay marked through a piece', () => {
  const recs = corpusRecords().slice(0, 10).map((r, k): CloudTrailRecord => (k >= 6 ? { ...r, unverified: true } : r));
  const t = new RecordTable();
  fillTable(t, [pieceOf(recs, recs.map((r) => JSON.stringify(r.event)))]);
  assert.deepEqual(Array.from({ length: 10 }, (_, i) => t.unverified(i)), recs.map((r) => r.unverified === true));
});
