/**
 * Builds TableRows (transfer.ts) straight from parsed events, without a RecordTable: what a worker hands back
 * for the ingest path (src/core/ingest/records.ts). A row's text is either a span of one source text (the file's
 * decompressed text, or record texts joined by `,\n`) or its own "loose" string. Rows take consecutive ranges of
 * the document their texts make when joined by `,\n`, starting at offset 0, line 0.
 */
import type { JsonObject } from '../records/types';
import { COLUMNS, plainReadsSafe, rawCellsInto, timeOf } from './columns';
import { Dictionary } from './dictionary';
import { grow } from './grow';
import type { TableRows } from './transfer';

const NCOL = COLUMNS.length;

export class RowsBuilder {
  private n = 0;
  // Values are not detached from the text they were cut from: the rows are posted (copied) or imported at once.
  private readonly dicts = COLUMNS.map((c) => new Dictionary(c.id === 'time' || c.id === 'eventId', false));
  private codes = COLUMNS.map(() => new Uint32Array(256));
  private times = new Float64Array(256);
  private starts = new Float64Array(256);
  private ends = new Float64Array(256);
  private lines = new Uint32Array(256);
  private endLines = new Uint32Array(256);
  private textStarts = new Float64Array(256);
  private readonly looseRows: number[] = [];
  private readonly looseTexts: string[] = [];
  private readonly unverified: number[] = [];
  private offset = 0;
  private line = 0;
  private readonly raw: string[] = new Array<string>(NCOL);
  private readonly plainSafe = plainReadsSafe();

  get count(): number {
    return this.n;
  }

  /**
   * Appends one record. `text` is its JSON: a number is where it starts in the source text (`length` characters
   * with `newlines` line breaks), a string is its own (loose) text.
   */
  add(event: JsonObject, text: number | string, length: number, newlines: number, unverified = false): void {
    const row = this.n;
    const need = row + 1;
    if (need > this.times.length) {
      for (let c = 0; c < NCOL; c++) this.codes[c] = grow(this.codes[c], need);
      this.times = grow(this.times, need);
      this.starts = grow(this.starts, need);
      this.ends = grow(this.ends, need);
      this.lines = grow(this.lines, need);
      this.endLines = grow(this.endLines, need);
      this.textStarts = grow(this.textStarts, need);
    }
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
    this.n = need;
  }

  /** The rows so far (fresh arrays: list their buffers in postMessage's transfer list). */
  rows(): TableRows {
    const n = this.n;
    const rows: TableRows = {
      count: n,
      values: this.dicts.map((d) => d.values.slice()),
      codes: this.codes.map((a) => a.slice(0, n)),
      times: this.times.slice(0, n),
      starts: this.starts.slice(0, n),
      ends: this.ends.slice(0, n),
      lines: this.lines.slice(0, n),
      endLines: this.endLines.slice(0, n),
      looseRows: Uint32Array.from(this.looseRows),
      looseTexts: this.looseTexts.slice(),
      textStarts: this.textStarts.slice(0, n),
    };
    if (this.unverified.length) rows.unverifiedRows = Uint32Array.from(this.unverified);
    return rows;
  }
}
