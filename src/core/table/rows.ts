/**
 * Builds TableRows (transfer.ts) straight from parsed events, without a RecordTable: what a worker hands back
 * for the ingest path (src/core/ingest/records.ts). A row's text is either a span of one source text (the file's
 * decompressed text, or record texts joined by `,\n`) or its own "loose" string. Rows take consecutive ranges of
 * the document their texts make when joined by `,\n`, starting at offset 0, line 0.
 */
import type { JsonObject } from '../records/types';
import { COLUMNS, plainReadsSafe, rawCellsInto, timeOf } from './columns';
import { Dictionary } from './dictionary';
import { rowsOf, type TableRows } from './transfer';

const NCOL = COLUMNS.length;

export class RowsBuilder {
  private n = 0;
  // Values are not detached from the text they were cut from: the rows are posted (copied) or imported at once.
  private readonly dicts = COLUMNS.map((c) => new Dictionary(c.id === 'time' || c.id === 'eventId', false));
  private readonly codes: Uint32Array[];
  private readonly times: Float64Array;
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly lines: Uint32Array;
  private readonly endLines: Uint32Array;
  private readonly textStarts: Float64Array;
  private readonly looseRows: number[] = [];
  private readonly looseTexts: string[] = [];
  private readonly unverified: number[] = [];
  private offset = 0;
  private line = 0;
  private readonly raw: string[] = new Array<string>(NCOL);
  private readonly plainSafe = plainReadsSafe();

  /** @param capacity the number of records that will be added (a piece's records are known up front). */
  constructor(readonly capacity: number) {
    this.codes = COLUMNS.map(() => new Uint32Array(capacity));
    this.times = new Float64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.lines = new Uint32Array(capacity);
    this.endLines = new Uint32Array(capacity);
    this.textStarts = new Float64Array(capacity);
  }

  /**
   * Appends one record. `text` is its JSON: a number is where it starts in the source text (`length` characters
   * with `newlines` line breaks), a string is its own (loose) text.
   */
  add(event: JsonObject, text: number | string, length: number, newlines: number, unverified = false): void {
    const row = this.n;
    if (row >= this.capacity) throw new RangeError(`RowsBuilder: more than the ${this.capacity} records it was made for`);
    const raw = rawCellsInto(event, this.raw, this.plainSafe);
    for (let c = 0; c < NCOL; c++) this.codes[c][row] = this.dicts[c].codeOfRaw(raw[c]);
    this.times[row] = timeOf(event);
    this.starts[row] = this.offset;
    this.ends[row] = this.offset + length;
    this.lines[row] = this.line;
    this.endLines[row] = this.line + newlines;
    if (typeof text === 'number') this.textStarts[row] = text;
    else {
      this.textStarts[row] = -1;
      this.looseRows.push(row);
      this.looseTexts.push(text);
    }
    if (unverified) this.unverified.push(row);
    this.offset += length + 2;
    this.line += newlines + 1;
    this.n = row + 1;
  }

  /**
   * The rows so far (fresh arrays in one buffer: rowsTransfer lists it for postMessage). `withTextStarts` false:
   * leave out rows.textStarts, for a source text in which every text starts at its range (the joined texts).
   */
  rows(withTextStarts = true): TableRows {
    const { dicts, codes, times, starts, ends, lines, endLines } = this;
    return rowsOf(this.n, { dicts, codes, times, starts, ends, lines, endLines }, this.looseRows, this.looseTexts.slice(), this.unverified, withTextStarts ? this.textStarts : undefined);
  }
}
