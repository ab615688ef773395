/**
 * The parse-file task of the worker pool (src/core/pool): parses one CloudTrail file with the shared `parseBytes`
 * and returns its events, its records' texts, or a piece for the ingest path. Runs in a pool worker
 * (src/workers/pool.ts); kept here, in the core, so what a task computes lives beside the parser.
 *
 * A task carries either a local path (read here, off the extension host's thread) or the file's bytes (read by
 * the extension through vscode.workspace.fs, for remote and virtual folders, and transferred without a copy).
 */
import { readFileSync } from 'node:fs';
import { parseBytes, type ParseResult } from '../records';
import { losslessToJsonCalls } from '../records/types';
import { findLossless, ownBuffer } from './pool';
import { joinRecordTexts, parseKeepingText } from './record-text';
import { pieceOfFile } from '../ingest/records';
import { rowsTransfer } from '../table/transfer';
import { WARM_UP_NAME, WARM_UP_ROUNDS, warmUpSample } from '../pool/warm-up';
import type { ParseReply, ParseTask } from './protocol';

export async function parseFileTask(task: ParseTask): Promise<ParseReply> {
  try {
    let bytes: Uint8Array;
    if (task.bytes) bytes = task.bytes;
    // Read in one call: this runs on a pool worker, whose only job is this task.
    else if (task.path !== undefined) bytes = readFileSync(task.path);
    else return { id: task.id, ok: false, message: 'no file given' };
    if ((task.asPieces || task.asText) && !task.countOnly) {
      // Record texts, not objects: for the ingest path a piece (texts and their table rows, so the receiver parses
      // nothing), for the combined viewer each record's own slice of the file.
      const { result, text, data } = parseKeepingText(bytes, task.name, { maxDecompressed: task.maxDecompressed });
      if (task.asPieces) {
        const piece = pieceOfFile(result.records, text);
        // Only rows that are not loose are cut from the file's text; it travels as its UTF-8 bytes, transferred
        // rather than copied (copying a long string into the message cost the worker more than decoding costs the
        // receiver). As many bytes as characters: none took more than one (a leading BOM takes three, none).
        const cut = text !== undefined && data !== undefined && piece.rows.looseRows.length < piece.rows.count;
        const texts = cut ? { recordsBytes: ownBuffer(data), recordsAscii: data.length === text.length } : { recordsText: '' };
        return replyOf(task, result, { eventsJson: '', ...texts, rows: piece.rows, count: result.records.length, lossless: [] });
      }
      const { text: recordsText, ends: recordEnds } = joinRecordTexts(result.records, text);
      return replyOf(task, result, { eventsJson: '', recordsText, recordEnds, count: result.records.length, lossless: [] });
    }
    const result = parseBytes(bytes, task.name, { maxDecompressed: task.maxDecompressed });
    const events = result.records.map((r) => r.event);
    const before = losslessToJsonCalls();
    const eventsJson = task.countOnly ? '' : JSON.stringify(events);
    return replyOf(task, result, {
      eventsJson,
      count: events.length,
      // LosslessNumber.toJSON writes its text as a JSON string and is counted; when it never ran there is
      // nothing to walk for. The receiver turns the strings at these paths back into instances.
      lossless: losslessToJsonCalls() !== before ? findLossless(events) : [],
    });
  } catch (err) {
    // parseBytes reports bad input as problems; anything thrown here is unexpected (I/O error, a bug) and is
    // reported for this one file only.
    return { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * A worker's warm-up (task kind `warm-up`): the synthetic sample parsed `rounds` times into pieces, the way a real
 * file is, and dropped. Returns the records parsed.
 */
export async function parseWarmUp(rounds = WARM_UP_ROUNDS): Promise<number> {
  const sample = warmUpSample();
  let records = 0;
  for (let i = 0; i < rounds; i++) {
    const reply = await parseFileTask({ id: i, name: WARM_UP_NAME, bytes: sample, asPieces: true });
    if (!reply.ok) throw new Error(`warm-up parse failed: ${reply.message}`);
    records += reply.count;
  }
  return records;
}

type OkReply = Extract<ParseReply, { ok: true }>;

/** A successful reply: what every mode says about the file, plus the mode's own fields. */
function replyOf(task: ParseTask, result: ParseResult, fields: Omit<OkReply, 'id' | 'ok' | 'kind' | 'gzipped' | 'problems' | 'digest'>): ParseReply {
  const reply: OkReply = { id: task.id, ok: true, kind: result.kind, gzipped: result.gzipped, problems: result.problems, ...fields };
  if (result.digest) reply.digest = result.digest;
  return reply;
}

/** Buffers a reply can hand over instead of copying (record ends, a piece's row arrays). */
export function parseReplyTransfer(reply: ParseReply): ArrayBuffer[] {
  if (!reply.ok) return [];
  const out: ArrayBuffer[] = [];
  if (reply.recordEnds) out.push(reply.recordEnds.buffer as ArrayBuffer);
  if (reply.recordsBytes) out.push(reply.recordsBytes.buffer as ArrayBuffer);
  const r = reply.rows;
  if (r) out.push(...rowsTransfer(r));
  return out;
}
