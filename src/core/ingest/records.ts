/**
 * The handoff of parsed records to a table, with one parse. Records arrive as "pieces": the table rows of those
 * records (TableRows, built where the records were parsed — a worker thread or this one) and the text their
 * record texts are cut from (the file's own text, or record texts joined by `,\n`).
 * The receiving table imports the rows (no JSON.parse); the document's JSON text is only joined when someone asks
 * to see it ("Open as JSON"). Pure (no `vscode`).
 */
import { decodeUtf8 } from '../records';
import { losslessToJsonCalls, type CloudTrailRecord, type JsonObject, type JsonValue } from '../records/types';
import { RecordTable, RowsBuilder, type TableRows } from '../table';
import { isFileSlice, recordText } from '../local/record-text';
import { stringifyJson } from '../json';

/**
 * Records ready for a table: their rows (TableRows, ranges and lines as in the records' texts joined by `,\n`,
 * from offset 0) and `text`, the string their non-loose texts are cut from. That is either the joined texts
 * themselves (pieceOf), or the file's own decompressed text when `rows.textStarts` says where each text starts in
 * it (pieceOfFile: nothing is joined or copied in the worker).
 */
export interface RecordsPiece {
  text: string;
  rows: TableRows;
  /**
   * Instead of `text` (then ''): its bytes, one per character (an ASCII file's text as a worker handed it over).
   * The table decodes them only when a record's text is first needed.
   */
  bytes?: Uint8Array;
}

/** Start of a records document: the first record starts on line 2, at this offset. */
export const DOCUMENT_HEAD = '{"Records":[\n';

/**
 * The piece of records whose texts are `texts` (each one JSON object) and whose events are `records[k].event`:
 * rows are made here (columns, times), with each record's range in the joined text.
 */
export function pieceOf(records: readonly CloudTrailRecord[], texts: readonly string[]): RecordsPiece {
  const b = new RowsBuilder(records.length);
  let at = 0;
  for (let k = 0; k < records.length; k++) {
    const t = texts[k];
    b.add(records[k].event, at, t.length, newlines(t), records[k].unverified === true);
    at += t.length + 2;
  }
  // The joined text holds each text at its range: no separate starts.
  return { text: texts.join(',\n'), rows: b.rows(false) };
}

/**
 * The piece of the records parsed from `text` (a file's decompressed text; undefined when the parser read it
 * some other way): records that are exactly their slice of `text` stay there (rows.textStarts), the others
 * (normalised from another shape, or without a usable range) carry their own text.
 */
export function pieceOfFile(records: readonly CloudTrailRecord[], text: string | undefined): RecordsPiece {
  const b = new RowsBuilder(records.length);
  for (const rec of records) {
    const r = rec.range;
    if (text !== undefined && isFileSlice(rec, text)) {
      b.add(rec.event, r.startOffset, r.endOffset - r.startOffset, r.endLine - r.startLine, rec.unverified === true);
    } else {
      const t = recordText(rec);
      b.add(rec.event, t, t.length, newlines(t), rec.unverified === true);
    }
  }
  return { text: text ?? '', rows: b.rows() };
}

/** Each record's text, in row order. */
function pieceTexts(p: RecordsPiece): string[] {
  const r = p.rows;
  const text = p.bytes ? decodeUtf8(p.bytes) : p.text;
  const out: string[] = new Array(r.count);
  for (let k = 0; k < r.looseRows.length; k++) out[r.looseRows[k]] = r.looseTexts[k];
  for (let j = 0; j < r.count; j++) {
    if (out[j] !== undefined) continue;
    const a = r.textStarts ? r.textStarts[j] : r.starts[j];
    out[j] = text.slice(a, a + r.ends[j] - r.starts[j]);
  }
  return out;
}

/** The piece of in-memory events (LookupEvents, S3 objects, query results): each written once as compact JSON. */
export function pieceOfEvents(events: readonly JsonValue[]): RecordsPiece {
  const objects = events.filter((e): e is JsonObject => e !== null && typeof e === 'object' && !Array.isArray(e));
  const texts = objects.map(compactJson);
  return pieceOf(
    objects.map((event, index) => ({ index, event, range: { startLine: 0, endLine: 0, startOffset: -1, endOffset: -1 } })),
    texts,
  );
}

/** The first `take` rows of a piece (a record cap cut it). */
export function cutPiece(piece: RecordsPiece, take: number): RecordsPiece {
  const r = piece.rows;
  if (take >= r.count) return piece;
  const keep = r.looseRows.findIndex((row) => row >= take);
  const loose = keep < 0 ? r.looseRows.length : keep;
  const rows: TableRows = { ...r, count: take, looseRows: r.looseRows.slice(0, loose), looseTexts: r.looseTexts.slice(0, loose) };
  if (r.textStarts) rows.textStarts = r.textStarts.slice(0, take);
  if (r.unverifiedRows) rows.unverifiedRows = r.unverifiedRows.filter((row) => row < take);
  // Joined texts end where the last kept record does; a file's text is kept whole (its records are spread over it).
  if (take === 0) return { text: '', rows };
  const text = r.textStarts ? piece.text : piece.text.slice(0, r.ends[take - 1]);
  return piece.bytes ? { text, rows, bytes: piece.bytes } : { text, rows };
}

/**
 * Adds pieces to a table one after another, as rows of the document recordsDocumentOf(all pieces) would give
 * (same offsets and lines): nothing is parsed. Keeps where the next piece starts, so pieces can arrive over time
 * (rows appear while files are still being read).
 */
export class PieceWriter {
  private offset = DOCUMENT_HEAD.length;
  private line = 2;
  constructor(private readonly table: RecordTable) {}

  /** Appends the piece's rows; throws, adding nothing, when the piece is inconsistent. */
  add(p: RecordsPiece): void {
    if (p.rows.count === 0) return;
    // importRows cuts texts at the unshifted ranges minus source.offset: point it at the piece's own text.
    this.table.importRows(p.rows, p.bytes ? { bytes: p.bytes, offset: 0 } : { text: p.text, offset: 0 }, { offset: this.offset, line: this.line });
    // The piece's joined texts end where its last record does (ranges start at offset 0, line 0).
    const last = p.rows.count - 1;
    this.offset += p.rows.ends[last] + 2;
    this.line += p.rows.endLines[last] + 1;
  }
}

/**
 * Adds the pieces' rows to `table`, in order, as rows of the document recordsDocumentOf(pieces) would give (same
 * offsets and lines): nothing is parsed. Throws, adding nothing more, when a piece is inconsistent.
 */
export function fillTable(table: RecordTable, pieces: readonly RecordsPiece[]): void {
  const w = new PieceWriter(table);
  for (const p of pieces) w.add(p);
}

/**
 * The `{"Records":[…]}` document of a table filled only through a PieceWriter: its record texts in row order,
 * exactly the text its ranges point into. Built only when someone asks to see the JSON ("Open as JSON").
 */
export function recordsDocumentOfTable(table: RecordTable): string {
  if (table.size === 0) return '{"Records":[]}\n';
  const parts: string[] = new Array(table.size);
  for (let i = 0; i < table.size; i++) parts[i] = table.recordText(i);
  return `${DOCUMENT_HEAD}${parts.join(',\n')}\n]}\n`;
}

/** The `{"Records":[…]}` document of the pieces (one record text after another, as the file systems shows it). */
export function recordsDocumentOf(pieces: readonly RecordsPiece[]): string {
  const parts = pieces.filter((p) => p.rows.count > 0).map((p) => pieceTexts(p).join(',\n'));
  return parts.length ? `${DOCUMENT_HEAD}${parts.join(',\n')}\n]}\n` : '{"Records":[]}\n';
}

function newlines(s: string): number {
  let n = 0;
  for (let at = s.indexOf('\n'); at >= 0; at = s.indexOf('\n', at + 1)) n++;
  return n;
}

/** Compact JSON of an event: JSON.stringify (fast) unless a LosslessNumber needs the lossless writer. */
function compactJson(ev: JsonObject): string {
  try {
    // LosslessNumber.toJSON writes its digits as a JSON *string* (and counts the call): then the lossless writer
    // keeps the number a number.
    const calls = losslessToJsonCalls();
    const s = JSON.stringify(ev);
    if (losslessToJsonCalls() === calls && !s.includes('"isLosslessNumber":true')) return s;
  } catch {
    // fall through to the lossless writer
  }
  return stringifyJson(ev);
}
