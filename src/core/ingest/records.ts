/**
 * The handoff of parsed records to a table, with one parse. Records arrive as "pieces": record texts joined by
 * `,\n` (the form `{"Records":[…]}` documents are built from) plus the table rows of those records (TableRows,
 * built where the records were parsed — a worker thread or this one), whose ranges point into the piece's text.
 * The receiving table imports the rows (no JSON.parse); the document's JSON text is only joined when someone asks
 * to see it ("Open as JSON"). Pure (no `vscode`).
 */
import { losslessToJsonCalls, type CloudTrailRecord, type JsonObject, type JsonValue } from '../records/types';
import { RecordTable, type TableRows } from '../table';
import { stringifyJson } from '../json';

/** Record texts joined by `,\n`, and the rows of those records (ranges and lines relative to `text`). */
export interface RecordsPiece {
  text: string;
  rows: TableRows;
}

/** Start of a records document: the first record starts on line 2, at this offset. */
export const DOCUMENT_HEAD = '{"Records":[\n';

/**
 * The piece of records whose texts are `texts` (each one JSON object) and whose events are `records[k].event`:
 * rows are made here (columns, times), with each record's range in the joined text.
 */
export function pieceOf(records: readonly CloudTrailRecord[], texts: readonly string[]): RecordsPiece {
  const table = new RecordTable({ keepText: false });
  const withText: (CloudTrailRecord & { text: string })[] = new Array(records.length);
  let offset = 0;
  let line = 0;
  for (let k = 0; k < records.length; k++) {
    const t = texts[k];
    const lines = newlines(t);
    withText[k] = { index: k, event: records[k].event, text: t, range: { startOffset: offset, endOffset: offset + t.length, startLine: line, endLine: line + lines } };
    offset += t.length + 2;
    line += lines + 1;
  }
  table.add(withText);
  return { text: texts.join(',\n'), rows: table.exportRows() };
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
  const end = take > 0 ? r.ends[take - 1] : 0;
  return {
    text: piece.text.slice(0, end),
    rows: { ...r, count: take, looseRows: r.looseRows.slice(0, loose), looseTexts: r.looseTexts.slice(0, loose) },
  };
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
    this.table.importRows(p.rows, { text: p.text, offset: 0 }, { offset: this.offset, line: this.line });
    this.offset += p.text.length + 2;
    this.line += newlines(p.text) + 1;
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
  const parts = pieces.filter((p) => p.rows.count > 0).map((p) => p.text);
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
